"""Pre-employment training from design to a job, through the real pages.

A DAM designs a bespoke two-week retail course from the toolkit with a large employer, records
the delivery plan and finalises it; two consented, PET-eligible customers are referred; the
provider accepts both and records their starts, attendance and completion; the employer books
their guaranteed interviews in one go and hires one at lawful pay; the cohort summary shows
2 starts, 2 completions, 2 interviews and 1 hire. The course page shows staff and the provider
each trainee's status and whether the course fits their past 52 weeks (the JSA 16-hour rule),
and shows the employer only its cohort. Every page visited is checked with axe (WCAG 2.2 A and
AA) and for console errors.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.models import Organisation
from app.auth.models import User
from app.clock import today
from app.customers.models import Benefit, Customer, Readiness
from app.customers.services import create_customer, set_consent
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from app.outcomes.models import JobOutcome, ValidationStatus
from app.outcomes.services import age_on, agreement_active_on
from app.pet.models import Course, CourseModel, CourseReferral, CourseStatus, TraineeStatus
from app.vacancies.rules import minimum_hourly_wage
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in, sign_out

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]

DAM = "dam@demo.lep.example"  # David Brennan, Leeds City, West Yorkshire
ADVISER = "adviser@demo.lep.example"  # Sam Taylor, Wakefield, West Yorkshire
TPPM = "tppm@demo.lep.example"  # Gareth Price
PROVIDER = "provider@demo.lep.example"  # Grace Adeyemi of Leeds Skills Partnership
PROVIDER_NAME = "Leeds Skills Partnership"
EMPLOYER = "large@demo.lep.example"  # Fiona McAllister, owner of Northern Retail Group
EMPLOYER_NAME = "Northern Retail Group"

BORN = dt.date(1995, 3, 8)
HOURS = Decimal("30")
PAY = Decimal("13.75")
# What the employer must never read about a trainee: benefits and the JSA rule.
SENSITIVE = re.compile(
    r"jobseeker|allowance|benefit|\bJSA\b|16-hour|claim|priority group|lone parent|fits",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Trainee:
    name: str
    reference: str


def _customers(tag: str) -> tuple[Trainee, Trainee]:
    """Two consented customers on the adviser's caseload, both eligible for PET: a lone parent
    (priority group 1) and a JSA claimant of over a year (priority group 2)."""
    adviser = db.session.scalar(select(User).where(User.email == ADVISER))
    made = []
    for suffix, first, extra in (
        ("A", "Maya", {"lone_parent": True, "benefit": None, "claim_start": None}),
        (
            "B",
            "Tomasz",
            {"benefit": Benefit.JSA, "claim_start": today() - dt.timedelta(days=400)},
        ),
    ):
        customer = create_customer(
            {
                "reference": f"PET{tag}{suffix}",
                "first_name": first,
                "last_name": f"Okoro{tag}",
                "date_of_birth": BORN,
                "postcode": "LS9 8AB",
                "goal_sectors": ["retail"],
                **extra,
            },
            adviser=adviser,
            readiness=Readiness.GREEN,
        )
        set_consent(customer, True, adviser, "Signed the consent form")
        made.append(Trainee(customer.name, customer.reference))
    db.session.commit()
    return made[0], made[1]


def _fill_date(scope: Any, legend: str, day: dt.date) -> None:
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _signed_in(page: Any, email: str, check: Check) -> None:
    sign_in(page, email, DEMO_PASSWORD, check)
    page.wait_for_url(re.compile(r"^(?!.*/sign-in).*$"))
    check(page)


def _choose_funding(title: str) -> None:
    _course_of(title).funding_route = "lsc"  # England: the Learning and Skills Council first
    db.session.commit()


def _course_of(title: str) -> Course:
    return db.session.scalar(select(Course).where(Course.title == title))


def _referrals(title: str) -> list[tuple[str, TraineeStatus, bool]]:
    return [
        (name, status, hired)
        for name, status, hired in db.session.execute(
            select(Customer.reference, CourseReferral.status, CourseReferral.hired)
            .join(Customer, Customer.id == CourseReferral.customer_id)
            .join(Course, Course.id == CourseReferral.course_id)
            .where(Course.title == title)
            .order_by(Customer.reference)
        )
    ]


def _outcomes(title: str) -> list[JobOutcome]:
    return list(
        db.session.scalars(
            select(JobOutcome)
            .join(CourseReferral, CourseReferral.id == JobOutcome.course_referral_id)
            .join(Course, Course.id == CourseReferral.course_id)
            .where(Course.title == title)
        )
    )


def _organisation_id() -> uuid.UUID:
    return db.session.scalar(select(Organisation.id).where(Organisation.name == EMPLOYER_NAME))


def test_a_bespoke_retail_course_from_design_to_a_hire(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    title = f"Retail routeway for {EMPLOYER_NAME} {tag}"
    on = today()
    first, second = live_server.query(lambda: _customers(tag))

    # --- the DAM designs the course from the retail toolkit with the employer -----------------
    _signed_in(page, DAM, check)
    page.get_by_role("link", name="Training courses", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Training courses")
    check(page)
    page.get_by_role("button", name="Create a course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a training course")
    check(page)
    page.get_by_label("Bespoke course for one employer").check()
    page.get_by_role(
        "group", name="Which Sector Employability Toolkit does it start from?"
    ).get_by_label("Retail", exact=True).check()
    page.get_by_role("group", name="Employers").get_by_label(EMPLOYER_NAME).check()
    page.get_by_label("Course title").fill(title)
    page.get_by_label("Training provider", exact=True).select_option(label=PROVIDER_NAME)
    page.get_by_label("The training provider's premises").check()
    page.get_by_label("Address of the venue (optional)").fill("12 Wellington Street, Leeds")
    _fill_date(page, "Start date", on)
    page.get_by_label("Number of places").fill("12")
    page.get_by_label("A guaranteed interview", exact=True).check()
    page.get_by_role("button", name="Create course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_text("Course created from the toolkit.")).to_be_visible()
    check(page)
    course_url = page.url
    course = live_server.query(lambda: _course_of(title))
    assert course.model is CourseModel.BESPOKE
    assert [float(hours) for hours in course.weekly_hours] == [30.0, 30.0]
    expect(page.get_by_text("Nobody has been referred to this course yet.")).to_be_visible()
    expect(page.get_by_role("link", name="Refer a customer to this course")).to_be_visible()

    # --- the delivery plan meeting: every party, an action point, finalised ---------------------
    page.get_by_role("link", name="Record the delivery plan meeting").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delivery plan")
    check(page)
    _fill_date(page, "Date of the meeting", on)
    for number, (name, email, party) in enumerate(
        (
            ("Fiona McAllister", EMPLOYER, "Employer"),
            ("Priya Commissioner", "commissioning@demo.lep.example", "Commissioning team"),
        ),
        start=3,
    ):
        row = page.get_by_role("group", name=f"Attendee {number}", exact=True)
        row.get_by_label("Name").fill(name)
        row.get_by_label("Email address").fill(email)
        row.get_by_label("Party").select_option(label=party)
    page.get_by_label("Measures agreed").fill("A guaranteed interview for everyone who completes.")
    page.get_by_label("Roles and responsibilities").fill(
        "Employer: interviews. District: referrals. Provider: delivery. Commissioning: funding."
    )
    page.get_by_label("Customer suitability criteria").fill("Able to stand for long periods.")
    page.get_by_label("How often everyone gets updates").fill("Every Friday by email")
    page.get_by_role("button", name="Save delivery plan").click()
    expect(page.get_by_text("Delivery plan saved.")).to_be_visible()
    check(page)
    page.get_by_label("Action", exact=True).fill("Send the store induction pack to the provider")
    page.get_by_label("Owner").select_option(index=1)
    _fill_date(page, "Due date", on + dt.timedelta(days=3))
    page.get_by_role("button", name="Add action point").click()
    expect(page.get_by_text("Action point added.")).to_be_visible()
    check(page)
    # No funding route yet: the plan cannot be finalised.
    page.get_by_role("button", name="Finalise and email the summary").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Choose the course’s funding route before finalising the plan"
    )
    check(page)
    live_server.query(lambda: _choose_funding(title))
    page.get_by_role("button", name="Finalise and email the summary").click()
    expect(page.get_by_text("Delivery plan finalised.")).to_be_visible()
    check(page)
    assert live_server.query(lambda: _course_of(title).status) is CourseStatus.AGREED

    # --- the DAM refers both customers from the course page -----------------------------------
    page.goto(course_url)
    check(page)
    for trainee in (first, second):
        page.get_by_role("link", name="Refer a customer to this course").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Refer a customer to {title}")
        check(page)
        page.get_by_label("Search by name or reference").fill(trainee.reference)
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_label(trainee.name)).to_be_visible()
        check(page)
        page.get_by_label(trainee.name).check()
        page.get_by_role("button", name="Send the referral").click()
        expect(page.get_by_text(f"{trainee.name} referred.")).to_be_visible()
        check(page)
        page.goto(course_url)
        check(page)
    trainees_section = page.locator("#course-trainees")
    expect(page.locator('[data-count="referred"]')).to_have_text("2")
    expect(trainees_section.get_by_role("row").filter(has_text=first.name)).to_contain_text(
        "Not claiming JSA"
    )
    expect(trainees_section.get_by_role("row").filter(has_text=second.name)).to_contain_text("Fits")
    sign_out(page)
    check(page)

    # --- the provider accepts both, records starts, attendance and completion -----------------
    _signed_in(page, PROVIDER, check)
    page.goto(course_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check(page)
    page.get_by_role("link", name="See the trainees, their attendance").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Trainees on {title}")
    check(page)
    trainees_url = page.url
    for trainee in (first, second):
        page.goto(trainees_url)
        page.get_by_role("link", name=trainee.name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(trainee.name)
        check(page)
        page.get_by_label("Yes, accept the referral").check()
        page.get_by_role("button", name="Send the decision").click()
        expect(page.get_by_text(f"You accepted {trainee.name}.")).to_be_visible()
        check(page)
        _fill_date(page, "When did they start the course?", on)
        page.get_by_role("button", name="Record the start").click()
        expect(page.get_by_text(f"Start recorded for {trainee.name} (SL2 sent).")).to_be_visible()
        check(page)
        for week in (1, 2):
            page.get_by_label(f"Hours attended in week {week}").fill("30")
            page.get_by_role("button", name=f"Save week {week}").click()
            expect(page.locator(f"#week-{week}").get_by_role("status")).to_have_text("Saved")
        check(page)
        _fill_date(page, "When did they complete the course?", on)
        page.get_by_role("button", name="Record the completion").click()
        expect(
            page.get_by_text(f"Recorded that {trainee.name} completed the course.")
        ).to_be_visible()
        check(page)
    assert live_server.query(lambda: _referrals(title)) == [
        (first.reference, TraineeStatus.COMPLETED, False),
        (second.reference, TraineeStatus.COMPLETED, False),
    ]
    sign_out(page)
    check(page)

    # --- the employer books both interviews at once and hires one ------------------------------
    _signed_in(page, EMPLOYER, check)
    page.goto(course_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    check(page)
    main = page.locator("main")
    expect(main.locator("#course-trainees")).to_have_count(0)
    trainees_words = page.locator("#trainees").evaluate(
        "h => { let t = ''; for (let e = h.nextElementSibling; e; e = e.nextElementSibling)"
        " t += e.innerText + ' '; return t; }"
    )
    found = SENSITIVE.findall(trainees_words)
    assert not found, f"the employer can read {found} about the trainees"
    page.get_by_role("link", name="See the cohort, interviews, hires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cohort: {title}")
    check(page)
    interview_day = on + dt.timedelta(days=1)
    interviews = page.get_by_role("group", name="Who will you interview?")
    interviews.get_by_label(first.name).check()
    interviews.get_by_label(second.name).check()
    _fill_date(page, "Date of the interviews", interview_day)
    page.get_by_label("Time").fill("10am")
    page.get_by_role("button", name="Book the interviews").click()
    expect(page.get_by_text("Interviews booked for 2 people on")).to_be_visible()
    check(page)
    found = SENSITIVE.findall(page.locator("main").inner_text())
    assert not found, f"the employer can read {found} on the cohort page"

    age = age_on(BORN, on)
    assert minimum_hourly_wage(on, age) <= PAY  # lawful pay for their age on the start date
    page.get_by_role("link", name=f"Record that they started work ({first.name})").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Record that {first.name} started work"
    )
    check(page)
    _fill_date(page, "When did they start work?", on)
    page.get_by_label("Hours a week").fill(str(HOURS))
    page.get_by_label("Pay per hour").fill(str(PAY))
    page.get_by_role("button", name="Record the start").click()
    expect(page.get_by_text(f"Start recorded for {first.name}.")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=first.name)).to_contain_text("Hired")
    check(page)

    # --- the figures: 2 starts, 2 completions, 2 interviews, 1 hire ----------------------------
    page.get_by_role("link", name="Training results").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pre-employment training: summary")
    check(page)
    row = page.locator(f"#course-{course.id}")
    for name, value in (
        ("places", "12"),
        ("starts", "2"),
        ("completions", "2"),
        ("interviews", "2"),
        ("hires", "1"),
    ):
        expect(row.locator(f'[data-figure="{name}"]')).to_have_text(value)

    (outcome,) = live_server.query(lambda: _outcomes(title))
    assert outcome.organisation_id == live_server.query(_organisation_id)
    assert outcome.validation_status is ValidationStatus.VALIDATED
    assert (outcome.start_date, outcome.hours_per_week, outcome.hourly_pay) == (on, HOURS, PAY)
    assert outcome.priority_group == 1
    # It counts as a LEP job outcome while the employer has an agreement in force (the demo
    # data has none; another journey may have added one).
    assert outcome.counts_as_lep is live_server.query(
        lambda: agreement_active_on(outcome.organisation_id, on)
    )
    assert live_server.query(lambda: _referrals(title)) == [
        (first.reference, TraineeStatus.COMPLETED, True),
        (second.reference, TraineeStatus.COMPLETED, False),
    ]
