"""Two instances of the portal on one database, as behind a load balancer: the sign-in
limit is one limit (counted in Redis), a session signed in on one instance works on the
other (sessions are signed cookies), and two mail senders at once deliver every email
exactly once (counted by Message-ID at a real SMTP server)."""

from __future__ import annotations

import re
import subprocess
import uuid
from collections import Counter

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app import models  # noqa: F401 - every mapper configured before the outbox is used
from app.demo.seed import DEMO_PASSWORD
from app.mail.models import OutboxMessage, OutboxStatus
from app.mail.services import message_id
from tests.system.servers import REPO, Inbox, flask_command, portal_environment, smtp_server
from tests.system.visitors import Visitor, location_path, page_title

pytestmark = pytest.mark.system

SIGN_IN_LIMIT = 5
EMAILS = 200
SENDERS = 2


@pytest.fixture(scope="module")
def instances(portal_database, rate_limits, start_gunicorn):
    settings = {
        "RATELIMIT_STORAGE_URI": rate_limits.url,
        "RATELIMIT_KEY_PREFIX": rate_limits.prefix,
        "SIGN_IN_RATE_LIMIT": f"{SIGN_IN_LIMIT} per minute",
    }
    return start_gunicorn(portal_database, count=2, **settings)


def test_the_sign_in_limit_is_one_limit_whichever_instance_answers(instances, rate_limits):
    rate_limits.clear()
    first, second = instances
    people = [Visitor(first.url), Visitor(second.url)]

    answers = [
        people[attempt % 2].sign_in("sme@demo.lep.example", "not the password")
        for attempt in range(SIGN_IN_LIMIT + 1)
    ]

    assert [answer.status_code for answer in answers] == [200] * SIGN_IN_LIMIT + [429]
    assert page_title(answers[-1].text).startswith("Too many attempts")
    # Each instance answered some of the attempts, and both now refuse, even the right
    # password: the counters are shared.
    for person in people:
        assert person.sign_in("sme@demo.lep.example", DEMO_PASSWORD).status_code == 429


def test_a_session_signed_in_on_one_instance_works_on_the_other(instances, rate_limits):
    rate_limits.clear()
    first, second = instances
    on_first = Visitor(first.url)
    on_second = on_first.at(second.url)

    signed_in = on_first.sign_in("lmra@demo.lep.example", DEMO_PASSWORD)
    assert signed_in.status_code == 302, signed_in.text[:500]
    # The production cookie, untouched: only the test's cookie jar treats loopback as secure.
    assert re.search(r"__Host-session=[^;]+; Secure;", signed_in.headers["Set-Cookie"])

    home = on_second.get("/")
    assert home.status_code == 200
    assert "Welcome, Priya Shah" in home.text
    queue = on_second.get("/call-backs")
    assert queue.status_code == 200
    # A form from one instance posts to the other: the CSRF token is in the signed session.
    signed_out = on_second.submit(queue, r"^/sign-out$", {})
    assert signed_out.status_code == 302
    assert location_path(signed_out) == "/signed-out"
    assert location_path(on_first.get("/call-backs")).startswith("/sign-in")


def queue_emails(engine: sa.Engine, count: int) -> list[uuid.UUID]:
    """Rows in the outbox, as the portal's writes would leave them."""
    ids = [uuid.uuid4() for _ in range(count)]
    with Session(engine) as session:
        session.add_all(
            OutboxMessage(
                id=outbox_id,
                recipient=f"employer{number}@example.org",
                subject=f"Message {number}",
                text_body=f"Message {number} of {count}.",
                kind="system_test",
            )
            for number, outbox_id in enumerate(ids)
        )
        session.commit()
    return ids


def test_two_mail_senders_at_once_deliver_each_email_exactly_once(portal_database, portal_engine):
    # The demo seed queues emails of its own (vouchers issued, agreements offered): this test
    # counts only its own, so it starts from an empty outbox.
    with Session(portal_engine) as session:
        session.execute(sa.delete(OutboxMessage))
        session.commit()
    ids = queue_emails(portal_engine, EMAILS)
    inbox = Inbox(senders=SENDERS, delay=0.005)

    with smtp_server(inbox) as port:
        environment = portal_environment(
            portal_database, MAIL_SERVER="127.0.0.1", MAIL_PORT=str(port), MAIL_BACKEND="smtp"
        )
        senders = [
            subprocess.Popen(
                flask_command("mail", "send"),
                cwd=REPO,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(SENDERS)
        ]
        reports = [sender.communicate(timeout=120) for sender in senders]

    for sender, (_, errors) in zip(senders, reports, strict=True):
        assert sender.returncode == 0, errors[-2000:]
    sent = [int(re.search(r"(\d+) sent, 0 failed", out).group(1)) for out, _ in reports]
    assert sum(sent) == EMAILS
    assert min(sent) > 0, sent  # both senders really worked, at the same time
    assert len(inbox.by_connection) == SENDERS
    assert inbox.message_ids == Counter({message_id(outbox_id): 1 for outbox_id in ids})
    with Session(portal_engine) as session:
        states = Counter(
            session.execute(
                sa.select(OutboxMessage.status, OutboxMessage.attempts).where(
                    OutboxMessage.id.in_(ids)
                )
            ).all()
        )
    assert states == Counter({(OutboxStatus.SENT, 1): EMAILS})
