"""`flask agreements chase`: run daily from a scheduler."""

from __future__ import annotations

import click

from app.agreements import bp, services
from app.extensions import db


@bp.cli.command("chase")
def chase_command() -> None:
    """Remind employers of agreements left unconfirmed for five working days.

    Each version is chased once, however often (or however many copies at once) this runs:
    it is marked by an UPDATE that only changes it while it is still unmarked.
    """
    chased = services.chase_unconfirmed()
    db.session.commit()
    click.echo(f"Unconfirmed agreements chased: {chased}.")
