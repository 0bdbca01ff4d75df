"""Pure outcome rules: working days waited, the coordinator's exceptions, sustainment dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from app.outcomes.rules import (
    AWAITING_EMPLOYER,
    DISPUTED,
    REJECTED,
    SUSTAINMENT_WEEKS,
    VALIDATED,
    awaiting_cutoff,
    needs_coordinator,
    sustainment_due,
    working_days_between,
)
from app.outcomes.services import age_on


@pytest.mark.parametrize(
    ("start", "end", "nation", "expected"),
    [
        # Monday 9 March 2026 to the next days: the recording day does not count, the end does.
        (date(2026, 3, 9), date(2026, 3, 9), "england", 0),
        (date(2026, 3, 9), date(2026, 3, 10), "england", 1),
        (date(2026, 3, 9), date(2026, 3, 13), "england", 4),
        (date(2026, 3, 9), date(2026, 3, 15), "england", 4),  # the weekend does not count
        (date(2026, 3, 9), date(2026, 3, 16), "england", 5),
        (date(2026, 3, 9), date(2026, 3, 17), "england", 6),
        # Recorded on a Saturday: Monday is the first working day.
        (date(2026, 3, 14), date(2026, 3, 16), "england", 1),
        # End before start: nothing has been waited.
        (date(2026, 3, 17), date(2026, 3, 9), "england", 0),
        # Easter 2026: Good Friday 3 April everywhere, Easter Monday 6 April not in Scotland.
        (date(2026, 4, 1), date(2026, 4, 10), "england", 5),
        (date(2026, 4, 1), date(2026, 4, 10), "wales", 5),
        (date(2026, 4, 1), date(2026, 4, 10), "scotland", 6),
        # New Year 2027: 1 January everywhere; 2 January is Saturday, so the Scottish
        # holiday moves to Monday 4 January.
        (date(2026, 12, 31), date(2027, 1, 5), "england", 2),
        (date(2026, 12, 31), date(2027, 1, 5), "scotland", 1),
        # Christmas 2026: Friday 25th, Boxing Day substitute Monday 28th.
        (date(2026, 12, 24), date(2026, 12, 31), "england", 3),
    ],
)
def test_working_days_between_skips_weekends_and_each_nations_bank_holidays(
    start, end, nation, expected
):
    assert working_days_between(start, end, nation) == expected


def test_working_days_between_refuses_an_unknown_nation_and_a_datetime():
    with pytest.raises(ValueError):
        working_days_between(date(2026, 3, 9), date(2026, 3, 10), "northern_ireland")
    with pytest.raises(TypeError):
        working_days_between(datetime(2026, 3, 9, 12), date(2026, 3, 10), "england")


@pytest.mark.parametrize(
    ("status", "recorded", "today", "nation", "expected"),
    [
        # Recorded Monday 9 March: five working days waited on Monday 16th, six on the 17th.
        (AWAITING_EMPLOYER, date(2026, 3, 9), date(2026, 3, 16), "england", False),
        (AWAITING_EMPLOYER, date(2026, 3, 9), date(2026, 3, 17), "england", True),
        # A bank holiday inside the window does not count: Easter in England, not Scotland.
        (AWAITING_EMPLOYER, date(2026, 4, 1), date(2026, 4, 10), "england", False),
        (AWAITING_EMPLOYER, date(2026, 4, 1), date(2026, 4, 10), "scotland", True),
        (AWAITING_EMPLOYER, date(2026, 4, 1), date(2026, 4, 13), "england", True),
        # Disputed: at once, however recent.
        (DISPUTED, date(2026, 3, 17), date(2026, 3, 17), "england", True),
        # Settled ones never, however old.
        (VALIDATED, date(2025, 1, 1), date(2026, 3, 17), "england", False),
        (REJECTED, date(2025, 1, 1), date(2026, 3, 17), "wales", False),
    ],
)
def test_needs_coordinator_only_for_the_exceptions(status, recorded, today, nation, expected):
    assert needs_coordinator(status, recorded, today, nation) is expected


@pytest.mark.parametrize("nation", ["england", "wales", "scotland"])
def test_awaiting_cutoff_agrees_with_needs_coordinator_every_day_of_a_year(nation):
    """The SQL filter of the queue uses the cutoff; it must select exactly what the rule says."""
    today = date(2026, 1, 1)
    while today < date(2027, 1, 10):
        cutoff = awaiting_cutoff(today, nation)
        for back in range(0, 25):
            recorded = today - timedelta(days=back)
            in_queue = needs_coordinator(AWAITING_EMPLOYER, recorded, today, nation)
            assert in_queue is (recorded <= cutoff), (nation, today, recorded, cutoff)
        today += timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "weeks", "expected"),
    [
        (date(2026, 3, 2), 13, date(2026, 6, 1)),
        (date(2026, 3, 2), 26, date(2026, 8, 31)),
        (date(2026, 12, 14), 13, date(2027, 3, 15)),  # over the year end
        (date(2028, 1, 31), 13, date(2028, 5, 1)),  # a leap February
    ],
)
def test_sustainment_due_whole_weeks_after_the_start(start, weeks, expected):
    assert sustainment_due(start, weeks) == expected
    assert sustainment_due(start, weeks).weekday() == start.weekday()


def test_sustainment_is_asked_at_13_and_26_weeks():
    assert SUSTAINMENT_WEEKS == (13, 26)


@pytest.mark.parametrize("weeks", [0, -13, True, 13.0, "13"])
def test_sustainment_due_refuses_anything_but_a_positive_whole_number_of_weeks(weeks):
    with pytest.raises(ValueError):
        sustainment_due(date(2026, 3, 2), weeks)


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(2005, 4, 1), date(2026, 3, 31), 20),
        (date(2005, 4, 1), date(2026, 4, 1), 21),  # the birthday itself
        # Born on 29 February: a year older on 1 March in other years.
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
    ],
)
def test_age_on_counts_whole_years_to_the_day(born, on, expected):
    assert age_on(born, on) == expected


def _counted_day_by_day(start: date, end: date, nation: str) -> int:
    from app.callbacks.rules import is_working_day

    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=offset), nation)
    )


@pytest.mark.parametrize("nation", ["england", "wales", "scotland"])
def test_working_days_by_arithmetic_equal_a_count_day_by_day(nation):
    """The queue's arithmetic (weekdays less weekday bank holidays) against the plain loop,
    for a thousand ranges up to three years long around Christmas, Easter and new year."""
    import random

    rng = random.Random(15)
    for _ in range(1000):
        start = date(2024, 1, 1) + timedelta(days=rng.randrange(900))
        end = start + timedelta(days=rng.randrange(-5, 1100))
        assert working_days_between(start, end, nation) == _counted_day_by_day(start, end, nation)
