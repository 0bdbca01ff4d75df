"""Reading referrals: suggestions for a vacancy, an employer's candidates, referral quality.

Every query is bounded, and every one an employer's page runs goes through the employer's
organisation and the customer's current consent.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import case, exists, func, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from app.accounts.models import Office
from app.accounts.services import done_for_you
from app.auth.models import User
from app.customers.models import Customer, Readiness
from app.customers.rules import lep_eligible
from app.customers.services import CONSENTED
from app.extensions import db
from app.outcomes.services import customer_priority_group
from app.referrals import rules
from app.referrals.models import Referral, ReferralEvent, ReferralStatus
from app.vacancies.models import Vacancy

#: Most customers scored for one vacancy: the SQL prefilter keeps the newest-ready this many.
MOST_CANDIDATES = 300
#: Suggestions shown, best first.
MOST_SUGGESTIONS = 25
#: Most candidates listed on the employer's review page at once.
MOST_LISTED = 200


# --- staff: suggestions and referring ------------------------------------------------------


def vacancy_for_staff(vacancy_id: uuid.UUID, user: User) -> Vacancy | None:
    """The vacancy, if it is in the staff member's district."""
    if user.district_id is None:
        return None
    return db.session.scalar(
        select(Vacancy)
        .where(Vacancy.id == vacancy_id, Vacancy.district_id == user.district_id)
        .options(joinedload(Vacancy.site), joinedload(Vacancy.organisation))
    )


@dataclass(frozen=True)
class Suggestion:
    customer: Customer
    match: rules.Match
    distance: rules.Distance | None


def priority_group_or_none(customer: Customer, on: dt.date) -> int | None:
    try:
        return customer_priority_group(customer, on)
    except ValueError:  # the benefit and claim date contradict each other
        return None


def match_for(customer: Customer, vacancy: Vacancy, on: dt.date) -> Suggestion:
    group = priority_group_or_none(customer, on)
    distance = rules.travel_distance(customer.postcode, vacancy.site.postcode)
    match = rules.match_score(
        vacancy_sector=vacancy.sector,
        vacancy_hours=vacancy.hours_per_week,
        goal_sectors=customer.goal_sectors,
        min_hours=customer.min_hours,
        max_hours=customer.max_hours,
        distance=distance,
        travel_miles=customer.travel_miles,
        priority_group=group,
        lep_eligible=group is not None
        and lep_eligible(group, on, customer.under_redundancy_notice),
    )
    return Suggestion(customer, match, distance)


def _not_referred_to(vacancy_id: uuid.UUID):
    return ~exists().where(Referral.customer_id == Customer.id, Referral.vacancy_id == vacancy_id)


def suggestions(vacancy: Vacancy, on: dt.date) -> list[Suggestion]:
    """The customers who fit the vacancy best, best first, with the reasons.

    One query: consented, green customers of the vacancy's district, not yet referred to it,
    whose hours fit (SQL can check those cheaply); then the sector, distance and eligibility
    are scored here, on at most `MOST_CANDIDATES` customers.
    """
    hours = vacancy.hours_per_week
    candidates = db.session.scalars(
        select(Customer)
        .where(
            Customer.district_id == vacancy.district_id,
            CONSENTED,
            Customer.readiness == Readiness.GREEN,
            _not_referred_to(vacancy.id),
            (Customer.min_hours.is_(None)) | (Customer.min_hours <= hours),
            (Customer.max_hours.is_(None)) | (Customer.max_hours >= hours),
        )
        .order_by(Customer.readiness_set_at.desc(), Customer.id)
        .limit(MOST_CANDIDATES)
    )
    scored = [match_for(customer, vacancy, on) for customer in candidates]
    fitting = [suggestion for suggestion in scored if suggestion.match.fits]
    fitting.sort(
        key=lambda s: (
            -s.match.score,
            s.distance.miles if s.distance else float("inf"),
            s.customer.last_name,
            s.customer.first_name,
            str(s.customer.id),
        )
    )
    return fitting[:MOST_SUGGESTIONS]


@dataclass(frozen=True)
class Candidate:
    customer: Customer
    already_referred: bool


