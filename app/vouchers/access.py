"""Who may see which voucher: an employer its own; a DAM the claims of the accounts they
manage (fixed as the voucher's approver when it was claimed); a LEP coordinator every voucher
of their district. Anything else is 404, not 403: not theirs to know about."""

from __future__ import annotations

import uuid

from flask import abort
from sqlalchemy import false
from sqlalchemy.sql import ColumnElement

from app.auth.models import Role, User
from app.employers import organisation_id_or_404
from app.vouchers import queries
from app.vouchers.models import Voucher


def staff_filter(user: User) -> ColumnElement:
    """The vouchers a member of staff may see and decide, as a filter on Voucher."""
    if user.role is Role.DAM:
        return Voucher.approver_id == user.id
    if user.role is Role.COORDINATOR and user.district_id is not None:
        return Voucher.district_id == user.district_id
    return false()


def employer_voucher_or_404(voucher_id: uuid.UUID, user: User) -> Voucher:
    voucher = queries.employer_voucher(voucher_id, organisation_id_or_404(user))
    if voucher is None:
        abort(404)
    return voucher


def staff_voucher_or_404(voucher_id: uuid.UUID, user: User) -> Voucher:
    voucher = queries.staff_voucher(voucher_id, staff_filter(user))
    if voucher is None:
        abort(404)
    return voucher
