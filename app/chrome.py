"""The page chrome (skip link, header with the service navigation and phase banner, footer,
timeout warning), rendered once per language, role and section, and reused.

Drawn through the GOV.UK macros it cost every page a few hundred macro calls for the same
HTML. Now each part is rendered from `templates/components/_chrome.html` once per key (the
language and its catalogue, the role or nobody signed in, the page's section of the service
navigation, the URL prefix and what else the part shows: `chrome_key`), with placeholders
where a page's own values go, and each page fills them in: the signed-in person's name, the
CSRF token (never baked into a cache: it is the session's) and the link to the page in the
other language. Nothing of one person's reaches another's page: the cache holds only what
the key determines. `tests/web/test_chrome.py` renders every part afresh for each role,
language and section and compares.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from flask import current_app, request
from flask_babel import get_translations
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from app.i18n import LANGUAGE_NAMES, current_language, language_toggle
from app.navigation import current_section, navigation_items

PARTS = ("skip_link", "header", "footer", "timeout_warning")
TEMPLATE = "components/_chrome.html"
# Private-use characters: HTML escaping leaves them alone and no page text holds them.
USER_NAME = "\ue000user-name\ue001"
CSRF = "\ue000csrf\ue001"
TOGGLE_HREF = "\ue000toggle-href\ue001"
#: Entries kept (a handful of roles times their sections, two languages): a bound, not a size
#: expected to be reached.
MOST_ENTRIES = 2_000


def chrome(part: str, *, navigation: bool = True) -> Markup:
    """One part of the chrome for this request (`navigation=False`: the header without the
    service navigation, for the page shown while the database is unavailable)."""
    key = chrome_key(part, navigation)
    cache: dict[Hashable, str] = current_app.extensions.setdefault("chrome", {})
    html = cache.get(key)
    if html is None:
        html = _render(part, _context(key, placeholders=True))
        if len(cache) >= MOST_ENTRIES:
            cache.clear()
        cache[key] = html
    return Markup(_fill(html))


def fresh(part: str, *, navigation: bool = True) -> Markup:
    """The part rendered now with this request's own values, never cached (for the tests)."""
    return Markup(_render(part, _context(chrome_key(part, navigation), placeholders=False)))


def chrome_key(part: str, navigation: bool = True) -> tuple:
    """Everything the part's HTML depends on but its placeholders."""
    if part not in PARTS:
        raise ValueError(f"no chrome part {part!r}")
    signed_in = bool(current_user.is_authenticated)
    common = (part, current_language(), get_translations(), request.script_root, signed_in)
    if part == "header":
        role = current_user.role.value if signed_in else None
        section = current_section(role, request.endpoint) if navigation else None
        return (*common, navigation, role, section)
    if part == "timeout_warning":
        config = current_app.config
        return (*common, config["SESSION_IDLE_MINUTES"], config["SESSION_WARNING_SECONDS"])
    return common


def _context(key: tuple, *, placeholders: bool) -> dict[str, Any]:
    part, language, _catalogue, _prefix, signed_in = key[:5]
    other = "en" if language == "cy" else "cy"
    context: dict[str, Any] = {
        "signed_in": signed_in,
        "toggle": {
            "href": TOGGLE_HREF if placeholders else language_toggle()["href"],
            "lang": other,
            "text": LANGUAGE_NAMES[other],
        },
        "navigation": None,
        "user_name": "",
        "csrf": "",
    }
    if signed_in:
        context["user_name"] = USER_NAME if placeholders else current_user.name
        context["csrf"] = CSRF if placeholders else generate_csrf()
    if part == "header":
        navigation, role, section = key[5:]
        if navigation:
            context["navigation"] = navigation_items(role, section)
    return context


def _render(part: str, context: dict[str, Any]) -> str:
    template = current_app.jinja_env.get_template(TEMPLATE)
    return "".join(template.blocks[part](template.new_context(context)))


def _fill(html: str) -> str:
    if USER_NAME in html:
        html = html.replace(USER_NAME, str(escape(current_user.name)))
    if CSRF in html:
        html = html.replace(CSRF, str(escape(generate_csrf())))
    if TOGGLE_HREF in html:
        html = html.replace(TOGGLE_HREF, str(escape(language_toggle()["href"])))
    return html
