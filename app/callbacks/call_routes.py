"""The one screen per call: the employer, the vacancy to correct, attempts, completion."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block

from app.agreements.forms import AgreementForm
from app.agreements.models import Channel
from app.agreements.rules import STANDARD_PRIORITY_GROUPS
from app.agreements.services import active_agreement, confirm_agreement, record_agreement
from app.auth.models import Role
from app.callbacks import bp, queries, services
from app.callbacks.access import callback_or_404, is_claimer, may_complete, may_release
from app.callbacks.forms import AttemptForm, CompleteForm, ErrorSummary
from app.callbacks.models import AttemptResult, CallBack, CallBackOutcome, CallBackStatus
from app.callbacks.rules import urgency, vacancy_gaps
from app.extensions import db
from app.formatting import london
from app.policy import allow, current_role
from app.rendering import wants_fragment
from app.vacancies.rules import fair_shot_advice


def _fair_shot(vacancy) -> list[dict]:
    """The advice shown to the employer when they placed the vacancy, and whether it still
    applies to the vacancy as it reads now."""
    current = {
        advice.code: advice
        for advice in fair_shot_advice(
            vacancy.essential_requirements,
            vacancy.desirable_requirements,
            vacancy.how_to_apply,
            entry_level=vacancy.entry_level,
            involves_driving=vacancy.involves_driving,
        )
    }
    given = []
    for item in vacancy.fair_shot_advice or []:
        advice = current.get(item.get("code"))
        given.append(
            {
                "requirement": item.get("requirement", ""),
                "advice": advice.advice if advice else None,
                "still_applies": advice is not None,
            }
        )
    return given


def _contact_phone(callback: CallBack) -> str | None:
    """A phone number for the employer about this vacancy: its author's, else a colleague's."""
    author = callback.vacancy.created_by
    if author is not None and author.phone:
        return author.phone
    phones = [m.user.phone for m in callback.organisation.memberships if m.user.phone]
    return phones[0] if phones else None


def _vacancy_edit_url(callback: CallBack) -> str | None:
    """Where to correct the vacancy, coming back to this call; None if that page does not
    exist (yet) or is not for this user's role."""
    editor = current_app.view_functions.get("vacancies.edit")
    if editor is None or current_role() not in getattr(editor, "allowed_roles", ()):
        return None
    return url_for(
        "vacancies.edit",
        vacancy_id=callback.vacancy_id,
        next=url_for("callbacks.call", callback_id=callback.id),
    )


def _agreement_form(*, posted: bool):
    """The agreement fields of the completion form, prefixed so their names are unique.

    The outer form carries the CSRF token. Unless posted, it starts from what a call-back
    usually is (agreed today, by phone, for the standard priority groups 1 to 5): no retyping.
    """
    form = AgreementForm(
        prefix="agreement", meta={"csrf": False}, **({} if posted else {"formdata": None})
    )
    if not posted:
        form.agreed_on.data = london(services.utcnow()).date()
        form.channel.data = Channel.PHONE.value
        form.priority_groups.data = form.priority_groups.data or [
            str(group) for group in STANDARD_PRIORITY_GROUPS
        ]
    return form


def _call_context(callback: CallBack, **forms) -> dict:
    now = services.utcnow()
    vacancy = callback.vacancy
    agreement = active_agreement(callback.organisation_id)
    gaps = vacancy_gaps(
        today=london(now).date(),
        description=vacancy.description,
        closing_date=vacancy.closing_date,
        hourly_pay=vacancy.hourly_pay,
        youngest_age=vacancy.youngest_age,
        hours_per_week=vacancy.hours_per_week,
        how_to_apply=vacancy.how_to_apply,
        contact_phone=_contact_phone(callback),
    )
    forms.setdefault("attempt_form", AttemptForm(prefix="attempt", now=now, formdata=None))
    forms.setdefault(
        "complete_form",
        CompleteForm(prefix="complete", has_agreement=agreement is not None, formdata=None),
    )
    forms.setdefault("agreement_form", _agreement_form(posted=False))
    return {
        "callback": callback,
        "vacancy": vacancy,
        "organisation": callback.organisation,
        "employer_users": sorted(
            (m for m in callback.organisation.memberships if m.user.active),
            key=lambda m: (m.role.value != "owner", m.user.name),
        ),
        "agreement": agreement,
        "gaps": gaps,
        "gaps_by_detail": {gap.detail: [g for g in gaps if g.detail == gap.detail] for gap in gaps},
        "fair_shot": _fair_shot(vacancy),
        "contact_phone": _contact_phone(callback),
        "edit_url": _vacancy_edit_url(callback),
        "attempts": callback.attempts,
        "now": now,
        "left": callback.due_at - now,
        "urgency": urgency(callback.due_at, now).value,
        "may_claim": callback.status is CallBackStatus.OPEN and current_user.role is Role.LMRA,
        "may_log": callback.status is CallBackStatus.CLAIMED and is_claimer(callback),
        "may_complete": may_complete(callback),
        "may_release": may_release(callback),
        **forms,
    }


