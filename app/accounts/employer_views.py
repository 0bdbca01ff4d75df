"""The employer's own pages: its organisation (and a head office's branches and pledge), a
branch seen from its head office, and what the service did for it."""

from __future__ import annotations

import uuid

from flask import abort, render_template
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts import bp, queries
from app.accounts.access import employer_organisation_or_404
from app.accounts.models import Organisation
from app.accounts.rules import quarter_of
from app.clock import today
from app.customers.labels import VIEWED_BRANCH_CANDIDATES
from app.customers.services import record_views
from app.extensions import db
from app.outcomes import queries as outcomes
from app.policy import allow
from app.referrals import queries as referrals
from app.vacancies import queries as vacancies


@bp.route("/organisation")
@allow("employer")
def organisation():
    organisation = employer_organisation_or_404(current_user)
    context = {"organisation": organisation, "branches": [], "pledge": None, "progress": None}
    if organisation.parent_id is None:
        context["branches"] = list(
            db.session.scalars(
                select(Organisation)
                .where(Organisation.parent_id == organisation.id)
                .options(selectinload(Organisation.district), selectinload(Organisation.contact))
                .order_by(Organisation.name)
                .limit(200)
            )
        )
        pledge = queries.current_pledge(organisation.id)
        if pledge is not None:
            context["pledge"] = pledge
            context["progress"] = queries.pledge_progress(organisation, pledge)
    return render_template("accounts/organisation.html", **context)


@bp.route("/organisation/branches/<uuid:branch_id>")
@allow("employer")
def branch(branch_id: uuid.UUID):
    """A head office's users see each branch's vacancies, candidates and starts; a branch's
    users, and every other employer, get 404."""
    head_office = employer_organisation_or_404(current_user)
    found = db.session.scalar(
        select(Organisation)
        .where(Organisation.id == branch_id, Organisation.parent_id == head_office.id)
        .options(joinedload(Organisation.district), joinedload(Organisation.contact))
    )
    if found is None:
        abort(404)
    ids = [found.id]
    # What the branch's own candidate pages show: consenting candidates only, by name.
    candidates = referrals.account_tab(ids, consenting_only=True)
    html = render_template(
        "accounts/branch.html",
        head_office=head_office,
        branch=found,
        **vacancies.account_tab(ids),
        **candidates,
        **outcomes.account_tab(ids),
    )
    # An employer user saw these people: who saw whose details must be traceable.
    record_views(
        (referral.customer for referral in candidates["referrals"]),
        current_user,
        VIEWED_BRANCH_CANDIDATES,
        f"Candidates of the branch {found.name}",
        organisation_id=head_office.id,
    )
    db.session.commit()
    return html


@bp.route("/service-record")
@allow("employer")
def service_record():
    """What the service did for the employer (and a head office's branches): this quarter's
    figures in one line, and a dated timeline."""
    organisation = employer_organisation_or_404(current_user, with_people=False)
    # Listed, not the `family` subquery: seven timeline statements filter by them, and
    # PostgreSQL plans `IN (list)` well where it scanned for `IN (subquery)` (139 ms).
    ids = queries.family_ids(organisation)
    start, end = quarter_of(today())
    return render_template(
        "accounts/service_record.html",
        organisation=organisation,
        figures=queries.service_figures(ids, start, end),
        quarter_start=start,
        quarter_end=end,
        events=queries.timeline(ids, staff_view=False),
        with_branches=len(ids) > 1,
    )
