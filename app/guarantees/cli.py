"""`flask guarantees chase`: run daily from a scheduler, after midnight."""

from __future__ import annotations

import click

from app.extensions import db
from app.guarantees import bp, services


@bp.cli.command("chase")
def chase_command() -> None:
    """Email employers (and their single point of contact) about guaranteed interviews past
    their day with no interview and no reason recorded.

    Each guarantee is chased once, however often (or however many copies at once) this runs:
    it is marked by an UPDATE that only changes it while `chased_at` is still empty.
    """
    chased = services.chase_overdue()
    db.session.commit()
    click.echo(f"Overdue guaranteed interviews chased: {chased}.")
