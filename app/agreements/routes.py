"""LEP agreements: the employer's own page and request, and the staff pages for an account.

Who may do what:
- an employer sees only its own organisation's agreement (found through the signed-in
  user's membership, never from the URL), may ask for one, and confirms it or says what is
  wrong with it;
- LMRAs and DAMs record, amend and end agreements; coordinators see and end them; all three
  only for accounts in their own district: another district's account is a 404;
- TPPMs and advisers may read the agreement of an account in their own district;
- admins may read any district's, and change nothing.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app.accounts.models import EmployerMembership, Organisation
from app.agreements import bp
from app.agreements.access import active_or_404
from app.agreements.forms import (
    AgreementForm,
    AmendAgreementForm,
    ConfirmAgreementForm,
    EndAgreementForm,
    QueryAgreementForm,
    RequestAgreementForm,
)
from app.agreements.models import AgreementRequest, AgreementRequestStatus
from app.agreements.rules import may_see_account
from app.agreements.services import (
    AgreementChanged,
    AlreadyAnswered,
    RequestNotAllowed,
    active_agreement,
    agreement_page,
    amend_agreement,
    employer_confirms,
    employer_queries,
    end_agreement,
    open_request,
    proposed_changes,
    record_agreement,
    request_agreement,
    requests_waiting,
)
from app.extensions import db
from app.paging import page_number
from app.policy import allow, membership_of

RECORDING_ROLES = frozenset({"lmra", "dam"})
ENDING_ROLES = frozenset({"lmra", "dam", "coordinator"})


def _my_organisation() -> Organisation:
    organisation = db.session.scalar(
        select(Organisation)
        .join(EmployerMembership)
        .where(EmployerMembership.user_id == current_user.id)
        .options(joinedload(Organisation.contact))
    )
    if organisation is None:
        abort(404)
    return organisation


def _account(organisation_id: uuid.UUID) -> Organisation:
    """The account, if this member of staff may see it; otherwise, as if it did not exist."""
    organisation = db.session.scalar(
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .options(joinedload(Organisation.contact), joinedload(Organisation.district))
    )
    if organisation is None or not may_see_account(
        current_user.role.value, current_user.district_id, organisation.district_id
    ):
        abort(404)
    return organisation


# --- the employer ----------------------------------------------------------------------------


@bp.route("/agreement")
@allow("employer")
def mine():
    return _mine_page()


def _mine_page(query_form: QueryAgreementForm | None = None):
    page = agreement_page(_my_organisation())
    confirm_form = query_form_ = None
    # Confirming speaks for the organisation: an owner's job (app.policy enforces it).
    is_owner = membership_of(current_user) == "owner"
    if is_owner and page.active is not None and page.active.current.confirmed_at is None:
        number = str(page.active.current.number)
        confirm_form = ConfirmAgreementForm(version=number, formdata=None)
        query_form_ = query_form or QueryAgreementForm(query_version=number, formdata=None)
        query_form_.query_version.data = number
    return render_template(
        "agreements/mine.html",
        page=page,
        confirm_form=confirm_form,
        query_form=query_form_,
        # The layout's error summary shows the form passed as `form`.
        form=query_form_ if query_form is not None else None,
    )


def _version_shown(number: int | None):
    """The active agreement's current version, if it is the one the employer was shown."""
    agreement = active_agreement(_my_organisation().id)
    if agreement is None or number is None or agreement.current.number != number:
        return None
    return agreement.current


def _changed_since():
    flash(
        _("Your agreement has been confirmed or changed since you opened this page. Check it."),
        "important",
    )
    return redirect(url_for("agreements.mine"))


@bp.route("/agreement/confirm", methods=["POST"])
@allow("employer", membership="owner")
def confirm():
    form = ConfirmAgreementForm()
    if not form.validate_on_submit():
        abort(400)
    version = _version_shown(form.version_number())
    if version is None:
        return _changed_since()
    try:
        employer_confirms(version, current_user)
        db.session.commit()
    except AlreadyAnswered:
        db.session.rollback()
        return _changed_since()
    flash(_("Thank you. You have confirmed your LEP agreement."))
    return redirect(url_for("agreements.mine"))


@bp.route("/agreement/query", methods=["POST"])
@allow("employer", membership="owner")
def query():
    form = QueryAgreementForm()
    if not form.validate_on_submit():
        return _mine_page(form)
    version = _version_shown(form.version_number())
    if version is None or version.confirmed_at is not None:
        return _changed_since()
    try:
        employer_queries(version, current_user, form.message.data)
        db.session.commit()
    except AlreadyAnswered:
        db.session.rollback()
        return _changed_since()
    contact = version.agreement.organisation.contact or version.taken_by
    flash(
        _(
            "Thank you. We have told %(name)s what is wrong. They will contact you and send "
            "you the corrected agreement.",
            name=contact.name,
        )
    )
    return redirect(url_for("agreements.mine"))


