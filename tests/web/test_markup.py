"""Markup rules every template keeps; the browser crawl (tests/browser/test_crawl.py) checks
the pages they make, these fail at once on the template that breaks one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from config import BASE_DIR

TEMPLATES = sorted(
    path
    for path in (Path(BASE_DIR) / "templates").rglob("*.html")
    if "email" not in path.relative_to(Path(BASE_DIR) / "templates").parts
)
TABLE = re.compile(r'<table class="govuk-table"|\{\{ govukTable\(')
SCROLL_REGION = re.compile(
    r'<div class="app-table-scroll" role="region" aria-label="\{\{ .+ \}\}" tabindex="0">\s*$'
)


def _name(path: Path) -> str:
    return str(path.relative_to(BASE_DIR))


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_htmx_attributes_are_written_as_valid_data_attributes(path: Path) -> None:
    # htmx reads data-hx-*; a bare hx-* attribute is not HTML (the Nu HTML Checker's error).
    bare = re.findall(r"(?<![\w-])hx-[a-z-]+=", path.read_text(encoding="utf-8"))
    assert not bare, f"{_name(path)}: write data-{bare[0]}"


@pytest.mark.parametrize("path", TEMPLATES, ids=_name)
def test_every_table_scrolls_in_a_named_focusable_region(path: Path) -> None:
    # WCAG 1.4.10: at 320 px a wide table scrolls in its own box, not the whole page.
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if TABLE.search(line):
            assert number > 0 and SCROLL_REGION.search(lines[number - 1]), (
                f"{_name(path)}:{number + 1}: wrap the table in "
                '<div class="app-table-scroll" role="region" aria-label="…" tabindex="0">'
            )
