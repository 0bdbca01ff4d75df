"""Pure rules of the local labour market figures: plain values in, plain values out.

- The figures cover the **last 12 months**: the 12 calendar months ending with the current
  one, which runs to today. Each figure shows them month by month.
- **Growth** of a sector compares LEP vacancies going live in the window's last six months
  with its first six, as a whole percentage of the first (None when the first had none).
- **Time to fill** is kept as a histogram of whole days per month; the **median** is the
  middle day count (the mean of the two middle ones for an even number), the **mean** the
  days added up over the vacancies filled, both to one decimal place.
- A chart stacks at most `MOST_SERIES` groups (sectors, occupations) and puts the rest
  together, so every colour stays distinct.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

MONTHS: Final = 12
#: Groups a stacked chart shows one by one; the rest are "other".
MOST_SERIES: Final = 6
TENTH: Final = Decimal("0.1")


@dataclass(frozen=True)
class Month:
    first: dt.date
    last: dt.date


@dataclass(frozen=True)
class Window:
    """The months a page shows, oldest first; the last runs to `today`."""

    months: tuple[Month, ...]

    @property
    def first(self) -> dt.date:
        return self.months[0].first

    @property
    def last(self) -> dt.date:
        return self.months[-1].last

    def halves(self) -> tuple[tuple[Month, ...], tuple[Month, ...]]:
        middle = len(self.months) // 2
        return self.months[:middle], self.months[middle:]


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def last_months(today: dt.date, count: int = MONTHS) -> Window:
    """The `count` calendar months ending with today's, the last one cut at today."""
    this_month = today.replace(day=1)
    months = []
    for back in range(count - 1, -1, -1):
        first = _add_months(this_month, -back)
        last = _add_months(first, 1) - dt.timedelta(days=1)
        months.append(Month(first, min(last, today)))
    return Window(tuple(months))


def growth(before: int, after: int) -> int | None:
    """The change from `before` to `after` as a whole percentage of `before`, rounded half
    away from zero (2 to 3 is 50, 3 to 2 is -33); None when `before` is 0."""
    if before == 0:
        return None
    change = Decimal(100 * (after - before)) / before
    return int(change.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def mean_days(total: int, count: int) -> Decimal | None:
    if count == 0:
        return None
    return (Decimal(total) / count).quantize(TENTH, rounding=ROUND_HALF_UP)


def median_days(histogram: Mapping[int, int]) -> Decimal | None:
    """The median of day counts given as {days: how many}; None for none."""
    count = sum(histogram.values())
    if count == 0:
        return None
    wanted = (count - 1) // 2, count // 2  # positions of the middle one or two, from 0
    middle: list[int] = []
    seen = 0
    for days in sorted(histogram):
        number = histogram[days]
        for position in wanted:
            if seen <= position < seen + number:
                middle.append(days)
        seen += number
    return (Decimal(sum(middle)) / len(middle)).quantize(TENTH, rounding=ROUND_HALF_UP)


def top_groups(totals: Mapping[str, int], most: int = MOST_SERIES) -> list[str]:
    """The `most` groups with the largest totals (none with 0), largest first; ties in the
    order given."""
    order = {group: position for position, group in enumerate(totals)}
    ranked = sorted(
        (group for group, total in totals.items() if total > 0),
        key=lambda group: (-totals[group], order[group]),
    )
    return ranked[:most]


def employers_signed_up(signed: Iterable[int], ended: Iterable[int]) -> int:
    """Employers with an agreement in force: agreements started less agreements ended (an
    employer has one in force at a time), never below 0."""
    return max(0, sum(signed) - sum(ended))
