"""Queue email in the caller's transaction; deliver it later, with retries and back-off.

Queuing never talks to a mail server, so a failed send can never undo the change that caused
the email, and a rolled-back change never sends one.
"""

from __future__ import annotations

import datetime as dt
import logging

from flask import current_app, render_template
from flask_mail import Message
from sqlalchemy import select

from app.extensions import db, mail
from app.mail.models import OutboxMessage, OutboxStatus
from app.models_base import utcnow

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def queue_email(recipient: str, subject: str, template: str, **context: object) -> OutboxMessage:
    """Render `templates/email/<template>.txt` (and `.html` if present) into the outbox."""
    context.setdefault("base_url", current_app.config["PORTAL_BASE_URL"].rstrip("/"))
    text_body = render_template(f"email/{template}.txt", subject=subject, **context)
    try:
        html_body = render_template(f"email/{template}.html", subject=subject, **context)
    except Exception as error:
        if type(error).__name__ != "TemplateNotFound":
            raise
        html_body = None
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        kind=template,
    )
    db.session.add(message)
    return message


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential back-off: 1, 2, 4 ... minutes, at most an hour."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def _send(message: OutboxMessage) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        current_app.extensions.setdefault("mail_sent", []).append(message.id)
        return
    if backend == "console":
        log.warning("Email to %s: %s\n\n%s", message.recipient, message.subject, message.text_body)
        print(f"\n--- Email to {message.recipient}: {message.subject}\n{message.text_body}\n---\n")
        return
    mail.send(
        Message(
            subject=message.subject,
            recipients=[message.recipient],
            body=message.text_body,
            html=message.html_body,
            extra_headers={"Message-ID": f"<{message.id}@lep-portal>"},
        )
    )


def deliver_pending(limit: int = 100, now: dt.datetime | None = None) -> tuple[int, int]:
    """Send due messages one at a time; returns (sent, failed this run).

    Each message is claimed in its own transaction. On PostgreSQL `FOR UPDATE SKIP LOCKED`
    lets several senders run at once without sending anything twice.
    """
    sent = failed = 0
    for _ in range(limit):
        moment = now or utcnow()
        statement = (
            select(OutboxMessage)
            .where(
                OutboxMessage.status == OutboxStatus.PENDING,
                OutboxMessage.next_attempt_at <= moment,
            )
            .order_by(OutboxMessage.next_attempt_at)
            .limit(1)
            .with_for_update(skip_locked=True)
        )
        message = db.session.scalars(statement).first()
        if message is None:
            db.session.rollback()
            break
        message.attempts += 1
        try:
            _send(message)
        except Exception as error:
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            else:
                message.next_attempt_at = moment + retry_delay(message.attempts)
            failed += 1
            log.warning("Email %s not sent (attempt %s): %s", message.id, message.attempts, error)
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            sent += 1
        db.session.commit()
    return sent, failed
