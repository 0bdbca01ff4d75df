"""Factories for jobseekers ("customers"): shared by the customers, referrals and outcomes tests.

`CustomerFactory()` is a consented, green (job-ready) customer with sensible job goals, in the
district and office of an adviser who recorded the consent and the readiness. Pass
`adviser=` to put the customer on an existing adviser's caseload (and in their district), or
`consent_given=False` for a customer nobody outside Jobcentre Plus may see.
"""

from __future__ import annotations

import datetime as dt

import factory

from app import clock
from app.auth.models import Role
from app.customers.models import Benefit, Consent, Customer, Readiness
from app.extensions import db
from app.models_base import utcnow
from tests.factories import BaseFactory, StaffFactory


class AdviserFactory(StaffFactory):
    role = Role.ADVISER


class CustomerFactory(BaseFactory):
    class Meta:
        model = Customer

    reference = factory.Sequence(lambda n: f"C{n:07d}")
    first_name = factory.Sequence(lambda n: f"Sam{n}")
    last_name = "Taylor"
    email = factory.Sequence(lambda n: f"jobseeker{n}@example.net")
    phone = "0113 496 0999"
    date_of_birth = dt.date(1985, 3, 14)
    postcode = "LS9 8AB"
    disadvantaged_ward = False
    # JSA for three months: priority group 3 today.
    benefit = Benefit.JSA
    claim_start = factory.LazyFunction(lambda: clock.today() - dt.timedelta(days=91))
    goal_sectors = factory.LazyFunction(lambda: ["retail", "warehousing"])
    goal_occupations = "Shop assistant, warehouse operative"
    min_hours = 16
    max_hours = 37
    travel_miles = 10
    experience = "Two years stacking shelves at a supermarket."
    skills = "Forklift licence, customer service"
    availability = "Weekdays and Saturdays"
    readiness = Readiness.GREEN
    readiness_set_at = factory.LazyFunction(utcnow)
    consent_given = True

    adviser = factory.SubFactory(AdviserFactory)
    readiness_set_by = factory.SelfAttribute("adviser")
    office = factory.SelfAttribute("adviser.office", default=None)
    district = factory.SelfAttribute("adviser.district")

    @factory.post_generation
    def consent_history(self, create: bool, extracted, **kwargs) -> None:
        """The Consent row behind `consent_given`, recorded by the adviser, as the portal would."""
        if not create or extracted is False or not self.consent_given:
            return
        recorder = self.adviser or self.readiness_set_by
        if recorder is None:
            return
        db.session.add(Consent(customer=self, given=True, recorded_by=recorder, note="Signed form"))
        db.session.flush()
