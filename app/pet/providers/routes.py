"""Training providers and their users: administrators and TPPMs add providers and invite
their staff, who then sign in to see their own courses. A TPPM manages the providers of their
own district (and those with no district); an administrator, every provider."""

from __future__ import annotations

import uuid

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.paging import page_number
from app.pet import access, bp
from app.pet.providers import queries, services
from app.pet.providers.forms import ProviderForm, ProviderUserForm
from app.policy import allow

PAGE_SIZE = 50
MOST_USERS = 100


@bp.route("/training-providers")
@allow("admin", "tppm")
def providers():
    page = page_number()
    shown, has_next = queries.managed_providers_page(page, PAGE_SIZE)
    return render_template(
        "pet/provider_list.html",
        providers=shown,
        users=queries.user_counts(shown),
        page=page,
        has_next=has_next,
    )


def _district_choices(form: ProviderForm) -> None:
    form.district.choices = [("", _("Select a district"))] + [
        (str(district.id), district.name) for district in queries.districts_to_choose()
    ]


@bp.route("/training-providers/new", methods=["GET", "POST"])
@allow("admin", "tppm")
def new_provider():
    form = ProviderForm()
    _district_choices(form)
    if not form.is_submitted() and current_user.district_id is not None:
        form.district.data = str(current_user.district_id)
    if form.validate_on_submit():
        provider = services.create_provider(
            form.name.data, form.contact_email.data, uuid.UUID(form.district.data)
        )
        try:
            db.session.commit()
        except IntegrityError:  # the same name, added a moment ago
            db.session.rollback()
            _district_choices(form)
            form.name.errors.append(_("There is already a training provider with this name"))
        else:
            flash(_("%(name)s added. Now invite its staff.", name=provider.name))
            return redirect(url_for("pet.provider", provider_id=provider.id))
    return render_template("pet/provider_new.html", form=form)


@bp.route("/training-providers/<uuid:provider_id>")
@allow("admin", "tppm")
def provider(provider_id: uuid.UUID):
    found = access.provider_or_404(provider_id)
    people = queries.users_of(found, MOST_USERS)
    return render_template("pet/provider_show.html", provider=found, people=people, most=MOST_USERS)


@bp.route("/training-providers/<uuid:provider_id>/users/new", methods=["GET", "POST"])
@allow("admin", "tppm")
def invite_provider_user(provider_id: uuid.UUID):
    found = access.provider_or_404(provider_id)
    form = ProviderUserForm()
    if form.validate_on_submit():
        try:
            person = services.invite_provider_user(
                found, name=form.name.data, email=form.email.data
            )
            email = person.email
            db.session.commit()
        except IntegrityError:  # the same address, invited a moment ago
            db.session.rollback()
            flash(_("There is already an account with this email address."))
            return redirect(url_for("pet.provider", provider_id=provider_id))
        flash(_("We have emailed an invitation to %(email)s.", email=email))
        return redirect(url_for("pet.provider", provider_id=provider_id))
    return render_template("pet/provider_invite.html", provider=found, form=form)
