"""The delivery plan meeting: its record, action points on each owner's home page, finalising
it (every attendee emailed once) and the printable page."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re

import pytest
from sqlalchemy import select

from app import clock
from app.auth.models import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from app.pet.models import ActionPoint, CourseStatus, DeliveryPlan
from tests.factories import DistrictFactory, ProviderUserFactory, employer_user
from tests.helpers import count_queries, get_page, keep_day, page_title, post_form, sign_in
from tests.pet_factories import (
    ActionPointFactory,
    CourseFactory,
    DeliveryPlanFactory,
    district_staff,
)

TODAY = clock.today()


@pytest.fixture(autouse=True)
def same_day_throughout(monkeypatch):
    keep_day(monkeypatch, TODAY)


def date_parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def outbox(kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.created_at, OutboxMessage.recipient)
        )
    )


def error_summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return html_module.unescape(match.group(0))


@pytest.fixture
def district():
    return DistrictFactory()


@pytest.fixture
def dam(district):
    return district_staff(district, Role.DAM, name="Dana DAM")


@pytest.fixture
def tppm(district):
    return district_staff(district, Role.TPPM, name="Tariq TPPM")


@pytest.fixture
def course(district, dam):
    return CourseFactory(
        district=district, created_by=dam, title="Retail routeway", funding_route="lsc"
    )


@pytest.fixture
def as_dam(app, dam):
    return sign_in(app.test_client(), dam)


ATTENDEES = [
    ("Erin Employer", "erin@northgate.example", "employer"),
    ("Dana DAM", "dana@jobcentre.example", "district"),
    ("Pat Provider", "pat@provider.example", "provider"),
    ("Cam Commissioning", "cam@dwp.example", "commissioning"),
]


def plan_form(contact, attendees=ATTENDEES, **changes) -> dict:
    data: dict = {
        "meeting_date": date_parts(TODAY),
        "measures_agreed": "Guaranteed interviews for everyone who completes.",
        "roles_and_responsibilities": "Provider delivers.\nDistrict refers.",
        "suitability_criteria": "Happy to work weekends.",
        "single_point_of_contact": str(contact.id),
        "update_frequency": "Every Friday by email",
    }
    for row in range(10):
        name, email, party = attendees[row] if row < len(attendees) else ("", "", "")
        data[f"attendee_{row}_name"] = name
        data[f"attendee_{row}_email"] = email
        data[f"attendee_{row}_party"] = party
    data.update(changes)
    return data


# --- recording the meeting -------------------------------------------------------------------


def test_plan_page_suggests_the_tppm_as_single_point_of_contact(as_dam, course, tppm):
    html = get_page(as_dam, f"/courses/{course.id}/delivery-plan", title="Delivery plan")
    assert re.search(
        rf'<option selected value="{tppm.id}">|<option value="{tppm.id}" selected', html
    )
    # The people known already fill the first rows: the DAM for the district.
    assert 'value="Dana DAM"' in html
    assert "Save the delivery plan first" in html


def test_dam_records_the_delivery_plan_meeting(as_dam, course, tppm):
    post_form(as_dam, f"/courses/{course.id}/delivery-plan", plan_form(tppm), status=302)
    plan = db.session.scalar(select(DeliveryPlan).where(DeliveryPlan.course_id == course.id))
    assert plan.meeting_date == TODAY
    assert plan.attendees == [
        {"name": name, "email": email, "party": party} for name, email, party in ATTENDEES
    ]
    assert plan.single_point_of_contact_id == tppm.id
    assert plan.roles_and_responsibilities == "Provider delivers.\nDistrict refers."
    assert plan.finalised_at is None

    html = get_page(as_dam, f"/courses/{course.id}")
    assert "Draft: not finalised yet" in html and "Tariq TPPM" in html
    assert "Every Friday by email" in html


def test_each_party_must_attend_and_each_row_be_complete(as_dam, course, tppm):
    rows = [
        ("Erin Employer", "erin@northgate.example", "employer"),
        ("No Email", "", "district"),
        ("Bad Email", "not-an-email", "district"),
    ]
    response = post_form(
        as_dam,
        f"/courses/{course.id}/delivery-plan",
        plan_form(tppm, rows, measures_agreed=""),
        status=200,
    )
    html = response.get_data(as_text=True)
    assert page_title(html).startswith("Error: Delivery plan")
    summary = error_summary(html)
    assert (
        "Add at least one attendee from each party. Missing: Training provider, "
        "Commissioning team" in summary
    )
    assert "Enter the attendee's email address" in summary
    assert "Enter an email address in the correct format" in summary
    assert "Enter the measures agreed" in summary
    assert 'href="#attendee_1_email"' in summary
    assert 'value="Bad Email"' in html and 'value="not-an-email"' in html
    assert 'value="Every Friday by email"' in html
    assert db.session.scalar(select(DeliveryPlan.id)) is None


def test_only_the_district_dam_or_tppm_records_the_plan(app, course, district):
    for role in (Role.COORDINATOR, Role.ADVISER, Role.LMRA):
        client = sign_in(app.test_client(), district_staff(district, role))
        assert client.get(f"/courses/{course.id}/delivery-plan").status_code == 403
    other_dam = district_staff(DistrictFactory(), Role.DAM)
    client = sign_in(app.test_client(), other_dam)
    assert client.get(f"/courses/{course.id}/delivery-plan").status_code == 404


# --- action points ---------------------------------------------------------------------------


def test_action_points_have_an_owner_and_a_due_date(as_dam, course, tppm, district):
    plan = DeliveryPlanFactory(course=course)
    provider_user = ProviderUserFactory(provider=course.provider, name="Pat Provider")
    employer = employer_user(course.employers[0].organisation, name="Erin Employer")
    ProviderUserFactory(name="Other Provider")  # another provider: not offered
    district_staff(DistrictFactory(), Role.TPPM, name="Elsewhere TPPM")
    html = get_page(as_dam, f"/courses/{course.id}/delivery-plan")
    owners = re.search(r'<select[^>]+name="action-owner".*?</select>', html, re.S).group(0)
    for name in ("Tariq TPPM", "Dana DAM", "Pat Provider", "Erin Employer"):
        assert name in owners
    assert "Other Provider" not in owners and "Elsewhere TPPM" not in owners

    due = TODAY + dt.timedelta(days=10)
    post_form(
        as_dam,
        f"/courses/{course.id}/delivery-plan/actions",
        {
            "action-description": "Send the referral form to providers",
            "action-owner": str(provider_user.id),
            "action-due_on": date_parts(due),
        },
        status=302,
    )
    action = db.session.scalar(select(ActionPoint).where(ActionPoint.plan_id == plan.id))
    assert (action.owner_id, action.due_on) == (provider_user.id, due)

    response = post_form(
        as_dam,
        f"/courses/{course.id}/delivery-plan/actions",
        {"action-description": "Keep me", "action-owner": str(employer.id)},
        status=200,
    )
    html = response.get_data(as_text=True)
    assert "Enter the date the action is due" in error_summary(html)
    assert 'value="Keep me"' in html


def test_open_action_points_show_on_the_owners_home_page_with_overdue_flagged(app, course, tppm):
    plan = DeliveryPlanFactory(course=course)
    ActionPointFactory(
        plan=plan, owner=tppm, description="Book the room", due_on=TODAY + dt.timedelta(days=3)
    )
    ActionPointFactory(
        plan=plan, owner=tppm, description="Send the REF2s", due_on=TODAY - dt.timedelta(days=2)
    )
    ActionPointFactory(plan=plan, owner=tppm, description="Already done", done_at=clock.now())
    ActionPointFactory(plan=plan, description="Someone else's")
    client = sign_in(app.test_client(), tppm)
    html = get_page(client, "/", title="Home")
    panel = re.search(r'data-testid="action-points-panel".*?</table>', html, re.S).group(0)
    rows = re.findall(r'data-testid="open-action">(.*?)</tr>', panel, re.S)
    assert len(rows) == 2
    assert "Send the REF2s" in rows[0] and "govuk-tag--red" in rows[0] and "Overdue" in rows[0]
    assert "Book the room" in rows[1] and "Overdue" not in rows[1]
    assert "1 action point is overdue." in panel
    assert "Already done" not in html and "Someone else" not in html


def test_home_panel_is_one_query_and_absent_without_open_actions(app, course, tppm):
    from app.pet.panels import actions_panel as home_panel

    assert home_panel(tppm) is None
    plan = DeliveryPlanFactory(course=course)
    for _ in range(3):
        ActionPointFactory(plan=plan, owner=tppm)
    with count_queries() as statements:
        _template, context = home_panel(tppm)
    assert len(statements) == 1
    assert len(context["actions"]) == 3


def test_employer_and_provider_owners_see_their_action_points_too(app, course):
    plan = DeliveryPlanFactory(course=course)
    employer = employer_user(course.employers[0].organisation)
    provider_user = ProviderUserFactory(provider=course.provider)
    ActionPointFactory(plan=plan, owner=employer, description="Confirm interview dates")
    ActionPointFactory(plan=plan, owner=provider_user, description="Book the trainers")
    assert "Confirm interview dates" in get_page(sign_in(app.test_client(), employer), "/")
    assert "Book the trainers" in get_page(sign_in(app.test_client(), provider_user), "/")


def test_the_owner_marks_an_action_point_done_from_the_home_page(app, course, tppm):
    plan = DeliveryPlanFactory(course=course)
    action = ActionPointFactory(plan=plan, owner=tppm, description="Book the room")
    client = sign_in(app.test_client(), tppm)
    response = post_form(client, f"/actions/{action.id}/done", {"next": "home"}, status=302)
    assert response.headers["Location"].endswith("/")
    db.session.refresh(action)
    assert action.done_at is not None
    html = get_page(client, "/")
    assert "Action point done: Book the room" in html
    assert 'data-testid="action-points-panel"' not in html


def test_only_the_owner_or_the_course_staff_complete_an_action_point(app, course, district):
    plan = DeliveryPlanFactory(course=course)
    action = ActionPointFactory(plan=plan, owner=district_staff(district, Role.LMRA))
    for user in (
        district_staff(district, Role.COORDINATOR),
        employer_user(course.employers[0].organisation),
        ProviderUserFactory(provider=course.provider),
        district_staff(DistrictFactory(), Role.DAM),
    ):
        client = sign_in(app.test_client(), user)
        assert client.post(f"/actions/{action.id}/done").status_code == 404
    db.session.refresh(action)
    assert action.done_at is None
    client = sign_in(app.test_client(), district_staff(district, Role.TPPM))
    response = post_form(client, f"/actions/{action.id}/done", {"next": "plan"}, status=302)
    assert response.headers["Location"].endswith(
        f"/courses/{course.id}/delivery-plan#action-points"
    )


# --- finalising ------------------------------------------------------------------------------


def test_finalising_emails_each_attendee_once_and_agrees_the_course(as_dam, course, dam, tppm):
    attendees = [
        {"name": "Erin Employer", "email": "erin@northgate.example", "party": "employer"},
        {"name": "Dana DAM", "email": "dana@jobcentre.example", "party": "district"},
        {"name": "Pat Provider", "email": "pat@provider.example", "party": "provider"},
        {"name": "Pat again", "email": "PAT@provider.example", "party": "provider"},
        {"name": "Cam Commissioning", "email": "cam@dwp.example", "party": "commissioning"},
    ]
    plan = DeliveryPlanFactory(course=course, attendees=attendees, single_point_of_contact=tppm)
    ActionPointFactory(plan=plan, owner=tppm, description="Book the training room")

    response = post_form(as_dam, f"/courses/{course.id}/delivery-plan/finalise", {}, status=302)
    assert response.headers["Location"].endswith(f"/courses/{course.id}/delivery-plan")
    messages = outbox("pet_plan_summary")
    assert sorted(message.recipient.lower() for message in messages) == sorted(
        [
            "erin@northgate.example",
            "dana@jobcentre.example",
            "pat@provider.example",
            "cam@dwp.example",
        ]
    )
    body = messages[0].text_body
    assert messages[0].subject == "Delivery plan agreed: Retail routeway"
    for text in (
        "A guaranteed interview for everyone",
        "Book the training room",
        "Tariq TPPM",
        "Every Friday by email",
        "Happy to work weekends.",
        "Hours each week: 30, 30",
        f"/courses/{course.id}/delivery-plan/print",
    ):
        assert text in body, text
    db.session.refresh(plan)
    db.session.refresh(course)
    assert plan.finalised_at is not None and plan.finalised_by_id == dam.id
    assert course.status is CourseStatus.AGREED

    # A second press (or a second tab) sends nothing more.
    post_form(as_dam, f"/courses/{course.id}/delivery-plan/finalise", {}, status=302)
    assert len(outbox("pet_plan_summary")) == 4
    html = get_page(as_dam, f"/courses/{course.id}/delivery-plan", title="Delivery plan")
    assert "Finalised on" in html and "Reopen the delivery plan" in html
    assert 'name="measures_agreed"' not in html
    assert as_dam.post(f"/courses/{course.id}/delivery-plan", data={}).status_code == 409
    assert as_dam.post(f"/courses/{course.id}/delivery-plan/actions", data={}).status_code == 409


def test_a_reopened_plan_can_change_and_be_finalised_again(as_dam, course, tppm):
    plan = DeliveryPlanFactory(course=course)
    post_form(as_dam, f"/courses/{course.id}/delivery-plan/finalise", {}, status=302)
    post_form(as_dam, f"/courses/{course.id}/delivery-plan/reopen", {}, status=302)
    db.session.refresh(plan)
    db.session.refresh(course)
    assert plan.finalised_at is None and course.status is CourseStatus.DESIGN
    post_form(
        as_dam,
        f"/courses/{course.id}/delivery-plan",
        plan_form(tppm, update_frequency="Every Monday"),
        status=302,
    )
    post_form(as_dam, f"/courses/{course.id}/delivery-plan/finalise", {}, status=302)
    latest = outbox("pet_plan_summary")
    assert len(latest) == 4 + len(ATTENDEES)
    assert "Every Monday" in latest[-1].text_body


def test_finalising_without_a_plan_goes_to_the_plan_form(as_dam, course):
    response = post_form(as_dam, f"/courses/{course.id}/delivery-plan/finalise", {}, status=302)
    assert response.headers["Location"].endswith(f"/courses/{course.id}/delivery-plan")
    assert outbox("pet_plan_summary") == []


# --- the printable page ----------------------------------------------------------------------


def test_printable_page_is_a_complete_page_for_everyone_on_the_course(app, course, tppm):
    plan = DeliveryPlanFactory(course=course, single_point_of_contact=tppm)
    ActionPointFactory(plan=plan, owner=tppm, description="Book the training room")
    readers = [
        tppm,
        employer_user(course.employers[0].organisation),
        ProviderUserFactory(provider=course.provider),
    ]
    for reader in readers:
        client = sign_in(app.test_client(), reader)
        html = get_page(
            client,
            f"/courses/{course.id}/delivery-plan/print",
            title="Delivery plan: Retail routeway",
        )
        for text in (
            "Erin Employer",
            "Commissioning team",
            "A guaranteed interview for everyone",
            "Book the training room",
            "Tariq TPPM",
            "Happy to work weekends.",
            "Week 1: 30 hours",
            "Draft: not finalised yet",
        ):
            assert text in html, text
        assert "Mark as done" not in html


def test_printable_page_of_a_course_without_a_plan_is_not_found(as_dam, course):
    assert as_dam.get(f"/courses/{course.id}/delivery-plan/print").status_code == 404
