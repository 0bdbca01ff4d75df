"""The signed-in employer's organisation: the one place that says which organisation an
employer user acts for (through their membership), for every area.

Staff have no membership, so for them there is none; a page that needs one answers 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort


def organisation_id_of(user: Any) -> uuid.UUID | None:
    """The id of the organisation `user` belongs to, or None (staff, or no membership)."""
    membership = getattr(user, "membership", None)
    return membership.organisation_id if membership is not None else None


def organisation_id_or_404(user: Any) -> uuid.UUID:
    """The id of the organisation `user` belongs to; 404 if they belong to none."""
    organisation_id = organisation_id_of(user)
    if organisation_id is None:
        abort(404)
    return organisation_id
