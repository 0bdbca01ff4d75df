"""`flask mail send`: deliver the outbox; run it from a scheduler every minute.
`flask mail status`: how many messages are in each state, for a quick health check, and the
newest failed messages with the reason each failed."""

from __future__ import annotations

import click
from sqlalchemy import func, select

from app.extensions import db
from app.mail import bp
from app.mail.models import OutboxMessage, OutboxStatus
from app.mail.services import deliver_pending


@bp.cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most messages to send this run.")
def send_command(limit: int) -> None:
    """Send pending email, retrying failures with back-off."""
    sent, failed = deliver_pending(limit=limit)
    click.echo(f"{sent} sent, {failed} failed")


@bp.cli.command("status")
@click.option(
    "--failed",
    "most_failed",
    default=20,
    show_default=True,
    help="Most failed messages to list, newest first (0: none).",
)
def status_command(most_failed: int) -> None:
    """Count the outbox's messages by state (pending, sending, sent, failed), then list the
    newest failed messages with the reason each failed."""
    counts = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    for status, count in sorted(counts, key=lambda row: row[0].value):
        click.echo(f"{status.value}: {count}")
    if most_failed <= 0:
        return
    failed = db.session.execute(
        select(
            OutboxMessage.id,
            OutboxMessage.next_attempt_at.label("failed_at"),
            OutboxMessage.kind,
            OutboxMessage.recipient,
            OutboxMessage.attempts,
            OutboxMessage.last_error,
        )
        .where(OutboxMessage.status == OutboxStatus.FAILED)
        # When it failed: a failed row keeps the time of its last attempt here (indexed).
        .order_by(OutboxMessage.next_attempt_at.desc(), OutboxMessage.id)
        .limit(most_failed)
    ).all()
    if failed:
        click.echo(f"\nFailed messages, newest first (at most {most_failed}):")
    for row in failed:
        reason = " ".join((row.last_error or "no reason recorded").split())
        click.echo(
            f"{row.failed_at:%Y-%m-%d %H:%M} UTC  {row.id}  {row.kind} to {row.recipient}, "
            f"after {row.attempts} attempt(s): {reason}"
        )
