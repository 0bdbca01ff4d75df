"""The route-by-role access matrix.

Every route in the app must have a row (a test walks the URL map); each area keeps its rows
in `tests/access/<area>.py` as `ROUTES`, with a `build(world)` that adds the records its URLs
point at. Each row must match the route's own `@allow` declaration, and for every route
every role is tried: the roles allowed get through, every other role is refused (403), and
an anonymous visitor is sent to sign in. Adding a route means adding a row: deliberately.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection
from sqlalchemy.orm import scoped_session, sessionmaker

import tests.access
from app.auth.models import Role
from app.extensions import db
from app.policy import ALL_ROLES, ANONYMOUS, allow
from tests.access.core import Route, World
from tests.factories import (
    OrganisationFactory,
    ProviderUserFactory,
    StaffFactory,
    employer_user,
)
from tests.helpers import sign_in

AREAS = [
    importlib.import_module(f"tests.access.{module.name}")
    for module in pkgutil.iter_modules(tests.access.__path__)
    if module.name != "core"
]
ROUTES: dict[str, Route] = {}
for _area in AREAS:
    duplicated = ROUTES.keys() & _area.ROUTES.keys()
    assert not duplicated, f"rows in two areas: {duplicated}"
    ROUTES.update(_area.ROUTES)

ROLES_TO_TRY = [*sorted(ALL_ROLES), ANONYMOUS]


def build_world() -> World:
    """One user of every role and a record of each kind the matrix's URLs point at."""
    organisation = OrganisationFactory()
    users = {role.value: StaffFactory(role=role) for role in Role if role.is_staff}
    users["employer"] = employer_user(organisation)
    users["provider"] = ProviderUserFactory()
    world = World(users=users, organisation=organisation)
    for area in AREAS:
        area.build(world)
    return world


@pytest.fixture(scope="module")
def matrix_connection(app) -> Iterator[tuple[Connection, World]]:
    """The world is built once for the module (about 125 statements), in a transaction that
    is rolled back at the end; each test then runs in a savepoint inside it."""
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        # The world's records stay readable after the build: nothing expires, and the session
        # is closed, so no test's savepoint can strand one of this session's own.
        builder = scoped_session(
            sessionmaker(
                bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
            ),
            scopefunc=original.registry.scopefunc,
        )
        db.session = builder
        try:
            world = build_world()
            builder.commit()
        finally:
            builder.remove()
            db.session = original
        try:
            yield connection, world
        finally:
            transaction.rollback()
            connection.close()


@pytest.fixture(autouse=True)
def db_session(app, matrix_connection) -> Iterator[scoped_session]:
    """Overrides the suite's per-test transaction: a savepoint in the module's transaction."""
    connection, _ = matrix_connection
    with app.app_context():
        savepoint = connection.begin_nested()
        original = db.session
        session = scoped_session(
            sessionmaker(bind=connection, join_transaction_mode="create_savepoint"),
            scopefunc=original.registry.scopefunc,
        )
        db.session = session
        try:
            yield session
        finally:
            session.remove()
            db.session = original
            savepoint.rollback()


@pytest.fixture
def world(matrix_connection) -> World:
    return matrix_connection[1]


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
        # A document served as a file may end in its extension (`/api/v1/openapi.json`).
        assert re.fullmatch(r"[a-z0-9/\-]*(\.[a-z]+)?", static_parts), (
            f"not kebab-case: {rule.rule}"
        )


def test_an_unknown_role_name_in_a_declaration_fails_loudly():
    with pytest.raises(ValueError):
        allow("lmra", "dma")


def test_a_route_without_a_declaration_is_refused_to_everyone():
    from app import create_app

    fresh = create_app("test")
    fresh.add_url_rule("/undeclared-route-for-test", "undeclared", lambda: "secret")
    response = fresh.test_client().get("/undeclared-route-for-test")
    assert response.status_code == 403
    assert "secret" not in response.get_data(as_text=True)


def _open(client, route: Route, url: str, **kwargs):
    if route.json is not None:
        return client.open(url, method=route.method, json=route.json, **kwargs)
    return client.open(url, method=route.method, data=route.data, **kwargs)


@pytest.mark.parametrize("role", ROLES_TO_TRY)
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_admits_only_its_roles(app, world, endpoint, role):
    route = ROUTES[endpoint]
    client = app.test_client()
    if role != ANONYMOUS:
        sign_in(client, world.users[role])
    url = route.url(world)
    response = _open(client, route, url)
    status = response.status_code
    if route.is_api:
        # The API reads no session: a signed-in person without a key is nobody to it.
        assert status == 401, f"{role} got {status} at {url}"
        assert response.mimetype == "application/problem+json"
        assert "Set-Cookie" not in response.headers
    elif role in route.allowed:
        assert status not in (401, 403), f"{role} refused at {url}"
        assert "/sign-in?next=" not in response.headers.get("Location", "")
        assert status < 500, f"{role} got {status} at {url}"
    elif role == ANONYMOUS:
        if route.method == "GET":
            assert status == 302 and "/sign-in?next=" in response.headers["Location"]
        else:
            assert status == 401
    else:
        assert status == 403, f"{role} got {status} at {url}"


API_ROUTES = sorted(endpoint for endpoint, route in ROUTES.items() if route.is_api)


def _bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.usefixtures("fresh_request_globals")
@pytest.mark.parametrize("endpoint", API_ROUTES)
def test_api_route_admits_its_organisations_key_only(app, world, endpoint):
    route = ROUTES[endpoint]
    url = route.url(world)
    client = app.test_client()
    status = _open(client, route, url, headers=_bearer(world.records["api_key"].value)).status_code
    assert status not in (401, 403) and status < 500, f"the key got {status} at {url}"
    for refused in ("revoked_api_key", None):
        key = world.records[refused].value if refused else "lep_not-a-key"
        response = _open(client, route, url, headers=_bearer(key))
        assert response.status_code == 401, f"{refused or 'a wrong key'} at {url}"
    assert _open(client, route, url).status_code == 401
    # Another organisation's key finds none of this organisation's records.
    other = _open(client, route, url, headers=_bearer(world.records["other_api_key"].value))
    if "<" in app.url_map._rules_by_endpoint[endpoint][0].rule:
        assert other.status_code == 404, f"another organisation's key got {other.status_code}"
        assert other.mimetype == "application/problem+json"


@pytest.mark.usefixtures("fresh_request_globals")
def test_an_api_key_opens_no_page(app, world):
    client = app.test_client()
    response = client.get("/vacancies", headers=_bearer(world.records["api_key"].value))
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
