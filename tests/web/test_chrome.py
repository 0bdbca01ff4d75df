"""The cached page chrome (app/chrome.py) is the chrome rendered afresh, for every role,
language and section; it changes with each of them, and one person's name or token never
reaches another's page."""

from __future__ import annotations

import re

import pytest
from flask import g, url_for
from flask_login import login_user

from app import chrome
from app.auth.models import Role
from app.navigation import entries
from tests.factories import ProviderUserFactory, StaffFactory, employer_user
from tests.helpers import get_page, sign_in

STAFF_ROLES = [role for role in Role if role not in (Role.EMPLOYER, Role.PROVIDER)]


def _person(role: Role | None, name: str = "Dana Example"):
    if role is None:
        return None
    if role is Role.EMPLOYER:
        return employer_user(name=name)
    if role is Role.PROVIDER:
        return ProviderUserFactory(name=name)
    return StaffFactory(role=role, name=name)


def _parts(app, person, path: str, language: str) -> dict[str, str]:
    """Every part of the chrome of `path` in `language` for `person` (None: signed out), the
    CSRF token masked (each request context here is a new session, with a token of its own)."""
    return {part: _masked(html) for part, html in _renders(app, person, path, language)[0].items()}


def _renders(app, person, path: str, language: str) -> list[dict[str, str]]:
    """In one request: the chrome from the cache (filled first if empty), again from the
    cache, and rendered afresh."""
    with app.test_request_context(f"{path}?lang={language}"):
        # The test's app context (and so `g`) outlives each request context: forget the
        # last one's person, language and token.
        for name in ("_login_user", "_flask_babel", "csrf_token"):
            g.pop(name, None)
        if person is not None:
            login_user(person)
        return [
            {part: str(render(part)) for part in chrome.PARTS}
            for render in (chrome.chrome, chrome.chrome, chrome.fresh)
        ]


def _masked(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', 'name="csrf_token" value=""', html)


def _sections(role: Role | None) -> list[str]:
    """A page in each section of the role's service navigation, and one in none."""
    with_role = role.value if role is not None else None
    return ["/accessibility", *(url_for(item.endpoint) for item in entries(with_role))]


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("role", [None, Role.EMPLOYER, Role.PROVIDER, *STAFF_ROLES])
def test_the_cached_chrome_is_the_chrome_rendered_afresh(app, role, language):
    person = _person(role)
    with app.test_request_context():
        paths = _sections(role)
    for path in paths:
        cached, again, fresh = _renders(app, person, path, language)
        assert cached == again == fresh, path


def test_the_chrome_changes_with_the_role_the_language_and_the_section(app):
    employer, dam = _person(Role.EMPLOYER), _person(Role.DAM)
    header = {
        (who, path, language): _parts(app, person, path, language)["header"]
        for who, person in (("employer", employer), ("dam", dam), ("nobody", None))
        for path in ("/", "/vacancies")
        for language in ("en", "cy")
    }
    assert len(set(header.values())) == len(header)
    assert "Vacancies" in header["employer", "/", "en"]
    assert "My accounts" in header["dam", "/", "en"]
    assert "Sign in" in header["nobody", "/", "en"]
    assert 'lang="cy" hreflang="cy">Cymraeg' in header["employer", "/", "en"]
    assert 'lang="en" hreflang="en">English' in header["employer", "/", "cy"]
    footer = {language: _parts(app, employer, "/", language)["footer"] for language in ("en", "cy")}
    assert footer["en"] != footer["cy"]
    warning = {
        who: _parts(app, person, "/", "en")["timeout_warning"]
        for who, person in (("employer", employer), ("nobody", None))
    }
    assert "timeout-warning" in warning["employer"]
    assert warning["nobody"] == ""


def test_each_page_names_its_own_person_and_carries_its_own_token(app):
    first = _person(Role.LMRA, name="Priya <Shah>")
    second = _person(Role.LMRA, name="Morag Campbell")
    pages = {}
    for person in (first, second):
        client = sign_in(app.test_client(), person)
        pages[person.name] = get_page(client, "/?lang=en")
    assert "Priya &lt;Shah&gt;" in pages["Priya <Shah>"]
    assert "Morag" not in pages["Priya <Shah>"]
    assert "Priya" not in pages["Morag Campbell"]
    for html in pages.values():
        # The sign-out and "stay signed in" forms carry the token HTMX sends from <body>.
        body = re.search(r"X-CSRFToken&#34;: &#34;([^&]+)&#34;", html).group(1)
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
        assert tokens == {body}


def test_the_language_link_keeps_the_page_and_its_question(app):
    client = sign_in(app.test_client(), _person(Role.EMPLOYER))
    html = get_page(client, "/vacancies?status=live&lang=en")
    assert 'href="/vacancies?status=live&amp;lang=cy" lang="cy"' in html
    html = get_page(client, "/?lang=cy")
    assert 'href="/?lang=en" lang="en"' in html
