"""`flask callbacks remind`: run from a scheduler, every 15 minutes or so."""

from __future__ import annotations

import click

from app.callbacks import bp, services
from app.extensions import db


@bp.cli.command("remind")
def remind_command() -> None:
    """Email LMRAs the call-backs due in the next 4 hours and coordinators the breaches.

    Each call-back is in one due-soon email and one breach email at most, however often
    (or however many copies at once) this runs.
    """
    counts = services.send_reminders()
    db.session.commit()
    click.echo(
        f"Call-backs due soon: {counts.due_soon} ({counts.lmra_emails} emails to LMRAs). "
        f"Breaches: {counts.breaches} ({counts.coordinator_emails} emails to coordinators)."
    )
