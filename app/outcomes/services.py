"""Turning a recorded start into a job outcome, and validating it without paperwork.

Every change of validation status is a conditional UPDATE on the status it expects, so an
employer confirming while a coordinator rejects (or two coordinators at once) cannot both
win: the loser's function returns False and nothing changes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import EmployerMembership, MembershipRole
from app.accounts.services import owner_emails
from app.agreements.models import Agreement, AgreementStatus
from app.auth.models import Role, User
from app.clock import today
from app.compare_and_set import compare_and_set
from app.customers.models import Customer
from app.customers.rules import lep_eligible, priority_group, subsidy_eligible
from app.extensions import db
from app.mail.services import queue_email
from app.models_base import utcnow
from app.outcomes.models import JobOutcome, OutcomeSource, SustainmentCheck, ValidationStatus
from app.outcomes.rules import SUSTAINMENT_WEEKS, sustainment_due
from app.referrals.models import Referral, ReferralEvent, ReferralStatus
from app.vacancies.rules import minimum_hourly_wage
from app.vouchers import services as vouchers

__all__ = ["SUSTAINMENT_WEEKS", "OutcomeRefused", "record_start"]

#: Hours a week beyond which a figure is a typing slip, not a job (there are 168 in a week).
MOST_HOURS_PER_WEEK = Decimal(168)
#: The largest hourly pay the column holds.
MOST_HOURLY_PAY = Decimal("999999.99")

#: Outcomes whose employer is asked about sustainment: not ones disputed or rejected.
ASKED_ABOUT_SUSTAINMENT = (ValidationStatus.VALIDATED, ValidationStatus.AWAITING_EMPLOYER)
#: Outcomes the coordinator may decide.
DECIDABLE = (ValidationStatus.AWAITING_EMPLOYER, ValidationStatus.DISPUTED)


class OutcomeRefused(Exception):
    """The start cannot count as a job: the message says why in plain English."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    """Whole years of age on ``day``; someone born on 29 February turns a year older on
    1 March in other years, as UK law has it."""
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


def agreement_active_on(organisation_id: uuid.UUID, day: dt.date) -> bool:
    """Whether the employer had an agreement in force on that day (ended ones count for the
    days they ran, the day they ended included)."""
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


# ---------------------------------------------------------------------------------------------
# Recording a start
# ---------------------------------------------------------------------------------------------


def _check_start(
    referral: Referral, start_date: dt.date, hours_per_week: Decimal, hourly_pay: Decimal
) -> int:
    """Refuse what cannot be a LEP job outcome; return the person's age on the start date."""
    if start_date > today():
        raise OutcomeRefused("start_date", _("The start date must be today or in the past"))
    already = db.session.scalar(select(JobOutcome.id).where(JobOutcome.referral_id == referral.id))
    if already is not None:
        raise OutcomeRefused("referral", _("A start has already been recorded for this person"))
    return _check_job(referral.customer, start_date, hours_per_week, hourly_pay)


def _check_job(
    customer: Customer, start_date: dt.date, hours_per_week: Decimal, hourly_pay: Decimal
) -> int:
    """The checks every start passes, whatever it came through: paid, at the minimum wage
    for the person's age on the start date, not in the future. Returns that age."""
    if start_date > today():
        raise OutcomeRefused("start_date", _("The start date must be today or in the past"))
    if not Decimal(0) < hours_per_week <= MOST_HOURS_PER_WEEK:
        raise OutcomeRefused(
            "hours_per_week", _("Hours a week must be more than 0 and no more than 168")
        )
    if hourly_pay <= 0:
        # DOMAIN.md: voluntary work does not count as a LEP job.
        raise OutcomeRefused(
            "hourly_pay", _("Voluntary (unpaid) work does not count as a job outcome")
        )
    if hourly_pay > MOST_HOURLY_PAY:
        raise OutcomeRefused("hourly_pay", _("Enter an hourly pay of £999,999.99 or less"))
    age = age_on(customer.date_of_birth, start_date)
    if age < 16:
        raise OutcomeRefused("start_date", _("The person must be 16 or over on the start date"))
    try:
        minimum = minimum_hourly_wage(start_date, age)
    except ValueError:
        # Before October 2007: no rates held, and before LEPs began in any case.
        raise OutcomeRefused(
            "start_date", _("The start date must be on or after 1 October 2007")
        ) from None
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
    return age


