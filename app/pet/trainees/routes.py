"""Trainees on PET courses: staff refer customers (REF2), the training provider decides and
records starts, leavers (SL2), attendance and completion; the employer reviews its cohort, books
guaranteed interviews and records hires; everyone on the course sees the figures.

Who reaches a course: staff of its district, the users of its training provider, the employers
on it; anyone else gets 404. Providers and employers see only customers who consent now, and
each look is audited (`services.record_views`).
"""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from app import clock
from app.auth.models import Role
from app.customers import labels as audit_actions
from app.customers.models import Benefit
from app.customers.services import record_views
from app.extensions import db
from app.formatting import datetime_long
from app.forms import search_words
from app.models_base import utcnow
from app.outcomes.services import OutcomeRefused
from app.pet import access, bp
from app.pet.employers import queries as employer_queries
from app.pet.labels import TRAINEE_STATUS_LABELS
from app.pet.models import Course, CourseModel, CourseReferral, TraineeStatus
from app.pet.trainees import queries, rules, services
from app.pet.trainees.forms import (
    ACCEPT,
    STATUS_TAG_CLASSES,
    AttendanceForm,
    CompletionForm,
    DecisionForm,
    HireForm,
    InterviewsForm,
    JsaExceptionForm,
    LeaverForm,
    ReferTraineeForm,
    ReturnedForm,
    StartForm,
)
from app.policy import allow
from app.rendering import wants_fragment

REFERRERS = ("adviser", "lmra", "dam", "tppm")
DISTRICT_STAFF = (*REFERRERS, "coordinator")
# What every trainee page shows of its course.
COURSE = (joinedload(Course.provider),)


@bp.context_processor
def _trainee_context() -> dict:
    return {
        "trainee_status_labels": TRAINEE_STATUS_LABELS,
        "trainee_status_tags": STATUS_TAG_CLASSES,
        # Links to pages another part of PET may not have yet.
        "trainee_endpoint_exists": lambda name: name in current_app.view_functions,
    }


def _is_provider() -> bool:
    return current_user.role is Role.PROVIDER


def _is_employer() -> bool:
    return current_user.role is Role.EMPLOYER


# --- staff: referring a customer (REF2) -------------------------------------------------------


@bp.route("/courses/<uuid:course_id>/trainees/new", methods=["GET", "POST"])
@allow(*REFERRERS)
def refer_trainee(course_id: uuid.UUID):
    course = access.course_or_404(course_id, *COURSE)
    today = clock.today()
    search = search_words(request.args.get("q"))
    form = ReferTraineeForm()
    refusal = queries.course_refusal(course)
    if refusal is None and form.validate_on_submit():
        customer = queries.customer_to_refer(course, form.chosen_id)
        reason = (
            _("Select a customer of this course’s district")
            if customer is None
            else queries.customer_refusal(course, customer, today)
            or queries.jsa_refusal(course, customer, today)
        )
        if reason:
            form.customer_id.errors.append(reason)
        else:
            services.refer(course, customer, form.owning_provider.data, current_user)
            name = customer.name
            try:
                db.session.commit()
            except IntegrityError:  # someone referred them a moment ago
                db.session.rollback()
                flash(
                    _("%(name)s has just been referred to this course by someone else.", name=name)
                )
                return redirect(url_for("pet.trainees", course_id=course_id))
            flash(
                _(
                    "%(name)s referred. The training provider has the referral (REF2), and the "
                    "TPPM a copy.",
                    name=name,
                )
            )
            return redirect(url_for("pet.trainees", course_id=course_id))
    listed, more = queries.candidates(course, today, search)
    page = render_template(
        "pet/trainee_refer.html",
        course=course,
        form=form,
        candidates=listed,
        more=more,
        search=search,
        refusal=refusal,
    )
    # Each candidate shows a reference and priority group: a look at personal data.
    record_views(
        (candidate.customer for candidate in listed),
        current_user,
        audit_actions.VIEWED_FOR_COURSE,
        f"The course {course.title}"[:500],
    )
    db.session.commit()
    return page


# --- a coordinator's exception to the JSA 16-hour rule ----------------------------------------


