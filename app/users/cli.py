"""`flask users create-staff`: invite a staff member from the command line."""

from __future__ import annotations

import click
from sqlalchemy import select

from app.accounts.models import Office
from app.auth.models import STAFF_ROLES, Role
from app.auth.services import invite_staff, user_by_email
from app.extensions import db
from app.users import bp


@bp.cli.command("create-staff")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice([r.value for r in STAFF_ROLES]))
@click.option("--office", "office_name", required=True, help="Office name, as in the admin page.")
@click.option("--phone", default=None)
def create_staff(email: str, name: str, role: str, office_name: str, phone: str | None) -> None:
    """Create a staff account and email an invitation to set a password."""
    if user_by_email(email) is not None:
        raise click.ClickException(f"There is already an account for {email}")
    office = db.session.scalar(select(Office).where(Office.name == office_name))
    if office is None:
        raise click.ClickException(f"No office is called {office_name!r}")
    person = invite_staff(
        email=email,
        name=name,
        role=Role(role),
        phone=phone,
        office_id=office.id,
        district_id=office.district_id,
    )
    db.session.commit()
    click.echo(f"Invited {person.name} <{person.email}> as {role}; the email is in the outbox.")
