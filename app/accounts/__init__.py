"""Employer accounts: staff search and handovers, the portfolio, the account page, and the
employer's own pages and team.

The area's blueprint; `register` imports the modules that add views to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("accounts", __name__)


def register(app: Flask) -> None:
    from app.accounts import (  # noqa: F401 - they add to bp
        account_views,
        employer_views,
        portfolio_views,
        routes,
        team_views,
    )

    app.register_blueprint(bp)
