"""Back after an HTMX swap: htmx asks the server again for a URL it pushed
(`HX-History-Restore-Request: true`, with `HX-Request` too) and must get the whole page,
layout and all, not the fragment a swap gets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.callback_factories import lmra, signed_in_as
from tests.factories import DistrictFactory
from tests.helpers import check_html, sign_in
from tests.report_factories import MONTH_ARGS, mi_world

SWAP = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
APP = Path(__file__).resolve().parents[2] / "app"


def _whole(response) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().lower().startswith("<!doctype html>"), html[:200]
    check_html(html)
    return html


@pytest.mark.parametrize("path", ["/reports", "/reports/sectors"])
def test_back_after_changing_the_mi_filters_gets_the_whole_page(client, path):
    world = mi_world()
    sign_in(client, world.coordinator)
    url = f"{path}?{MONTH_ARGS}"
    assert "<html" not in client.get(url, headers=SWAP).get_data(as_text=True)
    restored = client.get(url, headers=RESTORE)
    html = _whole(restored)
    assert "figures" in html and "govuk-template__header" in html
    assert "HX-History-Restore-Request" in restored.headers["Vary"]


def test_back_to_the_call_back_queue_gets_the_whole_page(client):
    me = lmra(DistrictFactory())
    signed_in_as(client, me)
    assert "<html" not in client.get("/call-backs", headers=SWAP).get_data(as_text=True)
    html = _whole(client.get("/call-backs", headers=RESTORE))
    assert 'id="callback-results"' in html


def test_no_view_reads_request_htmx_but_through_the_one_helper():
    """Every HTMX branch goes through app.rendering, which answers a restore in full."""
    offenders = [
        f"{path.relative_to(APP)}:{number}"
        for path in APP.rglob("*.py")
        if path.name != "rendering.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"request\.htmx\b", line)
    ]
    assert not offenders, offenders
