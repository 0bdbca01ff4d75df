"""The route-by-role access matrix.

Every route in the app must have a row here (a test walks the URL map), each row must match
the route's own `@allow` declaration, and for every route every role is tried: the roles
allowed get through, every other role is refused (403), and an anonymous visitor is sent to
sign in. Adding a route means adding a row: that is deliberate.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from app.accounts.models import Organisation
from app.auth.models import Role
from app.policy import ALL_ROLES, ANONYMOUS, EVERYONE, GROUPS
from tests.factories import OrganisationFactory, StaffFactory, employer_user
from tests.helpers import sign_in

STAFF = GROUPS["staff"]
SIGNED_IN = ALL_ROLES


@dataclass
class World:
    """One user of every role, and the records their URLs point at."""

    users: dict
    organisation: Organisation


@dataclass(frozen=True)
class Route:
    method: str
    url: Callable[[World], str]
    allowed: frozenset[str]


def fixed(path: str) -> Callable[[World], str]:
    return lambda world: path


ROUTES: dict[str, Route] = {
    # main
    "main.home": Route("GET", fixed("/"), EVERYONE),
    "main.accessibility": Route("GET", fixed("/accessibility"), EVERYONE),
    "main.privacy": Route("GET", fixed("/privacy"), EVERYONE),
    "main.cookies": Route("GET", fixed("/cookies"), EVERYONE),
    # auth
    "auth.register": Route("GET", fixed("/register"), EVERYONE),
    "auth.check_email": Route("GET", fixed("/register/check-your-email"), EVERYONE),
    "auth.resend_verification": Route("POST", fixed("/register/resend-link"), EVERYONE),
    "auth.verify_email": Route("GET", fixed("/verify-email/not-a-token"), EVERYONE),
    "auth.sign_in": Route("GET", fixed("/sign-in"), EVERYONE),
    "auth.sign_out": Route("POST", fixed("/sign-out"), SIGNED_IN),
    "auth.forgot_password": Route("GET", fixed("/forgot-password"), EVERYONE),
    "auth.reset_password": Route("GET", fixed("/reset-password/not-a-token"), EVERYONE),
    "auth.accept_invitation": Route("GET", fixed("/accept-invitation/not-a-token"), EVERYONE),
    # accounts
    "accounts.organisation": Route("GET", fixed("/organisation"), frozenset({"employer"})),
    "accounts.search": Route("GET", fixed("/accounts"), STAFF),
    "accounts.account": Route("GET", lambda w: f"/accounts/{w.organisation.id}", STAFF),
    "accounts.change_contact": Route(
        "GET",
        lambda w: f"/accounts/{w.organisation.id}/change-contact",
        frozenset({"dam", "admin"}),
    ),
    # admin
    "admin.staff": Route("GET", fixed("/admin/staff"), frozenset({"admin"})),
    "admin.invite": Route("GET", fixed("/admin/staff/invite"), frozenset({"admin"})),
}

ROLES_TO_TRY = [*sorted(ALL_ROLES), ANONYMOUS]


@pytest.fixture
def world() -> World:
    organisation = OrganisationFactory()
    users = {role.value: StaffFactory(role=role) for role in Role if role.is_staff}
    users["employer"] = employer_user(organisation)
    return World(users=users, organisation=organisation)


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}
    assert endpoints - ROUTES.keys() == set(), "routes missing from the access matrix"
    assert ROUTES.keys() - endpoints == set(), "matrix rows for routes that no longer exist"


def test_every_route_declares_the_roles_in_the_matrix(app):
    for endpoint, route in ROUTES.items():
        declared = getattr(app.view_functions[endpoint], "allowed_roles", None)
        assert declared == route.allowed, f"{endpoint} declares {declared}"


def test_record_ids_in_urls_are_uuids_and_paths_are_kebab_case(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        for name, converter in rule._converters.items():
            if name.endswith("_id"):
                assert type(converter).__name__ == "UUIDConverter", f"{rule.rule}: {name}"
        static_parts = re.sub(r"<[^>]+>", "", rule.rule)
        assert re.fullmatch(r"[a-z0-9/\-]*", static_parts), f"not kebab-case: {rule.rule}"


def test_an_unknown_role_name_in_a_declaration_fails_loudly():
    from app.policy import allow

    with pytest.raises(ValueError):
        allow("lmra", "dma")


@pytest.mark.parametrize("role", ROLES_TO_TRY)
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_admits_only_its_roles(app, world, endpoint, role):
    route = ROUTES[endpoint]
    client = app.test_client()
    if role != ANONYMOUS:
        sign_in(client, world.users[role])
    url = route.url(world)
    response = client.open(url, method=route.method, data={})
    status = response.status_code
    if role in route.allowed:
        assert status not in (401, 403), f"{role} refused at {url}"
        assert "/sign-in?next=" not in response.headers.get("Location", "")
        assert status < 500
    elif role == ANONYMOUS:
        if route.method == "GET":
            assert status == 302 and "/sign-in?next=" in response.headers["Location"]
        else:
            assert status == 401
    else:
        assert status == 403, f"{role} got {status} at {url}"
