"""What the call-back pages read: the queue, one call, timeliness and the home panel counts.

Each is a bounded number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import District, EmployerMembership, Office, Organisation
from app.auth.models import User
from app.callbacks.models import AttemptResult, CallAttempt, CallBack, CallBackStatus
from app.callbacks.rules import DUE_SOON, share_in_time, week_boundaries
from app.extensions import db
from app.vacancies.models import Vacancy

NOT_COMPLETED = (CallBackStatus.OPEN, CallBackStatus.CLAIMED)

#: Rows on one page of the queue.
QUEUE_PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class LastAttempt:
    result: AttemptResult
    call_back_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class QueueRow:
    """What one row of the queue shows, read as columns: loading each call-back with its
    vacancy, employer, claimer and every attempt as ORM objects was a third of the page."""

    id: uuid.UUID
    district_id: uuid.UUID
    status: CallBackStatus
    due_at: dt.datetime
    claimed_by_id: uuid.UUID | None
    claimer_name: str | None
    organisation_name: str
    job_title: str
    last_attempt: LastAttempt | None = None


_QUEUE_COLUMNS = (
    select(
        CallBack.id,
        CallBack.district_id,
        CallBack.status,
        CallBack.due_at,
        CallBack.claimed_by_id,
        User.name.label("claimer_name"),
        Organisation.name.label("organisation_name"),
        Vacancy.job_title,
    )
    .join(Organisation, Organisation.id == CallBack.organisation_id)
    .join(Vacancy, Vacancy.id == CallBack.vacancy_id)
    .outerjoin(User, User.id == CallBack.claimed_by_id)
)


def _queue_rows(statement) -> list[QueueRow]:
    """The rows `statement` (on `_QUEUE_COLUMNS`) finds, each with its last attempt: two
    statements whatever the number."""
    found = db.session.execute(statement).all()
    if not found:
        return []
    last = {
        callback_id: LastAttempt(result, call_back_at)
        for callback_id, result, call_back_at in db.session.execute(
            select(CallAttempt.callback_id, CallAttempt.result, CallAttempt.call_back_at)
            .where(CallAttempt.callback_id.in_([row.id for row in found]))
            .order_by(CallAttempt.made_at)
        )
    }
    return [QueueRow(**row._mapping, last_attempt=last.get(row.id)) for row in found]


def queue_page(
    district_id: uuid.UUID | None, *, claimed_by_id: uuid.UUID | None = None, page: int = 1
) -> tuple[list[QueueRow], bool]:
    """One page of a district's open and claimed call-backs, soonest due first, and whether
    there is a next page."""
    if district_id is None:
        return [], False
    statement = _QUEUE_COLUMNS.where(
        CallBack.district_id == district_id, CallBack.status.in_(NOT_COMPLETED)
    )
    if claimed_by_id is not None:
        statement = statement.where(CallBack.claimed_by_id == claimed_by_id)
    rows = _queue_rows(
        statement.order_by(CallBack.due_at, CallBack.id)
        .limit(QUEUE_PAGE_SIZE + 1)
        .offset((page - 1) * QUEUE_PAGE_SIZE)
    )
    return rows[:QUEUE_PAGE_SIZE], len(rows) > QUEUE_PAGE_SIZE


def queue_row(callback_id: uuid.UUID) -> QueueRow | None:
    """One call-back as its queue row shows it."""
    rows = _queue_rows(_QUEUE_COLUMNS.where(CallBack.id == callback_id))
    return rows[0] if rows else None


def callback_for_call(callback_id: uuid.UUID) -> CallBack | None:
    """One call-back with everything the call screen shows."""
    return db.session.scalar(
        select(CallBack)
        .where(CallBack.id == callback_id)
        .options(
            joinedload(CallBack.vacancy).options(
                joinedload(Vacancy.site), joinedload(Vacancy.created_by)
            ),
            joinedload(CallBack.organisation).options(
                joinedload(Organisation.contact),
                selectinload(Organisation.memberships).joinedload(EmployerMembership.user),
            ),
            joinedload(CallBack.claimed_by),
            joinedload(CallBack.completed_by),
            selectinload(CallBack.attempts).joinedload(CallAttempt.made_by),
        )
        .execution_options(populate_existing=True)
    )


def attempts_of(callback: CallBack) -> list[CallAttempt]:
    return list(
        db.session.scalars(
            select(CallAttempt)
            .where(CallAttempt.callback_id == callback.id)
            .options(joinedload(CallAttempt.made_by))
            .order_by(CallAttempt.made_at, CallAttempt.id)
        )
    )


@dataclass(frozen=True)
class PanelCounts:
    open: int
    due_soon: int
    overdue: int
    mine: int


def panel_counts(district_id: uuid.UUID, user_id: uuid.UUID, now: dt.datetime) -> PanelCounts:
    """A district's call-backs still to do, in one grouped query."""

    def count_where(condition) -> object:
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    row = db.session.execute(
        select(
            func.count(CallBack.id),
            count_where(and_(CallBack.due_at >= now, CallBack.due_at < now + DUE_SOON)),
            count_where(CallBack.due_at < now),
            count_where(CallBack.claimed_by_id == user_id),
        ).where(CallBack.district_id == district_id, CallBack.status.in_(NOT_COMPLETED))
    ).one()
    return PanelCounts(*(int(value) for value in row))


@dataclass(frozen=True)
class WeekFigures:
    office: str | None
    district: str | None
    week_start: dt.date
    completed: int
    in_time: int

    @property
    def breaches(self) -> int:
        return self.completed - self.in_time

    @property
    def share_in_time(self) -> int | None:
        return share_in_time(self.in_time, self.completed)

    @property
    def iso_week(self) -> int:
        return self.week_start.isocalendar().week


def timeliness(mondays: list[dt.date], district_id: uuid.UUID | None) -> list[WeekFigures]:
    """Call-backs completed per office and ISO week (London time), and how many in time.

    One query: the week of each completion is picked in SQL by comparing it with the weeks'
    starting instants, computed here in London time, so the same statement is right on SQLite
    and PostgreSQL and across clock changes. Ordered by office, then latest week first.
    """
    edges = week_boundaries(mondays)
    week = case(
        *((CallBack.completed_at < edge, index) for index, edge in enumerate(edges[1:])),
    ).label("week")
    completions = select(CallBack.office_id, week, CallBack.breached).where(
        CallBack.status == CallBackStatus.COMPLETED,
        CallBack.completed_at >= edges[0],
        CallBack.completed_at < edges[-1],
    )
    if district_id is not None:
        completions = completions.where(CallBack.district_id == district_id)
    completions = completions.subquery()
    rows = db.session.execute(
        select(
            Office.name,
            District.name,
            completions.c.week,
            func.count(),
            func.sum(case((completions.c.breached.is_(True), 0), else_=1)),
        )
        .select_from(completions)
        .outerjoin(Office, Office.id == completions.c.office_id)
        .outerjoin(District, District.id == Office.district_id)
        .group_by(completions.c.office_id, Office.name, District.name, completions.c.week)
    ).all()
    figures = [
        WeekFigures(office, district, mondays[index], int(completed), int(in_time))
        for office, district, index, completed, in_time in rows
    ]
    return sorted(
        figures,
        key=lambda f: (
            f.office is None,
            f.district or "",
            f.office or "",
            -f.week_start.toordinal(),
        ),
    )


def districts() -> list[District]:
    return list(db.session.scalars(select(District).order_by(District.name)))
