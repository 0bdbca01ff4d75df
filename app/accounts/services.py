"""Operations on employer accounts that change several records in one transaction."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import ContactChange, District, Organisation, SizeBand
from app.accounts.rules import ContactCandidate, choose_contact, postcode_area
from app.auth.models import Role, User
from app.extensions import db


def district_for_postcode(postcode: str) -> District | None:
    area = postcode_area(postcode)
    if area is None:
        return None
    for district in db.session.scalars(select(District).order_by(District.name)):
        if area in district.postcode_areas.split():
            return district
    return None


def contact_candidates(district_id: uuid.UUID) -> list[ContactCandidate]:
    """The district's active DAMs and LMRAs with their account counts, in one query."""
    accounts = (
        select(Organisation.contact_id, func.count().label("n"))
        .group_by(Organisation.contact_id)
        .subquery()
    )
    rows = db.session.execute(
        select(User.id, User.role, User.name, func.coalesce(accounts.c.n, 0))
        .outerjoin(accounts, accounts.c.contact_id == User.id)
        .where(
            User.district_id == district_id,
            User.active.is_(True),
            User.role.in_([Role.DAM, Role.LMRA]),
        )
    )
    return [
        ContactCandidate(staff_id=id_, role=role.value, accounts=n, name=name)
        for id_, role, name, n in rows
    ]


def assign_contact(
    organisation: Organisation,
    contact: User,
    *,
    changed_by: User | None,
    reason: str = "",
) -> ContactChange:
    change = ContactChange(
        organisation_id=organisation.id,
        from_contact_id=organisation.contact_id,
        to_contact_id=contact.id,
        changed_by_id=changed_by.id if changed_by else None,
        reason=reason,
    )
    organisation.contact_id = contact.id
    db.session.add(change)
    return change


def assign_first_contact(organisation: Organisation) -> User | None:
    chosen = choose_contact(
        SizeBand(organisation.size_band).value, contact_candidates(organisation.district_id)
    )
    if chosen is None:
        return None
    contact = db.session.get(User, chosen)
    assign_contact(organisation, contact, changed_by=None, reason="Assigned on registration")
    return contact


def eligible_contacts(district_id: uuid.UUID | None = None) -> list[User]:
    """Staff who can be an account's single point of contact, for a reassignment form."""
    statement = select(User).where(User.active.is_(True), User.role.in_([Role.DAM, Role.LMRA]))
    if district_id is not None:
        statement = statement.where(User.district_id == district_id)
    return list(
        db.session.scalars(statement.options(selectinload(User.district)).order_by(User.name))
    )
