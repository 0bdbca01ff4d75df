"""Several outbox senders at once on PostgreSQL: each message is sent exactly once.

Real committed rows in a schema of this worker's own (created and dropped here), real
threads each with its own session and connection, and a real SMTP server counting what
arrives by Message-ID.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import Counter
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from sqlalchemy.orm import Session

from app import create_app
from app.extensions import db
from app.mail import services
from app.mail.models import OutboxMessage, OutboxStatus
from app.mail.services import deliver_pending, message_id
from app.models_base import utcnow
from config import TestConfig, database_url
from tests.conftest import skip_or_fail
from tests.web.test_outbox import Handler, Inbox, queue, rows, smtp_server

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def db_session() -> Iterator[None]:
    """Replaces the suite's rolled-back session: these tests commit for real."""
    yield None


@pytest.fixture(scope="module")
def pg_app(worker_id_safe: str) -> Iterator[Flask]:
    url = database_url(os.environ.get("TEST_DATABASE_URL", ""))
    if not url.startswith("postgresql"):
        skip_or_fail("needs PostgreSQL: set TEST_DATABASE_URL to a postgresql:// URL")
    schema = f"test_{worker_id_safe}_outbox"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    separator = "&" if "?" in url else "?"

    class PostgresOutboxConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"{url}{separator}options=-csearch_path%3D{schema}"
        SQLALCHEMY_ENGINE_OPTIONS = {"pool_size": 4}
        MAIL_BACKEND = "smtp"
        MAIL_SERVER = "127.0.0.1"
        MAIL_PORT = 9
        MAIL_TIMEOUT = 5

    app = create_app(PostgresOutboxConfig)
    try:
        with app.app_context():
            db.create_all()
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


@pytest.fixture
def pg_outbox(pg_app: Flask) -> Iterator[Flask]:
    with pg_app.app_context():
        try:
            yield pg_app
        finally:
            db.session.rollback()
            db.session.execute(sa.delete(OutboxMessage))
            db.session.commit()
            db.session.remove()


def test_two_senders_at_once_send_each_message_exactly_once(pg_outbox):
    ids = queue(40)
    moment = utcnow() + dt.timedelta(seconds=1)
    inbox = Inbox()
    results: dict[str, tuple[int, int]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def sender(name: str) -> None:
        try:
            with pg_outbox.app_context():
                db.session.connection()  # connected before the barrier: only the work races
                db.session.commit()
                barrier.wait(timeout=10)
                results[name] = deliver_pending(now=moment)
                db.session.remove()
        except BaseException as error:
            barrier.abort()
            errors.append(error)

    # The server takes a moment over each message, so the two senders overlap.
    with smtp_server(pg_outbox, Handler(inbox, delay=0.01)):
        threads = [threading.Thread(target=sender, args=(name,)) for name in ("ann", "bob")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert not errors, errors
    assert sum(sent for sent, _ in results.values()) == 40
    assert all(failed == 0 for _, failed in results.values())
    assert min(sent for sent, _ in results.values()) > 0, results  # both really worked
    assert inbox.ids() == Counter({message_id(i): 1 for i in ids})
    state = rows()
    assert {row.status for row in state.values()} == {OutboxStatus.SENT}
    assert {row.attempts for row in state.values()} == {1}  # no message claimed twice


def test_a_sender_skips_a_message_another_sender_is_claiming_rather_than_waiting(pg_outbox):
    first, second = queue(2)
    moment = utcnow() + dt.timedelta(seconds=1)
    with Session(db.engine) as other_sender:
        # Another sender is in the middle of claiming the first message: it holds its lock.
        other_sender.execute(
            sa.select(OutboxMessage.id).where(OutboxMessage.id == first).with_for_update()
        ).one()
        claimed = services._claim(moment)
        assert claimed is not None and claimed.id == second
        assert services._claim(moment) is None  # the first is locked, not due to anyone else
        other_sender.rollback()
    assert services._claim(moment).id == first
    db.session.commit()
