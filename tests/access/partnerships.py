"""Access rows for the LEP Partnership Agreement: the district's TPPM offers it (an
administrator reads it); a provider's users accept it and work under it. The world's provider
has accepted the agreement for the organisation's district, so each provider row reaches its
page; a provider without an agreement (404) is tested in tests/web/test_partnerships.py."""

from __future__ import annotations

from tests.access.core import Route, World, fixed

PROVIDER = frozenset({"provider"})
TPPM = frozenset({"tppm", "admin"})


def _record(name: str, template: str):
    return lambda world: template.format(id=world.records[name].id)


ROUTES: dict[str, Route] = {
    "partnerships.offer": Route(
        "GET",
        lambda world: f"/training-providers/{world.users['provider'].provider_id}/partnership",
        TPPM,
    ),
    "partnerships.mine": Route("GET", fixed("/partnership"), PROVIDER),
    # Already accepted: on to the confirmation (302).
    "partnerships.accept": Route(
        "POST", _record("partnership", "/partnership/{id}/accept"), PROVIDER
    ),
    "partnerships.accepted": Route(
        "GET", _record("partnership", "/partnership/{id}/accepted"), PROVIDER
    ),
    # No name: the agreement page again with the error (200).
    "partnerships.add_subcontractor": Route("POST", fixed("/partnership/subcontractors"), PROVIDER),
    "partnerships.remove_subcontractor": Route(
        "POST", _record("subcontractor", "/partnership/subcontractors/{id}/remove"), PROVIDER
    ),
    "partnerships.employer_agreements": Route(
        "GET", fixed("/partnership/employer-agreements"), PROVIDER
    ),
    "partnerships.new_employer_agreement": Route(
        "GET", fixed("/partnership/employer-agreements/new"), PROVIDER
    ),
    "partnerships.employer_agreement": Route(
        "GET", _record("provider_agreement", "/partnership/employer-agreements/{id}"), PROVIDER
    ),
    "partnerships.vacancies": Route("GET", fixed("/partnership/vacancies"), PROVIDER),
    "partnerships.vacancy": Route(
        "GET", _record("partnership_vacancy", "/partnership/vacancies/{id}"), PROVIDER
    ),
    # Nobody chosen: the vacancy page again with the error (200).
    "partnerships.put_forward": Route(
        "POST", _record("partnership_vacancy", "/partnership/vacancies/{id}/put-forward"), PROVIDER
    ),
    "partnerships.customers": Route("GET", fixed("/partnership/customers"), PROVIDER),
    "partnerships.new_customer": Route("GET", fixed("/partnership/customers/new"), PROVIDER),
    "partnerships.customer": Route(
        "GET", _record("provider_customer", "/partnership/customers/{id}"), PROVIDER
    ),
    # No answer: the customer page again with the error (200).
    "partnerships.consent": Route(
        "POST", _record("provider_customer", "/partnership/customers/{id}/consent"), PROVIDER
    ),
    "partnerships.placements": Route("GET", fixed("/partnership/placements"), PROVIDER),
    "partnerships.report_placement": Route(
        "GET", _record("provider_customer", "/partnership/customers/{id}/placement"), PROVIDER
    ),
}


def build(world: World) -> None:
    """The provider user's provider accepted the agreement for the organisation's district,
    named a subcontractor, made its own agreement with the organisation and entered a
    consented customer there; the organisation has a live LEP vacancy."""
    from app.partnerships.services import add_subcontractor
    from tests.partnership_factories import employer_agreement, partnership, provider_customer
    from tests.referral_factories import live_vacancy

    district = world.organisation.district
    user = world.users["provider"]
    tppm = world.users["tppm"]
    tppm.district = district
    world.records["partnership"] = partnership(
        user.provider, district, offered_by=tppm, accepted_by=user
    )
    world.records["subcontractor"] = add_subcontractor(user.provider_id, "Access Skills Ltd", user)
    world.records["provider_agreement"] = employer_agreement(user, world.organisation)
    world.records["provider_customer"] = provider_customer(user, district)
    world.records["partnership_vacancy"] = live_vacancy(world.organisation)