def customers_to_refer(vacancy: Vacancy, customer_ids: list[uuid.UUID]) -> list[Candidate]:
    """The chosen customers of the vacancy's district, whether or not they may be referred
    (the caller says why not), in the order chosen. One query."""
    rows = db.session.execute(
        select(Customer, ~_not_referred_to(vacancy.id)).where(
            Customer.id.in_(customer_ids), Customer.district_id == vacancy.district_id
        )
    ).all()
    found = {customer.id: Candidate(customer, bool(referred)) for customer, referred in rows}
    return [found[customer_id] for customer_id in customer_ids if customer_id in found]


# --- the employer: candidates --------------------------------------------------------------


def vacancy_for_employer(vacancy_id: uuid.UUID, organisation_id: uuid.UUID) -> Vacancy | None:
    return db.session.scalar(
        select(Vacancy).where(Vacancy.id == vacancy_id, Vacancy.organisation_id == organisation_id)
    )


def _shared_with(organisation_id: uuid.UUID):
    """Referrals of the organisation whose customer consents now: withdrawing consent hides
    the customer from the employer at once."""
    return (
        select(Referral)
        .join(Referral.customer)
        .where(Referral.organisation_id == organisation_id, CONSENTED)
    )


def status_counts(vacancy: Vacancy) -> dict[str, int]:
    """How many candidates the vacancy has at each status (consented customers only)."""
    rows = db.session.execute(
        select(Referral.status, func.count())
        .join(Referral.customer)
        .where(
            Referral.vacancy_id == vacancy.id,
            Referral.organisation_id == vacancy.organisation_id,
            CONSENTED,
        )
        .group_by(Referral.status)
    ).all()
    counts = dict.fromkeys(rules.STATUSES, 0)
    for status, count in rows:
        counts[ReferralStatus(status).value] = count
    return counts


def candidates(vacancy: Vacancy, status: str | None = None) -> list[Referral]:
    """The vacancy's candidates (at `status`, if given), oldest referral first, at most
    `MOST_LISTED`."""
    statement = (
        _shared_with(vacancy.organisation_id)
        .where(Referral.vacancy_id == vacancy.id)
        .options(contains_eager(Referral.customer))
        .order_by(Referral.created_at, Referral.id)
        .limit(MOST_LISTED)
    )
    if status:
        statement = statement.where(Referral.status == ReferralStatus(status))
    return list(db.session.scalars(statement))


def referral_for_employer(
    referral_id: uuid.UUID, organisation_id: uuid.UUID, *, for_update: bool = False
) -> Referral | None:
    """The referral with its customer, vacancy, the customer's adviser and the history, if
    it is the organisation's and the customer still consents."""
    statement = (
        _shared_with(organisation_id)
        .where(Referral.id == referral_id)
        .options(
            contains_eager(Referral.customer).joinedload(Customer.adviser),
            joinedload(Referral.vacancy).joinedload(Vacancy.organisation),
            selectinload(Referral.events).joinedload(ReferralEvent.by),
        )
    )
    if for_update:
        # Two people at the employer deciding at once: the second waits, then sees the
        # first's decision and is refused if the step no longer follows.
        statement = statement.with_for_update(of=Referral)
    return db.session.scalars(statement).unique().first()


def referral_for_staff(
    referral_id: uuid.UUID, user: User, *, for_update: bool = False
) -> Referral | None:
    """The referral with its customer, vacancy and history, if the customer is of the staff
    member's district (as on the customer's page, which links to it)."""
    if not user.is_staff or user.district_id is None:
        return None
    statement = (
        select(Referral)
        .join(Referral.customer)
        .where(Referral.id == referral_id, Customer.district_id == user.district_id)
        .options(
            contains_eager(Referral.customer).joinedload(Customer.adviser),
            joinedload(Referral.vacancy).joinedload(Vacancy.organisation),
            selectinload(Referral.events).joinedload(ReferralEvent.by),
        )
    )
    if for_update:
        statement = statement.with_for_update(of=Referral)
    return db.session.scalars(statement).unique().first()


