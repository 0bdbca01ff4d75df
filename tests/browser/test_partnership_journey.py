"""A training provider as a LEP partner, in a real browser (issue 18).

The district's TPPM offers a provider the LEP Partnership Agreement. The provider's user
first tries to accept without ticking the declaration (an error), then accepts it: the GOV.UK
confirmation says who and when. Under it the provider records its own verbal agreement with an
employer whose single point of contact is told, enters a customer with consent, puts them
forward to a live Jobcentre Plus LEP vacancy, and reports them placed into that job: an
outcome waiting for the employer's confirmation, counted as a Jobcentre Plus outcome that
names the provider. Every page is checked with axe and for console errors.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app import clock
from app.auth.models import User
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from app.mail.models import OutboxMessage
from app.outcomes.models import JobOutcome, OutcomeSource, ValidationStatus
from app.partnerships.models import ProviderAgreement
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in, sign_out
from tests.factories import PASSWORD, OrganisationFactory, ProviderUserFactory, employer_user
from tests.referral_factories import active_agreement, live_vacancy

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]
TPPM = "tppm@demo.lep.example"  # Gareth Price, Leeds City
DAM = "dam@demo.lep.example"


@dataclass(frozen=True)
class World:
    provider_id: uuid.UUID
    provider_name: str
    provider_email: str
    employer: str
    spoc_email: str
    job_title: str
    vacancy_employer: str


def _prepare(tag: str) -> World:
    tppm = db.session.scalar(select(User).where(User.email == TPPM))
    spoc = db.session.scalar(select(User).where(User.email == DAM))
    user = ProviderUserFactory(
        email=f"partner{tag}@provider.example",
        name="Femi Okoro",
        provider__name=f"Aire Skills {tag}",
        provider__district=tppm.district,
    )
    employer = OrganisationFactory(
        name=f"Headrow Bakery {tag}", district=tppm.district, contact=spoc
    )
    lep_employer = OrganisationFactory(name=f"Calls Hotel {tag}", district=tppm.district)
    employer_user(lep_employer, email=f"owner{tag}@example.org")
    active_agreement(lep_employer)
    vacancy = live_vacancy(lep_employer, job_title=f"Room attendant {tag}", hourly_pay="13.00")
    db.session.commit()
    return World(
        user.provider_id,
        user.provider.name,
        user.email,
        employer.name,
        spoc.email,
        vacancy.job_title,
        lep_employer.name,
    )


def _fill_date(scope: Any, legend: str, day: dt.date) -> None:
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_a_provider_accepts_agrees_puts_forward_and_reports_a_placement(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    tag = uuid.uuid4().hex[:6]
    world = live_server.query(lambda: _prepare(tag))

    # The TPPM offers the agreement from the provider's page.
    sign_in(page, TPPM, DEMO_PASSWORD, check)
    page.goto(f"/training-providers/{world.provider_id}")
    page.get_by_role("link", name="LEP Partnership Agreement").click()
    check(page)
    page.get_by_role("button", name="Offer the LEP Partnership Agreement").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("offered to")
    expect(page.get_by_test_id("partnership")).to_contain_text("Waiting for the provider")
    check(page)
    sign_out(page)

    # The provider accepts it: first without the declaration, then with it.
    sign_in(page, world.provider_email, PASSWORD, check)
    page.get_by_role("link", name="LEP partnership").click()
    expect(page.get_by_test_id("partnership")).to_contain_text("Waiting for you to accept")
    check(page)
    page.get_by_role("button", name="Accept the agreement").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm that you accept")
    check(page)
    page.get_by_label("I accept the LEP Partnership Agreement on behalf of my organisation").check()
    page.get_by_role("button", name="Accept the agreement").click()
    expect(page.locator(".govuk-panel")).to_contain_text("LEP Partnership Agreement accepted")
    expect(page.locator(".govuk-panel")).to_contain_text("Femi Okoro")
    check(page)
    page.screenshot(path="/tmp/partners-accepted.png", full_page=True)

    # Its own verbal agreement with an employer that has a SPOC.
    page.get_by_role("link", name="Record a LEP agreement with an employer").click()
    check(page)
    page.get_by_label("Employer").select_option(label=world.employer)
    page.get_by_label("Meeting").check()
    page.get_by_label("Work trials").check()
    page.locator("#work_trials_places").fill("2")
    page.get_by_role("button", name="Save agreement").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("has been told")
    expect(page.get_by_test_id("contact")).to_contain_text("told of this agreement")
    check(page)

    # A customer of its own, with consent.
    page.get_by_role("link", name="LEP partnership").click()
    page.get_by_role("link", name="Your customers").click()
    check(page)
    page.get_by_role("button", name="Add a customer").click()
    check(page)
    page.get_by_label("Customer reference number").fill(f"PV{tag}")
    page.get_by_label("First name").fill("Dara")
    page.get_by_label("Last name").fill("Quinn")
    _fill_date(page, "Date of birth", dt.date(1992, 5, 17))
    page.get_by_label("Home postcode").fill("ls9 8ab")
    page.get_by_label("Jobseeker's Allowance").check()
    _fill_date(page, "Date the claim started", clock.today() - dt.timedelta(days=300))
    page.get_by_label("Green: ready for work").check()
    page.get_by_label("Yes, consent given").check()
    page.get_by_role("button", name="Save customer").click()
    expect(page.locator("h1")).to_have_text("Dara Quinn")
    expect(page.get_by_test_id("consent")).to_have_text("Consent given")
    check(page)

    # Put forward to a live Jobcentre Plus LEP vacancy.
    page.get_by_role("link", name="LEP partnership").click()
    page.get_by_role("link", name="Live LEP vacancies").click()
    check(page)
    page.get_by_role("link", name=world.job_title).click()
    check(page)
    page.screenshot(path="/tmp/partners-vacancy.png", full_page=True)
    page.get_by_label("Dara Quinn").check()
    page.get_by_role("button", name="Put the selected customers forward").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("1 customer put forward")
    check(page)

    # The placement, through the vacancy.
    page.get_by_role("link", name="LEP partnership").click()
    page.get_by_role("link", name="Your customers").click()
    page.get_by_role("link", name="Dara Quinn", exact=True).click()
    page.get_by_role("button", name="Report a placement").click()
    check(page)
    page.get_by_label(f"{world.job_title} at {world.vacancy_employer}").check()
    _fill_date(page, "When did they start work?", clock.today())
    page.get_by_label("Hours a week").fill("30")
    page.get_by_label("Pay per hour").fill("13.00")
    page.get_by_role("button", name="Report the placement").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Placement reported")
    expect(page.locator("table")).to_contain_text("Jobcentre Plus LEP vacancy")
    check(page)

    def recorded() -> tuple:
        outcome = db.session.scalar(
            select(JobOutcome)
            .join(JobOutcome.customer)
            .where(JobOutcome.provider_id == world.provider_id)
        )
        agreement = db.session.scalar(
            select(ProviderAgreement).where(ProviderAgreement.provider_id == world.provider_id)
        )
        told = db.session.scalar(
            select(OutboxMessage.id).where(
                OutboxMessage.recipient == world.spoc_email,
                OutboxMessage.kind == "partnership_employer_agreement",
            )
        )
        return outcome.source, outcome.validation_status, agreement is not None, told is not None

    assert live_server.query(recorded) == (
        OutcomeSource.JOBCENTRE_PLUS,
        ValidationStatus.AWAITING_EMPLOYER,
        True,
        True,
    )
