"""The 48-hour call-back: the queue, the call, timeliness, and `flask callbacks remind`.

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("callbacks", __name__, cli_group="callbacks")


def register(app: Flask) -> None:
    from app.callbacks import call_routes, cli, routes, timeliness_routes  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
