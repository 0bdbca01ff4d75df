"""Home-page panels contributed by each area of the service.

Each is `home_panel(user) -> (template, context) | None`, shown in this order; each runs its
own bounded queries and returns None for users it has nothing for.
"""

from __future__ import annotations

from collections.abc import Callable

from app.accounts import panels as accounts
from app.agreements import panels as agreements
from app.auth.models import User
from app.callbacks import panels as callbacks
from app.customers import panels as customers
from app.guarantees import panels as guarantees
from app.outcomes import panels as outcomes
from app.partnerships import panels as partnerships
from app.pet import panels as pet
from app.referrals import panels as referrals
from app.vacancies import panels as vacancies
from app.vouchers import panels as vouchers

PANELS: tuple[Callable[[User], tuple[str, dict] | None], ...] = (
    callbacks.home_panel,
    agreements.home_panel,
    vacancies.home_panel,
    referrals.home_panel,
    guarantees.home_panel,
    outcomes.home_panel,
    vouchers.home_panel,
    customers.home_panel,
    pet.actions_panel,
    pet.invitations_panel,
    pet.trainees_panel,
    partnerships.home_panel,
    accounts.home_panel,
)


def home_panels(user: User) -> list[tuple[str, dict]]:
    return [panel for home_panel in PANELS if (panel := home_panel(user)) is not None]
