"""Routes for pre-employment training, split by feature as the area is large:
course design and delivery plans (course_views), trainees and cohorts (trainee_views)."""

from __future__ import annotations

import importlib

from app.pet.blueprint import bp

for _feature in ("app.pet.course_views", "app.pet.trainee_views"):
    try:
        importlib.import_module(_feature)
    except ModuleNotFoundError as error:  # a feature not written yet
        if error.name != _feature:
            raise

__all__ = ["bp"]
