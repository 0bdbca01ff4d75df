"""Factories for account-management tests: staff in a district, accounts with contacts,
branches, pledges, contact log entries and next actions."""

from __future__ import annotations

import datetime as dt

from app.accounts.models import (
    ContactKind,
    ContactLogEntry,
    District,
    JobsPledge,
    NextAction,
    Office,
    Organisation,
)
from app.agreements.services import today
from app.auth.models import Role, User
from app.extensions import db
from tests.factories import OfficeFactory, OrganisationFactory, StaffFactory, employer_user


def staff_in(district: District, role: Role = Role.DAM, office: Office | None = None, **kw) -> User:
    office = office or OfficeFactory(district=district)
    return StaffFactory(role=role, office=office, district=district, **kw)


def account(contact: User | None = None, **kwargs) -> Organisation:
    """An employer account with an owner, looked after by `contact` in their district."""
    if contact is not None:
        kwargs.setdefault("district", contact.district)
    organisation = OrganisationFactory(contact=contact, **kwargs)
    employer_user(organisation)
    return organisation


def branch_of(head_office: Organisation, **kwargs) -> Organisation:
    kwargs.setdefault("name", f"{head_office.name} branch")
    branch = OrganisationFactory(parent=head_office, **kwargs)
    employer_user(branch)
    return branch


def pledge(head_office: Organisation, *, by: User, jobs: int = 20, **kwargs) -> JobsPledge:
    made = JobsPledge(
        organisation_id=head_office.id,
        jobs=jobs,
        starts_on=kwargs.get("starts_on", today() - dt.timedelta(days=90)),
        ends_on=kwargs.get("ends_on", today() + dt.timedelta(days=275)),
        recorded_by_id=by.id,
    )
    db.session.add(made)
    db.session.flush()
    return made


def contact_entry(
    organisation: Organisation,
    staff: User,
    *,
    kind: ContactKind = ContactKind.VISIT,
    on: dt.date | None = None,
    next_action: bool = False,
    due: dt.date | None = None,
    owner: User | None = None,
) -> tuple[ContactLogEntry, NextAction | None]:
    entry = ContactLogEntry(
        organisation_id=organisation.id,
        staff_id=staff.id,
        kind=kind,
        occurred_on=on or today(),
        people_met="Pat Jones, store manager",
        summary="Talked about the Christmas recruitment.",
    )
    db.session.add(entry)
    db.session.flush()
    action = None
    if next_action:
        action = NextAction(
            organisation_id=organisation.id,
            contact_log_entry_id=entry.id,
            description="Send the PET course outline",
            owner_id=(owner or staff).id,
            due_on=due or today() + dt.timedelta(days=7),
        )
        db.session.add(action)
        db.session.flush()
    return entry, action


def start_at(organisation: Organisation, day: dt.date, *, lep_eligible: bool = True, **fields):
    """A recorded job start at `organisation` (with the referral it came from)."""
    from decimal import Decimal

    from app.outcomes.models import JobOutcome, ValidationStatus
    from app.referrals.models import ReferralStatus
    from tests.referral_factories import live_vacancy, referral

    vacancy = live_vacancy(organisation)
    made = referral(vacancy, status=ReferralStatus.STARTED, **fields)
    outcome = JobOutcome(
        referral_id=made.id,
        customer_id=made.customer_id,
        organisation_id=organisation.id,
        vacancy_id=vacancy.id,
        district_id=organisation.district_id,
        start_date=day,
        hours_per_week=Decimal("37.5"),
        hourly_pay=Decimal("13.00"),
        priority_group=1,
        lep_eligible=lep_eligible,
        counts_as_lep=lep_eligible,
        subsidy_eligible=False,
        recorded_by_id=made.referred_by_id,
        recorded_by_employer=False,
        validation_status=ValidationStatus.VALIDATED,
    )
    db.session.add(outcome)
    db.session.flush()
    return outcome
