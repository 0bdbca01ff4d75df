"""Referrals: staff suggest and refer customers to a live vacancy; the employer reviews its
candidates, records each step and rates the referral; staff see referral quality.

Employers reach a referral only through their own organisation and only while the customer
consents; every look at a candidate's details is audited.
"""

from __future__ import annotations

import datetime as dt
import uuid

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts.models import District
from app.auth.models import Role
from app.customers import labels as audit_actions
from app.customers.rules import add_months
from app.customers.services import record_access, record_views
from app.extensions import db
from app.formatting import london
from app.models_base import utcnow
from app.outcomes.services import OutcomeRefused
from app.policy import allow
from app.referrals import bp, labels, queries, rules, services
from app.referrals.access import (
    organisation_id_or_404,
    referral_or_404,
    staff_referral_or_404,
    staff_vacancy_or_404,
)
from app.referrals.forms import (
    ActionForm,
    CancelInterviewForm,
    InterviewForm,
    NotSelectedForm,
    PageErrors,
    RatingForm,
    ReferErrors,
    ReferForm,
    StartForm,
    WorkTrialForm,
)
from app.referrals.models import Referral
from app.rendering import render_page, wants_fragment
from app.vacancies.models import Vacancy, VacancyStatus

#: The periods referral quality can cover, in months ("all": since records began).
QUALITY_PERIODS = {"3": 3, "6": 6, "12": 12, "all": None}


@bp.context_processor
def referral_labels() -> dict:
    return {"referral_labels": labels, "referral_statuses": rules.STATUSES}


def _today() -> dt.date:
    return london(utcnow()).date()


# --- staff: suggestions and referring ------------------------------------------------------


def _suggestions_page(vacancy: Vacancy, form: ReferForm, refusals: list[str] | None = None):
    live = vacancy.status is VacancyStatus.LIVE
    suggested = queries.suggestions(vacancy, _today()) if live else []
    html = render_template(
        "referrals/suggestions.html",
        vacancy=vacancy,
        live=live,
        suggestions=suggested,
        refer_form=form,
        form=ReferErrors(form, refusals or []),
        refusals=refusals or [],
        selected=set(form.customer_ids.data or []),
        most_points=rules.MOST_POINTS,
    )
    # Each suggestion shows the person's reference and priority group: a look at their data.
    record_views(
        (suggestion.customer for suggestion in suggested),
        current_user,
        audit_actions.VIEWED_IN_SUGGESTIONS,
        f"Vacancy {vacancy.job_title} at {vacancy.organisation.name}",
    )
    db.session.commit()
    return html


@bp.route("/vacancies/<uuid:vacancy_id>/suggestions")
@allow("lmra", "dam", "adviser")
def suggestions(vacancy_id: uuid.UUID):
    return _suggestions_page(staff_vacancy_or_404(vacancy_id), ReferForm(formdata=None))


@bp.route("/vacancies/<uuid:vacancy_id>/referrals", methods=["POST"])
@allow("lmra", "dam", "adviser")
def refer(vacancy_id: uuid.UUID):
    vacancy = staff_vacancy_or_404(vacancy_id)
    form = ReferForm()
    if form.selected_ids() is None:
        abort(400)
    if vacancy.status is not VacancyStatus.LIVE:
        return _suggestions_page(
            vacancy, form, [_("This vacancy is no longer live, so nobody can be referred to it")]
        )
    if not form.validate_on_submit():
        return _suggestions_page(vacancy, form)
    chosen = form.selected_ids() or []
    found = queries.customers_to_refer(vacancy, chosen)
    refusals = []
    if len(found) < len(chosen):
        refusals.append(_("A customer you chose is not in this vacancy’s district"))
    today = _today()
    refusals += [reason for candidate in found if (reason := services.refusal(candidate, today))]
    if refusals:
        return _suggestions_page(vacancy, form, refusals)
    referrals = services.refer(
        vacancy,
        [candidate.customer for candidate in found],
        form.note.data or "",
        current_user._get_current_object(),
    )
    try:
        db.session.commit()
    except IntegrityError:  # someone referred one of them a moment ago
        db.session.rollback()
        vacancy = staff_vacancy_or_404(vacancy_id)
        return _suggestions_page(
            vacancy,
            form,
            [_("Someone has just referred one of these customers: check the list and try again")],
        )
    flash(
        ngettext(
            "%(num)s customer referred. The employer has been told a candidate is waiting.",
            "%(num)s customers referred. The employer has been told candidates are waiting.",
            len(referrals),
        )
    )
    return redirect(url_for("referrals.suggestions", vacancy_id=vacancy.id))


