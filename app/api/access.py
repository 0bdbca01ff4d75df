"""What an API key reaches: its own organisation's vacancies and candidates, any other is not
found (a problem with status 404); and in the portal, the owner's keys.
"""

from __future__ import annotations

import uuid

from flask import abort, g
from flask_login import current_user

from app.api import keys
from app.api.models import ApiKey
from app.api.problems import ApiProblem
from app.employers import organisation_id_or_404
from app.referrals import queries as referral_queries
from app.referrals.models import Referral
from app.vacancies import queries as vacancy_queries
from app.vacancies.models import Vacancy


def key_organisation_id() -> uuid.UUID:
    """The organisation of the API key the request came with."""
    return g.api_key.organisation_id


def vacancy_or_404(vacancy_id: uuid.UUID) -> Vacancy:
    return vacancy_queries.vacancy_for_employer(current_user, vacancy_id)


def referral_or_404(referral_id: uuid.UUID, *, for_update: bool = False) -> Referral:
    referral = referral_queries.referral_for_employer(
        referral_id, key_organisation_id(), for_update=for_update
    )
    if referral is None:
        raise ApiProblem(404, "No such candidate.")
    return referral


def owner_organisation_id() -> uuid.UUID:
    """Keys are the owner's to manage: a recruiter may not make one."""
    if not keys.is_owner(current_user):
        abort(403)
    return organisation_id_or_404(current_user)


def key_or_404(organisation_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey:
    api_key = keys.key_of(organisation_id, key_id)
    if api_key is None:
        abort(404)
    return api_key
