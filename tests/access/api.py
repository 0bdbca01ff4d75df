"""Access rows for the API and its keys. API routes are opened by a bearer key only
(`allow("api_key")`): no signed-in role gets through, and `tests/test_access_matrix.py`
checks each with the world's key, a revoked one, a wrong one and another organisation's."""

from app.policy import GROUPS
from tests.access.core import EMPLOYER, EVERYONE, Route, fixed

API_KEY = GROUPS["api_key"]
DAM = frozenset({"dam"})


def _vacancy(suffix: str = ""):
    return lambda world: f"/api/v1/vacancies/{world.records['api_vacancy'].id}{suffix}"


def _candidate(suffix: str = ""):
    return lambda world: f"/api/v1/candidates/{world.records['referral'].id}{suffix}"


def _key(suffix: str = ""):
    return lambda world: f"/organisation/api-keys/{world.records['api_key'].id}{suffix}"


def _account_key(suffix: str = ""):
    return lambda world: (
        f"/accounts/{world.organisation.id}/api-keys/{world.records['api_key'].id}{suffix}"
    )


ROUTES: dict[str, Route] = {
    "api.list_sites": Route("GET", fixed("/api/v1/sites"), API_KEY),
    "api.list_vacancies": Route("GET", fixed("/api/v1/vacancies"), API_KEY),
    # An empty body: refused with the form's errors (422), after the key is checked.
    "api.create_vacancy": Route("POST", fixed("/api/v1/vacancies"), API_KEY, json={}),
    "api.read_vacancy": Route("GET", _vacancy(), API_KEY),
    "api.update_vacancy": Route("PATCH", _vacancy(), API_KEY, json={}),
    "api.submit_vacancy": Route("POST", _vacancy("/submit"), API_KEY),
    "api.close_vacancy": Route("POST", _vacancy("/close"), API_KEY, json={}),
    "api.list_candidates": Route(
        "GET",
        lambda w: f"/api/v1/vacancies/{w.records['vacancy_for_referrals'].id}/candidates",
        API_KEY,
    ),
    "api.read_candidate": Route("GET", _candidate(), API_KEY),
    "api.decide": Route("POST", _candidate("/decisions"), API_KEY, json={}),
    "api.record_start": Route("POST", _candidate("/starts"), API_KEY, json={}),
    "api.openapi": Route("GET", fixed("/api/v1/openapi.json"), EVERYONE),
    "api.docs": Route("GET", fixed("/api/v1/docs"), EVERYONE),
    "api_keys.index": Route("GET", fixed("/organisation/api-keys"), EMPLOYER),
    "api_keys.revoke": Route("GET", _key("/revoke"), EMPLOYER),
    "api_keys.account_keys": Route("GET", lambda w: f"/accounts/{w.organisation.id}/api-keys", DAM),
    "api_keys.account_revoke": Route("GET", _account_key("/revoke"), DAM),
}


def build(world) -> None:
    """A key of the world's organisation (shown once: kept here), a revoked one, a draft
    for the API, and another organisation with a key of its own."""
    from app.api import keys
    from tests.factories import OrganisationFactory, employer_user
    from tests.vacancy_factories import VacancyFactory

    def key(user, name):
        record, value = keys.create_key(user, name)
        record.value = value  # shown once: the tests keep it on the record, in memory only
        return record

    employer = world.users["employer"]
    world.records["api_key"] = key(employer, "ATS")
    world.records["revoked_api_key"] = key(employer, "Old ATS")
    keys.revoke(world.records["revoked_api_key"], employer)
    world.records["api_vacancy"] = VacancyFactory(organisation=world.organisation)
    world.records["other_api_key"] = key(employer_user(OrganisationFactory()), "Their ATS")
    world.users["dam"].district_id = world.organisation.district_id