@bp.route("/courses/<uuid:course_id>/jsa-exceptions", methods=["GET", "POST"])
@allow("coordinator")
def jsa_exceptions(course_id: uuid.UUID):
    course = access.course_or_404(course_id, *COURSE)
    form = JsaExceptionForm()
    if form.validate_on_submit():
        customer = queries.jsa_customer_by_reference(course, form.reference.data)
        if customer is None:
            form.reference.errors.append(
                _("Enter the reference of a customer of this district who claims JSA")
            )
        else:
            try:
                services.record_jsa_exception(course, customer, form.reason.data, current_user)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                form.reference.errors.append(
                    _("%(name)s already has an exception for this course", name=customer.name)
                )
            else:
                flash(
                    _(
                        "Exception recorded: %(name)s can now be referred to this course.",
                        name=customer.name,
                    )
                )
                return redirect(url_for("pet.jsa_exceptions", course_id=course.id))
    return render_template(
        "pet/jsa_exceptions.html",
        course=course,
        form=form,
        exceptions=queries.jsa_exceptions(course),
    )


# --- the course's trainees: staff and the provider --------------------------------------------


@bp.route("/courses/<uuid:course_id>/trainees")
@allow(*DISTRICT_STAFF, "provider")
def trainees(course_id: uuid.UUID):
    course = access.course_or_404(course_id, *COURSE)
    rows = queries.trainee_rows(course, current_user, clock.today())
    page = render_template(
        "pet/trainee_list.html",
        course=course,
        rows=rows,
        most=queries.MOST_TRAINEES,
        may_refer=current_user.role.value in REFERRERS and not queries.course_refusal(course),
    )
    if _is_provider():
        services.record_views(
            [row.trainee for row in rows],
            current_user,
            f"Trainee list (names, status, attendance) of the course {course.title}"[:500],
        )
        # After rendering: committing first would expire every row the page reads.
        db.session.commit()
    return page


def _attendance_rows(course: Course, trainee: CourseReferral) -> list[dict]:
    recorded = queries.attendance_by_week(trainee)
    return [
        {
            "week": week,
            "scheduled": hours,
            "attended": float(recorded[week].hours_attended) if week in recorded else None,
            "hours": f"{recorded[week].hours_attended:g}" if week in recorded else "",
            "error": None,
        }
        for week, hours in enumerate(course.weekly_hours or [], start=1)
    ]


def _trainee_page(
    course: Course, trainee: CourseReferral, *, form=None, attendance_error=None, status=200
):
    """The trainee's page, with the forms for the provider's next step; `form` is the one the
    provider just sent with errors (the others start empty)."""
    status_value = trainee.status.value
    forms = {}
    if _is_provider():
        forms = {
            "decision": DecisionForm(formdata=None) if status_value == rules.REFERRED else None,
            "start": StartForm(formdata=None) if status_value == rules.ACCEPTED else None,
            "leaver": LeaverForm(formdata=None) if status_value == rules.STARTED else None,
            "completion": CompletionForm(formdata=None) if status_value == rules.STARTED else None,
            "returned": ReturnedForm(formdata=None)
            if rules.may_return_to_original(
                status_value, trainee.hired, trainee.returned_to_original
            )
            else None,
        }
        for name, each in forms.items():
            if form is not None and each is not None and type(each) is type(form):
                forms[name] = form
    rows = _attendance_rows(course, trainee)
    if attendance_error is not None:
        week, hours, message = attendance_error
        for row in rows:
            if row["week"] == week:
                row.update(hours=hours, error=message)
    scheduled = queries.scheduled_for(course, trainee, clock.today())
    attended = sum(row["attended"] for row in rows if row["attended"] is not None)
    fit = None
    if trainee.customer.benefit is Benefit.JSA:
        fit = queries.jsa_fits(course, [trainee.customer], clock.today()).get(trainee.customer_id)
    response = render_template(
        "pet/trainee_show.html",
        course=course,
        trainee=trainee,
        forms=forms,
        form=form,
        attendance_rows=rows,
        may_record_attendance=_is_provider() and status_value in rules.ATTENDING,
        attended=attended,
        scheduled=scheduled,
        share=rules.attendance_share(attended, scheduled),
        fit=fit,
    )
    return response, status


