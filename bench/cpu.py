"""`python -m bench.cpu --runs N`: the CPU milliseconds and SQL statements of one request to
each key page, measured in process (Flask's test client, production configuration, the
benchmark database), so the figure does not depend on what else the machine is doing.

The CPU time is this thread's (`time.thread_time()`): the portal's Python, Jinja and the
database driver's work in the app process, not PostgreSQL's own. Prints a table and, with
`--json FILE`, writes the figures; `--profile NAME` prints cProfile's top functions for one
page. `bench.cpu_profile` measures the same pages on demo data with the same functions.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import time
from collections.abc import Sequence
from functools import partial

from flask import Flask, g, has_app_context
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from config import database_url

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lep_bench"
#: Requests to each page before timing: the first fills Jinja's and SQLAlchemy's caches.
WARM_UP = 3


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cpu")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", default=None)
    parser.add_argument("--profile", default=None, help="a page name to profile")
    parser.add_argument("--only", default=None, help="comma-separated page names")
    parser.add_argument("--sql", default=None, help="a page name whose statements to print")
    arguments = parser.parse_args()
    app = bench_app(os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)

    from app.extensions import db
    from national.build import bench_pages

    with app.app_context():
        pages = bench_pages(db.session())
        db.session.remove()
    results = measure(
        app,
        pages,
        runs=arguments.runs,
        only=arguments.only.split(",") if arguments.only else None,
        sql=arguments.sql,
        profile=arguments.profile,
    )
    if arguments.json:
        with open(arguments.json, "w") as out:
            json.dump(results, out, indent=2)


def bench_app(url: str, **settings: object) -> Flask:
    """The portal with the production configuration on `url`, its session cookie sent over
    the test client's plain HTTP, and an `X-Queries` header counting each request's SQL."""
    from app import create_app
    from config import ProductionConfig

    config = type(
        "BenchCpuConfig",
        (ProductionConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": database_url(url),
            # Read when `config` is imported, which may be before these are set.
            "SECRET_KEY": os.environ.get("SECRET_KEY") or "benchmark-only-not-secret",
            "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or "memory://",
            "SESSION_COOKIE_NAME": "session",
            "SESSION_COOKIE_SECURE": False,
            "SESSION_PROTECTION": "basic",
            **settings,
        },
    )
    app = create_app(config)

    @app.after_request
    def _header(response):
        response.headers["X-Queries"] = str(g.get("cpu_queries", 0))
        return response

    return app


_printing = {"on": False}


@event.listens_for(Engine, "before_cursor_execute")
def _count(_connection, _cursor, statement, *_args: object) -> None:
    if has_app_context():
        g.cpu_queries = g.get("cpu_queries", 0) + 1
    if _printing["on"]:
        print("  SQL:", " ".join(statement.split())[:300])


def measure(
    app: Flask,
    pages: Sequence[tuple[str, str, str]],
    *,
    runs: int,
    only: Sequence[str] | None = None,
    sql: str | None = None,
    profile: str | None = None,
    profiler: str = "cprofile",
) -> dict[str, dict]:
    """For each (name, email, path) in `pages`: sign in as `email` and GET `path` `runs` times
    after warming up; its statements, median and minimum CPU ms and minimum wall ms. The page
    named `profile` is then profiled over 20 more requests (cProfile, or `pyinstrument`)."""
    from app.auth.models import User
    from app.extensions import db

    with app.app_context():
        user_ids = {
            email: db.session.scalars(select(User).where(User.email == email)).one().get_id()
            for email in {email for _name, email, _path in pages}
        }
        db.session.remove()
    results: dict[str, dict] = {}
    for name, email, path in pages:
        if only and name not in only:
            continue
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user_ids[email]
            session["_fresh"] = True
            session["signed_in_at"] = session["last_seen"] = time.time()
        headers = {"User-Agent": "lep-bench/1.0"}
        _printing["on"] = sql == name
        first = client.get(path, headers=headers)
        _printing["on"] = False
        if first.status_code != 200:
            raise RuntimeError(f"{name}: {path} answered {first.status_code} {first.location}")
        queries = int(first.headers["X-Queries"])
        for _ in range(WARM_UP - 1):
            client.get(path, headers=headers)
        times, walls = [], []
        for _ in range(runs):
            started, wall = time.thread_time(), time.perf_counter()
            client.get(path, headers=headers)
            times.append((time.thread_time() - started) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        results[name] = {
            "path": path,
            "queries": queries,
            "cpu_ms_median": round(statistics.median(times), 1),
            "cpu_ms_min": round(min(times), 1),
            # Wall time includes the database's work (and, on a busy machine, waiting for a core).
            "wall_ms_min": round(min(walls), 1),
            "bytes": len(first.data),
        }
        print(
            f"{name:28} {queries:3} queries  {results[name]['cpu_ms_median']:7.1f} ms CPU"
            f"  {results[name]['wall_ms_min']:7.1f} ms wall (min)",
            flush=True,
        )
        if profile == name:
            _profile(partial(client.get, path, headers=headers), profiler)
    return results


def _profile(request, profiler: str) -> None:
    if profiler == "pyinstrument":
        from pyinstrument import Profiler

        sampler = Profiler(interval=0.0005, async_mode="disabled")
        sampler.start()
        for _ in range(20):
            request()
        sampler.stop()
        print(sampler.output_text(unicode=True, color=False, show_all=False))
        return
    tracer = cProfile.Profile()
    tracer.enable()
    for _ in range(20):
        request()
    tracer.disable()
    pstats.Stats(tracer).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(45)


if __name__ == "__main__":
    main()
