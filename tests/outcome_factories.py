"""Factories for the outcomes tests: a live vacancy, a referral to it, and a recorded start.

Kept apart from the vacancies' and referrals' own factories so that the outcomes tests do not
depend on those areas' work in progress.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from app.auth.models import Role, User
from app.callbacks.rules import LONDON
from app.extensions import db
from app.outcomes.models import JobOutcome
from app.outcomes.services import record_start
from app.referrals.models import Referral, ReferralStatus
from app.vacancies.models import VacancyStatus
from tests.customer_factories import AdviserFactory, CustomerFactory
from tests.factories import (
    BaseFactory,
    OfficeFactory,
    SiteFactory,
    StaffFactory,
)
from tests.vacancy_factories import VacancyFactory


def _site(organisation):
    return organisation.sites[0] if organisation.sites else SiteFactory(organisation=organisation)


class ShopVacancyFactory(VacancyFactory):
    status = VacancyStatus.LIVE
    job_title = "Shop assistant"


def staff_in(district, role: Role = Role.LMRA, **kwargs) -> User:
    """A staff member of ``district`` (an office there), flushed: the factory sets the password
    (and so the security stamp a session carries) after its own flush."""
    user = StaffFactory(role=role, office=OfficeFactory(district=district), **kwargs)
    db.session.flush()
    return user


def customer_in(district, **kwargs):
    """A consented, job-ready customer of ``district``, claiming JSA since 2005 unless told."""
    adviser = AdviserFactory(office=OfficeFactory(district=district))
    kwargs.setdefault("claim_start", dt.date(2005, 1, 10))
    return CustomerFactory(adviser=adviser, **kwargs)


class OfferedReferralFactory(BaseFactory):
    """A consented customer of the vacancy's district, offered the job."""

    class Meta:
        model = Referral

    vacancy = factory.SubFactory(ShopVacancyFactory)
    organisation = factory.SelfAttribute("vacancy.organisation")
    customer = factory.LazyAttribute(lambda o: customer_in(o.vacancy.district))
    referred_by = factory.SelfAttribute("customer.adviser")
    status = ReferralStatus.OFFERED


def record(
    referral: Referral,
    by,
    *,
    start: dt.date = dt.date(2026, 3, 2),
    hours: str = "37.5",
    pay: str = "13.00",
    recorded_at: dt.datetime | None = None,
) -> JobOutcome:
    """Record a start through the service, as the portal does; `recorded_at` backdates it."""
    outcome = record_start(
        referral,
        start_date=start,
        hours_per_week=Decimal(hours),
        hourly_pay=Decimal(pay),
        recorded_by=by,
    )
    db.session.flush()
    if recorded_at is not None:
        outcome.created_at = recorded_at
        db.session.flush()
    return outcome


def london_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=LONDON)
