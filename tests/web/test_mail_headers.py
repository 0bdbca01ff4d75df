"""The email layer refuses a header with a line break when the message is queued (a clear
exception, never a message that silently fails later), and `flask mail status` lists the
failed messages with the reason each failed (issue 13)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.mail.models import OutboxMessage, OutboxStatus
from app.mail.services import UnsafeHeader, queue_email

CONTEXT = {
    "user": SimpleNamespace(name="Ada"),
    "sign_in_url": "https://portal.example/sign-in",
    "reset_url": "https://portal.example/forgot-password",
}


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


@pytest.mark.parametrize(
    ("recipient", "subject", "header"),
    [
        ("ada@example.org", "Candidates for X\r\nBcc: someone@example.com", "subject"),
        ("ada@example.org", "Candidates for X\nBcc: someone@example.com", "subject"),
        ("ada@example.org", "Candidates for X\r", "subject"),
        ("ada@example.org\r\nBcc: someone@example.com", "Welcome", "recipient"),
    ],
)
def test_a_header_with_a_line_break_is_refused_when_queued(app, recipient, subject, header):
    with pytest.raises(UnsafeHeader) as raised:
        queue_email(recipient, subject, "already_registered", **CONTEXT)
    assert raised.value.header == header
    assert f"The {header} of the 'already_registered' email contains a line break" in str(
        raised.value
    )
    assert outbox_count() == 0


def test_an_attachment_name_with_a_line_break_is_refused_too(app):
    with pytest.raises(UnsafeHeader):
        queue_email(
            "ada@example.org",
            "Interview",
            "already_registered",
            attachments=[("interview.ics\r\nX-Evil: 1", "text/calendar", "BEGIN:VCALENDAR")],
            **CONTEXT,
        )


def test_a_header_without_line_breaks_is_queued(app):
    message = queue_email(
        "ada@example.org", "Welcome to the portal", "already_registered", **CONTEXT
    )
    assert message in db.session and message.subject == "Welcome to the portal"


def test_mail_status_lists_failed_messages_with_their_reason(app):
    moment = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
    db.session.add_all(
        [
            OutboxMessage(
                recipient="nobody@example.org",
                subject="Your vacancy",
                text_body="…",
                kind="vacancy_live",
                status=OutboxStatus.FAILED,
                attempts=1,
                next_attempt_at=moment,
                last_error="SMTPRecipientsRefused: {'nobody@example.org': (550, b'No such user')}",
            ),
            OutboxMessage(
                recipient="fine@example.org",
                subject="Your agreement",
                text_body="…",
                kind="agreement_confirmation",
                status=OutboxStatus.SENT,
                attempts=1,
            ),
        ]
    )
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["mail", "status"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "failed: 1" in lines and "sent: 1" in lines
    (listed,) = [line for line in lines if "nobody@example.org" in line]
    assert listed.startswith("2026-11-20 09:30 UTC")
    assert "vacancy_live to nobody@example.org, after 1 attempt(s)" in listed
    assert "550" in listed and "No such user" in listed
    assert "fine@example.org" not in result.output


def test_mail_status_can_leave_the_failed_list_out(app):
    result = app.test_cli_runner().invoke(args=["mail", "status", "--failed", "0"])
    assert result.exit_code == 0 and "Failed messages" not in result.output
