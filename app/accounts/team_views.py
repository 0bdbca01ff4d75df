"""The employer's "Your team" page: every member sees who is on the team; owners invite,
change roles and remove people, and read the team's audit trail, as does the DAM who is the
employer's contact. Owner-only routes say so in their `@allow`, enforced by app.policy."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import bp, team
from app.accounts.access import employer_organisation_or_404, member_or_404, staff_account_or_404
from app.accounts.forms import (
    TEAM_ROLE_HINTS,
    InviteColleagueForm,
    RemoveColleagueForm,
    TeamRoleForm,
)
from app.accounts.models import MembershipRole
from app.extensions import db
from app.policy import allow


@bp.route("/your-team")
@allow("employer")
def team_page():
    organisation = employer_organisation_or_404(current_user)
    return render_template(
        "accounts/team.html",
        organisation=organisation,
        members=team.members(organisation.id),
        is_owner=current_user.membership.role is MembershipRole.OWNER,
    )


@bp.route("/your-team/invite", methods=["GET", "POST"])
@allow("employer", membership="owner")
def team_invite():
    organisation = employer_organisation_or_404(current_user)
    form = InviteColleagueForm()
    if form.validate_on_submit():
        try:
            membership = team.invite(
                organisation,
                name=form.name.data,
                email=form.email.data,
                role=MembershipRole(form.role.data),
                by=current_user,
            )
        except team.TeamChangeRefused as refused:
            db.session.rollback()
            form.email.errors = [*form.email.errors, refused.message]
        else:
            db.session.commit()
            flash(
                _(
                    "We have emailed an invitation to %(email)s. The link works for 7 days.",
                    email=membership.user.email,
                )
            )
            return redirect(url_for("accounts.team_page"))
    return render_template("accounts/team_invite.html", form=form, role_hints=TEAM_ROLE_HINTS)


@bp.route("/your-team/<uuid:membership_id>/role", methods=["GET", "POST"])
@allow("employer", membership="owner")
def team_role(membership_id: uuid.UUID):
    organisation, membership = member_or_404(membership_id)
    form = TeamRoleForm()
    if not form.is_submitted():
        form.role.data = membership.role.value
    if form.validate_on_submit():
        try:
            team.change_role(membership, MembershipRole(form.role.data), current_user)
        except team.TeamChangeRefused as refused:
            db.session.rollback()
            form.role.errors = [*form.role.errors, refused.message]
            membership = team.membership_or_none(organisation.id, membership_id)
        else:
            db.session.commit()
            flash(_("%(name)s’s role is saved.", name=membership.user.name))
            return redirect(url_for("accounts.team_page"))
    return render_template(
        "accounts/team_role.html", form=form, membership=membership, role_hints=TEAM_ROLE_HINTS
    )


@bp.route("/your-team/<uuid:membership_id>/remove", methods=["GET", "POST"])
@allow("employer", membership="owner")
def team_remove(membership_id: uuid.UUID):
    organisation, membership = member_or_404(membership_id)
    form = RemoveColleagueForm()
    refused = None
    if form.validate_on_submit():
        name = membership.user.name
        try:
            team.remove(membership, current_user)
        except team.TeamChangeRefused as error:
            db.session.rollback()
            refused = error.message
            membership = team.membership_or_none(organisation.id, membership_id)
        else:
            db.session.commit()
            flash(_("%(name)s has been removed from the team.", name=name))
            if membership.user_id == current_user.id:
                return redirect(url_for("auth.sign_in"))
            return redirect(url_for("accounts.team_page"))
    return render_template(
        "accounts/team_remove.html", form=form, membership=membership, refused=refused
    )


@bp.route("/your-team/history")
@allow("employer", membership="owner")
def team_history():
    organisation = employer_organisation_or_404(current_user)
    return render_template(
        "accounts/team_history.html",
        organisation=organisation,
        entries=team.audit_trail(organisation.id),
        back=url_for("accounts.team_page"),
    )


@bp.route("/accounts/<uuid:organisation_id>/team-history")
@allow("dam")
def account_team_history(organisation_id: uuid.UUID):
    """The employer's DAM: the contact of the account (or of its head office)."""
    organisation = staff_account_or_404(current_user, organisation_id)
    parent = organisation.parent
    if current_user.id not in (organisation.contact_id, parent.contact_id if parent else None):
        abort(404)
    return render_template(
        "accounts/team_history.html",
        organisation=organisation,
        entries=team.audit_trail(organisation.id),
        back=url_for("accounts.account", organisation_id=organisation.id),
    )
