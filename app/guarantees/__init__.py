"""Guaranteed interviews: every guarantee an obligation with a clock (issue 20).

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("guarantees", __name__)


def register(app: Flask) -> None:
    from app.guarantees import cli, routes  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
