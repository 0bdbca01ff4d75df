"""The fuzz tests run in the access matrix's world: a record of each kind and a signed-in user
for every role (`tests/test_access_matrix.py`, `tests/access/<area>.py`).

The world is built once per worker, in one transaction for the whole package, and each test
is rolled back to a savepoint (as each generated example is, inside the test): building it
for each of some 250 tests would take longer than the fuzzing. This `db_session` overrides
the suite's for these tests only.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy.orm import scoped_session, sessionmaker

from app.extensions import db
from tests.access.core import World
from tests.test_access_matrix import build_world


@pytest.fixture(scope="package")
def shared_world(app: Flask) -> Iterator[World]:
    """The suite's transaction-per-test arrangement (tests/conftest.py), held for the package."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=original.registry.scopefunc,
        )
        try:
            yield build_world()
        finally:
            db.session.remove()
            db.session = original
            transaction.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def db_session(shared_world: World) -> Iterator[scoped_session]:
    """Each test starts from the world as built, whatever the one before it did."""
    savepoint = db.session.begin_nested()
    db.session.connection()  # the SAVEPOINT is emitted lazily: now, before any request
    try:
        yield db.session
    finally:
        savepoint.rollback()
        db.session.expire_all()


@pytest.fixture
def world(shared_world: World) -> World:
    """The shared world; its dictionaries copied, as a test may add records to them."""
    return World(
        users=dict(shared_world.users),
        organisation=shared_world.organisation,
        records=dict(shared_world.records),
    )
