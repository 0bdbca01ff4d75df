"""Employer accounts: the employer's own organisation page, staff search and contact changes."""

from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.forms import ChangeContactForm
from app.accounts.models import EmployerMembership, Organisation
from app.accounts.services import assign_contact, eligible_contacts
from app.auth.models import User
from app.extensions import db
from app.policy import allow

bp = Blueprint("accounts", __name__)

PAGE_SIZE = 25


@bp.route("/organisation")
@allow("employer")
def organisation():
    organisation = db.session.scalar(
        select(Organisation)
        .join(EmployerMembership)
        .where(EmployerMembership.user_id == current_user.id)
        .options(
            selectinload(Organisation.sites),
            selectinload(Organisation.memberships).selectinload(EmployerMembership.user),
        )
    )
    if organisation is None:
        abort(404)
    return render_template("accounts/organisation.html", organisation=organisation)


@bp.route("/accounts")
@allow("staff")
def search():
    query = (request.args.get("q") or "").strip()[:100]
    try:
        page = max(1, min(int(request.args.get("page", 1)), 1000))
    except ValueError:
        abort(400)
    statement = select(Organisation).options(
        selectinload(Organisation.contact), selectinload(Organisation.district)
    )
    if query:
        statement = statement.where(func.lower(Organisation.name).contains(query.lower()))
    organisations = list(
        db.session.scalars(
            statement.order_by(Organisation.name, Organisation.id)
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    has_next = len(organisations) > PAGE_SIZE
    return render_template(
        "accounts/search.html",
        organisations=organisations[:PAGE_SIZE],
        query=query,
        page=page,
        has_next=has_next,
    )


def _organisation_or_404(organisation_id: uuid.UUID) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        abort(404)
    return organisation


@bp.route("/accounts/<uuid:organisation_id>")
@allow("staff")
def account(organisation_id: uuid.UUID):
    organisation = _organisation_or_404(organisation_id)
    return render_template("accounts/account.html", organisation=organisation)


@bp.route("/accounts/<uuid:organisation_id>/change-contact", methods=["GET", "POST"])
@allow("dam", "admin")
def change_contact(organisation_id: uuid.UUID):
    organisation = _organisation_or_404(organisation_id)
    candidates = [c for c in eligible_contacts() if c.id != organisation.contact_id]
    form = ChangeContactForm()
    form.contact.choices = [("", _("Select a person"))] + [
        (str(c.id), f"{c.name} ({c.role.value.upper()}, {c.district.name if c.district else ''})")
        for c in candidates
    ]
    if form.validate_on_submit():
        contact = db.session.get(User, uuid.UUID(form.contact.data))
        assign_contact(organisation, contact, changed_by=current_user, reason=form.reason.data)
        db.session.commit()
        flash(_("%(name)s is now the single point of contact.", name=contact.name))
        return redirect(url_for("accounts.account", organisation_id=organisation.id))
    return render_template("accounts/change_contact.html", organisation=organisation, form=form)
