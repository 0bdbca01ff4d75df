"""Reads for the local labour market pages: the places a user may choose, and every figure's
rollup counts in one statement, month by month.

The statement reads only `rollup_count` (and `rollup_state` for "Figures as of"): a row per
rollup, key and month, so its size depends on the number of sectors and months, never on
the number of vacancies, agreements or courses. Occupations are typed by employers, so only
the six with the most LEP vacancies going live in the window keep their own key; the rest
are read together.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from flask import g
from sqlalchemy import String, case, func, literal, select, union_all
from sqlalchemy.sql import ColumnElement

from app.accounts.models import District, Nation
from app.extensions import db
from app.lmi.rules import MOST_SERIES, Window
from app.reports import rollups
from app.reports.lmi_rollups import LMI_NAMES
from app.reports.models import RollupCount, RollupState

#: The key occupations outside the top few are read under: keys are trimmed, so no typed
#: occupation starts with a space.
OTHER_OCCUPATIONS = " other"
#: Rollups whose figures need every day up to the window's end, not only the window's:
#: employers signed up are those whose agreements started by then less those ended.
FROM_THE_START = ("lmi_employers",)
#: Measures each row carries (`value_1`… in the rollup's order; unused ones are 0).
READ_MEASURES = 4


@dataclass(frozen=True)
class Place:
    """A nation (its code) or one district: what the figures cover."""

    value: str
    name: str
    nation: str | None = None
    district_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Scope:
    place: Place
    window: Window


def staff_places() -> list[Place]:
    """Every nation with districts, then every district, each by name: one query."""
    rows = db.session.execute(
        select(Nation.code, Nation.name, District.id, District.name)
        .join(District, District.nation_code == Nation.code)
        .order_by(Nation.name, District.name, District.id)
    ).all()
    nations = {code: Place(code, name, nation=code) for code, name, _id, _name in rows}
    districts = sorted(
        (Place(str(district_id), name, district_id=district_id) for *_n, district_id, name in rows),
        key=lambda place: (place.name, place.value),
    )
    return [*nations.values(), *districts]


def district_places(district_ids: frozenset[uuid.UUID]) -> list[Place]:
    """The given districts, by name."""
    if not district_ids:
        return []
    rows = db.session.execute(
        select(District.id, District.name)
        .where(District.id.in_(list(district_ids)))
        .order_by(District.name, District.id)
    ).all()
    return [Place(str(district_id), name, district_id=district_id) for district_id, name in rows]


def _in_place(place: Place, district_column) -> list[ColumnElement]:
    if place.district_id is not None:
        return [district_column == place.district_id]
    return [district_column.in_(select(District.id).where(District.nation_code == place.nation))]


def _bucket(window: Window, day) -> ColumnElement:
    """The month a day falls in: 1 to 12 in the window, 0 before it."""
    return case(
        (day < window.first, 0),
        *((day <= month.last, number) for number, month in enumerate(window.months, start=1)),
        else_=len(window.months) + 1,
    )


def _branch(name: str, scope: Scope):
    """One rollup's counts in the place, by key and month (0: before the window)."""
    window = scope.window
    where = [
        RollupCount.rollup == name,
        RollupCount.day <= window.last,
        *_in_place(scope.place, RollupCount.district_id),
    ]
    if name not in FROM_THE_START:
        where.append(RollupCount.day >= window.first)
    values = [getattr(RollupCount, f"value_{slot}") for slot in range(1, READ_MEASURES + 1)]
    # Grouped outside: PostgreSQL groups by columns, not by expressions with parameters.
    each = (
        select(
            RollupCount.key.label("key"),
            _bucket(window, RollupCount.day).label("month"),
            *(value.label(f"value_{slot}") for slot, value in enumerate(values, start=1)),
        )
        .where(*where)
        .subquery()
    )
    sums = [func.sum(each.c[f"value_{slot}"]) for slot in range(1, READ_MEASURES + 1)]
    grouped = select(
        each.c.key,
        each.c.month,
        *(total.label(f"value_{slot}") for slot, total in enumerate(sums, 1)),
    ).group_by(each.c.key, each.c.month)
    if name == "lmi_vacancy_occupations":
        return _top_occupations(grouped.subquery())
    return select(literal(name, String).label("rollup"), *grouped.selected_columns).group_by(
        each.c.key, each.c.month
    )


def _top_occupations(grouped: Any):
    """The occupations by month, those outside the `MOST_SERIES` with the most LEP vacancies
    going live in the window read together under `OTHER_OCCUPATIONS`: ranked with window
    functions over the rows already added up, so the rollup is read once."""
    total = func.sum(grouped.c.value_1).over(partition_by=grouped.c.key)
    with_total = select(grouped, total.label("key_total")).subquery()
    rank = func.dense_rank().over(order_by=(with_total.c.key_total.desc(), with_total.c.key))
    ranked = select(with_total, rank.label("place")).subquery()
    kept = select(
        case((ranked.c.place <= MOST_SERIES, ranked.c.key), else_=literal(OTHER_OCCUPATIONS)).label(
            "key"
        ),
        ranked.c.month,
        *(ranked.c[f"value_{slot}"] for slot in range(1, READ_MEASURES + 1)),
    ).subquery()
    return select(
        literal("lmi_vacancy_occupations", String).label("rollup"),
        kept.c.key,
        kept.c.month,
        *(func.sum(kept.c[f"value_{slot}"]) for slot in range(1, READ_MEASURES + 1)),
    ).group_by(kept.c.key, kept.c.month)


def _read(scope: Scope) -> list[dict]:
    branches = [_branch(name, scope) for name in LMI_NAMES]
    branches.append(
        select(
            literal("as_of", String),
            literal("", String),
            literal(0),
            func.min(RollupState.refreshed_epoch),
            *([literal(0)] * (READ_MEASURES - 1)),
        ).where(RollupState.rollup.in_(LMI_NAMES))
    )
    statement = union_all(*branches)
    return [
        {
            "rollup": row[0],
            "key": row[1],
            "month": int(row[2] or 0),
            "values": tuple(int(value or 0) for value in row[3:]),
        }
        for row in db.session.execute(statement)
    ]


def rollup_rows(scope: Scope) -> list[dict]:
    """Every labour market rollup's counts for the scope by key and month, with "as_of":
    one statement per request, however many figures slice it."""
    cache = g.setdefault("lmi_rollup_rows", {})
    if scope not in cache:
        rollups.refresh_on_read(db.session)
        cache[scope] = _read(scope)
    return cache[scope]
