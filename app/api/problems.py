"""Errors as RFC 9457 problem details (`application/problem+json`)."""

from __future__ import annotations

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: "Bad request",
    401: "Unauthorised",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    415: "Unsupported media type",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
}


def problem(
    status: int, detail: str = "", *, errors: list[dict] | None = None, **extra
) -> Response:
    """A problem document; `errors` lists `{"field", "message"}`, each message the one the
    portal's form shows beside that field."""
    body: dict = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    body.update(extra)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM_JSON
    return response


class ApiProblem(Exception):
    """Raised inside an API view; the blueprint turns it into its problem document."""

    def __init__(self, status: int, detail: str = "", errors: list[dict] | None = None) -> None:
        super().__init__(detail)
        self.status, self.detail, self.errors = status, detail, errors


def from_http_exception(error: HTTPException) -> Response:
    response = problem(error.code or 500, error.description or "")
    if error.code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    for name in ("Retry-After", "Allow"):
        value = error.get_response().headers.get(name)
        if value:
            response.headers[name] = value
    return response
