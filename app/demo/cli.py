"""`flask demo seed`: demonstration data and logins.

`flask demo national` is added to this group by `wsgi.py` from the `national` package, which
lives outside `app/`.
"""

from __future__ import annotations

import click

from app.demo import bp
from app.demo.seed import DEMO_PASSWORD, seed_demo
from app.extensions import db
from app.reports import rollups


@bp.cli.command("seed")
def seed_command() -> None:
    """Load districts, offices, staff of every role and four employers (idempotent)."""
    logins = seed_demo()
    # The MI rollups counted from the records, as `flask rollups refresh --full` does.
    rollups.refresh(db.session, full=True)
    db.session.commit()
    click.echo("\nDemo logins (password for all: " + DEMO_PASSWORD + ")")
    for email, what in logins:
        click.echo(f"  {email:<38} {what}")
