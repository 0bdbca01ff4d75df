"""Alembic migrations: a fresh database migrated to head has exactly the models' schema (no
drift), and the migrations go down to nothing and up again.

Runs on a temporary SQLite file always, and on PostgreSQL (a fresh schema) as well when
TEST_DATABASE_URL names one.
"""

from __future__ import annotations

import logging.config
import os
import uuid
from collections.abc import Iterator

import flask_migrate
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask

from app import create_app
from app.extensions import db
from config import TestConfig, database_url


def _backends() -> list[str]:
    url = database_url(os.environ.get("TEST_DATABASE_URL", ""))
    return ["sqlite", "postgresql"] if url.startswith("postgresql") else ["sqlite"]


@pytest.fixture(params=_backends())
def fresh_database_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    base = database_url(os.environ["TEST_DATABASE_URL"])
    schema = f"migrations_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in base else "?"
    try:
        yield f"{base}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def migration_app(fresh_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    # migrations/env.py applies alembic.ini's logging setup, which disables every logger
    # already created; in a test process that would silence the app's loggers for the tests
    # that follow.
    monkeypatch.setattr(logging.config, "fileConfig", lambda *args, **kwargs: None)
    config = type("MigrationConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": fresh_database_url})
    application = create_app(config)
    with application.app_context():
        try:
            yield application
        finally:
            db.engine.dispose()


def schema_drift() -> list[str]:
    """What autogenerate would write to make the database match the models, one line each."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    return [_describe(difference) for difference in differences]


def _describe(difference) -> str:
    if isinstance(difference, list):  # column changes come as a list of tuples
        return "; ".join(_describe(item) for item in difference)
    operation, *details = difference
    named = [getattr(detail, "name", None) or str(detail) for detail in details]
    return " ".join([operation, *(name for name in named if name)])[:200]


def tables() -> set[str]:
    return set(sa.inspect(db.engine).get_table_names())


def current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision(application: Flask) -> str:
    config = application.extensions["migrate"].migrate.get_config(
        application.extensions["migrate"].directory
    )
    [head] = ScriptDirectory.from_config(config).get_heads()  # one head: no unmerged branches
    return head


def test_migrations_to_head_give_exactly_the_models_schema(migration_app):
    flask_migrate.upgrade()

    assert current_revision() == head_revision(migration_app)
    assert schema_drift() == [], "the models and the migrations differ: write a migration"
    model_tables = {table.name for table in db.metadata.sorted_tables}
    assert tables() == model_tables | {"alembic_version"}


def test_migrations_go_down_to_nothing_and_up_again(migration_app):
    flask_migrate.upgrade()

    flask_migrate.downgrade(revision="base")
    assert tables() <= {"alembic_version"}
    assert current_revision() is None

    flask_migrate.upgrade()
    assert current_revision() == head_revision(migration_app)
    assert schema_drift() == []
