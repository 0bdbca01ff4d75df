"""Guaranteed interviews kept, answered and chased, in a real browser.

A PET cohort of three completes (the provider records each completion): the course
guarantees each completer an interview with the employer, due in ten working days. The
employer sees them due on its home page, books one completer's interview from the cohort
page, and says why it could not offer another (first "Another reason" without words: an
error). Three weeks later the third is overdue: the chase emails the employer and its single
point of contact once (a second run sends nothing), and the LMRA finds it on the call-back
queue as work to chase. The coordinator's MI rate kept matches an independent count. Then
the LMRA, acting for the employer by phone, records a candidate not selected with a reason
and another's start, and the employer sees "Done for you by NAME, by phone". Every page is
checked with axe and for console errors; some are photographed at 320 px.
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

from app import clock
from app.accounts.models import AssistedChange
from app.auth.models import Role
from app.extensions import db
from app.guarantees import services as guarantee_services
from app.guarantees.models import Guarantee
from app.guarantees.rules import Outcome
from app.mail.models import OutboxMessage
from app.pet.models import CourseReferral
from app.statuses import CourseStatus, ReferralStatus, TraineeStatus
from tests.account_factories import account, staff_in
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in, sign_out
from tests.factories import PASSWORD, DistrictFactory, ProviderUserFactory, TrainingProviderFactory
from tests.pet_factories import CourseFactory
from tests.referral_factories import fitting_customer, live_vacancy, referral

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]
SHOTS = "/tmp/guarantees-{}.png"


def _prepare(tag: str) -> dict:
    today = clock.today()
    district = DistrictFactory(name=f"Guarantee district {tag}")
    dam = staff_in(district, Role.DAM, name=f"Dana Adams {tag}", email=f"dam{tag}@jcp.example")
    lmra = staff_in(district, Role.LMRA, name="Lee Morris", email=f"lmra{tag}@jcp.example")
    coordinator = staff_in(district, Role.COORDINATOR, email=f"coord{tag}@jcp.example")
    organisation = account(dam, name=f"Kirkgate Bakery {tag}")
    employer = organisation.memberships[0].user
    employer.email = f"employer{tag}@example.org"
    provider = TrainingProviderFactory(district=district, name=f"Skills {tag}")
    provider_user = ProviderUserFactory(provider=provider, email=f"provider{tag}@example.org")
    course = CourseFactory(
        title=f"Bakery routeway {tag}",
        district=district,
        provider=provider,
        created_by=dam,
        employers=[organisation],
        status=CourseStatus.RUNNING,
        start_date=today - dt.timedelta(days=14),
    )
    vacancy = live_vacancy(organisation, job_title=f"Baker {tag}")
    names = []
    for first in ("Ada", "Ben", "Cara"):
        person = fitting_customer(vacancy, first_name=first, last_name=f"Stone {tag}")
        db.session.add(
            CourseReferral(
                course=course,
                customer=person,
                referred_by=person.adviser,
                status=TraineeStatus.STARTED,
                started_on=today - dt.timedelta(days=14),
            )
        )
        names.append(person.name)
    declined = referral(vacancy, status=ReferralStatus.SHORTLISTED)
    hired = referral(vacancy, status=ReferralStatus.OFFERED)
    db.session.commit()
    return {
        "course_id": str(course.id),
        "organisation_id": str(organisation.id),
        "organisation": organisation.name,
        "district_id": district.id,
        "employer": employer.email,
        "dam": dam.email,
        "lmra": lmra.email,
        "coordinator": coordinator.email,
        "provider": provider_user.email,
        "trainees": names,
        "declined": (str(declined.id), declined.customer.reference),
        "hired": (str(hired.id), hired.customer.reference),
        "course": course.title,
    }


def _fill_date(scope: Any, legend: str, day: dt.date) -> None:
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _signed_in(page: Any, email: str, check: Check) -> None:
    sign_in(page, email, PASSWORD, check)
    page.wait_for_url(re.compile(r"^(?!.*/sign-in).*$"))
    check(page)


def _shot(page: Any, name: str) -> None:
    page.set_viewport_size({"width": 320, "height": 900})
    page.screenshot(path=SHOTS.format(name), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _guarantees(organisation_id: str) -> list[Guarantee]:
    return list(
        db.session.scalars(
            select(Guarantee).where(Guarantee.organisation_id == uuid.UUID(organisation_id))
        )
    )


def _chase() -> int:
    chased = guarantee_services.chase_overdue()
    db.session.commit()
    return chased


def _chased_here(world: dict) -> int:
    """This employer's guarantees chased so far: the shared live portal holds other tests'
    employers (and the demo's) with overdue guarantees of their own."""
    return len(
        db.session.scalars(
            select(Guarantee.id).where(
                Guarantee.organisation_id == uuid.UUID(world["organisation_id"]),
                Guarantee.chased_at.is_not(None),
            )
        ).all()
    )


def _chase_emails(world: dict) -> list[tuple[str, str]]:
    return sorted(
        (message.recipient, message.text_body)
        for message in db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "guarantee_overdue")
        )
        if world["organisation"] in message.subject
    )


