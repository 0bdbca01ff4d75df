"""National Minimum Wage / National Living Wage by date and age, and pay conversions.

The expected rates are typed out here independently of the module's table, from GOV.UK
"National Minimum Wage and National Living Wage rates" (current and previous rates) and the
Low Pay Commission reports, so a slip in either shows up as a failing test.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from app.vacancies.rules import (
    MINIMUM_WAGE_RATES,
    hourly_equivalent,
    lawful_age_range,
    minimum_hourly_wage,
    youngest_lawful_age,
)

D = Decimal

# (effective date, ((youngest age in band, oldest age in band or None, hourly rate), ...)),
# youngest band first.
PUBLISHED_RATES: list[tuple[date, tuple[tuple[int, int | None, str], ...]]] = [
    (date(2007, 10, 1), ((16, 17, "3.40"), (18, 21, "4.60"), (22, None, "5.52"))),
    (date(2008, 10, 1), ((16, 17, "3.53"), (18, 21, "4.77"), (22, None, "5.73"))),
    (date(2009, 10, 1), ((16, 17, "3.57"), (18, 21, "4.83"), (22, None, "5.80"))),
    (date(2010, 10, 1), ((16, 17, "3.64"), (18, 20, "4.92"), (21, None, "5.93"))),
    (date(2011, 10, 1), ((16, 17, "3.68"), (18, 20, "4.98"), (21, None, "6.08"))),
    (date(2012, 10, 1), ((16, 17, "3.68"), (18, 20, "4.98"), (21, None, "6.19"))),
    (date(2013, 10, 1), ((16, 17, "3.72"), (18, 20, "5.03"), (21, None, "6.31"))),
    (date(2014, 10, 1), ((16, 17, "3.79"), (18, 20, "5.13"), (21, None, "6.50"))),
    (date(2015, 10, 1), ((16, 17, "3.87"), (18, 20, "5.30"), (21, None, "6.70"))),
    (
        date(2016, 4, 1),
        ((16, 17, "3.87"), (18, 20, "5.30"), (21, 24, "6.70"), (25, None, "7.20")),
    ),
    (
        date(2016, 10, 1),
        ((16, 17, "4.00"), (18, 20, "5.55"), (21, 24, "6.95"), (25, None, "7.20")),
    ),
    (
        date(2017, 4, 1),
        ((16, 17, "4.05"), (18, 20, "5.60"), (21, 24, "7.05"), (25, None, "7.50")),
    ),
    (
        date(2018, 4, 1),
        ((16, 17, "4.20"), (18, 20, "5.90"), (21, 24, "7.38"), (25, None, "7.83")),
    ),
    (
        date(2019, 4, 1),
        ((16, 17, "4.35"), (18, 20, "6.15"), (21, 24, "7.70"), (25, None, "8.21")),
    ),
    (
        date(2020, 4, 1),
        ((16, 17, "4.55"), (18, 20, "6.45"), (21, 24, "8.20"), (25, None, "8.72")),
    ),
    (
        date(2021, 4, 1),
        ((16, 17, "4.62"), (18, 20, "6.56"), (21, 22, "8.36"), (23, None, "8.91")),
    ),
    (
        date(2022, 4, 1),
        ((16, 17, "4.81"), (18, 20, "6.83"), (21, 22, "9.18"), (23, None, "9.50")),
    ),
    (
        date(2023, 4, 1),
        ((16, 17, "5.28"), (18, 20, "7.49"), (21, 22, "10.18"), (23, None, "10.42")),
    ),
    (date(2024, 4, 1), ((16, 17, "6.40"), (18, 20, "8.60"), (21, None, "11.44"))),
    (date(2025, 4, 1), ((16, 17, "7.55"), (18, 20, "10.00"), (21, None, "12.21"))),
    (date(2026, 4, 1), ((16, 17, "8.00"), (18, 20, "10.85"), (21, None, "12.71"))),
]

OLDEST_AGE_CHECKED = 80


def _last_day_of(index: int) -> date:
    """The last day an era's rates were in force (the table's last era: some years on)."""
    if index + 1 < len(PUBLISHED_RATES):
        return PUBLISHED_RATES[index + 1][0] - timedelta(days=1)
    return date(2030, 12, 31)


def _age_boundary_cases() -> list[tuple[date, int, Decimal]]:
    """Every band's youngest and oldest age, on each era's first and last day."""
    cases = []
    for index, (effective, bands) in enumerate(PUBLISHED_RATES):
        for day in (effective, _last_day_of(index)):
            for youngest, oldest, rate in bands:
                cases.append((day, youngest, D(rate)))
                cases.append((day, oldest or OLDEST_AGE_CHECKED, D(rate)))
    return cases


def _edge_ages(*eras: tuple[tuple[int, int | None, str], ...]) -> list[int]:
    """The ages at the edges of the bands of the given eras: each band's youngest and oldest
    age, and the age after its oldest."""
    ages = set()
    for bands in eras:
        for youngest, oldest, _ in bands:
            ages.add(youngest)
            if oldest is not None:
                ages.update((oldest, oldest + 1))
    return sorted(ages)


def _band_change_cases() -> list[tuple[date, int, Decimal, Decimal]]:
    """For each change date and each age at a band's edge (before or after the change): the
    rate the day before and the day of."""
    cases = []
    for index in range(1, len(PUBLISHED_RATES)):
        change_day, bands = PUBLISHED_RATES[index]
        _, bands_before = PUBLISHED_RATES[index - 1]
        for age in _edge_ages(bands_before, bands):
            cases.append((change_day, age, _rate_for(bands_before, age), _rate_for(bands, age)))
    return cases


def _rate_for(bands: tuple[tuple[int, int | None, str], ...], age: int) -> Decimal:
    for youngest, oldest, rate in bands:
        if youngest <= age and (oldest is None or age <= oldest):
            return D(rate)
    raise AssertionError(f"no band for age {age}")


def test_required_example_2009_adult_rate_is_the_october_2008_rate() -> None:
    assert minimum_hourly_wage(date(2009, 6, 1), 30) == Decimal("5.73")


def test_required_example_national_living_wage_applies_from_21_in_2025() -> None:
    assert minimum_hourly_wage(date(2025, 5, 1), 21) == Decimal("12.21")


def test_rate_table_has_exactly_the_published_change_dates() -> None:
    assert list(MINIMUM_WAGE_RATES) == [effective for effective, _ in PUBLISHED_RATES]


def test_minimum_wage_at_each_band_boundary_in_each_era() -> None:
    """One table-driven test: every band's youngest and oldest age, on each era's first and
    last day."""
    cases = _age_boundary_cases()
    wrong = [
        (on, age, minimum_hourly_wage(on, age), expected)
        for on, age, expected in cases
        if minimum_hourly_wage(on, age) != expected
    ]
    assert wrong == [], "(day, age, got, published)"
    assert len(cases) == 4 * sum(len(bands) for _, bands in PUBLISHED_RATES)


def test_minimum_wage_changes_on_the_change_date_not_the_day_before() -> None:
    """One table-driven test: at each change date, each age at a band's edge."""
    wrong = []
    for change_day, age, before, after in _band_change_cases():
        got = (
            minimum_hourly_wage(change_day - timedelta(days=1), age),
            minimum_hourly_wage(change_day, age),
        )
        if got != (before, after):
            wrong.append((change_day, age, got, (before, after)))
    assert wrong == [], "(change day, age, got the day before and on the day, published)"


