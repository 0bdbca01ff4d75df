"""Bearer API keys: the API's only way in. A page never reads the header, and the API never
reads the session, so a key opens no page and a signed-in browser opens no API route."""

from __future__ import annotations

from flask import g, request

from app.api import keys
from app.api.problems import problem
from app.extensions import db

SCHEME = "bearer "


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    if header[: len(SCHEME)].lower() != SCHEME:
        return None
    return header[len(SCHEME) :].strip() or None


def rate_limit_key() -> str:
    """Flask-Limiter counts per key: by its hash, which is what the database holds too."""
    token = bearer_token()
    return f"api-key:{keys.key_hash(token)}" if token else f"api-anonymous:{request.remote_addr}"


def authenticate():
    """Run by `app.policy.enforce` before every API view: None lets the request through."""
    token = bearer_token()
    found = keys.find_in_use(token) if token else None
    if found is None:
        response = problem(401, "Send a valid API key as Authorization: Bearer <key>.")
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
        return response
    api_key, user = found
    keys.record_use(api_key, request.method, request.path)
    db.session.commit()
    g.api_key = api_key
    # Flask-Login's own slot for the request's user: the services see the key's creator,
    # and nothing is written to a session.
    g._login_user = user
    return None
