"""The LEP partnership panel on a provider user's home page: an offer waiting to be accepted,
or the ways into what the agreement covers. One query."""

from __future__ import annotations

from app.auth.models import Role, User
from app.partnerships import queries

TEMPLATE = "partnerships/_home_panel.html"


def home_panel(user: User) -> tuple[str, dict] | None:
    if user.role is not Role.PROVIDER or user.provider_id is None:
        return None
    partnerships = queries.partnerships_of(user.provider_id)
    if not partnerships:
        return None
    return TEMPLATE, {
        "waiting": [p for p in partnerships if p.accepted_at is None],
        "accepted": [p for p in partnerships if p.accepted_at is not None],
    }
