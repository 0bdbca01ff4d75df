"""Which language a page is in: English or Welsh (the Welsh Language Standards).

`?lang=cy` or `?lang=en` on any page switches language; the choice is remembered for the
visit in the session and, for a signed-in person, stored as their preferred language. Without
a choice the browser's Accept-Language decides.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from babel.support import NullTranslations
from flask import Flask, g, has_request_context, request, session
from flask_babel import Domain, get_locale
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


class RequestDomain(Domain):
    """Flask-Babel's message domain, finding the request's catalogue once.

    Flask-Babel looks up the locale and then the catalogue for every message, through half a
    dozen context-local look-ups and a locale name built afresh each time: a page shows some
    250 messages. This keeps the catalogue in the slot Flask-Babel itself empties when the
    locale changes (`refresh`, and `force_locale`, which restores it afterwards), together
    with the locale it is for, so a catalogue is never used for another locale."""

    def get_translations(self) -> NullTranslations:
        namespace = _babel_namespace()
        cached = getattr(namespace, "babel_translations", None)
        if cached is not None and cached[0] is getattr(namespace, "babel_locale", None):
            return cached[1]
        found = super().get_translations()
        namespace = _babel_namespace()
        if namespace is not None and getattr(namespace, "babel_locale", None) is not None:
            namespace.babel_translations = (namespace.babel_locale, found)
        return found


def _babel_namespace() -> Any:
    """Flask-Babel's per-request namespace, if there is one yet."""
    try:
        return g.get("_flask_babel")
    except RuntimeError:  # outside an application context: a command's default language
        return None


def register(app: Flask) -> None:
    # First of all, so a choice made on a page that then asks you to sign in is kept.
    app.before_request_funcs.setdefault(None, []).insert(0, remember_choice)
    babel = app.extensions["babel"]
    # One domain for the Babel instance, as Flask-Babel's own (its catalogues cached in it).
    domain = babel.instance.__dict__.get("domain_instance")
    if not isinstance(domain, RequestDomain):
        domain = babel.instance.domain_instance = RequestDomain(domain=babel.default_domain)
    # Templates' `_()` straight to the request's catalogue (Flask-Babel's own callables find
    # the domain and the catalogue again for each message). jinja2.ext.i18n adds the method.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda string: domain.get_translations().ugettext(string),
        ngettext=lambda singular, plural, n: domain.get_translations().ungettext(
            singular, plural, n
        ),
        newstyle=True,
        pgettext=lambda context, string: domain.get_translations().upgettext(context, string),
        npgettext=lambda context, singular, plural, n: domain.get_translations().unpgettext(
            context, singular, plural, n
        ),
    )
    app.jinja_env.globals["current_language"] = current_language
    app.jinja_env.globals["language_toggle"] = language_toggle