def _independent_rate(world: dict, first: dt.date, last: dt.date) -> str:
    """Kept of those that fell due in the period and were kept, not offered or overdue,
    counted in Python from the rows, not with the figure's SQL."""
    today = clock.today()
    fell_due = kept = 0
    for guarantee in db.session.scalars(select(Guarantee)):
        if guarantee.district_id != world["district_id"]:
            continue
        if not first <= guarantee.due_on <= last:
            continue
        if guarantee.outcome is None and guarantee.due_on >= today:
            continue
        fell_due += 1
        kept += guarantee.outcome is Outcome.INTERVIEWED
    return f"{round(100 * kept / fell_due)}%"


def test_a_cohorts_guarantees_kept_answered_and_chased(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    world = live_server.query(lambda: _prepare(uuid.uuid4().hex[:6]))
    ada, ben, cara = world["trainees"]
    completed_on = clock.today()

    # --- the provider records the cohort's completions ----------------------------------------
    _signed_in(page, world["provider"], check)
    for name in world["trainees"]:
        page.goto(f"/courses/{world['course_id']}/trainees")
        page.get_by_role("link", name=name).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        _fill_date(page, "When did they complete the course?", completed_on)
        page.get_by_role("button", name="Record the completion").click()
        expect(page.get_by_text(f"Recorded that {name} completed the course.")).to_be_visible()
        check(page)
    sign_out(page)
    guarantees = live_server.query(lambda: _guarantees(world["organisation_id"]))
    assert len(guarantees) == 3
    due = guarantees[0].due_on

    # --- the employer: due on the home page; one interview booked, one declined -------------
    _signed_in(page, world["employer"], check)
    panel = page.get_by_test_id("guarantees-due")
    expect(panel).to_contain_text(f"Completed {world['course']}")
    expect(panel).to_contain_text(f"by {due.day} {due.strftime('%B %Y')}")
    _shot(page, "employer-home")
    page.get_by_role("link", name="See all your guaranteed interviews").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guaranteed interviews")
    check(page)
    page.get_by_role("link", name=f"Book the interview with {ada}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Cohort: {world['course']}")
    page.get_by_role("group", name="Who will you interview?").get_by_label(ada).check()
    _fill_date(page, "Date of the interviews", completed_on + dt.timedelta(days=3))
    page.get_by_label("Time").fill("10am")
    page.get_by_role("button", name="Book the interviews").click()
    expect(page.get_by_text("Interview booked for 1 person")).to_be_visible()
    check(page)

    page.goto("/guarantees")
    page.get_by_role("link", name=f"Say why not for {ben}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Why was the guaranteed interview not offered?"
    )
    check(page)
    page.get_by_role("radio", name="Another reason").check()
    page.get_by_role("button", name="Record the reason").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the other reason")
    expect(page).to_have_title(re.compile("^Error: "))
    check(page)
    _shot(page, "not-offered-error")
    page.get_by_role(
        "radio", name="The candidate did not meet an essential requirement stated in the vacancy"
    ).check()
    page.get_by_role("button", name="Record the reason").click()
    expect(page.get_by_text("Reason recorded")).to_be_visible()
    rows = page.get_by_test_id("guarantee-row")
    expect(rows.filter(has_text=ada)).to_contain_text("Kept")
    expect(rows.filter(has_text=ben)).to_contain_text("did not meet an essential requirement")
    expect(rows.filter(has_text=cara)).to_contain_text("Due")
    check(page)
    _shot(page, "employer-list")
    sign_out(page)

    # --- three weeks on: the third is overdue, chased once -----------------------------------
    later = clock.now() + dt.timedelta(days=21)
    clock.set_frozen(later)
    try:
        live_server.query(_chase)
        assert live_server.query(lambda: _chased_here(world)) == 1
        assert live_server.query(_chase) == 0  # once only, however often it runs
        assert live_server.query(lambda: _chased_here(world)) == 1
        sent = live_server.query(lambda: _chase_emails(world))
        assert [recipient for recipient, _body in sent] == sorted([world["employer"], world["dam"]])
        assert all(cara in body and ben not in body for _recipient, body in sent)

        _signed_in(page, world["lmra"], check)
        page.get_by_role("link", name="Call-backs", exact=True).first.click()
        notice = page.get_by_test_id("guarantees-to-chase")
        expect(notice).to_have_text(re.compile(r"\s*1 guaranteed interview overdue to chase\s*"))
        check(page)
        notice.get_by_role("link").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Guaranteed interviews to chase")
        expect(page.get_by_test_id("chase-row")).to_have_count(1)
        expect(page.get_by_test_id("chase-row")).to_contain_text(world["organisation"])
        check(page)
        _shot(page, "to-chase")
        sign_out(page)

        _signed_in(page, world["dam"], check)
        page.goto("/my-accounts")
        expect(page.get_by_test_id("guarantees-to-chase")).to_contain_text("1 guaranteed")
        check(page)
        sign_out(page)

        # --- the MI rate kept against an independent count ---------------------------------
        first, last = completed_on, clock.today()
        _signed_in(page, world["coordinator"], check)
        page.goto(
            f"/reports?period=custom&start={first.day}&start={first.month}&start={first.year}"
            f"&end={last.day}&end={last.month}&end={last.year}"
        )
        section = page.locator("section").filter(
            has=page.get_by_role("heading", name="Guaranteed interviews kept, by district")
        )
        row = section.get_by_role("row").filter(has_text="Guarantee district")
        expected = live_server.query(lambda: _independent_rate(world, first, last))
        assert expected == "33%"  # 1 kept of 3 fell due
        expect(row.locator("td").last).to_have_text(expected)
        check(page)
        _shot(page, "mi")
        sign_out(page)
    finally:
        clock.set_frozen(None)

    # --- the LMRA acts for the employer by phone: a decision and a start ----------------------
    _signed_in(page, world["lmra"], check)
    page.goto(f"/accounts/{world['organisation_id']}/act-for-employer")
    page.get_by_label("By phone").check()
    page.get_by_role("button", name="Choose").click()
    check(page)
    declined_id, declined_ref = world["declined"]
    page.get_by_role("link", name=f"Record not selected {declined_ref}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Record not selected, with the reason"
    )
    page.get_by_role("button", name="Record not selected").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select why the candidate was not selected"
    )
    check(page)
    page.get_by_role("radio", name="Lacked experience").check()
    page.get_by_role("button", name="Record not selected").click()
    expect(page.get_by_text(f"Done for {world['organisation']}")).to_be_visible()
    check(page)
    hired_id, hired_ref = world["hired"]
    page.get_by_role("link", name=f"Record a start for the employer {hired_ref}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a start")
    _fill_date(page, "Start date", clock.today())
    page.get_by_label("Hours a week").fill("37.5")
    page.get_by_label("Hourly pay").fill("13.00")
    _shot(page, "act-start")
    page.get_by_role("button", name="Record the start").click()
    expect(page.get_by_text(f"Done for {world['organisation']}")).to_be_visible()
    check(page)
    sign_out(page)
    tagged = live_server.query(
        lambda: [
            (str(change.subject_id), change.channel, change.staff.email)
            for change in db.session.scalars(
                select(AssistedChange).where(
                    AssistedChange.organisation_id == uuid.UUID(world["organisation_id"])
                )
            )
        ]
    )
    assert sorted(tagged) == sorted(
        [(declined_id, "phone", world["lmra"]), (hired_id, "phone", world["lmra"])]
    )

    _signed_in(page, world["employer"], check)
    page.goto(f"/candidates/{declined_id}")
    expect(page.get_by_test_id("done-for-you")).to_have_text("Done for you by Lee Morris, by phone")
    check(page)
    _shot(page, "employer-candidate")
