"""Management information: one grouped SQL query per figure.

Every function takes a `Scope` (the period and the place) and runs exactly one statement
(correlated subqueries count as part of it), grouping in the database: no loop over records.
Where figures differ only in how they group the same records, they slice one shared
statement's bounded rows (`_shared`), which runs once per request.
Only portable SQL: period boundaries are plain dates and UTC moments from `rules.Period`,
never `date_trunc` or `strftime`, so the same figures come out on SQLite and PostgreSQL.

Which records a figure counts:
- A **job outcome** counts as LEP (`counts_as_lep`) and was not rejected, and started in
  the period. "Newly unemployed" is priority group 3 (JSA under six months); "others" are
  groups 4 and 5.
- An employer is **new to LEPs** when its first agreement ever started in the period.
- The **office** filter applies where a record has an office: call-backs (the office that
  worked it), referrals (the referrer's office) and figures about customers (their office:
  outcomes, PET, sustainment). Agreements, vacancies and employers have no office, so the
  office filter leaves them at district level.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from flask import g, has_app_context
from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.sql import ColumnElement

from app import clock
from app.accounts.models import District, Office, Organisation
from app.agreements.models import Agreement, AgreementStatus
from app.auth.models import User
from app.callbacks.models import CallBack, CallBackStatus
from app.customers.models import Customer
from app.extensions import db
from app.outcomes.models import JobOutcome, ValidationStatus
from app.pet.models import Course, CourseReferral
from app.referrals.models import NotSelectedReason, Referral
from app.reports.rollup_parts import count_if
from app.reports.rules import Period, previous_period
from app.vacancies.models import Vacancy, VacancyStatus

#: Outcomes a coordinator still has to see through: not yet validated, not rejected.
WAITING_STATUSES = (ValidationStatus.AWAITING_EMPLOYER, ValidationStatus.DISPUTED)

#: Age bands of outcomes waiting for validation, in days: (key, from, up to but excluding).
AGE_BANDS = (
    ("a_under_7", 0, 7),
    ("b_7_to_13", 7, 14),
    ("c_14_to_27", 14, 28),
    ("d_28_plus", 28, None),
)

#: A suitability rating of 3 ("suitable") or 4 ("very suitable") is a good referral.
GOOD_RATING = 3


@dataclass(frozen=True)
class Scope:
    period: Period
    nation: str | None = None
    district_id: uuid.UUID | None = None
    office_id: uuid.UUID | None = None
    # "Now", for the age of outcomes waiting for validation.
    now: dt.datetime | None = None


def _now(scope: Scope) -> dt.datetime:
    return scope.now or clock.now()


def _in_place(scope: Scope, district_column, office_column=None) -> list[ColumnElement]:
    """Conditions keeping rows of the scope's nation, district and office."""
    conditions: list[ColumnElement] = []
    if scope.district_id is not None:
        conditions.append(district_column == scope.district_id)
    elif scope.nation:
        conditions.append(
            district_column.in_(select(District.id).where(District.nation_code == scope.nation))
        )
    if scope.office_id is not None and office_column is not None:
        conditions.append(office_column == scope.office_id)
    return conditions


def _districts_in_scope(scope: Scope) -> list[ColumnElement]:
    conditions: list[ColumnElement] = []
    if scope.district_id is not None:
        conditions.append(District.id == scope.district_id)
    elif scope.nation:
        conditions.append(District.nation_code == scope.nation)
    return conditions


def _counted_outcome(period: Period) -> list[ColumnElement]:
    return [
        JobOutcome.counts_as_lep.is_(True),
        JobOutcome.validation_status != ValidationStatus.REJECTED,
        JobOutcome.start_date >= period.first,
        JobOutcome.start_date <= period.last,
    ]


def _outcome_office(scope: Scope) -> list[ColumnElement]:
    """The office filter for outcomes: the customer's office."""
    if scope.office_id is None:
        return []
    return [
        JobOutcome.customer_id.in_(select(Customer.id).where(Customer.office_id == scope.office_id))
    ]


