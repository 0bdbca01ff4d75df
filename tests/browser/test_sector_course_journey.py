"""PET for SMEs grouped by sector, through the real pages.

A TPPM designs a hospitality sector course from the toolkit and invites three SMEs of the
district, each with the guaranteed interviews it is asked to offer (one wrong number first);
each SME signs in, finds the invitation on its home page and joins with its interviews (one
tries a wrong number first); the TPPM's course page shows the three employers and the
interviews offered; the provider sees one course. Five trainees complete: each SME's cohort
shows only the people given a guaranteed interview with it, in proportion to its offer, and
its own share. Every page visited is checked with axe (WCAG 2.2 A and AA) and for console
errors.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.models import Organisation, SizeBand
from app.auth.models import Role, User
from app.clock import today
from app.customers.models import Customer
from app.extensions import db
from app.guarantees import services as guarantees
from app.guarantees.models import Guarantee
from app.pet.models import (
    Course,
    CourseEmployer,
    CourseEmployerStatus,
    CourseModel,
    CourseReferral,
    TraineeStatus,
)
from tests.account_factories import staff_in
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in, sign_out
from tests.customer_factories import CustomerFactory
from tests.factories import (
    PASSWORD,
    DistrictFactory,
    OrganisationFactory,
    ProviderUserFactory,
    TrainingProviderFactory,
    employer_user,
)

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]
# The three SMEs and the interviews each offers on joining: 12 places, 10 interviews.
OFFERS = (("Corn Exchange Café", 4), ("Headrow Kitchen", 4), ("Kirkgate Bakery", 2))


def _prepare(tag: str) -> dict:
    """A district of the journey's own with its TPPM and adviser, a training provider with a
    user, three hospitality SMEs with an owner each, a large employer and an SME of another
    sector (neither offered)."""
    district = DistrictFactory(name=f"Sector district {tag}")
    tppm = staff_in(district, Role.TPPM, name=f"Tess Price {tag}", email=f"tppm{tag}@jcp.example")
    adviser = staff_in(district, Role.ADVISER, email=f"adviser{tag}@jcp.example")
    provider = TrainingProviderFactory(district=district, name=f"Skills {tag}")
    provider_user = ProviderUserFactory(provider=provider, email=f"provider{tag}@example.org")
    smes = {}
    for name, _interviews in OFFERS:
        organisation = OrganisationFactory(
            district=district, name=f"{name} {tag}", size_band=SizeBand.SME, sector="hospitality"
        )
        smes[name] = employer_user(
            organisation, email=f"{name.split()[0].lower()}{tag}@example.org"
        ).email
    OrganisationFactory(district=district, name=f"Grand Hotels {tag}", size_band=SizeBand.LARGE)
    OrganisationFactory(district=district, name=f"Builders {tag}", sector="construction")
    db.session.commit()
    return {
        "tppm": tppm.email,
        "adviser_id": adviser.id,
        "provider": provider.name,
        "provider_user": provider_user.email,
        "smes": smes,
    }


def _signed_in(page: Any, email: str, check: Check) -> None:
    sign_in(page, email, PASSWORD, check)
    page.wait_for_url(re.compile(r"^(?!.*/sign-in).*$"))
    check(page)


def _fill_date(scope: Any, legend: str, day: dt.date) -> None:
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _places(title: str) -> list[tuple[str, CourseEmployerStatus, int | None]]:
    return [
        (name, status, interviews)
        for name, status, interviews in db.session.execute(
            select(Organisation.name, CourseEmployer.status, CourseEmployer.guaranteed_interviews)
            .join(CourseEmployer, CourseEmployer.organisation_id == Organisation.id)
            .join(Course, Course.id == CourseEmployer.course_id)
            .where(Course.title == title)
            .order_by(Organisation.name)
        )
    ]


def _complete_five(title: str, adviser_id: uuid.UUID, tag: str) -> list[str]:
    """Five consenting lone parents of the district completed the course today: each is owed
    a guaranteed interview by one employer, as the provider's completion opens them."""
    course = db.session.scalar(select(Course).where(Course.title == title))
    adviser = db.session.get(User, adviser_id)
    names = []
    trainees = []
    for number, first in enumerate(("Ada", "Ben", "Cara", "Dev", "Eve")):
        customer = CustomerFactory(
            reference=f"SC{tag}{number}",
            district=course.district,
            adviser=adviser,
            first_name=first,
            last_name=f"Stone{tag}",
            lone_parent=True,
            benefit=None,
            claim_start=None,
        )
        trainee = CourseReferral(
            course=course,
            customer=customer,
            referred_by_id=adviser_id,
            status=TraineeStatus.COMPLETED,
            started_on=today() - dt.timedelta(days=14),
            completed_on=today(),
        )
        db.session.add(trainee)
        trainees.append(trainee)
        names.append(f"{first} Stone{tag}")
    db.session.flush()
    guarantees.open_for_completers([trainee.id for trainee in trainees], today())
    db.session.commit()
    return names


