"""API keys: an owner makes one (shown once, only its hash kept) and revokes it; a DAM may
revoke it; the command line makes one for scripts; every use is recorded under its name; a
key is limited in rate and opens no page, and the API sets no cookie."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import MembershipRole
from app.api import keys
from app.api.models import ApiKey, ApiKeyUse
from app.auth.models import Role
from app.extensions import db
from tests.api_helpers import bearer, key_for
from tests.factories import OrganisationFactory, StaffFactory, employer_user
from tests.helpers import get_page, post_form, sign_in
from tests.web.test_sign_in import separate_app

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


@pytest.fixture
def owner():
    return employer_user(OrganisationFactory(name="Northern Foods"))


def test_an_owner_creates_a_key_that_is_shown_once_and_kept_only_as_a_hash(client, owner):
    sign_in(client, owner)
    get_page(client, "/organisation/api-keys", title="API keys")

    response = post_form(client, "/organisation/api-keys", {"name": "Head office ATS"}, status=200)

    html = response.get_data(as_text=True)
    key = re.search(r'id="new-api-key">([^<]+)<', html).group(1)
    record = db.session.scalar(select(ApiKey))
    assert record.name == "Head office ATS"
    assert record.key_hash == keys.key_hash(key)
    assert key not in record.key_hash
    assert record.created_by_id == owner.id
    again = get_page(client, "/organisation/api-keys", title="API keys")
    assert "Head office ATS" in again and key not in again
    assert client.get("/api/v1/vacancies", headers=bearer(key)).status_code == 200


def test_a_key_needs_a_name(client, owner):
    sign_in(client, owner)
    response = post_form(client, "/organisation/api-keys", {"name": " "}, status=200)
    assert "Enter a name for the key" in response.get_data(as_text=True)
    assert db.session.scalar(select(ApiKey)) is None


def test_a_recruiter_may_not_manage_keys(client, owner):
    recruiter = employer_user(owner.organisation, membership_role=MembershipRole.RECRUITER)
    sign_in(client, recruiter)
    assert client.get("/organisation/api-keys").status_code == 403


def test_an_owner_revokes_a_key_after_confirming_and_it_stops_working(client, owner):
    record, key = keys.create_key(owner, "Old ATS")
    sign_in(client, owner)
    page = get_page(client, f"/organisation/api-keys/{record.id}/revoke", title="Revoke the key")
    assert "cannot be undone" in page
    assert client.get("/api/v1/vacancies", headers=bearer(key)).status_code == 200

    post_form(client, f"/organisation/api-keys/{record.id}/revoke", {}, status=302)

    assert record.revoked_at is not None and record.revoked_by_id == owner.id
    refused = client.get("/api/v1/vacancies", headers=bearer(key))
    assert refused.status_code == 401
    assert refused.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Revoked" in get_page(client, "/organisation/api-keys")


def test_another_organisations_key_cannot_be_revoked(client, owner):
    theirs, _key = keys.create_key(employer_user(OrganisationFactory()), "Theirs")
    sign_in(client, owner)
    assert client.post(f"/organisation/api-keys/{theirs.id}/revoke").status_code == 404
    assert theirs.revoked_at is None


def test_a_dam_of_the_account_revokes_a_key(client, owner):
    record, _key = keys.create_key(owner, "Branch ATS")
    dam = StaffFactory(role=Role.DAM, district=owner.organisation.district)
    sign_in(client, dam)
    page = get_page(client, f"/accounts/{owner.organisation.id}/api-keys")
    assert "Branch ATS" in page

    post_form(client, f"/accounts/{owner.organisation.id}/api-keys/{record.id}/revoke", {})

    assert record.revoked_by_id == dam.id
    elsewhere = StaffFactory(role=Role.DAM)
    sign_in(client, elsewhere)
    assert client.get(f"/accounts/{owner.organisation.id}/api-keys").status_code == 404


def test_the_command_line_prints_a_working_key_as_the_last_word(app, client, owner):
    result = app.test_cli_runner().invoke(
        args=["api-keys", "create", "--email", owner.email, "--name", "CI"]
    )

    assert result.exit_code == 0, result.output
    key = result.output.strip().splitlines()[-1].split()[-1]
    assert client.get("/api/v1/vacancies", headers=bearer(key)).status_code == 200
    unknown = app.test_cli_runner().invoke(
        args=["api-keys", "create", "--email", "nobody@example.org", "--name", "CI"]
    )
    assert unknown.exit_code != 0


def test_every_use_is_recorded_under_the_key(client, owner):
    key = key_for(owner, "Head office ATS")
    client.get("/api/v1/vacancies", headers=bearer(key))
    client.get("/api/v1/vacancies?status=live", headers=bearer(key))

    uses = db.session.scalars(select(ApiKeyUse).order_by(ApiKeyUse.at)).all()
    assert [(use.method, use.path) for use in uses] == [("GET", "/api/v1/vacancies")] * 2
    assert uses[0].api_key.name == "Head office ATS"
    assert uses[0].api_key.last_used_at is not None


def test_a_key_of_someone_who_left_the_organisation_stops_working(client, owner):
    key = key_for(owner)
    owner.active = False
    db.session.flush()
    assert client.get("/api/v1/vacancies", headers=bearer(key)).status_code == 401


def test_the_api_sets_no_cookie_and_ignores_a_signed_in_session(client, owner):
    sign_in(client, owner)
    response = client.get("/api/v1/vacancies")
    assert response.status_code == 401
    response = client.get("/api/v1/vacancies", headers=bearer(key_for(owner)))
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_post_needs_no_csrf_token(client, owner):
    response = client.post("/api/v1/vacancies", json={}, headers=bearer(key_for(owner)))
    assert response.status_code == 422


def test_each_key_has_its_own_rate_limit_with_ratelimit_headers():
    with separate_app(RATELIMIT_ENABLED=True, API_RATE_LIMIT="3 per minute") as application:
        client = application.test_client()
        first = employer_user(OrganisationFactory())
        second = employer_user(OrganisationFactory())
        key, other_key = key_for(first), key_for(second)
        db.session.commit()
        for remaining in (2, 1, 0):
            response = client.get("/api/v1/vacancies", headers=bearer(key))
            assert response.status_code == 200
            assert response.headers["RateLimit-Limit"] == "3"
            assert response.headers["RateLimit-Remaining"] == str(remaining)
        refused = client.get("/api/v1/vacancies", headers=bearer(key))
        assert refused.status_code == 429
        assert refused.mimetype == "application/problem+json"
        assert "Retry-After" in refused.headers
        assert client.get("/api/v1/vacancies", headers=bearer(other_key)).status_code == 200
