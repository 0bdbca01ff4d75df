"""Access rows for management information: the MI page, the sector view, charts, CSV
downloads and outcomes targets."""

from __future__ import annotations

import datetime as dt

from app import clock
from tests.access.core import Route, World, fixed

MI = frozenset({"coordinator", "admin", "dam"})
TARGETS = frozenset({"coordinator", "admin"})

ROUTES: dict[str, Route] = {
    "reports.overview": Route("GET", fixed("/reports"), MI),
    "reports.sectors": Route("GET", fixed("/reports/sectors"), MI),
    "reports.chart": Route("GET", fixed("/reports/charts/outcomes-against-target.svg"), MI),
    "reports.csv": Route("GET", fixed("/reports/outcomes-against-target.csv"), MI),
    "reports.targets": Route("GET", fixed("/reports/targets"), TARGETS),
}


def build(world: World) -> None:
    """The coordinator and DAM work in the world's organisation's district, which has a
    target for this month."""
    from app.accounts.models import OutcomeTarget
    from app.extensions import db

    district_id = world.organisation.district_id
    for role in ("coordinator", "dam"):
        world.users[role].district_id = district_id
    today = clock.today()
    first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    target = OutcomeTarget(
        district_id=district_id,
        period_start=first,
        period_end=last,
        outcomes=10,
        set_by_id=world.users["admin"].id,
    )
    db.session.add(target)
    db.session.flush()
    world.records["report_target"] = target
