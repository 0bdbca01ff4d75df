"""Progression and aftercare in a real browser.

Thirteen weeks after a start, the employer says the person is still employed, has more
hours, and would like in-work support (first forgetting the support question: an error).
The customer's adviser sees the request on the home page and marks it done. Every page is
checked with axe and for console errors.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.outcomes.services import today
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in, sign_out
from tests.customer_factories import AdviserFactory
from tests.factories import PASSWORD, OfficeFactory, employer_user
from tests.outcome_factories import (
    OfferedReferralFactory,
    ShopVacancyFactory,
    customer_in,
    record,
    staff_in,
)

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]


def _prepare(tag: str) -> dict:
    vacancy = ShopVacancyFactory()
    adviser = AdviserFactory(
        office=OfficeFactory(district=vacancy.district), email=f"adviser{tag}@jcp.example"
    )
    customer = customer_in(vacancy.district, first_name="Grace", last_name=f"Okafor {tag}")
    customer.adviser = adviser
    owner = employer_user(vacancy.organisation, email=f"owner{tag}@example.org")
    outcome = record(
        OfferedReferralFactory(vacancy=vacancy, customer=customer),
        staff_in(vacancy.district),
        start=today() - dt.timedelta(weeks=13),
    )
    db.session.commit()
    return {
        "owner": owner.email,
        "adviser": adviser.email,
        "outcome": outcome.id,
        "customer": customer.name,
    }


def test_employer_reports_progression_and_the_adviser_arranges_aftercare(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    world = live_server.query(lambda: _prepare(uuid.uuid4().hex[:6]))

    sign_in(page, world["owner"], PASSWORD, check)
    page.goto(f"/outcomes/{world['outcome']}/sustainment/13")
    expect(page.locator("h1")).to_contain_text("still employed by you?")
    check(page)
    page.get_by_role("group", name="Are they still employed by you?").get_by_label("Yes").check()
    page.get_by_label("More hours").check()
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select yes if you or they would like in-work support"
    )
    check(page)
    page.get_by_role(
        "group", name="Would you or they like in-work support from Jobcentre Plus?"
    ).get_by_label("Yes").check()
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Thank you")
    check(page)
    sign_out(page)

    sign_in(page, world["adviser"], PASSWORD, check)
    panel = page.get_by_test_id("aftercare")
    expect(panel).to_contain_text(world["customer"])
    check(page)
    panel.get_by_role("button", name="Mark done").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Aftercare marked as done")
    expect(page.get_by_test_id("aftercare")).to_have_count(0)
    check(page)
