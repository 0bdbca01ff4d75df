"""A head office must be a large or national employer, in a real browser.

A DAM opens a café's account and links it to a head office. The search for "Harbour" offers
the two large Harbour employers and names the small café that is not offered, and why. One
of the large ones is corrected to small by someone else before the DAM chooses it: refused,
in words. The other is accepted, and the account says whose branch it is. Every page is
checked with axe and for console errors.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from app.accounts.models import Organisation, SizeBand
from app.auth.models import Role
from app.extensions import db
from tests.account_factories import account, staff_in
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in
from tests.factories import PASSWORD, DistrictFactory

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]


def _prepare(tag: str) -> dict:
    dam = staff_in(DistrictFactory(), Role.DAM, email=f"dam{tag}@jcp.example")
    branch = account(dam, name=f"{tag} Harbour Café Leeds")
    small = account(dam, name=f"{tag} Harbour Café", size_band=SizeBand.SME)
    foods = account(dam, name=f"{tag} Harbour Foods", size_band=SizeBand.LARGE)
    stores = account(dam, name=f"{tag} Harbour Stores", size_band=SizeBand.LARGE)
    db.session.commit()
    return {
        "dam": dam.email,
        "branch": branch.id,
        "branch_name": branch.name,
        "small": small.name,
        "foods": foods.id,
        "foods_name": foods.name,
        "stores_name": stores.name,
        "tag": tag,
    }


def _made_small(organisation_id) -> None:
    db.session.get(Organisation, organisation_id).size_band = SizeBand.SME
    db.session.commit()


def test_a_small_employer_is_refused_as_head_office_and_a_large_one_accepted(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    world = live_server.query(lambda: _prepare(uuid.uuid4().hex[:6]))

    sign_in(page, world["dam"], PASSWORD, check)
    page.goto(f"/accounts/{world['branch']}")
    page.get_by_role("link", name="Link to a head office").click()
    expect(page.locator("h1")).to_have_text("Link to a head office")
    page.get_by_label("Head office name").fill(f"{world['tag']} harbour")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("not-head-offices")).to_contain_text(world["small"])
    expect(page.get_by_role("radio", name=world["small"])).to_have_count(0)
    check(page)

    live_server.query(lambda: _made_small(world["foods"]))
    page.get_by_role("radio", name=world["foods_name"]).check()
    page.get_by_role("button", name="Link to this head office").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        f"A head office must be a large or national employer: {world['foods_name']} is small"
    )
    check(page)

    page.get_by_role("radio", name=world["stores_name"]).check()
    page.get_by_role("button", name="Link to this head office").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"{world['branch_name']} is now a branch of {world['stores_name']}."
    )
    check(page)
