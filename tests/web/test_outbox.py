"""The outbox delivers through a real SMTP server (aiosmtpd), survives the server going away,
gives up only after its last retry, never sends a rolled-back change's email, and can run
in a thread of the app during development.

These tests need real commits, so they use their own app on a temporary SQLite file rather
than the suite's rolled-back `app`; the suite's `db_session` fixture is switched off here.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func, select

from app import create_app
from app.agreements.models import Agreement, Channel, Measure
from app.agreements.services import AgreementTerms, MeasureTerms, record_agreement
from app.auth.models import Role
from app.extensions import db
from app.mail import services
from app.mail.models import OutboxMessage, OutboxStatus
from app.mail.sender import start_in_process_sender
from app.mail.services import (
    LEASE,
    MAX_ATTEMPTS,
    deliver_pending,
    message_id,
    queue_email,
    retry_delay,
)
from app.models_base import utcnow
from config import TestConfig
from tests.factories import OrganisationFactory, StaffFactory, employer_user


@pytest.fixture(autouse=True)
def db_session() -> Iterator[None]:
    """Replaces the suite's rolled-back session: these tests commit for real."""
    yield None


@pytest.fixture(scope="module")
def outbox_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    database = tmp_path_factory.mktemp("outbox") / "outbox.sqlite"

    class OutboxConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
        MAIL_BACKEND = "smtp"
        MAIL_SERVER = "127.0.0.1"
        MAIL_PORT = 9  # each test points this at its own server
        MAIL_TIMEOUT = 5

    app = create_app(OutboxConfig)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def outbox_db(outbox_app: Flask) -> Iterator[Flask]:
    """An app context on the file database, emptied after the test."""
    with outbox_app.app_context():
        try:
            yield outbox_app
        finally:
            db.session.rollback()
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
            db.session.commit()
            db.session.remove()


# --- a real SMTP server ----------------------------------------------------------------------


