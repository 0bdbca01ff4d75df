"""Run axe-core in the page and fail on any WCAG 2.2 A or AA violation."""

from __future__ import annotations

import weakref
from functools import cache
from pathlib import Path
from typing import Any

from config import BASE_DIR

AXE_JS = BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
# The crawl also runs the rules axe tags best practice (landmarks, one h1, heading order).
BEST_PRACTICE_TAGS = [*WCAG_TAGS, "best-practice"]

RUN_AXE = """
async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target, summary: n.failureSummary})),
  }));
}
"""


@cache
def _axe_source() -> str:
    path = Path(AXE_JS)
    if not path.exists():
        raise AssertionError(f"{path} is missing: run `npm ci --ignore-scripts && npm run build`")
    return path.read_text(encoding="utf-8")


# Pages from a context with JavaScript off (see `scripts_off`).
_SCRIPTS_OFF: weakref.WeakSet = weakref.WeakSet()


def scripts_off(page: Any) -> Any:
    """Mark a page whose context was made with `java_script_enabled=False`."""
    _SCRIPTS_OFF.add(page)
    return page


# With script execution disabled, a page's timers never fire, and axe waits on them. The
# page's own scripts never ran, so in such a page timers can safely run as promise callbacks
# (which do still run) without changing what axe sees.
TIMERS_AS_PROMISES = """
() => {
  window.setTimeout = (callback, _delay, ...args) => {
    Promise.resolve().then(() => callback(...args));
    return 0;
  };
  window.clearTimeout = () => {};
}
"""


def violations(page: Any) -> list[dict]:
    # page.evaluate runs in the page without a <script> element, so the page's
    # Content-Security-Policy (script-src 'self') need not be loosened for the test.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        if page in _SCRIPTS_OFF:
            page.evaluate(TIMERS_AS_PROMISES)
        page.evaluate(_axe_source())
    return page.evaluate(RUN_AXE, WCAG_TAGS)


def describe(found: list[dict]) -> str:
    lines = []
    for violation in found:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {', '.join(map(str, node['target']))}")
            if node["summary"]:
                lines.extend(f"      {line}" for line in node["summary"].splitlines())
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    """Fail with every violation on the page as it is now (call after each navigation)."""
    found = violations(page)
    assert not found, f"axe found accessibility problems on {page.url}:\n{describe(found)}"
