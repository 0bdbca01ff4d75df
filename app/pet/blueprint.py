"""The pre-employment training blueprint; its views live in one module per feature."""

from flask import Blueprint

bp = Blueprint("pet", __name__)