class Inbox:
    """Every message the server accepted, across restarts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], EmailMessage]] = []
        self._lock = threading.Lock()

    def add(self, recipients: list[str], message: EmailMessage) -> None:
        with self._lock:
            self.messages.append((recipients, message))

    def ids(self) -> Counter:
        return Counter(message["Message-ID"] for _, message in self.messages)


class Handler:
    """Accepts mail into an inbox. `later@` addresses get a temporary refusal (451),
    `nobody@` a permanent one (550); after `accept` messages it says it is shutting down
    (421), as a server does when it is being stopped."""

    def __init__(self, inbox: Inbox, accept: int | None = None, delay: float = 0) -> None:
        self.inbox = inbox
        self.accept = accept
        self.delay = delay
        self.accepted = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("later@"):
            return "451 4.3.0 Mailbox busy, try again later"
        if address.startswith("nobody@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.accept is not None and self.accepted >= self.accept:
            return "421 4.3.2 Service shutting down"
        if self.delay:
            await asyncio.sleep(self.delay)
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.inbox.add(list(envelope.rcpt_tos), message)
        self.accepted += 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    def __init__(self, app: Flask, handler: Handler) -> None:
        self.controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        self.controller.start()
        self.running = True
        # The outbox reads its settings at the start of each run: point it here.
        app.config["MAIL_PORT"] = self.controller.port

    def stop(self) -> None:
        if self.running:
            self.controller.stop()
            self.running = False


@contextmanager
def smtp_server(app: Flask, handler: Handler) -> Iterator[SmtpServer]:
    port = app.config["MAIL_PORT"]  # the app is shared by the worker's later tests
    server = SmtpServer(app, handler)
    try:
        yield server
    finally:
        server.stop()
        app.config["MAIL_PORT"] = port


# --- helpers ---------------------------------------------------------------------------------


def queue(count: int, *, to: str = "person{n}@example.org") -> list[uuid.UUID]:
    """Queue and commit `count` messages; their ids in queue order."""
    queued = []
    for n in range(count):
        queued.append(
            queue_email(
                to.format(n=n),
                f"Reset your password ({n})",
                "reset_password",
                user=SimpleNamespace(name=f"Person {n}"),
                link=f"http://localhost/reset-password/token-{n}",
            )
        )
        db.session.flush()
    ids = [message.id for message in queued]
    db.session.commit()
    return ids


@dataclass(frozen=True)
class Row:
    status: OutboxStatus
    attempts: int
    next_attempt_at: dt.datetime
    sent_at: dt.datetime | None
    last_error: str | None


def rows() -> dict[uuid.UUID, Row]:
    """The outbox as it is now. The read transaction is ended before returning: on SQLite
    an open reader would stop every sender from committing."""
    found = {
        row.id: Row(row.status, row.attempts, row.next_attempt_at, row.sent_at, row.last_error)
        for row in db.session.scalars(
            select(OutboxMessage).execution_options(populate_existing=True)
        )
    }
    db.session.rollback()
    return found


def body(message: EmailMessage, subtype: str = "plain") -> str:
    return message.get_body(preferencelist=(subtype,)).get_content()


def later(moment: dt.datetime, **delta: float) -> dt.datetime:
    return moment + dt.timedelta(**delta)


# --- delivery --------------------------------------------------------------------------------


def test_queued_mail_reaches_a_real_smtp_server_and_is_marked_sent(outbox_db):
    ids = queue(3)
    inbox = Inbox()
    with smtp_server(outbox_db, Handler(inbox)):
        assert deliver_pending(now=later(utcnow(), seconds=1)) == (3, 0)

    assert len(inbox.messages) == 3
    by_id = {message["Message-ID"]: (to, message) for to, message in inbox.messages}
    for n, outbox_id in enumerate(ids):
        recipients, message = by_id[message_id(outbox_id)]
        assert recipients == [f"person{n}@example.org"]
        assert message["To"] == f"person{n}@example.org"
        assert message["From"] == outbox_db.config["MAIL_DEFAULT_SENDER"]
        assert message["Subject"] == f"Reset your password ({n})"
        assert f"Dear Person {n}," in body(message)
        assert f"http://localhost/reset-password/token-{n}" in body(message)
    for row in rows().values():
        assert row.status is OutboxStatus.SENT
        assert row.attempts == 1
        assert row.sent_at is not None
        assert row.last_error is None


def test_an_agreement_confirmation_arrives_with_its_text_and_html_parts(outbox_db):
    owner = employer_user(OrganisationFactory(name="Harrow Bakery Ltd"), email="olu@harrow.example")
    lmra = StaffFactory(role=Role.LMRA, name="Lena Marsh")
    db.session.commit()
    record_agreement(
        owner.organisation,
        AgreementTerms(
            agreed_on=dt.date(2026, 11, 2),
            channel=Channel.PHONE,
            measures=[MeasureTerms(Measure.WORK_TRIALS, places=3)],
        ),
        lmra,
    )
    db.session.commit()

    inbox = Inbox()
    with smtp_server(outbox_db, Handler(inbox)):
        assert deliver_pending(now=later(utcnow(), seconds=1)) == (1, 0)
    [(recipients, message)] = inbox.messages
    assert recipients == ["olu@harrow.example"]
    assert message["Subject"] == "Your Local Employment Partnership agreement"
    assert "- Work trials: 3 places" in body(message)
    assert "Lena Marsh" in body(message)
    assert "http://localhost/agreement" in body(message)
    assert "3 places" in body(message, "html")
    assert 'href="http://localhost/agreement"' in body(message, "html")


def test_a_rolled_back_change_leaves_no_email(outbox_db):
    owner = employer_user()
    lmra = StaffFactory(role=Role.LMRA)
    db.session.commit()
    terms = AgreementTerms(
        agreed_on=dt.date(2026, 11, 2),
        channel=Channel.PHONE,
        measures=[MeasureTerms(Measure.OPEN_DAYS)],
    )
    record_agreement(owner.organisation, terms, lmra)
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    db.session.rollback()  # the change failed after the email was queued

    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(Agreement)) == 0
    inbox = Inbox()
    with smtp_server(outbox_db, Handler(inbox)):
        assert deliver_pending(now=later(utcnow(), minutes=5)) == (0, 0)
    assert inbox.messages == []


# --- the server goes away --------------------------------------------------------------------


def test_a_server_stopping_mid_run_loses_nothing_and_sends_nothing_twice(outbox_db):
    ids = queue(8)
    start = later(utcnow(), seconds=1)
    inbox = Inbox()

    # The server accepts three messages, then says it is shutting down, then is gone.
    first = SmtpServer(outbox_db, Handler(inbox, accept=3))
    assert deliver_pending(now=start) == (3, 1)
    first.stop()
    # Unreachable: one attempt is spent and the run stops, leaving the rest untouched.
    assert deliver_pending(now=start) == (0, 1)

    state = rows()
    sent = [i for i in ids if state[i].status is OutboxStatus.SENT]
    retrying = [
        i for i in ids if state[i].attempts == 1 and state[i].status is OutboxStatus.PENDING
    ]
    untouched = [i for i in ids if state[i].attempts == 0]
    assert len(sent) == 3 and len(retrying) == 2 and len(untouched) == 3
    assert not any(row.status is OutboxStatus.FAILED for row in state.values())
    for i in retrying:
        assert state[i].next_attempt_at == start + retry_delay(1)  # one minute
        assert state[i].last_error
    for i in untouched:
        assert state[i].status is OutboxStatus.PENDING

    # Still down after the back-off: each due message is tried once a run, the ones that
    # failed before backing off further (two minutes), none given up on.
    second_try = later(start, seconds=61)
    for _ in range(5):
        assert deliver_pending(now=second_try) == (0, 1)
    assert deliver_pending(now=second_try) == (0, 0)  # nothing else due yet
    state = rows()
    for i in untouched:
        assert state[i].attempts == 1
        assert state[i].next_attempt_at == second_try + retry_delay(1)
    for i in retrying:
        assert state[i].attempts == 2
        assert state[i].next_attempt_at == second_try + retry_delay(2)
    assert not any(row.status is OutboxStatus.FAILED for row in state.values())

    # The server comes back (on another port); after the back-off everything goes, once.
    with smtp_server(outbox_db, Handler(inbox)):
        assert deliver_pending(now=later(start, minutes=10)) == (5, 0)
        assert deliver_pending(now=later(start, minutes=60)) == (0, 0)

    received = inbox.ids()
    assert received == Counter({message_id(i): 1 for i in ids})
    assert all(row.status is OutboxStatus.SENT for row in rows().values())


class Crash(BaseException):
    """The process dies (a kill, a power cut): nothing after this point runs."""


def test_a_sender_that_dies_after_the_smtp_send_holds_the_message_until_its_lease_ends(
    outbox_db, monkeypatch
):
    [outbox_id] = queue(1)
    start = later(utcnow(), seconds=1)
    inbox = Inbox()
    with smtp_server(outbox_db, Handler(inbox)):
        real_record_sent = services._record_sent

        def die(*args, **kwargs):
            raise Crash

        monkeypatch.setattr(services, "_record_sent", die)
        with pytest.raises(Crash):
            deliver_pending(now=start)
        db.session.rollback()
        monkeypatch.setattr(services, "_record_sent", real_record_sent)

        row = rows()[outbox_id]
        assert row.status is OutboxStatus.SENDING
        assert row.attempts == 1
        assert row.next_attempt_at == start + LEASE
        # Other senders leave it alone while the lease lasts: no second copy.
        assert deliver_pending(now=later(start, minutes=5)) == (0, 0)
        assert len(inbox.messages) == 1

        # The lease runs out: nobody knows whether it went, so it goes again (at least
        # once), with the same Message-ID so the receiving side can drop the copy.
        assert deliver_pending(now=start + LEASE) == (1, 0)
    assert inbox.ids() == Counter({message_id(outbox_id): 2})
    row = rows()[outbox_id]
    assert row.status is OutboxStatus.SENT
    assert row.attempts == 2


def test_a_message_abandoned_during_its_last_attempt_is_failed_not_resent(outbox_db):
    [outbox_id] = queue(1)
    row = db.session.get(OutboxMessage, outbox_id)
    row.status = OutboxStatus.SENDING  # as a sender that died during its last attempt left it
    row.attempts = MAX_ATTEMPTS
    row.next_attempt_at = utcnow()
    db.session.commit()
    inbox = Inbox()
    with smtp_server(outbox_db, Handler(inbox)):
        assert deliver_pending(now=later(utcnow(), seconds=1)) == (0, 0)
    assert inbox.messages == []
    assert rows()[outbox_id].status is OutboxStatus.FAILED


# --- retries and giving up -------------------------------------------------------------------


def test_after_the_last_attempt_a_message_is_failed_for_good_and_not_retried(outbox_db):
    [busy] = queue(1, to="later@example.org")
    [fine] = queue(1, to="fine@example.org")
    moment = later(utcnow(), seconds=1)
    inbox = Inbox()
    with smtp_server(outbox_db, Handler(inbox)):
        for attempt in range(1, MAX_ATTEMPTS + 1):
            deliver_pending(now=moment)
            row = rows()[busy]
            assert row.attempts == attempt
            assert "451" in row.last_error
            if attempt < MAX_ATTEMPTS:
                assert row.status is OutboxStatus.PENDING
                assert row.next_attempt_at == moment + retry_delay(attempt)
                # Not due a moment before its back-off ends.
                assert deliver_pending(now=row.next_attempt_at - dt.timedelta(seconds=1)) == (0, 0)
                moment = row.next_attempt_at
        assert rows()[busy].status is OutboxStatus.FAILED
        assert deliver_pending(now=later(moment, days=30)) == (0, 0)
    assert rows()[busy].attempts == MAX_ATTEMPTS
    assert [to for to, _ in inbox.messages] == [["fine@example.org"]]
    assert rows()[fine].status is OutboxStatus.SENT


def test_the_back_off_doubles_up_to_four_hours():
    assert [retry_delay(n).total_seconds() / 60 for n in range(1, 11)] == [
        1,
        2,
        4,
        8,
        16,
        32,
        64,
        128,
        240,
        240,
    ]


def test_a_permanent_refusal_fails_at_once_and_the_run_goes_on(outbox_db):
    [refused] = queue(1, to="nobody@example.org")
    [fine] = queue(1, to="fine@example.org")
    inbox = Inbox()
    with smtp_server(outbox_db, Handler(inbox)):
        assert deliver_pending(now=later(utcnow(), seconds=1)) == (1, 1)
    state = rows()
    assert state[refused].status is OutboxStatus.FAILED
    assert state[refused].attempts == 1
    assert "550" in state[refused].last_error
    assert state[fine].status is OutboxStatus.SENT


# --- several senders -------------------------------------------------------------------------


def test_two_senders_at_once_on_sqlite_send_each_message_once(outbox_db):
    ids = queue(20)
    moment = later(utcnow(), seconds=1)
    inbox = Inbox()
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def sender() -> None:
        try:
            with outbox_db.app_context():
                barrier.wait(timeout=10)
                results.append(deliver_pending(now=moment))
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    with smtp_server(outbox_db, Handler(inbox, delay=0.005)):
        threads = [threading.Thread(target=sender) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert sum(sent for sent, _ in results) == 20
    assert inbox.ids() == Counter({message_id(i): 1 for i in ids})
    assert {row.attempts for row in rows().values()} == {1}


# --- the development sender ------------------------------------------------------------------


def test_the_in_process_sender_starts_only_when_configured(outbox_db, monkeypatch):
    assert start_in_process_sender(outbox_db) is None

    ids = queue(2)
    inbox = Inbox()
    with smtp_server(outbox_db, Handler(inbox)):
        monkeypatch.setitem(outbox_db.config, "MAIL_SEND_IN_PROCESS", True)
        monkeypatch.setitem(outbox_db.config, "MAIL_SEND_INTERVAL", 0.05)
        sender = start_in_process_sender(outbox_db)
        try:
            assert sender is not None and sender.daemon
            deadline = time.monotonic() + 10
            while len(inbox.messages) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            sender.stop()
            outbox_db.extensions.pop("outbox_sender", None)
    assert not sender.is_alive()
    assert inbox.ids() == Counter({message_id(i): 1 for i in ids})
