"""Turning a recorded start into a job outcome, and validating it without paperwork."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from app.agreements.models import Agreement, AgreementStatus
from app.auth.models import User
from app.customers.models import Customer
from app.customers.rules import lep_eligible, priority_group, subsidy_eligible
from app.extensions import db
from app.models_base import utcnow
from app.outcomes.models import JobOutcome, SustainmentCheck, ValidationStatus
from app.referrals.models import Referral
from app.vacancies.rules import minimum_hourly_wage

SUSTAINMENT_WEEKS = (13, 26)


class OutcomeRefused(Exception):
    """The start cannot count as a job: the message says why in plain English."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def customer_priority_group(customer: Customer, on: dt.date) -> int:
    return priority_group(
        on,
        benefit=customer.benefit.value if customer.benefit else None,
        claim_start=customer.claim_start,
        lone_parent=customer.lone_parent,
        employed=customer.employed,
        other_disadvantage=customer.other_disadvantage or customer.disabled,
    )


def agreement_active_on(organisation_id, day: dt.date) -> bool:
    """Whether the employer had an agreement in force on that day (ended ones count for the
    days they ran)."""
    found = db.session.scalar(
        select(Agreement.id)
        .where(
            Agreement.organisation_id == organisation_id,
            Agreement.started_on <= day,
            (Agreement.status == AgreementStatus.ACTIVE) | (Agreement.ended_on >= day),
        )
        .limit(1)
    )
    return found is not None


def record_start(
    referral: Referral,
    *,
    start_date: dt.date,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    recorded_by: User,
) -> JobOutcome:
    """A start recorded by the employer is validated at once; one recorded by staff waits for
    the employer to confirm it (DOMAIN.md: leave staff only the exceptions)."""
    customer = referral.customer
    age = age_on(customer.date_of_birth, start_date)
    if age < 16:
        raise OutcomeRefused("start_date", _("The person must be 16 or over on the start date"))
    minimum = minimum_hourly_wage(start_date, age)
    if hourly_pay < minimum:
        raise OutcomeRefused(
            "hourly_pay",
            _(
                "Pay must be at least the National Minimum Wage of £%(minimum)s an hour for "
                "someone aged %(age)s on the start date",
                minimum=minimum,
                age=age,
            ),
        )
    group = customer_priority_group(customer, start_date)
    eligible = lep_eligible(group, start_date, customer.under_redundancy_notice)
    by_employer = not recorded_by.is_staff
    outcome = JobOutcome(
        referral_id=referral.id,
        customer_id=customer.id,
        organisation_id=referral.organisation_id,
        vacancy_id=referral.vacancy_id,
        district_id=referral.vacancy.district_id,
        start_date=start_date,
        hours_per_week=hours_per_week,
        hourly_pay=hourly_pay,
        priority_group=group,
        lep_eligible=eligible,
        counts_as_lep=eligible and agreement_active_on(referral.organisation_id, start_date),
        subsidy_eligible=subsidy_eligible(
            customer.benefit.value if customer.benefit else None, customer.claim_start, start_date
        ),
        recorded_by_id=recorded_by.id,
        recorded_by_employer=by_employer,
        validation_status=(
            ValidationStatus.VALIDATED if by_employer else ValidationStatus.AWAITING_EMPLOYER
        ),
        validated_at=utcnow() if by_employer else None,
        validated_by_id=recorded_by.id if by_employer else None,
    )
    db.session.add(outcome)
    for weeks in SUSTAINMENT_WEEKS:
        db.session.add(
            SustainmentCheck(
                outcome=outcome, weeks=weeks, due_on=start_date + dt.timedelta(weeks=weeks)
            )
        )
    return outcome
