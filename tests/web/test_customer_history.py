"""The adviser's customer page shows where the customer was referred and the jobs they
started, newest first, in a bounded number of queries."""

from __future__ import annotations

import pytest

from app import clock
from app.referrals.models import ReferralStatus
from tests.helpers import count_queries, get_page, sign_in
from tests.outcome_factories import record
from tests.referral_factories import (
    adviser_in,
    fitting_customer,
    live_vacancy,
    referral,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


@pytest.fixture
def vacancy():
    return live_vacancy(job_title="Stock assistant")


@pytest.fixture
def adviser(vacancy):
    return adviser_in(vacancy.district, name="Ada Adviser")


@pytest.fixture
def customer(vacancy, adviser):
    return fitting_customer(vacancy, adviser)


def test_the_customer_page_shows_their_referrals_and_job_starts(app, vacancy, adviser, customer):
    employer = vacancy.organisation.memberships[0].user
    hired = referral(vacancy, customer, status=ReferralStatus.OFFERED)
    outcome = record(hired, employer, start=clock.today())
    baker = live_vacancy(vacancy.organisation, job_title="Trainee baker")
    referral(baker, customer)

    html = get_page(sign_in(app.test_client(), adviser), f"/customers/{customer.id}")
    name = vacancy.organisation.name
    assert f"Stock assistant at {name}" in html and f"Trainee baker at {name}" in html
    assert "Referred" in html and "Started" in html
    assert f'href="/outcomes/{outcome.id}"' in html


def test_a_customer_never_referred_says_so(app, adviser, customer):
    html = get_page(sign_in(app.test_client(), adviser), f"/customers/{customer.id}")
    assert "Not referred to any vacancy yet." in html
    assert "No job starts recorded." in html


def test_the_customer_page_costs_the_same_queries_for_1_or_4_referrals(
    app, vacancy, adviser, customer
):
    client = sign_in(app.test_client(), adviser)
    referral(vacancy, customer)
    with count_queries() as one:
        get_page(client, f"/customers/{customer.id}")
    for n in range(3):
        referral(live_vacancy(job_title=f"Job {n}"), customer)
    with count_queries() as four:
        html = get_page(client, f"/customers/{customer.id}")
    assert "Job 2 at" in html
    assert len(four) == len(one)
