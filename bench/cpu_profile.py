"""`python -m bench.cpu_profile`: the CPU milliseconds of each key page on demo data, in process.

No national data, no gunicorn, no wrk: it migrates the database at `--database` (default
`CPU_PROFILE_DATABASE_URL`, else a SQLite file in the temporary directory), loads the demo
data with each key page's records (`bench.demo_pages`), signs in as each page's user with
Flask's test client under the production configuration, and times each page: the median of
`--runs` requests' `time.thread_time()` after warming up, as `bench.cpu` does on the
benchmark database. The machine is shared, so `--repeat 2` (the default) measures every page
twice and keeps the lower median.

    .venv/bin/python -m bench.cpu_profile \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/lep_cpu
    .venv/bin/python -m bench.cpu_profile --only mi --profile mi --profiler pyinstrument

`--profile NAME` profiles one page afterwards (cProfile by default, sorted by
`BENCH_SORT`, or pyinstrument's call tree); `--json FILE` writes the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from sqlalchemy import inspect

from bench.cpu import bench_app, measure

ROOT = Path(__file__).resolve().parent.parent


def default_url() -> str:
    return os.environ.get("CPU_PROFILE_DATABASE_URL") or (
        f"sqlite:///{Path(tempfile.gettempdir()) / 'lep-cpu-profile.sqlite'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cpu_profile")
    parser.add_argument("--database", default=default_url(), help="SQLAlchemy URL (its own)")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=2, help="measure each page N times")
    parser.add_argument("--only", default=None, help="comma-separated page names")
    parser.add_argument("--sql", default=None, help="a page name whose statements to print")
    parser.add_argument("--profile", default=None, help="a page name to profile")
    parser.add_argument("--profiler", choices=("cprofile", "pyinstrument"), default="cprofile")
    parser.add_argument("--json", default=None)
    arguments = parser.parse_args()
    app = bench_app(
        arguments.database,
        LOG_FORMAT="text",
        LOG_LEVEL="WARNING",
        # The records' passwords are never checked here: a cheap hash keeps the load quick.
        PASSWORD_HASH_METHOD="pbkdf2:sha256:1000",
    )

    from flask_migrate import upgrade

    from app.extensions import db
    from bench import demo_pages

    with app.app_context():
        if not inspect(db.engine).has_table("alembic_version"):
            print(f"Migrating {db.engine.url.render_as_string(hide_password=True)}", flush=True)
        upgrade(directory=str(ROOT / "migrations"))
        demo_pages.build()
        pages = demo_pages.key_pages()
        db.session.remove()
    only = arguments.only.split(",") if arguments.only else None
    rounds = [
        measure(app, pages, runs=arguments.runs, only=only, sql=arguments.sql if n == 0 else None)
        for n in range(arguments.repeat)
    ]
    results = {
        name: min((each[name] for each in rounds), key=lambda figures: figures["cpu_ms_median"])
        for name in rounds[0]
    }
    print(f"\nLower median of {arguments.repeat} rounds of {arguments.runs} requests:")
    print(f"{'page':28} {'queries':>7} {'CPU ms':>8} {'KB':>6}")
    for name, figures in results.items():
        print(
            f"{name:28} {figures['queries']:7} {figures['cpu_ms_median']:8.1f}"
            f" {figures['bytes'] / 1024:6.1f}"
        )
    if arguments.profile:
        measure(
            app,
            [page for page in pages if page[0] == arguments.profile],
            runs=1,
            profile=arguments.profile,
            profiler=arguments.profiler,
        )
    if arguments.json:
        with open(arguments.json, "w") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
