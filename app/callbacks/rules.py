"""Pure rules for the 48-hour call-back: when it falls due, what to check on the call, and
how timeliness is counted.

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

import enum
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Final
from zoneinfo import ZoneInfo

import holidays
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from app.vacancies.rules import lawful_age_range, minimum_hourly_wage

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
    # holidays' country classes have untyped constructors.
    return frozenset(holidays.UK(subdiv=subdivision, years=year))  # type: ignore[no-untyped-call]


def bank_holidays(nation: str, year: int) -> frozenset[date]:
    """The bank holidays of ``nation`` in ``year``."""
    return _bank_holidays(_check_nation(nation), year)


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


# ---------------------------------------------------------------------------------------------
# The queue: how urgent a call-back is
# ---------------------------------------------------------------------------------------------

#: A call-back due within this is flagged in the queue and in the reminder email.
DUE_SOON: Final = timedelta(hours=4)


class Urgency(enum.StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    LATER = "later"


def urgency(due: datetime, now: datetime) -> Urgency:
    """Overdue once ``now`` is past ``due`` (a completion then is a breach), due soon when
    less than four hours are left, otherwise later."""
    left = time_left(due, now)
    if left < timedelta(0):
        return Urgency.OVERDUE
    if left < DUE_SOON:
        return Urgency.DUE_SOON
    return Urgency.LATER


# ---------------------------------------------------------------------------------------------
# The call: vacancy details that are missing or doubtful
# ---------------------------------------------------------------------------------------------

#: Working Time Regulations: an average week of more than 48 hours needs the worker's opt-out.
MOST_HOURS_PER_WEEK: Final = Decimal(48)
#: Fewer hours than this a week is more likely a typing slip than a real job.
FEWEST_HOURS_PER_WEEK: Final = Decimal(4)
#: A closing date this close leaves Jobcentre Plus no time to find and refer candidates.
CLOSING_SOON_DAYS: Final = 2


class GapKind(enum.StrEnum):
    MISSING = "missing"
    DOUBTFUL = "doubtful"


@dataclass(frozen=True, slots=True)
class Gap:
    """One vacancy detail to collect or check on the call.

    ``code`` is stable (test against it); ``detail`` names the vacancy detail it is about
    (``description``, ``closing_date``, ``pay``, ``hours``, ``how_to_apply``, ``contact``) so
    the call screen can highlight that row; ``message`` says in plain words what to ask.
    """

    code: str
    detail: str
    kind: GapKind
    message: str | LazyString


def vacancy_gaps(
    *,
    today: date,
    description: str,
    closing_date: date | None,
    hourly_pay: Decimal,
    youngest_age: int,
    hours_per_week: Decimal,
    how_to_apply: str,
    contact_phone: str | None,
) -> list[Gap]:
    """What the LMRA should collect or check on the 48-hour call, in the order of the
    vacancy's details.

    The call is there "to get any further outstanding details" (LEP evaluation, seed 003):
    a detail left empty is missing; a detail that looks wrong (a closing date passed or too
    close for referrals, pay exactly at or below the minimum wage, an implausible week) is
    doubtful. ``hourly_pay`` is the vacancy's pay as an hourly rate; ``contact_phone`` a phone
    number for the employer's contact about this vacancy, if any.
    """
    gaps: list[Gap] = []
    if not (description or "").strip():
        gaps.append(
            Gap(
                "no_description",
                "description",
                GapKind.MISSING,
                _l("There is no job description. Ask what the job involves."),
            )
        )
    if hours_per_week > MOST_HOURS_PER_WEEK:
        gaps.append(
            Gap(
                "too_many_hours",
                "hours",
                GapKind.DOUBTFUL,
                _l(
                    "More than 48 hours a week. Check the hours: nobody can be made to work "
                    "more than 48 hours a week on average unless they choose to."
                ),
            )
        )
    elif hours_per_week < FEWEST_HOURS_PER_WEEK:
        gaps.append(
            Gap(
                "too_few_hours",
                "hours",
                GapKind.DOUBTFUL,
                _l("Fewer than 4 hours a week. Check the hours are right."),
            )
        )
    gaps.extend(_pay_gaps(today, hourly_pay, youngest_age))
    gaps.extend(_closing_date_gaps(today, closing_date))
    if not (how_to_apply or "").strip():
        gaps.append(
            Gap(
                "no_how_to_apply",
                "how_to_apply",
                GapKind.MISSING,
                _l("Nothing says how to apply. Ask how candidates should apply."),
            )
        )
    if not (contact_phone or "").strip():
        gaps.append(
            Gap(
                "no_contact_phone",
                "contact",
                GapKind.MISSING,
                _l(
                    "There is no phone number for the employer's contact. Ask for one, so "
                    "that Jobcentre Plus can arrange interviews."
                ),
            )
        )
    return gaps


def _pay_gaps(today: date, hourly_pay: Decimal, youngest_age: int) -> list[Gap]:
    try:
        minimum = minimum_hourly_wage(today, youngest_age)
    except ValueError:
        return []  # under 16, or a date outside the table: no minimum to check against
    if hourly_pay < minimum:
        return [
            Gap(
                "pay_below_minimum",
                "pay",
                GapKind.DOUBTFUL,
                _l(
                    "The pay is below the minimum wage for age %(age)s (£%(rate)s an hour). "
                    "Check the amount: a job must pay at least the minimum wage.",
                    age=youngest_age,
                    rate=f"{minimum:.2f}",
                ),
            )
        ]
    gaps = []
    if hourly_pay == minimum:
        gaps.append(
            Gap(
                "pay_at_minimum",
                "pay",
                GapKind.DOUBTFUL,
                _l(
                    "The pay is exactly the minimum wage for age %(age)s. Check the amount, "
                    "and that it will go up when the minimum wage does.",
                    age=youngest_age,
                ),
            )
        )
    lawful = lawful_age_range(hourly_pay, today)
    if lawful is not None and lawful[1] is not None:
        gaps.append(
            Gap(
                "pay_limits_ages",
                "pay",
                GapKind.DOUBTFUL,
                _l(
                    "At this pay only people aged %(youngest)s to %(oldest)s can lawfully do "
                    "the job. Check the employer means that.",
                    youngest=lawful[0],
                    oldest=lawful[1],
                ),
            )
        )
    return gaps


def _closing_date_gaps(today: date, closing_date: date | None) -> list[Gap]:
    if closing_date is None:
        return [
            Gap(
                "no_closing_date",
                "closing_date",
                GapKind.MISSING,
                _l("There is no closing date. Ask when applications close."),
            )
        ]
    if closing_date < today:
        return [
            Gap(
                "closing_date_passed",
                "closing_date",
                GapKind.DOUBTFUL,
                _l("The closing date has passed. Ask whether the job is still open."),
            )
        ]
    if (closing_date - today).days <= CLOSING_SOON_DAYS:
        return [
            Gap(
                "closing_soon",
                "closing_date",
                GapKind.DOUBTFUL,
                _l(
                    "The closing date is less than 3 days away, too soon for Jobcentre Plus to "
                    "refer candidates. Ask whether it can be later."
                ),
            )
        ]
    return []


# ---------------------------------------------------------------------------------------------
# Logging an attempt: "call back at 2:30pm"
# ---------------------------------------------------------------------------------------------

_TIME: Final = re.compile(
    r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>a\.?m\.?|p\.?m\.?)?$",
    re.IGNORECASE,
)
_NAMED_TIMES: Final = {
    "midday": time(12),
    "noon": time(12),
    "12 noon": time(12),
    "midnight": time(0),
}


def parse_time_of_day(text: str | None) -> time | None:
    """A time of day as staff type it: ``2:30pm``, ``2pm``, ``9.15 am``, ``14:30``, ``midday``.

    None when it is not a time, or is ambiguous: a bare ``9`` could be morning or evening.
    """
    cleaned = " ".join((text or "").lower().split())
    if cleaned in _NAMED_TIMES:
        return _NAMED_TIMES[cleaned]
    match = _TIME.match(cleaned)
    if match is None:
        return None
    hour = int(match["hour"])
    minute = int(match["minute"] or 0)
    half = (match["half"] or "").replace(".", "")
    if minute > 59:
        return None
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match["minute"] is None or hour > 23:
        return None
    return time(hour, minute)


def london_moment(day: date, at: time) -> datetime:
    """The instant of a London wall-clock day and time."""
    return datetime.combine(day, at, tzinfo=LONDON)


# ---------------------------------------------------------------------------------------------
# Timeliness: ISO weeks in London time, and the share completed in time
# ---------------------------------------------------------------------------------------------


def week_start(day: date) -> date:
    """The Monday of the ISO week ``day`` falls in."""
    if isinstance(day, datetime):
        raise TypeError("week_start takes a local calendar date, not a datetime")
    return day - timedelta(days=day.weekday())


def recent_weeks(today: date, weeks: int) -> list[date]:
    """The Mondays of the last ``weeks`` ISO weeks, this week included, oldest first."""
    if weeks < 1:
        raise ValueError("weeks must be at least 1")
    this_week = week_start(today)
    return [this_week - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


def week_boundaries(mondays: list[date]) -> list[datetime]:
    """The instants (UTC) at which each week starts, and the end of the last one.

    Each is London midnight, so a week is 167 or 169 real hours when the clocks change.
    """
    edges = [*mondays, mondays[-1] + timedelta(weeks=1)]
    return [london_moment(day, time.min).astimezone(UTC) for day in edges]


def share_in_time(in_time: int, completed: int) -> int | None:
    """Percentage completed in time, rounded half up (2 of 3 is 67); None when none completed."""
    if completed == 0:
        return None
    return (200 * in_time + completed) // (2 * completed)
