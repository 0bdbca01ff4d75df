"""What the outcome pages read: each a bounded number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import District, EmployerMembership, Organisation
from app.accounts.services import done_for_you
from app.callbacks.rules import LONDON, NATIONS
from app.customers.models import Customer
from app.extensions import db
from app.formatting import london
from app.outcomes.models import JobOutcome, SustainmentCheck, ValidationStatus
from app.outcomes.rules import awaiting_cutoff, needs_coordinator, working_days_between
from app.outcomes.services import ASKED_ABOUT_SUSTAINMENT
from app.referrals.models import Referral
from app.vacancies.models import Vacancy

#: Rows on one page of the employer's outcomes and of the validation queue.
PAGE_SIZE = 50
#: Tasks the employer's home panel lists before pointing to the outcomes page.
PANEL_TASKS = 10


def _start_of(day: dt.date) -> dt.datetime:
    """The instant a London calendar day begins."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=LONDON)


def organisation_id_of(user_id: uuid.UUID):
    """The signed-in employer's organisation, as a subquery: no extra round trip."""
    return (
        select(EmployerMembership.organisation_id)
        .where(EmployerMembership.user_id == user_id)
        .scalar_subquery()
    )


# --- the employer ----------------------------------------------------------------------------


def employer_outcomes(user_id: uuid.UUID, page: int) -> tuple[list[JobOutcome], bool]:
    """One page of the employer's outcomes, latest start first, and whether there are more."""
    outcomes = list(
        db.session.scalars(
            select(JobOutcome)
            .where(JobOutcome.organisation_id == organisation_id_of(user_id))
            .options(
                joinedload(JobOutcome.customer),
                joinedload(JobOutcome.vacancy),
                selectinload(JobOutcome.sustainment_checks),
                # The recruitment subsidy voucher (app/vouchers), shown with the start.
                joinedload(JobOutcome.voucher),
            )
            .order_by(JobOutcome.start_date.desc(), JobOutcome.id)
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return outcomes[:PAGE_SIZE], len(outcomes) > PAGE_SIZE


def employer_outcome(outcome_id: uuid.UUID, user_id: uuid.UUID) -> JobOutcome | None:
    """One of the signed-in employer's outcomes; another employer's is not found."""
    return db.session.scalar(
        select(JobOutcome)
        .where(
            JobOutcome.id == outcome_id,
            JobOutcome.organisation_id == organisation_id_of(user_id),
        )
        .options(
            joinedload(JobOutcome.customer),
            joinedload(JobOutcome.vacancy),
            joinedload(JobOutcome.organisation),
            selectinload(JobOutcome.sustainment_checks),
        )
    )


@dataclass(frozen=True)
class EmployerTask:
    kind: str  # "confirm" or "sustainment"
    outcome_id: uuid.UUID
    name: str
    job_title: str
    start_date: dt.date
    weeks: int | None = None


def employer_tasks(user_id: uuid.UUID, on: dt.date) -> tuple[list[EmployerTask], bool]:
    """Starts awaiting the employer's confirmation and sustainment questions due, in one
    query; at most PANEL_TASKS of them, and whether there are more."""
    due = and_(
        SustainmentCheck.outcome_id == JobOutcome.id,
        SustainmentCheck.answered_at.is_(None),
        SustainmentCheck.due_on <= on,
        JobOutcome.validation_status.in_(ASKED_ABOUT_SUSTAINMENT),
    )
    rows = db.session.execute(
        select(
            JobOutcome.id,
            JobOutcome.validation_status,
            JobOutcome.start_date,
            Customer.first_name,
            Customer.last_name,
            Vacancy.job_title,
            SustainmentCheck.weeks,
        )
        .join(Customer, Customer.id == JobOutcome.customer_id)
        .outerjoin(Vacancy, Vacancy.id == JobOutcome.vacancy_id)
        .outerjoin(SustainmentCheck, due)
        .where(
            JobOutcome.organisation_id == organisation_id_of(user_id),
            or_(
                JobOutcome.validation_status == ValidationStatus.AWAITING_EMPLOYER,
                SustainmentCheck.id.is_not(None),
            ),
        )
        .order_by(JobOutcome.start_date, JobOutcome.id, SustainmentCheck.weeks)
        .limit(PANEL_TASKS + 1)
    ).all()
    tasks: list[EmployerTask] = []
    confirming: set[uuid.UUID] = set()
    for row in rows:
        name = f"{row.first_name} {row.last_name}"
        title = row.job_title or ""
        if row.validation_status is ValidationStatus.AWAITING_EMPLOYER and row.id not in confirming:
            confirming.add(row.id)
            tasks.append(EmployerTask("confirm", row.id, name, title, row.start_date))
        if row.weeks is not None:
            tasks.append(
                EmployerTask("sustainment", row.id, name, title, row.start_date, row.weeks)
            )
    return tasks[:PANEL_TASKS], len(tasks) > PANEL_TASKS


def employer_check(
    outcome_id: uuid.UUID, weeks: int, user_id: uuid.UUID
) -> SustainmentCheck | None:
    return db.session.scalar(
        select(SustainmentCheck)
        .join(JobOutcome, JobOutcome.id == SustainmentCheck.outcome_id)
        .where(
            SustainmentCheck.outcome_id == outcome_id,
            SustainmentCheck.weeks == weeks,
            JobOutcome.organisation_id == organisation_id_of(user_id),
        )
        .options(
            joinedload(SustainmentCheck.outcome).options(
                joinedload(JobOutcome.customer), joinedload(JobOutcome.vacancy)
            )
        )
    )


# --- staff -----------------------------------------------------------------------------------


def referral_for_start(referral_id: uuid.UUID) -> Referral | None:
    return db.session.scalar(
        select(Referral)
        .where(Referral.id == referral_id)
        .options(
            joinedload(Referral.customer),
            joinedload(Referral.vacancy),
            joinedload(Referral.organisation),
        )
    )


def outcome_id_for_referral(referral_id: uuid.UUID) -> uuid.UUID | None:
    return db.session.scalar(select(JobOutcome.id).where(JobOutcome.referral_id == referral_id))


def staff_outcome(outcome_id: uuid.UUID) -> JobOutcome | None:
    """One outcome with everything the staff pages show."""
    return db.session.scalar(
        select(JobOutcome)
        .where(JobOutcome.id == outcome_id)
        .options(
            joinedload(JobOutcome.customer),
            joinedload(JobOutcome.organisation),
            joinedload(JobOutcome.vacancy),
            joinedload(JobOutcome.district),
            joinedload(JobOutcome.recorded_by),
            joinedload(JobOutcome.validated_by),
            joinedload(JobOutcome.disputed_by),
            joinedload(JobOutcome.rejected_by),
            selectinload(JobOutcome.sustainment_checks).joinedload(SustainmentCheck.answered_by),
        )
    )


# --- the coordinator's validation queue ------------------------------------------------------


def _in_queue(on: dt.date):
    """Disputed, or awaiting the employer since on or before its nation's cutoff: exactly
    `rules.needs_coordinator`, in SQL (the outcome's district must be joined)."""
    overdue = [
        and_(
            District.nation_code == nation,
            JobOutcome.created_at < _start_of(awaiting_cutoff(on, nation) + dt.timedelta(days=1)),
        )
        for nation in NATIONS
    ]
    return or_(
        JobOutcome.validation_status == ValidationStatus.DISPUTED,
        and_(
            JobOutcome.validation_status == ValidationStatus.AWAITING_EMPLOYER,
            or_(*overdue),
        ),
    )


def _queue_statement(district_id: uuid.UUID | None, on: dt.date):
    statement = select(JobOutcome, District.nation_code).join(
        District, District.id == JobOutcome.district_id
    )
    if district_id is not None:
        statement = statement.where(JobOutcome.district_id == district_id)
    return statement.where(_in_queue(on))


@dataclass(frozen=True, slots=True)
class QueueRow:
    """What one row of the validation queue shows, read as columns: the outcome with its
    customer, employer and vacancy as ORM objects was a third of the page's CPU."""

    id: uuid.UUID
    customer_name: str
    organisation_name: str
    job_title: str | None
    district_name: str
    start_date: dt.date
    validation_status: ValidationStatus
    dispute_reason: str
    recorded_on: dt.date
    working_days: int


def validation_queue(
    district_id: uuid.UUID | None, on: dt.date, page: int
) -> tuple[list[QueueRow], bool]:
    """One page of the outcomes the coordinator must decide, oldest first, each with how many
    working days it has waited; ``district_id`` None means every district (admins)."""
    rows = db.session.execute(
        _queue_statement(district_id, on)
        .with_only_columns(
            JobOutcome.id,
            JobOutcome.created_at,
            JobOutcome.validation_status,
            JobOutcome.start_date,
            JobOutcome.dispute_reason,
            Customer.first_name,
            Customer.last_name,
            Organisation.name,
            Vacancy.job_title,
            District.name,
            District.nation_code,
        )
        .join(Customer, Customer.id == JobOutcome.customer_id)
        .join(Organisation, Organisation.id == JobOutcome.organisation_id)
        .outerjoin(Vacancy, Vacancy.id == JobOutcome.vacancy_id)
        .order_by(JobOutcome.created_at, JobOutcome.id)
        .limit(PAGE_SIZE + 1)
        .offset((page - 1) * PAGE_SIZE)
    ).all()
    queue = []
    for (
        outcome_id,
        created_at,
        status,
        start_date,
        dispute_reason,
        first_name,
        last_name,
        organisation_name,
        job_title,
        district_name,
        nation,
    ) in rows[:PAGE_SIZE]:
        recorded_on = london(created_at).date()
        if needs_coordinator(status, recorded_on, on, nation):
            queue.append(
                QueueRow(
                    outcome_id,
                    f"{first_name} {last_name}",  # Customer.name
                    organisation_name,
                    job_title,
                    district_name,
                    start_date,
                    status,
                    dispute_reason,
                    recorded_on,
                    working_days_between(recorded_on, on, nation),
                )
            )
    return queue, len(rows) > PAGE_SIZE


def queue_size(district_id: uuid.UUID, on: dt.date) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(JobOutcome)
        .join(District, District.id == JobOutcome.district_id)
        .where(JobOutcome.district_id == district_id, _in_queue(on))
    )


# --- the staff account page's tab (listed in app/accounts/tabs.py) ------------------------

#: Rows the account page's tab lists, newest first.
ACCOUNT_TAB_LIMIT = 50


def account_tab(organisation_ids: list[uuid.UUID]) -> dict:
    """The accounts' newest starts and who recorded which for the employer."""
    rows = list(
        db.session.scalars(
            select(JobOutcome)
            .where(JobOutcome.organisation_id.in_(organisation_ids))
            .options(selectinload(JobOutcome.vacancy))
            .order_by(JobOutcome.start_date.desc(), JobOutcome.id)
            .limit(ACCOUNT_TAB_LIMIT)
        )
    )
    return {"outcomes": rows, "outcomes_done": done_for_you("outcome", [o.id for o in rows])}
