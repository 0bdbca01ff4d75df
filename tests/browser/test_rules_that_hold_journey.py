"""Rules that hold, in a real browser: each is refused with a clear error until it is met.

An adviser tries to refer a JSA claimant to a course whose third week is full time (the
16-hour rule): refused. A LEP coordinator records an exception, first without a reason (an
error), then with one; the adviser's referral then goes through. The provider records a
trainee's start before the course's start: refused, then the course's first day: accepted.
A DAM tries to finalise a delivery plan whose course has no funding route: refused, and the
plan stays a draft. Every page is checked with axe and for console errors.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from app.clock import today
from app.extensions import db
from app.pet.models import DeliveryPlan
from app.statuses import CourseStatus, TraineeStatus
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in, sign_out
from tests.factories import PASSWORD
from tests.pet_factories import DeliveryPlanFactory
from tests.web.test_pet_trainees_support import make_scene

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]


def _prepare(tag: str) -> dict:
    scene = make_scene()
    for user in scene.staff.values():
        user.district = scene.district
        user.email = f"{user.role.value}{tag}@jcp.example"
    scene.provider_user.email = f"provider{tag}@provider.example"
    course = scene.course
    course.weekly_hours = [30, 30, 20]  # the third week is full time too: breaks the rule
    course.start_date = today() - dt.timedelta(days=2)
    customer = scene.jsa_customer(first_name="Jo", last_name=f"Seeker {tag}")
    trainee = scene.trainee(TraineeStatus.ACCEPTED, customer=scene.customer())
    trainee.created_at = trainee.created_at - dt.timedelta(days=30)

    unfunded = make_scene(scene.district)
    unfunded.course.created_by = scene.staff["dam"]
    unfunded.course.funding_route = None
    unfunded.course.status = CourseStatus.DESIGN
    plan = DeliveryPlanFactory(course=unfunded.course, single_point_of_contact=scene.tppm)
    db.session.commit()
    return {
        "adviser": scene.adviser.email,
        "coordinator": scene.staff["coordinator"].email,
        "dam": scene.staff["dam"].email,
        "provider": scene.provider_user.email,
        "course": course.id,
        "customer": customer.name,
        "reference": customer.reference,
        "trainee": trainee.id,
        "unfunded": unfunded.course.id,
        "plan": plan.id,
    }


def _refer(page: Any, world: dict, check: Check) -> None:
    page.goto(f"/courses/{world['course']}/trainees/new")
    check(page)
    page.get_by_label(world["customer"]).check()
    page.get_by_role("button", name="Send the referral").click()


def _fill_date(page: Any, group: str, day: dt.date) -> None:
    dates = page.get_by_role("group", name=group)
    dates.get_by_label("Day").fill(str(day.day))
    dates.get_by_label("Month").fill(str(day.month))
    dates.get_by_label("Year").fill(str(day.year))


def test_each_rule_refuses_with_a_clear_error_until_it_is_met(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    world = live_server.query(lambda: _prepare(uuid.uuid4().hex[:6]))

    # The JSA 16-hour rule: refused without a coordinator's exception.
    sign_in(page, world["adviser"], PASSWORD, check)
    _refer(page, world, check)
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        f"{world['customer']} cannot be referred: they claim Jobseeker’s Allowance"
    )
    expect(summary).to_contain_text("A LEP coordinator can record an exception")
    check(page)
    sign_out(page)

    sign_in(page, world["coordinator"], PASSWORD, check)
    page.goto(f"/courses/{world['course']}/jsa-exceptions")
    check(page)
    page.get_by_label("Customer reference").fill(world["reference"])
    page.get_by_role("button", name="Record the exception").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the reason for the exception"
    )
    expect(page.get_by_label("Customer reference")).to_have_value(world["reference"])
    check(page)
    page.get_by_label("Why may they do this course?").fill("Full-time weeks before the claim")
    page.get_by_role("button", name="Record the exception").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Exception recorded: {world['customer']} can now be referred to this course."
    )
    expect(page.locator("main")).to_contain_text("Full-time weeks before the claim")
    check(page)
    sign_out(page)

    sign_in(page, world["adviser"], PASSWORD, check)
    _refer(page, world, check)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{world['customer']} referred."
    )
    check(page)
    sign_out(page)

    # A trainee's start cannot precede the course's.
    sign_in(page, world["provider"], PASSWORD, check)
    page.goto(f"/courses/{world['course']}/trainees/{world['trainee']}")
    check(page)
    group = "When did they start the course?"
    _fill_date(page, group, today() - dt.timedelta(days=3))
    page.get_by_role("button", name="Record the start").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The start date cannot be before the course starts on"
    )
    check(page)
    _fill_date(page, group, today() - dt.timedelta(days=2))
    page.get_by_role("button", name="Record the start").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Start recorded for")
    check(page)
    sign_out(page)

    # A delivery plan is not finalised without a funding route.
    sign_in(page, world["dam"], PASSWORD, check)
    page.goto(f"/courses/{world['unfunded']}/delivery-plan")
    check(page)
    page.get_by_role("button", name="Finalise and email the summary").click()
    expect(page.locator("main")).to_contain_text(
        "Choose the course’s funding route before finalising the plan"
    )
    check(page)
    finalised = live_server.query(lambda: db.session.get(DeliveryPlan, world["plan"]).finalised_at)
    assert finalised is None
