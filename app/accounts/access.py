"""Which accounts a member of staff or an employer user may see."""

from __future__ import annotations

import uuid

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import EmployerMembership, Organisation
from app.auth.models import Role, User
from app.extensions import db

# Roles that look after accounts across districts.
SEE_ALL = (Role.ADMIN, Role.COORDINATOR)


def staff_may_see(user: User, organisation: Organisation) -> bool:
    """Staff see the accounts of their district; the contact of an account (a national
    account manager) sees it and its branches wherever they are; admins and coordinators
    see every account."""
    if user.role in SEE_ALL:
        return True
    if user.district_id is not None and user.district_id == organisation.district_id:
        return True
    if organisation.contact_id == user.id:
        return True
    parent = organisation.parent
    return parent is not None and parent.contact_id == user.id


def staff_account_or_404(user: User, organisation_id: uuid.UUID) -> Organisation:
    organisation = db.session.scalar(
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .options(
            joinedload(Organisation.contact),
            joinedload(Organisation.district),
            joinedload(Organisation.parent),
        )
    )
    if organisation is None or not staff_may_see(user, organisation):
        abort(404)
    return organisation


def employer_organisation_or_404(user: User) -> Organisation:
    organisation = db.session.scalar(
        select(Organisation)
        .join(EmployerMembership)
        .where(EmployerMembership.user_id == user.id)
        .options(
            joinedload(Organisation.contact),
            joinedload(Organisation.district),
            joinedload(Organisation.parent),
            selectinload(Organisation.sites),
            selectinload(Organisation.memberships).selectinload(EmployerMembership.user),
        )
    )
    if organisation is None:
        abort(404)
    return organisation
