"""Factories for referral tests: live vacancies, referrals at any status, staff and agreements.

`live_vacancy()` is a warehousing vacancy of 37.5 hours a week at a Leeds site (LS1 4AP),
in its organisation's district, with an employer owner. `fitting_customer(vacancy)` is a
consented, green customer of that district (LS9: the same postcode area) who wants
warehousing work of 16 to 40 hours: a suggestion for it.
"""

from __future__ import annotations

import datetime as dt
import uuid

from app import clock
from app.accounts.models import District, Office, Organisation
from app.agreements.models import Agreement, AgreementStatus
from app.auth.models import Role, User
from app.customers.models import Customer
from app.extensions import db
from app.referrals.models import Referral, ReferralEvent, ReferralStatus
from app.vacancies.models import Vacancy
from tests.customer_factories import AdviserFactory, CustomerFactory
from tests.factories import OfficeFactory, OrganisationFactory, StaffFactory
from tests.factories import employer_user as make_employer_user
from tests.vacancy_factories import LiveVacancyFactory


def live_vacancy(organisation: Organisation | None = None, **kwargs) -> Vacancy:
    """A live vacancy of `organisation` (a new one by default) with an employer owner."""
    organisation = organisation or OrganisationFactory()
    if not organisation.memberships:
        make_employer_user(organisation)
        db.session.refresh(organisation)
    return LiveVacancyFactory(organisation=organisation, **kwargs)


def staff(role: Role, district: District, office: Office | None = None, **kwargs) -> User:
    """A member of staff working in `district` (at `office`, or a new office there)."""
    office = office or OfficeFactory(district=district)
    return StaffFactory(role=role, office=office, district=district, **kwargs)


def adviser_in(district: District, office: Office | None = None, **kwargs) -> User:
    office = office or OfficeFactory(district=district)
    return AdviserFactory(office=office, district=district, **kwargs)


def fitting_customer(vacancy: Vacancy, adviser: User | None = None, **kwargs) -> Customer:
    """A consented, green customer of the vacancy's district whose goals fit it."""
    adviser = adviser or adviser_in(vacancy.district)
    kwargs.setdefault("goal_sectors", [vacancy.sector])
    kwargs.setdefault("min_hours", 16)
    kwargs.setdefault("max_hours", 40)
    return CustomerFactory(adviser=adviser, district=vacancy.district, **kwargs)


def referral(
    vacancy: Vacancy,
    customer: Customer | None = None,
    *,
    by: User | None = None,
    status: ReferralStatus = ReferralStatus.REFERRED,
    **fields,
) -> Referral:
    """A referral of `customer` (a fitting one by default) to `vacancy`, made by `by` (the
    customer's adviser by default), with its history up to `status`."""
    customer = customer or fitting_customer(vacancy)
    by = by or customer.adviser
    made = Referral(
        id=uuid.uuid4(),
        customer=customer,
        vacancy=vacancy,
        organisation_id=vacancy.organisation_id,
        district_id=vacancy.district_id,
        office_id=by.office_id,
        referred_by=by,
        status=status,
        **fields,
    )
    db.session.add(made)
    db.session.add(ReferralEvent(referral=made, status=ReferralStatus.REFERRED, by_id=by.id))
    if status is not ReferralStatus.REFERRED:
        db.session.add(ReferralEvent(referral=made, status=status, by_id=by.id))
    db.session.flush()
    return made


def active_agreement(organisation: Organisation, since: dt.date | None = None) -> Agreement:
    agreement = Agreement(
        organisation_id=organisation.id,
        status=AgreementStatus.ACTIVE,
        started_on=since or clock.today() - dt.timedelta(days=365),
    )
    db.session.add(agreement)
    db.session.flush()
    return agreement
