"""Reading guarantees: an employer's list, the counts by state, the staff's work to chase,
and the rate kept for management information. Each runs a fixed number of statements."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql import ColumnElement

from app.accounts.models import AssistedChange, District, Organisation
from app.auth.models import Role, User
from app.extensions import db
from app.guarantees.models import Guarantee
from app.guarantees.rules import Outcome, State
from app.pet.models import CourseReferral
from app.referrals.models import Referral

#: The most guarantees a list shows (open ones first, soonest due first).
LIST_LIMIT = 200


def state_of(today: dt.date):
    """The SQL for `rules.state`: one CASE, so counts group in the database."""
    return case(
        (Guarantee.outcome == Outcome.INTERVIEWED, State.KEPT.value),
        (Guarantee.outcome == Outcome.NOT_OFFERED, State.NOT_OFFERED.value),
        (Guarantee.due_on >= today, State.DUE.value),
        else_=State.OVERDUE.value,
    )


def _count(condition: ColumnElement) -> ColumnElement:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@dataclass(frozen=True)
class Counts:
    kept: int = 0
    due: int = 0
    overdue: int = 0
    not_offered: int = 0
    # Not offered, by reason code.
    reasons: tuple[tuple[str, int], ...] = ()

    @property
    def total(self) -> int:
        return self.kept + self.due + self.overdue + self.not_offered


def counts(where: list[ColumnElement], today: dt.date) -> Counts:
    """Kept, due, overdue and not offered (with each reason's count), in one statement."""
    state = state_of(today)
    rows = db.session.execute(
        select(state.label("state"), Guarantee.reason, func.count(Guarantee.id))
        .where(*where)
        .group_by(state, Guarantee.reason)
    ).all()
    totals = {value.value: 0 for value in State}
    reasons: dict[str, int] = {}
    for state_value, reason, number in rows:
        totals[state_value] += number
        if state_value == State.NOT_OFFERED.value and reason is not None:
            reasons[str(reason)] = reasons.get(str(reason), 0) + number
    return Counts(
        kept=totals["kept"],
        due=totals["due"],
        overdue=totals["overdue"],
        not_offered=totals["not_offered"],
        reasons=tuple(sorted(reasons.items())),
    )


def organisation_counts(organisation_id: uuid.UUID, today: dt.date) -> Counts:
    return counts([Guarantee.organisation_id == organisation_id], today)


def family_counts(organisation_id: uuid.UUID, today: dt.date, *, with_branches: bool) -> Counts:
    """The account's counts, with its branches' when `with_branches` (a head office)."""
    if not with_branches:
        return organisation_counts(organisation_id, today)
    family = select(Organisation.id).where(
        or_(Organisation.id == organisation_id, Organisation.parent_id == organisation_id)
    )
    return counts([Guarantee.organisation_id.in_(family)], today)


def _loaded():
    return (
        joinedload(Guarantee.customer),
        joinedload(Guarantee.referral).joinedload(Referral.vacancy),
        joinedload(Guarantee.course_referral).joinedload(CourseReferral.course),
    )


def for_employer(organisation_id: uuid.UUID, *, limit: int = LIST_LIMIT) -> list[Guarantee]:
    """The employer's guarantees: still open first (soonest due first), then answered
    (latest first); at most `limit`."""
    return list(
        db.session.scalars(
            select(Guarantee)
            .where(Guarantee.organisation_id == organisation_id)
            .options(*_loaded())
            .order_by(
                Guarantee.outcome.is_not(None),
                Guarantee.due_on,
                Guarantee.answered_at.desc(),
                Guarantee.id,
            )
            .limit(limit)
        ).unique()
    )


def open_for_employer(organisation_id: uuid.UUID, *, limit: int = 5) -> list[Guarantee]:
    """The employer's open guarantees, soonest due first (the home page's list)."""
    return list(
        db.session.scalars(
            select(Guarantee)
            .where(Guarantee.organisation_id == organisation_id, Guarantee.outcome.is_(None))
            .options(*_loaded())
            .order_by(Guarantee.due_on, Guarantee.id)
            .limit(limit)
        ).unique()
    )


def guarantee_of(organisation_id: uuid.UUID, guarantee_id: uuid.UUID) -> Guarantee | None:
    return db.session.scalar(
        select(Guarantee)
        .where(Guarantee.id == guarantee_id, Guarantee.organisation_id == organisation_id)
        .options(*_loaded(), joinedload(Guarantee.organisation))
    )


def assisted_by(subject_type: str, subject_id: uuid.UUID) -> dict[uuid.UUID, str]:
    """Staff who acted on one record for the employer (assisted digital), each with the
    channel of their latest change: one query."""
    rows = db.session.execute(
        select(AssistedChange.staff_id, AssistedChange.channel)
        .where(
            AssistedChange.subject_type == subject_type,
            AssistedChange.subject_id == subject_id,
        )
        .order_by(AssistedChange.at, AssistedChange.id)
    )
    return {staff_id: channel for staff_id, channel in rows}


def chase_scope(user: User) -> list[ColumnElement] | None:
    """Whose overdue guarantees a member of staff chases: a DAM those of the accounts they
    hold (their portfolio), an LMRA or coordinator their district's, an admin everyone's;
    None for anyone else."""
    if user.role is Role.ADMIN:
        return []
    if user.role is Role.DAM:
        return [
            Guarantee.organisation_id.in_(
                select(Organisation.id).where(Organisation.contact_id == user.id)
            )
        ]
    if user.role in (Role.LMRA, Role.COORDINATOR) and user.district_id is not None:
        return [Guarantee.district_id == user.district_id]
    return None


def _overdue(today: dt.date) -> list[ColumnElement]:
    return [Guarantee.outcome.is_(None), Guarantee.due_on < today]


def to_chase_count(user: User, today: dt.date) -> int | None:
    scope = chase_scope(user)
    if scope is None:
        return None
    return db.session.scalar(select(func.count(Guarantee.id)).where(*scope, *_overdue(today)))


def to_chase(user: User, today: dt.date, *, limit: int = LIST_LIMIT) -> list[Guarantee]:
    """Overdue guarantees in the user's scope, longest overdue first."""
    scope = chase_scope(user)
    if scope is None:
        return []
    return list(
        db.session.scalars(
            select(Guarantee)
            .where(*scope, *_overdue(today))
            .options(
                *_loaded(),
                joinedload(Guarantee.organisation).joinedload(Organisation.contact),
            )
            .order_by(Guarantee.due_on, Guarantee.id)
            .limit(limit)
        ).unique()
    )


# --- management information -------------------------------------------------------------------


def kept_rate_rows(
    *,
    first: dt.date,
    last: dt.date,
    today: dt.date,
    place: list[ColumnElement] | None = None,
) -> list[dict]:
    """Guarantees whose answer fell due in the period (first to last, up to today) by
    district, sector and employer size: kept, not offered, overdue. One statement, whose rows
    are bounded by districts x sectors x sizes, not by guarantees; the MI figures by district,
    by sector and by size add them up."""
    state = state_of(today)
    statement = (
        select(
            District.name.label("district"),
            Organisation.sector.label("sector"),
            Organisation.size_band.label("size"),
            _count(state == State.KEPT.value).label("kept"),
            _count(state == State.NOT_OFFERED.value).label("not_offered"),
            _count(state == State.OVERDUE.value).label("overdue"),
        )
        .join(Organisation, Organisation.id == Guarantee.organisation_id)
        .join(District, District.id == Guarantee.district_id)
        .where(
            Guarantee.due_on >= first,
            Guarantee.due_on <= last,
            or_(Guarantee.outcome.is_not(None), Guarantee.due_on < today),
            *(place or []),
        )
        .group_by(District.name, Organisation.sector, Organisation.size_band)
    )
    return [
        {
            "district": row.district,
            "sector": row.sector,
            "size": row.size.value if hasattr(row.size, "value") else row.size,
            "kept": int(row.kept),
            "not_offered": int(row.not_offered),
            "overdue": int(row.overdue),
        }
        for row in db.session.execute(statement)
    ]


def kept_rate_by(rows: list[dict], group: str) -> list[dict]:
    """The rows of `kept_rate_rows` added up by one of district, sector or size."""
    totals: dict[str, dict] = {}
    for row in rows:
        entry = totals.setdefault(
            row[group], {group: row[group], "kept": 0, "not_offered": 0, "overdue": 0}
        )
        for key in ("kept", "not_offered", "overdue"):
            entry[key] += row[key]
    for entry in totals.values():
        entry["fell_due"] = entry["kept"] + entry["not_offered"] + entry["overdue"]
    return [totals[key] for key in sorted(totals)]


def in_district(district_id: uuid.UUID | None, nation: str | None) -> list[ColumnElement]:
    if district_id is not None:
        return [Guarantee.district_id == district_id]
    if nation:
        return [
            Guarantee.district_id.in_(select(District.id).where(District.nation_code == nation))
        ]
    return []
