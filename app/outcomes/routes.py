"""Routes for outcomes."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("outcomes", __name__)