# --- the employer: reviewing candidates ----------------------------------------------------


@bp.route("/vacancies/<uuid:vacancy_id>/candidates")
@allow("employer")
def review(vacancy_id: uuid.UUID):
    vacancy = queries.vacancy_for_employer(vacancy_id, organisation_id_or_404())
    if vacancy is None:
        abort(404)
    status = request.args.get("status", "")
    if status and status not in rules.STATUSES:
        abort(400)
    listed = queries.candidates(vacancy, status or None)
    groups = [
        (value, [referral for referral in listed if referral.status.value == value])
        for value in rules.STATUSES
    ]
    context = {
        "vacancy": vacancy,
        "status": status,
        "counts": queries.status_counts(vacancy),
        "groups": [(value, referrals) for value, referrals in groups if referrals],
        "listed": len(listed),
        "most_listed": queries.MOST_LISTED,
    }
    return render_page("referrals/review.html", "results", **context)


def _forms_for(referral: Referral, *, posted: str | None = None) -> dict:
    """One form for each step that may follow the referral's status; `posted` names the one
    the request filled in (the others start empty)."""
    allowed = rules.TRANSITIONS[referral.status.value]
    forms = {}
    for action, status in labels.ACTION_STATUS.items():
        if status not in allowed:
            continue
        formdata = None if action != posted else request.form
        forms[action] = action_form(action, referral, formdata)
    return forms


def action_form(action: str, referral: Referral, formdata, **options):
    """The form for `action` on the candidate page; `options` go to the form (the API turns
    off CSRF, having no session)."""
    prefix = action.replace("_", "-")
    if action == labels.INTERVIEW:
        return InterviewForm(formdata=formdata, prefix=prefix, now=utcnow(), **options)
    if action == labels.WORK_TRIAL:
        return WorkTrialForm(formdata=formdata, prefix=prefix, **options)
    if action == labels.START:
        return StartForm(
            formdata=formdata,
            prefix=prefix,
            earliest=london(referral.created_at).date(),
            latest=_today(),
            **options,
        )
    if action == labels.NOT_SELECTED:
        return NotSelectedForm(formdata=formdata, prefix=prefix, **options)
    return ActionForm(formdata=formdata, prefix=prefix, **options)


def _rating_form(referral: Referral, formdata=None) -> RatingForm:
    form = RatingForm(formdata=formdata, prefix="rating")
    if formdata is None and referral.suitability is not None:
        form.suitability.data = str(referral.suitability)
        form.reason.data = referral.suitability_reason
    return form


def _context(referral: Referral, **extra) -> dict:
    context = {
        "referral": referral,
        "customer": referral.customer,
        "vacancy": referral.vacancy,
        "forms": _forms_for(referral),
        "interview_to_come": services.interview_to_come(referral),
        "rating_form": _rating_form(referral),
        "done": None,
        "rated": False,
        "card_errors": None,
        "rating_errors": None,
        "open_action": None,
        "suitability_items": [
            {"hint": {"text": hint}} for hint in labels.SUITABILITY_HINTS.values()
        ],
    }
    context.update(extra)
    return context


def _candidate_page(referral: Referral, status: int = 200, **extra):
    """The whole page, with the candidate's details: each render is audited."""
    context = _context(referral, **extra)
    errors = context["card_errors"] or context["rating_errors"]
    html = render_template("referrals/candidate.html", form=errors, **context)
    services.record_viewed(referral, current_user)
    db.session.commit()
    return html, status


