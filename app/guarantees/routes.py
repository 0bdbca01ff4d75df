"""Guaranteed interviews: the employer's list and its reasons for not offering one; the
staff's work to chase; and staff acting for an employer after the vacancy (assisted
digital: arrange an interview, record a decision with its reason, record a start, or say
why a guaranteed interview was not offered), each tagged with the channel and the staff
member so the employer sees "Done for you by NAME, by phone"."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.services import done_for_you, record_assisted
from app.clock import now, today
from app.customers.labels import VIEWED_GUARANTEES
from app.customers.services import record_views
from app.employers import organisation_id_or_404
from app.extensions import db
from app.formatting import london
from app.guarantees import bp, queries, services
from app.guarantees.access import (
    acting_for_or_404,
    channel_or_400,
    guarantee_or_404,
    referral_of_or_404,
)
from app.guarantees.forms import NotOfferedForm
from app.guarantees.labels import NOT_OFFERED_REASONS, STATE_LABELS, STATE_TAGS
from app.guarantees.rules import state
from app.outcomes.services import OutcomeRefused
from app.policy import allow
from app.referrals import services as referral_services
from app.referrals.forms import InterviewForm, NotSelectedForm, StartForm
from app.statuses import ReferralStatus

#: What staff may do for an employer on a candidate, by the URL's last part.
CANDIDATE_ACTIONS = ("interview", "decision", "start")


def _context(guarantees, organisation_ids=None) -> dict:
    ids = [guarantee.id for guarantee in guarantees]
    referral_ids = [g.referral_id for g in guarantees if g.referral_id is not None]
    return {
        "guarantees": guarantees,
        "today": today(),
        "state": state,
        "state_labels": STATE_LABELS,
        "state_tags": STATE_TAGS,
        "reasons": NOT_OFFERED_REASONS,
        "done": {**done_for_you("referral", referral_ids), **done_for_you("guarantee", ids)},
    }


@bp.route("/guarantees", endpoint="list")
@allow("employer")
def guarantee_list():
    """The employer's guaranteed interviews: due (with dates), overdue, kept, not offered."""
    organisation_id = organisation_id_or_404(current_user)
    guarantees = queries.for_employer(organisation_id)
    html = render_template(
        "guarantees/list.html",
        counts=queries.organisation_counts(organisation_id, today()),
        limit=queries.LIST_LIMIT,
        **_context(guarantees),
    )
    record_views(
        [guarantee.customer for guarantee in guarantees],
        current_user,
        VIEWED_GUARANTEES,
        "Guaranteed interviews",
    )
    db.session.commit()
    return html


def _not_offered_page(guarantee, form, *, acting=None, channel=None):
    """The form (it names the candidate: the look is audited)."""
    html = render_template(
        "guarantees/not_offered.html",
        guarantee=guarantee,
        form=form,
        acting=acting,
        channel=channel,
        reasons=NOT_OFFERED_REASONS,
    )
    record_views(
        [guarantee.customer],
        current_user,
        VIEWED_GUARANTEES,
        "Reason for not offering a guaranteed interview",
        organisation_id=guarantee.organisation_id,
    )
    db.session.commit()
    return html


def _record_not_offered(guarantee, form, *, channel=None):
    """Record the reason; None if done, else a response (someone answered meanwhile)."""
    try:
        services.not_offered(
            guarantee,
            form.reason.data,
            form.details.data or "",
            current_user._get_current_object(),
            channel=channel,
        )
    except services.AlreadyAnswered:
        form.reason.errors = [
            _("Someone has already recorded an interview or a reason for this guarantee")
        ]
        return False
    db.session.commit()
    flash(_("Reason recorded: the guaranteed interview was not offered"))
    return True


@bp.route("/guarantees/<uuid:guarantee_id>/not-offered", methods=["GET", "POST"])
@allow("employer")
def not_offered(guarantee_id: uuid.UUID):
    guarantee = guarantee_or_404(organisation_id_or_404(current_user), guarantee_id)
    form = NotOfferedForm()
    if guarantee.outcome is not None:
        return redirect(url_for("guarantees.list"))
    if form.validate_on_submit() and _record_not_offered(guarantee, form):
        return redirect(url_for("guarantees.list"))
    return _not_offered_page(guarantee, form)


@bp.route("/guarantees/to-chase")
@allow("lmra", "dam", "coordinator", "admin")
def to_chase():
    """Overdue guaranteed interviews to chase: a DAM's accounts, an LMRA's district."""
    guarantees = queries.to_chase(current_user, today())
    html = render_template(
        "guarantees/to_chase.html",
        limit=queries.LIST_LIMIT,
        # Only staff who may act for employers get the link (a coordinator reads the list).
        may_act=current_user.role.value in ("lmra", "dam", "admin"),
        **_context(guarantees),
    )
    record_views(
        [guarantee.customer for guarantee in guarantees],
        current_user,
        VIEWED_GUARANTEES,
        "Guaranteed interviews to chase",
    )
    db.session.commit()
    return html


# --- staff acting for the employer -------------------------------------------------------------


def _back(organisation_id: uuid.UUID, channel: str) -> str:
    return url_for("accounts.act_for_employer", organisation_id=organisation_id, channel=channel)


