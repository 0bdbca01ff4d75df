"""Error pages in the service's own style, for every HTTP error; never a bare traceback."""

from __future__ import annotations

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from app.extensions import db

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


def render_error(code: int):
    title = TITLES.get(code, TITLES[500 if code >= 500 else 400])
    message = MESSAGES.get(code, MESSAGES[500 if code >= 500 else 400])
    template = "errors/_error.html" if getattr(request, "htmx", False) else "errors/error.html"
    return render_template(template, code=code, title=title, message=message), code


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code is None or error.code < 400:
            return error
        if error.code >= 500:
            db.session.rollback()
        return render_error(error.code)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError):
        db.session.rollback()
        app.logger.error("Database unavailable: %s", error)
        return render_error(ServiceUnavailable.code)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        db.session.rollback()
        app.logger.exception("Unhandled error", exc_info=error)
        return render_error(InternalServerError.code)
