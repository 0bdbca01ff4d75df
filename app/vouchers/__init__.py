"""The recruitment subsidy, paperless: vouchers on job outcomes, claimed by the employer in one
step, approved in bulk by the DAM (large accounts they manage) or by the district's LEP
coordinator, and paid by the payment run (`flask vouchers pay`).

The area's blueprint; `register` imports the modules that add views or commands to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("vouchers", __name__, cli_group="vouchers")


def register(app: Flask) -> None:
    from app.vouchers import cli, routes  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
