"""Not selecting a candidate, with a reason from the list, in a real browser.

The employer opens its candidate from the home page and arranges an interview (both the
adviser and the employer get the calendar invitation), tries "Another reason" without words
(an error), then chooses "Lacked experience" with a note: the interview is cancelled in both
calendars. The candidate's adviser opens the
customer from "Customers" and reads the reason. Every page is checked with axe and for
console errors.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.browser.conftest import LiveServer
from tests.browser.journeys import one_candidate, sign_in, sign_out
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]


def _calendar_mail(world: dict) -> set[tuple[str, str, str]]:
    """(kind, recipient, METHOD) of each email with a calendar file to the two sides."""
    found = set()
    for message in db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.recipient.in_([world["adviser"], world["employer"]])
        )
    ):
        for attachment in message.attachments or []:
            method = attachment["content_type"].rsplit("=", 1)[-1].upper()
            found.add((message.kind, message.recipient, method))
    return found


def test_employer_gives_a_listed_reason_and_the_adviser_reads_it(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    world = live_server.query(lambda: one_candidate(uuid.uuid4().hex[:6]))

    sign_in(page, world["employer"], PASSWORD, check)
    page.get_by_role("link", name=f"1 candidate for {world['job']}").click()
    check(page)
    page.get_by_role("link", name=world["customer"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(world["customer"])
    check(page)

    day = clock.today() + dt.timedelta(days=7)
    interview = page.locator("#step-interview")
    interview.get_by_text("Arrange an interview").click()
    dates = interview.get_by_role("group", name="Date of the interview")
    dates.get_by_label("Day").fill(str(day.day))
    dates.get_by_label("Month").fill(str(day.month))
    dates.get_by_label("Year").fill(str(day.year))
    interview.get_by_label("Time").fill("10:30am")
    interview.get_by_label("Where").fill("80 Briggate, Leeds")
    interview.get_by_role("group", name="Is this a guaranteed interview?").get_by_label(
        "No"
    ).check()
    interview.get_by_role("button", name="Arrange the interview").click()
    expect(page.locator("#candidate-status")).to_contain_text("80 Briggate, Leeds")
    check(page)
    sent = live_server.query(lambda: _calendar_mail(world))
    assert sent == {
        ("referral_interview", world["adviser"], "REQUEST"),
        ("referral_interview_employer", world["employer"], "REQUEST"),
    }

    step = page.locator("#step-not-selected")
    step.get_by_text("Not selected", exact=True).click()
    step.get_by_role("radio", name="Another reason").check()
    step.get_by_role("button", name="Record not selected").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the other reason")
    check(page)

    step = page.locator("#step-not-selected")
    step.get_by_role("radio", name="Lacked experience").check()
    step.get_by_label("Tell the adviser more").fill("No warehouse work yet")
    step.get_by_role("button", name="Record not selected").click()
    expect(page.locator("main")).to_contain_text("Lacked experience: No warehouse work yet")
    check(page)
    cancelled = {
        mail for mail in live_server.query(lambda: _calendar_mail(world)) if mail[2] == "CANCEL"
    }
    assert cancelled == {
        ("referral_interview_cancelled", world["adviser"], "CANCEL"),
        ("referral_interview_cancelled", world["employer"], "CANCEL"),
    }
    page.set_viewport_size({"width": 320, "height": 900})
    page.screenshot(path="/tmp/team-not-selected.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    sign_in(page, world["adviser"], PASSWORD, check)
    page.get_by_role("link", name="Customers", exact=True).click()
    page.get_by_role("link", name=world["customer"]).click()
    expect(page.get_by_test_id("not-selected-reason")).to_have_text(
        "Lacked experience: No warehouse work yet"
    )
    check(page)
