"""Queue email in the caller's transaction; deliver it later, with retries and back-off.

Queuing never talks to a mail server, so a failed send can never undo the change that caused
the email, and a rolled-back change never sends one.

Delivering a message takes three steps, each its own short transaction:

1. **Claim.** One UPDATE marks the next due row `sending`, counts the attempt and sets a
   lease (`next_attempt_at` = now + `LEASE`), and commits. On PostgreSQL the row is picked with
   `FOR UPDATE SKIP LOCKED`, so several senders take different rows without waiting; on
   SQLite (which has neither) the single UPDATE statement is atomic under SQLite's one
   writer lock. Either way exactly one sender claims a row, and no row lock is held while
   talking to the mail server.
2. **Send** over SMTP, with a timeout.
3. **Record** the result: `sent`, or back to `pending` with a back-off, or `failed` for good
   after `MAX_ATTEMPTS` or a permanent refusal. The update names the attempt it belongs to,
   so a sender whose lease ran out can never overwrite a newer attempt's result.

If the process dies between 2 and 3 the row stays `sending` until its lease runs out, and is
then sent again. So delivery is at least once at the SMTP edge: a message can reach the
server twice only if a sender died (or lost its database) after the server accepted the
message and before step 3 committed. Every attempt carries the same Message-ID header,
`<row id@lep-portal>`, so a receiving server or mail program can drop the duplicate. No
other path sends a message twice: a running sender never takes a row another sender holds.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from typing import Self

from flask import current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound
from sqlalchemy import select, update
from sqlalchemy.orm import aliased

from app.extensions import db
from app.mail.models import OutboxMessage, OutboxStatus
from app.models_base import utcnow

log = logging.getLogger(__name__)

# With the back-off below, the tenth attempt comes about eight hours after the first: a
# mail server that is down overnight loses nothing that a morning check cannot recover.
MAX_ATTEMPTS = 10
# Longer than any one send can take (the SMTP timeout covers each step of it), so a lease
# only runs out when its sender has died.
LEASE = dt.timedelta(minutes=10)
SMTP_TIMEOUT_SECONDS = 30
MESSAGE_ID_DOMAIN = "lep-portal"


class UnsafeHeader(ValueError):
    """A header value for an email holds a line break. Raised when the message is queued, so
    the change behind it fails loudly at once; accepted, the message would fail for good when
    sent (`Header values may not contain linefeed`) with nobody told. A line break in a
    header is also how a hand-made answer would add headers of its own (`\r\nBcc: …`)."""

    def __init__(self, header: str, template: str, value: str) -> None:
        super().__init__(
            f"The {header} of the {template!r} email contains a line break (CR or LF), "
            f"so it cannot be sent: {value[:80]!r}"
        )
        self.header = header
        self.template = template


def check_header(header: str, value: str, template: str) -> None:
    if "\r" in value or "\n" in value:
        raise UnsafeHeader(header, template, value)


def recipient_language(email: str) -> str:
    """The language a recipient reads: their own choice, else the one their employer gave
    us, else English (the default for an address with no account, such as a provider's)."""
    from app.accounts.models import EmployerMembership, Organisation
    from app.auth.models import User
    from app.auth.rules import normalise_email

    row = db.session.execute(
        select(User.preferred_language, Organisation.preferred_language)
        .outerjoin(EmployerMembership, EmployerMembership.user_id == User.id)
        .outerjoin(Organisation, Organisation.id == EmployerMembership.organisation_id)
        .where(User.email == normalise_email(email))
        .limit(1)
    ).first()
    return (row and (row[0] or row[1])) or current_app.config["BABEL_DEFAULT_LOCALE"]


def queue_email(
    recipient: str,
    subject: str | Callable[[], str],
    template: str,
    *,
    attachments: list[tuple[str, str, str]] | None = None,
    language: str | None = None,
    **context: object,
) -> OutboxMessage:
    """Render `templates/email/<template>.txt` (and `.html` if present) into the outbox,
    in the recipient's language (`recipient_language`, or `language`).

    A recipient, subject or attachment name with a line break raises `UnsafeHeader`.

    Pass the subject as a lazy string (`lazy_gettext`) or a callable, so that it too is
    translated into the recipient's language rather than the sender's.
    `attachments` are text files as (filename, content type, content), such as
    ("interview.ics", "text/calendar; method=REQUEST", calendar_text).
    """
    check_header("recipient", recipient, template)
    for name, content_type, _content in attachments or []:
        check_header("attachment name", name, template)
        check_header("attachment type", content_type, template)
    context.setdefault("base_url", current_app.config["PORTAL_BASE_URL"].rstrip("/"))
    html_name = f"email/{template}.html"
    with force_locale(language or recipient_language(recipient)):
        subject = str(subject() if callable(subject) else subject)
        check_header("subject", subject, template)
        text_body = render_template(f"email/{template}.txt", subject=subject, **context)
        try:
            html_body = render_template(html_name, subject=subject, **context)
        except TemplateNotFound as error:
            if error.name != html_name:  # the HTML version exists but includes a missing file
                raise
            html_body = None
    message = OutboxMessage(
        recipient=recipient,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        kind=template,
        attachments=[
            {"filename": name, "content_type": content_type, "content": content}
            for name, content_type, content in attachments or []
        ],
    )
    db.session.add(message)
    return message


def retry_delay(attempts: int) -> dt.timedelta:
    """Exponential back-off: 1, 2, 4 ... minutes, at most four hours."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 240))


def message_id(outbox_id: uuid.UUID) -> str:
    """The Message-ID header: the same on every attempt, so duplicates can be recognised."""
    return f"<{outbox_id}@{MESSAGE_ID_DOMAIN}>"


@dataclass(frozen=True)
class Claimed:
    """A message this sender holds, copied out of the row so that sending it needs no
    database connection."""

    id: uuid.UUID
    attempt: int
    recipient: str
    subject: str
    text_body: str
    html_body: str | None
    attachments: list | None = None


def deliver_pending(limit: int = 100, now: dt.datetime | None = None) -> tuple[int, int]:
    """Send due messages one at a time; returns (sent, failed attempts this run).

    `now` fixes the clock (tests). When the mail server cannot be reached the run stops
    after that one failed attempt: the rest stay pending, untouched, for the next run.
    """
    sent = failed = 0
    _give_up_on_abandoned(now or utcnow())
    with SmtpTransport.from_config() as transport:
        for _ in range(limit):
            claimed = _claim(now or utcnow())
            if claimed is None:
                break
            try:
                _send(claimed, transport)
            except Exception as error:
                failed += 1
                permanent = _is_permanent(error)
                _record_failure(claimed, error, now or utcnow(), permanent=permanent)
                if _server_unreachable(error):
                    break
            else:
                _record_sent(claimed, now or utcnow())
                sent += 1
    return sent, failed


def _due(moment: dt.datetime, table=OutboxMessage):
    """Pending rows whose back-off is over, and rows whose sender's lease ran out."""
    return (
        table.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
        table.next_attempt_at <= moment,
        table.attempts < MAX_ATTEMPTS,
    )


def _claim(moment: dt.datetime) -> Claimed | None:
    candidate = aliased(OutboxMessage)
    next_due = (
        select(candidate.id)
        .where(*_due(moment, candidate))
        .order_by(candidate.next_attempt_at, candidate.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    row = db.session.execute(
        update(OutboxMessage)
        # The due test again: on SQLite the sub-select and the update are one statement
        # under one lock, on PostgreSQL the row is locked; both make the claim exclusive.
        .where(OutboxMessage.id == next_due, *_due(moment))
        .values(
            status=OutboxStatus.SENDING,
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=moment + LEASE,
        )
        .returning(
            OutboxMessage.id,
            OutboxMessage.attempts,
            OutboxMessage.recipient,
            OutboxMessage.subject,
            OutboxMessage.text_body,
            OutboxMessage.html_body,
            OutboxMessage.attachments,
        )
        .execution_options(synchronize_session=False)
    ).first()
    db.session.commit()
    return None if row is None else Claimed(*row)


def _record_sent(claimed: Claimed, moment: dt.datetime) -> None:
    db.session.execute(
        update(OutboxMessage)
        .where(*_this_attempt(claimed))
        .values(status=OutboxStatus.SENT, sent_at=moment, last_error=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _record_failure(
    claimed: Claimed, error: Exception, moment: dt.datetime, *, permanent: bool
) -> None:
    give_up = permanent or claimed.attempt >= MAX_ATTEMPTS
    db.session.execute(
        update(OutboxMessage)
        .where(*_this_attempt(claimed))
        .values(
            status=OutboxStatus.FAILED if give_up else OutboxStatus.PENDING,
            next_attempt_at=moment if give_up else moment + retry_delay(claimed.attempt),
            last_error=f"{type(error).__name__}: {error}"[:2000],
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if give_up:
        log.error(
            "Email %s failed for good after %s attempts: %s", claimed.id, claimed.attempt, error
        )
    else:
        log.warning("Email %s not sent (attempt %s): %s", claimed.id, claimed.attempt, error)


def _this_attempt(claimed: Claimed):
    return (
        OutboxMessage.id == claimed.id,
        OutboxMessage.status == OutboxStatus.SENDING,
        OutboxMessage.attempts == claimed.attempt,
    )


def _give_up_on_abandoned(moment: dt.datetime) -> None:
    """A row whose last allowed attempt was claimed by a sender that died is failed, not
    retried: it may well have been sent."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.next_attempt_at <= moment,
            OutboxMessage.attempts >= MAX_ATTEMPTS,
        )
        .values(
            status=OutboxStatus.FAILED,
            last_error="The sender stopped during the last attempt; it may have been sent",
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if result.rowcount:
        log.error("%s email(s) abandoned during their last attempt", result.rowcount)


# --- sending ---------------------------------------------------------------------------------


def build_email(claimed: Claimed) -> EmailMessage:
    config = current_app.config
    email = EmailMessage()
    email["Subject"] = claimed.subject
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = claimed.recipient
    email["Date"] = formatdate(usegmt=True)
    email["Message-ID"] = message_id(claimed.id)
    email.set_content(claimed.text_body)
    if claimed.html_body:
        email.add_alternative(claimed.html_body, subtype="html")
    for attachment in claimed.attachments or []:
        content_type, *raw_params = attachment["content_type"].split(";")
        maintype, _, subtype = content_type.strip().partition("/")
        params = dict(part.strip().split("=", 1) for part in raw_params if "=" in part)
        if maintype != "text":
            raise ValueError("only text attachments are kept in the outbox")
        email.add_attachment(
            attachment["content"],
            subtype=subtype,
            filename=attachment["filename"],
            params=params,
        )
    return email


def _send(claimed: Claimed, transport: SmtpTransport) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "memory":
        current_app.extensions.setdefault("mail_sent", []).append(claimed.id)
        return
    email = build_email(claimed)
    if backend == "console":
        log.warning("Email to %s: %s\n\n%s", claimed.recipient, claimed.subject, claimed.text_body)
        print(f"\n--- Email to {claimed.recipient}: {claimed.subject}\n{claimed.text_body}\n---\n")
        return
    transport.send(email)


class SmtpTransport:
    """One SMTP connection for a whole run, opened on the first message and read from the
    configuration then (so a changed MAIL_SERVER or MAIL_PORT takes effect on the next run)."""

    def __init__(self, config: dict) -> None:
        self.config = config
        self.connection: smtplib.SMTP | None = None

    @classmethod
    def from_config(cls) -> SmtpTransport:
        return cls(current_app.config)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port = config["MAIL_SERVER"], int(config["MAIL_PORT"])
        timeout = config.get("MAIL_TIMEOUT", SMTP_TIMEOUT_SECONDS)
        if config.get("MAIL_USE_SSL"):
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            connection = smtplib.SMTP(host, port, timeout=timeout)
            if config.get("MAIL_USE_TLS"):
                connection.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME") and config.get("MAIL_PASSWORD"):
            connection.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        return connection

    def send(self, email: EmailMessage) -> None:
        if self.connection is None:
            self.connection = self._connect()
        try:
            self.connection.send_message(email)
        except Exception as error:
            if _server_unreachable(error):
                self.close()
            raise

    def close(self) -> None:
        if self.connection is None:
            return
        connection, self.connection = self.connection, None
        try:
            connection.quit()
        except (OSError, smtplib.SMTPException):
            connection.close()


def _is_permanent(error: Exception) -> bool:
    """A refusal that will not change however often it is retried: an SMTP 5xx reply to
    this message, or a message that cannot be built (a header with a line break)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return isinstance(error, ValueError)


def _server_unreachable(error: Exception) -> bool:
    """The server, not the message, is the problem (no connection, a dropped connection, a
    421 "closing"): stop the run rather than spend an attempt of every message on it."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return False
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code == 421
    return isinstance(error, OSError)
