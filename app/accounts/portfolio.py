"""The portfolio query: accounts with their agreement, last contact and next action, filtered,
counted per filter value (every filter's counts in one statement) and paged by keyset."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import Date, and_, case, cast, exists, func, literal, null, or_, select, union_all
from sqlalchemy.orm import aliased

from app.accounts.models import (
    ContactLogEntry,
    District,
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


@dataclass(frozen=True, slots=True)
class AccountLine:
    """What the portfolio shows of an account."""

    id: uuid.UUID
    name: str
    district_name: str
    sector: str
    size_band: SizeBand
    contact_name: str | None


@dataclass
class Portfolio:
    rows: list[dict]
    counts: dict[str, dict[str, int]]
    total: int
    next_after: uuid.UUID | None


def _facts(scope, today: dt.date, q: str):
    """One row per account in scope with the values every filter reads.

    The last contact, next action and agreement are correlated subqueries, each an index
    lookup per account in scope: grouping the whole contact log and joining it would read
    every account's entries to show one person's few hundred."""
    last_on = (
        select(func.max(ContactLogEntry.occurred_on))
        .where(ContactLogEntry.organisation_id == Organisation.id)
        .correlate(Organisation)
        .scalar_subquery()
    )
    due_on = (
        select(func.min(NextAction.due_on))
        .where(NextAction.organisation_id == Organisation.id, NextAction.done_at.is_(None))
        .correlate(Organisation)
        .scalar_subquery()
    )
    active = (
        select(func.max(case((Agreement.status == AgreementStatus.ACTIVE, 1), else_=0)))
        .where(Agreement.organisation_id == Organisation.id)
        .correlate(Organisation)
        .scalar_subquery()
    )
    contact = aliased(User)
    raw = (
        select(
            Organisation.id.label("id"),
            Organisation.name.label("name"),
            Organisation.district_id.label("district"),
            # The office the account is looked after from: its contact's.
            contact.office_id.label("office"),
            contact.name.label("contact_name"),
            Organisation.sector.label("sector"),
            Organisation.size_band.label("size"),
            active.label("active"),
            last_on.label("last_on"),
            due_on.label("due_on"),
        )
        .select_from(Organisation)
        .outerjoin(contact, contact.id == Organisation.contact_id)
        .where(*scope)
    )
    if q:
        compact = q.replace(" ", "").upper()
        raw = raw.where(
            or_(
                func.lower(Organisation.name).contains(q.lower()),
                exists().where(
                    Site.organisation_id == Organisation.id,
                    func.replace(Site.postcode, " ", "").startswith(compact),
                ),
            )
        )
    accounts = raw.cte("portfolio_accounts")
    # A CTE that the counts read seven times is computed once (PostgreSQL and SQLite both
    # materialise a CTE used more than once).
    return select(
        accounts.c.id,
        accounts.c.name,
        accounts.c.district,
        accounts.c.office,
        accounts.c.contact_name,
        accounts.c.sector,
        accounts.c.size,
        case(
            (accounts.c.active == 1, literal("active")),
            (accounts.c.active.is_not(None), literal("ended")),
            else_=literal("none"),
        ).label("agreement"),
        case(
            (accounts.c.last_on.is_(None), literal("never")),
            (accounts.c.last_on >= today - dt.timedelta(days=30), literal("within_30")),
            (accounts.c.last_on >= today - dt.timedelta(days=90), literal("31_to_90")),
            else_=literal("over_90"),
        ).label("last_contact"),
        case(
            (accounts.c.due_on.is_(None), literal("none")),
            (accounts.c.due_on < today, literal("overdue")),
            else_=literal("due"),
        ).label("next_action"),
        func.coalesce(accounts.c.due_on, literal(NO_DATE, Date)).label("sort_due"),
        accounts.c.last_on.label("last_on"),
    ).cte("portfolio_facts")


def _conditions(facts, filters: Filters) -> dict[str, object]:
    conditions = {}
    for name, value in filters.values.items():
        column = facts.c[name]
        conditions[name] = column == (SizeBand(value) if name == "size" else value)
    return conditions


def _key(value: object) -> str:
    return str(getattr(value, "value", value)) if value is not None else ""


def _counts(facts, conditions: dict[str, object]):
    """Each filter's values with their counts (under the other filters chosen), as one
    UNION ALL of grouped counts. Each branch fills its filter's own column, the others are
    typed NULLs, so every value comes back as its own type (UUID, enum, text)."""
    branches = []
    for name in FILTERS:
        others = [condition for key, condition in conditions.items() if key != name]
        branches.append(
            select(
                literal(name).label("filter"),
                *(
                    (
                        facts.c[column] if column == name else cast(null(), facts.c[column].type)
                    ).label(column)
                    for column in FILTERS
                ),
                func.count().label("n"),
            )
            .where(*others)
            .group_by(facts.c[name])
        )
    return union_all(*branches)


def load(scope, filters: Filters, today: dt.date, after: uuid.UUID | None = None) -> Portfolio:
    """A page of the portfolio, and each filter's values with their counts.

    Queries: one for every filter's counts, one for the page (and one for the cursor's row
    after the first page), whatever the number of accounts.
    """
    facts = _facts(scope, today, filters.q)
    conditions = _conditions(facts, filters)
    counts: dict[str, dict[str, int]] = {name: {} for name in FILTERS}
    for row in db.session.execute(_counts(facts, conditions)).mappings():
        counts[row["filter"]][_key(row[row["filter"]])] = row["n"]
    chosen = filters.values.get("next_action")
    total = (
        counts["next_action"].get(str(chosen), 0) if chosen else sum(counts["next_action"].values())
    )

    # Columns, not Organisation objects with their contact and district loaded after them.
    statement = (
        select(
            facts.c.id,
            facts.c.name,
            District.name.label("district_name"),
            facts.c.sector,
            facts.c.size,
            facts.c.contact_name,
            facts.c.sort_due,
            facts.c.agreement,
            facts.c.last_contact,
            facts.c.next_action,
            facts.c.last_on,
        )
        .join(District, District.id == facts.c.district)
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
        statement.order_by(facts.c.sort_due, facts.c.name, facts.c.id).limit(PAGE_SIZE + 1)
    ).all()
    rows = [
        {
            "organisation": AccountLine(
                row.id, row.name, row.district_name, row.sector, row.size, row.contact_name
            ),
            "next_due_on": None if row.sort_due == NO_DATE else row.sort_due,
            "agreement": row.agreement,
            "last_contact": row.last_contact,
            "next_action": row.next_action,
            "last_contact_on": row.last_on,
        }
        for row in found[:PAGE_SIZE]
    ]
    next_after = rows[-1]["organisation"].id if len(found) > PAGE_SIZE else None
    return Portfolio(rows=rows, counts=counts, total=total, next_after=next_after)
