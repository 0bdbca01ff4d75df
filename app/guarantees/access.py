"""Who may see which guarantee: an employer its own (else 404); staff act for an employer
only when they may see its account (`staff_account_or_404`), and only for its records."""

from __future__ import annotations

import uuid

from flask import abort, request
from flask_login import current_user

from app.accounts.access import staff_account_or_404
from app.accounts.models import Organisation
from app.accounts.services import ASSISTED_CHANNELS
from app.guarantees import queries
from app.guarantees.models import Guarantee
from app.referrals import queries as referral_queries
from app.referrals.models import Referral


def guarantee_or_404(organisation_id: uuid.UUID, guarantee_id: uuid.UUID) -> Guarantee:
    guarantee = queries.guarantee_of(organisation_id, guarantee_id)
    if guarantee is None:
        abort(404)
    return guarantee


def channel_or_400() -> str:
    """How the employer got in touch, for staff acting for it: one of the known channels."""
    channel = request.args.get("channel", "")
    if channel not in ASSISTED_CHANNELS:
        abort(400)
    return channel


def acting_for_or_404(organisation_id: uuid.UUID) -> Organisation:
    """The account staff act for: one they may see (their district's, or held by them),
    else 404, as `accounts.act_for_employer` decides."""
    return staff_account_or_404(current_user, organisation_id)


def referral_of_or_404(organisation: Organisation, referral_id: uuid.UUID) -> Referral:
    """The organisation's referral, if its customer still consents (what the employer sees)."""
    referral = referral_queries.referral_for_employer(referral_id, organisation.id, for_update=True)
    if referral is None:
        abort(404)
    return referral
