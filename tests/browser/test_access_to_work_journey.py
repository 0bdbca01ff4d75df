"""Access to Work, in a real browser.

A customer with a recorded disability or health condition has an interview arranged: their
adviser's page for them signposts Access to Work with its eligibility, and says they are
eligible now. The employer's candidate page offers the same general information on
adjustments as for any candidate, and nothing about this person's health. Every page is
checked with axe and for console errors.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models_base import utcnow
from app.statuses import ReferralStatus
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in, sign_out
from tests.factories import PASSWORD
from tests.referral_factories import adviser_in, fitting_customer, live_vacancy, referral

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]

# Outside the general information on adjustments, nothing on the employer's page may speak
# of health or disability.
HEALTH = re.compile(r"disab|health", re.IGNORECASE)


def _prepare(tag: str) -> dict:
    vacancy = live_vacancy(job_title=f"Picker {tag}")
    employer = vacancy.organisation.memberships[0].user
    employer.email = f"employer{tag}@example.org"
    adviser = adviser_in(vacancy.district, email=f"adviser{tag}@jcp.example")
    customer = fitting_customer(
        vacancy, adviser, first_name="Grace", last_name=f"Okafor {tag}", disabled=True
    )
    made = referral(
        vacancy,
        customer,
        status=ReferralStatus.INTERVIEW_ARRANGED,
        interview_at=utcnow() + dt.timedelta(days=7),
        interview_place="80 Briggate, Leeds",
    )
    other = referral(vacancy, fitting_customer(vacancy, adviser, disabled=False))
    db.session.commit()
    return {
        "other": other.id,
        "employer": employer.email,
        "adviser": adviser.email,
        "customer": customer.name,
        "customer_id": customer.id,
        "referral": made.id,
    }


def test_the_adviser_is_signposted_and_the_employer_told_nothing_personal(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    world = live_server.query(lambda: _prepare(uuid.uuid4().hex[:6]))

    sign_in(page, world["adviser"], PASSWORD, check)
    page.get_by_role("link", name="Customers", exact=True).click()
    page.get_by_role("link", name=world["customer"]).click()
    signpost = page.get_by_test_id("access-to-work")
    expect(signpost).to_contain_text("Access to Work")
    expect(signpost).to_contain_text(
        "employed, are about to start paid work, or need help with a job interview"
    )
    expect(signpost).to_contain_text("they are eligible now")
    check(page)
    sign_out(page)

    sign_in(page, world["employer"], PASSWORD, check)
    page.goto(f"/candidates/{world['referral']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(world["customer"])
    adjustments = page.get_by_test_id("adjustments")
    adjustments.get_by_text("Support for adjustments at interview and at work").click()
    expect(adjustments).to_contain_text("Access to Work")
    expect(adjustments).to_contain_text("Ask every candidate whether they need one.")
    check(page)
    assert page.get_by_test_id("access-to-work").count() == 0
    general = adjustments.inner_text()
    main = page.locator("main").inner_text()
    assert not HEALTH.search(main.replace(general, ""))

    # The same words for a candidate with no disability or health condition recorded.
    page.goto(f"/candidates/{world['other']}")
    adjustments = page.get_by_test_id("adjustments")
    adjustments.get_by_text("Support for adjustments at interview and at work").click()
    expect(adjustments).to_contain_text("Access to Work")
    assert adjustments.inner_text() == general
