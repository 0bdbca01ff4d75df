"""The one clock: UK days whatever the server's zone, frozen and restarted by tests."""

from __future__ import annotations

import datetime as dt

import pytest

from app import clock


@pytest.mark.parametrize(
    ("moment", "uk_day"),
    [
        # 23:30 UTC in British Summer Time is already tomorrow in the UK.
        (dt.datetime(2026, 7, 14, 23, 30, tzinfo=dt.UTC), dt.date(2026, 7, 15)),
        (dt.datetime(2026, 7, 14, 22, 59, tzinfo=dt.UTC), dt.date(2026, 7, 14)),
        # In winter the UK keeps UTC.
        (dt.datetime(2026, 12, 4, 23, 59, tzinfo=dt.UTC), dt.date(2026, 12, 4)),
        (dt.datetime(2026, 12, 5, 0, 0, tzinfo=dt.UTC), dt.date(2026, 12, 5)),
    ],
)
def test_today_is_the_uk_day_of_the_moment(moment, uk_day):
    with clock.freeze(moment):
        assert clock.today() == uk_day
        assert clock.now() == moment


def test_freezing_restores_what_was_there_before():
    outer = dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC)
    with clock.freeze(outer):
        with clock.freeze(dt.datetime(2027, 1, 1, tzinfo=dt.UTC)):
            assert clock.today() == dt.date(2027, 1, 1)
        assert clock.now() == outer
    assert clock.now() != outer  # running again


def test_a_naive_moment_is_refused():
    with pytest.raises(ValueError):
        clock.set_frozen(dt.datetime(2026, 1, 1, 9))


def test_a_moment_in_another_zone_is_held_in_utc():
    with clock.freeze(dt.datetime(2026, 7, 14, 10, 30, tzinfo=clock.LONDON)):
        assert clock.now().tzinfo is dt.UTC
        assert clock.now().hour == 9
