"""The API for employers' recruitment systems (`/api/v1`) and the API keys that open it.

`bp` holds the API's routes (`routes.py`, `docs.py`); `keys_bp` the portal's "API keys"
pages (`key_routes.py`). `register` binds what the API needs beyond its routes: no CSRF, no
session, problem details for every error, and a rate limit per key.
"""

from __future__ import annotations

from flask import Blueprint, Flask, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import HTTPException

PREFIX = "/api/v1"

bp = Blueprint("api", __name__, url_prefix=PREFIX)


def _is_api(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def _sessionless(path: str) -> bool:
    """Every API path but the documentation page, which is a page of the portal."""
    return _is_api(path) and path != PREFIX + "/docs"


class SessionInterface(SecureCookieSessionInterface):
    """No session on the API: its requests neither read nor set the cookie. Writing to the
    session during one raises, so a change that would leak one fails loudly."""

    def open_session(self, app, request):
        if _sessionless(request.path):
            return self.null_session_class()
        return super().open_session(app, request)


def register(app: Flask) -> None:
    from app.api import docs, hooks, routes  # noqa: F401 - set up bp before it is registered
    from app.api.cli import cli_bp
    from app.api.key_routes import keys_bp
    from app.api.problems import from_http_exception, problem
    from app.extensions import csrf, db

    csrf.exempt(bp)
    app.register_blueprint(bp)
    app.register_blueprint(keys_bp)
    app.register_blueprint(cli_bp)
    app.session_interface = SessionInterface()

    # Errors raised before a view is chosen (a 404 for an unknown path, a 405, a 429) and
    # errors nobody expected reach only the app's handlers: answer API paths with problem
    # details there, and pages as before. So `errors.register` must have run first.
    handlers = app.error_handler_spec[None][None]
    page_http_error, page_unexpected = handlers[HTTPException], handlers[Exception]

    def http_error(error: HTTPException):
        if _is_api(request.path) and error.code and error.code >= 400:
            return from_http_exception(error)
        return page_http_error(error)

    def unexpected(error: Exception):
        if not _is_api(request.path):
            return page_unexpected(error)
        # The page's handler draws the error page, which needs a session: not here.
        db.session.rollback()
        app.logger.exception("Unhandled error", exc_info=error)
        return problem(500)

    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)
