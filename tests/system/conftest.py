"""Fixtures for the portal as several processes: fresh PostgreSQL databases, gunicorn
instances, Redis for shared rate limits.

These tests talk to real processes over loopback HTTP and commit for real, so the suite's
rolled-back `db_session` is switched off here. Each run makes databases of its own on the
shared server (`lep_system_<8 hex>`), migrated and seeded once into a template and copied
for each module, and drops them at the end, whatever happened.
"""

from __future__ import annotations

import os
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from config import database_url
from tests.conftest import skip_or_fail
from tests.system.servers import Gunicorn, migrate_and_seed, portal_environment

RUN = uuid.uuid4().hex[:8]
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The fault test last: it needs nothing from the shared server, so the other modules'
    databases are dropped in the background meanwhile."""
    faults = Path(__file__).with_name("test_faults.py")
    items.sort(key=lambda item: item.path == faults)


@pytest.fixture(autouse=True)
def db_session() -> Iterator[None]:
    """Replaces the suite's rolled-back session: nothing here uses the app in-process."""
    yield None


@pytest.fixture(scope="session")
def admin_engine() -> Iterator[sa.Engine]:
    """A connection to the shared PostgreSQL server for creating and dropping databases."""
    url = database_url(os.environ.get("TEST_DATABASE_URL", ""))
    if not url.startswith("postgresql"):
        skip_or_fail("needs PostgreSQL: set TEST_DATABASE_URL to a postgresql:// URL")
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT", poolclass=sa.NullPool)
    try:
        with engine.connect():
            pass
    except sa.exc.OperationalError as error:
        engine.dispose()
        skip_or_fail(f"PostgreSQL at TEST_DATABASE_URL does not answer: {error}")
    yield engine
    engine.dispose()


class Databases:
    """The databases this run makes on the shared server, and their dropping.

    Every DROP DATABASE waits for a checkpoint, which takes seconds on a busy server, so a
    module's database is dropped in the background while the next module runs, and the run
    waits for every drop when it ends, failed or not."""

    def __init__(self, admin_engine: sa.Engine) -> None:
        self.admin_engine = admin_engine
        self.dropping: list[threading.Thread] = []
        self.failures: list[BaseException] = []

    def create(self, name: str, template: str | None = None) -> str:
        """A new database (a copy of `template`, if given); its URL."""
        copy = f' TEMPLATE "{template}"' if template else ""
        with self.admin_engine.connect() as connection:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"{copy}')
        return (
            make_url(self.admin_engine.url).set(database=name).render_as_string(hide_password=False)
        )

    def drop_soon(self, name: str) -> None:
        thread = threading.Thread(target=self._drop, args=(name,), name=f"drop {name}")
        thread.start()
        self.dropping.append(thread)

    def _drop(self, name: str) -> None:
        try:
            with self.admin_engine.connect() as connection:
                # FORCE: a gunicorn that did not stop cleanly may still be connected.
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        except sa.exc.SQLAlchemyError as error:
            self.failures.append(error)

    def wait(self) -> None:
        for thread in self.dropping:
            thread.join(timeout=120)
        if self.failures:
            raise self.failures[0]


@pytest.fixture(scope="session")
def databases(admin_engine: sa.Engine) -> Iterator[Databases]:
    made = Databases(admin_engine)
    try:
        yield made
    finally:
        made.wait()


@pytest.fixture(scope="session")
def seeded_template(databases: Databases) -> Iterator[str]:
    """A database migrated and seeded once per run, the template of every module's copy."""
    name = f"lep_system_{RUN}_template"
    url = databases.create(name)
    try:
        migrate_and_seed(url)
        yield name
    finally:
        databases.drop_soon(name)


@pytest.fixture(scope="module")
def portal_database(databases: Databases, seeded_template: str) -> Iterator[str]:
    """A fresh migrated and seeded database for one module; its URL."""
    name = f"lep_system_{uuid.uuid4().hex[:8]}"
    try:
        yield databases.create(name, template=seeded_template)
    finally:
        databases.drop_soon(name)


@pytest.fixture(scope="module")
def portal_engine(portal_database: str) -> Iterator[sa.Engine]:
    """The test's own connection to the module's database, to set up rows and check them."""
    engine = sa.create_engine(portal_database, pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", DEFAULT_REDIS_URL)
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        skip_or_fail(f"needs Redis at {url} (TEST_REDIS_URL): {error}")
    finally:
        client.close()
    return url


class RateLimits:
    """This module's rate-limit counters in Redis, under a key prefix of its own so that
    parallel runs never count each other's attempts."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.prefix = f"lep-system-{uuid.uuid4().hex[:8]}"
        self.client = redis.Redis.from_url(url)

    def clear(self) -> None:
        for key in self.client.scan_iter(match=f"*{self.prefix}*", count=500):
            self.client.delete(key)

    def close(self) -> None:
        self.clear()
        self.client.close()


@pytest.fixture(scope="module")
def rate_limits(redis_url: str) -> Iterator[RateLimits]:
    limits = RateLimits(redis_url)
    try:
        yield limits
    finally:
        limits.close()


@pytest.fixture(scope="module")
def start_gunicorn(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Callable[..., list[Gunicorn]]]:
    """Start instances of the portal, all at once (each imports the app: slow on two
    cores), and wait until each answers; every one is stopped when the module ends."""
    started: list[Gunicorn] = []
    logs = tmp_path_factory.mktemp("gunicorn")

    def start(
        database_url: str, *, count: int = 1, workers: int = 2, threads: int = 2, **settings: str
    ) -> list[Gunicorn]:
        instances = [
            Gunicorn(
                environment=portal_environment(database_url, **settings),
                log_path=Path(logs) / f"gunicorn-{len(started) + number}.log",
                workers=workers,
                threads=threads,
            )
            for number in range(count)
        ]
        started.extend(instances)
        for instance in instances:
            instance.launch()
        for instance in instances:
            instance.wait_until_answering()
        return instances

    try:
        yield start
    finally:
        for instance in started:
            instance.begin_stopping()
        for instance in started:
            instance.finish_stopping()
