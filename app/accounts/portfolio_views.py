"""'My accounts': a member of staff's portfolio, and moving accounts between colleagues."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts import bp, portfolio
from app.accounts.forms import ReassignForm
from app.accounts.models import District, Office, Organisation
from app.accounts.services import eligible_contacts, reassign_accounts
from app.auth.models import Role, User
from app.clock import today
from app.extensions import db
from app.policy import allow
from app.rendering import render_page

# Those who choose whose portfolio (or which district) to look at, and move accounts.
MANAGERS = (Role.COORDINATOR, Role.ADMIN)
# The accounts a reassignment form lists to choose from; "all" takes every one.
REASSIGN_LISTED = 200


def _uuid_arg(name: str) -> uuid.UUID | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        abort(400)


def _person(staff_id: uuid.UUID | None) -> User | None:
    if staff_id is None:
        return None
    person = db.session.get(User, staff_id)
    if person is None or not person.is_staff:
        abort(404)
    return person


@bp.route("/my-accounts", endpoint="portfolio")
@allow("dam", "lmra", "coordinator", "admin")
def portfolio_page():
    """Filters are query parameters, so a filtered view is a link that can be bookmarked;
    HTMX swaps in the same page's `portfolio` block."""
    try:
        filters = portfolio.Filters.from_args(request.args)
    except portfolio.BadFilter:
        abort(400)
    manager = current_user.role in MANAGERS
    person = _person(_uuid_arg("staff")) if manager else current_user
    scope = [Organisation.contact_id == person.id] if person is not None else []
    view = portfolio.load(scope, filters, today(), after=_uuid_arg("after"))
    district_ids = [uuid.UUID(k) for k in view.counts["district"] if k]
    office_ids = [uuid.UUID(k) for k in view.counts["office"] if k]
    context = {
        "view": view,
        "filters": filters,
        "person": person,
        "manager": manager,
        "staff_param": str(person.id) if manager and person is not None else None,
        "districts": _names(District, district_ids, filters.values.get("district")),
        "offices": _names(Office, office_ids, filters.values.get("office")),
        "people": eligible_contacts() if manager else [],
        "today": today(),
    }
    return render_page("accounts/portfolio.html", "portfolio", **context)


def _names(model, ids: list[uuid.UUID], chosen) -> list[tuple[str, str]]:
    wanted = set(ids) | ({chosen} if chosen else set())
    if not wanted:
        return []
    rows = db.session.execute(select(model.id, model.name).where(model.id.in_(wanted)))
    return sorted(((str(id_), name) for id_, name in rows), key=lambda row: row[1])


@bp.route("/my-accounts/reassign", methods=["GET", "POST"])
@allow("coordinator", "admin")
def reassign():
    """Move some or all of one person's accounts to one or several colleagues, in turn."""
    person = _person(_uuid_arg("staff"))
    if person is None:
        return render_template(
            "accounts/reassign_choose.html", people=eligible_contacts(), form=None
        )
    accounts = list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.contact_id == person.id)
            .options(selectinload(Organisation.district))
            .order_by(Organisation.name, Organisation.id)
            .limit(REASSIGN_LISTED)
        )
    )
    colleagues = [c for c in eligible_contacts() if c.id != person.id]
    form = ReassignForm()
    form.accounts.choices = [(str(o.id), f"{o.name} ({o.district.name})") for o in accounts]
    form.colleagues.choices = [
        (str(c.id), f"{c.name} ({c.role.value.upper()}, {c.district.name if c.district else ''})")
        for c in colleagues
    ]
    if form.validate_on_submit():
        statement = select(Organisation).where(Organisation.contact_id == person.id)
        if form.which.data == "selected":
            chosen = [uuid.UUID(value) for value in form.accounts.data]
            statement = statement.where(Organisation.id.in_(chosen))
        organisations = list(db.session.scalars(statement))
        chosen_colleagues = [c for c in colleagues if str(c.id) in set(form.colleagues.data)]
        changes = reassign_accounts(
            organisations, chosen_colleagues, changed_by=current_user, reason=form.reason.data
        )
        db.session.commit()
        flash(
            _(
                "%(num)s accounts of %(name)s reassigned.",
                num=len(changes),
                name=person.name,
            )
        )
        return redirect(url_for("accounts.portfolio", staff=person.id))
    return render_template("accounts/reassign.html", person=person, accounts=accounts, form=form)