def _rows(statement) -> list[dict]:
    return [dict(row._mapping) for row in db.session.execute(statement)]


def _shared(statement: Callable[[Scope], list[dict]], scope: Scope) -> list[dict]:
    """The rows of a statement that several figures on one page slice: run once per scope
    within a request (or command), so a page costs one query per statement, not per figure."""
    if not has_app_context():
        return statement(scope)
    cache = g.setdefault("report_statements", {})
    key = (statement.__name__, scope)
    if key not in cache:
        cache[key] = statement(scope)
    return cache[key]


# Job outcomes -------------------------------------------------------------------------------


def _first_agreement_in(period: Period):
    """Whether the outcome's employer had its first agreement ever start in the period."""
    first_started = (
        select(func.min(Agreement.started_on))
        .where(Agreement.organisation_id == JobOutcome.organisation_id)
        .correlate(JobOutcome)
        .scalar_subquery()
    )
    return and_(first_started >= period.first, first_started <= period.last)


def outcomes_by_new_employer(scope: Scope) -> list[dict]:
    """LEP outcomes with employers new to LEPs (first agreement in the period) and others:
    counted live, as "new" depends on the period (no rollup by day can say it)."""
    new = case((_first_agreement_in(scope.period), literal("a_new")), else_=literal("b_existing"))
    return _rows(
        select(new.label("group"), func.count(JobOutcome.id).label("outcomes"))
        .where(
            *_counted_outcome(scope.period),
            *_in_place(scope, JobOutcome.district_id),
            *_outcome_office(scope),
        )
        .group_by(new)
        .order_by(new)
    )


def waiting_for_validation(scope: Scope) -> list[dict]:
    """Outcomes not yet validated (waiting for the employer, or disputed) by how long ago
    they were recorded, as things stand now: not limited to the period."""
    now = scope.now or clock.now()
    whens = []
    for key, low, high in AGE_BANDS:
        conditions = [JobOutcome.created_at <= now - dt.timedelta(days=low)]
        if high is not None:
            conditions.append(JobOutcome.created_at > now - dt.timedelta(days=high))
        whens.append((and_(*conditions), literal(key)))
    key = case(*whens, else_=literal(AGE_BANDS[0][0]))
    return _rows(
        select(
            key.label("age"),
            count_if(JobOutcome.validation_status == ValidationStatus.AWAITING_EMPLOYER).label(
                "awaiting_employer"
            ),
            count_if(JobOutcome.validation_status == ValidationStatus.DISPUTED).label("disputed"),
            func.count(JobOutcome.id).label("waiting"),
        )
        .where(
            JobOutcome.validation_status.in_(WAITING_STATUSES),
            *_in_place(scope, JobOutcome.district_id),
            *_outcome_office(scope),
        )
        .group_by(key)
        .order_by(key)
    )


# Employers and measures ---------------------------------------------------------------------


def agreements_signed(scope: Scope) -> list[dict]:
    """Per district: agreements that started in the period, and how many of those were the
    employer's first (new to LEPs)."""
    period = scope.period
    earlier = (
        select(Agreement.id)
        .where(
            Agreement.organisation_id == Organisation.id,
            Agreement.started_on < period.first,
        )
        .correlate(Organisation)
        .exists()
    )
    return _rows(
        select(
            District.name.label("district"),
            func.count(Agreement.id).label("signed"),
            count_if(~earlier).label("new_employers"),
        )
        .join(Organisation, Organisation.id == Agreement.organisation_id)
        .join(District, District.id == Organisation.district_id)
        .where(
            Agreement.started_on >= period.first,
            Agreement.started_on <= period.last,
            *_in_place(scope, Organisation.district_id),
        )
        .group_by(District.name)
        .order_by(District.name)
    )


