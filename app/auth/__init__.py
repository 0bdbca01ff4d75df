"""Signing in and out, sessions, passwords and invitations.

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("auth", __name__)


def register(app: Flask) -> None:
    from app.auth import routes  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
