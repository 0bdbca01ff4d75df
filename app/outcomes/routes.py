"""Job outcomes: staff record a start, the employer confirms it and answers the sustainment
questions, and the LEP coordinator decides only the exceptions."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app import clock
from app.auth.models import Role
from app.customers import labels as audit_actions
from app.customers.services import record_access
from app.extensions import db
from app.formatting import date_long, london
from app.outcomes import bp, labels, queries, services
from app.outcomes.access import employer_outcome_or_404, staff_outcome_or_404
from app.outcomes.forms import (
    ACCEPT,
    CONFIRM,
    YES,
    ConfirmForm,
    DecideForm,
    StartForm,
    SustainmentForm,
)
from app.outcomes.models import JobOutcome, ValidationStatus
from app.outcomes.rules import SUSTAINMENT_WEEKS, needs_coordinator
from app.paging import page_number
from app.policy import allow

#: The flash category for news that is not a success (the layout shows it as "Important").
IMPORTANT = "important"


@bp.context_processor
def _labels() -> dict:
    return labels.template_context()


def _in_queue(outcome: JobOutcome) -> bool:
    return needs_coordinator(
        outcome.validation_status,
        london(outcome.created_at).date(),
        clock.today(),
        outcome.district.nation_code,
    )


# --- staff record a start on the employer's word ---------------------------------------------


@bp.route("/referrals/<uuid:referral_id>/start", methods=["GET", "POST"])
@allow("lmra", "dam", "adviser")
def record(referral_id: uuid.UUID):
    referral = queries.referral_for_start(referral_id)
    if referral is None or referral.vacancy.district_id != current_user.district_id:
        abort(404)
    existing = queries.outcome_id_for_referral(referral.id)
    if existing is not None:
        flash(
            _("A start has already been recorded for %(name)s.", name=referral.customer.name),
            IMPORTANT,
        )
        return redirect(url_for("outcomes.show", outcome_id=existing))
    form = StartForm()
    if not form.is_submitted():
        form.hours_per_week.data = f"{referral.vacancy.hours_per_week.normalize():f}"
        form.hourly_pay.data = f"{referral.vacancy.hourly_pay:.2f}"
    elif form.validate():
        try:
            outcome = services.record_start(
                referral,
                start_date=form.start_date.data,
                hours_per_week=form.hours,
                hourly_pay=form.pay,
                recorded_by=current_user,
            )
        except services.OutcomeRefused as refused:
            if refused.field not in form:
                flash(refused.message, IMPORTANT)
                return redirect(url_for("outcomes.record", referral_id=referral.id))
            form[refused.field].errors.append(refused.message)
        else:
            name, employer = referral.customer.name, referral.organisation.name
            try:
                db.session.commit()
            except IntegrityError:
                # Someone recorded the same start a moment ago.
                db.session.rollback()
                flash(
                    _("A start had just been recorded for this person. Nothing was changed."),
                    IMPORTANT,
                )
                return redirect(url_for("outcomes.record", referral_id=referral_id))
            flash(
                _(
                    "Start recorded for %(name)s. We have asked %(employer)s to confirm it.",
                    name=name,
                    employer=employer,
                )
            )
            return redirect(url_for("outcomes.show", outcome_id=outcome.id))
    return render_template("outcomes/record.html", referral=referral, form=form)


# --- the employer ----------------------------------------------------------------------------


@bp.route("/outcomes")
@allow("employer")
def mine():
    page = page_number()
    outcomes, has_next = queries.employer_outcomes(current_user.id, page)
    return render_template(
        "outcomes/mine.html",
        outcomes=outcomes,
        page=page,
        has_next=has_next,
        today=clock.today(),
        may_answer=services.may_answer,
    )


@bp.route("/outcomes/<uuid:outcome_id>/confirm", methods=["GET", "POST"])
@allow("employer")
def confirm(outcome_id: uuid.UUID):
    outcome = employer_outcome_or_404(outcome_id)
    if outcome.validation_status is not ValidationStatus.AWAITING_EMPLOYER:
        flash(_("You have already answered about %(name)s.", name=outcome.customer.name), IMPORTANT)
        return redirect(url_for("outcomes.mine"))
    form = ConfirmForm()
    if form.validate_on_submit():
        name = outcome.customer.name
        if form.answer.data == CONFIRM:
            done = services.confirm(outcome, current_user)
            message = _("Thank you. You confirmed that %(name)s started work.", name=name)
        else:
            done = services.dispute(outcome, current_user, form.reason.data)
            message = _(
                "Thank you. Jobcentre Plus will look into what is wrong with the start of "
                "%(name)s.",
                name=name,
            )
        if not done:
            db.session.rollback()
            flash(
                _("Someone has already answered about %(name)s. Nothing was changed.", name=name),
                IMPORTANT,
            )
            return redirect(url_for("outcomes.mine"))
        db.session.commit()
        flash(message)
        return redirect(url_for("outcomes.mine"))
    return render_template("outcomes/confirm.html", outcome=outcome, form=form)


@bp.route("/outcomes/<uuid:outcome_id>/sustainment/<int:weeks>", methods=["GET", "POST"])
@allow("employer")
def sustainment(outcome_id: uuid.UUID, weeks: int):
    if weeks not in SUSTAINMENT_WEEKS:
        abort(404)
    check = queries.employer_check(outcome_id, weeks, current_user.id)
    if check is None:
        abort(404)
    outcome = check.outcome
    today = clock.today()
    if not services.may_answer(check, today):
        if check.answered_at is not None:
            flash(
                _("You have already told us about %(name)s.", name=outcome.customer.name), IMPORTANT
            )
        elif check.due_on > today:
            flash(
                _(
                    "You can tell us whether %(name)s is still employed from %(date)s.",
                    name=outcome.customer.name,
                    date=date_long(check.due_on),
                ),
                IMPORTANT,
            )
        else:
            flash(
                _("We do not need to know about %(name)s.", name=outcome.customer.name), IMPORTANT
            )
        return redirect(url_for("outcomes.mine"))
    form = SustainmentForm()
    if form.validate_on_submit():
        name = outcome.customer.name
        if not services.answer_sustainment(
            check,
            current_user,
            form.still_employed.data == YES,
            more_hours=form.moved_on("more_hours"),
            higher_pay=form.moved_on("higher_pay"),
            new_role=form.moved_on("new_role"),
            aftercare=form.aftercare.data == YES,
        ):
            db.session.rollback()
            flash(_("Someone has already told us about %(name)s.", name=name), IMPORTANT)
            return redirect(url_for("outcomes.mine"))
        db.session.commit()
        flash(_("Thank you for telling us about %(name)s.", name=name))
        return redirect(url_for("outcomes.mine"))
    return render_template("outcomes/sustainment.html", check=check, outcome=outcome, form=form)


# --- the LEP coordinator ---------------------------------------------------------------------


@bp.route("/outcomes/validation")
@allow("coordinator", "admin")
def validation_queue():
    page = page_number()
    today = clock.today()
    every_district = current_user.role is Role.ADMIN
    if not every_district and current_user.district_id is None:
        rows, has_next = [], False  # a coordinator not yet placed in a district
    else:
        rows, has_next = queries.validation_queue(
            None if every_district else current_user.district_id, today, page
        )
    return render_template(
        "outcomes/queue.html",
        rows=rows,
        page=page,
        has_next=has_next,
        every_district=every_district,
    )


@bp.route("/outcomes/<uuid:outcome_id>/decide", methods=["GET", "POST"])
@allow("coordinator", "admin")
def decide(outcome_id: uuid.UUID):
    outcome = staff_outcome_or_404(outcome_id)
    if not _in_queue(outcome):
        flash(_("This outcome is not waiting for a decision."), IMPORTANT)
        return redirect(url_for("outcomes.show", outcome_id=outcome.id))
    form = DecideForm()
    if form.validate_on_submit():
        name = outcome.customer.name
        if form.decision.data == ACCEPT:
            done = services.accept(outcome, current_user)
            message = _("Outcome for %(name)s accepted.", name=name)
        else:
            done = services.reject(outcome, current_user, form.reason.data)
            message = _("Outcome for %(name)s rejected.", name=name)
        if not done:
            db.session.rollback()
            flash(_("Someone has already decided this outcome. Nothing was changed."), IMPORTANT)
            return redirect(url_for("outcomes.show", outcome_id=outcome_id))
        db.session.commit()
        flash(message)
        return redirect(url_for("outcomes.validation_queue"))
    return render_template("outcomes/decide.html", outcome=outcome, form=form)


# --- staff -----------------------------------------------------------------------------------


@bp.route("/outcomes/<uuid:outcome_id>")
@allow("staff")
def show(outcome_id: uuid.UUID):
    outcome = staff_outcome_or_404(outcome_id)
    may_decide = current_user.role in (Role.COORDINATOR, Role.ADMIN) and _in_queue(outcome)
    html = render_template("outcomes/show.html", outcome=outcome, may_decide=may_decide)
    # The page shows the customer's reference and priority group: a look at personal data.
    record_access(
        outcome.customer,
        current_user,
        audit_actions.VIEWED_OUTCOME,
        f"Job outcome at {outcome.organisation.name}",
    )
    db.session.commit()
    return html


@bp.route("/aftercare/<uuid:check_id>/done", methods=["POST"])
@allow("adviser")
def aftercare_done(check_id: uuid.UUID):
    """The adviser has given (or arranged) the in-work support asked for."""
    if services.aftercare_done(check_id, current_user):
        db.session.commit()
        flash(_("Aftercare marked as done."))
    else:
        db.session.rollback()
        flash(_("That aftercare request is done already, or is not for your customer."), IMPORTANT)
    return redirect(url_for("main.home"))
