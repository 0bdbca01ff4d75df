"""The job outcomes a user may reach: staff those of their district, an employer its own;
any other is not found (404)."""

from __future__ import annotations

import uuid

from flask import abort
from flask_login import current_user

from app.auth.models import Role
from app.outcomes import queries
from app.outcomes.models import JobOutcome


def staff_outcome_or_404(outcome_id: uuid.UUID) -> JobOutcome:
    """An outcome of the staff member's district (any district for admins); 404 otherwise:
    another district's outcomes are not theirs to know about."""
    outcome = queries.staff_outcome(outcome_id)
    if outcome is None:
        abort(404)
    if current_user.role is not Role.ADMIN and outcome.district_id != current_user.district_id:
        abort(404)
    return outcome


def employer_outcome_or_404(outcome_id: uuid.UUID) -> JobOutcome:
    outcome = queries.employer_outcome(outcome_id, current_user.id)
    if outcome is None:
        abort(404)
    return outcome
