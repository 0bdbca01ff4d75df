"""After an HTMX swap, focus goes where a keyboard or screen reader user needs it: to the
error summary (in view, with "Error:" in the title) when a form comes back with errors, and
to the new copy of a tab when the account page swaps its tab panel."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.accounts.models import Organisation
from app.auth.models import User
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in
from tests.callback_factories import callback
from tests.referral_factories import live_vacancy, referral

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]

LMRA = "lmra@demo.lep.example"
DAM = "dam@demo.lep.example"
EMPLOYER = "large@demo.lep.example"
EMPLOYER_NAME = "Northern Retail Group"

FOCUS_IN_SUMMARY = """() => {
  const summary = document.activeElement && document.activeElement.closest('.govuk-error-summary');
  if (!summary) return false;
  const box = summary.getBoundingClientRect();
  return box.top >= 0 && box.top < window.innerHeight;
}"""


@dataclass(frozen=True)
class World:
    callback_id: uuid.UUID
    referral_id: uuid.UUID
    organisation_id: uuid.UUID


def _prepare() -> World:
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == EMPLOYER_NAME))
    lmra = db.session.scalar(select(User).where(User.email == LMRA))
    task = callback(organisation, claimed_by=lmra)
    candidate = referral(live_vacancy(organisation))
    world = World(task.id, candidate.id, organisation.id)
    db.session.commit()
    return world


@pytest.fixture(scope="module")
def world(live_server: LiveServer) -> World:
    return live_server.query(_prepare)


def _errors_have_focus(page: Any) -> None:
    page.wait_for_function(FOCUS_IN_SUMMARY)
    assert page.title().startswith("Error: "), page.title()


def test_logging_a_call_with_nothing_chosen_focuses_the_errors(
    page: Any, world: World, check: Check
) -> None:
    page.set_viewport_size({"width": 1024, "height": 500})  # the form starts below the fold
    sign_in(page, LMRA, DEMO_PASSWORD, check)
    page.wait_for_url("**/")
    page.goto(f"/call-backs/{world.callback_id}")
    title = page.title()
    assert not title.startswith("Error")
    attempts = page.locator("#attempts")
    attempts.get_by_role("button", name="Log this attempt").click()
    _errors_have_focus(page)
    check(page)
    # Put right, the errors go and so does "Error:" in the title.
    attempts = page.locator("#attempts")
    attempts.get_by_label("No answer").check()
    attempts.get_by_role("button", name="Log this attempt").click()
    expect(page.locator("#attempts").get_by_role("status")).to_have_text("Call attempt logged.")
    expect(page).to_have_title(title)


@pytest.mark.parametrize("step", ["#step-interview", "#step-work-trial", "#step-not-selected"])
def test_an_empty_candidate_step_focuses_the_errors(
    page: Any, world: World, check: Check, step: str
) -> None:
    sign_in(page, EMPLOYER, DEMO_PASSWORD, check)
    page.wait_for_url("**/")
    page.goto(f"/candidates/{world.referral_id}")
    details = page.locator(step)
    details.locator("summary").click()
    details.locator("button[type=submit]").click()
    _errors_have_focus(page)
    check(page)


def test_an_empty_rating_focuses_the_errors(page: Any, world: World, check: Check) -> None:
    sign_in(page, EMPLOYER, DEMO_PASSWORD, check)
    page.wait_for_url("**/")
    page.goto(f"/candidates/{world.referral_id}")
    page.locator("#rating button[type=submit]").click()
    _errors_have_focus(page)
    check(page)


def test_switching_account_tabs_keeps_focus_on_the_tab(
    page: Any, world: World, check: Check
) -> None:
    sign_in(page, DAM, DEMO_PASSWORD, check)
    page.wait_for_url("**/")
    page.goto(f"/accounts/{world.organisation_id}")
    tabs = page.locator(".govuk-tabs__tab")
    second = tabs.nth(1)
    name = second.inner_text()
    second.focus()
    page.keyboard.press("Enter")
    expect(page.locator('.govuk-tabs__tab[aria-current="page"]')).to_have_text(name)
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.matches('.govuk-tabs__tab')"
    )
    assert page.evaluate("() => document.activeElement.textContent.trim()") == name
    check(page)