@bp.route(
    "/accounts/<uuid:organisation_id>/act-for-employer/guarantees/<uuid:guarantee_id>/not-offered",
    methods=["GET", "POST"],
)
@allow("lmra", "dam", "admin")
def act_not_offered(organisation_id: uuid.UUID, guarantee_id: uuid.UUID):
    organisation = acting_for_or_404(organisation_id)
    guarantee = guarantee_or_404(organisation.id, guarantee_id)  # a record unknown: 404 first
    channel = channel_or_400()
    if guarantee.outcome is not None:
        return redirect(_back(organisation.id, channel))
    form = NotOfferedForm()
    if form.validate_on_submit() and _record_not_offered(guarantee, form, channel=channel):
        return redirect(_back(organisation.id, channel))
    return _not_offered_page(guarantee, form, acting=organisation, channel=channel)


def _candidate_form(action: str, referral, formdata):
    if action == "interview":
        return InterviewForm(formdata=formdata, now=now())
    if action == "decision":
        return NotSelectedForm(formdata=formdata)
    return StartForm(formdata=formdata, earliest=london(referral.created_at).date(), latest=today())


#: The referral statuses each action may follow (the candidate page's transitions).
ALLOWED_FROM = {
    "interview": {
        ReferralStatus.REFERRED,
        ReferralStatus.SHORTLISTED,
        ReferralStatus.INTERVIEW_ARRANGED,
        ReferralStatus.WORK_TRIAL,
    },
    "decision": {
        ReferralStatus.REFERRED,
        ReferralStatus.SHORTLISTED,
        ReferralStatus.INTERVIEW_ARRANGED,
        ReferralStatus.WORK_TRIAL,
        ReferralStatus.OFFERED,
    },
    "start": {ReferralStatus.OFFERED},
}

SUMMARIES = {
    "interview": "Arranged an interview",
    "decision": "Recorded not selected, with the reason",
    "start": "Recorded a start",
}


@bp.route(
    "/accounts/<uuid:organisation_id>/act-for-employer/candidates/<uuid:referral_id>/<action>",
    methods=["GET", "POST"],
)
@allow("lmra", "dam", "admin")
def act_on_candidate(organisation_id: uuid.UUID, referral_id: uuid.UUID, action: str):
    if action not in CANDIDATE_ACTIONS:
        abort(404)
    organisation = acting_for_or_404(organisation_id)
    referral = referral_of_or_404(organisation, referral_id)  # a record unknown: 404 first
    channel = channel_or_400()
    refused = None
    if referral.status not in ALLOWED_FROM[action]:
        refused = _("This candidate has moved on: there is nothing to record here now")
    form = _candidate_form(action, referral, request.form if request.method == "POST" else None)
    if request.method == "POST" and refused is None and form.validate():
        by = current_user._get_current_object()
        try:
            if action == "interview":
                referral_services.arrange_interview(
                    referral,
                    at=form.starts_at,
                    place=form.place.data,
                    guaranteed=form.guaranteed.data == "yes",
                    by=by,
                )
            elif action == "decision":
                referral_services.not_selected(
                    referral, form.reason.data, form.details.data or "", by
                )
            else:
                referral_services.record_job_start(
                    referral,
                    start_date=form.start_date.data,
                    hours_per_week=form.hours,
                    hourly_pay=form.pay,
                    by=by,
                )
        except OutcomeRefused as outcome_refused:
            field = getattr(form, outcome_refused.field, None) or form.start_date
            field.errors = [*field.errors, outcome_refused.message]
        except referral_services.MoveRefused as move_refused:
            refused = move_refused.message
        else:
            record_assisted(organisation, by, channel, "referral", referral.id, SUMMARIES[action])
            db.session.commit()
            flash(_("Done for %(employer)s", employer=organisation.name))
            return redirect(_back(organisation.id, channel))
    # The form again with its errors (200), or 409 when the candidate has moved on.
    status = 409 if request.method == "POST" and refused else 200
    html = render_template(
        "guarantees/act_on_candidate.html",
        organisation=organisation,
        channel=channel,
        referral=referral,
        action=action,
        form=form,
        refused=refused,
    )
    referral_services.record_viewed(referral, current_user)
    db.session.commit()
    return html, status


@bp.app_context_processor
def _to_chase():
    """`guarantees_to_chase()` in templates: how many overdue guarantees the signed-in member
    of staff chases (the portfolio and the call-back queue show it), or None."""

    def guarantees_to_chase() -> int | None:
        if not current_user.is_authenticated or not current_user.is_staff:
            return None
        return queries.to_chase_count(current_user, today())

    def guarantee_counts_for(organisation, with_branches: bool = False) -> queries.Counts:
        """Kept, due, overdue and not offered (by reason) for the account, and its
        branches' too when the page counts them: one statement."""
        return queries.family_counts(organisation.id, today(), with_branches=with_branches)

    def done_for_you_of(subject_type: str, subject_id: uuid.UUID) -> dict[uuid.UUID, str]:
        """Who among staff acted on the record for the employer, and by which channel (the
        latest of each), in one query: staff id -> channel."""
        return queries.assisted_by(subject_type, subject_id)

    return {
        "done_for_you_of": done_for_you_of,
        "guarantees_to_chase": guarantees_to_chase,
        "guarantee_counts_for": guarantee_counts_for,
        "guarantee_reasons": NOT_OFFERED_REASONS,
    }