def record_start(
    referral: Referral,
    *,
    start_date: dt.date,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    recorded_by: User,
    provider_id: uuid.UUID | None = None,
) -> JobOutcome:
    """A start recorded by the employer is validated at once; one recorded by staff waits for
    the employer to confirm it, and its owners are emailed to ask (DOMAIN.md: leave staff only
    the exceptions).

    The priority group, LEP eligibility, whether it counts as a LEP outcome and subsidy
    eligibility are fixed as they stood on the start date. Marks the referral started.
    Raises OutcomeRefused (with the form field it is about) for a start that cannot count:
    pay below the minimum wage for the person's age on the start date or unpaid, a future
    start date, one already recorded. Self-employment cannot arise: every start is into an
    employer's vacancy.
    """
    # A partnered training provider (`provider_id`) reports like staff: the employer confirms.
    by_employer = recorded_by.role is Role.EMPLOYER
    if by_employer and (
        recorded_by.membership is None
        or recorded_by.membership.organisation_id != referral.organisation_id
    ):
        raise ValueError("an employer can record a start only for its own referrals")
    _check_start(referral, start_date, hours_per_week, hourly_pay)
    outcome = _new_outcome(
        customer=referral.customer,
        organisation_id=referral.organisation_id,
        district_id=referral.vacancy.district_id,
        start_date=start_date,
        hours_per_week=hours_per_week,
        hourly_pay=hourly_pay,
        recorded_by=recorded_by,
        by_employer=by_employer,
        referral_id=referral.id,
        vacancy_id=referral.vacancy_id,
        provider_id=provider_id,
    )
    _mark_referral_started(referral, recorded_by, start_date)
    if not by_employer:
        _ask_employer_to_confirm(outcome, referral)
    return outcome


def _mark_referral_started(referral: Referral, by: User, start_date: dt.date) -> None:
    if referral.status is ReferralStatus.STARTED:
        return  # the referral's own page already moved it
    referral.status = ReferralStatus.STARTED
    db.session.add(
        ReferralEvent(
            referral_id=referral.id,
            status=ReferralStatus.STARTED,
            by_id=by.id,
            detail={"start_date": start_date.isoformat()},
        )
    )


def _ask_employer_to_confirm(outcome: JobOutcome, referral: Referral) -> None:
    for recipient in owner_emails(referral.organisation_id):
        queue_email(
            recipient,
            _l("Confirm that someone started work with you"),
            "outcome_confirm",
            outcome=outcome,
            organisation=referral.organisation,
            customer=referral.customer,
            vacancy=referral.vacancy,
        )


# ---------------------------------------------------------------------------------------------
# Validation: the employer confirms or disputes; the coordinator decides the exceptions
# ---------------------------------------------------------------------------------------------


def _move(outcome: JobOutcome, expected: tuple[ValidationStatus, ...], **values) -> bool:
    """Change the outcome only if its status is still one of ``expected``."""
    won = compare_and_set(JobOutcome, outcome.id, expected, values, column="validation_status")
    db.session.expire(outcome)
    return won


def confirm(outcome: JobOutcome, employer: User) -> bool:
    """The employer confirms a start staff recorded: it is validated."""
    return _move(
        outcome,
        (ValidationStatus.AWAITING_EMPLOYER,),
        validation_status=ValidationStatus.VALIDATED,
        validated_at=utcnow(),
        validated_by_id=employer.id,
    )


def dispute(outcome: JobOutcome, employer: User, reason: str) -> bool:
    """The employer says the start did not happen as recorded: the coordinator decides."""
    if not reason.strip():
        raise ValueError("a dispute needs a reason")
    return _move(
        outcome,
        (ValidationStatus.AWAITING_EMPLOYER,),
        validation_status=ValidationStatus.DISPUTED,
        disputed_at=utcnow(),
        disputed_by_id=employer.id,
        dispute_reason=reason.strip(),
    )


def accept(outcome: JobOutcome, coordinator: User) -> bool:
    return _move(
        outcome,
        DECIDABLE,
        validation_status=ValidationStatus.VALIDATED,
        validated_at=utcnow(),
        validated_by_id=coordinator.id,
    )


