"""Sign-in throttling that keeps guessing slow without letting anyone lock an owner out.

Three limits, after the OWASP Authentication Cheat Sheet ("Login Throttling", "Account
Lockout"):

- **Per address** (`SIGN_IN_RATE_LIMIT`, Flask-Limiter on the route): every attempt from one
  address, whatever the account. It bounds one machine, and only the people at that
  address share it.
- **Per account, wrong passwords only** (`SIGN_IN_ACCOUNT_FAILURE_LIMIT`, here): failures for
  one email address from anywhere. Someone else's wrong guesses never refuse the owner's
  right password while the account is under it: a correct password is always accepted.
- **Beyond that ceiling** the account is *guarded*: sign-in no longer checks the password
  at all, and every attempt, right or wrong, gets the same answer, pointing to the emailed
  password reset. Guesses made then can never succeed and reveal nothing, so guessing from
  any number of addresses is bounded by the ceiling (100 a day by default, against
  passwords that are 10 characters or more and not among the 30,000 most common). The
  owner is never shut out: the reset link in their inbox signs them in (and, being proof
  of the mailbox, clears the guard), and a guard lasts only until its window ends.

The counters use Flask-Limiter's storage (Redis in production), so that every process
sees the same counts; when Redis does not answer they fall back to this process's memory
with a logged warning, as Flask-Limiter's own limits do.
"""

from __future__ import annotations

import logging

from flask import current_app
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import FixedWindowRateLimiter, RateLimiter

from app.auth.rules import normalise_email
from app.extensions import limiter

log = logging.getLogger(__name__)
_in_process = FixedWindowRateLimiter(MemoryStorage())


def _limits(setting: str) -> list[RateLimitItem]:
    return parse_many(current_app.config[setting])


def _keys(kind: str, email: str) -> tuple[str, ...]:
    return (current_app.config["RATELIMIT_KEY_PREFIX"], kind, normalise_email(email)[:254])


def _enabled() -> bool:
    return bool(limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True))


def _strategy() -> RateLimiter:
    # Flask-Limiter's own strategy is its in-memory fallback while Redis is known to be down.
    return limiter.limiter


def _test(item: RateLimitItem, keys: tuple[str, ...]) -> bool:
    try:
        return _strategy().test(item, *keys)
    except Exception:  # any storage failure: Redis down, a timeout, a refused connection
        log.warning("Rate limit storage unreachable: counting sign-in failures in this process")
        return _in_process.test(item, *keys)


def _hit(item: RateLimitItem, keys: tuple[str, ...]) -> bool:
    try:
        return _strategy().hit(item, *keys)
    except Exception:
        log.warning("Rate limit storage unreachable: counting sign-in failures in this process")
        return _in_process.hit(item, *keys)


def _clear(item: RateLimitItem, keys: tuple[str, ...]) -> None:
    for strategy in (_strategy(), _in_process):
        try:
            strategy.clear(item, *keys)
        except Exception:
            log.warning("Rate limit storage unreachable: could not clear a sign-in counter")


def account_is_guarded(email: str) -> bool:
    """Whether this account has had more wrong passwords than its ceiling allows."""
    if not _enabled():
        return False
    keys = _keys("sign-in-failures", email)
    return any(not _test(item, keys) for item in _limits("SIGN_IN_ACCOUNT_FAILURE_LIMIT"))


def record_failure(email: str) -> None:
    if _enabled():
        keys = _keys("sign-in-failures", email)
        for item in _limits("SIGN_IN_ACCOUNT_FAILURE_LIMIT"):
            _hit(item, keys)


def clear_failures(email: str) -> None:
    """The owner proved they hold the mailbox (a reset link): lift the guard."""
    if _enabled():
        keys = _keys("sign-in-failures", email)
        for item in _limits("SIGN_IN_ACCOUNT_FAILURE_LIMIT"):
            _clear(item, keys)


def recipient_key(email: str) -> str:
    """Flask-Limiter's key for emails to one address (password reset, verification)."""
    return "emails-to:" + normalise_email(email)[:254]
