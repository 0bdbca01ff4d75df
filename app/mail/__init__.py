"""Email: the outbox, its sender and `flask mail`.

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("mail", __name__, cli_group="mail")


def register(app: Flask) -> None:
    from app.mail import cli  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
