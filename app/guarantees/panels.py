"""Home-page panels: the employer's guarantees due, with their dates; staff's overdue ones
to chase."""

from __future__ import annotations

from app.auth.models import User
from app.clock import today
from app.employers import organisation_id_of
from app.guarantees import queries
from app.guarantees.labels import STATE_LABELS, STATE_TAGS
from app.guarantees.rules import state


def home_panel(user: User) -> tuple[str, dict] | None:
    if user.is_staff:
        count = queries.to_chase_count(user, today())
        if not count:
            return None
        return "guarantees/_staff_panel.html", {"to_chase": count}
    organisation_id = organisation_id_of(user)
    if organisation_id is None:
        return None
    guarantees = queries.open_for_employer(organisation_id)
    if not guarantees:
        return None
    return "guarantees/_home_panel.html", {
        "guarantees": guarantees,
        "today": today(),
        "state": state,
        "state_labels": STATE_LABELS,
        "state_tags": STATE_TAGS,
    }
