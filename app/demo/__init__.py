"""`flask demo`: demonstration data and logins.

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("demo", __name__, cli_group="demo")


def register(app: Flask) -> None:
    from app.demo import cli  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
