"""The parts a rollup is declared with (`Rollup`, `Watch`, the UK day of a moment in SQL); the
declarations themselves and the marking and refreshing are in `app/reports/rollups.py`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import (
    Date,
    case,
    func,
    inspect,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import attributes
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.expression import FunctionElement

from app.clock import LONDON
from app.reports.models import MEASURE_SLOTS


def count_if(condition: ColumnElement) -> ColumnElement:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


# Watching writes ------------------------------------------------------------------------------


def _values(obj: object, name: str) -> set:
    """The attribute's value now and, if this flush changes it, before."""
    history = attributes.get_history(obj, name, passive=attributes.PASSIVE_NO_INITIALIZE)
    found = {*history.added, *history.unchanged, *history.deleted}
    return {value for value in found if value is not None}


def _changed(obj: object, *names: str) -> bool:
    return any(
        attributes.get_history(obj, name, passive=attributes.PASSIVE_NO_INITIALIZE).has_changes()
        for name in names
    )


@dataclass(frozen=True)
class Watch:
    """Which days of a rollup a written record of `model` touches: `days(connection, record,
    state)` where state is "new", "dirty" or "deleted".

    For an UPDATE or DELETE statement run through the session (a compare-and-set such as
    `outcomes.services._move`), `bulk(where)` selects the days of the rows it matches before
    it runs; it applies when the statement sets one of `fields` (None: any). `day` names the
    day column, whose new value an UPDATE may set."""

    model: type
    days: Callable[[Connection, Any, str], Iterable[dt.date]]
    bulk: Callable[[list[Any]], Any] | None = None
    fields: tuple[str, ...] | None = None
    day: str | None = None
    #: For moments, not days: the UK days of the moments an UPDATE sets, by column name.
    moments: tuple[str, ...] = ()


def own_day(name: str) -> Callable[[Connection, Any, str], Iterable[dt.date]]:
    """The record's own day column, before and after the change."""

    def days(_connection: Connection, record: Any, _state: str) -> Iterable[dt.date]:
        return _values(record, name)

    return days


def own_day_when(name: str, required: str) -> Callable[[Connection, Any, str], Iterable[dt.date]]:
    """The record's own day column, before and after the change, for a record whose
    `required` attribute is (or was) set: a rollup of some records of a model only."""

    def days(_connection: Connection, record: Any, state: str) -> Iterable[dt.date]:
        # Not loaded on a record read before: it may be set, and a day marked too many is
        # only recounted. A new record's unset attribute is none.
        unloaded = state != "new" and required in inspect(record).unloaded
        return _values(record, name) if unloaded or _values(record, required) else set()

    return days


