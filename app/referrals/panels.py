"""The employer's home-page panel: candidates waiting for a decision, per vacancy."""

from __future__ import annotations

from app.auth.models import Role, User
from app.employers import organisation_id_of
from app.referrals import queries


def home_panel(user: User) -> tuple[str, dict] | None:
    if user.role is not Role.EMPLOYER:
        return None
    organisation_id = organisation_id_of(user)
    if organisation_id is None:
        return None
    waiting = queries.waiting_by_vacancy(organisation_id)
    if not waiting:
        return None
    return "referrals/_home_panel.html", {"vacancies": waiting}
