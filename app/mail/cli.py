"""`flask mail send`: deliver the outbox; run it from a scheduler every minute."""

from __future__ import annotations

import click
from flask import Blueprint

from app.mail.services import deliver_pending

bp = Blueprint("mail", __name__, cli_group="mail")


@bp.cli.command("send")
@click.option("--limit", default=500, show_default=True, help="Most messages to send this run.")
def send_command(limit: int) -> None:
    """Send pending email, retrying failures with back-off."""
    sent, failed = deliver_pending(limit=limit)
    click.echo(f"{sent} sent, {failed} failed")
