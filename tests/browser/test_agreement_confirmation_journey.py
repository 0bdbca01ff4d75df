"""The employer confirms its LEP agreement in a real browser.

An LMRA has captured a verbal agreement. The employer's owner opens "LEP agreement" from the
navigation, first sends an empty "what is wrong" (an error), then says what is wrong, and,
once the LMRA has corrected it, confirms the new version. The LMRA sees the confirmation in
the agreement's history. Every page is checked with axe and for console errors.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.agreements.models import Channel, Measure
from app.agreements.services import (
    AgreementTerms,
    MeasureTerms,
    active_agreement,
    amend_agreement,
    record_agreement,
)
from app.auth.models import User
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in, sign_out
from tests.factories import PASSWORD, OrganisationFactory, employer_user

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]
LMRA = "lmra@demo.lep.example"  # Priya Shah, Leeds City


def _terms(places: int) -> AgreementTerms:
    return AgreementTerms(
        agreed_on=dt.date(2026, 11, 2),
        channel=Channel.PHONE,
        measures=[MeasureTerms(Measure.WORK_TRIALS, places=places)],
    )


def _prepare(tag: str) -> tuple[str, str, uuid.UUID]:
    lmra = db.session.scalar(select(User).where(User.email == LMRA))
    organisation = OrganisationFactory(
        name=f"Kirkgate Café {tag}", district=lmra.district, contact=lmra
    )
    owner = employer_user(organisation, email=f"owner{tag}@example.org", name="Ola Berg")
    record_agreement(organisation, _terms(3), lmra)
    db.session.commit()
    return organisation.name, owner.email, organisation.id


def _correct(organisation_id: uuid.UUID) -> None:
    lmra = db.session.scalar(select(User).where(User.email == LMRA))
    amend_agreement(active_agreement(organisation_id), _terms(2), lmra)
    db.session.commit()


def test_employer_queries_then_confirms_its_agreement(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    tag = uuid.uuid4().hex[:6]
    name, owner, organisation_id = live_server.query(lambda: _prepare(tag))

    sign_in(page, owner, PASSWORD, check)
    page.get_by_role("link", name="LEP agreement").click()
    expect(page.locator("h1")).to_have_text("Your LEP agreement")
    expect(page.get_by_text("Is this agreement right?")).to_be_visible()
    check(page)

    # Sending nothing is an error with a summary; nothing is saved.
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter what is wrong with the agreement"
    )
    check(page)
    page.get_by_label("What is wrong with it?").fill("We agreed 2 work trials, not 3")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("We have told Priya Shah")
    expect(page.get_by_test_id("query")).to_contain_text("We agreed 2 work trials, not 3")
    check(page)

    # The LMRA puts it right; the employer confirms the corrected version.
    live_server.query(lambda: _correct(organisation_id))
    page.reload()
    expect(page.get_by_test_id("measures")).to_contain_text("2 places")
    page.screenshot(path="/tmp/team-agreement-employer.png", full_page=True)
    page.get_by_role("button", name="Confirm this agreement").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "You have confirmed your LEP agreement"
    )
    expect(page.get_by_test_id("confirmation")).to_contain_text("Yes, by Ola Berg")
    expect(page.get_by_role("button", name="Confirm this agreement")).to_have_count(0)
    check(page)
    sign_out(page)

    # The LMRA sees the confirmation and the earlier query in the history.
    sign_in(page, LMRA, DEMO_PASSWORD, check)
    page.goto(f"/accounts/{organisation_id}/agreement")
    expect(page.locator("h1")).to_have_text("LEP agreement")
    expect(page.get_by_test_id("confirmation")).to_contain_text("Yes, by Ola Berg")
    expect(page.locator("#active-version-1")).to_contain_text("said something is wrong")
    check(page)
    assert name in page.locator(".govuk-caption-l").inner_text()