@pytest.mark.parametrize(
    ("on", "age", "expected"),
    [
        # Until 30 Sept 2010 a 21-year-old was on the development rate, then the adult rate.
        (date(2010, 9, 30), 21, "4.83"),
        (date(2010, 10, 1), 21, "5.93"),
        (date(2010, 9, 30), 22, "5.80"),
        # The National Living Wage started at 25 on 1 April 2016: a 24-year-old stayed lower.
        (date(2016, 3, 31), 24, "6.70"),
        (date(2016, 4, 1), 24, "6.70"),
        (date(2016, 4, 1), 25, "7.20"),
        # From 1 April 2021 the National Living Wage reached 23- and 24-year-olds.
        (date(2021, 3, 31), 23, "8.20"),
        (date(2021, 4, 1), 23, "8.91"),
        (date(2021, 4, 1), 22, "8.36"),
        # From 1 April 2024 it reached 21- and 22-year-olds.
        (date(2024, 3, 31), 21, "10.18"),
        (date(2024, 4, 1), 21, "11.44"),
        (date(2024, 4, 1), 20, "8.60"),
        # The rates in force from 1 April 2026.
        (date(2026, 4, 1), 16, "8.00"),
        (date(2026, 4, 1), 20, "10.85"),
        (date(2026, 4, 1), 21, "12.71"),
        (date(2026, 4, 1), 67, "12.71"),
    ],
)
def test_minimum_wage_follows_each_age_boundary_move(on: date, age: int, expected: str) -> None:
    assert minimum_hourly_wage(on, age) == D(expected)


