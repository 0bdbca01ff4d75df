"""Signing in and out, password reset, sign-in rate limits and CSRF protection."""

from __future__ import annotations

import html as html_module
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import scoped_session, sessionmaker

from app import create_app
from app.auth.models import Role
from app.extensions import db, limiter
from app.mail.models import OutboxMessage
from config import TestConfig
from tests.factories import PASSWORD, UserFactory, employer_user
from tests.helpers import (
    check_html,
    clear_g_on_each_request,
    get_page,
    page_title,
    post_form,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

NEW_PASSWORD = "gravel teapot orbit"
WRONG_CREDENTIALS = "Enter a correct email address and password"


def sign_in_form(client, email: str, password: str, url: str = "/sign-in"):
    return post_form(client, url, {"email": email, "password": password})


def is_signed_in(client) -> bool:
    """Whether a page for signed-in people opens (anonymous visitors are sent to sign in)."""
    response = client.get("/organisation")
    return not response.headers.get("Location", "").startswith("/sign-in")


def reset_messages() -> list[OutboxMessage]:
    return list(
        db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reset_password"))
    )


def link_in(message: OutboxMessage, path: str) -> str:
    match = re.search(rf"http://localhost(/{path}/[A-Za-z0-9_.\-]+)", message.text_body)
    assert match, message.text_body
    return match.group(1)


def without_csrf_tokens(html: str) -> str:
    return re.sub(r"X-CSRFToken&#34;: &#34;[^&]*&#34;", "X-CSRFToken", html)


# Signing in


def test_sign_in_page_renders(client):
    html = get_page(client, "/sign-in", title="Sign in")
    assert 'autocomplete="current-password"' in html


def test_signing_in_takes_an_employer_to_their_organisations_home(client):
    user = employer_user()

    response = sign_in_form(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert user.organisation.name in get_page(client, "/")
    assert is_signed_in(client)


def test_the_email_address_is_not_case_sensitive_when_signing_in(client):
    employer_user(email="jo@example.org")
    assert sign_in_form(client, "  JO@Example.ORG ", PASSWORD).status_code == 302


def test_the_session_names_the_user_their_security_stamp_and_session_generation(client):
    user = employer_user()
    sign_in_form(client, user.email, PASSWORD)
    with client.session_transaction() as session:
        assert session["_user_id"] == f"{user.id}:{user.security_stamp}:0"


@pytest.mark.parametrize("target", ["/organisation", "/accounts?q=1", "/"])
def test_signing_in_returns_to_a_safe_next_page(client, target):
    user = employer_user()
    response = sign_in_form(client, user.email, PASSWORD, url=f"/sign-in?next={target}")
    assert response.headers["Location"] == target


def test_a_page_that_needs_sign_in_comes_back_after_signing_in(client):
    user = employer_user()
    bounced = client.get("/organisation")
    assert bounced.status_code == 302
    assert bounced.headers["Location"] == "/sign-in?next=/organisation"

    response = sign_in_form(client, user.email, PASSWORD, url=bounced.headers["Location"])

    assert response.headers["Location"] == "/organisation"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "https://evil.com/x",
        "http://evil.com",
        "/\\evil.com",
        "%2F%2Fevil.com",
        "javascript:alert(1)",
        "/\t/evil.com",
        "evil.com",
    ],
)
def test_signing_in_ignores_an_off_site_next_page(client, target):
    user = employer_user()

    response = sign_in_form(client, user.email, PASSWORD, url=f"/sign-in?next={quote(target)}")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_a_signed_in_user_visiting_sign_in_goes_home(client):
    sign_in(client, employer_user())
    response = client.get("/sign-in")
    assert response.status_code == 302 and response.headers["Location"] == "/"


def signed_in_failure_page(client, email: str, password: str) -> str:
    response = sign_in_form(client, email, password)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_html(html)
    assert page_title(html).startswith("Error: Sign in")
    assert 'class="govuk-error-summary"' in html
    assert WRONG_CREDENTIALS in html
    assert not is_signed_in(client)
    return html


