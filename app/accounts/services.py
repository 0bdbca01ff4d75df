"""Operations on employer accounts that change several records in one transaction."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app.accounts.models import (
    AssistedChange,
    ContactChange,
    ContactKind,
    ContactLogEntry,
    District,
    EmployerMembership,
    JobsPledge,
    MembershipRole,
    NextAction,
    Organisation,
    SizeBand,
)
from app.accounts.rules import (
    ContactCandidate,
    choose_contact,
    may_be_head_office,
    postcode_area,
    round_robin,
)
from app.auth.models import Role, User
from app.extensions import db
from app.mail.services import queue_email
from app.models_base import utcnow


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


# --- handover --------------------------------------------------------------------------------


def owner_emails(organisation_id: uuid.UUID) -> list[str]:
    """Where an employer's email goes: the addresses of its active owners."""
    return list(
        db.session.scalars(
            select(User.email)
            .join(EmployerMembership, EmployerMembership.user_id == User.id)
            .where(
                EmployerMembership.organisation_id == organisation_id,
                EmployerMembership.role == MembershipRole.OWNER,
                User.active.is_(True),
            )
            .order_by(User.email)
        )
    )


def owners_of(organisation_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[User]]:
    """Each organisation's owners (the employer users the service writes to), in one query."""
    ids = list(organisation_ids)
    owners: dict[uuid.UUID, list[User]] = {id_: [] for id_ in ids}
    if not ids:
        return owners
    rows = db.session.execute(
        select(EmployerMembership.organisation_id, User)
        .join(User, User.id == EmployerMembership.user_id)
        .where(
            EmployerMembership.organisation_id.in_(ids),
            EmployerMembership.role == MembershipRole.OWNER,
            User.active.is_(True),
        )
        .order_by(User.name)
    )
    for organisation_id, user in rows:
        owners[organisation_id].append(user)
    return owners


def hand_over(
    organisation: Organisation,
    to: User,
    *,
    changed_by: User | None,
    reason: str,
    owners: list[User] | None = None,
) -> ContactChange:
    """Make `to` the account's single point of contact: record who handed over to whom and
    why, give them the old contact's open next actions, and email the employer's owners
    the name and details of their new contact (through the outbox, in this transaction)."""
    previous_id = organisation.contact_id
    change = assign_contact(organisation, to, changed_by=changed_by, reason=reason)
    if previous_id is not None:
        db.session.execute(
            update(NextAction)
            .where(
                NextAction.organisation_id == organisation.id,
                NextAction.owner_id == previous_id,
                NextAction.done_at.is_(None),
            )
            .values(owner_id=to.id)
            .execution_options(synchronize_session=False)
        )
    if owners is None:
        owners = owners_of([organisation.id])[organisation.id]
    for owner in owners:
        queue_email(
            owner.email,
            _l("Your new contact at Jobcentre Plus"),
            "account_handover",
            organisation=organisation,
            owner=owner,
            contact=to,
        )
    return change


def reassign_accounts(
    organisations: list[Organisation],
    colleagues: list[User],
    *,
    changed_by: User,
    reason: str,
) -> list[ContactChange]:
    """Share accounts out among colleagues in turn (a leaver's portfolio), each change a
    handover of its own."""
    by_id = {organisation.id: organisation for organisation in organisations}
    people = {colleague.id: colleague for colleague in colleagues}
    ordered = sorted(organisations, key=lambda o: (o.name, str(o.id)))
    owners = owners_of(by_id)
    changes = []
    for organisation_id, colleague_id in round_robin(
        [o.id for o in ordered], [c.id for c in colleagues]
    ):
        organisation = by_id[organisation_id]
        if organisation.contact_id == colleague_id:
            continue
        changes.append(
            hand_over(
                organisation,
                people[colleague_id],
                changed_by=changed_by,
                reason=reason,
                owners=owners[organisation_id],
            )
        )
    return changes


# --- the contact log -------------------------------------------------------------------------


def log_contact(
    organisation: Organisation,
    staff: User,
    *,
    kind: ContactKind,
    occurred_on: dt.date,
    people_met: str,
    summary: str,
    next_action: str = "",
    next_action_owner: User | None = None,
    next_action_due: dt.date | None = None,
) -> ContactLogEntry:
    entry = ContactLogEntry(
        organisation_id=organisation.id,
        staff_id=staff.id,
        kind=kind,
        occurred_on=occurred_on,
        people_met=people_met,
        summary=summary,
    )
    db.session.add(entry)
    if next_action:
        db.session.flush()  # the entry's id, for the action
        db.session.add(
            NextAction(
                organisation_id=organisation.id,
                contact_log_entry_id=entry.id,
                description=next_action,
                owner_id=(next_action_owner or staff).id,
                due_on=next_action_due,
            )
        )
    return entry


def mark_done(action: NextAction) -> bool:
    """Close an open next action; False when someone else closed it first."""
    result = db.session.execute(
        update(NextAction)
        .where(NextAction.id == action.id, NextAction.done_at.is_(None))
        .values(done_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)


# --- assisted digital ------------------------------------------------------------------------

ASSISTED_CHANNELS = ("phone", "meeting", "email", "visit")


def record_assisted(
    organisation: Organisation,
    staff: User,
    channel: str,
    subject_type: str,
    subject_id: uuid.UUID,
    summary: str = "",
) -> AssistedChange:
    """Record that staff changed an employer's record for it, and by which channel."""
    if channel not in ASSISTED_CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    change = AssistedChange(
        organisation_id=organisation.id,
        staff_id=staff.id,
        channel=channel,
        subject_type=subject_type,
        subject_id=subject_id,
        summary=summary[:300],
    )
    db.session.add(change)
    return change


def done_for_you(subject_type: str, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, tuple[str, str]]:
    """For each record staff changed for the employer: the latest staff name and channel,
    in one query."""
    ids = list(ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(AssistedChange.subject_id, User.name, AssistedChange.channel)
        .join(User, User.id == AssistedChange.staff_id)
        .where(AssistedChange.subject_type == subject_type, AssistedChange.subject_id.in_(ids))
        .order_by(AssistedChange.at, AssistedChange.id)
    )
    return {subject_id: (name, channel) for subject_id, name, channel in rows}


# --- national employers ----------------------------------------------------------------------


class CannotLink(Exception):
    """The link would make a chain of head offices, or link an account to itself."""


def link_to_head_office(branch: Organisation, head_office: Organisation) -> None:
    if head_office.id == branch.id:
        raise CannotLink(_("An account cannot be its own head office"))
    if head_office.parent_id is not None:
        raise CannotLink(_("That account is itself a branch: choose its head office"))
    has_branches = db.session.scalar(
        select(func.count()).select_from(Organisation).where(Organisation.parent_id == branch.id)
    )
    if has_branches:
        raise CannotLink(_("This account is a head office with branches of its own"))
    head_branches = db.session.scalar(
        select(func.count())
        .select_from(Organisation)
        .where(Organisation.parent_id == head_office.id)
    )
    if not may_be_head_office(head_office.size_band.value, head_branches):
        raise CannotLink(
            _(
                "A head office must be a large or national employer: %(name)s is small or medium",
                name=head_office.name,
            )
        )
    branch.parent_id = head_office.id


def record_pledge(
    head_office: Organisation, *, jobs: int, starts_on: dt.date, ends_on: dt.date, by: User
) -> JobsPledge:
    pledge = JobsPledge(
        organisation_id=head_office.id,
        jobs=jobs,
        starts_on=starts_on,
        ends_on=ends_on,
        recorded_by_id=by.id,
    )
    db.session.add(pledge)
    return pledge
