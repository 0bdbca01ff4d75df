"""`flask rollups refresh`: bring the management information rollups up to date.

Run every minute from the scheduler (and after any bulk load with `--full`). Safe to run
twice at once: refreshes queue on an advisory lock, and recounting a day is idempotent.
"""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from app.extensions import db
from app.reports import rollups

#: `flask rollups …`, added to the app by `app.reports.register`.
rollups_cli = AppGroup("rollups", help="Keep the management information rollups current.")


@rollups_cli.command("refresh")
@click.option("--full", is_flag=True, help="Recount every day, not only the days written to.")
def refresh_command(full: bool) -> None:
    """Recount the days of each rollup that writes touched since the last refresh."""
    started = time.monotonic()
    recounted = rollups.refresh(db.session, full=full)
    db.session.commit()
    days = ", ".join(f"{name} {'all' if count < 0 else count}" for name, count in recounted.items())
    click.echo(f"Rollups refreshed in {time.monotonic() - started:.1f} s (days: {days}).")
