"""The recruitment subsidy in a real browser.

An employer whose long-term unemployed starter reached 13 weeks opens the voucher from its
email, first forgets the declaration (an error), then claims in one step. The large
account's DAM sees the claim among theirs, selects all, checks the total on the confirmation
page and approves. The employer then sees the claim approved and has been emailed at each
step. Every page is checked with axe and for console errors.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.browser.conftest import LiveServer
from tests.browser.journeys import emailed_link, sign_in, sign_out
from tests.factories import PASSWORD, DistrictFactory, employer_user
from tests.outcome_factories import staff_in
from tests.voucher_factories import large_account, voucher_for

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]


def _prepare(tag: str) -> dict:
    district = DistrictFactory()
    dam = staff_in(district, Role.DAM, email=f"dam{tag}@jcp.example")
    organisation, _ = large_account(district, dam)
    owner = employer_user(organisation, email=f"owner{tag}@example.org")
    other = voucher_for(organisation, owner, name=f"Henry{tag}")
    # The newer voucher, whose email the journey opens.
    voucher = voucher_for(organisation, owner, name=f"Grace{tag}")
    db.session.commit()
    return {
        "owner": owner.email,
        "dam": dam.email,
        "voucher": str(voucher.id),
        "other": str(other.id),
        "name": voucher.outcome.customer.name,
        "reference": voucher.reference,
    }


def _kinds(recipient: str) -> list[str]:
    return list(
        db.session.scalars(
            select(OutboxMessage.kind)
            .where(OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.created_at)
        )
    )


def test_an_employer_claims_a_voucher_and_the_dam_approves_it(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    world = live_server.query(lambda: _prepare(uuid.uuid4().hex[:6]))

    sign_in(page, world["owner"], PASSWORD, check)
    page.goto(emailed_link(live_server, world["owner"], "voucher_issued", "/vouchers"))
    expect(page.locator("h1")).to_contain_text(f"Voucher for {world['name']}")
    expect(page.locator(".govuk-summary-list")).to_contain_text("£1,000")
    check(page)
    page.get_by_role("button", name="Claim £1,000").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tick the box to declare")
    check(page)
    page.get_by_label("I declare that this person started work with us").check()
    page.get_by_role("button", name="Claim £1,000").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(world["reference"])
    expect(page.locator("main .govuk-tag")).to_contain_text("Claimed")
    check(page)
    # The other starter's voucher is claimed from the list.
    page.goto("/vouchers")
    check(page)
    page.get_by_role("link", name="Claim now").click()
    page.get_by_label("I declare that this person started work with us").check()
    page.get_by_role("button", name="Claim £1,000").click()
    expect(page.locator("main .govuk-tag")).to_contain_text("Claimed")
    sign_out(page)

    sign_in(page, world["dam"], PASSWORD, check)
    page.get_by_role("link", name="Subsidy claims").first.click()
    expect(page.locator("h1")).to_contain_text("Recruitment subsidy claims to approve")
    check(page)
    page.get_by_role("link", name="Select all claims on this page").click()
    expect(page.locator("input[name=voucher]:checked")).to_have_count(2)
    check(page)
    page.get_by_role("button", name="Approve selected claims").click()
    expect(page.locator("h1")).to_contain_text("Approve 2 claims?")
    expect(page.locator("main")).to_contain_text("£2,000 in all")
    check(page)
    page.get_by_role("button", name="Approve claims").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 claims approved")
    expect(page.locator("main")).to_contain_text("There are no claims waiting for you.")
    check(page)
    sign_out(page)

    sign_in(page, world["owner"], PASSWORD, check)
    page.goto(f"/vouchers/{world['voucher']}")
    expect(page.locator("main .govuk-tag")).to_contain_text("Approved")
    check(page)
    kinds = live_server.query(lambda: _kinds(world["owner"]))
    assert kinds.count("voucher_issued") == 2
    assert kinds.count("voucher_claimed") == 2
    assert kinds.count("voucher_approved") == 2
