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