def reject(outcome: JobOutcome, coordinator: User, reason: str) -> bool:
    if not reason.strip():
        raise ValueError("a rejection needs a reason")
    moved = _move(
        outcome,
        DECIDABLE,
        validation_status=ValidationStatus.REJECTED,
        rejected_at=utcnow(),
        rejected_by_id=coordinator.id,
        rejection_reason=reason.strip(),
    )
    if moved:
        # A start not counted earns no subsidy: its unclaimed voucher is cancelled.
        vouchers.cancel_for_outcome(outcome, coordinator, reason.strip())
    return moved


# ---------------------------------------------------------------------------------------------
# Sustainment: still employed at 13 and 26 weeks?
# ---------------------------------------------------------------------------------------------


def may_answer(check: SustainmentCheck, on: dt.date) -> bool:
    """Due, not yet answered, and about a start that was not disputed or rejected."""
    return (
        check.answered_at is None
        and check.due_on <= on
        and check.outcome.validation_status in ASKED_ABOUT_SUSTAINMENT
    )


def answer_sustainment(
    check: SustainmentCheck,
    employer: User,
    still_employed: bool,
    *,
    more_hours: bool | None = None,
    higher_pay: bool | None = None,
    new_role: bool | None = None,
    aftercare: bool | None = None,
) -> bool:
    """Store the employer's answer once; False if someone at the employer answered first.
    Progression is kept only for someone still employed."""
    progression = (
        {"more_hours": more_hours, "higher_pay": higher_pay, "new_role": new_role}
        if still_employed
        else {"more_hours": None, "higher_pay": None, "new_role": None}
    )
    result = db.session.execute(
        update(SustainmentCheck)
        .where(SustainmentCheck.id == check.id, SustainmentCheck.answered_at.is_(None))
        .values(
            still_employed=still_employed,
            answered_at=utcnow(),
            answered_by_id=employer.id,
            aftercare_wanted=aftercare,
            **progression,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.expire(check)
    return result.rowcount == 1


def aftercare_to_do(adviser: User, limit: int = 50) -> list[SustainmentCheck]:
    """Aftercare requests for the adviser's customers not yet marked done, oldest first."""
    return list(
        db.session.scalars(
            select(SustainmentCheck)
            .join(JobOutcome, JobOutcome.id == SustainmentCheck.outcome_id)
            .join(Customer, Customer.id == JobOutcome.customer_id)
            .where(
                SustainmentCheck.aftercare_wanted.is_(True),
                SustainmentCheck.aftercare_done_at.is_(None),
                Customer.adviser_id == adviser.id,
            )
            .options(
                joinedload(SustainmentCheck.outcome).joinedload(JobOutcome.customer),
                joinedload(SustainmentCheck.outcome).joinedload(JobOutcome.organisation),
            )
            .order_by(SustainmentCheck.answered_at, SustainmentCheck.id)
            .limit(limit)
        )
    )


def aftercare_done(check_id: uuid.UUID, adviser: User) -> bool:
    """Mark the adviser's own customer's aftercare request done, once (a conditional UPDATE:
    two clicks record one). False if it is not theirs, not a request, or done already."""
    mine = (
        select(JobOutcome.id)
        .join(Customer, Customer.id == JobOutcome.customer_id)
        .where(Customer.adviser_id == adviser.id)
    )
    result = db.session.execute(
        update(SustainmentCheck)
        .where(
            SustainmentCheck.id == check_id,
            SustainmentCheck.aftercare_wanted.is_(True),
            SustainmentCheck.aftercare_done_at.is_(None),
            SustainmentCheck.outcome_id.in_(mine),
        )
        .values(aftercare_done_at=utcnow(), aftercare_done_by_id=adviser.id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


@dataclass(frozen=True)
class AskCounts:
    checks: int
    emails: int


#: Checks claimed in one batch of `ask_sustainment`.
ASK_BATCH = 500


def claim_sustainment_check(check_id: uuid.UUID, now: dt.datetime) -> bool:
    """Mark one check asked, if nobody has yet. On PostgreSQL a second process updating the
    same row waits for the first to commit, then finds asked_at set and changes nothing."""
    result = db.session.execute(
        update(SustainmentCheck)
        .where(SustainmentCheck.id == check_id, SustainmentCheck.asked_at.is_(None))
        .values(asked_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def ask_sustainment(on: dt.date, now: dt.datetime | None = None) -> AskCounts:
    """One batch of `flask outcomes ask-sustainment`: claim the checks due on or before ``on``
    and not yet asked, and queue one email per owner of each employer listing its checks.

    Claims and emails are in the caller's transaction: commit to send. Call again until it
    returns no checks.
    """
    now = now or utcnow()
    candidates = list(
        db.session.scalars(
            select(SustainmentCheck.id)
            .join(JobOutcome, JobOutcome.id == SustainmentCheck.outcome_id)
            .where(
                SustainmentCheck.asked_at.is_(None),
                SustainmentCheck.answered_at.is_(None),
                SustainmentCheck.due_on <= on,
                JobOutcome.validation_status.in_(ASKED_ABOUT_SUSTAINMENT),
            )
            .order_by(SustainmentCheck.due_on, SustainmentCheck.id)
            .limit(ASK_BATCH)
        )
    )
    claimed = [check_id for check_id in candidates if claim_sustainment_check(check_id, now)]
    if not claimed:
        return AskCounts(checks=0, emails=0)
    checks = db.session.scalars(
        select(SustainmentCheck)
        .where(SustainmentCheck.id.in_(claimed))
        .options(
            joinedload(SustainmentCheck.outcome).options(
                joinedload(JobOutcome.customer),
                joinedload(JobOutcome.vacancy),
                joinedload(JobOutcome.organisation),
            )
        )
        .order_by(SustainmentCheck.due_on, SustainmentCheck.id)
    ).all()
    by_organisation: dict[uuid.UUID, list[SustainmentCheck]] = defaultdict(list)
    for check in checks:
        by_organisation[check.outcome.organisation_id].append(check)
    owners = db.session.execute(
        select(EmployerMembership.organisation_id, User.email)
        .join(User, User.id == EmployerMembership.user_id)
        .where(
            EmployerMembership.organisation_id.in_(by_organisation),
            EmployerMembership.role == MembershipRole.OWNER,
            User.active.is_(True),
        )
        .order_by(User.email)
    ).all()
    emails = 0
    for organisation_id, email in owners:
        organisation_checks = by_organisation[organisation_id]
        queue_email(
            email,
            _l("Are the people who started with you still employed?"),
            "outcome_sustainment",
            organisation=organisation_checks[0].outcome.organisation,
            checks=organisation_checks,
        )
        emails += 1
    return AskCounts(checks=len(claimed), emails=emails)


# ---------------------------------------------------------------------------------------------
# A hire from a pre-employment training cohort
# ---------------------------------------------------------------------------------------------


def record_course_start(
    course_referral,
    organisation,
    *,
    start_date: dt.date,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    recorded_by: User,
) -> JobOutcome:
    """The employer records that a trainee from its PET cohort started work with it: a job
    outcome like any other (the same checks as `record_start`: a paid job at the minimum wage
    for the person's age on the start date, not in the future; the priority group, LEP
    eligibility, whether it counts and the subsidy fixed on the start date; sustainment checks
    at 13 and 26 weeks), validated at once because the employer recorded it.

    ``course_referral`` is an `app.pet.models.CourseReferral` (not imported here: PET builds
    on outcomes, not the other way round); the outcome has no referral or vacancy, and
    ``course_referral_id`` links it to the course. Only a user of ``organisation`` may record
    it: staff record cohort starts through the employer. Raises OutcomeRefused as
    `record_start` does, with the field "course_referral" when a start is already recorded.
    """
    if recorded_by.is_staff or (
        recorded_by.membership is None or recorded_by.membership.organisation_id != organisation.id
    ):
        raise ValueError("only a user of the employer can record a start from its cohort")
    already = db.session.scalar(
        select(JobOutcome.id).where(JobOutcome.course_referral_id == course_referral.id)
    )
    if already is not None:
        raise OutcomeRefused(
            "course_referral", _("A start has already been recorded for this person")
        )
    # The same checks as a start from a vacancy. Its own "already recorded" test looks for
    # a vacancy referral with this id, which a course referral never is.
    _check_start(course_referral, start_date, hours_per_week, hourly_pay)
    outcome = _new_outcome(
        customer=course_referral.customer,
        organisation_id=organisation.id,
        district_id=course_referral.course.district_id,
        start_date=start_date,
        hours_per_week=hours_per_week,
        hourly_pay=hourly_pay,
        recorded_by=recorded_by,
        by_employer=True,
        course_referral_id=course_referral.id,
    )
    return outcome


def _new_outcome(
    *,
    customer,
    organisation_id,
    district_id,
    start_date: dt.date,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    recorded_by: User,
    by_employer: bool,
    other_agreement_in_force: bool = False,
    **source: object,
) -> JobOutcome:
    """The outcome of a start, from a vacancy or a PET course (`source` names which), with
    the customer's priority group, eligibility and subsidy fixed on the start date, and
    its two sustainment questions."""
    claim = customer.benefit.value if customer.benefit else None
    try:
        group = customer_priority_group(customer, start_date)
        subsidy = subsidy_eligible(claim, customer.claim_start, start_date)
    except ValueError:
        # The benefit claim began after the start date (or the record lacks its date).
        raise OutcomeRefused(
            "start_date",
            _(
                "The start date is before the person’s benefit claim began. Check the start "
                "date, or ask their adviser to correct their record"
            ),
        ) from None
    eligible = lep_eligible(group, start_date, customer.under_redundancy_notice)
    now = utcnow()
    outcome = JobOutcome(
        **source,
        customer_id=customer.id,
        organisation_id=organisation_id,
        district_id=district_id,
        start_date=start_date,
        hours_per_week=hours_per_week,
        hourly_pay=hourly_pay,
        priority_group=group,
        lep_eligible=eligible,
        counts_as_lep=eligible
        and (other_agreement_in_force or agreement_active_on(organisation_id, start_date)),
        subsidy_eligible=subsidy,
        recorded_by_id=recorded_by.id,
        recorded_by_employer=by_employer,
        validation_status=(
            ValidationStatus.VALIDATED if by_employer else ValidationStatus.AWAITING_EMPLOYER
        ),
        validated_at=now if by_employer else None,
        validated_by_id=recorded_by.id if by_employer else None,
        dispute_reason="",
        rejection_reason="",
        created_at=now,
    )
    db.session.add(outcome)
    for weeks in SUSTAINMENT_WEEKS:
        db.session.add(
            SustainmentCheck(
                outcome=outcome, weeks=weeks, due_on=sustainment_due(start_date, weeks)
            )
        )
    # The recruitment subsidy voucher, for a start that earns one (app/vouchers).
    vouchers.issue(outcome, recorded_by)
    return outcome


# ---------------------------------------------------------------------------------------------
# A placement under a partnered training provider's own LEP agreement
# ---------------------------------------------------------------------------------------------


def record_agreement_start(
    customer: Customer,
    organisation,
    *,
    district_id: uuid.UUID,
    start_date: dt.date,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    recorded_by: User,
    provider_id: uuid.UUID,
    agreement_in_force: bool,
) -> JobOutcome:
    """A partnered provider reports that its customer started work with an employer it has
    its own LEP agreement with (no Jobcentre Plus vacancy): the same checks as any start, and
    the same validation (the employer's owners are asked to confirm; the coordinator sees
    the exceptions). It counts as LEP when the person is eligible and an agreement, the
    provider's (`agreement_in_force` on the start date) or Jobcentre Plus's, was in force.
    Its source is "provider" in MI."""
    already = db.session.scalar(
        select(JobOutcome.id).where(
            JobOutcome.customer_id == customer.id,
            JobOutcome.organisation_id == organisation.id,
            JobOutcome.start_date == start_date,
        )
    )
    if already is not None:
        raise OutcomeRefused("where", _("A start has already been recorded for this person"))
    _check_job(customer, start_date, hours_per_week, hourly_pay)
    outcome = _new_outcome(
        customer=customer,
        organisation_id=organisation.id,
        district_id=district_id,
        start_date=start_date,
        hours_per_week=hours_per_week,
        hourly_pay=hourly_pay,
        recorded_by=recorded_by,
        by_employer=False,
        other_agreement_in_force=agreement_in_force,
        source=OutcomeSource.PROVIDER,
        provider_id=provider_id,
    )
    for recipient in owner_emails(organisation.id):
        queue_email(
            recipient,
            _l("Confirm that someone started work with you"),
            "outcome_confirm",
            outcome=outcome,
            organisation=organisation,
            customer=customer,
            vacancy=None,
        )
    return outcome
