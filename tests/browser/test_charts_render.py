"""MI charts as a person sees them: drawn in colour in the page and at their own URL, under
the Content-Security-Policy users get (no inline style)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.browser.conftest import TIMEOUT_MS
from tests.browser.journeys import sign_in

pytestmark = pytest.mark.browser

COORDINATOR = "coordinator@demo.lep.example"

# Draw each chart image onto a canvas and count the distinct colours it paints: a chart
# without its styling is one black rectangle (a single colour).
COLOURS_OF_IMAGES = """
images => images.map(image => {
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth; canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = new Set();
  for (let i = 0; i < pixels.length; i += 16) {
    colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
  }
  return {src: image.getAttribute('src'), colours: colours.size, width: canvas.width,
          black: colours.size === 1 && colours.has(0)};
})
"""


def _charts_on(page: Any, path: str) -> list[dict[str, Any]]:
    # "load" waits for every chart the server draws (15 on the MI page, 0.7 s on a quiet
    # machine): beside the crawl on a loaded CI machine that passed the usual 10 s once.
    page.goto(path, timeout=3 * TIMEOUT_MS)
    images = page.locator("img[src*='/reports/charts/']")
    assert images.count() > 0
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img')].every(i => i.complete && i.naturalWidth)"
    )
    return images.evaluate_all(COLOURS_OF_IMAGES)


@pytest.mark.parametrize("path", ["/reports", "/reports/sectors"])
def test_every_mi_chart_is_drawn_in_colour_in_the_page(
    page: Any, check: Callable[[Any], None], path: str
) -> None:
    sign_in(page, COORDINATOR, "demo-portal-password", check)
    page.wait_for_url("**/")
    charts = _charts_on(page, path)
    for chart in charts:
        assert chart["width"] > 0, chart
        # Background, text, axes and at least the legend's series colours.
        assert chart["colours"] >= 4, chart
    check(page)


def test_a_chart_at_its_own_url_is_drawn_in_colour(page: Any, check: Callable[[Any], None]) -> None:
    sign_in(page, COORDINATOR, "demo-portal-password", check)
    page.wait_for_url("**/")
    page.goto("/reports/sectors")
    src = page.locator("img[src*='/reports/charts/']").first.get_attribute("src")
    page.goto(src)
    fills = page.evaluate(
        """() => [...document.querySelectorAll('rect')].map(r => getComputedStyle(r).fill)"""
    )
    assert "rgb(255, 255, 255)" in fills  # the background
    assert "rgb(29, 112, 184)" in fills  # the first series' GOV.UK blue (its legend key)
    assert fills.count("rgb(0, 0, 0)") == 0
