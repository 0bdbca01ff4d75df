"""Pure rules for the 48-hour call-back: when a call-back falls due.

"Once an employer has placed a vacancy, LMRAs are required to call them within 48 hours to get
any further outstanding details and sign them up to a LEP if they have not already done so"
(LEP evaluation, seed 003, section 2.3; DOMAIN.md "The 48-hour call-back"). A call-back not
completed in time is a breach that managers see, so the deadline must be fair to staff: the
48 hours run only on working days, and the bank holidays differ between England, Wales and
Scotland (DOMAIN.md: "The portal covers England, Wales and Scotland (funding routes and bank
holidays differ)").

Plain values in, plain values out: no database, no request.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo

import holidays

#: Local Jobcentre Plus offices work to UK civil time.
LONDON: Final = ZoneInfo("Europe/London")

#: The nations the portal covers, as stored on an office or employer site.
NATIONS: Final = ("england", "wales", "scotland")

#: ISO 3166-2:GB subdivision codes the ``holidays`` package uses for each nation.
_SUBDIVISIONS: Final = {"england": "ENG", "wales": "WLS", "scotland": "SCT"}

#: How long the LMRA has, counted on the working-day clock.
CALLBACK_WINDOW: Final = timedelta(hours=48)

_WHOLE_DAY: Final = timedelta(days=1)


def _check_nation(nation: str) -> str:
    if nation not in _SUBDIVISIONS:
        raise ValueError(f"unknown nation {nation!r}: expected one of {NATIONS}")
    return _SUBDIVISIONS[nation]


@cache
def _bank_holidays(subdivision: str, year: int) -> frozenset[date]:
    """The bank holidays of one nation in one year (cached: the calendar does not change)."""
    return frozenset(holidays.UK(subdiv=subdivision, years=year))


def is_working_day(day: date, nation: str) -> bool:
    """Whether the call-back clock runs on ``day`` in ``nation``.

    A working day is Monday to Friday and not a bank holiday of that nation (for example
    2 January and St Andrew's Day are Scottish bank holidays; Easter Monday is one in England
    and Wales but not in Scotland). ``day`` is a local calendar date: pass a ``datetime`` and
    you get TypeError, because which day it is depends on the time zone.
    """
    if isinstance(day, datetime):
        raise TypeError("is_working_day takes a local calendar date, not a datetime")
    subdivision = _check_nation(nation)
    return day.weekday() < 5 and day not in _bank_holidays(subdivision, day.year)


def _next_working_day(day: date, nation: str) -> date:
    day += _WHOLE_DAY
    while not is_working_day(day, nation):
        day += _WHOLE_DAY
    return day


def _require_aware(value: datetime, name: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, not naive: {value!r}")


def callback_due(placed_at: datetime, nation: str) -> datetime:
    """When the 48-hour call-back for a vacancy placed at ``placed_at`` falls due.

    The 48 hours run on a clock that stops on Saturdays, Sundays and the bank holidays of
    ``nation`` ("england", "wales" or "scotland"), reckoned in Europe/London local time. A
    vacancy placed on a non-working day starts the clock at 00:00 of the next working day.
    Each working day contributes up to 24 hours of clock counted on the local wall clock, so
    a clock change (always on a Sunday) does not move the local due time: placed on a Friday
    at 15:00 the call-back is due on the Tuesday at 15:00, whatever the clocks did.

    When the clock runs out exactly at the end of a working day the result is 00:00 of the
    next day (the same instant as 24:00 of the working day).

    ``placed_at`` must be timezone-aware (any zone; it is converted to London time first);
    the result is in Europe/London. Raises ValueError for a naive datetime or an unknown
    nation.
    """
    _require_aware(placed_at, "placed_at")
    _check_nation(nation)
    local = placed_at.astimezone(LONDON)
    day = local.date()
    if is_working_day(day, nation):
        # Wall-clock time since local midnight, ignoring any offset change that day.
        elapsed_today = datetime.combine(date.min, local.time()) - datetime.min
    else:
        day = _next_working_day(day, nation)
        elapsed_today = timedelta(0)

    remaining = CALLBACK_WINDOW
    while remaining > _WHOLE_DAY - elapsed_today:
        remaining -= _WHOLE_DAY - elapsed_today
        day = _next_working_day(day, nation)
        elapsed_today = timedelta(0)

    wall_clock = datetime.combine(day, time.min) + elapsed_today + remaining
    return wall_clock.replace(tzinfo=LONDON)


def time_left(due: datetime, now: datetime) -> timedelta:
    """Real time left until ``due`` (negative once the call-back is overdue).

    Both must be timezone-aware; the difference is in elapsed time, so an hour lost or
    gained at a clock change is counted as it really passes.
    """
    _require_aware(due, "due")
    _require_aware(now, "now")
    # Subtract in UTC: Python subtracts two datetimes sharing a tzinfo on the wall clock.
    return due.astimezone(UTC) - now.astimezone(UTC)
