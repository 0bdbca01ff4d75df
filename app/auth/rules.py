"""Password and sign-in rules, as plain functions.

Following the NCSC's password guidance: length matters, composition rules do not, and the
most common passwords are refused outright ("Password administration for system owners",
NCSC, 2018: use a deny list, no complexity requirements, allow long passwords).
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256


@cache
def common_passwords() -> frozenset[str]:
    # The 30,000 most common passwords from leaked lists, as shipped by zxcvbn.
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"])


def password_problem(password: str, *, email: str = "", name: str = "") -> LazyString | None:
    """Why a password is not acceptable, or None when it is."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Password must be %(count)s characters or more", count=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _l("Password must be %(count)s characters or fewer", count=MAX_PASSWORD_LENGTH)
    folded = password.casefold()
    if folded in common_passwords() or len(set(folded)) <= 2:
        return _l("This password is too common. Try three random words, like ‘kettle forest lamp’")
    for personal in (email.casefold(), email.casefold().split("@")[0], name.casefold()):
        if personal and len(personal) >= 4 and personal in folded:
            return _l("Password must not contain your name or email address")
    return None


def safe_next_url(target: str | None) -> str | None:
    """A `next` address only if it stays on this site (a path, no scheme and no host)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(char) < 32 for char in target):
        return None
    return target


def normalise_email(email: str) -> str:
    return email.strip().lower()