@bp.route("/call-backs/<uuid:callback_id>")
@allow("lmra", "coordinator")
def call(callback_id: uuid.UUID):
    callback = callback_or_404(callback_id)
    return render_template("callbacks/call.html", **_call_context(callback))


@bp.route("/call-backs/<uuid:callback_id>/attempts", methods=["POST"])
@allow("lmra")
def attempt(callback_id: uuid.UUID):
    callback = callback_or_404(callback_id)
    if not (callback.status is CallBackStatus.CLAIMED and is_claimer(callback)):
        abort(403)
    form = AttemptForm(prefix="attempt", now=services.utcnow())
    if form.validate_on_submit():
        services.log_attempt(
            callback,
            current_user,
            AttemptResult(form.result.data),
            call_back_at=form.call_back_at,
            note=form.note.data or "",
        )
        db.session.commit()
        if wants_fragment():
            fresh = queries.callback_for_call(callback.id)
            return render_block(
                "callbacks/call.html", "attempts", **_call_context(fresh, logged=True)
            )
        flash(_("Call attempt logged."))
        return redirect(url_for("callbacks.call", callback_id=callback.id, _anchor="attempts"))
    context = _call_context(callback, attempt_form=form)
    if wants_fragment():
        return render_block("callbacks/call.html", "attempts", **context, attempt_errors=True)
    return render_template("callbacks/call.html", **context, form=form)


# --- completing ------------------------------------------------------------------------------


@bp.route("/call-backs/<uuid:callback_id>/complete", methods=["GET", "POST"])
@allow("lmra", "coordinator")
def complete(callback_id: uuid.UUID):
    callback = callback_or_404(callback_id)
    if callback.status is CallBackStatus.COMPLETED:
        flash(_("This call-back has already been completed."))
        return redirect(url_for("callbacks.call", callback_id=callback.id))
    if not may_complete(callback):
        abort(403)
    agreement = active_agreement(callback.organisation_id)
    form = CompleteForm(prefix="complete", has_agreement=agreement is not None)
    agreement_form = _agreement_form(
        posted=form.is_submitted() and any(key.startswith("agreement-") for key in request.form)
    )
    if form.is_submitted():
        valid = form.validate()
        if form.outcome is CallBackOutcome.NEW_AGREEMENT:
            valid = agreement_form.validate() and valid
        if valid:
            return _complete(callback, form, agreement_form, agreement)
    context = _call_context(callback, complete_form=form, agreement_form=agreement_form)
    return render_template(
        "callbacks/complete.html", **context, form=ErrorSummary(form, agreement_form)
    )


def _complete(callback: CallBack, form: CompleteForm, agreement_form, agreement):
    outcome = form.outcome
    record = None
    if outcome is CallBackOutcome.NEW_AGREEMENT:

        def record() -> None:
            record_agreement(callback.organisation, agreement_form.to_terms(), current_user)

    elif outcome is CallBackOutcome.EXISTING_CONFIRMED:

        def record() -> None:
            confirm_agreement(agreement, current_user)

    try:
        services.complete(
            callback, current_user, outcome, record_decision=record, notes=form.notes.data or ""
        )
    except services.AlreadyCompleted:
        db.session.rollback()
        flash(_("Someone else completed this call-back first. Nothing was changed."))
        return redirect(url_for("callbacks.call", callback_id=callback.id))
    db.session.commit()
    message = _(
        "Call-back completed: %(job)s at %(employer)s is now live.",
        job=callback.vacancy.job_title,
        employer=callback.organisation.name,
    )
    if outcome is CallBackOutcome.NEW_AGREEMENT:
        message += " " + _("The employer has been emailed their agreement.")
    flash(message)
    return redirect(url_for("callbacks.queue"))
