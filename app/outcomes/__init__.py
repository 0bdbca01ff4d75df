"""Job outcomes, their validation and sustainment, and `flask outcomes ask-sustainment`.

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("outcomes", __name__, cli_group="outcomes")


def register(app: Flask) -> None:
    from app.outcomes import cli, routes  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
