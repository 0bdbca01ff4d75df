"""Staff administration: offices, districts and staff invitations.

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("admin", __name__, url_prefix="/admin")


def register(app: Flask) -> None:
    from app.admin import routes  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
