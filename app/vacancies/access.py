"""Whom a user acts for on the vacancy pages: an employer for its own organisation, staff
for an account they may reach (any other is not found, 404) through a known channel.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import abort, request, url_for
from flask_login import current_user

from app.accounts.access import staff_account_or_404
from app.accounts.models import Organisation
from app.accounts.services import ASSISTED_CHANNELS, record_assisted
from app.vacancies.models import Vacancy


@dataclass(frozen=True)
class Acting:
    """Staff using the employer's own forms for it, and how the employer asked."""

    organisation: Organisation
    channel: str

    @property
    def args(self) -> dict:
        return {"for_employer": self.organisation.id, "channel": self.channel}

    def back(self) -> str:
        return url_for(
            "accounts.act_for_employer", organisation_id=self.organisation.id, channel=self.channel
        )

    def record(self, vacancy: Vacancy, summary: str) -> None:
        record_assisted(
            self.organisation, current_user, self.channel, "vacancy", vacancy.id, summary
        )


def acting_for() -> Acting | None:
    """For staff: the account they act for, which they must be allowed to see (else 404),
    and a known channel (else 400). An employer always acts for its own organisation, so
    the parameters mean nothing to one."""
    if not current_user.is_staff or "for_employer" not in request.args:
        return None
    try:
        organisation_id = uuid.UUID(request.args["for_employer"])
    except ValueError:
        abort(400)
    channel = request.args.get("channel", "")
    if channel not in ASSISTED_CHANNELS:
        abort(400)
    return Acting(staff_account_or_404(current_user, organisation_id), channel)


def acting_or_404() -> Acting | None:
    """Staff reach these pages only acting for an employer."""
    acting = acting_for()
    if current_user.is_staff and acting is None:
        abort(404)
    return acting
