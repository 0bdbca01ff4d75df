"""Pre-employment training (PET): one `pet` blueprint, its views in four parts of the area.

- `courses/`: course design, modules, employers' comments and the delivery plan;
- `employers/`: a sector course's employers, invited with the guaranteed interviews each
  offers, who join or decline;
- `trainees/`: referring customers (REF2), the provider's steps (SL2), attendance, the
  employer's cohort and the summary of figures;
- `providers/`: the training providers an administrator or TPPM manages.

Shared by the four: `access.py` (who sees which course, the `*_or_404` lookups),
`models.py`, `labels.py`, `toolkits.py` and `panels.py` (home page panels). `register`
imports the four parts' views, which add their routes to `bp`, and registers it.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("pet", __name__)


def register(app: Flask) -> None:
    from app.pet.courses import routes as _course_routes  # noqa: F401 - they add to bp
    from app.pet.employers import routes as _employer_routes  # noqa: F401
    from app.pet.providers import routes as _provider_routes  # noqa: F401
    from app.pet.trainees import routes as _trainee_routes  # noqa: F401

    app.register_blueprint(bp)
