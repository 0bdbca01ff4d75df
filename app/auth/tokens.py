"""Signed, expiring, single-use links for email verification, password reset and invitations.

A token names the user and their security stamp; using it changes the stamp, so the same
link never works twice, and any older link dies with it.
"""

from __future__ import annotations

import uuid

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.auth.models import User
from app.extensions import db

PURPOSES = ("verify-email", "reset-password", "invitation")


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown token purpose {purpose!r}")
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"lep-{purpose}")


def make_token(user: User, purpose: str) -> str:
    return _serializer(purpose).dumps({"user": str(user.id), "stamp": user.security_stamp})


def user_for_token(token: str, purpose: str, max_age: int) -> User | None:
    """The user the token was made for, if it is genuine, in date and not yet used."""
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
        user_id = uuid.UUID(payload["user"])
        stamp = payload["stamp"]
    except (BadSignature, SignatureExpired, KeyError, TypeError, ValueError):
        return None
    user = db.session.get(User, user_id)
    if user is None or user.security_stamp != stamp or not user.active:
        return None
    return user
