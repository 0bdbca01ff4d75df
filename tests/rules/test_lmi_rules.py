"""The local labour market's pure rules: the 12 months, growth, the mean and median days to
fill, the groups a chart shows one by one, and employers signed up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.lmi import rules


def test_the_window_is_twelve_calendar_months_ending_today():
    window = rules.last_months(dt.date(2026, 3, 31))
    assert window.first == dt.date(2025, 4, 1) and window.last == dt.date(2026, 3, 31)
    assert len(window.months) == 12
    assert window.months[10] == rules.Month(dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    # The current month runs to today; a leap February is whole.
    window = rules.last_months(dt.date(2024, 3, 1))
    assert window.months[-1] == rules.Month(dt.date(2024, 3, 1), dt.date(2024, 3, 1))
    assert window.months[-2].last == dt.date(2024, 2, 29)
    first, second = window.halves()
    assert first[-1].first == dt.date(2023, 9, 1) and second[0].first == dt.date(2023, 10, 1)


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (0, 5, None),
        (0, 0, None),
        (2, 3, 50),
        (3, 2, -33),
        (3, 3, 0),
        (2, 1, -50),
        (8, 1, -88),
        (200, 201, 1),
        (200, 199, -1),
        (400, 401, 0),
        (1, 100, 9900),
    ],
)
def test_growth_is_a_whole_percentage_of_the_first_half(before, after, expected):
    assert rules.growth(before, after) == expected


@pytest.mark.parametrize(
    ("histogram", "expected"),
    [
        ({}, None),
        ({5: 0}, None),
        ({7: 1}, Decimal("7.0")),
        ({3: 1, 9: 1}, Decimal("6.0")),
        ({3: 1, 4: 1}, Decimal("3.5")),
        ({1: 2, 10: 1}, Decimal("1.0")),
        ({1: 1, 10: 2}, Decimal("10.0")),
        ({0: 1, 2: 1, 365: 2}, Decimal("183.5")),
    ],
)
def test_the_median_is_the_middle_of_the_days(histogram, expected):
    assert rules.median_days(histogram) == expected


def test_the_mean_is_to_a_tenth_rounded_half_up():
    assert rules.mean_days(0, 0) is None
    assert rules.mean_days(10, 4) == Decimal("2.5")
    assert rules.mean_days(1, 3) == Decimal("0.3")
    assert rules.mean_days(1, 20) == Decimal("0.1")  # 0.05 rounds up


def test_a_chart_shows_the_largest_groups_and_keeps_the_given_order_for_ties():
    totals = {"a": 1, "b": 5, "c": 5, "d": 0, "e": 2, "f": 3, "g": 1, "h": 9}
    assert rules.top_groups(totals) == ["h", "b", "c", "f", "e", "a"]
    assert rules.top_groups(totals, 2) == ["h", "b"]
    assert rules.top_groups({"x": 0}) == []


def test_employers_signed_up_are_starts_less_ends_never_below_nothing():
    assert rules.employers_signed_up([3, 1], [1]) == 3
    assert rules.employers_signed_up([], [2]) == 0
