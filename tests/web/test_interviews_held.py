"""One meaning of "an interview was held" on every page, CSV and chart: its time has come
and the customer did not withdraw. A guaranteed interview next week is promised, not held."""

from __future__ import annotations

import datetime as dt

from app.accounts import queries as accounts
from app.models_base import utcnow
from app.referrals.models import ReferralStatus
from app.reports import queries as reports
from app.reports import rollup_figures
from app.reports.rules import custom_period
from tests.helpers import freeze_clock
from tests.referral_factories import live_vacancy, referral

DAY = dt.timedelta(days=1)


def _interviews(now: dt.datetime):
    vacancy = live_vacancy()
    for status, when in [
        (ReferralStatus.INTERVIEW_ARRANGED, now + 6 * DAY),  # next week: not held yet
        (ReferralStatus.OFFERED, now + 6 * DAY),  # offered before the interview: not held
        (ReferralStatus.INTERVIEW_ARRANGED, now - 2 * DAY),  # held
        (ReferralStatus.WITHDRAWN, now - 3 * DAY),  # the customer withdrew: not held
    ]:
        referral(vacancy, status=status, guaranteed_interview=True, interview_at=when)
    return vacancy


def test_a_guaranteed_interview_next_week_is_held_nowhere_yet():
    now = utcnow()
    vacancy = _interviews(now)
    organisation_id = vacancy.organisation_id

    progress = accounts.measure_progress(organisation_id, None)
    assert (progress.interviews_held, progress.interviews_promised) == (1, 4)

    today = now.date()
    service = accounts.service_figures([organisation_id], today - 30 * DAY, today + 30 * DAY)
    assert service.interviews == 1

    scope = reports.Scope(
        period=custom_period(today - 30 * DAY, today + 30 * DAY),
        district_id=vacancy.district_id,
        now=now,
    )
    (row,) = rollup_figures.measures_delivered(scope)
    assert row["guaranteed_interviews"] == 1


def test_the_mi_counts_todays_guaranteed_interviews_once_their_time_has_come(monkeypatch):
    """The MI keeps interviews by day and counts a day's as held once it has passed; today's
    are counted live: one this morning is held, one this afternoon is not yet."""
    now = freeze_clock(monkeypatch, dt.datetime(2026, 6, 10, 11, 0, tzinfo=dt.UTC))  # noon BST
    vacancy = live_vacancy()
    for when in (now - dt.timedelta(hours=2), now + dt.timedelta(hours=3), now - 2 * DAY):
        referral(
            vacancy,
            status=ReferralStatus.INTERVIEW_ARRANGED,
            guaranteed_interview=True,
            interview_at=when,
        )
    today = now.date()
    for first, last, held in ((today - 30 * DAY, today, 2), (today, today, 1)):
        scope = reports.Scope(
            period=custom_period(first, last), district_id=vacancy.district_id, now=now
        )
        (row,) = rollup_figures.measures_delivered(scope)
        assert row["guaranteed_interviews"] == held
    # A period that ended yesterday has no today: the two days ago one only.
    scope = reports.Scope(
        period=custom_period(today - 30 * DAY, today - DAY), district_id=vacancy.district_id
    )
    (row,) = rollup_figures.measures_delivered(scope)
    assert row["guaranteed_interviews"] == 1