@bp.route("/courses/<uuid:course_id>/trainees/<uuid:course_referral_id>")
@allow(*DISTRICT_STAFF, "provider")
def trainee(course_id: uuid.UUID, course_referral_id: uuid.UUID):
    course = access.course_or_404(course_id, *COURSE)
    found = access.trainee_or_404(course, course_referral_id)
    page = _trainee_page(course, found)
    # The page shows the reference, phone and email: staff looks are audited as well as the
    # provider's.
    services.record_views(
        [found],
        current_user,
        f"Referral (REF2) and attendance on the course {course.title}"[:500],
    )
    db.session.commit()
    return page


def _at(*statuses: str):
    return lambda found: found.status.value in statuses


def _provider_step(course_id, course_referral_id, form_class, act, done, *, when):
    """Run one of the provider's steps: validate, act, commit, flash, back to the trainee.
    `when` says whether the step follows the trainee's status; if not (someone else moved
    them on, or an old page), the trainee's page says so and nothing changes."""
    course = access.course_or_404(course_id, *COURSE)
    found = access.trainee_or_404(course, course_referral_id)
    trainee_url = url_for("pet.trainee", course_id=course_id, course_referral_id=course_referral_id)
    if not when(found):
        flash(_("Someone has already updated this trainee. Nothing was changed."))
        return redirect(trainee_url)
    form = form_class()
    if not form.validate():
        return _trainee_page(course, found, form=form)
    name = found.customer.name
    try:
        act(found, form)
    except services.TraineeRefused as refused:
        if refused.field and refused.field in form:
            form[refused.field].errors.append(refused.message)
            return _trainee_page(course, found, form=form)
        db.session.rollback()
        flash(refused.message)
        return redirect(trainee_url)
    db.session.commit()
    flash(done(name, form))
    return redirect(trainee_url)


@bp.route("/courses/<uuid:course_id>/trainees/<uuid:course_referral_id>/decision", methods=["POST"])
@allow("provider")
def decide_trainee(course_id: uuid.UUID, course_referral_id: uuid.UUID):
    def act(found, form):
        if form.decision.data == ACCEPT:
            services.accept(found, current_user)
        else:
            services.decline(found, form.decline_reason.data, current_user)

    def done(name, form):
        if form.decision.data == ACCEPT:
            return _("You accepted %(name)s. The referring adviser and the TPPM know.", name=name)
        return _("You declined %(name)s. The referring adviser and the TPPM know why.", name=name)

    return _provider_step(
        course_id, course_referral_id, DecisionForm, act, done, when=_at(rules.REFERRED)
    )


@bp.route("/courses/<uuid:course_id>/trainees/<uuid:course_referral_id>/start", methods=["POST"])
@allow("provider")
def trainee_start(course_id: uuid.UUID, course_referral_id: uuid.UUID):
    return _provider_step(
        course_id,
        course_referral_id,
        StartForm,
        lambda found, form: services.start(found, form.started_on.data, current_user),
        lambda name, form: _("Start recorded for %(name)s (SL2 sent).", name=name),
        when=_at(rules.ACCEPTED),
    )


@bp.route("/courses/<uuid:course_id>/trainees/<uuid:course_referral_id>/leaver", methods=["POST"])
@allow("provider")
def trainee_leaver(course_id: uuid.UUID, course_referral_id: uuid.UUID):
    return _provider_step(
        course_id,
        course_referral_id,
        LeaverForm,
        lambda found, form: services.leave(
            found, form.left_on.data, form.leave_reason.data, current_user
        ),
        lambda name, form: _("Recorded that %(name)s left the course (SL2 sent).", name=name),
        when=_at(rules.STARTED),
    )


@bp.route(
    "/courses/<uuid:course_id>/trainees/<uuid:course_referral_id>/completion", methods=["POST"]
)
@allow("provider")
def trainee_completion(course_id: uuid.UUID, course_referral_id: uuid.UUID):
    return _provider_step(
        course_id,
        course_referral_id,
        CompletionForm,
        lambda found, form: services.complete(found, form.completed_on.data, current_user),
        lambda name, form: _("Recorded that %(name)s completed the course.", name=name),
        when=_at(rules.STARTED),
    )


