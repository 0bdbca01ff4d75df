"""Not selecting a candidate takes a reason from a list (and words for "another reason"); the
candidate's adviser is told the reason and sees it on the customer's page."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.referrals.models import NotSelectedReason, Referral, ReferralStatus
from tests.helpers import count_queries, get_page, post_form, sign_in
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
def as_employer(app, vacancy):
    return sign_in(app.test_client(), vacancy.organisation.memberships[0].user)


@pytest.fixture
def adviser(vacancy):
    return adviser_in(vacancy.district, name="Ada Adviser", email="ada.adviser@jcp.example")


@pytest.fixture
def candidate(vacancy, adviser):
    return referral(
        vacancy, fitting_customer(vacancy, adviser, first_name="Grace", last_name="Okafor")
    )


def move_url(candidate) -> str:
    return f"/candidates/{candidate.id}/status"


def not_selected(client, candidate, reason: str | None, details: str = "", status: int = 302):
    data = {"action": "not_selected", "not-selected-details": details}
    if reason is not None:
        data["not-selected-reason"] = reason
    return post_form(client, move_url(candidate), data, status=status)


def refreshed(candidate) -> Referral:
    db.session.expire_all()
    return db.session.get(Referral, candidate.id)


def test_the_candidate_page_offers_every_reason(as_employer, candidate):
    html = get_page(as_employer, f"/candidates/{candidate.id}")
    for reason in NotSelectedReason:
        assert f'value="{reason.value}"' in html
    assert "A better-matched candidate was chosen" in html
    assert "The vacancy was filled or withdrawn" in html


def test_a_reason_from_the_list_is_kept_with_the_employers_words_and_when(as_employer, candidate):
    not_selected(as_employer, candidate, "lacked_experience", "No warehouse work yet")
    made = refreshed(candidate)
    assert made.status is ReferralStatus.NOT_SELECTED
    assert made.not_selected_code is NotSelectedReason.LACKED_EXPERIENCE
    assert made.not_selected_reason == "No warehouse work yet"
    assert made.not_selected_at is not None
    html = get_page(as_employer, f"/candidates/{candidate.id}")
    assert "Lacked experience: No warehouse work yet" in html


def test_words_are_optional_for_a_listed_reason(as_employer, candidate):
    not_selected(as_employer, candidate, "did_not_attend")
    made = refreshed(candidate)
    assert made.not_selected_code is NotSelectedReason.DID_NOT_ATTEND
    assert made.not_selected_reason == ""


def test_another_reason_needs_words_and_nothing_is_saved_without_them(as_employer, candidate):
    response = not_selected(as_employer, candidate, "other", "  ", status=200)
    html = response.get_data(as_text=True)
    assert "Enter the other reason" in html
    assert 'href="#not-selected-details"' in html
    assert refreshed(candidate).status is ReferralStatus.REFERRED
    assert refreshed(candidate).not_selected_code is None


def test_a_reason_not_on_the_list_is_refused(as_employer, candidate):
    response = not_selected(as_employer, candidate, "too_old", status=200)
    assert "There is a problem" in response.get_data(as_text=True)
    assert refreshed(candidate).status is ReferralStatus.REFERRED


def test_the_adviser_is_emailed_the_reason(as_employer, candidate):
    not_selected(as_employer, candidate, "better_match", "Two applicants, one post")
    (email,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "referral_not_selected")
    )
    assert email.recipient == "ada.adviser@jcp.example"
    assert "Reason: A better-matched candidate was chosen" in email.text_body
    assert "Two applicants, one post" in email.text_body
    assert f"/customers/{candidate.customer_id}" in email.text_body


def test_the_adviser_sees_the_reason_on_the_customers_page(app, as_employer, candidate, adviser):
    not_selected(as_employer, candidate, "lacked_skill", "Needed a forklift licence")
    html = get_page(sign_in(app.test_client(), adviser), f"/customers/{candidate.customer_id}")
    assert "Warehouse operative" in html
    assert "Lacked a skill the job needs: Needed a forklift licence" in html


def test_a_decision_from_before_the_list_still_shows_its_words(app, candidate, adviser):
    candidate.status = ReferralStatus.NOT_SELECTED
    candidate.not_selected_reason = "Role filled internally"
    db.session.flush()
    html = get_page(sign_in(app.test_client(), adviser), f"/customers/{candidate.customer_id}")
    assert "Role filled internally" in html


def test_the_customers_referrals_cost_one_query_however_many(app, vacancy, adviser):
    customer = fitting_customer(vacancy, adviser)
    client = sign_in(app.test_client(), adviser)
    counts = []
    for extra in (0, 5):
        for _ in range(extra):
            referral(live_vacancy(), customer)
        db.session.expunge_all()
        with count_queries() as statements:
            get_page(client, f"/customers/{customer.id}")
        counts.append(len(statements))
    assert counts[0] == counts[1]