def test_wrong_password_and_unknown_email_give_the_same_page(client):
    employer_user(email="known@example.org")
    user_page = signed_in_failure_page(client, "known@example.org", "not the password at all")
    unknown_page = signed_in_failure_page(client, "nobody@example.org", "not the password at all")

    assert without_csrf_tokens(user_page.replace("known@example.org", "X")) == without_csrf_tokens(
        unknown_page.replace("nobody@example.org", "X")
    )
    assert "not the password at all" not in user_page


def test_an_inactive_user_is_refused_with_the_same_message(client):
    user = employer_user()
    user.active = False
    db.session.flush()
    signed_in_failure_page(client, user.email, PASSWORD)


def test_an_invited_member_of_staff_without_a_password_cannot_sign_in(client):
    user = UserFactory(role=Role.LMRA)
    user.password_hash = None
    db.session.flush()
    signed_in_failure_page(client, user.email, "anything at all")


def test_a_deactivated_users_existing_session_stops_working(client):
    user = employer_user()
    sign_in_form(client, user.email, PASSWORD)
    assert is_signed_in(client)

    user.active = False
    db.session.commit()

    assert not is_signed_in(client)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "", "password": PASSWORD}, "Enter an email address"),
        ({"email": "not-an-email", "password": PASSWORD}, "Enter an email address in the correct"),
        ({"email": "jo@example.org", "password": ""}, "Enter your password"),
    ],
)
def test_a_sign_in_form_with_a_missing_answer_says_what_to_fix(client, data, message):
    response = post_form(client, "/sign-in", data, status=200)
    html = response.get_data(as_text=True)
    assert page_title(html).startswith("Error: Sign in")
    assert message in html


# Signing out


def test_sign_out_needs_a_post(client):
    sign_in_form(client, employer_user().email, PASSWORD)

    html = get_page(client, "/sign-out", status=405)

    assert "Sorry, there is a problem with your request" in html
    assert is_signed_in(client)


def test_signing_out_ends_the_session(client):
    sign_in_form(client, employer_user().email, PASSWORD)

    response = client.post("/sign-out")

    assert response.status_code == 302 and response.headers["Location"] == "/signed-out"
    html = get_page(client, "/signed-out", title="You have signed out")
    assert '<a class="govuk-link" href="/sign-in">Sign in again</a>' in html
    assert not is_signed_in(client)


def test_changing_the_password_signs_out_an_existing_session(client, app):
    user = employer_user()
    sign_in_form(client, user.email, PASSWORD)
    other_device = app.test_client()
    sign_in_form(other_device, user.email, PASSWORD)
    assert is_signed_in(client) and is_signed_in(other_device)

    user.set_password(NEW_PASSWORD)
    db.session.commit()

    assert not is_signed_in(client)
    assert not is_signed_in(other_device)
    response = client.get("/organisation")
    assert response.headers["Location"] == "/sign-in?next=/organisation"


# Password reset


def test_forgot_password_page_renders(client):
    get_page(client, "/forgot-password", title="Reset your password")


def test_a_reset_email_is_queued_only_for_a_known_address_and_the_page_is_the_same(client):
    user = employer_user(email="known@example.org")

    known = post_form(client, "/forgot-password", {"email": "Known@Example.org"}, status=200)
    unknown = post_form(client, "/forgot-password", {"email": "nobody@example.org"}, status=200)

    [message] = reset_messages()
    assert message.recipient == user.email
    assert message.subject == "Reset your password"
    known_html, unknown_html = known.get_data(as_text=True), unknown.get_data(as_text=True)
    check_html(known_html)
    assert page_title(known_html).startswith("Check your email")
    assert without_csrf_tokens(known_html.replace("Known@Example.org", "X")) == without_csrf_tokens(
        unknown_html.replace("nobody@example.org", "X")
    )


def test_no_reset_email_for_an_inactive_account(client):
    user = employer_user()
    user.active = False
    db.session.flush()
    post_form(client, "/forgot-password", {"email": user.email}, status=200)
    assert reset_messages() == []


def request_reset(client, email: str) -> str:
    post_form(client, "/forgot-password", {"email": email}, status=200)
    return link_in(reset_messages()[-1], "reset-password")


