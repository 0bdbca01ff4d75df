"""`flask api-keys create`: a key for scripts and tests, printed as the last word."""

from __future__ import annotations

import click
from flask import Blueprint

from app.api import keys
from app.auth.services import user_by_email
from app.extensions import db

cli_bp = Blueprint("api_keys_cli", __name__, cli_group="api-keys")


@cli_bp.cli.command("create")
@click.option("--email", required=True, help="An employer user of the organisation.")
@click.option("--name", required=True, help="What the key is for.")
def create(email: str, name: str) -> None:
    """Create an API key for the user's organisation and print it (it is not shown again)."""
    user = user_by_email(email)
    if user is None or user.membership is None:
        raise click.ClickException(f"No employer user has the email {email}")
    api_key, key = keys.create_key(user, name[:100])
    db.session.commit()
    click.echo(f"API key “{api_key.name}” for {user.membership.organisation.name}: {key}")
