"""Pure rules for job outcomes: how long an outcome has waited, when the LEP coordinator has
to step in, and when the employer is asked whether the person is still employed.

"The validation burden was the staff's chief complaint" (DOMAIN.md, Job outcomes): the
employer confirms a start itself, and the coordinator sees only the exceptions, an outcome
unconfirmed after five working days or one the employer disputes. Working days are those of
the nation the outcome's district is in, because bank holidays differ between England, Wales
and Scotland (`app.callbacks.rules.is_working_day`).

The evaluation regrets that nobody tracked whether people stayed in work; the portal asks at
13 and 26 weeks after the start.

Plain values in, plain values out: no database, no request.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

from app.callbacks.rules import bank_holidays, is_working_day

#: Validation statuses, as stored (the values of `app.outcomes.models.ValidationStatus`).
VALIDATED: Final = "validated"
AWAITING_EMPLOYER: Final = "awaiting_employer"
DISPUTED: Final = "disputed"
REJECTED: Final = "rejected"

#: How many working days the employer has to confirm a start recorded by staff.
CONFIRMATION_WORKING_DAYS: Final = 5

#: When the employer is asked whether the person is still employed, in weeks after the start.
SUSTAINMENT_WEEKS: Final = (13, 26)

_DAY: Final = timedelta(days=1)


def _plain_date(day: date, name: str) -> None:
    if isinstance(day, datetime):
        raise TypeError(f"{name} is a local calendar date, not a datetime")


def working_days_between(start: date, end: date, nation: str) -> int:
    """The working days of ``nation`` after ``start``, up to and including ``end``.

    So an outcome recorded on a Monday has waited one working day on the Tuesday and five on
    the next Monday; the day it was recorded does not count, today does. 0 when ``end`` is not
    after ``start``. Raises ValueError for an unknown nation and TypeError for a datetime.
    """
    _plain_date(start, "start")
    _plain_date(end, "end")
    if end <= start:
        bank_holidays(nation, start.year)  # still refuses an unknown nation
        return 0
    # Weekdays by arithmetic, less the bank holidays on weekdays in between: a few set
    # lookups per year, not one per day (the validation queue asks for every row).
    holidays_in_between = sum(
        1
        for year in range(start.year, end.year + 1)
        for holiday in bank_holidays(nation, year)
        if start < holiday <= end and holiday.weekday() < 5
    )
    return _weekdays_through(end) - _weekdays_through(start) - holidays_in_between


def _weekdays_through(day: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) up to and including ``day``."""
    weeks, into_week = divmod(day.toordinal() - 1, 7)
    return weeks * 5 + min(into_week + 1, 5)


def needs_coordinator(status: str, recorded_at_date: date, today: date, nation: str) -> bool:
    """Whether an outcome is in the LEP coordinator's validation queue on ``today``.

    Only the exceptions: one the employer disputes, or one recorded by staff on
    ``recorded_at_date`` (a London calendar date) that the employer has left unconfirmed for
    more than five working days of ``nation``. Validated and rejected outcomes never are.
    """
    if status == DISPUTED:
        return True
    if status != AWAITING_EMPLOYER:
        return False
    return working_days_between(recorded_at_date, today, nation) > CONFIRMATION_WORKING_DAYS


def awaiting_cutoff(today: date, nation: str) -> date:
    """The latest recording date of an outcome that, still awaiting the employer on
    ``today``, is in the coordinator's queue.

    Lets the queue select exactly its rows in SQL: an outcome awaiting the employer is in the
    queue if and only if it was recorded on or before this date (see `needs_coordinator`).
    """
    _plain_date(today, "today")
    counted = 0
    day = today
    while counted <= CONFIRMATION_WORKING_DAYS:
        if is_working_day(day, nation):
            counted += 1
        day -= _DAY
    return day


def sustainment_due(start_date: date, weeks: int) -> date:
    """The day the employer is asked whether the person is still employed: ``weeks`` whole
    weeks after the start (13 weeks after a Monday start is a Monday, 91 days on)."""
    _plain_date(start_date, "start_date")
    if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
        raise ValueError(f"weeks must be a whole number of weeks, 1 or more, not {weeks!r}")
    return start_date + timedelta(weeks=weeks)
