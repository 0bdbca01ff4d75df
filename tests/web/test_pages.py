"""Every public page: sound HTML, security headers, no GOV.UK crown or font; production-only
settings; error pages; and what each employer may see."""

from __future__ import annotations

import base64
import hashlib
import re
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask

from app import create_app
from app.assets import load_manifest
from app.auth.models import Role
from app.extensions import db, limiter
from config import ProductionConfig, database_url
from tests.factories import (
    PASSWORD,
    OrganisationFactory,
    StaffFactory,
    employer_user,
)
from tests.helpers import get_page, sign_in

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

PUBLIC_PAGES = [
    "/",
    "/accessibility",
    "/privacy",
    "/cookies",
    "/sign-in",
    "/register",
    "/forgot-password",
]


def csp_directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    directives = {}
    for part in policy.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def assert_security_headers(response) -> None:
    policy = response.headers.get("Content-Security-Policy", "")
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    directives = csp_directives(response)
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "*" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer", "strict-origin")


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_renders_valid_html_with_one_h1(client, url):
    html = get_page(client, url)
    assert "LEP Employer Portal" in html


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_sends_the_security_headers(client, url):
    assert_security_headers(client.get(url))


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_every_inline_script_is_allowed_by_its_hash_in_the_policy(client, url):
    response = client.get(url)
    scripts = re.findall(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", response.text, re.S)
    allowed = csp_directives(response)["script-src"]
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed, f"inline script not allowed: {script[:60]}"


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_page_has_no_crown_and_no_gds_transport(client, url):
    html = get_page(client, url)
    assert "govuk-logo" not in html
    assert 'govuk-header__logotype"' not in html and "govuk-header__logotype " not in html
    assert "govuk-footer__copyright-logo" not in html  # the royal crest
    assert "crown" not in html.lower()
    assert "GDS Transport" not in html


def test_the_stylesheet_has_no_gds_transport_font(client):
    response = client.get("/static/dist/" + load_manifest()["app.css"])
    assert response.status_code == 200
    assert "GDS Transport" not in response.get_data(as_text=True)
    response.close()


def test_pages_are_not_cached_and_cannot_be_framed(client):
    response = client.get("/sign-in")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_hsts_header_outside_production(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_the_session_cookie_is_http_only_and_same_site_lax(client):
    response = client.get("/sign-in")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_the_session_cookie_after_signing_in_is_http_only_and_same_site_lax(client):
    user = employer_user()
    response = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
    cookies = response.headers.getlist("Set-Cookie")
    [session_cookie] = [c for c in cookies if c.startswith("session=")]
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


# Production


@pytest.fixture
def production_app(monkeypatch, tmp_path) -> Iterator[Flask]:
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'production.sqlite'}")
    # config.py reads the environment once, when it is imported (as a server does when it
    # starts); give the class what it would have read.
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setattr(
        ProductionConfig,
        "SQLALCHEMY_DATABASE_URI",
        database_url(f"sqlite:///{tmp_path / 'production.sqlite'}"),
    )
    saved = {name: getattr(limiter, name) for name in ("enabled", "initialized", "_storage")}
    try:
        application = create_app()
        yield application
        with application.app_context():
            db.engine.dispose()
    finally:
        for name, value in saved.items():
            setattr(limiter, name, value)


def test_production_sends_hsts(production_app):
    response = production_app.test_client().get("/accessibility")
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert_security_headers(response)


def test_production_session_cookie_is_secure_host_only_http_only_and_lax(production_app):
    response = production_app.test_client().get("/sign-in")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=")
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert attribute in cookie
    assert "Domain=" not in cookie


def test_production_turns_on_csrf_and_strong_session_protection(production_app):
    assert production_app.config["WTF_CSRF_ENABLED"] is True
    assert production_app.config.get("TESTING") is not True
    assert production_app.config["SESSION_PROTECTION"] == "strong"


@pytest.mark.parametrize(
    ("missing", "named"),
    [
        (["SECRET_KEY", "DATABASE_URL"], "SECRET_KEY, DATABASE_URL"),
        (["SECRET_KEY"], "SECRET_KEY"),
        (["DATABASE_URL"], "DATABASE_URL"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(monkeypatch, missing, named):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db/portal")
    for name in missing:
        monkeypatch.delenv(name)

    with pytest.raises(RuntimeError, match=f"environment variables: {named}$"):
        create_app()
    with pytest.raises(RuntimeError, match=named):
        create_app("production")


def test_an_unknown_app_env_is_refused(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(RuntimeError, match="APP_ENV must be one of"):
        create_app()


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgres://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql://u:p@h/db", "postgresql+psycopg://u:p@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.sqlite", "sqlite:///x.sqlite"),
    ],
)
def test_a_hosting_platforms_database_url_uses_psycopg_3(given, expected):
    assert database_url(given) == expected


# Errors


def assert_not_found_page(client, url: str) -> None:
    html = get_page(client, url, status=404, title="Page not found")
    assert "If you typed the web address, check it is correct" in html
    assert_security_headers(client.get(url))


@pytest.mark.parametrize("url", ["/no-such-page", "/accounts/extra/bits/here", "/Sign-In"])
def test_an_unknown_url_gives_the_styled_404_page(client, url):
    assert_not_found_page(client, url)


def test_an_unknown_account_id_gives_404_to_staff(client):
    sign_in(client, StaffFactory(role=Role.LMRA))
    assert_not_found_page(client, f"/accounts/{uuid.uuid4()}")


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/not-a-uuid",
        "/accounts/12345",
        "/accounts/00000000-0000-0000-0000-00000000000g",
        "/accounts/%27%20OR%201=1--/change-contact",
    ],
)
def test_a_malformed_id_in_a_url_gives_404(client, url):
    sign_in(client, StaffFactory(role=Role.DAM))
    assert_not_found_page(client, url)


# What each employer sees


@pytest.fixture
def two_employers():
    ours_contact = StaffFactory(
        role=Role.LMRA, name="Priya Shah", email="priya.shah@dwp.example", phone="0113 496 0001"
    )
    theirs_contact = StaffFactory(
        role=Role.DAM,
        name="David Brennan",
        email="david.brennan@dwp.example",
        phone="020 7946 0006",
    )
    ours = OrganisationFactory(name="Kirkgate Bakery", contact=ours_contact)
    theirs = OrganisationFactory(name="Northern Retail Group", contact=theirs_contact)
    return {
        "ours": ours,
        "theirs": theirs,
        "us": employer_user(ours, name="Jo Fletcher", email="jo@kirkgate.example"),
        "colleague": employer_user(ours, name="Ben Fletcher", email="ben@kirkgate.example"),
        "them": employer_user(theirs, name="Fiona McAllister", email="fiona@northern.example"),
    }


def test_an_employers_home_shows_its_own_contacts_name_email_and_phone(client, two_employers):
    html = get_page(sign_in(client, two_employers["us"]), "/", title="Kirkgate Bakery")

    for detail in ("Priya Shah", "priya.shah@dwp.example", "0113 496 0001"):
        assert detail in html
    for detail in ("David Brennan", "david.brennan@dwp.example", "020 7946 0006"):
        assert detail not in html
    assert "Northern Retail Group" not in html


def test_the_other_employers_home_shows_its_own_contact(client, two_employers):
    html = get_page(sign_in(client, two_employers["them"]), "/", title="Northern Retail Group")
    assert "David Brennan" in html and "020 7946 0006" in html
    assert "Priya Shah" not in html and "Kirkgate Bakery" not in html


def test_an_employer_without_a_contact_yet_is_told_one_is_coming(client):
    organisation = OrganisationFactory(contact=None)
    html = get_page(sign_in(client, employer_user(organisation)), "/")
    assert "We are finding you a named contact" in html


@pytest.mark.parametrize("which", ["theirs", "ours"])
def test_an_employer_cannot_open_any_account_page(client, two_employers, which):
    sign_in(client, two_employers["us"])
    organisation = two_employers[which]
    html = get_page(client, f"/accounts/{organisation.id}", status=403)
    assert organisation.name not in html or which == "ours"
    assert "David Brennan" not in html
    get_page(client, f"/accounts/{organisation.id}/change-contact", status=403)
    get_page(client, "/accounts", status=403)


PEOPLE = {
    "ours": ["Jo Fletcher", "jo@kirkgate.example", "Ben Fletcher", "ben@kirkgate.example"],
    "theirs": ["Fiona McAllister", "fiona@northern.example"],
}
NAMES = {"ours": "Kirkgate Bakery", "theirs": "Northern Retail Group"}


@pytest.mark.parametrize(
    ("viewer", "own", "other"),
    [("us", "ours", "theirs"), ("colleague", "ours", "theirs"), ("them", "theirs", "ours")],
)
def test_your_organisation_lists_only_your_own_people_and_workplaces(
    client, two_employers, viewer, own, other
):
    two_employers["theirs"].sites[0].address_line_1 = "80 Briggate"

    html = get_page(sign_in(client, two_employers[viewer]), "/organisation")

    assert NAMES[own] in html
    for detail in PEOPLE[own]:
        assert detail in html
    for detail in [*PEOPLE[other], NAMES[other]]:
        assert detail not in html
    own_address, other_address = (
        ("1 High Street", "80 Briggate") if own == "ours" else ("80 Briggate", "1 High Street")
    )
    assert own_address in html and other_address not in html
