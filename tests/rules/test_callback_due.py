"""The 48-hour call-back: due 48 working-day hours after a vacancy is placed.

"Once an employer has placed a vacancy, LMRAs are required to call them within 48 hours"
(LEP evaluation, seed 003). The clock stops on weekends and on the bank holidays of the
nation (England, Wales, Scotland), in Europe/London local time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from app.callbacks.rules import NATIONS, callback_due, is_working_day, time_left

LONDON = ZoneInfo("Europe/London")


def london(iso: str) -> datetime:
    """A London wall-clock time, e.g. "2026-03-27 15:00"."""
    return datetime.fromisoformat(iso).replace(tzinfo=LONDON)


def assert_due(placed_at: datetime, nation: str, expected_iso: str) -> None:
    due = callback_due(placed_at, nation)
    assert due.isoformat() == expected_iso
    assert due.tzinfo == LONDON


def test_nations_are_england_wales_and_scotland() -> None:
    assert NATIONS == ("england", "wales", "scotland")


# --- ordinary weeks, the same in every nation ---------------------------------------------


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize(
    ("placed", "expected"),
    [
        # Thursday 10:00: Thursday 14h + Friday 24h + Monday 10h.
        ("2025-06-05 10:00", "2025-06-09T10:00:00+01:00"),
        # Friday 15:00: Friday 9h + Monday 24h + Tuesday 15h.
        ("2025-06-06 15:00", "2025-06-10T15:00:00+01:00"),
        ("2025-06-09 09:00", "2025-06-11T09:00:00+01:00"),
        ("2025-06-04 10:00", "2025-06-06T10:00:00+01:00"),
        ("2025-06-06 23:59", "2025-06-10T23:59:00+01:00"),
        ("2025-06-06 00:00", "2025-06-10T00:00:00+01:00"),
        # Midnight at the start of a working day: two whole days.
        ("2025-06-09 00:00", "2025-06-11T00:00:00+01:00"),
        # Thursday from midnight runs out exactly at the end of Friday (00:00 Saturday).
        ("2025-06-05 00:00", "2025-06-07T00:00:00+01:00"),
        ("2025-06-05 00:01", "2025-06-09T00:01:00+01:00"),
        # Seconds and microseconds are kept.
        ("2025-06-05 10:15:30.250000", "2025-06-09T10:15:30.250000+01:00"),
    ],
)
def test_callback_due_48_working_hours_skips_the_weekend(
    placed: str, expected: str, nation: str
) -> None:
    assert_due(london(placed), nation, expected)


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize(
    ("placed", "expected"),
    [
        ("2025-06-07 12:00", "2025-06-11T00:00:00+01:00"),
        ("2025-06-07 00:00", "2025-06-11T00:00:00+01:00"),
        ("2025-06-08 23:59", "2025-06-11T00:00:00+01:00"),
    ],
)
def test_callback_due_placed_at_the_weekend_starts_at_midnight_on_monday(
    placed: str, expected: str, nation: str
) -> None:
    assert_due(london(placed), nation, expected)


# --- bank holidays that differ between the nations -----------------------------------------


@pytest.mark.parametrize(
    ("placed", "nation", "expected"),
    [
        # 2 January is a bank holiday in Scotland only.
        ("2025-12-31 10:00", "england", "2026-01-05T10:00:00+00:00"),
        ("2025-12-31 10:00", "wales", "2026-01-05T10:00:00+00:00"),
        ("2025-12-31 10:00", "scotland", "2026-01-06T10:00:00+00:00"),
        # 2 January 2027 is a Saturday: Scotland has it on Monday 4 January instead.
        ("2026-12-30 09:00", "england", "2027-01-04T09:00:00+00:00"),
        ("2026-12-30 09:00", "wales", "2027-01-04T09:00:00+00:00"),
        ("2026-12-30 09:00", "scotland", "2027-01-05T09:00:00+00:00"),
        # Placed on New Year's Day: the clock starts on 2 January, or in Scotland on the 5th.
        ("2026-01-01 09:00", "england", "2026-01-06T00:00:00+00:00"),
        ("2026-01-01 09:00", "scotland", "2026-01-07T00:00:00+00:00"),
    ],
)
def test_callback_due_skips_scottish_new_year_holiday(
    placed: str, nation: str, expected: str
) -> None:
    assert_due(london(placed), nation, expected)


@pytest.mark.parametrize(
    ("placed", "nation", "expected"),
    [
        # St Andrew's Day, Monday 30 November 2026.
        ("2026-11-27 10:00", "england", "2026-12-01T10:00:00+00:00"),
        ("2026-11-27 10:00", "wales", "2026-12-01T10:00:00+00:00"),
        ("2026-11-27 10:00", "scotland", "2026-12-02T10:00:00+00:00"),
        # 30 November 2025 is a Sunday: the holiday is on Monday 1 December.
        ("2025-11-28 10:00", "england", "2025-12-02T10:00:00+00:00"),
        ("2025-11-28 10:00", "scotland", "2025-12-03T10:00:00+00:00"),
    ],
)
def test_callback_due_skips_scottish_bank_holiday_st_andrews_day(
    placed: str, nation: str, expected: str
) -> None:
    assert_due(london(placed), nation, expected)


@pytest.mark.parametrize(
    ("placed", "nation", "expected"),
    [
        # Good Friday (3 April 2026) everywhere; Easter Monday (6 April) not in Scotland.
        ("2026-04-02 10:00", "england", "2026-04-08T10:00:00+01:00"),
        ("2026-04-02 10:00", "wales", "2026-04-08T10:00:00+01:00"),
        ("2026-04-02 10:00", "scotland", "2026-04-07T10:00:00+01:00"),
        # Placed on Good Friday.
        ("2026-04-03 09:00", "england", "2026-04-09T00:00:00+01:00"),
        ("2026-04-03 09:00", "scotland", "2026-04-08T00:00:00+01:00"),
        # Placed on Easter Monday: a working day in Scotland only.
        ("2026-04-06 11:00", "england", "2026-04-09T00:00:00+01:00"),
        ("2026-04-06 11:00", "wales", "2026-04-09T00:00:00+01:00"),
        ("2026-04-06 11:00", "scotland", "2026-04-08T11:00:00+01:00"),
    ],
)
def test_callback_due_skips_easter_monday_in_england_and_wales_but_not_scotland(
    placed: str, nation: str, expected: str
) -> None:
    assert_due(london(placed), nation, expected)


@pytest.mark.parametrize(
    ("placed", "nation", "expected"),
    [
        # Scotland's Summer bank holiday: first Monday in August (3 August 2026).
        ("2026-07-31 10:00", "scotland", "2026-08-05T10:00:00+01:00"),
        ("2026-07-31 10:00", "england", "2026-08-04T10:00:00+01:00"),
        ("2026-07-31 10:00", "wales", "2026-08-04T10:00:00+01:00"),
        # England and Wales: last Monday in August (31 August 2026).
        ("2026-08-28 10:00", "england", "2026-09-02T10:00:00+01:00"),
        ("2026-08-28 10:00", "wales", "2026-09-02T10:00:00+01:00"),
        ("2026-08-28 10:00", "scotland", "2026-09-01T10:00:00+01:00"),
    ],
)
def test_callback_due_skips_each_nations_summer_bank_holiday(
    placed: str, nation: str, expected: str
) -> None:
    assert_due(london(placed), nation, expected)


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize(
    ("placed", "expected"),
    [
        # Christmas Eve 2025 (Wednesday): Christmas Day and Boxing Day, then the weekend.
        ("2025-12-24 16:00", "2025-12-30T16:00:00+00:00"),
        # Christmas Eve 2026 (Thursday): Boxing Day is a Saturday, so Monday 28th is off too.
        ("2026-12-24 12:00", "2026-12-30T12:00:00+00:00"),
        # Placed on Christmas Day 2026: the clock starts on Tuesday 29th.
        ("2026-12-25 10:00", "2026-12-31T00:00:00+00:00"),
    ],
)
def test_callback_due_runs_over_christmas_in_every_nation(
    placed: str, expected: str, nation: str
) -> None:
    assert_due(london(placed), nation, expected)


# --- time zones and clock changes ----------------------------------------------------------


@pytest.mark.parametrize(
    ("placed_at", "nation", "expected"),
    [
        # 23:30 UTC on Thursday is 00:30 on Friday in London (BST): not Monday 23:30.
        (datetime(2026, 6, 4, 23, 30, tzinfo=UTC), "england", "2026-06-09T00:30:00+01:00"),
        # 23:30 UTC on Friday is 00:30 on Saturday in London: the clock waits for Monday.
        (datetime(2026, 6, 5, 23, 30, tzinfo=UTC), "england", "2026-06-10T00:00:00+01:00"),
        # In winter London is on UTC: the same day.
        (datetime(2026, 1, 8, 23, 30, tzinfo=UTC), "england", "2026-01-12T23:30:00+00:00"),
        # 18:00 on Friday in New York is 23:00 in London.
        (
            datetime(2026, 1, 9, 18, 0, tzinfo=ZoneInfo("America/New_York")),
            "wales",
            "2026-01-13T23:00:00+00:00",
        ),
        # 23:30 UTC on Easter Sunday is 00:30 on Easter Monday in London.
        (datetime(2026, 4, 5, 23, 30, tzinfo=UTC), "england", "2026-04-09T00:00:00+01:00"),
        (datetime(2026, 4, 5, 23, 30, tzinfo=UTC), "scotland", "2026-04-08T00:30:00+01:00"),
    ],
)
def test_callback_due_reckons_the_day_in_london_time_not_utc(
    placed_at: datetime, nation: str, expected: str
) -> None:
    assert_due(placed_at, nation, expected)


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize(
    ("placed", "expected"),
    [
        # Spring: clocks go forward on Sunday 29 March 2026; due at 15:00 local, now BST.
        ("2026-03-27 15:00", "2026-03-31T15:00:00+01:00"),
        ("2026-03-26 10:00", "2026-03-30T10:00:00+01:00"),
        # Autumn: clocks go back on Sunday 25 October 2026; due at 15:00 local, now GMT.
        ("2026-10-23 15:00", "2026-10-27T15:00:00+00:00"),
        # Autumn 2025: clocks go back on Sunday 26 October.
        ("2025-10-23 10:00", "2025-10-27T10:00:00+00:00"),
        # Placed in the repeated hour on the night the clocks go back (a Sunday).
        ("2026-10-25 01:30", "2026-10-28T00:00:00+00:00"),
    ],
)
def test_callback_due_keeps_the_local_time_across_clock_changes(
    placed: str, expected: str, nation: str
) -> None:
    assert_due(london(placed), nation, expected)


def test_callback_due_across_spring_change_is_one_real_hour_shorter() -> None:
    placed_at = london("2026-03-27 15:00")
    due = callback_due(placed_at, "england")
    assert time_left(due, placed_at) == timedelta(days=4) - timedelta(hours=1)


def test_callback_due_result_is_in_london_whatever_zone_came_in() -> None:
    due = callback_due(datetime(2026, 6, 4, 9, 0, tzinfo=UTC), "scotland")
    assert due.tzinfo == LONDON
    assert due.astimezone(UTC) == datetime(2026, 6, 8, 9, 0, tzinfo=UTC)


# --- a brute-force cross-check ------------------------------------------------------------


def _reference_due(placed_wall: datetime, nation: str) -> datetime:
    """Count wall-clock minutes that fall on working days until 48 hours have been counted."""
    counted = timedelta(0)
    cursor = placed_wall
    step = timedelta(minutes=30)
    while counted < timedelta(hours=48):
        if is_working_day(cursor.date(), nation):
            counted += step
        cursor += step
    return cursor


@pytest.mark.parametrize("nation", NATIONS)
@pytest.mark.parametrize(
    ("start", "days"),
    [
        (date(2025, 12, 15), 35),  # Christmas and New Year
        (date(2026, 3, 20), 30),  # clocks forward, Easter
        (date(2026, 7, 27), 40),  # both summer bank holidays
        (date(2026, 10, 19), 50),  # clocks back, St Andrew's Day
    ],
)
def test_callback_due_matches_counting_working_half_hours_one_by_one(
    nation: str, start: date, days: int
) -> None:
    placed_wall = datetime.combine(start, datetime.min.time())
    end = placed_wall + timedelta(days=days)
    while placed_wall < end:
        due = callback_due(placed_wall.replace(tzinfo=LONDON), nation)
        # Slots on non-working days are not counted, so this also covers "starts at 00:00".
        assert due.replace(tzinfo=None) == _reference_due(placed_wall, nation), placed_wall
        placed_wall += timedelta(minutes=30)


# --- is_working_day ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "nation", "expected"),
    [
        (date(2026, 6, 3), "england", True),  # Wednesday
        (date(2026, 6, 6), "england", False),  # Saturday
        (date(2026, 6, 7), "wales", False),  # Sunday
        (date(2026, 1, 1), "scotland", False),
        (date(2026, 1, 2), "scotland", False),
        (date(2026, 1, 2), "england", True),
        (date(2026, 1, 2), "wales", True),
        (date(2026, 4, 3), "scotland", False),  # Good Friday
        (date(2026, 4, 6), "england", False),  # Easter Monday
        (date(2026, 4, 6), "wales", False),
        (date(2026, 4, 6), "scotland", True),
        (date(2026, 5, 4), "england", False),  # Early May bank holiday
        (date(2026, 5, 25), "scotland", False),  # Spring bank holiday
        (date(2026, 8, 3), "scotland", False),
        (date(2026, 8, 3), "england", True),
        (date(2026, 8, 31), "england", False),
        (date(2026, 8, 31), "wales", False),
        (date(2026, 8, 31), "scotland", True),
        (date(2026, 11, 30), "scotland", False),
        (date(2026, 11, 30), "england", True),
        (date(2026, 12, 28), "wales", False),  # Boxing Day substitute
        (date(2026, 12, 29), "wales", True),
        (date(2027, 1, 4), "scotland", False),  # 2 January substitute
        (date(2027, 1, 4), "england", True),
        (date(2008, 1, 2), "scotland", False),  # years are loaded as needed
        (date(2040, 12, 25), "england", False),
    ],
)
def test_is_working_day_follows_each_nations_bank_holidays(
    day: date, nation: str, expected: bool
) -> None:
    assert is_working_day(day, nation) is expected


def test_is_working_day_refuses_a_datetime() -> None:
    with pytest.raises(TypeError, match="calendar date"):
        is_working_day(datetime(2026, 6, 3, 9, 0, tzinfo=UTC), "england")


@pytest.mark.parametrize("nation", ["England", "northern ireland", "uk", "", "ENG"])
def test_is_working_day_rejects_an_unknown_nation(nation: str) -> None:
    with pytest.raises(ValueError, match="unknown nation"):
        is_working_day(date(2026, 6, 3), nation)


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("nation", NATIONS)
def test_callback_due_rejects_a_naive_datetime(nation: str) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        callback_due(datetime(2026, 6, 3, 9, 0), nation)


@pytest.mark.parametrize("nation", ["England", "northern ireland", "uk", "", "SCT"])
def test_callback_due_rejects_an_unknown_nation(nation: str) -> None:
    with pytest.raises(ValueError, match="unknown nation"):
        callback_due(london("2026-06-03 09:00"), nation)


# --- time_left -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("due", "now", "expected"),
    [
        (london("2026-06-10 15:00"), london("2026-06-10 13:30"), timedelta(hours=1, minutes=30)),
        (london("2026-06-10 15:00"), london("2026-06-10 15:00"), timedelta(0)),
        (london("2026-06-10 15:00"), london("2026-06-10 16:00"), timedelta(hours=-1)),
        (london("2026-06-10 15:00"), datetime(2026, 6, 10, 13, 0, tzinfo=UTC), timedelta(hours=1)),
        # Across the autumn change a wall-clock day is 25 real hours.
        (london("2026-10-26 09:00"), london("2026-10-25 00:00"), timedelta(hours=34)),
    ],
)
def test_time_left_is_real_time_and_negative_when_overdue(
    due: datetime, now: datetime, expected: timedelta
) -> None:
    assert time_left(due, now) == expected


def test_time_left_rejects_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        time_left(datetime(2026, 6, 10, 15, 0), london("2026-06-10 13:00"))
    with pytest.raises(ValueError, match="timezone-aware"):
        time_left(london("2026-06-10 15:00"), datetime(2026, 6, 10, 13, 0))
