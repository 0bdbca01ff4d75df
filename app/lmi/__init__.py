"""Local labour market intelligence: LEP vacancies by sector and occupation, fill rates and
time to fill, growth sectors against LEP employers, and PET courses, month by month over
the last 12 months, by nation or district, for staff who read the MI and for partnered
training providers (the districts their LEP Partnership Agreement covers). Figures are read
from rollups (`app/reports/lmi_rollups.py`), drawn as the MI's charts, with tables and CSV.

The area's blueprint; `register` imports the modules that add views to it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("lmi", __name__)


def register(app: Flask) -> None:
    from app.lmi import routes  # noqa: F401 - they add to bp

    app.register_blueprint(bp)
