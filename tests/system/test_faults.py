"""The database restarts under a stream of writes: the portal answers 503 with its own page
while it is down (no 500, no dropped connection, no dead worker), recovers by itself when it
is back, and every write it acknowledged before, during or after is in the database.

The PostgreSQL server is the test's own, started from the installed binaries by
pytest-postgresql, never the shared one: stopping that would break every other test run.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from glob import glob
from pathlib import Path

import psycopg
import pytest
import requests
import sqlalchemy as sa
from pytest_postgresql import factories
from pytest_postgresql.executors import PostgreSQLExecutor

from app.demo.seed import DEMO_PASSWORD
from tests.conftest import skip_or_fail
from tests.system.servers import migrate_and_seed
from tests.system.simulated_users import vacancy_answers
from tests.system.visitors import Visitor, location_path, page_title

pytestmark = pytest.mark.system

UNAVAILABLE = "Sorry, the service is unavailable"
OUTAGE_SECONDS = 4
RECOVERY_SECONDS = 30
EMPLOYER = "sme@demo.lep.example"


def pg_ctl() -> str | None:
    """The installed pg_ctl; as root, a wrapper that runs it as the postgres account."""
    installed = glob("/usr/lib/postgresql/*/bin/pg_ctl")  # Debian's, one per major version
    found = shutil.which("pg_ctl") or max(
        installed, key=lambda path: int(Path(path).parents[1].name), default=None
    )
    if found is None or os.geteuid() != 0:
        return found
    return str(Path(__file__).with_name("pg_ctl_unprivileged"))


PG_CTL = pg_ctl()
throwaway_postgresql = factories.postgresql_proc(port=None, executable=PG_CTL or "pg_ctl")


@pytest.fixture(scope="session")
def unprivileged_clusters() -> Iterator[None]:
    """As root: a directory of the postgres account's for the throwaway cluster (see
    pg_ctl_unprivileged), removed after the server has stopped."""
    if os.geteuid() != 0:
        yield
        return
    clusters = Path(tempfile.mkdtemp(prefix="lep-system-postgresql-"))
    shutil.chown(clusters, os.environ.get("PG_CTL_ACCOUNT", "postgres"))
    os.environ["LEP_PG_CLUSTERS"] = str(clusters)
    try:
        yield
    finally:
        del os.environ["LEP_PG_CLUSTERS"]
        shutil.rmtree(clusters, ignore_errors=True)


@pytest.fixture(scope="module")
def database_server(request: pytest.FixtureRequest) -> PostgreSQLExecutor:
    if PG_CTL is None:
        skip_or_fail("needs the PostgreSQL server binaries (pg_ctl) for a throwaway server")
    # Set up first so that it is torn down last, after the server has stopped.
    request.getfixturevalue("unprivileged_clusters")
    return request.getfixturevalue("throwaway_postgresql")


@pytest.fixture(scope="module")
def fault_database(database_server: PostgreSQLExecutor) -> str:
    """A database on the throwaway server, migrated and seeded; its URL."""
    name = "lep_faults"
    with psycopg.connect(
        host=database_server.host,
        port=database_server.port,
        user=database_server.user,
        dbname="postgres",
        autocommit=True,
    ) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    url = (
        f"postgresql+psycopg://{database_server.user}@{database_server.host}:"
        f"{database_server.port}/{name}"
    )
    migrate_and_seed(url)
    return url


@pytest.fixture(scope="module")
def portal(fault_database, start_gunicorn):
    (instance,) = start_gunicorn(fault_database, workers=2, threads=2)
    return instance


@dataclass
class Writer:
    """An employer saving one draft vacancy after another, with the form fetched once (its
    CSRF token lasts the session), so every save during the outage reaches the database."""

    visitor: Visitor
    stopping: threading.Event = field(default_factory=threading.Event)
    acknowledged: dict[uuid.UUID, str] = field(default_factory=dict)
    unavailable: int = 0
    problems: list[str] = field(default_factory=list)
    hidden: dict[str, str] = field(default_factory=dict)  # the form's CSRF token
    site: str = ""
    thread: threading.Thread | None = None

    def start(self) -> Writer:
        page = self.visitor.get("/vacancies/new")
        form = self.visitor.form(page, r"^/vacancies/new")
        self.hidden = form.hidden
        self.site = next(value for value in form.radios["site"] if value != "new")
        self.thread = threading.Thread(target=self.run, name="writer", daemon=True)
        self.thread.start()
        return self

    def run(self) -> None:
        number = 0
        while not self.stopping.is_set():
            number += 1
            title = f"Fault writer {number}"
            fields = {**self.hidden, **vacancy_answers(title, self.site)}
            try:
                response = self.visitor.post("/vacancies/new", fields)
            except requests.RequestException as error:
                self.problems.append(f"{title}: no answer: {error!r}")
                continue
            if response.status_code == 302:
                self.acknowledged[uuid.UUID(location_path(response).split("/")[2])] = title
            elif response.status_code == 503 and page_title(response.text).startswith(UNAVAILABLE):
                self.unavailable += 1
            else:
                self.problems.append(
                    f"{title}: {response.status_code} {page_title(response.text)!r}"
                )
            time.sleep(0.02)

    def wait_for(self, condition, seconds: float, what: str) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"{what} within {seconds}s; problems: {self.problems[:5]}")
            time.sleep(0.05)

    def stop(self) -> None:
        self.stopping.set()
        if self.thread is not None:
            self.thread.join(timeout=30)


@pytest.fixture
def writer(portal) -> Iterator[Writer]:
    visitor = Visitor(portal.url)
    assert visitor.sign_in(EMPLOYER, DEMO_PASSWORD).status_code == 302
    running = Writer(visitor).start()
    try:
        yield running
    finally:
        running.stop()


def test_a_database_restart_gives_503_pages_then_recovers_losing_no_acknowledged_write(
    portal, database_server, fault_database, writer, capsys
):
    writer.wait_for(lambda: len(writer.acknowledged) >= 5, 30, "writes before the outage")
    workers = portal.worker_pids()
    reader = Visitor(portal.url)
    assert reader.sign_in("lmra@demo.lep.example", DEMO_PASSWORD).status_code == 302

    database_server.stop()  # pg_ctl stop -m fast: open connections are cut
    try:
        before_restart = len(writer.acknowledged)
        writer.wait_for(lambda: writer.unavailable >= 3, OUTAGE_SECONDS * 5, "503s in the outage")
        page = reader.get("/call-backs")
        assert page.status_code == 503
        assert page_title(page.text).startswith(UNAVAILABLE)
        assert "Priya Shah" not in page.text  # drawn without the database: nobody's navigation
        assert page.headers["Retry-After"].isdigit()
        time.sleep(OUTAGE_SECONDS)
        acknowledged_in_outage = len(writer.acknowledged) - before_restart
    finally:
        database_server.start()

    # The same gunicorn, the same workers: the pool replaces its dead connections.
    writer.wait_for(
        lambda: len(writer.acknowledged) >= before_restart + acknowledged_in_outage + 5,
        RECOVERY_SECONDS,
        "writes after the restart",
    )
    assert reader.get("/call-backs").status_code == 200
    writer.stop()

    assert writer.problems == [], portal.log_tail()
    assert portal.worker_pids() == workers
    assert acknowledged_in_outage <= 1  # at most one save committed as the server stopped
    engine = sa.create_engine(fault_database, poolclass=sa.NullPool)
    try:
        with engine.connect() as connection:
            saved = dict(
                connection.execute(
                    sa.text(
                        "SELECT id, job_title FROM vacancy WHERE job_title LIKE 'Fault writer %'"
                    )
                ).all()
            )
    finally:
        engine.dispose()
    missing = {key: title for key, title in writer.acknowledged.items() if saved.get(key) != title}
    assert missing == {}
    with capsys.disabled():
        print(
            f"\nFAULTS acknowledged={len(writer.acknowledged)} unavailable={writer.unavailable} "
            f"saved={len(saved)}"
        )
