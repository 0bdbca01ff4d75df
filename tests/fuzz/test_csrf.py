"""Every form refuses a submission without its session's CSRF token: a 400 in the service's
style, and nothing saved.

The shared test app turns CSRF protection off (TestConfig) so that other tests can post
forms plainly; here it is turned on for the test's duration, on the same app, so that the
access matrix's world (in this app's database transaction) is there to post to.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer

from tests.access.core import World
from tests.fuzz import table_state
from tests.fuzz.cases import POST_ENDPOINTS, accepted, find_forms, form_case
from tests.fuzz.form_shapes import FormShape, forms_on
from tests.fuzz.harness import client_as, rolled_back
from tests.fuzz.hostile import FORM_ENCODED, form_body
from tests.fuzz.plausible import plausible_submission
from tests.helpers import check_html, page_title

pytestmark = pytest.mark.fuzz

BAD_REQUEST_TITLE = "Sorry, there is a problem with your request"


@pytest.fixture
def csrf_app(app: Flask) -> Iterator[Flask]:
    """The shared app with CSRF protection on, for this test only (each request reads it)."""
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield app
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def token_in(form: FormShape) -> tuple[str, str]:
    """The token field's name (a form with a prefix prefixes it) and its value."""
    shape = form.csrf_token
    assert shape is not None and shape.values[0], f"the form posting to {form.action} has no token"
    return shape.name, shape.values[0]


def form_as_seen_by(client: FlaskClient, page_url: str, form: FormShape) -> FormShape:
    """The same form, read afresh from the page as `client` sees it (its own token)."""
    html = client.get(page_url).get_data(as_text=True)
    return next(
        seen
        for seen in forms_on(html, page_url)
        if seen.method == "post" and seen.action == form.action
    )


def forged(token: str) -> str:
    """A token of the right shape, signed with a key that is not the app's."""
    return URLSafeTimedSerializer("not the secret key", salt="wtf-csrf-token").dumps(
        re.sub(r"\W", "", token)[:40]
    )


def refused_with_a_styled_page(endpoint: str, kind: str, response) -> None:
    assert response.status_code == 400, f"{endpoint} with {kind}: {response.status_code}"
    html = response.get_data(as_text=True)
    check_html(html)
    assert page_title(html).startswith(BAD_REQUEST_TITLE), page_title(html)


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_a_form_without_its_sessions_token_is_refused(csrf_app: Flask, world: World, endpoint):
    page = find_forms(csrf_app, world, endpoint)
    client, form = page.client, page.forms[0]  # the token of this client's session
    someone_else = form_as_seen_by(client_as(csrf_app, world, page.role), page.url, form)
    answers = form_case(endpoint).answers(world)
    token_name, own_token = token_in(form)
    submission = [
        (name, value)
        for name, value in plausible_submission(form, answers)
        if not name.endswith("csrf_token")
    ]
    tokens: dict[str, list[str]] = {
        "no token": [],
        "an empty token": [""],
        "a made-up token": ["not-a-token"],
        "a token with NUL bytes": ["\x00" * 64],
        "a forged token": [forged(own_token)],
        "another session's token": [token_in(someone_else)[1]],
    }
    before = table_state.capture()
    for kind, sent in tokens.items():
        pairs = [*submission, *((token_name, token) for token in sent)]
        with rolled_back():
            response = client.post(form.action, data=form_body(pairs), content_type=FORM_ENCODED)
            after = table_state.capture()
        refused_with_a_styled_page(endpoint, kind, response)
        changed = table_state.changes(before, after)
        assert not changed, f"{endpoint} with {kind} changed {[str(c) for c in changed]}"
    # The form's own token gets through: the refusals above were the token's doing.
    with rolled_back():
        response = client.post(
            form.action,
            data=form_body([*submission, (token_name, own_token)]),
            content_type=FORM_ENCODED,
        )
    assert accepted(endpoint, response), f"{endpoint} with its own token: {response.status_code}"