def test_the_reset_link_sets_a_new_password_once(client):
    user = employer_user()
    link = request_reset(client, user.email)

    html = get_page(client, link, title="Create a new password")
    assert 'autocomplete="new-password"' in html
    response = post_form(
        client, link, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, status=302
    )
    assert response.headers["Location"] == "/sign-in"

    get_page(client, link, status=400, title="This link has expired or has already been used")
    again = post_form(
        client,
        link,
        {"password": "another good passphrase", "confirm_password": "another good passphrase"},
    )
    assert again.status_code == 400
    signed_in_failure_page(client, user.email, PASSWORD)  # the old password no longer works
    assert sign_in_form(client, user.email, NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password123", "This password is too common"),
        ("short one", "Password must be 10 characters or more"),
        ("xx jo.fletcher yy", "Password must not contain your name or email address"),
        ("xx Jo Fletcher yy", "Password must not contain your name or email address"),
    ],
)
def test_a_weak_new_password_is_refused_and_the_link_still_works(client, password, message):
    user = employer_user(name="Jo Fletcher", email="jo.fletcher@example.org")
    link = request_reset(client, user.email)

    response = post_form(
        client, link, {"password": password, "confirm_password": password}, status=200
    )

    html = response.get_data(as_text=True)
    check_html(html)
    assert page_title(html).startswith("Error: Create a new password")
    assert message in html
    assert user.check_password(PASSWORD)
    post_form(
        client, link, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, status=302
    )


def test_resetting_the_password_signs_out_other_sessions(client, app):
    user = employer_user()
    other_device = app.test_client()
    sign_in_form(other_device, user.email, PASSWORD)
    link = request_reset(client, user.email)

    post_form(
        client, link, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, status=302
    )

    assert not is_signed_in(other_device)


def test_following_a_reset_link_confirms_the_email_address(client):
    user = employer_user(email_verified_at=None)
    link = request_reset(client, user.email)
    post_form(
        client, link, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, status=302
    )
    assert user.email_verified_at is not None
    assert sign_in_form(client, user.email, NEW_PASSWORD).status_code == 302


def test_an_expired_reset_link_fails(client, app, monkeypatch):
    user = employer_user()
    link = request_reset(client, user.email)
    monkeypatch.setitem(app.config, "EMAIL_TOKEN_MAX_AGE", -1)
    get_page(client, link, status=400, title="This link has expired or has already been used")
    post_form(
        client, link, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, status=400
    )
    assert user.check_password(PASSWORD)


def test_only_the_newest_reset_link_matters_once_one_is_used(client):
    user = employer_user()
    first = request_reset(client, user.email)
    second = request_reset(client, user.email)
    post_form(
        client, second, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, status=302
    )
    get_page(client, first, status=400)


# A separate app, for the settings the shared test app turns off


@contextmanager
def separate_app(**settings: object) -> Iterator[Flask]:
    """An app with its own settings and a fresh in-memory SQLite database."""
    config = type(
        "SeparateConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": "sqlite://", **settings}
    )
    # The limiter is one object shared by every app in the process: put it back afterwards
    # so that the shared test app is not rate limited by the tests that follow.
    saved = {name: getattr(limiter, name) for name in ("enabled", "initialized", "_storage")}
    application = create_app(config)
    try:
        with application.app_context(), pytest.MonkeyPatch.context() as patch:
            # The suite's fixture points db.session at the shared test database.
            patch.setattr(db, "session", scoped_session(sessionmaker(bind=db.engine)))
            db.create_all()
            clearing = clear_g_on_each_request(application)
            next(clearing)
            try:
                yield application
            finally:
                next(clearing, None)
                db.session.remove()
                db.drop_all()
                db.engine.dispose()
    finally:
        for name, value in saved.items():
            setattr(limiter, name, value)


@pytest.fixture
def rate_limited_app() -> Iterator[Flask]:
    with separate_app(
        RATELIMIT_ENABLED=True,
        SIGN_IN_RATE_LIMIT="3 per minute",
        SIGN_IN_ACCOUNT_FAILURE_LIMIT="5 per minute",
        EMAILS_PER_RECIPIENT_LIMIT="2 per minute",
    ) as application:
        yield application


def assert_too_many_attempts(response) -> None:
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    check_html(html)
    assert page_title(html).startswith("Too many attempts")
    assert "You have tried too many times" in html
    assert "Retry-After" in response.headers


