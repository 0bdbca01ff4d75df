"""Employer accounts: staff search and handovers. The portfolio, the account page and the
employer's own pages are in their own modules, registered on the same blueprint."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts import bp
from app.accounts.access import may_search_everywhere, searchable_by, staff_account_or_404
from app.accounts.forms import ChangeContactForm
from app.accounts.models import Organisation
from app.accounts.services import eligible_contacts, hand_over
from app.auth.models import User
from app.extensions import db
from app.forms import search_words
from app.paging import page_number
from app.policy import allow

PAGE_SIZE = 25


# Where a search looks: the staff member's own district (and their own accounts), or, for
# the roles that may (`access.may_search_everywhere`), every district.
DISTRICT, EVERYWHERE = "district", "everywhere"


@bp.route("/accounts")
@allow("staff")
def search():
    query = search_words(request.args.get("q"))
    page = page_number()
    wide = may_search_everywhere(current_user)
    default = EVERYWHERE if wide and current_user.district_id is None else DISTRICT
    scope = request.args.get("scope") or default
    if scope not in ((DISTRICT, EVERYWHERE) if wide else (DISTRICT,)):
        abort(400)
    statement = (
        select(Organisation)
        .where(searchable_by(current_user, everywhere=scope == EVERYWHERE))
        .options(selectinload(Organisation.contact), selectinload(Organisation.district))
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
        scope=scope,
        scopes=(DISTRICT, EVERYWHERE) if wide else (),
        link_args={"q": query, "scope": scope if scope != default else None},
    )


@bp.route("/accounts/<uuid:organisation_id>/change-contact", methods=["GET", "POST"])
@allow("dam", "coordinator", "admin")
def change_contact(organisation_id: uuid.UUID):
    """Hand the account over to a new single point of contact."""
    organisation = staff_account_or_404(current_user, organisation_id)
    candidates = [c for c in eligible_contacts() if c.id != organisation.contact_id]
    form = ChangeContactForm()
    form.contact.choices = [("", _("Select a person"))] + [
        (str(c.id), f"{c.name} ({c.role.value.upper()}, {c.district.name if c.district else ''})")
        for c in candidates
    ]
    if form.validate_on_submit():
        contact = db.session.get(User, uuid.UUID(form.contact.data))
        hand_over(organisation, contact, changed_by=current_user, reason=form.reason.data)
        db.session.commit()
        flash(_("%(name)s is now the single point of contact.", name=contact.name))
        return redirect(url_for("accounts.account", organisation_id=organisation.id))
    return render_template("accounts/change_contact.html", organisation=organisation, form=form)
