"""The agreements panel on the home page, one query each."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import EmployerMembership
from app.agreements.models import (
    Agreement,
    AgreementRequest,
    AgreementRequestStatus,
    AgreementStatus,
)
from app.agreements.services import requests_waiting_count
from app.auth.models import Role, User
from app.extensions import db

TEMPLATE = "agreements/_home_panel.html"


def home_panel(user: User) -> tuple[str, dict] | None:
    if user.role is Role.EMPLOYER:
        return TEMPLATE, {"kind": "employer", **_employer_status(user)}
    if user.role in (Role.LMRA, Role.DAM):
        return TEMPLATE, {"kind": "staff", "waiting": requests_waiting_count(user)}
    return None


def _employer_status(user: User) -> dict:
    """Since when the employer has had its agreement, and when it asked for one, together."""
    organisation_id = (
        select(EmployerMembership.organisation_id)
        .where(EmployerMembership.user_id == user.id)
        .scalar_subquery()
    )
    active_since = (
        select(Agreement.started_on)
        .where(
            Agreement.organisation_id == organisation_id,
            Agreement.status == AgreementStatus.ACTIVE,
        )
        .order_by(Agreement.created_at.desc())
        .limit(1)
        .scalar_subquery()
    )
    asked_on = (
        select(AgreementRequest.created_at)
        .where(
            AgreementRequest.organisation_id == organisation_id,
            AgreementRequest.status == AgreementRequestStatus.OPEN,
        )
        .order_by(AgreementRequest.created_at)
        .limit(1)
        .scalar_subquery()
    )
    row = db.session.execute(select(active_since, asked_on)).one()
    return {"active_since": row[0], "asked_on": row[1]}
