"""Home-page panels contributed by each area of the service.

Each area may define `app/<area>/panels.py` with `home_panel(user) -> (template, context) |
None`; the home page shows them in this order. Panels run their own bounded queries.
"""

from __future__ import annotations

import importlib

from app.auth.models import User

AREAS = (
    "callbacks",
    "agreements",
    "vacancies",
    "referrals",
    "outcomes",
    "customers",
    "pet",
    "pet.trainee",  # app/pet/trainee_panels.py
    "accounts",
)


def home_panels(user: User) -> list[tuple[str, dict]]:
    panels = []
    for area in AREAS:
        name = f"app.{area}_panels" if "." in area else f"app.{area}.panels"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name != name:
                raise
            continue
        panel = module.home_panel(user)
        if panel is not None:
            panels.append(panel)
    return panels
