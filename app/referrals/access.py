"""The referrals and vacancies a user may reach from the referral pages: any other id is
not found (404), not forbidden."""

from __future__ import annotations

import uuid

from flask import abort
from flask_login import current_user

from app import employers
from app.referrals import queries
from app.referrals.models import Referral
from app.vacancies.models import Vacancy


def staff_vacancy_or_404(vacancy_id: uuid.UUID) -> Vacancy:
    vacancy = queries.vacancy_for_staff(vacancy_id, current_user)
    if vacancy is None:
        abort(404)
    return vacancy


def organisation_id_or_404() -> uuid.UUID:
    """The signed-in employer's organisation; 404 for anyone without one."""
    return employers.organisation_id_or_404(current_user)


def referral_or_404(referral_id: uuid.UUID, *, for_update: bool = False) -> Referral:
    referral = queries.referral_for_employer(
        referral_id, organisation_id_or_404(), for_update=for_update
    )
    if referral is None:
        abort(404)
    return referral


def staff_referral_or_404(referral_id: uuid.UUID, *, for_update: bool = False) -> Referral:
    """The referral, if its customer is of the signed-in staff member's district."""
    referral = queries.referral_for_staff(referral_id, current_user, for_update=for_update)
    if referral is None:
        abort(404)
    return referral
