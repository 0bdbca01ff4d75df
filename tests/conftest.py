"""Test fixtures: one app per worker, each test in a transaction that is rolled back.

The same suite runs on SQLite (default) and PostgreSQL (TEST_DATABASE_URL). On PostgreSQL
each xdist worker gets its own schema so workers never see each other's rows.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.extensions import db
from config import TestConfig, database_url
from tests.helpers import clear_g_on_each_request

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def skip_or_fail(reason: str) -> None:
    """Skip locally; in CI a missing browser or database must fail, never pass quietly."""
    if IN_CI:
        pytest.fail(f"{reason} (CI must run these tests)")
    pytest.skip(reason)


def _schema_admin(sql: str) -> None:
    url = database_url(os.environ["TEST_DATABASE_URL"])
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.exec_driver_sql(sql)
    engine.dispose()


def _schema_name(worker: str) -> str:
    # One schema per worker of this run: two runs at once on one database never collide.
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID", str(os.getpid()))[:8]
    return f"test_{worker}_{run}"


def _database_url(worker: str) -> str:
    url = database_url(os.environ.get("TEST_DATABASE_URL", "sqlite://"))
    if not url.startswith("postgresql"):
        return url
    schema = _schema_name(worker)
    _schema_admin(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE; CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def worker_id_safe(request: pytest.FixtureRequest) -> str:
    worker = getattr(request.config, "workerinput", {}).get("workerid", "main")
    return worker


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production.

    The test holds an app context open (for factories); without this, requests would reuse
    it, so `g` (Flask-Login's cached user) and the session's identity map would leak from
    one request, or one client, into the next.
    """

    def open(self, *args, **kwargs):
        # What the test wrote so far is what the request sees; what the request wrote, the
        # test reads afresh afterwards.
        db.session.flush()
        try:
            with self.application.app_context():
                return super().open(*args, **kwargs)
        finally:
            db.session.expire_all()


def _compile_welsh_catalogue() -> None:
    """What `make setup` does, for a test run started without make: a stale .mo would
    test yesterday's Welsh."""
    from pathlib import Path

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = Path(__file__).parent.parent / "translations/cy/LC_MESSAGES/messages.po"
    mo = po.with_suffix(".mo")
    if po.exists() and (not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime):
        with po.open("rb") as source:
            catalog = read_po(source, locale="cy")
        temporary = mo.with_suffix(f".{os.getpid()}.tmp")
        with temporary.open("wb") as target:
            write_mo(target, catalog)
        temporary.replace(mo)  # atomic: xdist workers may compile at once


@pytest.fixture(scope="session")
def app(worker_id_safe: str) -> Iterator[Flask]:
    _compile_welsh_catalogue()

    class WorkerConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = _database_url(worker_id_safe)

    application = create_app(WorkerConfig)
    application.test_client_class = FreshContextClient
    # No app context is held between tests: each test's db_session fixture pushes its own,
    # so a test that needs none (a pure rule) really runs without one.
    with application.app_context():
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    if application.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        _schema_admin(f'DROP SCHEMA IF EXISTS "{_schema_name(worker_id_safe)}" CASCADE')


@pytest.fixture(autouse=True)
def db_session(request: pytest.FixtureRequest) -> Iterator[scoped_session]:
    """Bind the session to one outer transaction; the app's commits become savepoints."""
    if "app" not in request.fixturenames and not _needs_database(request):
        yield None
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        session = scoped_session(
            sessionmaker(
                bind=connection,
                join_transaction_mode="create_savepoint",
            ),
            scopefunc=original.registry.scopefunc,
        )
        db.session = session
        try:
            yield session
        finally:
            session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


def _needs_database(request: pytest.FixtureRequest) -> bool:
    # Pure rule tests (tests/rules) never touch the database or the app; browser tests
    # (tests/browser) run their own live server, whose commits must really commit.
    path = str(request.node.path).replace(os.sep, "/")
    return "tests/rules" not in path and "tests/browser" not in path


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def fresh_request_globals(app: Flask) -> Iterator[None]:
    """Each request starts with an empty `g`, as in production (see
    `tests.helpers.clear_g_on_each_request`). A module asks for it with
    `pytestmark = pytest.mark.usefixtures("fresh_request_globals")`."""
    yield from clear_g_on_each_request(app)


@pytest.fixture
def district():
    """A district; a module that needs a particular one (its postcode areas, say) defines
    its own."""
    from tests.factories import DistrictFactory

    return DistrictFactory(name="West Yorkshire")
