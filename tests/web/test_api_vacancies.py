"""The API's vacancies: made, changed, submitted and closed through the portal's own vacancy
form and services, so the same rules refuse the same things with the same words."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from app.callbacks.models import CallBack
from app.extensions import db
from app.vacancies.models import Vacancy, VacancyStatus
from tests.api_helpers import bearer, key_for, vacancy_json
from tests.callback_factories import lmra, signed_in_as
from tests.factories import OrganisationFactory, employer_user
from tests.helpers import get_page
from tests.vacancy_factories import VacancyFactory

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


@pytest.fixture
def employer():
    return employer_user(OrganisationFactory(name="Northern Foods"))


@pytest.fixture
def headers(employer):
    return bearer(key_for(employer))


def _site(employer):
    return employer.organisation.sites[0]


def test_a_vacancy_posted_as_json_is_saved_as_a_draft_of_the_keys_organisation(
    client, employer, headers
):
    response = client.post(
        "/api/v1/vacancies", json=vacancy_json(_site(employer).id), headers=headers
    )

    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "draft"
    assert body["pay_amount"] == "13.00"
    assert body["hourly_pay"] == "13.00"
    assert body["offers_work_trial"] is True
    assert response.headers["Location"] == f"/api/v1/vacancies/{body['id']}"
    vacancy = db.session.get(Vacancy, uuid.UUID(body["id"]))
    assert vacancy.organisation_id == employer.organisation.id
    assert vacancy.created_by_id == employer.id
    assert "Set-Cookie" not in response.headers


def test_a_vacancy_with_errors_gets_the_forms_messages_on_its_fields(client, employer, headers):
    response = client.post(
        "/api/v1/vacancies",
        json=vacancy_json(_site(employer).id, job_title="", positions="two", work_kind="voluntary"),
        headers=headers,
    )

    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    errors = {error["field"]: error["message"] for error in response.get_json()["errors"]}
    assert errors["job_title"] == "Enter the job title"
    assert errors["positions"] == "Number of positions must be a whole number, like 2"
    assert errors["work_kind"].startswith("You cannot post voluntary or unpaid work")
    assert db.session.scalar(select(Vacancy)) is None


def test_a_closing_date_in_the_past_is_refused_as_on_the_form(client, employer, headers):
    yesterday = (dt.date.today() - dt.timedelta(days=2)).isoformat()
    response = client.post(
        "/api/v1/vacancies",
        json=vacancy_json(_site(employer).id, closing_date=yesterday),
        headers=headers,
    )

    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"field": "closing_date", "message": "The closing date must be today or in the future"}
    ]


def test_a_body_that_is_not_json_is_refused(client, headers):
    response = client.post("/api/v1/vacancies", data="job_title=x", headers=headers)
    assert response.status_code == 415
    assert response.mimetype == "application/problem+json"
    response = client.post("/api/v1/vacancies", json=[1, 2], headers=headers)
    assert response.status_code == 400


def test_another_organisations_site_is_refused(client, employer, headers):
    theirs = employer_user(OrganisationFactory()).organisation.sites[0]
    response = client.post("/api/v1/vacancies", json=vacancy_json(theirs.id), headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "site_id"


def test_submitting_through_the_api_puts_the_vacancy_in_the_lmras_call_back_queue(
    client, employer, headers
):
    created = client.post(
        "/api/v1/vacancies", json=vacancy_json(_site(employer).id), headers=headers
    ).get_json()

    response = client.post(f"/api/v1/vacancies/{created['id']}/submit", headers=headers)

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "submitted"
    callback = db.session.scalar(select(CallBack))
    assert callback.vacancy_id.hex == created["id"].replace("-", "")
    assert body["callback_due_at"] is not None
    # The LMRA of the employer's district sees it in the queue, as from the form.
    queue = get_page(signed_in_as(client, lmra(employer.organisation.district)), "/call-backs")
    assert "Northern Foods" in queue and "Kitchen assistant" in queue
    # A second submission opens nothing more.
    again = client.post(f"/api/v1/vacancies/{created['id']}/submit", headers=headers)
    assert again.status_code == 409
    assert len(db.session.scalars(select(CallBack)).all()) == 1


def test_a_draft_paid_below_the_minimum_wage_cannot_be_submitted(client, employer, headers):
    created = client.post(
        "/api/v1/vacancies",
        json=vacancy_json(_site(employer).id, pay_amount="5.00"),
        headers=headers,
    ).get_json()

    response = client.post(f"/api/v1/vacancies/{created['id']}/submit", headers=headers)

    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert error["field"] == "pay_amount"
    assert "£5.00 an hour is below the National Minimum Wage" in error["message"]
    assert db.session.scalar(select(CallBack)) is None


def test_an_update_changes_only_the_fields_sent_and_is_checked_like_the_form(
    client, employer, headers
):
    created = client.post(
        "/api/v1/vacancies", json=vacancy_json(_site(employer).id), headers=headers
    ).get_json()
    url = f"/api/v1/vacancies/{created['id']}"

    response = client.patch(url, json={"job_title": "Head chef", "positions": 1}, headers=headers)

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["job_title"] == "Head chef"
    assert response.get_json()["how_to_apply"] == "Phone Sam on 0113 496 0001."
    refused = client.patch(url, json={"hours_per_week": 90}, headers=headers)
    assert refused.status_code == 422
    assert refused.get_json()["errors"] == [
        {"field": "hours_per_week", "message": "Hours a week must be between 1 and 60"}
    ]


def test_a_submitted_vacancy_may_not_be_changed_to_pay_below_the_minimum(client, employer, headers):
    created = client.post(
        "/api/v1/vacancies", json=vacancy_json(_site(employer).id), headers=headers
    ).get_json()
    client.post(f"/api/v1/vacancies/{created['id']}/submit", headers=headers)

    response = client.patch(
        f"/api/v1/vacancies/{created['id']}", json={"pay_amount": "4.00"}, headers=headers
    )

    assert response.status_code == 422
    assert response.get_json()["errors"][0]["field"] == "pay_amount"


def test_closing_a_vacancy_needs_a_reason_and_an_open_vacancy(client, employer, headers):
    draft = VacancyFactory(organisation=employer.organisation)
    refused = client.post(
        f"/api/v1/vacancies/{draft.id}/close", json={"reason": "filled"}, headers=headers
    )
    assert refused.status_code == 409
    draft.status = VacancyStatus.LIVE
    db.session.flush()

    no_reason = client.post(f"/api/v1/vacancies/{draft.id}/close", json={}, headers=headers)
    assert no_reason.status_code == 422
    assert no_reason.get_json()["errors"] == [
        {"field": "reason", "message": "Select why you are closing this vacancy"}
    ]
    closed = client.post(
        f"/api/v1/vacancies/{draft.id}/close", json={"reason": "filled"}, headers=headers
    )
    assert closed.status_code == 200
    assert closed.get_json()["status"] == "filled"


def test_another_organisations_vacancy_is_not_found(client, headers):
    theirs = VacancyFactory(organisation=employer_user(OrganisationFactory()).organisation)
    for method, suffix in (("GET", ""), ("PATCH", ""), ("POST", "/submit"), ("POST", "/close")):
        url = f"/api/v1/vacancies/{theirs.id}{suffix}"
        response = client.open(url, method=method, json={}, headers=headers)
        assert response.status_code == 404, (method, suffix)
        assert response.mimetype == "application/problem+json"


def test_the_list_is_newest_first_a_page_at_a_time_with_a_cursor(client, employer, headers):
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    for day in range(27):
        VacancyFactory(
            organisation=employer.organisation,
            job_title=f"Job {day:02}",
            created_at=base + dt.timedelta(days=day),
        )
    VacancyFactory(organisation=employer_user(OrganisationFactory()).organisation)

    first = client.get("/api/v1/vacancies", headers=headers).get_json()
    assert len(first["items"]) == 25
    assert first["items"][0]["job_title"] == "Job 26"
    assert "callback_due_at" not in first["items"][0]
    second = client.get(
        "/api/v1/vacancies", query_string={"cursor": first["next_cursor"]}, headers=headers
    ).get_json()
    assert [item["job_title"] for item in second["items"]] == ["Job 01", "Job 00"]
    assert second["next_cursor"] is None


def test_the_list_filters_by_status_and_title(client, employer, headers):
    VacancyFactory(organisation=employer.organisation, job_title="Cook")
    VacancyFactory(
        organisation=employer.organisation, job_title="Cleaner", status=VacancyStatus.LIVE
    )
    live = client.get("/api/v1/vacancies?status=live", headers=headers).get_json()
    assert [item["job_title"] for item in live["items"]] == ["Cleaner"]
    cooks = client.get("/api/v1/vacancies?q=coo", headers=headers).get_json()
    assert [item["job_title"] for item in cooks["items"]] == ["Cook"]


@pytest.mark.parametrize(
    "query", ["cursor=not-a-cursor", "cursor=eyJwYWdlIjogOTk5OTl9", "status=open"]
)
def test_a_bad_cursor_or_filter_is_a_bad_request(client, headers, query):
    response = client.get(f"/api/v1/vacancies?{query}", headers=headers)
    assert response.status_code == 400
    assert response.mimetype == "application/problem+json"


def test_the_sites_list_gives_the_ids_a_vacancy_names(client, employer, headers):
    employer_user(OrganisationFactory())  # another organisation's site is not listed

    response = client.get("/api/v1/sites", headers=headers)

    site = _site(employer)
    assert response.get_json() == {
        "items": [
            {
                "id": str(site.id),
                "name": site.name,
                "address_line_1": site.address_line_1,
                "town": site.town,
                "postcode": site.postcode,
            }
        ]
    }