def callback_timeliness(scope: Scope) -> list[dict]:
    """Per office: call-backs completed in the period and those completed within 48 hours
    (the working-day clock; `breached` is set on completion)."""
    start, end = scope.period.moments()
    office = func.coalesce(Office.name, literal(""))
    return _rows(
        select(
            office.label("office"),
            func.count(CallBack.id).label("completed"),
            count_if(CallBack.breached.is_(False)).label("in_time"),
        )
        .select_from(CallBack)
        .outerjoin(Office, Office.id == CallBack.office_id)
        .where(
            CallBack.status == CallBackStatus.COMPLETED,
            CallBack.completed_at >= start,
            CallBack.completed_at < end,
            *_in_place(scope, CallBack.district_id, CallBack.office_id),
        )
        .group_by(office)
        .order_by(office)
    )


def pet_conversion(scope: Scope) -> list[dict]:
    """Per course sector: customers referred to PET in the period, and how many of them
    started, completed, were interviewed and were hired."""
    start, end = scope.period.moments()
    conditions = [
        CourseReferral.created_at >= start,
        CourseReferral.created_at < end,
        *_in_place(scope, Course.district_id),
    ]
    if scope.office_id is not None:
        conditions.append(
            CourseReferral.customer_id.in_(
                select(Customer.id).where(Customer.office_id == scope.office_id)
            )
        )
    return _rows(
        select(
            Course.sector.label("sector"),
            func.count(CourseReferral.id).label("referred"),
            count_if(CourseReferral.started_on.is_not(None)).label("started"),
            count_if(CourseReferral.completed_on.is_not(None)).label("completed"),
            count_if(CourseReferral.interview_at.is_not(None)).label("interviewed"),
            count_if(CourseReferral.hired.is_(True)).label("hired"),
        )
        .join(Course, Course.id == CourseReferral.course_id)
        .where(*conditions)
        .group_by(Course.sector)
        .order_by(Course.sector)
    )


def _referral_quality_groups(scope: Scope) -> list[dict]:
    """Referrals employers rated in the period, counted by the referring adviser and the
    referrer's office together: two figures each add it up their way."""
    start, end = scope.period.moments()
    keys = (
        func.coalesce(User.name, literal("")).label("adviser"),
        func.coalesce(Office.name, literal("")).label("office"),
    )
    return _rows(
        select(
            *keys,
            func.count(Referral.id).label("rated"),
            count_if(Referral.suitability >= GOOD_RATING).label("suitable"),
            func.coalesce(func.sum(Referral.suitability), 0).label("rating_total"),
        )
        .select_from(Referral)
        .outerjoin(User, User.id == Referral.referred_by_id)
        .outerjoin(Office, Office.id == Referral.office_id)
        .where(
            Referral.suitability.is_not(None),
            Referral.rated_at >= start,
            Referral.rated_at < end,
            *_in_place(scope, Referral.district_id, Referral.office_id),
        )
        .group_by(*keys)
    )


def _referral_quality(scope: Scope, key: str) -> list[dict]:
    rows: dict[str, dict] = {}
    for group in _shared(_referral_quality_groups, scope):
        row = rows.setdefault(
            group[key], {"name": group[key], "rated": 0, "suitable": 0, "rating_total": 0}
        )
        for name in ("rated", "suitable", "rating_total"):
            row[name] += int(group[name] or 0)
    return [rows[name] for name in sorted(rows)]


def referral_quality_by_adviser(scope: Scope) -> list[dict]:
    """Per referring adviser: referrals employers rated in the period, and those rated
    suitable or very suitable."""
    return _referral_quality(scope, "adviser")


def referral_quality_by_office(scope: Scope) -> list[dict]:
    return _referral_quality(scope, "office")


