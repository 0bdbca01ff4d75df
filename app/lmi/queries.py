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
from sqlalchemy import Date, String, case, cast, func, literal, null, select, union_all
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
    """A nation (its code, with its districts' ids) or one district: what the figures
    cover."""

    value: str
    name: str
    nation: str | None = None
    district_id: uuid.UUID | None = None
    district_ids: tuple[uuid.UUID, ...] = ()


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
    ids: dict[str, list[uuid.UUID]] = {}
    for code, _name, district_id, _district in rows:
        ids.setdefault(code, []).append(district_id)
    nations = {
        code: Place(code, name, nation=code, district_ids=tuple(ids[code]))
        for code, name, _id, _name in rows
    }
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
    """The place's districts by their ids: a nation's as a list, not IN (SELECT ...), so
    PostgreSQL reads each district's run of `ix_rollup_count_district_day` rather than
    joining on a guess of how many rows a district has."""
    if place.district_id is not None:
        return [district_column == place.district_id]
    return [district_column.in_(place.district_ids)]


def _branch(name: str, scope: Scope):
    """One rollup's counts in the place, by key and month (each row's `day` is its month's
    first: the labour market rollups are kept by month)."""
    window = scope.window
    where = [
        RollupCount.rollup == name,
        RollupCount.day <= window.last,
        *_in_place(scope.place, RollupCount.district_id),
    ]
    if name not in FROM_THE_START:
        where.append(RollupCount.day >= window.first)
    values = [getattr(RollupCount, f"value_{slot}") for slot in range(1, READ_MEASURES + 1)]
    columns: list[ColumnElement[Any]] = [
        RollupCount.key.label("key"),
        RollupCount.day.label("day"),
        *(func.sum(value).label(f"value_{slot}") for slot, value in enumerate(values, 1)),
    ]
    if name == "lmi_vacancy_occupations":
        grouped = select(*columns).where(*where).group_by(RollupCount.key, RollupCount.day)
        return _top_occupations(grouped.subquery())
    return (
        select(literal(name, String).label("rollup"), *columns)
        .where(*where)
        .group_by(RollupCount.key, RollupCount.day)
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
        ranked.c.day,
        *(ranked.c[f"value_{slot}"] for slot in range(1, READ_MEASURES + 1)),
    ).subquery()
    return select(
        literal("lmi_vacancy_occupations", String).label("rollup"),
        kept.c.key,
        kept.c.day,
        *(func.sum(kept.c[f"value_{slot}"]) for slot in range(1, READ_MEASURES + 1)),
    ).group_by(kept.c.key, kept.c.day)


def _read(scope: Scope) -> list[dict]:
    """The rows of every branch by (rollup, key, month number): 1 to 12 in the window, 0
    before it (the months before are added up here, a few hundred rows at most)."""
    branches = [_branch(name, scope) for name in LMI_NAMES]
    branches.append(
        select(
            literal("as_of", String),
            literal("", String),
            cast(null(), Date),
            func.min(RollupState.refreshed_epoch),
            *([literal(0)] * (READ_MEASURES - 1)),
        ).where(RollupState.rollup.in_(LMI_NAMES))
    )
    number = {month.first: position for position, month in enumerate(scope.window.months, 1)}
    found: dict[tuple[str, str, int], list[int]] = {}
    for rollup, key, day, *values in db.session.execute(union_all(*branches)):
        # By the day's month, not the day: counts kept by day (until the refresh after a
        # deploy recounts them by month) still fall in the right one.
        month = 0 if day is None else number.get(day.replace(day=1), 0)
        sums = found.setdefault((rollup, key, month), [0] * READ_MEASURES)
        for slot, value in enumerate(values):
            sums[slot] += int(value or 0)
    return [
        {"rollup": rollup, "key": key, "month": month, "values": tuple(sums)}
        for (rollup, key, month), sums in found.items()
    ]


def rollup_rows(scope: Scope) -> list[dict]:
    """Every labour market rollup's counts for the scope by key and month, with "as_of":
    one statement per request, however many figures slice it."""
    cache = g.setdefault("lmi_rollup_rows", {})
    if scope not in cache:
        rollups.refresh_on_read(db.session)
        cache[scope] = _read(scope)
    return cache[scope]