def test_the_fourth_sign_in_attempt_in_a_minute_is_refused(rate_limited_app):
    client = rate_limited_app.test_client()
    for _ in range(3):
        response = sign_in_form(client, "someone@example.org", "not the password at all")
        assert response.status_code == 200
    assert_too_many_attempts(sign_in_form(client, "someone@example.org", "not the password"))


def test_a_refused_attempt_does_not_sign_in_even_with_the_right_password(rate_limited_app):
    user = UserFactory()
    client = rate_limited_app.test_client()
    for _ in range(3):
        sign_in_form(client, user.email, "not the password at all")
    assert_too_many_attempts(sign_in_form(client, user.email, PASSWORD))
    assert not is_signed_in(client)


def client_at(application: Flask, address: str):
    client = application.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def guess_from_many_addresses(application: Flask, email: str, count: int) -> None:
    for number in range(count):
        client = client_at(application, f"192.0.2.{number + 1}")
        assert sign_in_form(client, email, "guess number one").status_code == 200


def test_other_peoples_wrong_guesses_never_refuse_the_owners_right_password(rate_limited_app):
    user = UserFactory()
    # More wrong guesses from other addresses than any one address may make.
    guess_from_many_addresses(rate_limited_app, user.email, 4)

    owner = client_at(rate_limited_app, "198.51.100.20")
    response = sign_in_form(owner, user.email, PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(owner)


def test_the_probes_ten_guesses_from_ten_addresses_leave_the_owner_signing_in():
    """The outside probe's case, with the settings a deployment gets by default."""
    with separate_app(RATELIMIT_ENABLED=True) as application:
        user = UserFactory()
        guess_from_many_addresses(application, user.email, 10)
        owner = client_at(application, "198.51.100.30")
        assert sign_in_form(owner, user.email, PASSWORD).status_code == 302


GUARDED = "There have been too many attempts to sign in to this account"


def guarded_page(response) -> str:
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    check_html(html)
    assert page_title(html).startswith("Error: Sign in")
    assert GUARDED in html
    assert 'href="/forgot-password"' in html
    return html


def test_past_the_accounts_failure_ceiling_no_password_is_checked_and_both_look_alike(
    rate_limited_app,
):
    user = UserFactory()
    guess_from_many_addresses(rate_limited_app, user.email, 5)

    right = client_at(rate_limited_app, "198.51.100.21")
    wrong = client_at(rate_limited_app, "198.51.100.22")
    right_page = guarded_page(sign_in_form(right, user.email, PASSWORD))
    wrong_page = guarded_page(sign_in_form(wrong, user.email, "guess number six"))

    assert not is_signed_in(right)
    assert without_csrf_tokens(right_page) == without_csrf_tokens(wrong_page)


def test_the_guard_looks_the_same_for_an_address_with_no_account(rate_limited_app):
    guess_from_many_addresses(rate_limited_app, "nobody@example.org", 5)
    guarded_page(
        sign_in_form(client_at(rate_limited_app, "198.51.100.23"), "nobody@example.org", "x")
    )


def test_a_password_reset_lifts_the_guard_so_the_owner_signs_in(rate_limited_app):
    user = UserFactory()
    guess_from_many_addresses(rate_limited_app, user.email, 5)
    owner = client_at(rate_limited_app, "198.51.100.24")
    guarded_page(sign_in_form(owner, user.email, PASSWORD))

    post_form(owner, "/forgot-password", {"email": user.email}, status=200)
    link = link_in(reset_messages()[-1], "reset-password")
    post_form(owner, link, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, status=302)

    assert sign_in_form(owner, user.email, NEW_PASSWORD).status_code == 302
    assert is_signed_in(owner)


def test_a_right_password_does_not_count_towards_the_accounts_ceiling(rate_limited_app):
    user = UserFactory()
    for number in range(6):
        client = client_at(rate_limited_app, f"192.0.2.{number + 1}")
        assert sign_in_form(client, user.email, PASSWORD).status_code == 302


@pytest.mark.parametrize("url", ["/forgot-password", "/register/resend-link"])
def test_emails_to_one_address_are_limited_whatever_address_asks(rate_limited_app, url):
    user = UserFactory(email_verified_at=None)
    for number in range(2):
        client = client_at(rate_limited_app, f"192.0.2.{number + 1}")
        assert post_form(client, url, {"email": user.email}).status_code in (200, 302)
    client = client_at(rate_limited_app, "192.0.2.50")
    assert_too_many_attempts(post_form(client, url, {"email": user.email}))
    # Someone else's address is counted apart.
    assert post_form(client, url, {"email": "other@example.org"}).status_code in (200, 302)


def test_sign_in_attempts_from_one_address_are_limited_across_accounts(rate_limited_app):
    client = rate_limited_app.test_client()
    for number in range(3):
        assert (
            sign_in_form(client, f"person{number}@example.org", "a guess here").status_code == 200
        )
    assert_too_many_attempts(sign_in_form(client, "person9@example.org", "a guess here"))


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/register", "organisation_name"),
        ("/forgot-password", "email"),
        ("/register/resend-link", "email"),
    ],
)
def test_other_forms_that_send_email_are_rate_limited_too(rate_limited_app, url, field):
    """Per address, each time for another recipient (each recipient has a limit too)."""
    client = rate_limited_app.test_client()
    for number in range(3):
        assert post_form(client, url, {field: f"flood{number}@example.org"}).status_code != 429
    assert_too_many_attempts(post_form(client, url, {field: "flood9@example.org"}))


