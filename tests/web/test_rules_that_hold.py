"""Rules that hold in the pages, not only as advice: a JSA customer is not referred to a
course that breaks the 16-hour rule without a coordinator's exception; a delivery plan is not
finalised without a funding route; a trainee does not start before the course; a small or
medium employer is not made a head office."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.accounts.models import SizeBand
from app.auth.models import Role
from app.clock import today
from app.extensions import db
from app.pet.models import CourseReferral, CourseStatus, JsaException, TraineeStatus
from tests.account_factories import account, staff_in
from tests.factories import DistrictFactory
from tests.helpers import get_page, post_form, sign_in
from tests.pet_factories import DeliveryPlanFactory
from tests.web.test_pet_trainees_support import date_field, make_scene


@pytest.fixture
def scene(app):
    made = make_scene()
    made.course.weekly_hours = [30, 30, 20]  # the third week is full time too: breaks the rule
    db.session.flush()
    return made


def _as(app, user):
    return sign_in(app.test_client(), user)


def _refer(app, scene, customer, status):
    return post_form(
        _as(app, scene.adviser),
        f"/courses/{scene.course.id}/trainees/new",
        {"customer_id": str(customer.id), "owning_provider": "Jobcentre Plus"},
        status=status,
    )


def _referred(scene, customer) -> bool:
    return (
        db.session.scalar(
            select(CourseReferral.id).where(
                CourseReferral.course_id == scene.course.id,
                CourseReferral.customer_id == customer.id,
            )
        )
        is not None
    )


# --- the JSA 16-hour rule --------------------------------------------------------------------


def test_a_jsa_customer_is_not_referred_to_a_course_that_breaks_the_16_hour_rule(app, scene):
    customer = scene.jsa_customer(first_name="Jo", last_name="Seeker")
    html = _refer(app, scene, customer, 200).get_data(as_text=True)
    assert "Jo Seeker cannot be referred: they claim Jobseeker’s Allowance" in html
    assert "A LEP coordinator can record an exception" in html
    assert not _referred(scene, customer)


def test_someone_not_on_jsa_is_referred_to_the_same_course(app, scene):
    customer = scene.customer(first_name="Lone", last_name="Parent")
    _refer(app, scene, customer, 302)
    assert _referred(scene, customer)


def test_a_coordinator_records_an_exception_and_the_referral_goes_through(app, scene):
    customer = scene.jsa_customer(first_name="Jo", last_name="Seeker")
    coordinator = scene.staff["coordinator"]
    coordinator.district = scene.district
    db.session.flush()
    client = _as(app, coordinator)
    url = f"/courses/{scene.course.id}/jsa-exceptions"
    get_page(client, url, title="Exceptions to the JSA 16-hour rule")
    html = post_form(client, url, {"reference": customer.reference, "reason": ""}, status=200)
    assert "Enter the reason for the exception" in html.get_data(as_text=True)
    post_form(
        client,
        url,
        {"reference": customer.reference.lower(), "reason": "Full-time weeks before claim"},
        status=302,
    )
    (exception,) = db.session.scalars(select(JsaException))
    assert exception.recorded_by_id == coordinator.id
    assert exception.reason == "Full-time weeks before claim"
    page = get_page(client, url)
    assert "Jo Seeker" in page and "Full-time weeks before claim" in page
    # A second exception for the same customer is refused, not a 500.
    again = post_form(client, url, {"reference": customer.reference, "reason": "Again"}, status=200)
    assert "already has an exception" in again.get_data(as_text=True)

    _refer(app, scene, customer, 302)
    assert _referred(scene, customer)


def test_an_exception_is_only_for_a_jsa_customer_of_the_district(app, scene):
    other = make_scene().jsa_customer()
    not_jsa = scene.customer()
    coordinator = scene.staff["coordinator"]
    coordinator.district = scene.district
    db.session.flush()
    url = f"/courses/{scene.course.id}/jsa-exceptions"
    for customer in (other, not_jsa):
        response = post_form(
            _as(app, coordinator), url, {"reference": customer.reference, "reason": "x"}, status=200
        )
        assert "a customer of this district who claims JSA" in response.get_data(as_text=True)
    assert db.session.scalars(select(JsaException)).all() == []


# --- a trainee's start -----------------------------------------------------------------------


def test_a_trainee_cannot_start_before_the_course_starts(app, scene):
    scene.course.start_date = today() - dt.timedelta(days=2)
    trainee = scene.trainee(TraineeStatus.ACCEPTED)
    trainee.created_at = trainee.created_at - dt.timedelta(days=30)
    db.session.flush()
    url = f"/courses/{scene.course.id}/trainees/{trainee.id}/start"
    html = post_form(
        _as(app, scene.provider_user),
        url,
        {"started_on": date_field(today() - dt.timedelta(days=3))},
        status=200,
    ).get_data(as_text=True)
    assert "The start date cannot be before the course starts on" in html
    db.session.refresh(trainee)
    assert trainee.status is TraineeStatus.ACCEPTED
    post_form(
        _as(app, scene.provider_user),
        url,
        {"started_on": date_field(today() - dt.timedelta(days=2))},
        status=302,
    )
    db.session.refresh(trainee)
    assert trainee.status is TraineeStatus.STARTED


# --- a delivery plan's funding route ---------------------------------------------------------


@pytest.mark.parametrize(
    ("route", "reason", "message"),
    [
        (None, "", "Choose the course’s funding route before finalising the plan"),
        ("programme_centre", "", "Say on the course why"),
    ],
)
def test_a_plan_is_not_finalised_without_a_funding_route_in_order(app, route, reason, message):
    scene = make_scene()
    scene.course.funding_route = route
    scene.course.funding_passed_over_reason = reason
    scene.course.status = CourseStatus.DESIGN
    plan = DeliveryPlanFactory(course=scene.course, single_point_of_contact=scene.tppm)
    client = _as(app, scene.staff["dam"])
    response = post_form(
        client, f"/courses/{scene.course.id}/delivery-plan/finalise", {}, status=302
    )
    assert message in get_page(client, response.headers["Location"])
    db.session.refresh(plan)
    assert plan.finalised_at is None
    assert scene.course.status is CourseStatus.DESIGN


# --- head offices ----------------------------------------------------------------------------


def test_a_small_employer_is_neither_offered_nor_accepted_as_a_head_office(client):
    district = DistrictFactory()
    dam = staff_in(district, Role.DAM)
    branch = account(dam, name="Harbour Café Leeds")
    cafe = account(dam, name="Harbour Café", size_band=SizeBand.SME)
    chain = account(dam, name="Harbour Stores", size_band=SizeBand.LARGE)
    sign_in(client, dam)
    url = f"/accounts/{branch.id}/head-office"
    html = get_page(client, url + "?q=harbour")
    assert str(chain.id) in html and str(cafe.id) not in html
    assert "Not offered, because a head office must be a large or national employer" in html
    response = post_form(client, url, {"q": "harbour", "head_office": str(cafe.id)}, status=200)
    assert branch.parent_id is None
    text = response.get_data(as_text=True)
    assert "There is a problem" in text
    # Said in words, not "Not a valid choice": the rule refuses it, not the list.
    assert "A head office must be a large or national employer: Harbour Café is small" in text
    post_form(client, url, {"q": "harbour", "head_office": str(chain.id)}, status=302)
    assert branch.parent_id == chain.id


def test_linking_refuses_a_small_employer_as_head_office_whatever_the_form_offered():
    from app.accounts.services import CannotLink, link_to_head_office

    district = DistrictFactory()
    dam = staff_in(district, Role.DAM)
    branch, cafe = account(dam), account(dam, name="Harbour Café", size_band=SizeBand.SME)
    with pytest.raises(CannotLink, match="must be a large or national employer"):
        link_to_head_office(branch, cafe)
    assert branch.parent_id is None


def test_a_head_office_made_small_since_the_search_is_refused_in_words(client):
    district = DistrictFactory()
    dam = staff_in(district, Role.DAM)
    branch = account(dam, name="Harbour Café Leeds")
    chain = account(dam, name="Harbour Stores", size_band=SizeBand.LARGE)
    sign_in(client, dam)
    url = f"/accounts/{branch.id}/head-office"
    assert str(chain.id) in get_page(client, url + "?q=harbour")
    chain.size_band = SizeBand.SME  # corrected by someone else meanwhile
    db.session.flush()
    response = post_form(client, url, {"q": "harbour", "head_office": str(chain.id)}, status=200)
    assert "Harbour Stores is small or medium" in response.get_data(as_text=True)
    assert branch.parent_id is None


@pytest.mark.parametrize("value", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_a_head_office_that_is_no_account_is_a_bad_request_or_an_error(client, value):
    district = DistrictFactory()
    dam = staff_in(district, Role.DAM)
    branch = account(dam, name="Harbour Café Leeds")
    sign_in(client, dam)
    url = f"/accounts/{branch.id}/head-office"
    response = post_form(client, url, {"q": "harbour", "head_office": value})
    if value == "not-a-uuid":
        assert response.status_code == 400
    else:
        assert response.status_code == 200
        assert "Select the head office" in response.get_data(as_text=True)
    assert branch.parent_id is None
