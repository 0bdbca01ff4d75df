"""Routes for pre-employment training."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("pet", __name__)
