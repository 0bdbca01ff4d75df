"""The employer's side of job outcomes: its list, confirming or disputing a start staff
recorded, answering the sustainment questions, and the tasks on its home page."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.outcomes import services
from app.outcomes.models import JobOutcome, SustainmentCheck, ValidationStatus
from app.outcomes.panels import home_panel
from tests.factories import employer_user
from tests.helpers import count_queries, freeze_today, get_page, post_form, sign_in
from tests.outcome_factories import OfferedReferralFactory, customer_in, record, staff_in

TODAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


@pytest.fixture
def referral():
    return OfferedReferralFactory()


@pytest.fixture
def owner(referral):
    return employer_user(referral.organisation)


@pytest.fixture
def awaiting(referral, owner):
    """Recorded by staff on 2 March 2026: the 13-week question is due on 1 June."""
    return record(referral, staff_in(referral.vacancy.district), start=dt.date(2026, 3, 2))


def _reload(outcome: JobOutcome) -> JobOutcome:
    return db.session.scalars(
        select(JobOutcome)
        .where(JobOutcome.id == outcome.id)
        .execution_options(populate_existing=True)
    ).one()


def _another_start(referral, by, **customer):
    other = OfferedReferralFactory(
        vacancy=referral.vacancy, customer=customer_in(referral.vacancy.district, **customer)
    )
    return record(other, by, start=dt.date(2026, 3, 2))


# --- the list --------------------------------------------------------------------------------


def test_employer_sees_who_started_their_status_subsidy_and_sustainment(
    app, client, referral, owner, awaiting
):
    no_subsidy = _another_start(referral, owner, benefit=None, claim_start=None)
    html = get_page(sign_in(client, owner), "/outcomes", title="People who started work with you")
    assert referral.customer.name in html and no_subsidy.customer.name in html
    assert "2 March 2026" in html
    assert "Waiting for you to confirm" in html and "Confirmed" in html
    assert "£1,000 recruitment subsidy: eligible" in html
    assert "£1,000 recruitment subsidy: not eligible" in html
    assert f"/outcomes/{awaiting.id}/confirm" in html
    assert f"/outcomes/{awaiting.id}/sustainment/13" in html
    assert "we will ask on 31 August 2026" in html  # the 26-week question


def test_employer_sees_only_their_own_outcomes(app, client, awaiting, owner):
    stranger_referral = OfferedReferralFactory()
    record(stranger_referral, employer_user(stranger_referral.organisation))
    html = get_page(sign_in(client, owner), "/outcomes")
    assert stranger_referral.customer.name not in html


def test_employer_list_without_outcomes_says_so(app, client):
    html = get_page(sign_in(client, employer_user()), "/outcomes")
    assert "Nobody has started work with you" in html


@pytest.mark.parametrize("page", ["0", "x", "1001"])
def test_employer_list_refuses_a_malformed_page(app, client, owner, page):
    get_page(sign_in(client, owner), f"/outcomes?page={page}", status=400)


def _queries_for_list(client, referral, owner, starts: int) -> int:
    lmra = staff_in(referral.vacancy.district)
    for number in range(starts):
        other = OfferedReferralFactory(
            vacancy=referral.vacancy, customer=customer_in(referral.vacancy.district)
        )
        record(other, owner if number % 2 else lmra, start=dt.date(2026, 3, 2))
    sign_in(client, owner)
    with count_queries() as statements:
        get_page(client, "/outcomes")
    return len(statements)


def test_employer_list_queries_do_not_grow_with_the_outcomes(app, client):
    few_referral = OfferedReferralFactory()
    few = _queries_for_list(client, few_referral, employer_user(few_referral.organisation), 3)
    many_referral = OfferedReferralFactory()
    many = _queries_for_list(client, many_referral, employer_user(many_referral.organisation), 30)
    assert few == many
    assert many <= 3  # the signed-in user, the outcomes, their sustainment checks


# --- confirming or disputing -----------------------------------------------------------------


def test_employer_confirms_a_start_staff_recorded(app, client, owner, awaiting):
    sign_in(client, owner)
    html = get_page(client, f"/outcomes/{awaiting.id}/confirm", title="Did ")
    assert "37.5" in html and "£13.00" in html
    response = post_form(
        client, f"/outcomes/{awaiting.id}/confirm", {"answer": "confirm"}, status=302
    )
    assert response.headers["Location"].endswith("/outcomes")
    outcome = _reload(awaiting)
    assert outcome.validation_status is ValidationStatus.VALIDATED
    assert outcome.validated_by_id == owner.id and outcome.validated_at is not None
    assert "You confirmed that" in get_page(client, "/outcomes")


def test_employer_disputes_a_start_with_a_reason(app, client, owner, awaiting):
    sign_in(client, owner)
    post_form(
        client,
        f"/outcomes/{awaiting.id}/confirm",
        {"answer": "dispute", "reason": "They started on 9 March, not 2 March"},
        status=302,
    )
    outcome = _reload(awaiting)
    assert outcome.validation_status is ValidationStatus.DISPUTED
    assert outcome.dispute_reason == "They started on 9 March, not 2 March"
    assert outcome.disputed_by_id == owner.id and outcome.disputed_at is not None


def test_a_dispute_needs_a_reason_and_keeps_the_answer(app, client, owner, awaiting):
    sign_in(client, owner)
    response = post_form(
        client, f"/outcomes/{awaiting.id}/confirm", {"answer": "dispute", "reason": "  "}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error:" in html
    assert "Tell us what is wrong with the start" in html
    assert 'value="dispute" checked' in html
    assert _reload(awaiting).validation_status is ValidationStatus.AWAITING_EMPLOYER


def test_confirming_needs_an_answer(app, client, owner, awaiting):
    response = post_form(sign_in(client, owner), f"/outcomes/{awaiting.id}/confirm", {})
    assert "Select yes if they started work with you as recorded" in response.get_data(as_text=True)


def test_a_start_already_answered_is_not_answered_again(app, client, owner, awaiting):
    sign_in(client, owner)
    post_form(client, f"/outcomes/{awaiting.id}/confirm", {"answer": "confirm"}, status=302)
    response = post_form(
        client, f"/outcomes/{awaiting.id}/confirm", {"answer": "dispute", "reason": "x"}
    )
    assert response.status_code == 302
    assert _reload(awaiting).validation_status is ValidationStatus.VALIDATED


def test_if_the_outcome_moved_meanwhile_the_confirmation_changes_nothing(app, owner, awaiting):
    assert services.confirm(awaiting, owner) is True
    assert services.confirm(awaiting, owner) is False
    assert services.dispute(awaiting, owner, "wrong") is False


def test_another_employers_outcome_is_not_found(app, client, awaiting):
    stranger = employer_user()
    sign_in(client, stranger)
    get_page(client, f"/outcomes/{awaiting.id}/confirm", status=404)
    post_form(client, f"/outcomes/{awaiting.id}/confirm", {"answer": "confirm"}, status=404)
    get_page(client, f"/outcomes/{awaiting.id}/sustainment/13", status=404)
    post_form(
        client,
        f"/outcomes/{awaiting.id}/sustainment/13",
        {"still_employed": "yes", "aftercare": "no"},
        status=404,
    )
    assert _reload(awaiting).validation_status is ValidationStatus.AWAITING_EMPLOYER


# --- sustainment -----------------------------------------------------------------------------


def _check(outcome: JobOutcome, weeks: int) -> SustainmentCheck:
    return db.session.scalars(
        select(SustainmentCheck)
        .where(SustainmentCheck.outcome_id == outcome.id, SustainmentCheck.weeks == weeks)
        .execution_options(populate_existing=True)
    ).one()


@pytest.mark.parametrize(("answer", "stored"), [("yes", True), ("no", False)])
def test_employer_answers_whether_the_person_is_still_employed(
    app, client, owner, awaiting, answer, stored
):
    sign_in(client, owner)
    get_page(client, f"/outcomes/{awaiting.id}/sustainment/13", title="Is ")
    post_form(
        client,
        f"/outcomes/{awaiting.id}/sustainment/13",
        {"still_employed": answer, "aftercare": "no"},
        status=302,
    )
    check = _check(awaiting, 13)
    assert check.still_employed is stored
    assert check.answered_by_id == owner.id and check.answered_at is not None
    html = get_page(client, "/outcomes")
    assert ("Still employed" if stored else "No longer employed") in html


def test_a_sustainment_question_not_yet_due_cannot_be_answered(app, client, owner, awaiting):
    sign_in(client, owner)
    response = post_form(
        client,
        f"/outcomes/{awaiting.id}/sustainment/26",
        {"still_employed": "yes", "aftercare": "no"},
        status=302,
    )
    assert response.headers["Location"].endswith("/outcomes")
    assert _check(awaiting, 26).answered_at is None
    assert "from 31 August 2026" in get_page(client, "/outcomes")


def test_a_sustainment_question_is_answered_once(app, client, owner, awaiting):
    sign_in(client, owner)
    url = f"/outcomes/{awaiting.id}/sustainment/13"
    post_form(client, url, {"still_employed": "yes", "aftercare": "no"}, status=302)
    get_page(client, "/outcomes")  # shows, and so clears, the thank-you
    post_form(client, url, {"still_employed": "no", "aftercare": "no"}, status=302)
    assert _check(awaiting, 13).still_employed is True
    assert "already told us" in get_page(client, "/outcomes")


def test_nobody_is_asked_about_a_rejected_start(app, client, owner, awaiting):
    coordinator = staff_in(awaiting.district, Role.COORDINATOR)
    services.reject(awaiting, coordinator, "Never started")
    db.session.flush()
    sign_in(client, owner)
    post_form(
        client,
        f"/outcomes/{awaiting.id}/sustainment/13",
        {"still_employed": "yes", "aftercare": "no"},
        status=302,
    )
    assert _check(awaiting, 13).answered_at is None


def test_sustainment_needs_an_answer(app, client, owner, awaiting):
    response = post_form(
        sign_in(client, owner), f"/outcomes/{awaiting.id}/sustainment/13", {}, status=200
    )
    assert "Select yes if they are still employed by you" in response.get_data(as_text=True)


@pytest.mark.parametrize("weeks", ["14", "0", "thirteen"])
def test_only_the_13_and_26_week_questions_exist(app, client, owner, awaiting, weeks):
    get_page(sign_in(client, owner), f"/outcomes/{awaiting.id}/sustainment/{weeks}", status=404)


# --- the home page ---------------------------------------------------------------------------


def test_home_page_lists_the_employers_outcome_tasks(app, client, referral, owner, awaiting):
    confirmed = _another_start(referral, owner)
    html = get_page(sign_in(client, owner), "/")
    assert f"/outcomes/{awaiting.id}/confirm" in html
    assert f"/outcomes/{awaiting.id}/sustainment/13" in html
    assert f"/outcomes/{confirmed.id}/sustainment/13" in html
    assert f"/outcomes/{confirmed.id}/confirm" not in html
    assert "/sustainment/26" not in html


def test_home_page_has_no_outcome_panel_without_tasks(app, client):
    html = get_page(sign_in(client, employer_user()), "/")
    assert "People who started work with you" not in html


def test_home_page_tasks_are_bounded_and_one_query(app, client, referral, owner):
    lmra = staff_in(referral.vacancy.district)
    for _ in range(12):
        _another_start(referral, lmra)
    with count_queries() as statements:
        _template, context = home_panel(owner)
    assert len(statements) == 1
    assert len(context["tasks"]) == 10 and context["more"] is True
    assert "See everyone who started work with you" in get_page(sign_in(client, owner), "/")
