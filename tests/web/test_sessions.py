"""Sessions end: at sign-out every copy of them, after 30 idle minutes, and 8 hours after
signing in; a warning comes two minutes before an idle sign-out, and the page is kept."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask

from app.auth import sessions
from app.extensions import db
from tests.factories import PASSWORD, employer_user
from tests.helpers import get_page, sign_in
from tests.web.test_pages import production_app  # noqa: F401 - a fixture
from tests.web.test_sign_in import (
    NEW_PASSWORD,
    is_signed_in,
    sign_in_form,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

MINUTE = 60
HOUR = 60 * MINUTE


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(sessions, "clock", clock)
    return clock


def session_cookie(client) -> str:
    return client.get_cookie("session").value


def client_with_cookie(app: Flask, value: str):
    copy = app.test_client()
    copy.set_cookie("session", value, domain="localhost")
    return copy


# Signing out ends every copy


def test_a_copied_session_cookie_stops_working_when_its_owner_signs_out(client, app):
    user = employer_user()
    sign_in_form(client, user.email, PASSWORD)
    copied = session_cookie(client)
    assert is_signed_in(client_with_cookie(app, copied))

    client.post("/sign-out")

    assert not is_signed_in(client_with_cookie(app, copied))


def test_signing_out_signs_out_the_same_person_on_every_other_device(client, app):
    user = employer_user()
    other_device = app.test_client()
    sign_in_form(client, user.email, PASSWORD)
    sign_in_form(other_device, user.email, PASSWORD)

    client.post("/sign-out")

    assert not is_signed_in(other_device)
    assert sign_in_form(client, user.email, PASSWORD).status_code == 302  # a new session works
    assert is_signed_in(client)


def test_a_copied_session_cookie_stops_working_after_a_password_change(client, app):
    user = employer_user()
    sign_in_form(client, user.email, PASSWORD)
    copied = session_cookie(client)

    user.set_password(NEW_PASSWORD)
    db.session.commit()

    assert not is_signed_in(client_with_cookie(app, copied))


def test_signing_out_tells_the_browser_to_forget_the_sites_cookies_and_storage(client):
    sign_in(client, employer_user())
    response = client.post("/sign-out")
    assert response.headers["Clear-Site-Data"] == '"cookies", "storage"'


def test_the_remember_me_deletion_cookie_carries_the_cookie_flags(production_app):  # noqa: F811
    client = production_app.test_client()
    client.set_cookie("remember_token", "left-over", domain="localhost")
    with client.session_transaction() as session:
        session["_user_id"] = "not-a-user"  # no session needed: the cookie alone is cleared
    response = client.post("/sign-out")
    [deletion] = [
        c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")
    ]
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=0"):
        assert flag in deletion, deletion


# Idle and absolute limits


def test_a_session_idle_for_thirty_minutes_ends_and_sign_in_returns_to_the_page(client, clock):
    user = employer_user()
    sign_in_form(client, user.email, PASSWORD)
    clock.advance(30 * MINUTE + 1)

    response = client.get("/organisation?tab=sites")

    assert response.headers["Location"] == "/sign-in?next=/organisation?tab%3Dsites"
    html = get_page(client, response.headers["Location"], title="Sign in")
    assert "You were signed out because you had not used the portal for 30 minutes." in html
    again = sign_in_form(client, user.email, PASSWORD, url=response.headers["Location"])
    assert again.headers["Location"] == "/organisation?tab=sites"


def test_each_request_restarts_the_idle_time(client, clock):
    sign_in(client, employer_user())
    for _ in range(5):
        clock.advance(29 * MINUTE)
        assert is_signed_in(client)


def test_a_copied_cookie_dies_after_thirty_idle_minutes_however_busy_its_owner(client, app, clock):
    sign_in(client, employer_user())
    copied = session_cookie(client)
    for _ in range(2):
        clock.advance(20 * MINUTE)
        assert is_signed_in(client)
    assert not is_signed_in(client_with_cookie(app, copied))


def test_a_session_ends_eight_hours_after_signing_in_however_busy(client, clock):
    sign_in(client, employer_user())
    for _ in range(23):
        clock.advance(20 * MINUTE)
        assert is_signed_in(client)
    clock.advance(20 * MINUTE + 1)  # 8 hours and a second

    response = client.get("/organisation")

    assert response.headers["Location"] == "/sign-in?next=/organisation"
    html = get_page(client, "/sign-in")
    assert "For your security, you need to sign in again every 8 hours." in html


def test_a_session_without_its_times_is_not_signed_in(client):
    user = employer_user()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert not is_signed_in(client)


def test_an_htmx_request_after_the_idle_limit_sends_the_whole_page_to_sign_in(client, clock):
    sign_in(client, employer_user())
    clock.advance(31 * MINUTE)

    response = client.get(
        "/organisation",
        headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/vacancies?page=2"},
    )

    assert response.headers["HX-Redirect"] == "/sign-in?next=/vacancies?page%3D2"


# The timeout warning


def remaining(client) -> int:
    response = client.get("/session/remaining")
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()["seconds"]


def test_asking_how_long_is_left_does_not_keep_the_session_alive(client, clock):
    sign_in(client, employer_user())
    clock.advance(28 * MINUTE)
    assert remaining(client) == 2 * MINUTE
    clock.advance(MINUTE)
    assert remaining(client) == MINUTE
    clock.advance(MINUTE + 1)
    assert remaining(client) == 0
    assert not is_signed_in(client)


def test_stay_signed_in_restarts_the_idle_time(client, clock):
    sign_in(client, employer_user())
    clock.advance(29 * MINUTE)

    response = client.post("/session/keep-alive", headers={"Accept": "application/json"})

    assert response.status_code == 200
    assert response.get_json()["seconds"] == 30 * MINUTE
    clock.advance(29 * MINUTE)
    assert is_signed_in(client)


def test_stay_signed_in_cannot_bring_back_an_ended_session(client, clock):
    sign_in(client, employer_user())
    clock.advance(31 * MINUTE)
    response = client.post("/session/keep-alive", headers={"Accept": "application/json"})
    assert response.status_code == 401
    assert remaining(client) == 0


def test_stay_signed_in_posted_without_javascript_goes_home(client):
    sign_in(client, employer_user())
    response = client.post("/session/keep-alive")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def test_signed_in_pages_carry_the_timeout_warning(client):
    sign_in(client, employer_user())
    html = get_page(client, "/organisation")
    dialog = re.search(r'<dialog class="app-timeout-warning"[^>]*>', html, re.S).group(0)
    assert 'data-idle-seconds="1800"' in dialog
    assert 'data-warning-seconds="120"' in dialog
    assert 'data-keep-alive-url="/session/keep-alive"' in dialog
    assert 'data-remaining-url="/session/remaining"' in dialog
    assert 'aria-labelledby="timeout-warning-heading"' in dialog
    assert "Stay signed in" in html
    assert "For your security, we will sign you out in" in html


def test_pages_for_visitors_have_no_timeout_warning(client):
    assert "timeout-warning" not in get_page(client, "/sign-in")


def test_the_timeout_page_says_why_and_links_back_to_the_page_through_sign_in(client, clock):
    sign_in(client, employer_user())
    clock.advance(31 * MINUTE)

    html = get_page(
        client,
        "/signed-out?reason=timeout&next=/organisation",
        title="You have been signed out",
    )

    assert "you had not used the portal for 30 minutes" in html
    assert 'href="/sign-in?next=/organisation"' in html
    assert "govuk-notification-banner" not in html  # the page says why: no second banner


def test_the_timeout_page_drops_an_off_site_next(client):
    html = get_page(client, "/signed-out?reason=timeout&next=//evil.example", title="You have")
    # The page's own way back (the language toggle repeats the address, unused as it stands).
    main = re.search(r"<main\b.*?</main>", html, re.S).group(0)
    assert "Sign in again" in main
    assert "evil.example" not in main


def test_the_timeout_page_sends_someone_still_signed_in_back_to_their_page(client):
    sign_in(client, employer_user())
    response = client.get("/signed-out?reason=timeout&next=/organisation")
    assert response.headers["Location"] == "/organisation"
