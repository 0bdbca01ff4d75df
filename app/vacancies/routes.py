"""Routes for vacancies."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("vacancies", __name__)