def _card(referral: Referral, **extra):
    return render_block("referrals/candidate.html", "card", **_context(referral, **extra))


@bp.route("/candidates/<uuid:referral_id>")
@allow("employer")
def candidate(referral_id: uuid.UUID):
    return _candidate_page(referral_or_404(referral_id))


def apply_action(action: str, form, referral: Referral):
    by = current_user._get_current_object()
    if action == labels.SHORTLIST:
        services.shortlist(referral, by)
    elif action == labels.OFFER:
        services.offer(referral, by)
    elif action == labels.WITHDRAW:
        services.withdrawn(referral, by)
    elif action == labels.NOT_SELECTED:
        services.not_selected(referral, form.reason.data, form.details.data or "", by)
    elif action == labels.WORK_TRIAL:
        services.record_work_trial(referral, form.starts_on.data, form.ends_on.data, by)
    elif action == labels.INTERVIEW:
        services.arrange_interview(
            referral,
            at=form.starts_at,
            place=form.place.data,
            guaranteed=form.guaranteed.data == "yes",
            by=by,
        )
    elif action == labels.START:
        return services.record_job_start(
            referral,
            start_date=form.start_date.data,
            hours_per_week=form.hours,
            hourly_pay=form.pay,
            by=by,
        )


@bp.route("/candidates/<uuid:referral_id>/status", methods=["POST"])
@allow("employer")
def move(referral_id: uuid.UUID):
    action = request.form.get("action", "")
    if action not in labels.ACTION_STATUS:
        abort(400)
    referral = referral_or_404(referral_id, for_update=True)
    try:
        services.check_move(referral, labels.ACTION_STATUS[action])
    except services.MoveRefused as refused:
        errors = PageErrors("candidate-status", refused.message)
        if wants_fragment():
            return _card(referral, card_errors=errors)
        return _candidate_page(referral, 409, card_errors=errors)

    forms = _forms_for(referral, posted=action)
    form = forms[action]
    if form.validate():
        try:
            apply_action(action, form, referral)
        except OutcomeRefused as refused:
            field = getattr(form, refused.field, None)
            if field is None:  # about the referral as a whole (a start already recorded)
                errors = PageErrors("candidate-status", refused.message)
                if wants_fragment():
                    return _card(referral, card_errors=errors)
                return _candidate_page(referral, 409, card_errors=errors)
            field.errors.append(refused.message)
        else:
            db.session.commit()
            if wants_fragment():
                referral = referral_or_404(referral_id)
                return _card(referral, done=labels.DONE_MESSAGES[action])
            flash(labels.DONE_MESSAGES[action])
            return redirect(url_for("referrals.candidate", referral_id=referral.id))
    if wants_fragment():
        return _card(referral, forms=forms, card_errors=form, open_action=action)
    return _candidate_page(referral, forms=forms, card_errors=form, open_action=action)


@bp.route("/candidates/<uuid:referral_id>/rating", methods=["POST"])
@allow("employer")
def rate(referral_id: uuid.UUID):
    referral = referral_or_404(referral_id, for_update=True)
    form = _rating_form(referral, request.form)
    if form.validate():
        services.rate(referral, int(form.suitability.data), form.reason.data or "", current_user)
        db.session.commit()
        message = _("Thank you: your rating has been saved.")
        if wants_fragment():
            referral = referral_or_404(referral_id)
            return render_block(
                "referrals/candidate.html", "rating", **_context(referral, rated=message)
            )
        flash(message)
        return redirect(url_for("referrals.candidate", referral_id=referral.id, _anchor="rating"))
    if wants_fragment():
        return render_block(
            "referrals/candidate.html",
            "rating",
            **_context(referral, rating_form=form, rating_errors=form),
        )
    return _candidate_page(referral, rating_form=form, rating_errors=form)


# --- either side: cancelling an interview ---------------------------------------------------


