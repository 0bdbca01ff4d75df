"""The employer's home-page panel: their vacancies by status, each a link to the list."""

from __future__ import annotations

from app.auth.models import User
from app.vacancies import queries
from app.vacancies.models import VacancyStatus

#: The statuses an employer acts on, in the order the panel shows them.
SHOWN = (VacancyStatus.DRAFT, VacancyStatus.SUBMITTED, VacancyStatus.LIVE)


def home_panel(user: User) -> tuple[str, dict] | None:
    if user.is_staff or user.membership is None:
        return None
    counts = queries.status_counts(user.membership.organisation_id)
    return "vacancies/_home_panel.html", {"counts": [(status, counts[status]) for status in SHOWN]}