def _owed(title: str) -> dict[str, list[str]]:
    """Each employer's completers, by name: those owed a guaranteed interview by it."""
    owed: dict[str, list[str]] = {}
    for employer, first, last in db.session.execute(
        select(Organisation.name, Customer.first_name, Customer.last_name)
        .select_from(Guarantee)
        .join(Organisation, Organisation.id == Guarantee.organisation_id)
        .join(CourseReferral, CourseReferral.id == Guarantee.course_referral_id)
        .join(Course, Course.id == CourseReferral.course_id)
        .join(Customer, Customer.id == CourseReferral.customer_id)
        .where(Course.title == title)
    ):
        owed.setdefault(employer, []).append(f"{first} {last}")
    return owed


def test_three_smes_join_one_sector_course_and_each_sees_only_its_share(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    tag = uuid.uuid4().hex[:6]
    title = f"Hospitality sector course {tag}"
    world = live_server.query(lambda: _prepare(tag))

    # --- the TPPM designs a sector course from the hospitality toolkit ------------------------
    _signed_in(page, world["tppm"], check)
    page.get_by_role("link", name="Training courses", exact=True).first.click()
    check(page)
    page.get_by_role("button", name="Create a course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Create a training course")
    check(page)
    page.get_by_label("Sector course for several employers").check()
    page.get_by_role(
        "group", name="Which Sector Employability Toolkit does it start from?"
    ).get_by_label("Hospitality", exact=True).check()
    page.get_by_label("Course title").fill(title)
    page.get_by_label("Training provider", exact=True).select_option(label=world["provider"])
    page.get_by_label("The training provider's premises").check()
    _fill_date(page, "Start date", today() + dt.timedelta(days=21))
    page.get_by_label("Number of places").fill("12")
    page.get_by_label("A guaranteed interview", exact=True).check()
    page.get_by_role("button", name="Create course").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Invite employers to {title}")
    expect(page.get_by_text("Now invite the small and medium-sized employers")).to_be_visible()
    check(page)
    course = live_server.query(
        lambda: db.session.scalar(select(Course).where(Course.title == title))
    )
    assert course.model is CourseModel.SECTOR and course.weekly_hours == [30.0, 30.0]
    course_url = f"/courses/{course.id}"

    # Only the district's SMEs of the sector are offered.
    radios = page.get_by_role("group", name="Which employer are you inviting?")
    for name, _interviews in OFFERS:
        expect(radios.get_by_label(f"{name} {tag}")).to_be_visible()
    expect(page.get_by_text(f"Grand Hotels {tag}")).to_have_count(0)
    expect(page.get_by_text(f"Builders {tag}")).to_have_count(0)

    # --- it invites the three, each with interviews; a wrong number first ---------------------
    asked = {"Corn Exchange Café": "3", "Headrow Kitchen": "4", "Kirkgate Bakery": "2"}
    for number, (name, interviews) in enumerate(asked.items()):
        page.get_by_label("Search by name").fill(name.split()[0])
        page.get_by_role("button", name="Search").click()
        check(page)
        page.get_by_label(f"{name} {tag}").check()
        field = page.get_by_label("How many guaranteed interviews are you asking it to offer?")
        if number == 0:
            field.fill("13")
            page.get_by_role("button", name="Send the invitation").click()
            expect(page.locator(".govuk-error-summary")).to_contain_text(
                "no more than the course’s 12 places"
            )
            check(page)
            field = page.get_by_label("How many guaranteed interviews are you asking it to offer?")
        field.fill(interviews)
        page.get_by_role("button", name="Send the invitation").click()
        expect(page.get_by_text(f"Invitation sent to {name} {tag}.")).to_be_visible()
        check(page)
    expect(page.get_by_test_id("invited-so-far").get_by_text("Invited")).to_have_count(3)
    assert [status for _n, status, _i in live_server.query(lambda: _places(title))] == [
        CourseEmployerStatus.INVITED
    ] * 3
    sign_out(page)
    check(page)

    # --- each SME signs in and joins with its interviews --------------------------------------
    for number, (name, offered) in enumerate(OFFERS):
        _signed_in(page, world["smes"][name], check)
        page.get_by_role("link", name=re.compile(rf"^Join {re.escape(title)}\?")).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Join {title}?")
        check(page)
        field = page.get_by_label("How many guaranteed interviews will you offer?")
        expect(field).to_have_value(asked[name])
        page.get_by_label("Yes, join the course").check()
        if number == 0:
            field.fill("0")
            page.get_by_role("button", name="Send your answer").click()
            expect(page.locator(".govuk-error-summary")).to_contain_text("must be 1 or more")
            check(page)
            page.get_by_label("Yes, join the course").check()
            field = page.get_by_label("How many guaranteed interviews will you offer?")
        field.fill(str(offered))
        page.get_by_role("button", name="Send your answer").click()
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        expect(page.get_by_text(f"You have joined {title}, offering {offered}")).to_be_visible()
        share = round(offered * 100 / 12)
        expect(page.locator("#your-share")).to_contain_text(f"{offered} of 12 places ({share}%)")
        check(page)
        sign_out(page)
        check(page)
    assert live_server.query(lambda: _places(title)) == [
        (f"{name} {tag}", CourseEmployerStatus.JOINED, offered) for name, offered in OFFERS
    ]

    # --- the TPPM's course page shows the three employers -------------------------------------
    _signed_in(page, world["tppm"], check)
    page.goto(course_url)
    check(page)
    employers = page.locator("#course-employers")
    for name, offered in OFFERS:
        row = employers.get_by_role("row").filter(has_text=f"{name} {tag}")
        expect(row).to_contain_text("Joined")
        expect(row).to_contain_text(str(offered))
    expect(page.get_by_test_id("employers-summary")).to_contain_text("3 employers have joined.")
    expect(page.get_by_test_id("employers-summary")).to_contain_text(
        "Guaranteed interviews offered: 10, for the course’s 12 places."
    )
    sign_out(page)
    check(page)

    # --- the provider sees one course --------------------------------------------------------
    _signed_in(page, world["provider_user"], check)
    page.goto("/courses")
    check(page)
    expect(page.get_by_role("link", name=title, exact=True)).to_have_count(1)
    sign_out(page)
    check(page)

    # --- five complete: each SME sees only the people owed an interview by it -----------------
    everyone = live_server.query(lambda: _complete_five(title, world["adviser_id"], tag))
    owed = live_server.query(lambda: _owed(title))
    # 4, 4 and 2 interviews for 5 completers: 2, 2 and 1, nobody owed twice.
    assert sorted(len(names) for names in owed.values()) == [1, 2, 2]
    assert sorted(name for names in owed.values() for name in names) == sorted(everyone)
    kitchen = f"Headrow Kitchen {tag}"
    _signed_in(page, world["smes"]["Headrow Kitchen"], check)
    page.goto(course_url)
    check(page)
    expect(page.get_by_text("Your organisation and 2 other employers")).to_be_visible()
    for other in ("Corn Exchange Café", "Kirkgate Bakery"):
        expect(page.get_by_text(f"{other} {tag}")).to_have_count(0)
    page.get_by_role("link", name="See the cohort, interviews, hires").click()
    check(page)
    cohort = page.locator("#cohort")
    for name in everyone:
        expect(cohort.get_by_role("row").filter(has_text=name)).to_have_count(
            1 if name in owed[kitchen] else 0
        )
    expect(page.locator('[data-share="allotted"]')).to_have_text(str(len(owed[kitchen])))
    expect(page.locator('[data-share="share"]')).to_have_text("4 of 12 places (33%)")
    sign_out(page)
    check(page)
