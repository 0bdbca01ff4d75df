"""Error pages in the service's own style, for every HTTP error; never a bare traceback.

When the database cannot be reached (restarting, failing over, out of connections) every
request that needs it gets the 503 page, whether the failure came while loading the signed-in
user, in the view, or at its commit. That page is rendered without the database: the
session is rolled back (its objects expire, so reading `current_user.name` would query
again), and the page is drawn for nobody in particular, without the navigation. A connection
lost only by the end of the request leaves the response as it was: nothing it reports is
undone by the rollback that fails.
"""

from __future__ import annotations

from flask import Flask, current_app, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from app.extensions import db, login_manager

TITLES = {
    400: _l("Sorry, there is a problem with your request"),
    401: _l("You need to sign in"),
    403: _l("You do not have permission to see this page"),
    404: _l("Page not found"),
    405: _l("Sorry, there is a problem with your request"),
    409: _l("This has changed since you opened the page"),
    413: _l("The information you sent is too large"),
    429: _l("Too many attempts"),
    500: _l("Sorry, there is a problem with the service"),
    503: _l("Sorry, the service is unavailable"),
}
MESSAGES = {
    400: _l("Check the address or go back and try again."),
    401: _l("Sign in to use this part of the service."),
    403: _l("If you think you should have access, contact your single point of contact."),
    404: _l(
        "If you typed the web address, check it is correct. If you pasted it, check you "
        "copied the entire address."
    ),
    405: _l("Check the address or go back and try again."),
    409: _l("Someone else may have changed it. Go back, reload the page and try again."),
    413: _l("Go back and send less information."),
    429: _l("You have tried too many times. Wait a few minutes, then try again."),
    500: _l("Try again later. Anything you had already saved has not been lost."),
    503: _l("Try again in a few minutes. Anything you had already saved has not been lost."),
}
# Seconds a client (or a load balancer) should wait before asking again after a 503.
RETRY_AFTER_SECONDS = 30


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` means the database could not be used just now, rather than a bug.

    psycopg reports a lost connection as OperationalError or InterfaceError ("the connection
    is closed"); SQLAlchemy marks any error it took for a disconnect as
    `connection_invalidated`; a pool timeout means every connection was busy.
    """
    if isinstance(error, DBAPIError):
        return error.connection_invalidated or isinstance(error, OperationalError | InterfaceError)
    return isinstance(error, PoolTimeout)


def render_error(code: int):
    title = TITLES.get(code, TITLES[500 if code >= 500 else 400])
    message = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    template = "errors/_error.html" if getattr(request, "htmx", False) else "errors/error.html"
    return render_template(template, code=code, title=title, message=message), code


def render_unavailable():
    """The 503 page, drawn without a single query."""
    _roll_back_quietly()
    # Flask-Login would otherwise load the user (or refresh the expired one) from the
    # database the first time the page reads `current_user`.
    login_manager._update_request_context_with_user()
    body, code = render_error(ServiceUnavailable.code)
    return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def _roll_back_quietly() -> None:
    """Roll back. On a connection that died the rollback itself fails; that loses nothing (a
    rollback only discards), and SQLAlchemy has invalidated the connection, so the next
    checkout gets a fresh one."""
    try:
        db.session.rollback()
    except SQLAlchemyError as error:
        current_app.logger.warning("Rollback on a lost database connection: %s", error)


def _remove_session_quietly(_error: BaseException | None) -> None:
    """Hand the request's connection back at the end of the request, as Flask-SQLAlchemy's
    own teardown does, but without letting a connection that died after the last query
    turn a finished response into gunicorn's bare 500: the rollback that closing does can
    only discard, and everything the response reports was committed before."""
    try:
        db.session.remove()
    except SQLAlchemyError as error:
        if not database_unavailable(error):
            raise
        current_app.logger.warning("Database connection lost by the end of a request: %s", error)
        db.session.remove()  # the connection is invalidated now: this only clears up


def register(app: Flask) -> None:
    # Registered after Flask-SQLAlchemy's teardown, so it runs before it (Flask runs them in
    # reverse), and that one then finds nothing left to remove.
    app.teardown_appcontext(_remove_session_quietly)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code == ServiceUnavailable.code:
            return render_unavailable()
        if error.code >= 500:
            _roll_back_quietly()
        return render_error(error.code)

    @app.errorhandler(SQLAlchemyError)
    def database_error(error: SQLAlchemyError):
        if not database_unavailable(error):
            return unexpected(error)
        app.logger.error("Database unavailable: %s", error)
        return render_unavailable()

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        _roll_back_quietly()
        app.logger.exception("Unhandled error", exc_info=error)
        return render_error(InternalServerError.code)
