"""Vacancies, the 48-hour call-back and verbal LEP agreements, end to end in a real browser.

An SME employer posts a vacancy and is given fair-shot advice on it, then submits it; the
district's LMRA finds it in the call-back queue, due 48 working hours later, claims it, logs
a failed attempt and completes it with a new verbal LEP agreement, which makes the vacancy
live; the employer then sees the live vacancy, the agreement and its confirmation email.

The journey runs once with JavaScript off (nothing may rely on it) and once with it on,
where claiming and logging an attempt are HTMX swaps rather than page loads. Every page
visited is checked with axe (WCAG 2.2 A and AA) and for console errors.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app import clock
from app.callbacks.models import CallBack
from app.callbacks.rules import callback_due
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from app.formatting import date_long, datetime_long
from app.mail.models import OutboxMessage
from app.vacancies.models import Vacancy
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in, sign_out

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]

EMPLOYER = "Kirkgate Bakery"  # an SME in West Yorkshire, with no agreement in the demo data
OWNER_EMAIL = "sme@demo.lep.example"  # Jo Fletcher, the account's owner
RECRUITER_EMAIL = "sme.recruiter@demo.lep.example"
LMRA_EMAIL = "lmra@demo.lep.example"  # Leeds City, West Yorkshire
LMRA_NAME = "Priya Shah"
SITE = "Kirkgate shop, 12 Kirkgate, Leeds, LS2 7DJ"
# Both ask for something an entry-level job with no driving does not need.
ESSENTIAL = "A degree in any subject.\nA full UK driving licence."
# Above the National Living Wage for every age, so the pay draws no warning.
HOURLY_PAY = "13.50"

VACANCY_URL = re.compile(r"/vacancies/(?P<id>[0-9a-f-]{36})$")
CALL_URL = re.compile(r"/call-backs/[0-9a-f-]{36}(#attempts)?$")

MARK_DOCUMENT = "() => { window.__sameDocument = true; }"
SAME_DOCUMENT = "() => window.__sameDocument === true"


@dataclass(frozen=True)
class Run:
    javascript: bool
    job_title: str
    work_trial_places: int  # differs between the runs, to tell their agreements apart


def _post_vacancy(page: Any, check: Check, run: Run) -> uuid.UUID:
    """Fill in and save the vacancy form; returns the new draft's id."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Post a vacancy")
    check(page)
    page.get_by_label(SITE).check()
    page.get_by_label("Job title").fill(run.job_title)
    page.get_by_label("Sector").select_option(label="Hospitality")
    page.get_by_label("Describe the job").fill(
        "Serving customers at the counter, taking payments and restocking the shelves. "
        "Early shifts, Monday to Friday."
    )
    page.get_by_label("Number of positions").fill("2")
    page.get_by_label("Hours a week").fill("30")
    page.get_by_label("Permanent").check()
    page.get_by_label("Paid employment").check()
    page.get_by_label("Pay", exact=True).fill(HOURLY_PAY)
    page.get_by_label("An hour").check()
    expect(page.get_by_label("Youngest age the job is open to")).to_have_value("18")
    page.get_by_role("group", name="Is this an entry-level job?").get_by_label("Yes").check()
    page.get_by_role("group", name="Does the job involve driving?").get_by_label("No").check()
    page.get_by_label("Essential requirements (optional)").fill(ESSENTIAL)
    page.get_by_label("How do candidates apply?").fill(
        "Phone Jo on 0113 496 0100, or bring a CV to the shop."
    )
    closing = clock.today() + dt.timedelta(days=30)
    closing_date = page.get_by_role("group", name="Closing date")
    closing_date.get_by_label("Day").fill(str(closing.day))
    closing_date.get_by_label("Month").fill(str(closing.month))
    closing_date.get_by_label("Year").fill(str(closing.year))
    page.get_by_label("A work trial").check()
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_text("Your vacancy has been saved as a draft.")).to_be_visible()
    match = VACANCY_URL.search(page.url)
    assert match, page.url
    return uuid.UUID(match["id"])