def test_pages_are_not_rate_limited_when_read(rate_limited_app):
    client = rate_limited_app.test_client()
    for _ in range(6):
        assert client.get("/sign-in").status_code == 200


@pytest.fixture
def csrf_app() -> Iterator[Flask]:
    with separate_app(WTF_CSRF_ENABLED=True) as application:
        yield application


def htmx_csrf_token(html: str) -> str:
    """The token as HTMX sends it: from the data-hx-headers attribute on <body>."""
    match = re.search(r'<body[^>]*data-hx-headers="([^"]+)"', html)
    assert match, "no data-hx-headers on <body>"
    return json.loads(html_module.unescape(match.group(1)))["X-CSRFToken"]


def form_csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token field in the form"
    return match.group(1)


def assert_bad_request(response) -> None:
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    check_html(html)
    assert page_title(html).startswith("Sorry, there is a problem with your request")


def test_a_post_without_a_csrf_token_is_refused_with_a_styled_page(csrf_app):
    client = csrf_app.test_client()
    client.get("/sign-in")
    assert_bad_request(sign_in_form(client, "someone@example.org", "not the password"))


def test_a_post_with_a_wrong_csrf_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    client.get("/sign-in")
    response = client.post(
        "/sign-in",
        data={"email": "a@example.org", "password": "x"},
        headers={"X-CSRFToken": "forged"},
    )
    assert_bad_request(response)


def test_a_csrf_token_from_another_session_is_refused(csrf_app):
    someone_else = csrf_app.test_client()
    token = htmx_csrf_token(someone_else.get("/sign-in").get_data(as_text=True))
    client = csrf_app.test_client()
    client.get("/sign-in")
    response = client.post(
        "/sign-in", data={"email": "a@example.org", "password": "x"}, headers={"X-CSRFToken": token}
    )
    assert_bad_request(response)


def test_the_csrf_token_in_the_htmx_header_is_accepted(csrf_app):
    user = UserFactory()
    client = csrf_app.test_client()
    token = htmx_csrf_token(client.get("/sign-in").get_data(as_text=True))

    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD}, headers={"X-CSRFToken": token}
    )

    assert response.status_code == 302
    assert is_signed_in(client)


def test_the_csrf_token_in_the_form_is_accepted(csrf_app):
    user = UserFactory()
    client = csrf_app.test_client()
    token = form_csrf_token(client.get("/sign-in").get_data(as_text=True))

    response = client.post(
        "/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )

    assert response.status_code == 302


def test_signing_out_needs_a_csrf_token(csrf_app):
    user = UserFactory()
    client = csrf_app.test_client()
    token = form_csrf_token(client.get("/sign-in").get_data(as_text=True))
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token})

    assert_bad_request(client.post("/sign-out"))
    assert is_signed_in(client)
    page = client.get("/organisation").get_data(as_text=True)
    sign_out_token = form_csrf_token(page)
    assert client.post("/sign-out", data={"csrf_token": sign_out_token}).status_code == 302
    assert not is_signed_in(client)
