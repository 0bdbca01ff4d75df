"""Management information on the recruitment subsidy: vouchers issued, claimed, approved and
paid in the period, with their amounts, per district, read from the rollup `vouchers`
(`app/reports/rollups.py`) with the page's other rollups in one statement.

Each step is counted on the UK day it happened (issued_at, claimed_at, decided_at, paid_at),
so one voucher issued in May and claimed in August counts as issued in May's figure and
claimed in August's. "Approved" counts every claim approved in the period, paid since or
not. Vouchers carry no office: the office filter leaves this figure at district level.
"""

from __future__ import annotations

from app.reports.queries import Scope
from app.reports.rollup_figures import _rollup

#: The steps the figure counts.
STEPS = ("issued", "claimed", "approved", "paid")


def recruitment_vouchers(scope: Scope) -> list[dict]:
    """Per district with any: vouchers issued, claimed, approved and paid in the period, and
    the pounds of each (whole pounds: every voucher is £1,000)."""
    rows: dict[str, dict] = {}
    for row in _rollup(scope, "vouchers"):
        if row["key"] not in STEPS or not row["vouchers"]:
            continue
        entry = rows.setdefault(
            row["district"],
            {
                "district": row["district"],
                **{f"{step}{suffix}": 0 for step in STEPS for suffix in ("", "_amount")},
            },
        )
        entry[row["key"]] += row["vouchers"]
        entry[f"{row['key']}_amount"] += row["pounds"]
    return [rows[name] for name in sorted(rows)]
