"""What the 48-hour call-back should collect or check: missing and doubtful vacancy details.

The call is made "to get any further outstanding details" (LEP evaluation, seed 003).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from app.callbacks.rules import GapKind, vacancy_gaps

#: From 1 April 2026: 21 and over £12.71, 18 to 20 £10.85, 16 to 17 £8.00.
TODAY = date(2026, 11, 23)

SENSIBLE = {
    "today": TODAY,
    "description": "Picking and packing orders.",
    "closing_date": TODAY + timedelta(days=14),
    "hourly_pay": Decimal("13.00"),
    "youngest_age": 18,
    "hours_per_week": Decimal("37.5"),
    "how_to_apply": "Call Sam on 0113 496 0001.",
    "contact_phone": "0113 496 0001",
}


def codes(**changes) -> list[str]:
    return [gap.code for gap in vacancy_gaps(**{**SENSIBLE, **changes})]


def test_a_complete_sensible_vacancy_has_no_gaps() -> None:
    assert codes() == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"description": ""}, ["no_description"]),
        ({"description": "  \n "}, ["no_description"]),
        ({"description": "x"}, []),
        ({"how_to_apply": ""}, ["no_how_to_apply"]),
        ({"how_to_apply": " "}, ["no_how_to_apply"]),
        ({"contact_phone": None}, ["no_contact_phone"]),
        ({"contact_phone": ""}, ["no_contact_phone"]),
        ({"contact_phone": "  "}, ["no_contact_phone"]),
    ],
)
def test_missing_details(changes: dict, expected: list[str]) -> None:
    assert codes(**changes) == expected


@pytest.mark.parametrize(
    ("closing_date", "expected"),
    [
        (None, ["no_closing_date"]),
        (TODAY - timedelta(days=30), ["closing_date_passed"]),
        (TODAY - timedelta(days=1), ["closing_date_passed"]),
        (TODAY, ["closing_soon"]),
        (TODAY + timedelta(days=1), ["closing_soon"]),
        (TODAY + timedelta(days=2), ["closing_soon"]),
        (TODAY + timedelta(days=3), []),
    ],
)
def test_closing_date_missing_passed_or_within_two_days(closing_date, expected) -> None:
    assert codes(closing_date=closing_date) == expected


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        ("48.01", ["too_many_hours"]),
        ("48", []),
        ("60", ["too_many_hours"]),
        ("4", []),
        ("3.99", ["too_few_hours"]),
        ("0.5", ["too_few_hours"]),
    ],
)
def test_hours_above_48_or_below_4_are_doubtful(hours: str, expected: list[str]) -> None:
    assert codes(hours_per_week=Decimal(hours)) == expected


@pytest.mark.parametrize(
    ("pay", "youngest_age", "expected"),
    [
        # Exactly the minimum for the youngest age allowed.
        ("12.71", 21, ["pay_at_minimum"]),
        ("10.85", 18, ["pay_at_minimum", "pay_limits_ages"]),
        ("8.00", 16, ["pay_at_minimum", "pay_limits_ages"]),
        # A penny either side.
        ("12.72", 21, []),
        ("12.70", 21, ["pay_below_minimum"]),
        ("10.84", 18, ["pay_below_minimum"]),
        # Lawful at 18 but not at 21: the employer may not mean to exclude over-20s.
        ("11.00", 18, ["pay_limits_ages"]),
        ("12.71", 18, []),
        # Under 16 no minimum wage applies.
        ("1.00", 15, []),
    ],
)
def test_pay_at_or_below_the_minimum_wage_is_doubtful(
    pay: str, youngest_age: int, expected: list[str]
) -> None:
    assert codes(hourly_pay=Decimal(pay), youngest_age=youngest_age) == expected


def test_pay_is_checked_against_the_rates_in_force_on_the_day_of_the_call() -> None:
    # £12.21 was the 21 and over rate until 31 March 2026; from 1 April it is below it.
    before, after = date(2026, 3, 31), date(2026, 4, 1)
    at_21 = {"hourly_pay": Decimal("12.21"), "youngest_age": 21}
    assert codes(today=before, **at_21) == ["pay_at_minimum"]
    assert codes(today=after, **at_21) == ["pay_below_minimum"]


def test_every_gap_at_once_comes_in_the_order_of_the_vacancy_details() -> None:
    gaps = vacancy_gaps(
        today=TODAY,
        description="",
        closing_date=None,
        hourly_pay=Decimal("12.71"),
        youngest_age=21,
        hours_per_week=Decimal("50"),
        how_to_apply="",
        contact_phone=None,
    )
    assert [(g.code, g.detail, g.kind) for g in gaps] == [
        ("no_description", "description", GapKind.MISSING),
        ("too_many_hours", "hours", GapKind.DOUBTFUL),
        ("pay_at_minimum", "pay", GapKind.DOUBTFUL),
        ("no_closing_date", "closing_date", GapKind.MISSING),
        ("no_how_to_apply", "how_to_apply", GapKind.MISSING),
        ("no_contact_phone", "contact", GapKind.MISSING),
    ]


def test_each_gap_says_in_plain_words_what_to_ask() -> None:
    gaps = vacancy_gaps(
        **{**SENSIBLE, "hourly_pay": Decimal("10.84"), "closing_date": TODAY, "description": ""}
    )
    messages = [str(g.message) for g in gaps]
    assert messages[0] == "There is no job description. Ask what the job involves."
    assert "below the minimum wage for age 18 (£10.85 an hour)" in messages[1]
    assert messages[2].startswith("The closing date is less than 3 days away")
