"""`flask outcomes ask-sustainment`: run daily from a scheduler."""

from __future__ import annotations

import click

from app import clock
from app.extensions import db
from app.outcomes import bp, services


@bp.cli.command("ask-sustainment")
def ask_sustainment_command() -> None:
    """Email employers whose starters reached 13 or 26 weeks: are they still employed?

    Each check is asked once, however often (or however many copies at once) this runs: a
    check is claimed by an UPDATE that only changes it while it is still unasked.
    """
    on = clock.today()
    checks = emails = 0
    while True:
        counts = services.ask_sustainment(on)
        db.session.commit()
        if counts.checks == 0:
            break
        checks += counts.checks
        emails += counts.emails
    click.echo(f"Sustainment checks asked: {checks}. Emails to employers: {emails}.")
