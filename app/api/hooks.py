"""What every API request gets: a rate limit per key, problem details for its errors, and the
`RateLimit` header fields. Set up once, on import, before the blueprint is registered."""

from __future__ import annotations

import time

from flask import current_app

from app.api import bp
from app.api.auth import rate_limit_key
from app.api.problems import ApiProblem, problem
from app.extensions import limiter


def _api_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


limiter.limit(_api_limit, key_func=rate_limit_key)(bp)


@bp.errorhandler(ApiProblem)
def api_problem(error: ApiProblem):
    return problem(error.status, error.detail, errors=error.errors)


@bp.after_request
def rate_limit_headers(response):
    """The IETF `RateLimit` fields beside Flask-Limiter's `X-RateLimit-*` ones."""
    limit = limiter.current_limit
    if limit is not None:
        response.headers["RateLimit-Limit"] = str(limit.limit.amount)
        response.headers["RateLimit-Remaining"] = str(max(0, limit.remaining))
        response.headers["RateLimit-Reset"] = str(max(0, int(limit.reset_at - time.time())))
    response.headers.setdefault("Cache-Control", "no-store")
    return response
