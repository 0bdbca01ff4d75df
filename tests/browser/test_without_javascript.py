"""The service works with JavaScript off: plain forms, plain links, server-side redirects."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from app.demo.seed import DEMO_PASSWORD
from tests.browser.journeys import sign_in, sign_out

pytestmark = pytest.mark.browser


def test_an_employer_signs_in_and_out_without_javascript(
    page_without_js: Any, check: Callable[[Any], None]
) -> None:
    page = page_without_js
    sign_in(page, "sme@demo.lep.example", DEMO_PASSWORD, check)
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirkgate Bakery")
    expect(page.get_by_test_id("contact-name")).to_be_visible()
    # GOV.UK Frontend's inline script never ran: the page really had no JavaScript.
    expect(page.locator("body")).not_to_have_class(re.compile(r"\bjs-enabled\b"))
    check(page)
    sign_out(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    check(page)
