"""The LEP coordinator's validation queue and decisions, and the staff view of an outcome."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.outcomes import services
from app.outcomes.models import JobOutcome, ValidationStatus
from app.outcomes.panels import home_panel
from tests.factories import DistrictFactory, OrganisationFactory, employer_user, nation
from tests.helpers import count_queries, freeze_today, get_page, post_form, sign_in
from tests.outcome_factories import (
    OfferedReferralFactory,
    ShopVacancyFactory,
    customer_in,
    london_noon,
    record,
    staff_in,
)

# Friday 10 April 2026: Good Friday (3 April) and, outside Scotland, Easter Monday (6 April)
# fall in the last week and a half.
FRIDAY = dt.date(2026, 4, 10)


@pytest.fixture
def today(monkeypatch):
    """Set the day the pages and services think it is."""
    freeze_today(monkeypatch, FRIDAY)

    def set_day(day: dt.date) -> None:
        freeze_today(monkeypatch, day)

    return set_day


def _district(nation_code: str = "england"):
    return DistrictFactory(nation_code=nation(nation_code).code)


def _outcome(district, *, recorded_on: dt.date, name: str = "", status=None, by=None):
    """A start staff recorded (London noon of `recorded_on`), awaiting the employer unless
    `status` says otherwise."""
    vacancy = ShopVacancyFactory(organisation=OrganisationFactory(district=district))
    customer = customer_in(district, **({"first_name": name} if name else {}))
    referral = OfferedReferralFactory(vacancy=vacancy, customer=customer)
    outcome = record(
        referral,
        by or staff_in(district),
        start=dt.date(2026, 3, 2),
        recorded_at=london_noon(recorded_on),
    )
    if status is ValidationStatus.DISPUTED:
        services.dispute(outcome, employer_user(vacancy.organisation), "Never turned up")
    elif status is ValidationStatus.VALIDATED:
        services.confirm(outcome, employer_user(vacancy.organisation))
    elif status is ValidationStatus.REJECTED:
        services.reject(outcome, staff_in(district, Role.COORDINATOR), "Duplicate")
    db.session.flush()
    return outcome


def _reload(outcome: JobOutcome) -> JobOutcome:
    return db.session.scalars(
        select(JobOutcome)
        .where(JobOutcome.id == outcome.id)
        .execution_options(populate_existing=True)
    ).one()


@pytest.fixture
def england():
    return _district("england")


@pytest.fixture
def coordinator(england):
    return staff_in(england, Role.COORDINATOR)


# --- the queue -------------------------------------------------------------------------------


def test_queue_holds_only_starts_unconfirmed_after_five_working_days_and_disputes(
    app, client, today, england, coordinator
):
    scotland = _district("scotland")
    # Recorded Wednesday 1 April: 5 working days by Friday 10 April in England (Good Friday
    # and Easter Monday do not count), 6 in Scotland (Easter Monday is not a holiday there).
    five = _outcome(england, recorded_on=dt.date(2026, 4, 1), name="Five")
    six = _outcome(england, recorded_on=dt.date(2026, 3, 31), name="Six")
    disputed = _outcome(
        england, recorded_on=FRIDAY, name="Disputed", status=ValidationStatus.DISPUTED
    )
    validated = _outcome(
        england,
        recorded_on=dt.date(2026, 1, 5),
        name="Validated",
        status=ValidationStatus.VALIDATED,
    )
    rejected = _outcome(
        england, recorded_on=dt.date(2026, 1, 5), name="Rejected", status=ValidationStatus.REJECTED
    )
    scottish = _outcome(scotland, recorded_on=dt.date(2026, 4, 1), name="Scottish")

    html = get_page(
        sign_in(client, coordinator), "/outcomes/validation", title="Outcomes to validate"
    )
    assert "Six Taylor" in html and "Disputed Taylor" in html
    for absent in (five, validated, rejected, scottish):
        assert absent.customer.name not in html
    # Oldest first, with the working days waited.
    assert html.index("Six Taylor") < html.index("Disputed Taylor")
    assert "6 working days" in html and "0 working days" in html
    assert "Never turned up" in html
    assert f"/outcomes/{six.id}/decide" in html and f"/outcomes/{disputed.id}/decide" in html

    # The same day in Scotland: Easter Monday counts there.
    scottish_coordinator = staff_in(scotland, Role.COORDINATOR)
    html = get_page(sign_in(client, scottish_coordinator), "/outcomes/validation")
    assert "Scottish Taylor" in html and "6 working days" in html

    # The next working day in England, the start recorded on 1 April joins the queue.
    today(dt.date(2026, 4, 13))
    html = get_page(sign_in(client, coordinator), "/outcomes/validation")
    assert "Five Taylor" in html


def test_admins_see_every_districts_queue(app, client, today, england):
    wales = _district("wales")
    english = _outcome(
        england, recorded_on=FRIDAY, name="English", status=ValidationStatus.DISPUTED
    )
    welsh = _outcome(wales, recorded_on=FRIDAY, name="Welsh", status=ValidationStatus.DISPUTED)
    admin = staff_in(england, Role.ADMIN)
    html = get_page(sign_in(client, admin), "/outcomes/validation")
    assert english.customer.name in html and welsh.customer.name in html
    assert wales.name in html


def test_a_coordinator_without_a_district_has_an_empty_queue(app, client, today, england):
    _outcome(england, recorded_on=FRIDAY, status=ValidationStatus.DISPUTED)
    nowhere = staff_in(england, Role.COORDINATOR)
    nowhere.district_id = None
    db.session.flush()
    html = get_page(sign_in(client, nowhere), "/outcomes/validation")
    assert "There are no outcomes to validate" in html


def _queue_queries(client, coordinator, district, rows: int) -> int:
    for number in range(rows):
        _outcome(
            district,
            recorded_on=dt.date(2026, 3, 2),
            status=ValidationStatus.DISPUTED if number % 3 == 0 else None,
        )
    sign_in(client, coordinator)
    with count_queries() as statements:
        html = get_page(client, "/outcomes/validation")
    assert html.count("/decide") == rows
    return len(statements)


def test_queue_queries_do_not_grow_with_the_outcomes(app, client, today):
    few_district, many_district = _district(), _district()
    few = _queue_queries(client, staff_in(few_district, Role.COORDINATOR), few_district, 3)
    many = _queue_queries(client, staff_in(many_district, Role.COORDINATOR), many_district, 30)
    assert few == many
    assert many <= 2  # the signed-in user, then the queue itself


def test_queue_is_paged(app, client, today, england, coordinator, monkeypatch):
    from app.outcomes import queries

    monkeypatch.setattr(queries, "PAGE_SIZE", 2)
    for _ in range(3):
        _outcome(england, recorded_on=FRIDAY, status=ValidationStatus.DISPUTED)
    sign_in(client, coordinator)
    first = get_page(client, "/outcomes/validation")
    assert first.count("/decide") == 2 and "page=2" in first
    second = get_page(client, "/outcomes/validation?page=2")
    assert second.count("/decide") == 1
    get_page(client, "/outcomes/validation?page=nope", status=400)


def test_coordinators_home_page_counts_the_queue_in_one_query(
    app, client, today, england, coordinator
):
    _outcome(england, recorded_on=dt.date(2026, 3, 31))
    _outcome(england, recorded_on=FRIDAY, status=ValidationStatus.DISPUTED)
    _outcome(england, recorded_on=dt.date(2026, 4, 1))  # not yet
    with count_queries() as statements:
        _template, context = home_panel(coordinator)
    assert len(statements) == 1 and context["count"] == 2
    html = get_page(sign_in(client, coordinator), "/")
    assert "2 outcomes need your decision" in html


def test_other_staff_have_no_outcome_panel(app, england):
    assert home_panel(staff_in(england, Role.LMRA)) is None


# --- deciding --------------------------------------------------------------------------------


def test_coordinator_accepts_an_outcome_in_the_queue(app, client, today, england, coordinator):
    outcome = _outcome(england, recorded_on=dt.date(2026, 3, 31))
    sign_in(client, coordinator)
    get_page(client, f"/outcomes/{outcome.id}/decide", title="Validate the start of")
    response = post_form(
        client, f"/outcomes/{outcome.id}/decide", {"decision": "accept"}, status=302
    )
    assert response.headers["Location"].endswith("/outcomes/validation")
    outcome = _reload(outcome)
    assert outcome.validation_status is ValidationStatus.VALIDATED
    assert outcome.validated_by_id == coordinator.id
    html = get_page(client, "/outcomes/validation")
    assert f"Outcome for {outcome.customer.name} accepted" in html
    assert f"/outcomes/{outcome.id}/decide" not in html


def test_coordinator_rejects_a_disputed_outcome_with_a_reason(
    app, client, today, england, coordinator
):
    outcome = _outcome(england, recorded_on=FRIDAY, status=ValidationStatus.DISPUTED)
    sign_in(client, coordinator)
    post_form(
        client,
        f"/outcomes/{outcome.id}/decide",
        {"decision": "reject", "reason": "The employer says they never started"},
        status=302,
    )
    outcome = _reload(outcome)
    assert outcome.validation_status is ValidationStatus.REJECTED
    assert outcome.rejection_reason == "The employer says they never started"
    assert outcome.rejected_by_id == coordinator.id and outcome.rejected_at is not None
    assert outcome.dispute_reason == "Never turned up"  # the history is kept


def test_rejecting_needs_a_reason_and_keeps_the_answer(app, client, today, england, coordinator):
    outcome = _outcome(england, recorded_on=FRIDAY, status=ValidationStatus.DISPUTED)
    response = post_form(
        sign_in(client, coordinator),
        f"/outcomes/{outcome.id}/decide",
        {"decision": "reject", "reason": ""},
        status=200,
    )
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html and "Enter the reason for rejecting the outcome" in html
    assert 'value="reject" checked' in html
    assert _reload(outcome).validation_status is ValidationStatus.DISPUTED


def test_deciding_needs_a_decision(app, client, today, england, coordinator):
    outcome = _outcome(england, recorded_on=FRIDAY, status=ValidationStatus.DISPUTED)
    response = post_form(
        sign_in(client, coordinator), f"/outcomes/{outcome.id}/decide", {}, status=200
    )
    assert "Select accept or reject" in response.get_data(as_text=True)


def test_an_outcome_not_in_the_queue_cannot_be_decided(app, client, today, england, coordinator):
    recent = _outcome(england, recorded_on=dt.date(2026, 4, 8))
    sign_in(client, coordinator)
    response = post_form(client, f"/outcomes/{recent.id}/decide", {"decision": "accept"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/outcomes/{recent.id}")
    assert _reload(recent).validation_status is ValidationStatus.AWAITING_EMPLOYER
    assert "not waiting for a decision" in get_page(client, f"/outcomes/{recent.id}")


def test_two_decisions_at_once_only_the_first_counts(app, today, england, coordinator):
    outcome = _outcome(england, recorded_on=FRIDAY, status=ValidationStatus.DISPUTED)
    assert services.reject(outcome, coordinator, "No") is True
    assert services.accept(outcome, coordinator) is False
    assert _reload(outcome).validation_status is ValidationStatus.REJECTED


def test_another_districts_outcomes_are_not_found(app, client, today, england, coordinator):
    elsewhere = _district()
    outcome = _outcome(elsewhere, recorded_on=FRIDAY, status=ValidationStatus.DISPUTED)
    sign_in(client, coordinator)
    get_page(client, f"/outcomes/{outcome.id}/decide", status=404)
    post_form(client, f"/outcomes/{outcome.id}/decide", {"decision": "accept"}, status=404)
    get_page(client, f"/outcomes/{outcome.id}", status=404)
    for role in (Role.LMRA, Role.DAM, Role.ADVISER, Role.TPPM):
        get_page(sign_in(client, staff_in(england, role)), f"/outcomes/{outcome.id}", status=404)
    assert _reload(outcome).validation_status is ValidationStatus.DISPUTED


def test_admins_decide_in_any_district(app, client, today, england):
    outcome = _outcome(england, recorded_on=FRIDAY, status=ValidationStatus.DISPUTED)
    admin = staff_in(_district(), Role.ADMIN)
    post_form(
        sign_in(client, admin), f"/outcomes/{outcome.id}/decide", {"decision": "accept"}, status=302
    )
    assert _reload(outcome).validation_status is ValidationStatus.VALIDATED


# --- the staff view --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.LMRA, Role.DAM, Role.ADVISER, Role.TPPM, Role.COORDINATOR, Role.ADMIN]
)
def test_staff_of_the_district_see_everything_about_an_outcome(app, client, today, england, role):
    outcome = _outcome(england, recorded_on=FRIDAY, status=ValidationStatus.DISPUTED)
    html = get_page(
        sign_in(client, staff_in(england, role)),
        f"/outcomes/{outcome.id}",
        title=f"Job outcome: {outcome.customer.name}",
    )
    assert "Priority group 2" in html
    assert "Counts as a LEP outcome" in html
    assert "No: the employer had no active LEP agreement on the start date" in html
    assert "£1,000 recruitment subsidy: eligible" in html
    assert "Disputed by the employer" in html and "Never turned up" in html
    assert "13 weeks (1 June 2026)" in html and "26 weeks (31 August 2026)" in html
    assert ("Accept or reject" in html) is (role in (Role.COORDINATOR, Role.ADMIN))


def test_staff_view_shows_who_validated_and_the_sustainment_answer(app, client, today, england):
    referral = OfferedReferralFactory(
        vacancy=ShopVacancyFactory(organisation=OrganisationFactory(district=england))
    )
    owner = employer_user(referral.organisation)
    outcome = record(referral, owner, start=dt.date(2025, 12, 1))
    check = outcome.sustainment_checks[0]
    services.answer_sustainment(check, owner, still_employed=False)
    db.session.flush()
    html = get_page(sign_in(client, staff_in(england)), f"/outcomes/{outcome.id}")
    assert "Validated" in html and owner.name in html and "(the employer)" in html
    assert "No longer employed" in html and f"Answered by {owner.name}" in html


def test_staff_view_of_an_unknown_outcome_is_not_found(app, client, england):
    get_page(
        sign_in(client, staff_in(england)),
        "/outcomes/00000000-0000-0000-0000-000000000000",
        status=404,
    )
