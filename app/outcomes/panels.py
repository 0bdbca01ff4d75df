"""The outcomes panel on the home page: the employer's tasks, the coordinator's queue."""

from __future__ import annotations

from app import clock
from app.auth.models import Role, User
from app.outcomes import labels, queries, services


def home_panel(user: User) -> tuple[str, dict] | None:
    if user.role is Role.EMPLOYER:
        tasks, more = queries.employer_tasks(user.id, clock.today())
        if not tasks:
            return None
        return "outcomes/_employer_panel.html", {"tasks": tasks, "more": more}
    if user.role is Role.ADVISER:
        requests = services.aftercare_to_do(user)
        if not requests:
            return None
        return "outcomes/_aftercare_panel.html", {"requests": requests}
    if user.role is Role.COORDINATOR and user.district_id is not None:
        return "outcomes/_coordinator_panel.html", {
            "count": queries.queue_size(user.district_id, clock.today()),
            **labels.template_context(),
        }
    return None
