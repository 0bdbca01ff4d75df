"""Training providers as LEP partners (issue 18): the LEP Partnership Agreement a TPPM offers
and a provider accepts, the subcontractors it covers, and under it the provider's own LEP
agreements with employers, its customers, putting them forward to live LEP vacancies and
reporting them placed into jobs.

The area's blueprint; `register` imports the views, which add their routes to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("partnerships", __name__)


def register(app: Flask) -> None:
    from app.partnerships import routes  # noqa: F401 - it adds to bp

    app.register_blueprint(bp)
