"""Access to Work: the adviser's view of a disabled customer's referrals signposts it with
the seeds' eligibility; every employer's candidate page offers the same general information
on adjustments, saying nothing about the candidate's health."""

from __future__ import annotations

import pytest

from app.referrals.models import ReferralStatus
from tests.helpers import get_page, sign_in
from tests.referral_factories import (
    adviser_in,
    fitting_customer,
    live_vacancy,
    referral,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


@pytest.fixture
def vacancy():
    return live_vacancy(job_title="Warehouse operative")


@pytest.fixture
def adviser(vacancy):
    return adviser_in(vacancy.district)


def test_the_adviser_is_signposted_to_access_to_work_for_a_disabled_customer(app, vacancy, adviser):
    customer = fitting_customer(vacancy, adviser, disabled=True)
    referral(vacancy, customer, status=ReferralStatus.INTERVIEW_ARRANGED)
    html = get_page(sign_in(app.test_client(), adviser), f"/customers/{customer.id}")
    assert 'data-testid="access-to-work"' in html
    assert "employed, are about to start paid work, or need help with a job interview" in html
    assert "they are eligible now" in html


def test_no_eligible_now_before_an_interview_or_offer(app, vacancy, adviser):
    customer = fitting_customer(vacancy, adviser, disabled=True)
    referral(vacancy, customer)
    html = get_page(sign_in(app.test_client(), adviser), f"/customers/{customer.id}")
    assert 'data-testid="access-to-work"' in html
    assert "they are eligible now" not in html


def test_no_signpost_without_a_disability_or_health_condition(app, vacancy, adviser):
    customer = fitting_customer(vacancy, adviser, disabled=False)
    referral(vacancy, customer, status=ReferralStatus.INTERVIEW_ARRANGED)
    html = get_page(sign_in(app.test_client(), adviser), f"/customers/{customer.id}")
    assert "Access to Work" not in html


def test_the_employers_candidate_page_is_the_same_whoever_the_candidate_is(app, vacancy, adviser):
    client = sign_in(app.test_client(), vacancy.organisation.memberships[0].user)
    pages = []
    for disabled in (True, False):
        made = referral(vacancy, fitting_customer(vacancy, adviser, disabled=disabled))
        html = get_page(client, f"/candidates/{made.id}")
        start = html.index('data-testid="adjustments"')
        pages.append(html[start : html.index("</details>", start)])
    assert "Access to Work" in pages[0]
    assert pages[0] == pages[1]
