"""Local labour market intelligence in a real browser (issue 18).

The demo training provider, partnered for West Yorkshire, opens the local labour market from
its LEP partnership page: the figures are for its district, the only place it may choose;
every chart is drawn in colour; it downloads the fill rate as CSV, whose total is the table's.
Then a LEP coordinator opens the page from the navigation and switches to England. Every
page is checked with axe and for console errors.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from app.demo.seed import DEMO_PASSWORD
from tests.browser.journeys import sign_in, sign_out
from tests.browser.test_charts_render import COLOURS_OF_IMAGES

pytestmark = pytest.mark.browser

PROVIDER = "provider@demo.lep.example"  # Leeds Skills Partnership, partnered for West Yorkshire
COORDINATOR = "coordinator@demo.lep.example"
FIGURES = 6


def _charts(page: Any) -> list[dict[str, Any]]:
    images = page.locator("img[src*='/labour-market/charts/']")
    expect(images).to_have_count(FIGURES)
    for index in range(FIGURES):
        images.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img')].every(i => i.complete && i.naturalWidth)"
    )
    return images.evaluate_all(COLOURS_OF_IMAGES)


def test_a_partnered_provider_reads_its_district_and_a_coordinator_switches_to_a_nation(
    page: Any, check: Callable[[Any], None]
) -> None:
    sign_in(page, PROVIDER, DEMO_PASSWORD, check)
    page.get_by_role("link", name="LEP partnership").first.click()
    page.get_by_test_id("sections").get_by_role("link", name="Local labour market").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local labour market")
    expect(page.get_by_test_id("lmi-place")).to_contain_text("West Yorkshire: ")
    place = page.get_by_label("Nation or district")
    expect(place.locator("option")).to_have_text(["West Yorkshire"])
    for chart in _charts(page):
        # Background, text, axes and at least two series' colours: never one black shape.
        assert chart["colours"] >= 4 and not chart["black"], chart
    check(page)
    page.screenshot(path="/tmp/lmi-provider.png", full_page=True)

    filled = page.locator("section", has=page.locator("#figure-fill-rate"))
    shown_total = filled.locator("tfoot td").nth(1).inner_text()
    with page.expect_download() as download:
        filled.get_by_role("link", name="Download this table (CSV)").click()
    assert download.value.suggested_filename.startswith("fill-rate-west-yorkshire-")
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert rows[0] == ["Month", "Closed", "Filled", "Closed without filling", "Fill rate"]
    assert len(rows) == 1 + 12 + 1 and rows[-1][0] == "Total"
    assert rows[-1][2] == shown_total.strip() and int(rows[-1][2]) > 0
    sign_out(page)

    sign_in(page, COORDINATOR, DEMO_PASSWORD, check)
    page.get_by_role("link", name="Local labour market").click()
    expect(page.get_by_test_id("lmi-place")).to_contain_text("West Yorkshire: ")
    page.get_by_label("Nation or district").select_option(label="England")
    page.get_by_role("button", name="Show figures").click()
    expect(page.get_by_test_id("lmi-place")).to_contain_text("England: ")
    expect(page).to_have_url(re.compile(r"/labour-market\?place=england$"))
    for chart in _charts(page):
        assert chart["colours"] >= 4 and not chart["black"], chart
    check(page)
    page.screenshot(path="/tmp/lmi-coordinator-england.png", full_page=True)
