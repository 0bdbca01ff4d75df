"""LEP agreements, their requests and measures, and `flask agreements chase`.

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("agreements", __name__)


def register(app: Flask) -> None:
    from app.agreements import cli, routes  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
