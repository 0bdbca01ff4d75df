"""Which call-backs a member of staff may see, and what they may do with one.

A call-back of another district is not found (404), not forbidden: it is not theirs to know about.
"""

from __future__ import annotations

import uuid

from flask import abort
from flask_login import current_user

from app.auth.models import Role
from app.callbacks import queries
from app.callbacks.models import CallBack, CallBackStatus


def callback_or_404(callback_id: uuid.UUID) -> CallBack:
    """A call-back of the signed-in staff member's district; any other id is not found.

    404, not 403: another district's call-backs are not theirs to know about.
    """
    callback = queries.callback_for_call(callback_id)
    if callback is None or callback.district_id != current_user.district_id:
        abort(404)
    return callback


def is_claimer(callback: CallBack) -> bool:
    return callback.claimed_by_id == current_user.id


def may_complete(callback: CallBack) -> bool:
    if callback.status is CallBackStatus.COMPLETED:
        return False
    return is_claimer(callback) or current_user.role is Role.COORDINATOR


def may_release(callback: CallBack) -> bool:
    return callback.status is CallBackStatus.CLAIMED and (
        is_claimer(callback) or current_user.role is Role.COORDINATOR
    )
