"""`flask users`: staff accounts from the command line.

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("users", __name__, cli_group="users")


def register(app: Flask) -> None:
    from app.users import cli  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
