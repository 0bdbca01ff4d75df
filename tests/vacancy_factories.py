"""Factories for vacancies: a valid draft by default, lawful pay on any date in the table."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from app import clock
from app.accounts.models import Organisation, Site
from app.auth.models import User
from app.callbacks.models import CallBack
from app.extensions import db
from app.models_base import utcnow
from app.vacancies import services
from app.vacancies.models import ContractType, PayPeriod, Vacancy, VacancyStatus
from tests.factories import BaseFactory, OrganisationFactory, SiteFactory


def _site_of(organisation: Organisation) -> Site:
    return organisation.sites[0] if organisation.sites else SiteFactory(organisation=organisation)


class VacancyFactory(BaseFactory):
    class Meta:
        model = Vacancy

    organisation = factory.SubFactory(OrganisationFactory)
    site = factory.LazyAttribute(lambda o: _site_of(o.organisation))
    district = factory.SelfAttribute("organisation.district")
    status = VacancyStatus.DRAFT
    job_title = factory.Sequence(lambda n: f"Sales assistant {n}")
    sector = "retail"
    occupation = "Sales assistant"
    description = "Serving customers on the shop floor and keeping shelves stocked."
    positions = 2
    hours_per_week = Decimal("37.5")
    contract_type = ContractType.PERMANENT
    # Above every adult rate in the table, so a vacancy is lawful whatever "today" is.
    pay_amount = Decimal("13.00")
    pay_period = PayPeriod.HOURLY
    hourly_pay = factory.LazyAttribute(
        lambda o: services.hourly_equivalent(o.pay_amount, o.pay_period.value, o.hours_per_week)
    )
    youngest_age = 18
    closing_date = factory.LazyFunction(lambda: services.today() + dt.timedelta(days=30))
    essential_requirements = "Friendly and reliable."
    desirable_requirements = ""
    how_to_apply = "Phone the store manager on 0113 496 0000."
    entry_level = True
    involves_driving = False
    fair_shot_advice = factory.LazyFunction(list)


def submitted_vacancy(user: User, **kwargs) -> tuple[Vacancy, CallBack]:
    """A vacancy of `user`'s organisation submitted through the service, with its call-back."""
    vacancy = VacancyFactory(organisation=user.organisation, **kwargs)
    callback = services.submit_vacancy(vacancy, user)
    db.session.flush()
    return vacancy, callback


def vacancy_form(site: Site | None = None, /, **changes) -> dict:
    """A valid vacancy form post; `site=None` posts a new address instead."""
    closing = services.today() + dt.timedelta(days=28)
    data: dict = {
        "site": str(site.id) if site is not None else "new",
        "job_title": "Kitchen assistant",
        "sector": "hospitality",
        "occupation": "Kitchen porter",
        "description": "Washing up and food preparation.\nEarly and late shifts.",
        "positions": "3",
        "hours_per_week": "37.5",
        "contract_type": "permanent",
        "work_kind": "paid",
        "pay_amount": "13.00",
        "pay_period": "hourly",
        "youngest_age": "18",
        "entry_level": "yes",
        "involves_driving": "no",
        "essential_requirements": "Happy to work as part of a team.",
        "desirable_requirements": "",
        "how_to_apply": "Phone Sam on 0113 496 0001.",
        "closing_date": [str(closing.day), str(closing.month), str(closing.year)],
        "offers": ["work_trial"],
    }
    data.update(changes)
    return data


def _first_member(organisation: Organisation) -> User | None:
    return next((m.user for m in organisation.memberships), None)


class WarehouseVacancyFactory(VacancyFactory):
    """A complete warehouse vacancy posted by the organisation's first member: the shape
    the call-back and referral tests build on (their assertions name these values)."""

    created_by = factory.LazyAttribute(lambda o: _first_member(o.organisation))
    job_title = factory.Sequence(lambda n: f"Warehouse operative {n}")
    sector = "warehousing"
    occupation = ""
    description = "Picking and packing orders for delivery."
    hours_per_week = Decimal("37.50")
    pay_amount = Decimal("13.50")
    hourly_pay = factory.SelfAttribute("pay_amount")
    closing_date = factory.LazyFunction(lambda: clock.today() + dt.timedelta(days=30))
    essential_requirements = ""


class SubmittedVacancyFactory(WarehouseVacancyFactory):
    status = VacancyStatus.SUBMITTED
    how_to_apply = "Call Sam on 0113 496 0001."
    submitted_at = factory.LazyFunction(utcnow)


class LiveVacancyFactory(WarehouseVacancyFactory):
    status = VacancyStatus.LIVE
    positions = 3
    how_to_apply = "Through Jobcentre Plus."
    submitted_at = factory.LazyFunction(lambda: utcnow() - dt.timedelta(days=3))
    live_at = factory.LazyFunction(lambda: utcnow() - dt.timedelta(days=2))
