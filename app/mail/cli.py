"""`flask mail send`: deliver the outbox; run it from a scheduler every minute.
`flask mail status`: how many messages are in each state, for a quick health check."""

from __future__ import annotations

import click
from flask import Blueprint
from sqlalchemy import func, select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.services import deliver_pending

bp = Blueprint("mail", __name__, cli_group="mail")


@bp.cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most messages to send this run.")
def send_command(limit: int) -> None:
    """Send pending email, retrying failures with back-off."""
    sent, failed = deliver_pending(limit=limit)
    click.echo(f"{sent} sent, {failed} failed")


@bp.cli.command("status")
def status_command() -> None:
    """Count the outbox's messages by state (pending, sending, sent, failed)."""
    counts = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    for status, count in sorted(counts, key=lambda row: row[0].value):
        click.echo(f"{status.value}: {count}")
