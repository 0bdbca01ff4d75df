"""Management information on the recruitment subsidy: vouchers issued, claimed, approved and
paid in the period, with their amounts, per district. One grouped statement, as every figure
in `app.reports.queries`.

Each step is counted in the period it happened (issued_at, claimed_at, decided_at, paid_at,
UK days), so one voucher issued in May and claimed in August counts as issued in May's figure
and claimed in August's. "Approved" counts every claim approved in the period, paid since or
not. Vouchers carry no office: the office filter leaves this figure at district level.
"""

from __future__ import annotations

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.sql import ColumnElement

from app.accounts.models import District
from app.reports.queries import Scope, _districts_in_scope, _rows
from app.vouchers.models import Voucher, VoucherStatus

#: The steps the figure counts: (key, the moment it happened, an extra condition).
STEPS = ("issued", "claimed", "approved", "paid")


def _within(column, scope: Scope) -> ColumnElement:
    start, end = scope.period.moments()
    return and_(column >= start, column < end)


def _step_conditions(scope: Scope) -> dict[str, ColumnElement]:
    return {
        "issued": _within(Voucher.issued_at, scope),
        "claimed": _within(Voucher.claimed_at, scope),
        "approved": and_(
            _within(Voucher.decided_at, scope),
            Voucher.status.in_((VoucherStatus.APPROVED, VoucherStatus.PAID)),
        ),
        "paid": _within(Voucher.paid_at, scope),
    }


def recruitment_vouchers(scope: Scope) -> list[dict]:
    """Per district with any: vouchers issued, claimed, approved and paid in the period, and
    the pounds of each (whole pounds: every voucher is £1,000)."""
    conditions = _step_conditions(scope)
    columns = []
    for key, condition in conditions.items():
        columns.append(func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(key))
        columns.append(
            func.coalesce(func.sum(case((condition, Voucher.amount), else_=0)), 0).label(
                f"{key}_amount"
            )
        )
    rows = _rows(
        select(District.name.label("district"), *columns)
        .join(District, District.id == Voucher.district_id)
        .where(or_(*conditions.values()), *_districts_in_scope(scope))
        .group_by(District.name)
        .order_by(District.name)
    )
    for row in rows:
        for key in STEPS:
            row[key] = int(row[key])
            row[f"{key}_amount"] = int(row[f"{key}_amount"])
    return rows
