"""PET's panels on the home page (`app/main/panels.py` lists them in order).

- `actions_panel`: the open action points of delivery plans that the signed-in user owns,
  soonest due first, overdue ones flagged. One query.
- `trainees_panel`: a training provider's referrals to decide and trainees to update; an
  employer's course completers awaiting an interview decision. One query each.
- `invitations_panel`: an employer's invitations to sector courses, waiting for its answer.
  One query.
"""

from __future__ import annotations

from app.auth.models import Role, User
from app.clock import today
from app.pet.access import organisation_id_of
from app.pet.courses.queries import open_actions_for
from app.pet.employers.queries import open_invitations
from app.pet.trainees import queries as trainees

ACTIONS_TEMPLATE = "pet/_course_home_panel.html"
# More than this and the panel says so; the delivery plan pages list them all.
SHOWN = 20


def actions_panel(user: User) -> tuple[str, dict] | None:
    actions, more = open_actions_for(user, SHOWN)
    if not actions:
        return None
    return ACTIONS_TEMPLATE, {
        "actions": actions,
        "more": more,
        "overdue": sum(1 for action in actions if action.overdue),
        "today": today(),
    }


def trainees_panel(user: User) -> tuple[str, dict] | None:
    if user.role is Role.PROVIDER and user.provider_id is not None:
        to_update = trainees.provider_tasks(user.provider_id)
        if not to_update:
            return None
        return "pet/_trainee_provider_panel.html", {"courses": to_update}
    if user.role is Role.EMPLOYER:
        organisation_id = organisation_id_of(user)
        to_decide = trainees.employer_tasks(organisation_id) if organisation_id else []
        if not to_decide:
            return None
        return "pet/_trainee_employer_panel.html", {"courses": to_decide}
    return None


def invitations_panel(user: User) -> tuple[str, dict] | None:
    if user.role is not Role.EMPLOYER:
        return None
    organisation_id = organisation_id_of(user)
    invitations = open_invitations(organisation_id) if organisation_id else []
    if not invitations:
        return None
    return "pet/_invitation_home_panel.html", {"invitations": invitations}
