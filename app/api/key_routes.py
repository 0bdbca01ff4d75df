"""The "API keys" pages: an employer's owner creates, names and revokes its keys; a DAM who
may see the account revokes them too. A key is shown once, on the page that made it."""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.access import staff_account_or_404
from app.api import keys
from app.api.access import key_or_404, owner_organisation_id
from app.api.forms import ApiKeyForm, RevokeForm
from app.api.models import ApiKey
from app.extensions import db
from app.policy import allow

keys_bp = Blueprint("api_keys", __name__)


@keys_bp.route("/organisation/api-keys", methods=["GET", "POST"])
@allow("employer")
def index():
    organisation_id = owner_organisation_id()
    form = ApiKeyForm()
    new_key = None
    # The key is shown on this page, never carried through a redirect: the session cookie
    # is signed but not encrypted.
    if form.validate_on_submit():
        _api_key, new_key = keys.create_key(current_user, form.name.data)
        db.session.commit()
        form = ApiKeyForm(formdata=None)
    return render_template(
        "api/keys.html",
        form=form,
        new_key=new_key,
        api_keys=keys.keys_of(organisation_id),
        revoke_endpoint="api_keys.revoke",
        organisation=None,
    )


@keys_bp.route("/organisation/api-keys/<uuid:key_id>/revoke", methods=["GET", "POST"])
@allow("employer")
def revoke(key_id: uuid.UUID):
    api_key = key_or_404(owner_organisation_id(), key_id)
    return _revoke_page(api_key, url_for("api_keys.index"))


@keys_bp.route("/accounts/<uuid:organisation_id>/api-keys")
@allow("dam")
def account_keys(organisation_id: uuid.UUID):
    organisation = staff_account_or_404(current_user, organisation_id)
    return render_template(
        "api/keys.html",
        form=None,
        new_key=None,
        api_keys=keys.keys_of(organisation.id),
        revoke_endpoint="api_keys.account_revoke",
        organisation=organisation,
    )


@keys_bp.route(
    "/accounts/<uuid:organisation_id>/api-keys/<uuid:key_id>/revoke", methods=["GET", "POST"]
)
@allow("dam")
def account_revoke(organisation_id: uuid.UUID, key_id: uuid.UUID):
    organisation = staff_account_or_404(current_user, organisation_id)
    api_key = key_or_404(organisation.id, key_id)
    return _revoke_page(api_key, url_for("api_keys.account_keys", organisation_id=organisation.id))


def _revoke_page(api_key: ApiKey, back: str):
    if api_key.revoked:
        return redirect(back)
    form = RevokeForm()
    if form.validate_on_submit():
        keys.revoke(api_key, current_user)
        db.session.commit()
        flash(_("The key “%(name)s” has been revoked.", name=api_key.name))
        return redirect(back)
    return render_template("api/revoke.html", form=form, api_key=api_key, back=back)
