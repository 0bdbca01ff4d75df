"""The small pure rules behind the queue, the attempt form and timeliness.

Pure functions (they belong with tests/rules; kept here because this area's tests live under
tests/web/test_callbacks*).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.callbacks.rules import (
    LONDON,
    Urgency,
    parse_time_of_day,
    recent_weeks,
    share_in_time,
    urgency,
    week_boundaries,
    week_start,
)

DUE = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("before_due", "expected"),
    [
        (timedelta(hours=30), Urgency.LATER),
        (timedelta(hours=4), Urgency.LATER),
        (timedelta(hours=4) - timedelta(seconds=1), Urgency.DUE_SOON),
        (timedelta(0), Urgency.DUE_SOON),  # due now: not yet overdue, not yet a breach
        (-timedelta(seconds=1), Urgency.OVERDUE),
        (-timedelta(days=3), Urgency.OVERDUE),
    ],
)
def test_urgency_red_when_overdue_orange_under_four_hours(before_due, expected) -> None:
    assert urgency(DUE, DUE - before_due) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2:30pm", time(14, 30)),
        ("2.30 pm", time(14, 30)),
        ("2pm", time(14)),
        ("9am", time(9)),
        ("9 a.m.", time(9)),
        ("12pm", time(12)),
        ("12am", time(0)),
        ("12:15am", time(0, 15)),
        ("14:30", time(14, 30)),
        ("09.05", time(9, 5)),
        ("0:00", time(0)),
        ("Midday", time(12)),
        ("noon", time(12)),
        (" midnight ", time(0)),
    ],
)
def test_times_as_staff_type_them(text: str, expected: time) -> None:
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    "text", ["", None, "9", "14", "13pm", "0am", "24:00", "14:60", "2:3pm", "teatime", "2pm-ish"]
)
def test_ambiguous_or_impossible_times_are_refused(text) -> None:
    assert parse_time_of_day(text) is None


def test_a_week_starts_on_monday() -> None:
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)  # a Monday
    assert week_start(date(2026, 11, 29)) == date(2026, 11, 23)  # the Sunday after
    assert week_start(date(2027, 1, 1)) == date(2026, 12, 28)  # across the new year
    with pytest.raises(TypeError):
        week_start(datetime(2026, 11, 23, tzinfo=UTC))


def test_recent_weeks_end_with_this_week() -> None:
    assert recent_weeks(date(2026, 11, 25), 3) == [
        date(2026, 11, 9),
        date(2026, 11, 16),
        date(2026, 11, 23),
    ]
    with pytest.raises(ValueError):
        recent_weeks(date(2026, 11, 25), 0)


def test_week_boundaries_are_london_midnights_in_utc() -> None:
    # The clocks go forward on Sunday 29 March 2026: the week of 23 March is 167 hours long.
    edges = week_boundaries([date(2026, 3, 23), date(2026, 3, 30)])
    assert edges == [
        datetime(2026, 3, 23, 0, 0, tzinfo=UTC),
        datetime(2026, 3, 29, 23, 0, tzinfo=UTC),
        datetime(2026, 4, 5, 23, 0, tzinfo=UTC),
    ]
    assert edges[1] - edges[0] == timedelta(hours=167)
    assert edges[1].astimezone(LONDON).hour == 0


@pytest.mark.parametrize(
    ("in_time", "completed", "expected"),
    [(0, 0, None), (0, 3, 0), (1, 3, 33), (2, 3, 67), (1, 8, 13), (1, 200, 1), (3, 3, 100)],
)
def test_share_in_time_is_a_whole_percentage_rounded_half_up(in_time, completed, expected):
    assert share_in_time(in_time, completed) == expected
