"""Which accounts a member of staff or an employer user may see."""

from __future__ import annotations

import uuid

from flask import abort
from flask_login import current_user
from sqlalchemy import select, true, union_all
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.accounts import team
from app.accounts.models import EmployerMembership, Organisation
from app.auth.models import Role, User
from app.extensions import db

# Roles that look after accounts across districts: they may open any account, and search
# all districts when they ask to (see `searchable_by`).
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


def employer_organisation_or_404(user: User, *, with_people: bool = True) -> Organisation:
    """The signed-in employer's organisation with its contact, district and head office, and
    (`with_people`, for the pages that list them) its sites and users."""
    statement = (
        select(Organisation)
        .join(EmployerMembership)
        .where(EmployerMembership.user_id == user.id)
        .options(
            joinedload(Organisation.contact),
            joinedload(Organisation.district),
            joinedload(Organisation.parent),
        )
    )
    if with_people:
        statement = statement.options(
            selectinload(Organisation.sites),
            selectinload(Organisation.memberships).selectinload(EmployerMembership.user),
        )
    organisation = db.session.scalar(statement)
    if organisation is None:
        abort(404)
    return organisation


def may_search_everywhere(user: User) -> bool:
    return user.role in SEE_ALL


def searchable_by(user: User, *, everywhere: bool = False):
    """Which accounts a member of staff's search lists, as a filter on Organisation.

    Account management is local (the evaluation in `shared/seeds`): LMRAs sign up and look
    after the SMEs of their local office, DAMs a portfolio in a geographic patch, and LEP
    coordinators and Champions work at district level. So everyone searches their own
    district, plus the accounts they are the single point of contact for and those
    accounts' branches wherever they are: a DAM who is a national employer's account manager
    finds its branches in every district (as `staff_may_see` lets them open them).

    Coordinators and admins may ask for every district (`everywhere`): they may open any
    account already (`SEE_ALL`), a coordinator links a branch to a head office in another
    district and validates starts at national employers' branches, and admins support the
    whole service. Their search still starts in their own district; nobody else's reaches
    further, so a Cardiff LMRA never lists employers in England.
    """
    if everywhere and may_search_everywhere(user):
        return true()
    head_offices = aliased(Organisation)
    # A UNION of index lookups, not an OR, which PostgreSQL answers by reading every
    # organisation in the country (see `queries.family`).
    ids = [
        select(Organisation.id).where(Organisation.contact_id == user.id),
        select(Organisation.id)
        .join(head_offices, head_offices.id == Organisation.parent_id)
        .where(head_offices.contact_id == user.id),
    ]
    if user.district_id is not None:
        ids.append(select(Organisation.id).where(Organisation.district_id == user.district_id))
    return Organisation.id.in_(union_all(*ids))


def member_or_404(membership_id: uuid.UUID):
    organisation = employer_organisation_or_404(current_user)
    membership = team.membership_or_none(organisation.id, membership_id)
    if membership is None:
        abort(404)
    return organisation, membership
