"""`flask demo national`: the national data generator's command, added to the portal's `demo`
group by `register` (called from `wsgi.py`, so the app factory never imports this package).
"""

from __future__ import annotations

import datetime as dt
import time

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from app.demo.seed import DEMO_PASSWORD
from app.extensions import db


def register(app: Flask) -> None:
    """Add `national` to the app's `demo` command group (`flask demo national`)."""
    demo = app.cli.commands["demo"]
    assert isinstance(demo, click.Group), demo
    demo.add_command(national_command)


@click.command("national")
@with_appcontext
@click.option(
    "--scale",
    type=click.FloatRange(min=0, min_open=True),
    default=1.0,
    show_default=True,
    help="1 is the national picture (2,000,000 vacancies, 4,000,000 referrals); counts scale.",
)
@click.option("--seed", type=int, default=None, help="Same seed, same rows.  [default: 2008]")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="The day the data stands at.  [default: today]",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Empty every table first (a database holding data is refused otherwise).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes making rows (the rows are the same whatever the number).  [default: CPUs]",
)
def national_command(
    scale: float, seed: int | None, today: dt.datetime | None, replace: bool, workers: int | None
) -> None:
    """Fill the PostgreSQL database with national-scale demonstration data (COPY)."""
    from national.build import BENCH_USERS, DEFAULT_SEED, load_national
    from national.bulk import Refused

    url = db.engine.url
    if url.get_backend_name() != "postgresql":
        raise click.ClickException(
            f"National data needs PostgreSQL (it loads with COPY); DATABASE_URL is "
            f"{url.get_backend_name()}. Point DATABASE_URL at a migrated PostgreSQL database."
        )
    db.engine.dispose()  # the load uses connections of its own
    try:
        summary = load_national(
            url,
            scale=scale,
            seed=DEFAULT_SEED if seed is None else seed,
            today=today.date() if today else None,
            replace=replace,
            workers=workers,
            password_method=current_app.config.get("PASSWORD_HASH_METHOD", "scrypt"),
        )
    except Refused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"\nRows at scale {scale:g}:")
    for table, rows in sorted(summary.rows.items(), key=lambda item: -item[1]):
        click.echo(f"  {table:<22} {rows:>12,}")
    click.echo(f"  {'total':<22} {sum(summary.rows.values()):>12,}")
    minutes, seconds = divmod(round(summary.seconds), 60)
    click.echo(f"Loaded in {minutes} min {seconds} s.")
    # COPY bypasses the writes' marks: count the MI rollups from every record.
    from app.reports import rollups

    started = time.monotonic()
    rollups.refresh(db.session, full=True)
    db.session.commit()
    click.echo(f"Rollups counted in {time.monotonic() - started:.1f} s.")
    click.echo(f"\nBenchmark logins (password for all: {DEMO_PASSWORD})")
    for email, what in BENCH_USERS:
        click.echo(f"  {email:<38} {what}")
