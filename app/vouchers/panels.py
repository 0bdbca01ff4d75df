"""The recruitment subsidy on the home page: vouchers the employer can claim now, and the
claims waiting for a DAM or a LEP coordinator. One count query each."""

from __future__ import annotations

from app import clock
from app.auth.models import Role, User
from app.employers import organisation_id_of
from app.vouchers import queries
from app.vouchers.access import staff_filter


def home_panel(user: User) -> tuple[str, dict] | None:
    if user.role is Role.EMPLOYER:
        organisation_id = organisation_id_of(user)
        if organisation_id is None:
            return None
        count = queries.ready_to_claim(organisation_id, clock.today())
        return ("vouchers/_employer_panel.html", {"count": count}) if count else None
    if user.role in (Role.DAM, Role.COORDINATOR):
        dam_only = None if user.role is Role.DAM else False
        count = queries.claims_waiting(staff_filter(user), dam_only=dam_only)
        return ("vouchers/_staff_panel.html", {"count": count}) if count else None
    return None
