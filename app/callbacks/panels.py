"""The LMRA's home-page panel: the district's call-backs still to make."""

from __future__ import annotations

from app.auth.models import Role, User
from app.callbacks import queries, services


def home_panel(user: User) -> tuple[str, dict] | None:
    if user.role is not Role.LMRA or user.district_id is None:
        return None
    counts = queries.panel_counts(user.district_id, user.id, services.utcnow())
    return "callbacks/_home_panel.html", {
        "open": counts.open,
        "due_soon": counts.due_soon,
        "overdue": counts.overdue,
        "mine": counts.mine,
    }
