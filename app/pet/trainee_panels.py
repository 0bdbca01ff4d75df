"""Trainee tasks on the home page: a training provider's referrals to decide and trainees to
update; an employer's course completers awaiting an interview decision. One query each."""

from __future__ import annotations

from app.auth.models import Role, User
from app.pet import trainee_services as services


def home_panel(user: User) -> tuple[str, dict] | None:
    if user.role is Role.PROVIDER and user.provider_id is not None:
        courses = services.provider_tasks(user.provider_id)
        if not courses:
            return None
        return "pet/_trainee_provider_panel.html", {"courses": courses}
    if user.role is Role.EMPLOYER:
        organisation_id = services.organisation_id_of(user)
        courses = services.employer_tasks(organisation_id) if organisation_id else []
        if not courses:
            return None
        return "pet/_trainee_employer_panel.html", {"courses": courses}
    return None
