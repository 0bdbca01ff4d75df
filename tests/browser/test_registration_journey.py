"""Whole journeys in a real browser: an employer registers, a staff member is invited.

Every page visited is checked with axe (WCAG 2.2 A and AA) and for console errors, error
summaries included.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.accounts.models import District, Office, Organisation
from app.auth.models import Role, User
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from app.models_base import utcnow
from tests.browser.conftest import LiveServer
from tests.browser.journeys import emailed_link, sign_in, sign_out

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]
STRONG_PASSWORD = "copper meadow lantern harbour"


def _add_leeds_lmra(name: str) -> None:
    """A second LMRA in West Yorkshire with no accounts yet, so that "fewest accounts" is
    a real choice rather than the district's only LMRA."""
    office = db.session.scalar(select(Office).where(Office.name == "Leeds City"))
    db.session.add(
        User(
            email=f"lmra.{uuid.uuid4().hex[:8]}@demo.lep.example",
            name=name,
            role=Role.LMRA,
            phone="0113 496 0099",
            office_id=office.id,
            district_id=office.district_id,
            email_verified_at=utcnow(),
        )
    )
    db.session.commit()


def _expected_contact() -> tuple[str, str, str]:
    """The active LMRA in West Yorkshire with the fewest accounts (ties: name, then id)."""
    district = db.session.scalar(select(District).where(District.name == "West Yorkshire"))
    accounts = func.count(Organisation.id)
    name, email, phone = db.session.execute(
        select(User.name, User.email, User.phone)
        .outerjoin(Organisation, Organisation.contact_id == User.id)
        .where(User.district_id == district.id, User.role == Role.LMRA, User.active.is_(True))
        .group_by(User.id, User.name, User.email, User.phone)
        .order_by(accounts, User.name, User.id)
        .limit(1)
    ).one()
    return name, email, phone


def _fill_registration(page: Any, *, email: str, postcode: str, password: str) -> None:
    page.get_by_label("Organisation name").fill("Headrow Florists")
    page.get_by_label("Fewer than 250").check()
    page.get_by_label("Sector").select_option(label="Retail")
    page.get_by_label("Private company").check()
    page.get_by_label("Address line 1").fill("7 The Headrow")
    page.get_by_label("Town or city").fill("Leeds")
    page.get_by_label("Postcode").fill(postcode)
    page.get_by_label("Your full name").fill("Maya Lindqvist")
    page.get_by_label("Phone number (optional)").fill("0113 496 0123")
    page.get_by_label("Email address").fill(email)
    _fill_passwords(page, "Create a password", "Confirm password", password)


def _fill_passwords(page: Any, label: str, confirm_label: str, password: str) -> None:
    page.get_by_label(label, exact=True).fill(password)
    page.get_by_label(confirm_label, exact=True).fill(password)


def test_an_sme_registers_confirms_its_email_and_meets_its_contact(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    email = f"maya.{uuid.uuid4().hex[:8]}@headrow-florists.example"
    page.goto("/")
    check(page)
    # Both scripts loaded and ran under the Content-Security-Policy.
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    assert page.evaluate("() => typeof window.htmx") == "object"
    page.get_by_role("button", name="Register your organisation").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Register your organisation")
    check(page)

    # A bad postcode and a common password: both refused, the rest of the answers kept.
    _fill_registration(page, email=email, postcode="LS99", password="password123")
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_title(re.compile(r"^Error: Register your organisation"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem")
    # GOV.UK Frontend moves focus to the summary, so screen readers announce it first.
    expect(summary).to_be_focused()
    links = summary.locator(".govuk-error-summary__list a")
    hrefs = links.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert "#postcode" in hrefs and "#password" in hrefs, hrefs
    for href in hrefs:
        expect(page.locator(href)).to_have_count(1)
    expect(page.locator("#postcode-error")).to_contain_text("Enter a full postcode")
    expect(page.locator("#password-error")).to_contain_text("too common")
    check(page)
    links.filter(has_text="postcode").first.click()
    expect(page.locator("#postcode")).to_be_focused()
    expect(page.get_by_label("Organisation name")).to_have_value("Headrow Florists")
    expect(page.get_by_label("Postcode")).to_have_value("LS99")
    expect(page.get_by_label("Your full name")).to_have_value("Maya Lindqvist")
    expect(page.get_by_label("Email address")).to_have_value(email)
    expect(page.get_by_label("Fewer than 250")).to_be_checked()
    expect(page.get_by_label("Sector")).to_have_value("retail")

    live_server.query(lambda: _add_leeds_lmra("Aaliyah Kowalczyk"))
    contact_name, contact_email, contact_phone = live_server.query(_expected_contact)
    page.get_by_label("Postcode").fill("LS1 4AP")
    _fill_passwords(page, "Create a password", "Confirm password", STRONG_PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.get_by_text(f"We have sent a link to {email}.")).to_be_visible()
    check(page)

    link = emailed_link(live_server, email, "verify_email", "/verify-email")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_text("Your email address is confirmed")).to_be_visible()
    check(page)

    sign_in(page, email, STRONG_PASSWORD, check)
    expect(page.get_by_role("heading", level=1)).to_have_text("Headrow Florists")
    contact = page.locator("aside", has=page.get_by_text("Your contact at Jobcentre Plus"))
    expect(contact.get_by_test_id("contact-name")).to_have_text(contact_name)
    expect(contact.get_by_role("link", name=contact_email)).to_have_attribute(
        "href", f"mailto:{contact_email}"
    )
    expect(contact).to_contain_text(contact_phone)
    check(page)

    # The link works once: confirming changed the security stamp it was signed with.
    response = page.goto(link)
    assert response is not None and response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "This link has expired or has already been used"
    )
    check(page)

    sign_out(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    check(page)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Recruit through a Local Employment Partnership"
    )
    check(page)


def test_an_admin_invites_staff_who_set_a_password_and_sign_in(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    email = f"nadia.{uuid.uuid4().hex[:8]}@demo.lep.example"
    sign_in(page, "admin@demo.lep.example", DEMO_PASSWORD, check)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Alex Morgan")
    check(page)

    page.goto("/admin/staff/invite")
    check(page)
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    check(page)

    page.get_by_label("Full name").fill("Nadia Rahman")
    page.get_by_label("Work email address").fill(email)
    page.get_by_label("Phone number (optional)").fill("0113 496 0042")
    # An adviser, not an LMRA: inviting one must not change who new employers are given.
    page.get_by_label("Personal adviser").check()
    page.get_by_label("Office").select_option(label="Leeds City (West Yorkshire)")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"We have emailed an invitation to {email}.")).to_be_visible()
    check(page)
    sign_out(page)
    check(page)

    page.goto(emailed_link(live_server, email, "staff_invitation", "/accept-invitation"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    check(page)
    _fill_passwords(page, "New password", "Confirm new password", STRONG_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_text("Your password is set.")).to_be_visible()
    check(page)

    sign_in(page, email, STRONG_PASSWORD, check)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nadia Rahman")
    check(page)