def waiting_by_vacancy(organisation_id: uuid.UUID, limit: int = 10) -> list[dict]:
    """For the employer's home page: candidates still waiting on a decision, per vacancy.
    One grouped query.

    Counted live, not from a rollup: it is the employer's to-do list, and a candidate just
    decided on must leave it at once. So it reads indexes only: the open referrals with their
    vacancy and customer from `ix_referral_organisation_open`, each customer's consent from
    `ix_customer_consent`; the vacancies are joined after counting, one per vacancy."""
    open_statuses = [ReferralStatus(status) for status in rules.OPEN_STATUSES]
    waiting = (
        select(Referral.vacancy_id.label("vacancy_id"), func.count().label("waiting"))
        .join(Customer, Customer.id == Referral.customer_id)
        .where(
            Referral.organisation_id == organisation_id,
            Referral.status.in_(open_statuses),
            CONSENTED,
        )
        .group_by(Referral.vacancy_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Vacancy.id, Vacancy.job_title, waiting.c.waiting)
        .join(waiting, waiting.c.vacancy_id == Vacancy.id)
        .order_by(waiting.c.waiting.desc(), Vacancy.job_title, Vacancy.id)
        .limit(limit)
    ).all()
    return [{"vacancy_id": row[0], "job_title": row[1], "waiting": row[2]} for row in rows]


# --- staff: referral quality ---------------------------------------------------------------


@dataclass(frozen=True)
class QualityRow:
    name: str
    rated: int
    average: float
    not_suitable: int


def _quality(group_columns, join, district_id: uuid.UUID, since: dt.datetime | None):
    rated = func.count(Referral.suitability)
    statement = (
        select(
            *group_columns,
            rated,
            func.avg(Referral.suitability),
            func.sum(case((Referral.suitability == 1, 1), else_=0)),
        )
        .select_from(Referral)
        .outerjoin(*join)
        .where(Referral.district_id == district_id, Referral.rated_at.is_not(None))
        .group_by(*group_columns)
        .order_by(group_columns[1], group_columns[0])
        .limit(500)
    )
    if since is not None:
        statement = statement.where(Referral.rated_at >= since)
    return [
        QualityRow(
            name=row[1] or "",
            rated=row[2],
            average=round(float(row[3]), 1),
            not_suitable=int(row[4] or 0),
        )
        for row in db.session.execute(statement)
    ]


def quality_by_adviser(district_id: uuid.UUID, since: dt.datetime | None) -> list[QualityRow]:
    """The employers' ratings of a district's referrals, by the adviser who referred."""
    return _quality(
        [Referral.referred_by_id, User.name],
        (User, User.id == Referral.referred_by_id),
        district_id,
        since,
    )


def quality_by_office(district_id: uuid.UUID, since: dt.datetime | None) -> list[QualityRow]:
    """The same, by the office the adviser referred from (blank: no office recorded)."""
    return _quality(
        [Referral.office_id, Office.name],
        (Office, Office.id == Referral.office_id),
        district_id,
        since,
    )


# --- the staff account page's tab (listed in app/accounts/tabs.py) ------------------------

#: Rows the account page's tab lists, newest first.
ACCOUNT_TAB_LIMIT = 50


def account_tab(organisation_ids: list[uuid.UUID], *, consenting_only: bool = False) -> dict:
    """The newest referrals and the count at each status. An employer's page asks for
    `consenting_only`: a customer who withdraws consent disappears from it at once, as from
    the employer's own candidate pages (above).
    The staff account page and a head office's branch page show them."""

    def scoped(statement):
        statement = statement.where(Referral.organisation_id.in_(organisation_ids))
        if consenting_only:
            statement = statement.join(Customer, Customer.id == Referral.customer_id).where(
                CONSENTED
            )
        return statement

    rows = list(
        db.session.scalars(
            scoped(select(Referral))
            .options(selectinload(Referral.vacancy), selectinload(Referral.customer))
            .order_by(Referral.created_at.desc(), Referral.id)
            .limit(ACCOUNT_TAB_LIMIT)
        )
    )
    by_status = {
        getattr(status, "value", status): count
        for status, count in db.session.execute(
            scoped(select(Referral.status, func.count(Referral.id))).group_by(Referral.status)
        )
    }
    return {
        "referrals": rows,
        "by_status": by_status,
        "referrals_done": done_for_you("referral", [r.id for r in rows]),
    }