def _expect_fair_shot_advice(page: Any) -> None:
    advice = page.locator(
        "section", has=page.get_by_role("heading", name="Give every candidate a fair shot")
    )
    expect(advice).to_be_visible()
    degree = advice.locator('[data-advice="degree_for_entry_level"]')
    expect(degree).to_contain_text("You wrote “degree”")
    expect(degree).to_contain_text("Think about whether this job really needs a degree")
    expect(degree).to_contain_text("Why: Entry-level work rarely needs a degree.")
    licence = advice.locator('[data-advice="driving_licence_not_needed"]')
    expect(licence).to_contain_text("You wrote “full UK driving licence”")
    expect(licence).to_contain_text("This job does not involve driving")
    expect(licence).to_contain_text("Why: Many jobseekers cannot afford a car")
    expect(advice.locator("[data-advice]")).to_have_count(2)


def _due(live_server: LiveServer, vacancy_id: uuid.UUID) -> tuple[uuid.UUID, str]:
    """The call-back's id, and when it is due as the pages write it: 48 working hours after
    the vacancy was submitted, on the clock of the nation the job is in."""

    def work() -> tuple[uuid.UUID, str]:
        vacancy = db.session.get(Vacancy, vacancy_id)
        assert vacancy is not None and vacancy.submitted_at is not None
        assert vacancy.district.name == "West Yorkshire"
        due = callback_due(vacancy.submitted_at, vacancy.district.nation_code)
        callback_id = db.session.scalar(
            select(CallBack.id).where(CallBack.vacancy_id == vacancy_id)
        )
        assert callback_id is not None
        with live_server.app.test_request_context():
            return callback_id, datetime_long(due)

    return live_server.query(work)


def _newest_email(live_server: LiveServer, recipient: str, kind: str) -> OutboxMessage | None:
    def work() -> OutboxMessage | None:
        message = db.session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient, OutboxMessage.kind == kind)
            .order_by(OutboxMessage.created_at.desc())
            .limit(1)
        )
        if message is not None:
            db.session.expunge(message)
        return message

    return live_server.query(work)


def _employer_posts_and_submits(
    page: Any, live_server: LiveServer, check: Check, run: Run
) -> tuple[uuid.UUID, str]:
    sign_in(page, OWNER_EMAIL, DEMO_PASSWORD, check)
    expect(page.get_by_role("heading", level=1)).to_have_text(EMPLOYER)
    check(page)
    page.get_by_test_id("vacancies-panel").get_by_role("link", name="Post a vacancy").click()
    vacancy_id = _post_vacancy(page, check, run)

    # The preview: the advice and why, but no warning about the pay.
    expect(page.get_by_role("heading", level=1)).to_have_text(run.job_title)
    expect(page.get_by_text("Draft", exact=True)).to_be_visible()
    _expect_fair_shot_advice(page)
    expect(page.get_by_text("below the National")).to_have_count(0)
    expect(page.get_by_text("you can lawfully employ")).to_have_count(0)
    check(page)

    page.get_by_role("button", name="Continue to submit").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your vacancy before you submit it"
    )
    _expect_fair_shot_advice(page)  # advice, not a block: it can still be submitted
    check(page)
    page.get_by_role("button", name="Submit vacancy").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vacancy submitted")
    callback_id, due = _due(live_server, vacancy_id)
    expect(page.get_by_test_id("callback-due")).to_have_text(
        "An adviser from Jobcentre Plus will call you within 2 working days, "
        f"by {due}, to check the details of your vacancy."
    )
    expect(page.get_by_text(f"We have sent a confirmation email to {OWNER_EMAIL}.")).to_be_visible()
    check(page)
    email = _newest_email(live_server, OWNER_EMAIL, "vacancy_submitted")
    assert email is not None, f"no vacancy_submitted email to {OWNER_EMAIL}"
    assert f"We have your vacancy for {run.job_title}." in email.text_body, email.text_body
    assert f"will call you by {due} " in email.text_body, email.text_body
    sign_out(page)
    check(page)
    return callback_id, due


