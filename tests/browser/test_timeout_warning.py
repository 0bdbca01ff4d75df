"""The timeout warning in a real browser: two minutes before an idle sign-out a modal
dialog asks; "Stay signed in" keeps the session, doing nothing ends on the "You have been
signed out" page, which leads back to the same page through sign-in.

The browser's clock (Playwright's) and the live server's session clock are moved on
together, so no test waits half an hour."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from app.auth import sessions
from app.demo.seed import DEMO_PASSWORD
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser

EMPLOYER = "sme@demo.lep.example"


class ServerClock:
    def __init__(self) -> None:
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset


@pytest.fixture
def server_clock(monkeypatch) -> ServerClock:
    clock = ServerClock()
    monkeypatch.setattr(sessions, "clock", clock)
    return clock


def idle(page: Any, server_clock: ServerClock, seconds: int) -> None:
    server_clock.offset += seconds
    page.clock.fast_forward(seconds * 1000)


def test_the_warning_comes_two_minutes_before_and_stay_signed_in_keeps_the_session(
    page: Any, server_clock: ServerClock, check: Callable[[Any], None], tmp_path
) -> None:
    page.clock.install()
    sign_in(page, EMPLOYER, DEMO_PASSWORD, check)
    page.goto("/organisation")
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_hidden()

    idle(page, server_clock, 28 * 60 + 1)

    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("For your security, we will sign you out in 2 minutes.")
    expect(page.get_by_role("button", name="Stay signed in")).to_be_focused()
    check(page)
    page.screenshot(path=str(tmp_path / "timeout-warning.png"))
    page.set_viewport_size({"width": 320, "height": 640})
    page.screenshot(path=str(tmp_path / "timeout-warning-320.png"))

    page.get_by_role("button", name="Stay signed in").click()

    expect(dialog).to_be_hidden()
    idle(page, server_clock, 28 * 60 + 1)
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")  # the pattern's other way to stay
    expect(dialog).to_be_hidden()
    idle(page, server_clock, 20 * 60)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kirkgate Bakery")


def test_doing_nothing_ends_on_the_signed_out_page_which_leads_back_to_the_page(
    page: Any, server_clock: ServerClock, check: Callable[[Any], None]
) -> None:
    page.clock.install()
    sign_in(page, EMPLOYER, DEMO_PASSWORD, check)
    page.goto("/organisation")

    idle(page, server_clock, 28 * 60 + 1)
    expect(page.get_by_role("dialog")).to_be_visible()
    idle(page, server_clock, 2 * 60)

    page.wait_for_url(re.compile(r"/signed-out\?reason=timeout"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You have been signed out")
    check(page)
    page.get_by_role("link", name="Sign in again").click()
    page.get_by_label("Email address").fill(EMPLOYER)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(re.compile(r"/organisation$"))
