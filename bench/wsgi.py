"""The portal as production runs it, plus what the benchmark needs and production does not.

- `/bench/fortunes`: the reference page, with no business logic: one query for a few rows,
  one row added, sorted, rendered through a plain Jinja template (TechEmpower's "fortunes").
  Each key page's throughput is reported as a share of this page's, on the same machine in
  the same run.
- An `X-Queries` header on every response: the SQL statements the request ran.
- An `X-CPU-Ms` header: the CPU milliseconds this request's thread spent in the worker
  (`time.thread_time()` from the request's arrival to its response headers), so what a
  page costs is measured where it is spent, whatever else the machine is doing.

Run by `python -m bench` as `gunicorn bench.wsgi:app`; never deployed.
"""

from __future__ import annotations

import time

from flask import g, has_app_context, render_template_string
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from app import create_app
from app.accounts.models import District
from app.extensions import db
from app.policy import allow

app = create_app("production")

FORTUNES = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Fortunes</title></head><body>
<table><tr><th>id</th><th>message</th></tr>
{% for id, message in fortunes %}<tr><td>{{ id }}</td><td>{{ message }}</td></tr>
{% endfor %}</table></body></html>"""


@app.route("/bench/fortunes")
@allow("everyone")
def fortunes() -> str:
    rows = [tuple(row) for row in db.session.execute(select(District.id, District.name).limit(12))]
    rows.append(("0", "Additional fortune added at request time."))
    rows.sort(key=lambda row: row[1])
    return render_template_string(FORTUNES, fortunes=rows)


@event.listens_for(Engine, "before_cursor_execute")
def _count(*_args: object) -> None:
    if has_app_context():
        g.bench_queries = g.get("bench_queries", 0) + 1


@app.after_request
def _queries_header(response):
    response.headers["X-Queries"] = str(g.get("bench_queries", 0))
    return response


class _CpuTime:
    """WSGI middleware: the thread's CPU time from the request's arrival to its headers (the
    body is rendered by then), as the `X-CPU-Ms` header."""

    def __init__(self, wsgi_app) -> None:
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        started = time.thread_time()

        def timed_start_response(status, headers, exc_info=None):
            spent = (time.thread_time() - started) * 1000
            return start_response(status, [*headers, ("X-CPU-Ms", f"{spent:.2f}")], exc_info)

        return self.wsgi_app(environ, timed_start_response)


app.wsgi_app = _CpuTime(app.wsgi_app)  # type: ignore[method-assign]
