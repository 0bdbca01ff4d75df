"""One answer for a page that HTMX also updates in place: the whole page, or one block of it.

A page that HTMX swaps part of answers an HTMX request with that part only. But htmx also
asks for a page it pushed into the history when Back (or a reload) finds no snapshot of it:
that request carries `HX-Request` too, and `HX-History-Restore-Request: true`, and it must
get the whole page, or Back shows a fragment without the layout around it. Every view that
answers HTMX goes through `wants_fragment` (or `render_page`, which uses it), so none can
forget the restore.
"""

from __future__ import annotations

from typing import Any

from flask import Response, make_response, render_template, request
from jinja2_fragments.flask import render_block


def wants_fragment(target: str | None = None) -> bool:
    """True for an HTMX request that swaps part of the page (aimed at `target`, an element
    id, when given); False for an ordinary request and for htmx's history restore."""
    htmx = request.htmx
    if not htmx or htmx.history_restore_request:
        return False
    return target is None or htmx.target == target


def render_page(
    template: str,
    block: str,
    *,
    status_code: int = 200,
    target: str | None = None,
    **context: Any,
) -> Response:
    """`template` whole, or only its `block` for an HTMX swap (see `wants_fragment`).

    The response varies on `HX-Request`, so no cache hands the fragment to a full load."""
    if wants_fragment(target):
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body, status_code)
    response.vary.add("HX-Request")
    response.vary.add("HX-History-Restore-Request")
    return response
