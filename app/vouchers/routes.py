"""The recruitment subsidy's pages: the employer's vouchers and one-step claim; the DAM's and
coordinator's claims to approve (in bulk, with a confirmation page) or to reject."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock
from app.auth.models import Role
from app.customers import labels as audit_actions
from app.customers.services import record_access, record_views
from app.employers import organisation_id_or_404
from app.extensions import db
from app.paging import page_number
from app.policy import allow
from app.vouchers import bp, labels, queries, rules, services
from app.vouchers.access import employer_voucher_or_404, staff_filter, staff_voucher_or_404
from app.vouchers.forms import APPROVE, ApproveForm, ClaimForm, DecideForm
from app.vouchers.models import VoucherStatus

#: The flash category for news that is not a success.
IMPORTANT = "important"


@bp.context_processor
def _labels() -> dict:
    return labels.template_context()


def _may_claim(voucher) -> bool:
    return rules.may_claim(
        voucher.status, voucher.outcome.validation_status, voucher.claimable_from, clock.today()
    )


# --- the employer ----------------------------------------------------------------------------


@bp.route("/vouchers")
@allow("employer")
def mine():
    page = page_number()
    vouchers, has_next = queries.employer_vouchers(organisation_id_or_404(current_user), page)
    return render_template(
        "vouchers/mine.html",
        vouchers=vouchers,
        page=page,
        has_next=has_next,
        may_claim=_may_claim,
    )


@bp.route("/vouchers/<uuid:voucher_id>")
@allow("employer")
def show(voucher_id: uuid.UUID):
    voucher = employer_voucher_or_404(voucher_id, current_user)
    return render_template(
        "vouchers/show.html",
        voucher=voucher,
        form=ClaimForm(),
        may_claim=_may_claim(voucher),
        today=clock.today(),
    )


@bp.route("/vouchers/<uuid:voucher_id>/claim", methods=["POST"])
@allow("employer")
def claim(voucher_id: uuid.UUID):
    voucher = employer_voucher_or_404(voucher_id, current_user)
    if not _may_claim(voucher):
        flash(_("This voucher cannot be claimed now. Its status is shown below."), IMPORTANT)
        return redirect(url_for("vouchers.show", voucher_id=voucher.id))
    form = ClaimForm()
    if not form.validate_on_submit():
        return render_template(
            "vouchers/show.html", voucher=voucher, form=form, may_claim=True, today=clock.today()
        )
    if not services.claim(voucher, current_user):
        db.session.rollback()
        flash(_("This voucher has already been claimed. Nothing was changed."), IMPORTANT)
        return redirect(url_for("vouchers.show", voucher_id=voucher_id))
    db.session.commit()
    flash(
        _(
            "Claim sent. We will email you when it is approved. Your reference is %(reference)s.",
            reference=voucher.reference,
        )
    )
    return redirect(url_for("vouchers.show", voucher_id=voucher_id))


# --- the DAM and the coordinator -------------------------------------------------------------


def _claims_page(form: ApproveForm, status: int = 200):
    page = page_number()
    dam_only = None if current_user.role is Role.DAM else False
    claims, has_next = queries.claims_to_approve(
        staff_filter(current_user), dam_only=dam_only, page=page
    )
    select_all = request.args.get("select") == "all"
    chosen = set(form.voucher.data or [])
    html = render_template(
        "vouchers/claims.html",
        claims=claims,
        page=page,
        has_next=has_next,
        form=form,
        select_all=select_all,
        chosen=chosen,
    )
    record_views(
        [voucher.outcome.customer for voucher in claims],
        current_user,
        audit_actions.VIEWED_IN_VOUCHER_CLAIMS,
        "Recruitment subsidy claims to approve",
    )
    db.session.commit()
    return html, status


@bp.route("/vouchers/claims")
@allow("dam", "coordinator")
def claims():
    return _claims_page(ApproveForm(formdata=None))


def _chosen_ids(values: list[str]) -> list[uuid.UUID]:
    try:
        return [uuid.UUID(value) for value in values]
    except ValueError:
        abort(400)


@bp.route("/vouchers/claims/approve", methods=["POST"])
@allow("dam", "coordinator")
def approve():
    """The list's ticked claims: first a confirmation page listing them and their total, then
    (with `confirmed`) the approval itself."""
    form = ApproveForm()
    if not form.validate_on_submit():
        return _claims_page(form)
    ids = _chosen_ids(form.voucher.data)
    if len(ids) > queries.PAGE_SIZE:
        abort(400)
    allowed = staff_filter(current_user)
    if form.confirmed.data != "yes":
        chosen = queries.chosen_claims(ids, allowed)
        if not chosen:
            flash(_("Those claims have already been decided. Nothing was changed."), IMPORTANT)
            return redirect(url_for("vouchers.claims"))
        html = render_template(
            "vouchers/approve.html",
            claims=chosen,
            total=sum(voucher.amount for voucher in chosen),
            form=form,
        )
        record_views(
            [voucher.outcome.customer for voucher in chosen],
            current_user,
            audit_actions.VIEWED_IN_VOUCHER_CLAIMS,
            "Recruitment subsidy claims to approve",
        )
        db.session.commit()
        return html
    approved = services.approve(ids, current_user, allowed)
    db.session.commit()
    if approved:
        flash(
            _(
                "%(count)s claims approved. The employers have been told, and the claims will be "
                "paid in the next payment run.",
                count=len(approved),
            )
        )
    skipped = len(ids) - len(approved)
    if skipped:
        flash(
            _(
                "%(count)s of the claims you chose had already been decided, so were left as "
                "they were.",
                count=skipped,
            ),
            IMPORTANT,
        )
    return redirect(url_for("vouchers.claims"))


@bp.route("/vouchers/claims/<uuid:voucher_id>", methods=["GET", "POST"])
@allow("dam", "coordinator")
def decide(voucher_id: uuid.UUID):
    voucher = staff_voucher_or_404(voucher_id, current_user)
    form = DecideForm()
    decidable = voucher.status is VoucherStatus.CLAIMED
    if decidable and form.validate_on_submit():
        if form.decision.data == APPROVE:
            done = bool(services.approve([voucher.id], current_user, staff_filter(current_user)))
            message = _("Claim approved. The employer has been told.")
        else:
            done = services.reject(voucher, current_user, form.reason.data)
            message = _("Claim rejected. The employer has been told why.")
        if not done:
            db.session.rollback()
            flash(_("Someone has already decided this claim. Nothing was changed."), IMPORTANT)
            return redirect(url_for("vouchers.decide", voucher_id=voucher_id))
        db.session.commit()
        flash(message)
        return redirect(url_for("vouchers.claims"))
    if request.method == "POST" and not decidable:
        flash(_("Someone has already decided this claim. Nothing was changed."), IMPORTANT)
        return redirect(url_for("vouchers.decide", voucher_id=voucher_id))
    html = render_template("vouchers/decide.html", voucher=voucher, form=form, decidable=decidable)
    record_access(
        voucher.outcome.customer,
        current_user,
        audit_actions.VIEWED_VOUCHER_CLAIM,
        f"Recruitment subsidy claim of {voucher.organisation.name}",
    )
    db.session.commit()
    return html
