"""Candidates, referrals, the employer's candidate review and validated job outcomes.

An adviser records a consented, green customer; staff refer them to a live vacancy; the
employer opens the candidate (which is audited), arranges an interview and records a start
at lawful pay; the outcome is validated, counted as LEP in the right priority group, with
the recruitment subsidy shown. A customer who withdraws consent vanishes from the employer's
view at once. Every page visited is checked with axe (WCAG 2.2 A and AA) and for console
errors.
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
from sqlalchemy import func, select

from app.accounts.models import Organisation
from app.agreements.models import (
    AgreedMeasure,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Channel,
    Measure,
)
from app.auth.models import User
from app.customers.models import AuditEntry, Customer, Readiness
from app.customers.rules import add_months
from app.customers.services import create_customer, set_consent
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from app.mail.models import OutboxMessage
from app.models_base import utcnow
from app.outcomes.models import JobOutcome, ValidationStatus
from app.outcomes.services import age_on, agreement_active_on, today
from app.referrals.services import VIEWED_CANDIDATE_AUDIT
from app.vacancies.models import ContractType, PayPeriod, Vacancy, VacancyStatus
from app.vacancies.rules import minimum_hourly_wage
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in, sign_out

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]

ADVISER = "adviser@demo.lep.example"  # Sam Taylor, Wakefield, West Yorkshire
EMPLOYER = "large@demo.lep.example"  # Fiona McAllister, owner of Northern Retail Group (Leeds)
EMPLOYER_NAME = "Northern Retail Group"
LMRA = "lmra@demo.lep.example"

BORN = dt.date(1994, 5, 14)
HOURS = Decimal("30")
PAY = Decimal("13.75")
# Words the employer must never read about a candidate: benefits, priority group, health.
SENSITIVE = re.compile(
    r"jobseeker|allowance|benefit|\bJSA\b|claim|priority group|disab|health|lone parent",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class World:
    vacancy_id: uuid.UUID
    job_title: str
    organisation_id: uuid.UUID
    employer_id: uuid.UUID
    second_customer: str  # the name of a consented customer created here


def _prepare(tag: str) -> World:
    """What the demo data lacks: a live retail vacancy of Northern Retail Group (in the
    adviser's district, West Yorkshire), an agreement in force so its starts count as LEP,
    and a second consented, green customer on the adviser's caseload who fits the vacancy."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == EMPLOYER_NAME))
    employer = db.session.scalar(select(User).where(User.email == EMPLOYER))
    adviser = db.session.scalar(select(User).where(User.email == ADVISER))
    assert organisation.district_id == adviser.district_id
    job_title = f"Stock assistant {tag}"
    vacancy = Vacancy(
        id=uuid.uuid4(),
        organisation_id=organisation.id,
        site_id=organisation.sites[0].id,
        district_id=organisation.district_id,
        created_by_id=employer.id,
        status=VacancyStatus.LIVE,
        job_title=job_title,
        sector="retail",
        occupation="Stock assistant",
        description="Unloading deliveries and filling shelves on the shop floor.",
        positions=2,
        hours_per_week=HOURS,
        contract_type=ContractType.PERMANENT,
        pay_amount=PAY,
        pay_period=PayPeriod.HOURLY,
        hourly_pay=PAY,
        youngest_age=18,
        closing_date=today() + dt.timedelta(days=30),
        how_to_apply="Through Jobcentre Plus.",
        fair_shot_advice=[],
        submitted_at=utcnow() - dt.timedelta(days=3),
        live_at=utcnow() - dt.timedelta(days=2),
    )
    db.session.add(vacancy)
    if not agreement_active_on(organisation.id, today()):
        lmra = db.session.scalar(select(User).where(User.email == LMRA))
        agreed_on = today() - dt.timedelta(days=90)
        agreement = Agreement(
            organisation_id=organisation.id, status=AgreementStatus.ACTIVE, started_on=agreed_on
        )
        version = AgreementVersion(
            agreement=agreement,
            number=1,
            taken_by_id=lmra.id,
            agreed_on=agreed_on,
            channel=Channel.MEETING,
            priority_groups=[1, 2, 3, 4],
        )
        db.session.add_all(
            [
                agreement,
                version,
                AgreedMeasure(version=version, measure=Measure.GUARANTEED_INTERVIEWS),
            ]
        )
    second = create_customer(
        {
            "reference": f"LEP{tag}B",
            "first_name": "Callum",
            "last_name": "Ferreira",
            "date_of_birth": dt.date(1999, 9, 2),
            "postcode": "LS8 2QR",
            "benefit": None,
            "claim_start": None,
            "goal_sectors": ["retail"],
            "min_hours": 20,
            "max_hours": 40,
            "travel_miles": 10,
        },
        adviser=adviser,
        readiness=Readiness.GREEN,
    )
    set_consent(second, True, adviser, "Signed form")
    db.session.commit()
    return World(vacancy.id, job_title, organisation.id, employer.id, second.name)


def _fill_date(scope: Any, legend: str, day: dt.date) -> None:
    group = scope.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _record_customer(page: Any, reference: str, claim_start: dt.date) -> None:
    page.get_by_label("Customer reference number").fill(reference)
    page.get_by_label("First name").fill("Aisha")
    page.get_by_label("Last name").fill("Brennan-Okafor")
    _fill_date(page, "Date of birth", BORN)
    page.get_by_label("Home postcode").fill("ls6 1aa")
    page.get_by_label("Jobseeker's Allowance").check()
    _fill_date(page, "Date the claim started", claim_start)
    page.get_by_role("group", name="Sectors the customer wants to work in").get_by_label(
        "Retail", exact=True
    ).check()
    page.get_by_label("Jobs the customer is looking for (optional)").fill("Shop or stock work")
    page.get_by_label("Minimum hours a week (optional)").fill("16")
    page.get_by_label("Maximum hours a week (optional)").fill("37")
    page.get_by_label("Work experience (optional)").fill(
        "Two years stacking shelves at a cash and carry."
    )
    page.get_by_label("Availability (optional)").fill("Weekdays and Saturdays")
    page.get_by_label("Green: ready for work").check()


def _views_audited(reference: str, world: World) -> int:
    """How many times the employer's owner has opened the customer's candidate details."""
    return db.session.scalar(
        select(func.count(AuditEntry.id))
        .join(Customer, Customer.id == AuditEntry.customer_id)
        .where(
            Customer.reference == reference,
            AuditEntry.user_id == world.employer_id,
            AuditEntry.organisation_id == world.organisation_id,
            AuditEntry.action == VIEWED_CANDIDATE_AUDIT,
        )
    )


def _invitations_to_adviser() -> int:
    return db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.recipient == ADVISER, OutboxMessage.kind == "referral_interview"
        )
    )