def _not_selected_groups(scope: Scope) -> list[dict]:
    """Candidates recorded as not selected in the period, counted by the referring adviser,
    the referrer's office and the reason together: two figures each add it up their way."""
    start, end = scope.period.moments()
    keys = (
        func.coalesce(User.name, literal("")).label("adviser"),
        func.coalesce(Office.name, literal("")).label("office"),
        Referral.not_selected_code.label("reason"),
    )
    return _rows(
        select(*keys, func.count(Referral.id).label("count"))
        .select_from(Referral)
        .outerjoin(User, User.id == Referral.referred_by_id)
        .outerjoin(Office, Office.id == Referral.office_id)
        .where(
            Referral.not_selected_at >= start,
            Referral.not_selected_at < end,
            *_in_place(scope, Referral.district_id, Referral.office_id),
        )
        .group_by(*keys)
    )


def _not_selected_split(scope: Scope, key: str) -> list[dict]:
    """Per adviser or office: a column per reason (keyed by its value) and the total; a
    decision recorded before the list of reasons counts in the total only."""
    rows: dict[str, dict] = {}
    for group in _shared(_not_selected_groups, scope):
        row = rows.setdefault(
            group[key],
            {"name": group[key], **{reason.value: 0 for reason in NotSelectedReason}},
        )
        row["not_selected"] = row.get("not_selected", 0) + group["count"]
        if group["reason"] is not None:
            row[NotSelectedReason(group["reason"]).value] += group["count"]
    return [rows[name] for name in sorted(rows)]


def not_selected_by_adviser(scope: Scope) -> list[dict]:
    """Why the candidates each adviser referred were not selected, in the period."""
    return _not_selected_split(scope, "adviser")


def not_selected_by_office(scope: Scope) -> list[dict]:
    return _not_selected_split(scope, "office")


# The sector view ----------------------------------------------------------------------------


def sector_vacancies(scope: Scope) -> list[dict]:
    """Per sector and district: vacancies open now (live), and vacancies posted (submitted)
    in the period and in the period before, for the trend."""
    previous = previous_period(scope.period)
    now_start, now_end = scope.period.moments()
    before_start, before_end = previous.moments()
    posted = func.coalesce(Vacancy.submitted_at, Vacancy.created_at)
    return _rows(
        select(
            Vacancy.sector.label("sector"),
            District.name.label("district"),
            count_if(Vacancy.status == VacancyStatus.LIVE).label("open"),
            count_if(and_(posted >= now_start, posted < now_end)).label("posted"),
            count_if(and_(posted >= before_start, posted < before_end)).label("posted_before"),
        )
        .join(District, District.id == Vacancy.district_id)
        .where(Vacancy.status != VacancyStatus.DRAFT, *_in_place(scope, Vacancy.district_id))
        .group_by(Vacancy.sector, District.name)
        .order_by(Vacancy.sector, District.name)
    )


def sector_employers(scope: Scope) -> list[dict]:
    """Per sector and district: employers with an active agreement today, and without."""
    today = scope.period.last
    signed = (
        select(Agreement.id)
        .where(
            Agreement.organisation_id == Organisation.id,
            Agreement.status == AgreementStatus.ACTIVE,
            Agreement.started_on <= today,
        )
        .correlate(Organisation)
        .exists()
    )
    return _rows(
        select(
            Organisation.sector.label("sector"),
            District.name.label("district"),
            count_if(signed).label("with_agreement"),
            count_if(~signed).label("without_agreement"),
        )
        .join(District, District.id == Organisation.district_id)
        .where(*_in_place(scope, Organisation.district_id))
        .group_by(Organisation.sector, District.name)
        .order_by(Organisation.sector, District.name)
    )


# The filters' choices -----------------------------------------------------------------------


def places(district_id: uuid.UUID | None) -> list[tuple]:
    """(nation code, district id, district name, office id, office name) for the filters:
    every office of one district, or of every district; one query."""
    statement = select(
        District.nation_code, District.id, District.name, Office.id, Office.name
    ).outerjoin(Office, Office.district_id == District.id)
    if district_id is not None:
        statement = statement.where(District.id == district_id)
    return list(db.session.execute(statement.order_by(District.name, Office.name)))
