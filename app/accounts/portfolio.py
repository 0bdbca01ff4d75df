"""The portfolio query: accounts with their agreement, last contact and next action, filtered,
counted per filter value (one grouped query per filter) and paged by keyset."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Date, and_, case, exists, func, literal, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.accounts.models import (
    ContactLogEntry,
    NextAction,
    Organisation,
    Site,
    SizeBand,
)
from app.accounts.rules import AGREEMENT_STATES, CONTACT_BANDS, NEXT_ACTION_STATES
from app.accounts.sectors import SECTORS
from app.agreements.models import Agreement, AgreementStatus
from app.auth.models import User
from app.extensions import db
from app.forms import search_words

PAGE_SIZE = 25
# Accounts without an open next action sort after every real date.
NO_DATE = dt.date(9999, 12, 31)
FILTERS = ("district", "office", "sector", "size", "agreement", "last_contact", "next_action")
CHOICES: dict[str, tuple[str, ...]] = {
    "sector": tuple(SECTORS),
    "size": tuple(band.value for band in SizeBand),
    "agreement": AGREEMENT_STATES,
    "last_contact": CONTACT_BANDS,
    "next_action": NEXT_ACTION_STATES,
}


class BadFilter(ValueError):
    """A filter value no link or form of the page produces: a malformed request."""


@dataclass
class Filters:
    values: dict[str, object] = field(default_factory=dict)
    q: str = ""

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> Filters:
        values: dict[str, object] = {}
        for name in FILTERS:
            raw = (args.get(name) or "").strip()
            if not raw:
                continue
            if name in ("district", "office"):
                try:
                    values[name] = uuid.UUID(raw)
                except ValueError as error:
                    raise BadFilter(name) from error
            elif raw in CHOICES[name]:
                values[name] = raw
            else:
                raise BadFilter(name)
        return cls(values=values, q=search_words(args.get("q")))

    def args(self, **changes: object) -> dict[str, str]:
        """The query string of this view, with some filters changed (None removes one)."""
        merged: dict[str, object] = {**self.values, "q": self.q, **changes}
        return {key: str(value) for key, value in merged.items() if value not in (None, "")}


@dataclass
class Portfolio:
    rows: list[dict]
    counts: dict[str, dict[str, int]]
    total: int
    next_after: uuid.UUID | None


def _facts(scope, today: dt.date, q: str):
    """One row per account in scope with the values every filter reads."""
    last = (
        select(
            ContactLogEntry.organisation_id.label("org_id"),
            func.max(ContactLogEntry.occurred_on).label("last_on"),
        )
        .group_by(ContactLogEntry.organisation_id)
        .subquery()
    )
    upcoming = (
        select(
            NextAction.organisation_id.label("org_id"),
            func.min(NextAction.due_on).label("due_on"),
        )
        .where(NextAction.done_at.is_(None))
        .group_by(NextAction.organisation_id)
        .subquery()
    )
    agreements = (
        select(
            Agreement.organisation_id.label("org_id"),
            func.max(case((Agreement.status == AgreementStatus.ACTIVE, 1), else_=0)).label(
                "active"
            ),
        )
        .group_by(Agreement.organisation_id)
        .subquery()
    )
    contact = aliased(User)
    statement = (
        select(
            Organisation.id.label("id"),
            Organisation.name.label("name"),
            Organisation.district_id.label("district"),
            # The office the account is looked after from: its contact's.
            contact.office_id.label("office"),
            Organisation.sector.label("sector"),
            Organisation.size_band.label("size"),
            case(
                (agreements.c.active == 1, literal("active")),
                (agreements.c.org_id.is_not(None), literal("ended")),
                else_=literal("none"),
            ).label("agreement"),
            case(
                (last.c.last_on.is_(None), literal("never")),
                (last.c.last_on >= today - dt.timedelta(days=30), literal("within_30")),
                (last.c.last_on >= today - dt.timedelta(days=90), literal("31_to_90")),
                else_=literal("over_90"),
            ).label("last_contact"),
            case(
                (upcoming.c.due_on.is_(None), literal("none")),
                (upcoming.c.due_on < today, literal("overdue")),
                else_=literal("due"),
            ).label("next_action"),
            func.coalesce(upcoming.c.due_on, literal(NO_DATE, Date)).label("sort_due"),
            last.c.last_on.label("last_on"),
        )
        .select_from(Organisation)
        .outerjoin(contact, contact.id == Organisation.contact_id)
        .outerjoin(last, last.c.org_id == Organisation.id)
        .outerjoin(upcoming, upcoming.c.org_id == Organisation.id)
        .outerjoin(agreements, agreements.c.org_id == Organisation.id)
        .where(*scope)
    )
    if q:
        compact = q.replace(" ", "").upper()
        statement = statement.where(
            or_(
                func.lower(Organisation.name).contains(q.lower()),
                exists().where(
                    Site.organisation_id == Organisation.id,
                    func.replace(Site.postcode, " ", "").startswith(compact),
                ),
            )
        )
    return statement.subquery()


def _conditions(facts, filters: Filters) -> dict[str, object]:
    conditions = {}
    for name, value in filters.values.items():
        column = facts.c[name]
        conditions[name] = column == (SizeBand(value) if name == "size" else value)
    return conditions


def _key(value: object) -> str:
    return str(getattr(value, "value", value)) if value is not None else ""


def load(scope, filters: Filters, today: dt.date, after: uuid.UUID | None = None) -> Portfolio:
    """A page of the portfolio, and each filter's values with their counts.

    Queries: one grouped count per filter, one for the page (and one for the cursor's row
    after the first page), whatever the number of accounts.
    """
    facts = _facts(scope, today, filters.q)
    conditions = _conditions(facts, filters)
    counts: dict[str, dict[str, int]] = {}
    for name in FILTERS:
        others = [condition for key, condition in conditions.items() if key != name]
        rows = db.session.execute(
            select(facts.c[name], func.count()).where(*others).group_by(facts.c[name])
        )
        counts[name] = {_key(value): n for value, n in rows}
    chosen = filters.values.get("next_action")
    total = (
        counts["next_action"].get(str(chosen), 0) if chosen else sum(counts["next_action"].values())
    )

    statement = (
        select(
            Organisation,
            facts.c.sort_due,
            facts.c.agreement,
            facts.c.last_contact,
            facts.c.next_action,
            facts.c.last_on,
        )
        .join(facts, facts.c.id == Organisation.id)
        .where(*conditions.values())
    )
    if after is not None:
        cursor = db.session.execute(
            select(facts.c.sort_due, facts.c.name).where(facts.c.id == after)
        ).first()
        if cursor is not None:
            due, name = cursor
            statement = statement.where(
                or_(
                    facts.c.sort_due > due,
                    and_(facts.c.sort_due == due, facts.c.name > name),
                    and_(facts.c.sort_due == due, facts.c.name == name, facts.c.id > after),
                )
            )
    found = db.session.execute(
        statement.order_by(facts.c.sort_due, facts.c.name, facts.c.id)
        .limit(PAGE_SIZE + 1)
        .options(
            selectinload(Organisation.contact),
            selectinload(Organisation.district),
        )
    ).all()
    rows = [
        {
            "organisation": organisation,
            "next_due_on": None if due == NO_DATE else due,
            "agreement": agreement,
            "last_contact": last_contact,
            "next_action": next_action,
            "last_contact_on": last_on,
        }
        for organisation, due, agreement, last_contact, next_action, last_on in found[:PAGE_SIZE]
    ]
    next_after = rows[-1]["organisation"].id if len(found) > PAGE_SIZE else None
    return Portfolio(rows=rows, counts=counts, total=total, next_after=next_after)