def _outcome_of(reference: str) -> JobOutcome:
    return db.session.scalar(
        select(JobOutcome).join(Customer).where(Customer.reference == reference)
    )


def test_a_referred_customer_starts_work_and_one_who_withdraws_consent_vanishes(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    tag = uuid.uuid4().hex[:6].upper()
    world = live_server.query(lambda: _prepare(tag))
    name = "Aisha Brennan-Okafor"
    reference = f"LEP{tag}A"
    on = today()
    claim_start = add_months(on, -7)  # JSA for 7 months: priority group 2 on the start date

    # --- the adviser records the customer and their consent --------------------------------
    sign_in(page, ADVISER, DEMO_PASSWORD, check)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam Taylor")
    check(page)
    page.get_by_role("link", name="Customers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Customers")
    check(page)
    page.get_by_role("button", name="Add a customer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a customer")
    check(page)
    _record_customer(page, reference, claim_start)
    page.get_by_role("button", name="Save customer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text(f"Customer record created for {name}.")).to_be_visible()
    expect(page.get_by_text("Priority group 2: claiming Jobseeker's Allowance")).to_be_visible()
    check(page)

    page.get_by_role("link", name="Record consent given or withdrawn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record consent")
    check(page)
    page.get_by_label("Yes, consent given").check()
    page.get_by_label("Note (optional)").fill("Signed the consent form at the Wakefield office")
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text(f"Consent recorded: {name}’s details can be shared")).to_be_visible()
    check(page)

    # --- staff refer them (and a second consented customer) to the live vacancy ------------
    page.get_by_role("link", name="Live vacancies").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Live vacancies in your district")
    check(page)
    row = page.get_by_role("row").filter(has_text=world.job_title)
    expect(row).to_contain_text(EMPLOYER_NAME)
    row.get_by_role("link", name=f"Suggest candidates for {world.job_title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Suggested customers for {world.job_title}"
    )
    check(page)
    suggestion = page.get_by_role("row").filter(has_text=name)
    for reason in (
        "Wants to work in Retail",
        "30 hours a week is within the 16 to 37 hours a week they want",
        "Lives in the same postcode area (LS)",
        "Priority group 2: LEP vacancies are for them first",
    ):
        expect(suggestion.get_by_role("listitem").filter(has_text=reason)).to_have_count(1)
    page.get_by_label(name).check()
    page.get_by_label(world.second_customer).check()
    page.get_by_label("Note for the employer (optional)").fill(
        "Both keen to start soon; Aisha has shelf-stacking experience."
    )
    page.get_by_role("button", name="Refer the selected customers").click()
    expect(page.get_by_text("2 customers referred.")).to_be_visible()
    # Referred customers are no longer suggested for this vacancy.
    expect(page.get_by_label(name)).to_have_count(0)
    check(page)
    sign_out(page)
    check(page)

    # --- the employer reviews the candidate ------------------------------------------------
    sign_in(page, EMPLOYER, DEMO_PASSWORD, check)
    expect(page.get_by_role("heading", level=1)).to_have_text(EMPLOYER_NAME)
    check(page)
    page.get_by_role("link", name=f"2 candidates for {world.job_title}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Candidates for {world.job_title}")
    check(page)
    review_url = page.url
    second_link = page.get_by_role("link", name=world.second_customer, exact=True)
    second_url = live_server.url + second_link.get_attribute("href")

    assert live_server.query(lambda: _views_audited(reference, world)) == 0
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    check(page)
    main = page.locator("main")
    expect(main).to_contain_text("Two years stacking shelves at a cash and carry.")
    expect(main).to_contain_text("Both keen to start soon")
    found = SENSITIVE.findall(main.inner_text())
    assert not found, f"the employer can read {found} about the candidate"
    # Opening the candidate's details is audited: who, for which employer, whose details.
    assert live_server.query(lambda: _views_audited(reference, world)) == 1

    invitations = live_server.query(_invitations_to_adviser)
    interview_day = on + dt.timedelta(days=7)
    interview = page.locator("#step-interview")
    interview.get_by_text("Arrange an interview").click()
    _fill_date(interview, "Date of the interview", interview_day)
    interview.get_by_label("Time").fill("10:30am")
    interview.get_by_label("Where").fill("80 Briggate, Leeds. Ask for Fiona at the front desk.")
    interview.get_by_role("group", name="Is this a guaranteed interview?").get_by_label(
        "Yes"
    ).check()
    interview.get_by_role("button", name="Arrange the interview").click()
    expect(
        page.get_by_text("Interview arranged. You and their adviser have been sent the invitation.")
    ).to_be_visible()
    status = page.locator("#candidate-status")
    expect(status).to_contain_text("Interview arranged")
    expect(status).to_contain_text("80 Briggate, Leeds")
    check(page)
    assert live_server.query(_invitations_to_adviser) == invitations + 1

    age = age_on(BORN, on)
    assert minimum_hourly_wage(on, age) <= PAY  # lawful pay for their age on the start date
    start = page.locator("#step-start")
    start.get_by_text("Record a start").click()
    _fill_date(start, "Start date", on)
    start.get_by_label("Hours a week").fill(str(HOURS))
    start.get_by_label("Hourly pay").fill(str(PAY))
    start.get_by_role("button", name="Record the start").click()
    expect(
        page.get_by_text("Start recorded. Thank you: this counts as a job outcome.")
    ).to_be_visible()
    expect(page.locator("#candidate-status")).to_contain_text("Started")
    check(page)

    # --- the outcome: validated, counted as LEP, priority group 2, subsidy eligible --------
    page.goto("/outcomes")
    expect(page.get_by_role("heading", level=1)).to_have_text("People who started work with you")
    check(page)
    outcome_row = page.get_by_role("row").filter(has_text=name)
    expect(outcome_row).to_contain_text(world.job_title)
    expect(outcome_row).to_contain_text("Confirmed")
    expect(outcome_row).to_contain_text("£1,000 recruitment subsidy: eligible")
    outcome = live_server.query(lambda: _outcome_of(reference))
    assert outcome is not None
    assert outcome.validation_status is ValidationStatus.VALIDATED
    assert outcome.counts_as_lep is True
    assert outcome.priority_group == 2
    assert outcome.subsidy_eligible is True
    assert (outcome.start_date, outcome.hours_per_week, outcome.hourly_pay) == (on, HOURS, PAY)

    # --- the second customer withdraws consent: gone from the employer's view at once ------
    page.goto(second_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(world.second_customer)
    check(page)
    sign_out(page)
    check(page)
    sign_in(page, ADVISER, DEMO_PASSWORD, check)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam Taylor")
    check(page)
    page.get_by_role("link", name="Customers", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Customers")
    check(page)
    page.get_by_role("link", name=world.second_customer).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world.second_customer)
    check(page)
    page.get_by_role("link", name="Record consent given or withdrawn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record consent")
    check(page)
    page.get_by_label("No, consent withdrawn or refused").check()
    page.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("Consent withdrawn: employers and training providers")).to_be_visible()
    check(page)
    sign_out(page)
    check(page)

    sign_in(page, EMPLOYER, DEMO_PASSWORD, check)
    expect(page.get_by_role("heading", level=1)).to_have_text(EMPLOYER_NAME)
    # Nobody is left waiting for a decision: one started, the other is no longer shared.
    expect(page.get_by_role("link", name=re.compile(f"for {world.job_title}$"))).to_have_count(0)
    check(page)
    page.goto(review_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Candidates for {world.job_title}")
    expect(page.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(page.get_by_text(world.second_customer)).to_have_count(0)
    check(page)
    response = page.goto(second_url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text(world.second_customer)).to_have_count(0)
    check(page)