def _lmra_claims_and_logs_a_failed_attempt(
    page: Any, check: Check, run: Run, callback_id: uuid.UUID, due: str
) -> None:
    sign_in(page, LMRA_EMAIL, DEMO_PASSWORD, check)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Welcome, {LMRA_NAME}")
    check(page)
    page.get_by_role("link", name="Go to the call-back queue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Call-backs")
    row = page.locator(f"#callback-{callback_id}")
    expect(row.get_by_role("cell").first).to_contain_text(EMPLOYER)
    expect(row.get_by_role("cell").first).to_contain_text(run.job_title)
    expect(row.get_by_role("cell").nth(1)).to_have_text(due)
    expect(row.get_by_role("cell").nth(3)).to_contain_text("Nobody yet")
    check(page)

    claim = row.get_by_role("button", name=f"Claim the call-back to {EMPLOYER}")
    if run.javascript:
        # HTMX swaps the row in place: the page is not reloaded.
        page.evaluate(MARK_DOCUMENT)
        claim.click()
        expect(row.get_by_role("cell").nth(3)).to_contain_text("You")
        assert page.evaluate(SAME_DOCUMENT), "claiming reloaded the page"
        expect(row.get_by_role("cell").nth(1)).to_have_text(due)
        check(page)
        row.get_by_role("link", name=f"Make the call to {EMPLOYER}").click()
    else:
        claim.click()  # a plain form post, answered with the call screen
    expect(page).to_have_url(CALL_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Call {EMPLOYER}")
    expect(page.get_by_text(f"Due {due}.")).to_be_visible()
    expect(page.get_by_text("Claimed by you.")).to_be_visible()
    expect(page.get_by_text("No calls made yet.")).to_be_visible()
    check(page)

    attempts = page.locator("#attempts")
    attempts.get_by_label("No answer").check()
    attempts.get_by_label("Note (optional)").fill("Rang the shop at opening time.")
    if run.javascript:
        page.evaluate(MARK_DOCUMENT)
    attempts.get_by_role("button", name="Log this attempt").click()
    if run.javascript:
        # HTMX swaps the attempts section alone, which announces the change itself.
        expect(attempts.get_by_role("status")).to_have_text("Call attempt logged.")
        assert page.evaluate(SAME_DOCUMENT), "logging an attempt reloaded the page"
    else:
        # The form posts, and the call screen comes back with a success banner.
        expect(page.get_by_role("alert", name="Success")).to_contain_text("Call attempt logged.")
    logged = attempts.get_by_role("listitem")
    expect(logged).to_have_count(1)
    expect(logged).to_contain_text("No answer")
    expect(logged).to_contain_text(LMRA_NAME)
    expect(logged).to_contain_text("Rang the shop at opening time.")
    check(page)


def _lmra_completes_with_a_new_agreement(
    page: Any, check: Check, run: Run, callback_id: uuid.UUID
) -> dt.date:
    """Complete the call-back with a new verbal agreement; returns the date agreed."""
    complete = page.locator("#complete")
    complete.get_by_label("A new verbal LEP agreement").check()
    # A call-back's agreement starts as made today, by phone, for priority groups 1 to 4.
    agreed_on = complete.get_by_role("group", name="Date agreed")
    day, month, year = (
        agreed_on.get_by_label(part).input_value() for part in ("Day", "Month", "Year")
    )
    agreed = dt.date(int(year), int(month), int(day))
    # Today in the UK (or yesterday, if midnight passed since the page was drawn).
    assert 0 <= (clock.today() - agreed).days <= 1, agreed
    expect(complete.get_by_label("Phone")).to_be_checked()
    work_trials = complete.locator(".app-measure", has=page.get_by_label("Work trials", exact=True))
    work_trials.get_by_label("Work trials", exact=True).check()
    work_trials.get_by_label("Number of places").fill(str(run.work_trial_places))
    complete.get_by_label("Guaranteed interviews", exact=True).check()
    check(page)
    complete.get_by_role("button", name="Complete the call-back").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Call-backs")
    expect(
        page.get_by_text(
            f"Call-back completed: {run.job_title} at {EMPLOYER} is now live. "
            "The employer has been emailed their agreement."
        )
    ).to_be_visible()
    expect(page.locator(f"#callback-{callback_id}")).to_have_count(0)  # out of the queue
    check(page)

    page.get_by_role("link", name="Live vacancies").click()
    live = page.get_by_role("row").filter(has_text=run.job_title)
    expect(live).to_contain_text(EMPLOYER)
    expect(live.get_by_role("link", name=f"Suggest candidates for {run.job_title}")).to_be_visible()
    check(page)
    sign_out(page)
    check(page)
    return agreed


def _employer_sees_the_outcome(
    page: Any, live_server: LiveServer, check: Check, run: Run, agreed: dt.date
) -> None:
    sign_in(page, OWNER_EMAIL, DEMO_PASSWORD, check)
    expect(page.get_by_role("heading", level=1)).to_have_text(EMPLOYER)
    check(page)

    page.get_by_role("link", name="Vacancies", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your vacancies")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=run.job_title))
    expect(row.get_by_role("cell").last).to_have_text("Live")
    check(page)
    row.get_by_role("link", name=run.job_title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(run.job_title)
    expect(page.get_by_text("Live since")).to_be_visible()
    check(page)

    page.get_by_role("link", name="LEP agreement", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your LEP agreement")
    with live_server.app.test_request_context():
        agreed_text = date_long(agreed)
    expect(page.get_by_test_id("agreed-with")).to_have_text(
        f"Agreed by phone with {LMRA_NAME} of Jobcentre Plus on {agreed_text}."
    )
    # The active agreement comes first; an earlier one (the other run's) is further down.
    measures = page.get_by_test_id("measures").first
    expect(measures.get_by_role("term")).to_have_text(["Work trials", "Guaranteed interviews"])
    expect(measures.get_by_role("definition")).to_have_text(
        [f"{run.work_trial_places} places", "Agreed"]
    )
    check(page)

    # The written confirmation of the verbal agreement, to the account's owner only.
    email = _newest_email(live_server, OWNER_EMAIL, "agreement_confirmation")
    assert email is not None, f"no agreement confirmation to {OWNER_EMAIL}"
    assert email.subject == "Your Local Employment Partnership agreement"
    body = email.text_body
    assert f"Dear {EMPLOYER}," in body
    assert f"by phone on {agreed_text} with {LMRA_NAME} of Jobcentre Plus" in body
    assert f"- Work trials: {run.work_trial_places} places" in body, body
    assert "- Guaranteed interviews" in body, body
    assert f"{live_server.url}/agreement" in body
    assert _newest_email(live_server, RECRUITER_EMAIL, "agreement_confirmation") is None


def _journey(page: Any, live_server: LiveServer, check: Check, run: Run) -> None:
    callback_id, due = _employer_posts_and_submits(page, live_server, check, run)
    _lmra_claims_and_logs_a_failed_attempt(page, check, run, callback_id, due)
    agreed = _lmra_completes_with_a_new_agreement(page, check, run, callback_id)
    _employer_sees_the_outcome(page, live_server, check, run, agreed)


def test_a_vacancy_goes_live_at_its_call_back_with_a_verbal_agreement_without_javascript(
    page_without_js: Any, live_server: LiveServer, check: Check
) -> None:
    page = page_without_js
    _journey(page, live_server, check, Run(False, "Bakery counter assistant", 3))
    # GOV.UK Frontend's inline script never ran: the page really had no JavaScript.
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))


def test_a_vacancy_goes_live_at_its_call_back_with_a_verbal_agreement(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    _journey(page, live_server, check, Run(True, "Bakery production assistant", 2))