@bp.route("/courses/<uuid:course_id>/trainees/<uuid:course_referral_id>/returned", methods=["POST"])
@allow("provider")
def trainee_returned(course_id: uuid.UUID, course_referral_id: uuid.UUID):
    return _provider_step(
        course_id,
        course_referral_id,
        ReturnedForm,
        lambda found, form: services.mark_returned(found, current_user),
        lambda name, form: _(
            "%(name)s is marked as returned to their original provider or benefit regime.",
            name=name,
        ),
        when=lambda found: rules.may_return_to_original(
            found.status.value, found.hired, found.returned_to_original
        ),
    )


@bp.route(
    "/courses/<uuid:course_id>/trainees/<uuid:course_referral_id>/attendance", methods=["POST"]
)
@allow("provider")
def attendance(course_id: uuid.UUID, course_referral_id: uuid.UUID):
    course = access.course_or_404(course_id, *COURSE)
    found = access.trainee_or_404(course, course_referral_id)
    form = AttendanceForm()
    week = form.week_number
    schedule = course.weekly_hours or []
    if week is None or not 1 <= week <= len(schedule):
        abort(400)  # the week is a hidden field: only a hand-made request gets it wrong
    if found.status.value not in rules.ATTENDING:
        flash(_("Attendance can be recorded once the trainee has started."))
        return redirect(
            url_for("pet.trainee", course_id=course_id, course_referral_id=course_referral_id)
        )
    form.hours.id = f"week-{week}-hours"
    error = None
    if form.validate():
        try:
            services.record_attendance(found, week, form.hours_attended, current_user)
        except services.TraineeRefused as refused:
            db.session.rollback()
            error = refused.message
        else:
            db.session.commit()
    else:
        error = form.hours.errors[0] if form.hours.errors else next(iter(form.errors.values()))[0]
    typed = (form.hours.data or "").strip()
    row = {
        "week": week,
        "scheduled": schedule[week - 1],
        "attended": float(form.hours_attended) if error is None else None,
        "hours": typed,
        "error": error,
        "saved": error is None,
    }
    if wants_fragment():
        return render_template(
            "pet/_trainee_attendance_row.html", course=course, trainee=found, row=row
        )
    if error is None:
        flash(_("Attendance for week %(week)s saved.", week=week))
        return redirect(
            url_for("pet.trainee", course_id=course_id, course_referral_id=course_referral_id)
            + "#attendance"
        )
    if error not in form.hours.errors:
        form.hours.errors = [error]
    return _trainee_page(course, found, form=form, attendance_error=(week, typed, error))


# --- the employer's cohort --------------------------------------------------------------------


def _cohort_page(course: Course, interview_form: InterviewsForm | None = None):
    today = clock.today()
    organisation_id = access.organisation_id_of(current_user) if _is_employer() else None
    rows = queries.cohort_rows(course, today, organisation_id)
    sector = course.model is CourseModel.SECTOR
    share = allotted = None
    if sector and organisation_id is not None:
        share = employer_queries.share_of(course, access.course_employer_of(current_user, course))
    elif sector:
        allotted = employer_queries.allotments(course)
    bookable = [
        row.trainee
        for row in rows
        if _is_employer()
        and row.trainee.status is TraineeStatus.COMPLETED
        and not row.trainee.hired
        and row.trainee.interview_organisation_id in (None, organisation_id)
    ]
    if _is_employer() and interview_form is None:
        interview_form = InterviewsForm(formdata=None, now=utcnow())
    (course_figures,) = queries.figures_by_course([course.id], organisation_id, today) or [None]
    page = render_template(
        "pet/cohort.html",
        course=course,
        rows=rows,
        organisation_id=organisation_id,
        bookable=bookable,
        interview_form=interview_form,
        form=interview_form if interview_form is not None and interview_form.errors else None,
        figures=course_figures.figures if course_figures else rules.CohortFigures(),
        most=queries.MOST_TRAINEES,
        share=share,
        allotted=allotted,
    )
    if _is_employer():
        services.record_views(
            [row.trainee for row in rows],
            current_user,
            f"Cohort (names, attendance, status) of the course {course.title}"[:500],
            organisation_id=organisation_id,
        )
        # After rendering: committing first would expire every row the page reads.
        db.session.commit()
    return page


