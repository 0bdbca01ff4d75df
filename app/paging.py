"""Whole-number arguments in a page's URL: the page number of a list, and the like.

A value that is not a whole number, or is outside the range the page offers, is a malformed
address: 400, never a silent guess and never a 500.
"""

from __future__ import annotations

from flask import abort, request

#: Pages a list goes to at most: a list that long is better searched than paged.
MOST_PAGES = 1000


def int_arg(name: str, default: int, low: int, high: int) -> int:
    """The query argument `name` as a whole number from `low` to `high` (else 400)."""
    try:
        value = int(request.args.get(name, default))
    except ValueError:
        abort(400)
    if not low <= value <= high:
        abort(400)
    return value


def page_number(most: int = MOST_PAGES) -> int:
    """The `page` argument of a list: 1 when absent, 1 to `most` (else 400)."""
    return int_arg("page", 1, 1, most)
