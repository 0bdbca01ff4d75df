"""What lets a recruitment system retry safely: `Idempotency-Key` on POSTs and `If-Match` with
the ETag on changes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.callbacks.models import CallBack
from app.extensions import db
from app.vacancies.models import Vacancy
from tests.api_helpers import bearer, key_for, vacancy_json
from tests.factories import OrganisationFactory, employer_user

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


@pytest.fixture
def employer():
    return employer_user(OrganisationFactory())


@pytest.fixture
def key(employer):
    return key_for(employer)


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_retried_post_with_the_same_key_creates_one_vacancy_and_gets_the_same_answer(
    client, employer, key
):
    headers = {**bearer(key), "Idempotency-Key": "vacancy-42"}
    body = vacancy_json(employer.organisation.sites[0].id)

    first = client.post("/api/v1/vacancies", json=body, headers=headers)
    retry = client.post("/api/v1/vacancies", json=body, headers=headers)

    assert first.status_code == retry.status_code == 201
    assert retry.get_json() == first.get_json()
    assert retry.headers["Location"] == first.headers["Location"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert _count(Vacancy) == 1


def test_a_retried_submission_opens_one_call_back(client, employer, key):
    created = client.post(
        "/api/v1/vacancies",
        json=vacancy_json(employer.organisation.sites[0].id),
        headers=bearer(key),
    ).get_json()
    headers = {**bearer(key), "Idempotency-Key": "submit-42"}
    url = f"/api/v1/vacancies/{created['id']}/submit"

    assert client.post(url, headers=headers).status_code == 200
    assert client.post(url, headers=headers).status_code == 200
    assert _count(CallBack) == 1


def test_the_same_key_for_another_request_is_refused(client, employer, key):
    headers = {**bearer(key), "Idempotency-Key": "reused"}
    site = employer.organisation.sites[0].id
    client.post("/api/v1/vacancies", json=vacancy_json(site), headers=headers)
    other = client.post(
        "/api/v1/vacancies", json=vacancy_json(site, job_title="Cook"), headers=headers
    )
    assert other.status_code == 422
    assert _count(Vacancy) == 1


def test_a_refusal_is_replayed_too(client, key):
    headers = {**bearer(key), "Idempotency-Key": "bad-body"}
    first = client.post("/api/v1/vacancies", json={}, headers=headers)
    retry = client.post("/api/v1/vacancies", json={}, headers=headers)
    assert first.status_code == retry.status_code == 422
    assert retry.mimetype == "application/problem+json"
    assert retry.get_json() == first.get_json()


def test_keys_are_per_api_key(client, employer, key):
    site = employer.organisation.sites[0].id
    client.post(
        "/api/v1/vacancies",
        json=vacancy_json(site),
        headers={**bearer(key), "Idempotency-Key": "k"},
    )
    other_key = key_for(employer, "Second system")
    response = client.post(
        "/api/v1/vacancies",
        json=vacancy_json(site),
        headers={**bearer(other_key), "Idempotency-Key": "k"},
    )
    assert response.status_code == 201
    assert _count(Vacancy) == 2


def test_a_change_with_an_old_etag_is_refused_and_a_current_one_applies(client, employer, key):
    created = client.post(
        "/api/v1/vacancies",
        json=vacancy_json(employer.organisation.sites[0].id),
        headers=bearer(key),
    )
    url = created.headers["Location"]
    etag = client.get(url, headers=bearer(key)).headers["ETag"]
    assert etag == created.headers["ETag"]

    changed = client.patch(url, json={"positions": 4}, headers={**bearer(key), "If-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["ETag"] != etag

    stale = client.patch(url, json={"positions": 5}, headers={**bearer(key), "If-Match": etag})
    assert stale.status_code == 412
    assert stale.mimetype == "application/problem+json"
    assert client.get(url, headers=bearer(key)).get_json()["positions"] == 4
    stale_submit = client.post(f"{url}/submit", headers={**bearer(key), "If-Match": etag})
    assert stale_submit.status_code == 412
