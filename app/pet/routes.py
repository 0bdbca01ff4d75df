"""Routes for pre-employment training, split by feature as the area is large: course design
and delivery plans (course_views), trainees and cohorts (trainee_views, which imports
provider_admin). Importing them registers their views on the one `pet` blueprint."""

from __future__ import annotations

from app.pet import course_views, trainee_views  # noqa: F401
from app.pet.blueprint import bp

__all__ = ["bp"]
