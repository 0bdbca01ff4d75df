"""The adviser's home-page panel: their caseload by readiness, and who still lacks consent."""

from __future__ import annotations

from app.auth.models import Role, User
from app.customers import labels
from app.customers.services import caseload_summary


def home_panel(user: User) -> tuple[str, dict] | None:
    if user.role is not Role.ADVISER:
        return None
    return "customers/_home_panel.html", {**caseload_summary(user), "labels": labels}
