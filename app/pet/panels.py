"""The action points panel on the home page: the open action points of delivery plans that
the signed-in user owns, soonest due first, overdue ones flagged. One query."""

from __future__ import annotations

from app.auth.models import User
from app.clock import today
from app.pet.course_services import open_actions_for

TEMPLATE = "pet/_course_home_panel.html"
# More than this and the panel says so; the delivery plan pages list them all.
SHOWN = 20


def home_panel(user: User) -> tuple[str, dict] | None:
    actions, more = open_actions_for(user, SHOWN)
    if not actions:
        return None
    return TEMPLATE, {
        "actions": actions,
        "more": more,
        "overdue": sum(1 for action in actions if action.overdue),
        "today": today(),
    }
