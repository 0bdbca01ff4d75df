"""Cancelling an interview on its own page, from both sides, in a real browser.

The employer arranges an interview from the candidate page, then cancels it: the GOV.UK
confirmation page asks for a reason (an error without one), both sides get the calendar
cancellation, and the history says who cancelled it and why. The employer arranges another;
the candidate's adviser cancels that one from the customer's page. Every page is checked
with axe and for console errors.
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


def _cancellations(world: dict) -> list[tuple[str, str]]:
    """(recipient, calendar METHOD) of each cancellation email to the two sides."""
    found = []
    for message in db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.kind == "referral_interview_cancelled",
            OutboxMessage.recipient.in_([world["adviser"], world["employer"]]),
        )
        .order_by(OutboxMessage.recipient)
    ):
        [attachment] = message.attachments
        found.append((message.recipient, attachment["content_type"].rsplit("=", 1)[-1]))
    return sorted(found)


def _arrange(page: Any, day: dt.date, place: str) -> None:
    interview = page.locator("#step-interview")
    interview.get_by_text("Arrange an interview").click()
    dates = interview.get_by_role("group", name="Date of the interview")
    dates.get_by_label("Day").fill(str(day.day))
    dates.get_by_label("Month").fill(str(day.month))
    dates.get_by_label("Year").fill(str(day.year))
    interview.get_by_label("Time").fill("10:30am")
    interview.get_by_label("Where").fill(place)
    interview.get_by_role("group", name="Is this a guaranteed interview?").get_by_label(
        "No"
    ).check()
    interview.get_by_role("button", name="Arrange the interview").click()
    expect(page.locator("#candidate-status")).to_contain_text(place)


def test_employer_and_adviser_each_cancel_an_interview_with_a_reason(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    world = live_server.query(lambda: one_candidate(uuid.uuid4().hex[:6]))
    day = clock.today() + dt.timedelta(days=7)

    sign_in(page, world["employer"], PASSWORD, check)
    page.get_by_role("link", name=f"1 candidate for {world['job']}").click()
    page.get_by_role("link", name=world["customer"], exact=True).click()
    _arrange(page, day, "80 Briggate, Leeds")
    check(page)

    page.get_by_role("link", name="Cancel the interview").click()
    expect(page.locator("h1")).to_have_text("Are you sure you want to cancel this interview?")
    expect(page.get_by_test_id("interview-to-cancel")).to_contain_text("80 Briggate, Leeds")
    check(page)
    page.get_by_role("button", name="Yes, cancel the interview").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why the interview is being cancelled"
    )
    check(page)
    page.get_by_label("Why is the interview being cancelled?").fill("Our manager is away")
    page.get_by_role("button", name="Yes, cancel the interview").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Interview cancelled")
    expect(page.get_by_test_id("cancel-reason")).to_have_text("Why: Our manager is away")
    check(page)
    assert live_server.query(lambda: _cancellations(world)) == [
        (world["adviser"], "CANCEL"),
        (world["employer"], "CANCEL"),
    ]

    _arrange(page, day + dt.timedelta(days=1), "Unit 4, Thorpe Park, Leeds")
    sign_out(page)

    sign_in(page, world["adviser"], PASSWORD, check)
    page.get_by_role("link", name="Customers", exact=True).click()
    page.get_by_role("link", name=world["customer"]).click()
    expect(page.get_by_test_id("interview")).to_contain_text("Unit 4, Thorpe Park, Leeds")
    page.get_by_role("link", name="Cancel interview").click()
    check(page)
    page.get_by_label("Why is the interview being cancelled?").fill("Grace has started a course")
    page.get_by_role("button", name="Yes, cancel the interview").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Interview cancelled")
    expect(page.get_by_test_id("interview")).to_have_count(0)
    check(page)
    assert live_server.query(lambda: _cancellations(world)) == [
        (world["adviser"], "CANCEL"),
        (world["adviser"], "CANCEL"),
        (world["employer"], "CANCEL"),
        (world["employer"], "CANCEL"),
    ]
