"""The employer's team in a real browser.

The owner opens "Your team" from the navigation, sends an invitation with a mistake (an
error), then invites a recruiter; the recruiter follows the emailed link, sets a password,
signs in and sees the team without any way to change it. The owner reads the change in the
team's history. Every page is checked with axe and for console errors.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.browser.conftest import LiveServer
from tests.browser.journeys import emailed_link, sign_in, sign_out
from tests.factories import PASSWORD, OrganisationFactory, employer_user

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]
NEW_PASSWORD = "marmalade ferry lantern"


def _prepare(tag: str) -> str:
    organisation = OrganisationFactory(name=f"Kirkgate Café {tag}")
    owner = employer_user(organisation, email=f"owner{tag}@example.org", name="Ola Berg")
    db.session.commit()
    return owner.email


def test_owner_invites_a_recruiter_who_joins(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    tag = uuid.uuid4().hex[:6]
    owner = live_server.query(lambda: _prepare(tag))
    colleague = f"cai{tag}@example.org"

    sign_in(page, owner, PASSWORD, check)
    page.get_by_role("link", name="Your team").click()
    expect(page.locator("h1")).to_have_text("Your team")
    check(page)
    page.get_by_role("button", name="Invite a colleague").click()
    check(page)
    page.get_by_label("Full name").fill("Cai Jones")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Send invitation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter an email address in the correct format")
    expect(summary).to_contain_text("Select what they can do")
    check(page)
    page.get_by_label("Email address").fill(colleague)
    page.get_by_role("radio", name="Recruiter").check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(colleague)
    expect(page.get_by_test_id("team")).to_contain_text("Invited")
    check(page)
    page.get_by_role("link", name="Changes to the team").click()
    expect(page.get_by_test_id("audit")).to_contain_text(f"Invited Cai Jones ({colleague})")
    check(page)
    sign_out(page)

    page.goto(emailed_link(live_server, colleague, "employer_invitation", "/accept-invitation"))
    check(page)
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save password").click()
    page.wait_for_url("**/sign-in")
    sign_in(page, colleague, NEW_PASSWORD, check)
    page.get_by_role("link", name="Your team").click()
    expect(page.get_by_test_id("team")).to_contain_text("Ola Berg")
    expect(page.get_by_role("button", name="Invite a colleague")).to_have_count(0)
    check(page)
    page.set_viewport_size({"width": 320, "height": 900})
    page.screenshot(path="/tmp/team-your-team.png", full_page=True)
