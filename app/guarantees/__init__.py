"""Guaranteed interviews: every guarantee an obligation with a clock (issue 20)."""

from flask import Blueprint

bp = Blueprint("guarantees", __name__)
