"""Vacancies, the minimum wage and fair-shot advice.

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("vacancies", __name__)


def register(app: Flask) -> None:
    from app.vacancies import routes  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
