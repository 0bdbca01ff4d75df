"""Referrals of customers to vacancies and the employer's candidate review.

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("referrals", __name__)


def register(app: Flask) -> None:
    from app.referrals import routes  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
