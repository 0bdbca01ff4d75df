"""The accounts panel on the home page: staff see their open next actions, overdue ones
flagged; employers see this quarter's service in one line."""

from __future__ import annotations

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from app.accounts import queries
from app.accounts.models import NextAction
from app.accounts.rules import quarter_of
from app.auth.models import Role, User
from app.clock import today
from app.extensions import db

TEMPLATE = "accounts/_home_panel.html"
SHOWN = 10


def home_panel(user: User) -> tuple[str, dict] | None:
    if user.role is Role.EMPLOYER:
        return _employer(user)
    if user.role is Role.PROVIDER:
        return None
    return _staff(user)


def _staff(user: User) -> tuple[str, dict] | None:
    day = today()
    open_actions = (NextAction.owner_id == user.id, NextAction.done_at.is_(None))
    total, overdue = db.session.execute(
        select(
            func.count(NextAction.id),
            func.coalesce(func.sum(case((NextAction.due_on < day, 1), else_=0)), 0),
        ).where(*open_actions)
    ).one()
    if not total:
        return None
    actions = list(
        db.session.scalars(
            select(NextAction)
            .where(*open_actions)
            .options(selectinload(NextAction.organisation))
            .order_by(NextAction.due_on, NextAction.id)
            .limit(SHOWN)
        )
    )
    return TEMPLATE, {
        "kind": "staff",
        "actions": actions,
        "total": int(total),
        "overdue": int(overdue),
        "today": day,
    }


def _employer(user: User) -> tuple[str, dict] | None:
    organisation = user.organisation
    if organisation is None:
        return None
    ids = queries.family(organisation)
    start, end = quarter_of(today())
    return TEMPLATE, {"kind": "employer", "figures": queries.service_figures(ids, start, end)}
