"""Which language a page is in: English or Welsh (the Welsh Language Standards).

`?lang=cy` or `?lang=en` on any page switches language; the choice is remembered for the
visit in the session and, for a signed-in person, stored as their preferred language. Without
a choice the browser's Accept-Language decides.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, has_request_context, request, session
from flask_babel import get_locale
from flask_login import current_user

LANGUAGES = ("en", "cy")
# The toggle names each language in that language, so a reader finds their own.
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}
SESSION_KEY = "lang"


def select_locale() -> str | None:
    """Flask-Babel's locale selector: the request's, the visit's, the person's or the browser's."""
    if not has_request_context():
        return None  # a command or the mail sender: the default, unless force_locale says
    chosen = request.args.get("lang")
    if chosen in LANGUAGES:
        return chosen
    remembered = session.get(SESSION_KEY)
    if remembered in LANGUAGES:
        return remembered
    preferred = getattr(current_user, "preferred_language", None)
    if preferred in LANGUAGES:
        return preferred
    return request.accept_languages.best_match(LANGUAGES, default="en")


def remember_choice() -> None:
    """Keep a `?lang=` choice for the visit and, when signed in, on the person."""
    chosen = request.args.get("lang")
    if chosen not in LANGUAGES:
        return
    session[SESSION_KEY] = chosen
    if current_user.is_authenticated and current_user.preferred_language != chosen:
        from app.extensions import db

        current_user.preferred_language = chosen
        db.session.commit()


def current_language() -> str:
    return get_locale().language if get_locale() else "en"


def language_toggle() -> dict[str, str]:
    """The header link to this page in the other language, the other query args kept."""
    other = "en" if current_language() == "cy" else "cy"
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    args.append(("lang", other))
    # "@" is legal in a query (RFC 3986): an email address in the link reads as typed.
    return {
        "href": f"{request.path}?{urlencode(args, safe='@')}",
        "lang": other,
        "text": LANGUAGE_NAMES[other],
    }


def register(app: Flask) -> None:
    # First of all, so a choice made on a page that then asks you to sign in is kept.
    app.before_request_funcs.setdefault(None, []).insert(0, remember_choice)
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["language_toggle"] = language_toggle
