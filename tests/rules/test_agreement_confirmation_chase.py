"""An unconfirmed agreement is chased five working days after it was sent, on the nation's
working-day clock (the call-back's: weekends and that nation's bank holidays stop it)."""

from __future__ import annotations

from datetime import date

import pytest

from app.agreements.rules import add_working_days, confirmation_chase_due


@pytest.mark.parametrize(
    ("sent", "nation", "chased"),
    [
        # An ordinary week: Monday to Monday, Friday to Friday.
        (date(2026, 11, 2), "england", date(2026, 11, 9)),
        (date(2026, 12, 4), "england", date(2026, 12, 11)),
        # Sent on a Saturday: the first working day counted is the Monday.
        (date(2026, 12, 5), "england", date(2026, 12, 11)),
        # Christmas and New Year: Scotland also stops on 4 January 2027 (2 January's substitute).
        (date(2026, 12, 24), "england", date(2027, 1, 5)),
        (date(2026, 12, 24), "wales", date(2027, 1, 5)),
        (date(2026, 12, 24), "scotland", date(2027, 1, 6)),
        # Good Friday 2027 (26 March) stops every nation; Easter Monday only England and Wales.
        (date(2027, 3, 24), "england", date(2027, 4, 2)),
        (date(2027, 3, 24), "scotland", date(2027, 4, 1)),
        # St Andrew's Day 2026 (Monday 30 November) is Scotland's alone.
        (date(2026, 11, 27), "scotland", date(2026, 12, 7)),
        (date(2026, 11, 27), "england", date(2026, 12, 4)),
    ],
)
def test_chase_falls_five_working_days_after_sending(sent, nation, chased):
    assert confirmation_chase_due(sent, nation) == chased


def test_no_working_days_on_is_the_same_day():
    assert add_working_days(date(2026, 12, 5), 0, "england") == date(2026, 12, 5)


def test_an_unknown_nation_is_refused():
    with pytest.raises(ValueError):
        confirmation_chase_due(date(2026, 12, 4), "ireland")