def _cancel_interview_page(referral: Referral, back_url: str, done_url: str):
    """The GOV.UK confirmation page for cancelling an interview (GET), and cancelling it
    (POST): the same for the employer and for staff, who reach the referral their own way."""
    form = CancelInterviewForm()
    refused = None
    if not services.interview_to_come(referral):
        refused = (
            _("There is no interview arranged to cancel.")
            if referral.status.value != rules.INTERVIEW_ARRANGED
            else _(
                "The time of this interview has passed, so it cannot be cancelled: record "
                "what was decided instead."
            )
        )
    elif form.validate_on_submit():
        try:
            services.cancel_arranged_interview(
                referral, form.reason.data.strip(), current_user._get_current_object()
            )
        except services.MoveRefused as refusal:
            refused = refusal.message
        else:
            db.session.commit()
            flash(
                _(
                    "Interview cancelled. The employer and the candidate’s adviser have been "
                    "sent the cancellation."
                )
            )
            return redirect(done_url)
    html = render_template(
        "referrals/cancel_interview.html",
        referral=referral,
        customer=referral.customer,
        vacancy=referral.vacancy,
        form=PageErrors("cancel-refused", refused) if refused else form,
        cancel_form=form,
        refused=refused,
        back_url=back_url,
    )
    if current_user.role is Role.EMPLOYER:
        services.record_viewed(referral, current_user)
    else:
        record_access(
            referral.customer,
            current_user,
            audit_actions.VIEWED,
            f"Cancelling the interview for {referral.vacancy.job_title} at "
            f"{referral.vacancy.organisation.name}",
        )
    db.session.commit()
    return html, 409 if refused and request.method == "POST" else 200


@bp.route("/candidates/<uuid:referral_id>/interview/cancel", methods=["GET", "POST"])
@allow("employer")
def cancel_interview(referral_id: uuid.UUID):
    referral = referral_or_404(referral_id, for_update=request.method == "POST")
    page = url_for("referrals.candidate", referral_id=referral.id)
    return _cancel_interview_page(referral, back_url=page, done_url=page)


@bp.route("/referrals/<uuid:referral_id>/interview/cancel", methods=["GET", "POST"])
@allow("lmra", "dam", "adviser")
def cancel_interview_for_customer(referral_id: uuid.UUID):
    referral = staff_referral_or_404(referral_id, for_update=request.method == "POST")
    page = url_for("customers.show", customer_id=referral.customer_id, _anchor="referrals")
    return _cancel_interview_page(referral, back_url=page, done_url=page)


# --- staff: referral quality ---------------------------------------------------------------


def _quality_district() -> tuple[uuid.UUID | None, list[District]]:
    """The district to report on: the staff member's own; an administrator may choose."""
    if current_user.role is not Role.ADMIN:
        return current_user.district_id, []
    districts = list(db.session.scalars(select(District).order_by(District.name).limit(500)))
    chosen = request.args.get("district")
    if not chosen:
        return current_user.district_id or (districts[0].id if districts else None), districts
    try:
        district_id = uuid.UUID(chosen)
    except ValueError:
        abort(400)
    if district_id not in {district.id for district in districts}:
        abort(400)
    return district_id, districts


@bp.route("/referrals/quality")
@allow("coordinator", "lmra", "dam", "admin")
def quality():
    period = request.args.get("period", "3")
    if period not in QUALITY_PERIODS:
        abort(400)
    district_id, districts = _quality_district()
    months = QUALITY_PERIODS[period]
    since = None
    if months is not None:
        since = dt.datetime.combine(add_months(_today(), -months), dt.time(), tzinfo=dt.UTC)
    by_adviser = by_office = []
    if district_id is not None:
        by_adviser = queries.quality_by_adviser(district_id, since)
        by_office = queries.quality_by_office(district_id, since)
    return render_template(
        "referrals/quality.html",
        period=period,
        periods=QUALITY_PERIODS,
        since=since,
        district_id=district_id,
        districts=districts,
        by_adviser=by_adviser,
        by_office=by_office,
    )
