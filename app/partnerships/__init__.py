"""The LEP Partnership Agreement: training providers as LEP partners (issue 18)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("partnerships", __name__)
