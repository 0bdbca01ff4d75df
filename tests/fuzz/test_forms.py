"""Every form receives hostile submissions: never a 500, never a half-saved record.

For each POST route the test finds the page that shows its form (signed in as a role the
access matrix allows), reads the form's fields, and posts what Hypothesis makes of them:
fields missing, repeated, empty, very long, in any script, with control characters and NUL
bytes, numbers out of range, impossible dates, unknown choices, fields the form never had.
A refused submission changes no row and, shown again, carries the GOV.UK error summary; an
accepted one stores only clean values.
"""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import table_state
from tests.fuzz.cases import (
    FORM_CASES,
    FORM_PAGES,
    POST_ENDPOINTS,
    REFUSED,
    accepted,
    find_forms,
    form_case,
)
from tests.fuzz.form_shapes import FormShape
from tests.fuzz.harness import SUBMISSIONS, client_as, rolled_back
from tests.fuzz.hostile import BLANK_CHOICES, FORM_ENCODED, form_body, hostile_submission
from tests.fuzz.plausible import Submission, plausible_submission
from tests.helpers import visible_text
from tests.test_access_matrix import ROUTES

pytestmark = pytest.mark.fuzz

LONG_WITH_NUL = "Long answer " * 500 + "\x00" + "x" * 4_000


def check_outcome(
    endpoint: str, response, before: table_state.Rows, after: table_state.Rows, sent: str = ""
) -> None:
    """Accepted and stored clean, or refused with nothing changed; never a 500. `sent`
    says what was sent, for the message."""
    status = response.status_code
    where = f"{endpoint}{sent}"
    assert status < 500, f"{where}: {status}"
    found = [c for c in table_state.changes(before, after) if not table_state.is_a_look(c)]
    if accepted(endpoint, response):
        unclean = table_state.unclean_values(found)
        assert not unclean, f"{where} accepted and stored: {unclean}"
        return
    assert status == 200 or status in REFUSED, f"{where}: unexpected {status}"
    assert not found, f"{where} refused ({status}) but changed {[str(c) for c in found]}"
    if status == 200:
        html = response.get_data(as_text=True)
        assert "govuk-error-summary" in html, f"{where}: 200 without an error summary"


def text_fields(form: FormShape) -> list[str]:
    """The form's text fields, one of each family (`attendee_0_name`, `attendee_1_name`...)."""
    families: dict[str, str] = {}
    for shape in form.fields.values():
        if shape.kind in ("text", "textarea", "hidden") and not shape.is_csrf_token:
            families.setdefault(re.sub(r"\d+", "#", shape.name), shape.name)
    return list(families.values())


def choice_fields(form: FormShape) -> list[str]:
    """The form's radios and selects (not checkboxes or buttons), one of each family."""
    families: dict[str, str] = {}
    for shape in form.fields.values():
        if shape.kind in ("radio", "select") and not shape.multiple:
            families.setdefault(re.sub(r"\d+", "#", shape.name), shape.name)
    return list(families.values())


def submit_and_check(
    client: FlaskClient,
    endpoint: str,
    form: FormShape,
    submission: Submission,
    before: table_state.Rows,
    sent: str = "",
) -> None:
    """Post, read every table before the example is rolled back, check the outcome."""
    with rolled_back():
        response = client.post(form.action, data=form_body(submission), content_type=FORM_ENCODED)
        after = table_state.capture()
    check_outcome(endpoint, response, before, after, sent)


def test_every_post_route_is_fuzzed():
    """Each POST route is in the parametrisation below (it comes from the URL map); these
    lists name only routes that exist, so a stale entry is noticed."""
    assert set(FORM_PAGES) <= set(POST_ENDPOINTS), set(FORM_PAGES) - set(POST_ENDPOINTS)
    assert set(FORM_CASES) <= set(POST_ENDPOINTS), set(FORM_CASES) - set(POST_ENDPOINTS)
    for endpoint in POST_ENDPOINTS:
        assert endpoint in ROUTES, f"{endpoint} has no row in the access matrix"
        form_case(endpoint)  # raises for a POST-only route without a page


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_hostile_submissions_are_refused_or_stored_clean(app, world, endpoint):
    page = find_forms(app, world, endpoint)
    role, forms = page.role, page.forms
    answers = form_case(endpoint).answers(world)
    for form in forms:
        # The starting point gets through, so that a hostile value in one field meets the
        # code that saves, not only the checks of the other fields.
        with rolled_back():
            response = client_as(app, world, role).post(
                form.action,
                data=form_body(plausible_submission(form, answers)),
                content_type=FORM_ENCODED,
            )
        assert accepted(endpoint, response), (
            f"{endpoint} refused the plausible submission: {response.status_code} "
            + visible_text(response.get_data(as_text=True))[:2000]
        )

    # Every example starts from this state: each one is rolled back.
    before = table_state.capture()
    # Every text field, in turn, far longer than any column and with a NUL byte inside: the
    # generated examples below pick a few fields each, this misses none.
    for form in forms:
        plausible = plausible_submission(form, answers)
        for name in text_fields(form):
            submission = [(n, LONG_WITH_NUL if n == name else v) for n, v in plausible]
            client = client_as(app, world, role)
            submit_and_check(client, endpoint, form, submission, before, f" with a long {name}")

    # Every choice, in turn, answered with white space alone (a hand-made request): refused
    # as not one of the choices, or taken as no answer where none is allowed; never a 500.
    for form in forms:
        plausible = plausible_submission(form, answers)
        for name in choice_fields(form):
            for blank in BLANK_CHOICES:
                submission = [(n, v) for n, v in plausible if n != name] + [(name, blank)]
                client = client_as(app, world, role)
                submit_and_check(client, endpoint, form, submission, before, f" {name}={blank!r}")

    @SUBMISSIONS
    @given(data=st.data())
    def submit(data: st.DataObject) -> None:
        form = data.draw(st.sampled_from(forms), label="form")
        plausible = plausible_submission(form, answers)
        submission = data.draw(hostile_submission(form.fields, plausible), label="submission")
        submit_and_check(client_as(app, world, role), endpoint, form, submission, before)

    submit()