def test_minimum_wage_accepts_a_datetime_and_uses_its_date() -> None:
    assert minimum_hourly_wage(datetime(2025, 4, 1, 9, 30), 30) == D("12.21")


def test_minimum_wage_is_a_decimal_with_pence() -> None:
    rate = minimum_hourly_wage(date(2024, 4, 1), 40)
    assert isinstance(rate, Decimal)
    assert rate.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "on",
    [date(2007, 9, 30), date(2006, 10, 1), date(1999, 4, 1), date(1990, 1, 1)],
)
def test_minimum_wage_before_october_2007_is_outside_the_table(on: date) -> None:
    with pytest.raises(ValueError, match="2007-10-01"):
        minimum_hourly_wage(on, 30)


@pytest.mark.parametrize("age", [15, 14, 0, -1])
def test_minimum_wage_does_not_apply_under_16(age: int) -> None:
    with pytest.raises(ValueError, match="no minimum wage applies"):
        minimum_hourly_wage(date(2025, 5, 1), age)


# --- youngest_lawful_age and lawful_age_range -------------------------------------------------


@pytest.mark.parametrize(
    ("pay", "on", "expected"),
    [
        # Paying the top band's rate covers every age from 16.
        ("12.21", date(2025, 5, 1), 16),
        ("15.00", date(2025, 5, 1), 16),
        ("5.52", date(2007, 10, 1), 16),
        ("7.20", date(2016, 4, 1), 16),
        ("8.91", date(2021, 4, 1), 16),
        # A penny short of the top band: no "N and over" is lawful.
        ("12.20", date(2025, 5, 1), None),
        ("5.51", date(2007, 10, 1), None),
        ("7.19", date(2016, 4, 1), None),
        # Lawful for the younger bands only: still no "N and over".
        ("10.00", date(2025, 5, 1), None),
        ("7.55", date(2025, 5, 1), None),
        # Below even the 16-17 rate.
        ("7.54", date(2025, 5, 1), None),
        ("0", date(2025, 5, 1), None),
        # The day before a change the old top rate is enough; on the day it is not.
        ("12.21", date(2026, 3, 31), 16),
        ("12.21", date(2026, 4, 1), None),
    ],
)
def test_youngest_lawful_age_is_16_only_when_the_top_band_rate_is_met(
    pay: str, on: date, expected: int | None
) -> None:
    assert youngest_lawful_age(D(pay), on) == expected


