"""PET course design and delivery plans.

A DAM or TPPM designs a course with one employer (bespoke) or for a sector and several
employers, starting from a Sector Employability Toolkit (a sector course's employers are
invited in `app.pet.employers`); the employers read the design and comment or propose
changes; the delivery plan meeting is recorded and, once finalised, emailed to every
attendee. Who sees which course: `app.pet.access`.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app import clock
from app.auth.models import Role
from app.extensions import db
from app.paging import page_number
from app.pet import access, bp, labels
from app.pet.courses import queries, services
from app.pet.courses.forms import (
    ActionForm,
    CommentForm,
    CourseForm,
    ModuleForm,
    NewCourseForm,
    PlanForm,
)
from app.pet.employers import queries as employer_queries
from app.pet.employers import rules as employer_rules
from app.pet.models import (
    Course,
    CourseEmployer,
    CourseModel,
    CourseStatus,
)
from app.pet.trainees import queries as trainee_queries
from app.pet.trainees import rules as trainee_rules
from app.pet.trainees import services as trainee_services
from app.policy import allow
from app.rendering import wants_fragment

VIEWERS = ("dam", "tppm", "coordinator", "adviser", "lmra", "employer", "provider")
DESIGNERS = ("dam", "tppm")
# Who sees what of a course's trainees on its page (the trainee pages decide the same way).
TRAINEE_STAFF = ("dam", "tppm", "coordinator", "adviser", "lmra")
REFERRERS = ("dam", "tppm", "adviser", "lmra")
PAGE_SIZE = 25
MAX_PAGE = 200
DESIGN_ID = "course-design"  # the block HTMX swaps when modules move or go

# What the course page shows, loaded up front so the page's queries do not grow with it.
COURSE_PAGE = (
    joinedload(Course.provider),
    joinedload(Course.district),
    joinedload(Course.created_by),
    selectinload(Course.employers).joinedload(CourseEmployer.organisation),
    selectinload(Course.modules),
)


@bp.context_processor
def _viewer_context() -> dict:
    """The signed-in employer's organisation: a sector course's pages name only its own
    among the employers (the others may be its competitors)."""
    is_employer = getattr(current_user, "role", None) is Role.EMPLOYER
    return {
        "viewer_organisation_id": access.organisation_id_of(current_user) if is_employer else None
    }


def _render(template: str, **context) -> str:
    return render_template(template, labels=labels, **context)


def _weeks(course: Course, check: queries.ScheduleCheck) -> list[dict]:
    modules = sorted(course.modules, key=lambda module: (module.week, module.position))
    return [
        {
            "number": week,
            "hours": hours,
            "modules": [module for module in modules if module.week == week],
        }
        for week, hours in enumerate(check.weekly_hours, start=1)
    ]


def _design_context(course: Course) -> dict:
    check = queries.check_schedule(course.weekly_hours)
    can_change = access.may_design(current_user, course) and not access.design_locked(course)
    weeks = _weeks(course, check)
    modules = [module for week in weeks for module in week["modules"]]
    # Buttons that would do nothing are left out: the very first module cannot go up, nor
    # the last down (moving never makes the course longer).
    return {
        "course": course,
        "check": check,
        "weeks": weeks,
        "cannot_move": {
            "up": modules[0].id if modules and modules[0].week == 1 else None,
            "down": modules[-1].id if modules else None,
        },
        "can_change_design": can_change,
        "design_id": DESIGN_ID,
    }


def _trainees_context(course: Course) -> dict:
    """The course's trainees as this user may see them: staff every one, the course's provider
    those who consent now, each with their status and (JSA claimants) whether the course fits
    their past 52 weeks. An employer gets only the link to its cohort: never the JSA rule,
    which says who claims what. Three queries at most, however many trainees."""
    role = current_user.role.value
    staff = role in TRAINEE_STAFF
    provider = current_user.role is Role.PROVIDER
    context = {
        "trainees_shown": staff or provider,
        "may_refer": role in REFERRERS and trainee_queries.course_refusal(course) is None,
        "cohort_link": staff or access.has_joined(current_user, course),
        "trainees": [],
        "trainee_counts": [],
        "trainee_total": 0,
        "most_trainees": trainee_queries.MOST_TRAINEES,
    }
    if not context["trainees_shown"]:
        return context
    found, counts = trainee_queries.course_trainees(course, current_user)
    fits = trainee_queries.jsa_fits(course, [trainee.customer for trainee in found], clock.today())
    context.update(
        trainees=[(trainee, fits.get(trainee.customer_id)) for trainee in found],
        trainee_counts=[
            (status, counts[status]) for status in trainee_rules.STATUSES if counts.get(status)
        ],
        trainee_total=sum(counts.values()),
    )
    return context


def _employers_context(course: Course) -> dict:
    """Who takes part: on a sector course, staff and the provider see every employer asked,
    with its answer and interviews; an employer sees only its own place and share, and how
    many others there are (they may be its competitors). Two queries at most."""
    place = access.course_employer_of(current_user, course)
    sector = course.model is CourseModel.SECTOR
    context: dict[str, Any] = {
        "place": place,
        "share": None,
        "places_asked": [],
        "joined_count": 0,
        "interviews_offered": 0,
        "may_invite": sector
        and access.may_design(current_user, course)
        and not access.design_locked(course),
    }
    if current_user.role is Role.EMPLOYER:
        if sector and place is not None and place.joined:
            context["share"] = employer_queries.share_of(course, place)
    elif sector:
        asked = employer_queries.places_with_history(course)
        joined = [item for item in asked if item.joined]
        context["places_asked"] = [
            (item, employer_rules.share_of_places(item.guaranteed_interviews or 0, course.places))
            for item in asked
        ]
        context["joined_count"] = len(joined)
        context["interviews_offered"] = sum(item.guaranteed_interviews or 0 for item in joined)
    return context


def _course_page(course: Course, *, form=None, **forms):
    """The course page; `forms` replace the blank ones (to show their errors), and `form`
    is the one whose errors the summary lists."""
    plan = queries.plan_of(course.id)
    context = _design_context(course)
    can_design = access.may_design(current_user, course)
    if context["can_change_design"]:
        forms.setdefault("module_form", ModuleForm(prefix="module", formdata=None))
    employer_on_course = queries.on_course(current_user, course)
    if employer_on_course:
        forms.setdefault("comment_form", CommentForm(prefix="comment", formdata=None))
    trainees = _trainees_context(course)
    page = _render(
        "pet/course_show.html",
        **context,
        **trainees,
        **_employers_context(course),
        plan=plan,
        open_actions=queries.count_open_actions(plan) if plan else 0,
        comments=queries.comments_for(current_user, course),
        can_design=can_design,
        employer_on_course=employer_on_course,
        module_form=forms.get("module_form"),
        comment_form=forms.get("comment_form"),
        form=form,
    )
    if current_user.role is Role.PROVIDER and trainees["trainees"]:
        # A provider's look at the names is audited, as on the trainee list. After rendering:
        # committing first would expire every row the page reads.
        trainee_services.record_views(
            [trainee for trainee, _fit in trainees["trainees"]],
            current_user,
            f"Trainees (names, status, JSA rule) on the page of the course {course.title}"[:500],
        )
        db.session.commit()
    return page


# --- the list and a new course ---------------------------------------------------------------


@bp.route("/courses")
@allow(*VIEWERS)
def courses():
    status_value = request.args.get("status", "")
    try:
        status = CourseStatus(status_value) if status_value else None
    except ValueError:
        abort(400)
    page = page_number(MAX_PAGE)
    found, has_next = queries.list_courses(current_user, status, page, PAGE_SIZE)
    return _render(
        "pet/course_list.html",
        courses=found,
        status=status_value,
        page=page,
        has_next=has_next,
        can_create=current_user.role.value in DESIGNERS,
    )


@bp.route("/courses/new", methods=["GET", "POST"])
@allow(*DESIGNERS)
def new_course():
    if current_user.district_id is None:
        abort(403)
    form = NewCourseForm(today=clock.today())
    form.set_employers(queries.district_organisations(current_user.district_id))
    form.set_providers(queries.providers_for(current_user.district_id))
    if form.validate_on_submit():
        course = services.create_course(
            current_user,
            model=CourseModel(form.model.data),
            toolkit_key=form.toolkit.data,
            work_trial=form.work_trial.data,
            organisation_ids=form.organisation_ids(),
            details=form.details(),
        )
        db.session.commit()
        if course.model is CourseModel.SECTOR:
            flash(
                _(
                    "Course created from the toolkit. Now invite the small and medium-sized "
                    "employers who will take part."
                )
            )
            return redirect(url_for("pet.invite_employer", course_id=course.id))
        flash(_("Course created from the toolkit. Now agree its design with the employer."))
        return redirect(url_for("pet.course", course_id=course.id))
    return _render("pet/course_new.html", form=form)


# --- one course ------------------------------------------------------------------------------


@bp.route("/courses/<uuid:course_id>")
@allow(*VIEWERS)
def course(course_id: uuid.UUID):
    return _course_page(access.course_or_404(course_id, *COURSE_PAGE))


@bp.route("/courses/<uuid:course_id>/edit", methods=["GET", "POST"])
@allow(*DESIGNERS)
def edit_course(course_id: uuid.UUID):
    course = access.designed_course_or_404(course_id, joinedload(Course.district))
    form = CourseForm()
    form.set_providers(queries.providers_for(course.district_id))
    form.set_routes(queries.funding_routes_for(course.district.nation_code))
    if not form.is_submitted():
        form.fill_from(course)
    if form.validate_on_submit():
        services.update_course(course, form.details(), form.funding())
        db.session.commit()
        flash(_("Course details saved."))
        return redirect(url_for("pet.course", course_id=course.id))
    return _render("pet/course_edit.html", course=course, form=form)


# --- modules ---------------------------------------------------------------------------------


def _after_module_change(course_id: uuid.UUID):
    """HTMX gets the design block again; a plain form post goes back to the course."""
    if wants_fragment():
        course = access.course_or_404(course_id, *COURSE_PAGE)
        response = make_response(_render("pet/_course_design.html", **_design_context(course)))
        response.vary.add("HX-Request")
        return response
    return redirect(url_for("pet.course", course_id=course_id, _anchor=DESIGN_ID))


@bp.route("/courses/<uuid:course_id>/modules", methods=["POST"])
@allow(*DESIGNERS)
def add_module(course_id: uuid.UUID):
    course = access.designed_course_or_404(course_id, *COURSE_PAGE)
    form = ModuleForm(prefix="module")
    if not form.validate_on_submit():
        return _course_page(course, form=form, module_form=form)
    services.add_module(course, form.details())
    db.session.commit()
    flash(_("Module added to week %(week)s.", week=form.week.data))
    return redirect(url_for("pet.course", course_id=course_id, _anchor=DESIGN_ID))


@bp.route("/courses/<uuid:course_id>/modules/<uuid:module_id>/edit", methods=["GET", "POST"])
@allow(*DESIGNERS)
def edit_module(course_id: uuid.UUID, module_id: uuid.UUID):
    course = access.designed_course_or_404(course_id)
    module = access.module_or_404(course, module_id)
    form = ModuleForm()
    form.submit.label.text = _("Save module")
    if not form.is_submitted():
        form.fill_from(module)
    if form.validate_on_submit():
        services.update_module(course, module, form.details())
        db.session.commit()
        flash(_("Module saved."))
        return redirect(url_for("pet.course", course_id=course_id, _anchor=DESIGN_ID))
    return _render("pet/course_module.html", course=course, module=module, form=form)


@bp.route("/courses/<uuid:course_id>/modules/<uuid:module_id>/remove", methods=["POST"])
@allow(*DESIGNERS)
def remove_module(course_id: uuid.UUID, module_id: uuid.UUID):
    course = access.designed_course_or_404(course_id)
    services.remove_module(course, access.module_or_404(course, module_id))
    db.session.commit()
    if not wants_fragment():
        flash(_("Module removed."))
    return _after_module_change(course_id)


@bp.route("/courses/<uuid:course_id>/modules/<uuid:module_id>/move", methods=["POST"])
@allow(*DESIGNERS)
def move_module(course_id: uuid.UUID, module_id: uuid.UUID):
    direction = request.form.get("direction")
    if direction not in (services.UP, services.DOWN):
        abort(400)
    course = access.designed_course_or_404(course_id)
    services.move_module(course, access.module_or_404(course, module_id), direction)
    db.session.commit()
    return _after_module_change(course_id)


# --- comments and proposals ------------------------------------------------------------------


@bp.route("/courses/<uuid:course_id>/comments", methods=["POST"])
@allow("employer")
def comment(course_id: uuid.UUID):
    # An employer sees only the courses it is on: any other course is a 404 here.
    course = access.course_or_404(course_id, *COURSE_PAGE)
    form = CommentForm(prefix="comment")
    if not form.validate_on_submit():
        return _course_page(course, form=form, comment_form=form)
    owners = queries.course_owners(course, queries.plan_of(course.id))
    services.add_comment(course, current_user, form.body.data, form.proposes_change.data, owners)
    db.session.commit()
    if form.proposes_change.data:
        flash(_("Your proposed change has been sent to Jobcentre Plus."))
    else:
        flash(_("Your comment has been sent to Jobcentre Plus."))
    return redirect(url_for("pet.course", course_id=course_id, _anchor="comments"))


@bp.route("/courses/<uuid:course_id>/comments/<uuid:comment_id>/resolve", methods=["POST"])
@allow(*DESIGNERS)
def resolve_comment(course_id: uuid.UUID, comment_id: uuid.UUID):
    course = access.course_or_404(course_id)
    if not access.may_design(current_user, course):
        abort(404)
    services.resolve_comment(access.comment_or_404(course, comment_id))
    db.session.commit()
    flash(_("Marked as resolved."))
    return redirect(url_for("pet.course", course_id=course_id, _anchor="comments"))


# --- the delivery plan -----------------------------------------------------------------------


def _plan_page(course, plan, *, plan_form=None, action_form=None, form=None):
    staff = queries.district_staff(course.district_id)
    if plan_form is None:
        plan_form = PlanForm(formdata=None)
        plan_form.set_contacts(staff)
        _fill_plan_form(plan_form, course, plan, staff)
    if action_form is None and plan is not None:
        action_form = ActionForm(prefix="action", formdata=None)
        action_form.set_owners(queries.action_owners(course))
    return _render(
        "pet/plan_edit.html",
        course=course,
        plan=plan,
        plan_form=plan_form,
        action_form=action_form,
        form=form,
        today=clock.today(),
        finalised=plan is not None and plan.finalised_at is not None,
    )


def _fill_plan_form(form: PlanForm, course: Course, plan, staff) -> None:
    if plan is not None:
        form.fill_from(plan)
        return
    form.suitability_criteria.data = course.suitability_criteria
    contact = queries.default_contact(staff, current_user)
    form.single_point_of_contact.data = str(contact.id)
    # The people known already, to save typing: the rest are added at the meeting.
    rows = form.attendee_rows()
    known = [(current_user.name, current_user.email, labels.DISTRICT_PARTY)]
    if course.provider is not None and course.provider.contact_email:
        known.append((course.provider.name, course.provider.contact_email, labels.PROVIDER_PARTY))
    for (name, email, party), (name_value, email_value, party_value) in zip(
        rows, known, strict=False
    ):
        name.data, email.data, party.data = name_value, email_value, party_value


@bp.route("/courses/<uuid:course_id>/delivery-plan", methods=["GET", "POST"])
@allow(*DESIGNERS)
def plan(course_id: uuid.UUID):
    course = access.planned_course_or_404(course_id)
    plan = queries.plan_of(course.id)
    if request.method == "GET":
        return _plan_page(course, plan)
    if plan is not None and plan.finalised_at is not None:
        abort(409)  # reopen the plan to change it
    form = PlanForm()
    form.set_contacts(queries.district_staff(course.district_id))
    if not form.validate_on_submit():
        return _plan_page(course, plan, plan_form=form, form=form)
    services.save_plan(course, plan, form.details())
    try:
        db.session.commit()
    except IntegrityError:  # another person saved the first version at the same moment
        db.session.rollback()
        abort(409)
    flash(_("Delivery plan saved. Add the action points agreed, then finalise it."))
    return redirect(url_for("pet.plan", course_id=course_id))


@bp.route("/courses/<uuid:course_id>/delivery-plan/actions", methods=["POST"])
@allow(*DESIGNERS)
def add_action(course_id: uuid.UUID):
    course = access.planned_course_or_404(course_id)
    plan = queries.plan_of(course.id)
    if plan is None:
        abort(404)
    if plan.finalised_at is not None:
        abort(409)
    form = ActionForm(prefix="action")
    form.set_owners(queries.action_owners(course))
    if not form.validate_on_submit():
        return _plan_page(course, plan, action_form=form, form=form)
    services.add_action(plan, form.description.data, uuid.UUID(form.owner.data), form.due_on.data)
    db.session.commit()
    flash(_("Action point added."))
    return redirect(url_for("pet.plan", course_id=course_id, _anchor="action-points"))


@bp.route("/actions/<uuid:action_id>/done", methods=["POST"])
@allow(*VIEWERS)
def complete_action(action_id: uuid.UUID):
    action = queries.action_for(action_id)
    if action is None or not access.may_complete(current_user, action):
        abort(404)
    services.complete_action(action)
    db.session.commit()
    flash(_("Action point done: %(action)s", action=action.description))
    if request.form.get("next") == "plan" and access.may_design(current_user, action.plan.course):
        return redirect(
            url_for("pet.plan", course_id=action.plan.course_id, _anchor="action-points")
        )
    return redirect(url_for("main.home"))


@bp.route("/courses/<uuid:course_id>/delivery-plan/finalise", methods=["POST"])
@allow(*DESIGNERS)
def finalise_plan(course_id: uuid.UUID):
    course = access.planned_course_or_404(course_id)
    plan = queries.plan_of(course.id)
    if plan is None:
        return redirect(url_for("pet.plan", course_id=course_id))
    try:
        finalised = services.finalise_plan(course, plan, current_user)
    except services.PlanNotReady as refused:
        flash(refused.message, "important")
        return redirect(url_for("pet.plan", course_id=course_id))
    if finalised:
        sent = len(queries.attendee_emails(plan))
        db.session.commit()
        flash(
            ngettext(
                "Delivery plan finalised. We have emailed the summary to %(num)s attendee.",
                "Delivery plan finalised. We have emailed the summary to %(num)s attendees.",
                sent,
            )
        )
    return redirect(url_for("pet.plan", course_id=course_id))


@bp.route("/courses/<uuid:course_id>/delivery-plan/reopen", methods=["POST"])
@allow(*DESIGNERS)
def reopen_plan(course_id: uuid.UUID):
    course = access.planned_course_or_404(course_id)
    plan = queries.plan_of(course.id)
    if plan is None or plan.finalised_at is None:
        return redirect(url_for("pet.plan", course_id=course_id))
    if course.status is not CourseStatus.AGREED:
        abort(409)  # the course is under way: its plan is history now
    services.reopen_plan(course, plan)
    db.session.commit()
    flash(_("Delivery plan reopened. Finalise it again to send everyone the new summary."))
    return redirect(url_for("pet.plan", course_id=course_id))


@bp.route("/courses/<uuid:course_id>/delivery-plan/print")
@allow(*VIEWERS)
def print_plan(course_id: uuid.UUID):
    course = access.course_or_404(course_id, *COURSE_PAGE)
    plan = queries.plan_of(course.id)
    if plan is None:
        abort(404)
    return _render(
        "pet/plan_print.html",
        course=course,
        plan=plan,
        check=queries.check_schedule(course.weekly_hours),
        today=clock.today(),
    )
