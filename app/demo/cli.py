"""`flask demo seed` and `flask demo national`: demonstration data and logins."""

from __future__ import annotations

import datetime as dt

import click
from flask import Blueprint, current_app

from app.demo.seed import DEMO_PASSWORD, seed_demo
from app.extensions import db

bp = Blueprint("demo", __name__, cli_group="demo")


@bp.cli.command("seed")
def seed_command() -> None:
    """Load districts, offices, staff of every role and four employers (idempotent)."""
    logins = seed_demo()
    click.echo("\nDemo logins (password for all: " + DEMO_PASSWORD + ")")
    for email, what in logins:
        click.echo(f"  {email:<38} {what}")


@bp.cli.command("national")
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
    from app.demo.national import BENCH_USERS, DEFAULT_SEED, load_national
    from app.demo.national_load import Refused

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
    click.echo(f"\nBenchmark logins (password for all: {DEMO_PASSWORD})")
    for email, what in BENCH_USERS:
        click.echo(f"  {email:<38} {what}")