@pytest.mark.parametrize(
    ("pay", "on", "expected"),
    [
        ("12.21", date(2025, 5, 1), (16, None)),
        ("12.20", date(2025, 5, 1), (16, 20)),
        ("10.00", date(2025, 5, 1), (16, 20)),
        ("9.99", date(2025, 5, 1), (16, 17)),
        ("7.55", date(2025, 5, 1), (16, 17)),
        ("7.54", date(2025, 5, 1), None),
        # Pre-2010 bands: development rate to 21.
        ("5.00", date(2009, 11, 1), (16, 21)),
        ("4.00", date(2009, 11, 1), (16, 17)),
        # NLW from 25: pay between the 21-24 rate and the NLW covers 16 to 24.
        ("7.00", date(2016, 4, 1), (16, 24)),
        ("6.00", date(2016, 4, 1), (16, 20)),
        # NLW from 23: the 21-22 rate covers 16 to 22.
        ("10.18", date(2023, 4, 1), (16, 22)),
        ("10.42", date(2023, 4, 1), (16, None)),
    ],
)
def test_lawful_age_range_runs_from_16_to_the_last_band_the_pay_meets(
    pay: str, on: date, expected: tuple[int, int | None] | None
) -> None:
    assert lawful_age_range(D(pay), on) == expected


@pytest.mark.parametrize("function", [youngest_lawful_age, lawful_age_range])
def test_lawful_age_functions_refuse_dates_before_the_table(function) -> None:
    with pytest.raises(ValueError):
        function(D("10.00"), date(2007, 9, 30))


# --- hourly_equivalent ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "period", "hours", "expected"),
    [
        ("12.21", "hourly", "37.5", "12.21"),
        ("12.219", "hourly", "37.5", "12.21"),
        ("12.2199", "hourly", "1", "12.21"),
        ("500", "weekly", "37.5", "13.33"),
        ("457.875", "weekly", "37.5", "12.21"),
        ("400", "weekly", "16", "25.00"),
        ("23000", "annual", "37.5", "11.79"),
        # 12.21 x 37.5 x 52 = 23,809.50 exactly.
        ("23809.50", "annual", "37.5", "12.21"),
        ("0", "weekly", "20", "0.00"),
        (7, "hourly", 40, "7.00"),
    ],
)
def test_hourly_equivalent_converts_each_period(
    amount: str | int, period: str, hours: str | int, expected: str
) -> None:
    result = hourly_equivalent(D(amount), period, D(hours))
    assert result == D(expected)
    assert result.as_tuple().exponent == -2


@pytest.mark.parametrize(
    ("amount", "period", "hours", "expected"),
    [
        # Would round UP to the 2025 National Living Wage of £12.21; rounding down refuses it.
        ("457.87", "weekly", "37.5", "12.20"),
        ("23809.49", "annual", "37.5", "12.20"),
        ("12.2099", "hourly", "37.5", "12.20"),
        ("1", "weekly", "3", "0.33"),
        ("2", "weekly", "3", "0.66"),
    ],
)
def test_hourly_equivalent_rounds_down_so_pay_lawful_only_by_rounding_is_refused(
    amount: str, period: str, hours: str, expected: str
) -> None:
    assert hourly_equivalent(D(amount), period, D(hours)) == D(expected)


@pytest.mark.parametrize("period", ["monthly", "Weekly", "ANNUAL", "yearly", "", "day"])
def test_hourly_equivalent_rejects_an_unknown_period(period: str) -> None:
    with pytest.raises(ValueError, match="unknown pay period"):
        hourly_equivalent(D("400"), period, D("37.5"))


@pytest.mark.parametrize("hours", ["0", "-1", "-37.5", "0.00"])
@pytest.mark.parametrize("period", ["hourly", "weekly", "annual"])
def test_hourly_equivalent_rejects_non_positive_hours(hours: str, period: str) -> None:
    with pytest.raises(ValueError, match="hours per week must be positive"):
        hourly_equivalent(D("400"), period, D(hours))


def test_hourly_equivalent_rejects_negative_pay() -> None:
    with pytest.raises(ValueError, match="negative"):
        hourly_equivalent(D("-1"), "weekly", D("37.5"))


@pytest.mark.parametrize(("amount", "hours"), [(12.21, D("37.5")), (D("400"), 37.5)])
def test_hourly_equivalent_refuses_floats(amount, hours) -> None:
    with pytest.raises(TypeError, match="float"):
        hourly_equivalent(amount, "weekly", hours)
