"""Reporting periods: months, quarters, financial and calendar years, custom ranges, and the
period before each for trends."""

from __future__ import annotations

import datetime as dt

import pytest

from app.reports.rules import (
    LONGEST_CUSTOM_DAYS,
    PeriodKind,
    custom_period,
    period_containing,
    previous_period,
    share,
)

D = dt.date


@pytest.mark.parametrize(
    ("kind", "day", "first", "last"),
    [
        (PeriodKind.MONTH, D(2026, 2, 14), D(2026, 2, 1), D(2026, 2, 28)),
        (PeriodKind.MONTH, D(2024, 2, 29), D(2024, 2, 1), D(2024, 2, 29)),
        (PeriodKind.MONTH, D(2026, 12, 31), D(2026, 12, 1), D(2026, 12, 31)),
        (PeriodKind.QUARTER, D(2026, 4, 1), D(2026, 4, 1), D(2026, 6, 30)),
        (PeriodKind.QUARTER, D(2026, 3, 31), D(2026, 1, 1), D(2026, 3, 31)),
        (PeriodKind.QUARTER, D(2026, 11, 5), D(2026, 10, 1), D(2026, 12, 31)),
        (PeriodKind.FINANCIAL_YEAR, D(2026, 3, 31), D(2025, 4, 1), D(2026, 3, 31)),
        (PeriodKind.FINANCIAL_YEAR, D(2026, 4, 1), D(2026, 4, 1), D(2027, 3, 31)),
        (PeriodKind.CALENDAR_YEAR, D(2010, 12, 31), D(2010, 1, 1), D(2010, 12, 31)),
    ],
)
def test_period_containing_a_day(kind, day, first, last):
    period = period_containing(kind, day)
    assert (period.first, period.last) == (first, last)
    assert period.contains(day) and period.contains(first) and period.contains(last)
    assert not period.contains(first - dt.timedelta(days=1))
    assert not period.contains(last + dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("kind", "day", "first", "last"),
    [
        (PeriodKind.MONTH, D(2026, 3, 10), D(2026, 2, 1), D(2026, 2, 28)),
        (PeriodKind.MONTH, D(2026, 1, 10), D(2025, 12, 1), D(2025, 12, 31)),
        (PeriodKind.QUARTER, D(2026, 2, 10), D(2025, 10, 1), D(2025, 12, 31)),
        (PeriodKind.FINANCIAL_YEAR, D(2026, 5, 1), D(2025, 4, 1), D(2026, 3, 31)),
        (PeriodKind.CALENDAR_YEAR, D(2026, 5, 1), D(2025, 1, 1), D(2025, 12, 31)),
    ],
)
def test_previous_period_is_the_one_before_of_the_same_kind(kind, day, first, last):
    before = previous_period(period_containing(kind, day))
    assert (before.kind, before.first, before.last) == (kind, first, last)


def test_a_custom_period_includes_both_days_and_its_previous_has_the_same_length():
    period = custom_period(D(2026, 3, 10), D(2026, 3, 19))
    assert period.days == 10
    before = previous_period(period)
    assert (before.first, before.last) == (D(2026, 2, 28), D(2026, 3, 9))
    assert before.days == 10


def test_a_one_day_custom_period():
    period = custom_period(D(2026, 3, 10), D(2026, 3, 10))
    assert period.days == 1
    assert previous_period(period).first == D(2026, 3, 9)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (D(2026, 3, 10), D(2026, 3, 9)),
        (D(2020, 1, 1), D(2020, 1, 1) + dt.timedelta(days=LONGEST_CUSTOM_DAYS)),
    ],
)
def test_a_backwards_or_too_long_custom_period_is_refused(first, last):
    with pytest.raises(ValueError):
        custom_period(first, last)


def test_a_custom_period_cannot_be_found_from_one_day():
    with pytest.raises(ValueError):
        period_containing(PeriodKind.CUSTOM, D(2026, 3, 1))


def test_moments_run_from_uk_midnight_to_uk_midnight():
    # 29 March 2026: the clocks go forward, so the month ends at 23:00 UTC on 31 March.
    start, end = period_containing(PeriodKind.MONTH, D(2026, 3, 5)).moments()
    assert start == dt.datetime(2026, 3, 1, 0, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2026, 3, 31, 23, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("part", "whole", "percent"),
    [(2, 3, 67), (1, 3, 33), (1, 8, 13), (0, 5, 0), (5, 5, 100), (3, 0, None)],
)
def test_share_rounds_half_up(part, whole, percent):
    assert share(part, whole) == percent
