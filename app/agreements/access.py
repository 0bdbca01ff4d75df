"""The agreement records a user may reach from the agreement pages: any other is not found (404)."""

from __future__ import annotations

from flask import abort

from app.accounts.models import Organisation
from app.agreements.models import Agreement
from app.agreements.services import active_agreement


def active_or_404(organisation: Organisation) -> Agreement:
    agreement = active_agreement(organisation.id)
    if agreement is None:
        abort(404)
    return agreement
