"""The home page, made of each area's panels.

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("main", __name__)


def register(app: Flask) -> None:
    from app.main import routes  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
