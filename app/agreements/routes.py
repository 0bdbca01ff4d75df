"""Routes for agreements."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("agreements", __name__)
