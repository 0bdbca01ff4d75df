"""How long a signed-in session lasts: an idle limit and an absolute limit, both checked on
every request.

The session is a signed cookie, so these times travel in it: `signed_in_at` is set once at
sign-in and `last_seen` at every request. A copied cookie is therefore dead once its own
`last_seen` is older than the idle limit, however busy the person it was copied from is.
Flask-Login's user loader separately checks the session generation (see `load_user`), which
ends every copy of a session at sign-out or a password change.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from flask import Flask, current_app, flash, request, session, url_for
from flask_babel import ngettext
from flask_login import logout_user

from app.auth.rules import safe_next_url

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# The timeout warning asks how long is left; asking must not count as using the portal.
NOT_ACTIVITY = frozenset({"auth.session_remaining"})
clock = time.time  # tests move it on


def idle_seconds() -> int:
    return current_app.config["SESSION_IDLE_MINUTES"] * 60


def absolute_seconds() -> int:
    return current_app.config["SESSION_ABSOLUTE_HOURS"] * 60 * 60


def start() -> None:
    """Call straight after login_user."""
    now = clock()
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN] = now


def seconds_left(now: float | None = None) -> float:
    """How long this session has before either limit ends it; 0 if it has ended."""
    now = clock() if now is None else now
    signed_in_at, last_seen = session.get(SIGNED_IN_AT), session.get(LAST_SEEN)
    if not isinstance(signed_in_at, int | float) or not isinstance(last_seen, int | float):
        return 0  # a session from before these limits, or one written by hand
    return max(0.0, min(last_seen + idle_seconds() - now, signed_in_at + absolute_seconds() - now))


def end() -> None:
    """Forget who is signed in, and everything else this session held."""
    logout_user()
    session.clear()


def check():
    """Before every request: end a session past either limit, else note this request."""
    if "_user_id" not in session:
        return None
    now = clock()
    if seconds_left(now) <= 0:
        return _expired(now)
    if request.endpoint not in NOT_ACTIVITY:
        session[LAST_SEEN] = now
    return None


def _expired(now: float):
    signed_in_at = session.get(SIGNED_IN_AT)
    too_long = not isinstance(signed_in_at, int | float) or (
        now - signed_in_at >= absolute_seconds()
    )
    end()
    if too_long:
        hours = current_app.config["SESSION_ABSOLUTE_HOURS"]
        flash(
            ngettext(
                "For your security, you need to sign in again every hour.",
                "For your security, you need to sign in again every %(num)d hours.",
                hours,
            ),
            "important",
        )
    else:
        minutes = current_app.config["SESSION_IDLE_MINUTES"]
        flash(
            ngettext(
                "You were signed out because you had not used the portal for %(num)d minute.",
                "You were signed out because you had not used the portal for %(num)d minutes.",
                minutes,
            ),
            "important",
        )
    if getattr(request, "htmx", False):
        # An HTMX request would swap the sign-in page into part of a page: send the whole
        # page there instead, to come back to the page the person was on.
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        path = current.path + (f"?{current.query}" if current.query else "")
        target = url_for("auth.sign_in", next=safe_next_url(path))
        return current_app.response_class(status=204, headers={"HX-Redirect": target})
    return None  # the access check sends a page request to sign in, with `next`


def register(app: Flask) -> None:
    app.before_request(check)
