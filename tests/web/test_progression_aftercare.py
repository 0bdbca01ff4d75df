"""Progression and aftercare: at 13 and 26 weeks the employer also says whether the person
has moved on (more hours, higher pay, a new role) and whether in-work support is wanted; the
customer's adviser sees each request as work to do and marks it done, once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.outcomes import services
from app.outcomes.models import SustainmentCheck
from tests.factories import employer_user
from tests.helpers import count_queries, get_page, post_form, sign_in
from tests.outcome_factories import OfferedReferralFactory, record, staff_in

# 13 weeks after the default start (2 March 2026) is 1 June 2026.
TODAY = dt.date(2026, 6, 2)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr(services, "today", lambda: TODAY)


@pytest.fixture
def started():
    referral = OfferedReferralFactory()
    owner = employer_user(referral.organisation, name="Olu Owner")
    outcome = record(referral, staff_in(referral.vacancy.district))
    return outcome, owner


def check_of(outcome, weeks=13) -> SustainmentCheck:
    return db.session.scalars(
        select(SustainmentCheck)
        .where(SustainmentCheck.outcome_id == outcome.id, SustainmentCheck.weeks == weeks)
        .execution_options(populate_existing=True)
    ).one()


def answer(client, outcome, **data):
    return post_form(client, f"/outcomes/{outcome.id}/sustainment/13", data, status=None)


def test_the_question_asks_about_progression_and_aftercare(client, started):
    outcome, owner = started
    html = get_page(sign_in(client, owner), f"/outcomes/{outcome.id}/sustainment/13")
    assert "have they moved on since they started?" in html
    assert "Higher pay" in html and "A new or more senior role" in html
    assert "Would you or they like in-work support from Jobcentre Plus?" in html


def test_progression_and_an_aftercare_request_are_kept(client, started):
    outcome, owner = started
    response = answer(
        sign_in(client, owner),
        outcome,
        still_employed="yes",
        progression=["more_hours", "new_role"],
        aftercare="yes",
    )
    assert response.status_code == 302
    check = check_of(outcome)
    assert (check.more_hours, check.higher_pay, check.new_role) == (True, False, True)
    assert check.aftercare_wanted is True


def test_progression_is_not_kept_for_someone_no_longer_employed(client, started):
    outcome, owner = started
    answer(
        sign_in(client, owner),
        outcome,
        still_employed="no",
        progression=["higher_pay"],
        aftercare="no",
    )
    check = check_of(outcome)
    assert check.still_employed is False
    assert (check.more_hours, check.higher_pay, check.new_role) == (None, None, None)
    assert check.aftercare_wanted is False


def test_the_aftercare_question_needs_an_answer_and_nothing_is_saved_without(client, started):
    outcome, owner = started
    response = answer(sign_in(client, owner), outcome, still_employed="yes")
    assert response.status_code == 200
    assert "Select yes if you or they would like in-work support" in response.get_data(as_text=True)
    assert check_of(outcome).answered_at is None


def test_the_adviser_sees_the_request_and_marks_it_done_once(app, client, started):
    outcome, owner = started
    answer(sign_in(client, owner), outcome, still_employed="yes", aftercare="yes")
    adviser = outcome.customer.adviser
    db.session.flush()
    staff = sign_in(app.test_client(), adviser)
    html = get_page(staff, "/")
    assert "Aftercare to arrange" in html
    assert outcome.customer.name in html and outcome.organisation.name in html
    check = check_of(outcome)
    post_form(staff, f"/aftercare/{check.id}/done", {}, status=302)
    done = check_of(outcome)
    assert done.aftercare_done_at is not None and done.aftercare_done_by_id == adviser.id
    assert "Aftercare to arrange" not in get_page(staff, "/")
    # A second click changes nothing.
    post_form(staff, f"/aftercare/{check.id}/done", {}, status=302)
    assert check_of(outcome).aftercare_done_at == done.aftercare_done_at


def test_another_advisers_request_cannot_be_marked_done(app, client, started):
    outcome, owner = started
    answer(sign_in(client, owner), outcome, still_employed="yes", aftercare="yes")
    other = staff_in(outcome.district, Role.ADVISER)
    check = check_of(outcome)
    post_form(sign_in(app.test_client(), other), f"/aftercare/{check.id}/done", {}, status=302)
    assert check_of(outcome).aftercare_done_at is None


def test_the_aftercare_panel_costs_the_same_queries_for_one_request_or_five(app, started):
    from app.auth.models import User
    from app.outcomes.models import JobOutcome

    outcome, _owner = started
    outcome_id, adviser_id = outcome.id, outcome.customer.adviser_id
    counts = []
    for extra in (0, 4):
        adviser = db.session.get(User, adviser_id)
        for _ in range(extra):
            referral = OfferedReferralFactory()
            referral.customer.adviser = adviser
            more = check_of(record(referral, staff_in(referral.vacancy.district)))
            more.aftercare_wanted, more.answered_at = True, outcome.created_at
        check = check_of(db.session.get(JobOutcome, outcome_id))
        check.aftercare_wanted, check.answered_at = True, check.due_on and outcome.created_at
        db.session.flush()
        client = sign_in(app.test_client(), adviser)
        db.session.expunge_all()
        with count_queries() as statements:
            html = get_page(client, "/")
        assert html.count("Mark done<") == 1 + extra
        counts.append(len(statements))
    assert counts[0] == counts[1]
