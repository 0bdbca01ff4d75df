import datetime as dt
from decimal import Decimal

import pytest

from app.formatting import date_long, datetime_long, duration, money, time_of_day

UTC = dt.UTC


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (dt.datetime(2026, 11, 23, 9, 0, tzinfo=UTC), "9am"),
        (dt.datetime(2026, 11, 23, 14, 5, tzinfo=UTC), "2:05pm"),
        (dt.datetime(2026, 11, 23, 12, 0, tzinfo=UTC), "midday"),
        (dt.datetime(2026, 11, 23, 0, 0, tzinfo=UTC), "midnight"),
        # British Summer Time: 11:30 UTC is 12:30pm in London
        (dt.datetime(2026, 7, 1, 11, 30, tzinfo=UTC), "12:30pm"),
    ],
)
def test_time_of_day_is_gov_uk_style_in_uk_time(moment, expected):
    assert time_of_day(moment) == expected


def test_datetime_long_names_the_day_in_uk_time():
    # 23:30 UTC on 30 June is already 1 July in London
    assert datetime_long(dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == (
        "Wednesday 1 July 2026 at 12:30am"
    )
    assert date_long(dt.date(2026, 1, 5)) == "5 January 2026"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [(Decimal("12.21"), "£12.21"), (Decimal("1000"), "£1,000"), (Decimal("5.5"), "£5.50")],
)
def test_money(amount, expected):
    assert money(amount) == expected


@pytest.mark.parametrize(
    ("delta", "expected"),
    [
        (dt.timedelta(minutes=45), "45 minutes"),
        (dt.timedelta(hours=3, minutes=20), "3 hours 20 minutes"),
        (dt.timedelta(days=1, hours=2, minutes=5), "1 day 2 hours"),
        (-dt.timedelta(hours=1), "1 hour"),
        (dt.timedelta(seconds=20), "less than a minute"),
    ],
)
def test_duration(delta, expected):
    assert duration(delta) == expected