def uk_day_of(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def own_moments(*names: str) -> Callable[[Connection, Any, str], Iterable[dt.date]]:
    """The UK days of the record's moment columns, before and after the change."""

    def days(_connection: Connection, record: Any, _state: str) -> Iterable[dt.date]:
        return {uk_day_of(moment) for name in names for moment in _values(record, name)}

    return days


class uk_day(FunctionElement):
    """The UK (Europe/London) day of a moment stored in UTC, in SQL."""

    type = Date()
    inherit_cache = True


@compiles(uk_day, "postgresql")
def _uk_day_postgresql(element, compiler, **kw) -> str:
    return f"CAST(timezone('Europe/London', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(uk_day)
def _uk_day_sqlite(element, compiler, **kw) -> str:
    # Stored as 'YYYY-MM-DD HH:MM:SS' in UTC: British Summer Time runs from 01:00 UTC on the
    # last Sunday of March to 01:00 UTC on the last Sunday of October.
    moment = compiler.process(element.clauses, **kw)
    year = f"strftime('%Y', {moment})"
    start = f"date({year} || '-03-25', 'weekday 0') || ' 01:00:00'"
    end = f"date({year} || '-10-25', 'weekday 0') || ' 01:00:00'"
    return (
        f"date({moment}, CASE WHEN {moment} >= {start} AND {moment} < {end} "
        "THEN '+1 hour' ELSE '+0 hours' END)"
    )


class month_start(FunctionElement):
    """The first day of the month a date falls in, in SQL."""

    type = Date()
    inherit_cache = True


@compiles(month_start, "postgresql")
def _month_start_postgresql(element, compiler, **kw) -> str:
    return f"CAST(date_trunc('month', {compiler.process(element.clauses, **kw)}) AS DATE)"


@compiles(month_start)
def _month_start_sqlite(element, compiler, **kw) -> str:
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def days_of_months(months: Iterable[dt.date]) -> list[dt.date]:
    """Every day of the months that start on `months`, in order."""
    found = []
    for first in sorted(set(months)):
        day = first
        while day.month == first.month:
            found.append(day)
            day += dt.timedelta(days=1)
    return found


def any_of(
    *finders: Callable[[Connection, Any, str], Iterable[dt.date]],
) -> Callable[[Connection, Any, str], Iterable[dt.date]]:
    """The days any of `finders` gives: a record counted on several days (a referral on the
    day it was made, the day of its interview and the day of its work trial)."""

    def days(connection: Connection, record: Any, state: str) -> Iterable[dt.date]:
        return {day for finder in finders for day in finder(connection, record, state)}

    return days


def related_days(
    watched: tuple[str, ...], statement: Callable[[Any], Select]
) -> Callable[[Connection, Any, str], Iterable[dt.date]]:
    """Days of other records, found with a query, when one of the watched attributes of this
    record changes (or it is deleted)."""

    def days(connection: Connection, record: Any, state: str) -> Iterable[dt.date]:
        if state == "new" or (state == "dirty" and not _changed(record, *watched)):
            return ()
        return connection.scalars(statement(record)).all()

    return days


# Declarations -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rollup:
    """A rollup: `source(days)` is a statement grouped by day, district, office and the
    dimensions, with a column per measure (labelled as in `dimensions` and `measures`);
    `days` None means every day. `read_by` is how pages add it up: which of "district" and
    "office" they keep apart. A rollup `by_organisation` also has an `organisation_id` column
    (its district and office may be None): an employer's pages read it, the MI does not.

    `version` names the shape of its stored keys: raise it when the dimensions change (or
    the grain), and the next refresh recounts the rollup in full instead of leaving keys of
    the old shape.

    `grain` is "day" or "month". A month-grain rollup keeps a row per month (its `day` the
    first of the month), for pages that read whole months only (the current one up to
    today): a fraction of the rows. Its source is still grouped by day; a recount adds the
    days of each month up, and a mark on any day (marks stay per day) recounts that day's
    whole month. Days after the recount's today keep their own rows (`stored_on`)."""

    name: str
    source: Callable[[list[dt.date] | None], Select]
    dimensions: tuple[str, ...]
    measures: tuple[str, ...]
    watches: tuple[Watch, ...]
    read_by: tuple[str, ...] = ("district",)
    #: Measures pages count only on days before today (open guarantees are overdue only once
    #: their day has passed): the split is made when read, so a day's counts never go stale.
    before_today: tuple[str, ...] = ()
    #: Whether the office filter narrows it (False: it stays at district level, as before).
    office_filter: bool = True
    by_organisation: bool = False
    version: int = 1
    #: Whether the MI page's one statement reads it (False: another page reads it its own
    #: way, as the labour market pages read theirs by month).
    read_by_mi: bool = True
    grain: Literal["day", "month"] = "day"

    def __post_init__(self) -> None:
        if self.grain not in ("day", "month"):
            raise ValueError(f"a rollup's grain is day or month: {self.name}")
        if self.grain == "month" and (self.read_by_mi or self.before_today):
            # The MI page reads any run of days, and splits some measures at today.
            raise ValueError(f"a month-grain rollup is read by whole months only: {self.name}")
        if not 0 < len(self.measures) <= MEASURE_SLOTS:
            raise ValueError(f"a rollup counts 1 to {MEASURE_SLOTS} measures: {self.name}")
        if not set(self.before_today) <= set(self.measures):
            raise ValueError(f"before_today names measures it does not count: {self.name}")

    def period(self, day: dt.date) -> dt.date:
        """What a mark on `day` recounts: that day, or the first of its month."""
        return first_of_month(day) if self.grain == "month" else day

    def stored_on(self, day: dt.date, today: dt.date) -> dt.date:
        """The day the counts for `day` are kept under: the first of its month for a
        month-grain rollup, except a day still to come (an agreement dated ahead), kept
        under its own day so that a read of the days up to today leaves it out."""
        return day if day > today else self.period(day)
