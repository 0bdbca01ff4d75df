"""Reporting periods for management information: plain dates in, plain dates out.

Decisions (so that figures and targets line up):
- A **quarter** is one of the financial quarters April to June, July to September, October
  to December and January to March. These are also calendar quarters, so the only choice
  is how they are named; we name them by their months, which reads the same either way.
- A **year** is either the **financial year** (1 April to 31 March: JCP targets such as
  "300 employers by March 2008" run to financial years) or the **calendar year** (the
  December 2010 target); the form offers both.
- A **custom** period is any start and end date, both included.
- Every period includes both its first and last day. The **previous period**, for trends,
  is the one just before, of the same kind: the month, quarter or year before, or for a
  custom period the same number of days ending the day before it starts.
- Date columns compare as `first <= day <= last`; moments (UTC datetimes) fall in a period
  when they are at or after midnight UK time starting its first day and before midnight UK
  time after its last day.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from typing import Final
from zoneinfo import ZoneInfo

LONDON: Final = ZoneInfo("Europe/London")

#: The longest custom period, so one request cannot ask for centuries of rows.
LONGEST_CUSTOM_DAYS: Final = 366 * 5


class PeriodKind(enum.StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    FINANCIAL_YEAR = "financial_year"
    CALENDAR_YEAR = "calendar_year"
    CUSTOM = "custom"


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    first: dt.date
    last: dt.date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def contains(self, day: dt.date) -> bool:
        return self.first <= day <= self.last

    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """The UTC moments [from, until) the period covers in UK time."""
        start = dt.datetime.combine(self.first, dt.time(), tzinfo=LONDON)
        end = dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
        return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _add_months(day: dt.date, months: int) -> dt.date:
    """The first of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def _financial_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year if day.month >= 4 else day.year - 1, 4, 1)


def period_containing(kind: PeriodKind, day: dt.date) -> Period:
    """The month, quarter or year that contains `day` (not for custom periods)."""
    if kind is PeriodKind.MONTH:
        first = _month_start(day)
        return Period(kind, first, _add_months(first, 1) - dt.timedelta(days=1))
    if kind is PeriodKind.QUARTER:
        # Quarters start in January, April, July and October.
        first = dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return Period(kind, first, _add_months(first, 3) - dt.timedelta(days=1))
    if kind is PeriodKind.FINANCIAL_YEAR:
        first = _financial_year_start(day)
        return Period(kind, first, dt.date(first.year + 1, 3, 31))
    if kind is PeriodKind.CALENDAR_YEAR:
        return Period(kind, dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    raise ValueError("a custom period needs a start and an end: use custom_period")


def custom_period(first: dt.date, last: dt.date) -> Period:
    """A custom period, both days included; raises ValueError when it runs backwards or is
    longer than LONGEST_CUSTOM_DAYS."""
    if last < first:
        raise ValueError("the end date is before the start date")
    if (last - first).days + 1 > LONGEST_CUSTOM_DAYS:
        raise ValueError("the period is too long")
    return Period(PeriodKind.CUSTOM, first, last)


def previous_period(period: Period) -> Period:
    """The period just before `period`, of the same kind and length, for trends."""
    if period.kind is PeriodKind.CUSTOM:
        last = period.first - dt.timedelta(days=1)
        return Period(period.kind, last - dt.timedelta(days=period.days - 1), last)
    return period_containing(period.kind, period.first - dt.timedelta(days=1))


def share(part: int, whole: int) -> int | None:
    """A percentage rounded half up (2 of 3 is 67); None when the whole is 0."""
    if whole == 0:
        return None
    return (200 * part + whole) // (2 * whole)
