"""The API's candidates: only consenting customers, only what the candidate page shows, every
look on the audit trail under the key's name; decisions and starts through the page's forms."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from app.clock import today
from app.customers.models import AuditEntry
from app.extensions import db
from app.mail.models import OutboxMessage
from app.outcomes.models import JobOutcome
from app.referrals.models import ReferralStatus
from tests.api_helpers import bearer, key_for
from tests.customer_factories import CustomerFactory
from tests.factories import OrganisationFactory, employer_user
from tests.referral_factories import (
    fitting_customer,
    live_vacancy,
    referral,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


@pytest.fixture
def vacancy():
    return live_vacancy()


@pytest.fixture
def employer(vacancy):
    return vacancy.organisation.memberships[0].user


@pytest.fixture
def headers(employer):
    return bearer(key_for(employer, "Head office ATS"))


def test_the_list_shows_consenting_candidates_only_and_audits_each_under_the_keys_name(
    client, vacancy, headers
):
    shown = referral(vacancy, fitting_customer(vacancy, first_name="Ada", last_name="Lovelace"))
    referral(vacancy, fitting_customer(vacancy, consent_given=False, first_name="Hidden"))

    response = client.get(f"/api/v1/vacancies/{vacancy.id}/candidates", headers=headers)

    assert response.status_code == 200
    assert response.get_json()["items"] == [
        {
            "id": str(shown.id),
            "name": "Ada Lovelace",
            "status": "referred",
            "referred_at": shown.created_at.isoformat(),
        }
    ]
    [entry] = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "viewed_candidate"))
    assert entry.customer_id == shown.customer_id
    assert "Head office ATS" in entry.detail


def test_a_candidate_shows_what_the_candidate_page_shows_and_no_more(client, vacancy, headers):
    made = referral(vacancy, note="Keen, has a food hygiene certificate")

    response = client.get(f"/api/v1/candidates/{made.id}", headers=headers)

    assert response.status_code == 200
    body = response.get_json()
    assert body["note"] == "Keen, has a food hygiene certificate"
    assert body["adviser"]["email"] == made.customer.adviser.email
    for private in ("reference", "date_of_birth", "benefit", "email", "phone", "postcode"):
        assert private not in body
    assert db.session.scalar(select(AuditEntry.detail)).endswith("(API key “Head office ATS”)")


def test_a_customer_who_withdrew_consent_is_not_found(client, vacancy, headers):
    made = referral(vacancy, CustomerFactory(consent_given=False, district=vacancy.district))
    assert client.get(f"/api/v1/candidates/{made.id}", headers=headers).status_code == 404


def test_another_organisations_candidates_and_vacancies_are_not_found(client, headers):
    theirs = live_vacancy(OrganisationFactory())
    their_referral = referral(theirs)
    for url in (
        f"/api/v1/vacancies/{theirs.id}/candidates",
        f"/api/v1/candidates/{their_referral.id}",
    ):
        assert client.get(url, headers=headers).status_code == 404
    response = client.post(
        f"/api/v1/candidates/{their_referral.id}/decisions",
        json={"action": "offer"},
        headers=headers,
    )
    assert response.status_code == 404
    assert db.session.scalar(select(AuditEntry)) is None


def test_arranging_an_interview_sends_the_adviser_the_calendar_invitation(client, vacancy, headers):
    made = referral(vacancy)
    day = (today() + dt.timedelta(days=3)).isoformat()

    response = client.post(
        f"/api/v1/candidates/{made.id}/decisions",
        json={
            "action": "interview",
            "date": day,
            "time": "14:30",
            "place": "Head office",
            "guaranteed": True,
        },
        headers=headers,
    )

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "interview_arranged"
    message = db.session.scalar(select(OutboxMessage))
    assert message.recipient == made.customer.adviser.email
    assert message.attachments[0]["filename"] == "interview.ics"


def test_an_interview_without_a_place_gets_the_forms_message(client, vacancy, headers):
    made = referral(vacancy)
    response = client.post(
        f"/api/v1/candidates/{made.id}/decisions",
        json={"action": "interview", "date": "2020-01-01", "time": "noon", "guaranteed": False},
        headers=headers,
    )
    assert response.status_code == 422
    errors = {error["field"]: error["message"] for error in response.get_json()["errors"]}
    assert errors["place"] == "Enter where the interview is"
    assert errors.get("date") == "The interview must be in the future", errors


def test_not_selected_needs_a_reason_and_records_it(client, vacancy, headers):
    made = referral(vacancy)
    url = f"/api/v1/candidates/{made.id}/decisions"
    refused = client.post(url, json={"action": "not_selected"}, headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["errors"][0]["message"] == "Select why the candidate was not selected"
    without_words = client.post(
        url, json={"action": "not_selected", "reason": "other"}, headers=headers
    )
    assert without_words.status_code == 422
    assert without_words.get_json()["errors"][0]["message"] == "Enter the other reason"

    response = client.post(
        url,
        json={"action": "not_selected", "reason": "lacked_skill", "details": "No forklift licence"},
        headers=headers,
    )

    assert response.status_code == 200
    assert response.get_json()["not_selected_reason"] == "lacked_skill"
    assert response.get_json()["not_selected_details"] == "No forklift licence"


def test_a_step_that_does_not_follow_is_a_conflict(client, vacancy, headers):
    made = referral(vacancy, status=ReferralStatus.NOT_SELECTED)
    response = client.post(
        f"/api/v1/candidates/{made.id}/decisions", json={"action": "offer"}, headers=headers
    )
    assert response.status_code == 409
    assert "This referral is closed" in response.get_json()["detail"]


def test_an_unknown_action_is_refused(client, vacancy, headers):
    made = referral(vacancy)
    response = client.post(
        f"/api/v1/candidates/{made.id}/decisions", json={"action": "start"}, headers=headers
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "action"


def test_recording_a_start_makes_a_job_outcome_as_the_candidate_page_does(client, vacancy, headers):
    made = referral(vacancy, status=ReferralStatus.OFFERED)

    response = client.post(
        f"/api/v1/candidates/{made.id}/starts",
        json={"start_date": today().isoformat(), "hours_per_week": "37.5", "hourly_pay": "13.00"},
        headers=headers,
    )

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["candidate"]["status"] == "started"
    outcome = db.session.get(JobOutcome, uuid.UUID(body["job_outcome_id"]))
    assert outcome.referral_id == made.id


def test_a_start_below_the_minimum_wage_is_refused_on_the_pay(client, vacancy, headers):
    made = referral(vacancy, status=ReferralStatus.OFFERED)
    response = client.post(
        f"/api/v1/candidates/{made.id}/starts",
        json={"start_date": today().isoformat(), "hours_per_week": "30", "hourly_pay": "3.00"},
        headers=headers,
    )
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "hourly_pay"
    assert db.session.scalar(select(JobOutcome)) is None


def test_the_list_refuses_an_unknown_status(client, vacancy, headers):
    response = client.get(
        f"/api/v1/vacancies/{vacancy.id}/candidates?status=hired", headers=headers
    )
    assert response.status_code == 400


def test_a_recruiters_own_key_is_not_needed_to_read_an_owners_vacancy(client, vacancy):
    recruiter = employer_user(vacancy.organisation)
    headers = bearer(key_for(recruiter))
    assert (
        client.get(f"/api/v1/vacancies/{vacancy.id}/candidates", headers=headers).status_code == 200
    )
