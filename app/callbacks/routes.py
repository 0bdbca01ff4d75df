"""Routes for callbacks."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("callbacks", __name__)