@bp.route("/courses/<uuid:course_id>/cohort")
@allow("employer", *DISTRICT_STAFF)
def cohort(course_id: uuid.UUID):
    return _cohort_page(access.joined_course_or_404(course_id, *COURSE))


@bp.route("/courses/<uuid:course_id>/cohort/interviews", methods=["POST"])
@allow("employer")
def book_interviews(course_id: uuid.UUID):
    course = access.joined_course_or_404(course_id, *COURSE)
    organisation = current_user.organisation
    form = InterviewsForm(now=utcnow())
    if form.validate():
        try:
            booked = services.book_interviews(
                course, organisation, form.chosen, form.starts_at, current_user
            )
        except services.TraineeRefused as refused:
            db.session.rollback()
            form.trainee_ids.errors.append(refused.message)
        else:
            when = datetime_long(form.starts_at)
            db.session.commit()
            flash(
                ngettext(
                    "Interview booked for %(num)s person on %(when)s. Their adviser knows.",
                    "Interviews booked for %(num)s people on %(when)s. Their advisers know.",
                    len(booked),
                    when=when,
                )
            )
            return redirect(url_for("pet.cohort", course_id=course_id))
    return _cohort_page(course, form)


@bp.route(
    "/courses/<uuid:course_id>/cohort/<uuid:course_referral_id>/hire", methods=["GET", "POST"]
)
@allow("employer")
def hire(course_id: uuid.UUID, course_referral_id: uuid.UUID):
    course = access.joined_course_or_404(course_id, *COURSE)
    found = access.trainee_or_404(course, course_referral_id, cohort=True)
    organisation = current_user.organisation
    if not (
        found.status is TraineeStatus.COMPLETED
        and not found.hired
        and found.interview_organisation_id in (None, organisation.id)
    ):
        flash(_("Only someone who completed the course can be hired from it."))
        return redirect(url_for("pet.cohort", course_id=course_id))
    form = HireForm()
    if form.validate_on_submit():
        name = found.customer.name
        try:
            services.hire(
                found,
                organisation,
                start_date=form.start_date.data,
                hours_per_week=form.hours,
                hourly_pay=form.pay,
                by=current_user,
            )
        except OutcomeRefused as refused:  # refused before anything was added
            if refused.field not in form:
                flash(refused.message)
                return redirect(url_for("pet.cohort", course_id=course_id))
            form[refused.field].errors.append(refused.message)
        except services.TraineeRefused as refused:
            db.session.rollback()
            flash(refused.message)
            return redirect(url_for("pet.cohort", course_id=course_id))
        else:
            try:
                db.session.commit()
            except IntegrityError:  # someone at the employer recorded it a moment ago
                db.session.rollback()
                flash(_("A start had just been recorded for this person. Nothing was changed."))
                return redirect(url_for("pet.cohort", course_id=course_id))
            flash(_("Start recorded for %(name)s. It counts as a job outcome.", name=name))
            return redirect(url_for("pet.cohort", course_id=course_id))
    page = render_template("pet/trainee_hire.html", course=course, trainee=found, form=form)
    if not form.is_submitted():
        services.record_views(
            [found],
            current_user,
            f"Hiring from the course {course.title}"[:500],
            organisation_id=organisation.id,
        )
        db.session.commit()
    return page


# --- the summary ------------------------------------------------------------------------------


@bp.route("/pet-summary")
@allow("employer", *DISTRICT_STAFF)
def cohort_summary():
    scope = access.visible_course_ids(current_user, joined=True)
    organisation_id = access.organisation_id_of(current_user) if _is_employer() else None
    today = clock.today()
    if scope is None:
        by_course, count, totals = [], 0, rules.CohortFigures()
    else:
        by_course = queries.figures_by_course(scope, organisation_id, today)
        count, totals = queries.figures_in_total(scope, organisation_id, today)
    return render_template(
        "pet/cohort_summary.html",
        by_course=by_course,
        count=count,
        totals=totals,
        most=queries.MOST_COURSES,
    )
