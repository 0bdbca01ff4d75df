"""Helpers for web tests: sign in, fetch a page and check it is sound, count queries."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import html5lib
from flask import Flask, g, request_started
from flask.testing import FlaskClient
from sqlalchemy import event

from app import clock
from app.auth.models import User
from app.extensions import db


def sign_in(client: FlaskClient, user: User) -> FlaskClient:
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        # What signing in starts: the idle and absolute session limits count from here.
        session["signed_in_at"] = session["last_seen"] = time.time()
    return client


def sign_out(client: FlaskClient) -> FlaskClient:
    with client.session_transaction() as session:
        session.clear()
    return client


def check_html(html: str) -> None:
    """Valid HTML (html5lib in strict mode), unique ids and exactly one h1."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    document = parser.parse(html)
    ids = [element.get("id") for element in document.iter() if element.get("id")]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    headings = document.findall(".//h1")
    assert len(headings) == 1, f"expected one h1, found {len(headings)}"


def page_title(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.S)
    assert match, "page has no <title>"
    return re.sub(r"\s+", " ", match.group(1)).strip()


def get_page(
    client: FlaskClient, url: str, *, status: int = 200, title: str | None = None, **kwargs
) -> str:
    """GET a page, assert its status and title, and that its HTML is sound."""
    response = client.get(url, **kwargs)
    assert response.status_code == status, f"{url}: expected {status}, got {response.status_code}"
    html = response.get_data(as_text=True)
    if response.mimetype == "text/html" and not response.headers.get("HX-Request"):
        if title is not None:
            assert page_title(html).startswith(title), page_title(html)
        check_html(html)
    return html


def post_form(client: FlaskClient, url: str, data: dict, *, status: int | None = None, **kwargs):
    response = client.post(url, data=data, **kwargs)
    if status is not None:
        assert response.status_code == status, (
            f"{url}: expected {status}, got {response.status_code}: "
            + response.get_data(as_text=True)[:500]
        )
    return response


@contextmanager
def count_queries() -> Iterator[list[str]]:
    """Collect the SQL statements run inside the block."""
    statements: list[str] = []
    engine = db.engine

    def before(conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def visible_text(html: str) -> str:
    """The words a person reads in <main>: no tags or attributes, whose random tokens
    (the CSRF token, ids) could otherwise contain a word a test looks for."""
    match = re.search(r"<main\b.*?</main>", html, re.S)
    body = match.group(0) if match else html
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


# A signed CSRF token (itsdangerous: payload.timestamp.signature). Its timestamp is in
# seconds, so two pages served either side of a second differ in it and nowhere else.
SIGNED_TOKEN = re.compile(r"[\w-]{20,}\.[\w-]{4,8}\.[\w-]{20,}")


def without_tokens(html: str) -> str:
    """The page with each CSRF token masked: what remains is what a person could notice."""
    return SIGNED_TOKEN.sub("CSRF-TOKEN", html)


def freeze_clock(monkeypatch, moment: dt.datetime) -> dt.datetime:
    """Stop the portal's one clock at `moment` for this test (monkeypatch restarts it)."""
    monkeypatch.setattr(clock, "_frozen", None)  # registers the restore
    clock.set_frozen(moment)
    return moment


def freeze_today(monkeypatch, day: dt.date) -> dt.date:
    """Stop the clock at noon, UK time, on `day`: "today" everywhere in the portal."""
    freeze_clock(monkeypatch, dt.datetime.combine(day, dt.time(12), tzinfo=clock.LONDON))
    return day


def keep_day(monkeypatch, day: dt.date) -> None:
    """A module that counts its dates from a `TODAY` taken at import keeps that day when a
    run crosses midnight in the UK; otherwise the clock runs on as usual."""
    if clock.today() != day:
        freeze_today(monkeypatch, day)


def clear_g_on_each_request(application: Flask) -> Iterator[None]:
    """Start every request to `application` with an empty `g`, as each request does in
    production, until the generator is closed.

    The suite's `db_session` fixture keeps one app context pushed for the whole test and
    Flask reuses it for each request, so without this `g` (Flask-Login's loaded user,
    Flask-WTF's CSRF token) carries over from one request, and one client, to the next:
    a second client with no cookie would be "signed in" as the first client's user.
    The `fresh_request_globals` fixture (tests/conftest.py) does this for the test app.
    """

    def clear(sender: Flask, **extra: object) -> None:
        vars(g).clear()

    request_started.connect(clear, application, weak=False)
    try:
        yield
    finally:
        request_started.disconnect(clear, application)


def sequences_of(writes: Any, *, examples: int) -> Callable:
    """Hypothesis over sequences of 1 to 14 `writes`, each example in the test's own savepoint
    (so the function-scoped database fixture is fine) and never replayed from a database:
    the rollup property tests' one setting."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    def decorate(test: Callable) -> Callable:
        return settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        )(given(st.lists(writes, min_size=1, max_size=14))(test))

    return decorate