@bp.route("/agreement/request", methods=["GET", "POST"], endpoint="request")
@allow("employer")
def ask():
    organisation = _my_organisation()
    agreement = active_agreement(organisation.id)
    waiting = None if agreement else open_request(organisation.id)
    if agreement or waiting:
        # Also the confirmation page: after a request is sent, this is where it lands.
        return render_template(
            "agreements/request.html",
            organisation=organisation,
            agreement=agreement,
            waiting=waiting,
        )
    form = RequestAgreementForm()
    if form.validate_on_submit():
        try:
            request_agreement(
                organisation, current_user, form.message.data or "", form.measures.data or []
            )
        except RequestNotAllowed:
            db.session.rollback()
            return redirect(url_for("agreements.request"))
        db.session.commit()
        return redirect(url_for("agreements.request"))
    return render_template(
        "agreements/request.html",
        organisation=organisation,
        agreement=None,
        waiting=None,
        form=form,
    )


# --- staff -----------------------------------------------------------------------------------


@bp.route("/agreement-requests")
@allow("lmra", "dam", "coordinator")
def requests():
    page = page_number()
    found, has_next = requests_waiting(current_user, page)
    return render_template("agreements/requests.html", requests=found, page=page, has_next=has_next)


@bp.route("/accounts/<uuid:organisation_id>/agreement")
@allow("staff")
def account(organisation_id: uuid.UUID):
    page = agreement_page(_account(organisation_id))
    role = current_user.role.value
    return render_template(
        "agreements/account.html",
        page=page,
        can_record=role in RECORDING_ROLES,
        can_end=role in ENDING_ROLES,
    )


@bp.route("/accounts/<uuid:organisation_id>/agreement/new", methods=["GET", "POST"])
@allow("lmra", "dam")
def new(organisation_id: uuid.UUID):
    organisation = _account(organisation_id)
    existing = active_agreement(organisation.id)
    if existing is not None:
        return render_template(
            "agreements/already_agreed.html", organisation=organisation, agreement=existing
        )
    waiting = _open_requests(organisation)
    form = AgreementForm()
    if not form.is_submitted():
        for item in waiting:
            for measure in item.measures_of_interest:
                box = getattr(form, f"{measure}_agreed", None)
                if box is not None:
                    box.data = True
    if form.validate_on_submit():
        record_agreement(organisation, form.to_terms(), current_user)
        db.session.commit()
        flash(
            _(
                "Agreement recorded. We have emailed %(employer)s a written confirmation.",
                employer=organisation.name,
            )
        )
        return redirect(url_for("agreements.account", organisation_id=organisation.id))
    return render_template(
        "agreements/new.html", organisation=organisation, form=form, waiting=waiting
    )


@bp.route("/accounts/<uuid:organisation_id>/agreement/amend", methods=["GET", "POST"])
@allow("lmra", "dam")
def amend(organisation_id: uuid.UUID):
    organisation = _account(organisation_id)
    agreement = active_or_404(organisation)
    form = AmendAgreementForm()
    if not form.is_submitted():
        form.fill_from(agreement.current)
        form.based_on.data = str(agreement.current.number)
    if form.validate_on_submit():
        if not proposed_changes(agreement, form.to_terms()):
            first = form.measure_fields()[0][1]
            first.errors = [
                *first.errors,
                _("Change a measure or the jobseekers covered, or go back without saving"),
            ]
        else:
            try:
                amend_agreement(
                    agreement, form.to_terms(), current_user, based_on=form.based_on_number()
                )
                db.session.commit()
            except (AgreementChanged, IntegrityError):
                db.session.rollback()
                agreement = active_or_404(organisation)
                form.based_on.data = str(agreement.current.number)
                form.change_summary.errors = [
                    *form.change_summary.errors,
                    _(
                        "%(name)s changed this agreement while you were editing it. Check the "
                        "agreement as it is now, then save your change again.",
                        name=agreement.current.taken_by.name,
                    ),
                ]
            else:
                flash(
                    _(
                        "Agreement changed. We have emailed %(employer)s a written confirmation.",
                        employer=organisation.name,
                    )
                )
                return redirect(url_for("agreements.account", organisation_id=organisation.id))
    return render_template(
        "agreements/amend.html", organisation=organisation, agreement=agreement, form=form
    )


@bp.route("/accounts/<uuid:organisation_id>/agreement/end", methods=["GET", "POST"])
@allow("lmra", "dam", "coordinator")
def end(organisation_id: uuid.UUID):
    organisation = _account(organisation_id)
    agreement = active_or_404(organisation)
    form = EndAgreementForm()
    if form.validate_on_submit():
        end_agreement(agreement, ended_by=current_user, reason=form.reason.data)
        db.session.commit()
        flash(
            _(
                "Agreement ended. We have emailed %(employer)s to let them know.",
                employer=organisation.name,
            )
        )
        return redirect(url_for("agreements.account", organisation_id=organisation.id))
    return render_template(
        "agreements/end.html", organisation=organisation, agreement=agreement, form=form
    )


def _open_requests(organisation: Organisation) -> list[AgreementRequest]:
    return list(
        db.session.scalars(
            select(AgreementRequest)
            .where(
                AgreementRequest.organisation_id == organisation.id,
                AgreementRequest.status == AgreementRequestStatus.OPEN,
            )
            .options(joinedload(AgreementRequest.requested_by))
            .order_by(AgreementRequest.created_at)
        )
    )
