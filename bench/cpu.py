"""`python -m bench.cpu --runs N`: the CPU milliseconds and SQL statements of one request to
each key page, measured in process (Flask's test client, production configuration, the
benchmark database), so the figure does not depend on what else the machine is doing.

The CPU time is this thread's (`time.thread_time()`): the portal's Python, Jinja and the
database driver's work in the app process, not PostgreSQL's own. Prints a table and, with
`--json FILE`, writes the figures; `--profile NAME` prints cProfile's top functions for one
page.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import time

from flask import g, has_app_context
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from config import database_url

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/lep_bench"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cpu")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", default=None)
    parser.add_argument("--profile", default=None, help="a page name to profile")
    parser.add_argument("--only", default=None, help="comma-separated page names")
    parser.add_argument("--sql", default=None, help="a page name whose statements to print")
    arguments = parser.parse_args()
    url = database_url(os.environ.get("BENCH_DATABASE_URL") or DEFAULT_URL)
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-secret")
    os.environ.setdefault("RATELIMIT_STORAGE_URI", "memory://")

    from app import create_app
    from app.auth.models import User
    from app.extensions import db
    from config import ProductionConfig
    from national.build import bench_pages

    config = type(
        "BenchCpuConfig",
        (ProductionConfig,),
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SESSION_COOKIE_NAME": "session",
            "SESSION_COOKIE_SECURE": False,
            "SESSION_PROTECTION": "basic",
        },
    )
    app = create_app(config)

    printing = {"on": False}

    @event.listens_for(Engine, "before_cursor_execute")
    def _count(_connection, _cursor, statement, *_args: object) -> None:
        if has_app_context():
            g.cpu_queries = g.get("cpu_queries", 0) + 1
        if printing["on"]:
            print("  SQL:", " ".join(statement.split())[:300])

    @app.after_request
    def _header(response):
        response.headers["X-Queries"] = str(g.get("cpu_queries", 0))
        return response

    with app.app_context():
        pages = bench_pages(db.session())
        user_ids = {}
        for _name, email, _path in pages:
            user = db.session.scalar(select(User).where(User.email == email))
            if user is None:
                raise LookupError(f"no user {email}: load the national data first")
            user_ids[email] = user.get_id()
        db.session.remove()
    wanted = set(arguments.only.split(",")) if arguments.only else None
    results: dict[str, dict] = {}
    for name, email, path in pages:
        if wanted and name not in wanted:
            continue
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user_ids[email]
            session["_fresh"] = True
            session["signed_in_at"] = session["last_seen"] = time.time()
        headers = {"User-Agent": "lep-bench/1.0"}
        printing["on"] = arguments.sql == name
        first = client.get(path, headers=headers)
        printing["on"] = False
        if first.status_code != 200:
            raise RuntimeError(f"{name}: {path} answered {first.status_code} {first.location}")
        queries = int(first.headers["X-Queries"])
        times, walls = [], []
        for _ in range(arguments.runs):
            started, wall = time.thread_time(), time.perf_counter()
            client.get(path, headers=headers)
            times.append((time.thread_time() - started) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        results[name] = {
            "path": path,
            "queries": queries,
            "cpu_ms_median": round(statistics.median(times), 1),
            "cpu_ms_min": round(min(times), 1),
            # Wall time includes PostgreSQL's work (and, on a busy machine, waiting for a core).
            "wall_ms_min": round(min(walls), 1),
        }
        print(
            f"{name:28} {queries:3} queries  {results[name]['cpu_ms_median']:7.1f} ms CPU"
            f"  {results[name]['wall_ms_min']:7.1f} ms wall (min)"
        )
        if arguments.profile == name:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(5):
                client.get(path, headers=headers)
            profile.disable()
            pstats.Stats(profile).sort_stats(
                os.environ.get("BENCH_SORT", "cumulative")
            ).print_stats(45)
    if arguments.json:
        with open(arguments.json, "w") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
