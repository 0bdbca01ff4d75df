"""Timeliness for coordinators: the share of call-backs completed in time, by office and week."""

from __future__ import annotations

import uuid

from flask import abort, render_template, request
from flask_login import current_user

from app.auth.models import Role
from app.callbacks import bp, queries, services
from app.callbacks.rules import recent_weeks, share_in_time
from app.formatting import london
from app.paging import int_arg
from app.policy import allow

#: Most weeks the timeliness page covers at once.
MOST_WEEKS = 52


@bp.route("/call-backs/timeliness")
@allow("coordinator", "admin")
def timeliness():
    weeks = int_arg("weeks", 12, 1, MOST_WEEKS)
    all_districts = None
    if current_user.role is Role.ADMIN:
        all_districts = queries.districts()
        district_id = _district_arg({d.id for d in all_districts})
    else:
        district_id = current_user.district_id
    mondays = recent_weeks(london(services.utcnow()).date(), weeks)
    if district_id is None and all_districts is None:
        figures = []  # a coordinator not yet placed in a district
    else:
        figures = queries.timeliness(mondays, district_id)
    completed = sum(f.completed for f in figures)
    in_time = sum(f.in_time for f in figures)
    return render_template(
        "callbacks/timeliness.html",
        figures=figures,
        weeks=weeks,
        first_week=mondays[0],
        districts=all_districts,
        district_id=district_id,
        total_completed=completed,
        total_in_time=in_time,
        total_share=share_in_time(in_time, completed),
    )


def _district_arg(known: set[uuid.UUID]) -> uuid.UUID | None:
    raw = request.args.get("district") or ""
    if not raw:
        return None
    try:
        district_id = uuid.UUID(raw)
    except ValueError:
        abort(400)
    if district_id not in known:
        abort(400)
    return district_id
