"""A sector course's employers: the DAM or TPPM designing it invites small and medium-sized
employers of the district, each with the guaranteed interviews it is asked to offer; each
employer's users are emailed, and one of them joins (confirming its interviews) or declines.

Who reaches a course: `app.pet.access`. Inviting is part of the design, so it stops once the
delivery plan is finalised (409), as other design changes do.
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app.extensions import db
from app.forms import search_words
from app.pet import access, bp, labels
from app.pet.courses.queries import check_schedule
from app.pet.employers import queries, rules, services
from app.pet.employers.forms import AnswerForm, InviteEmployerForm
from app.pet.models import Course, CourseEmployer, CourseModel
from app.policy import allow

# What the invitation pages show of the course and the employers asked so far.
COURSE = (
    joinedload(Course.provider),
    selectinload(Course.employers).joinedload(CourseEmployer.organisation),
)


def _refusal(course: Course, organisation, place: CourseEmployer | None) -> str | None:
    if organisation is None:
        return _("Select an employer of this course’s district")
    problem = rules.invitation_refusal(
        organisation.size_band.value, place.status.value if place else None
    )
    if problem == "not_sme":
        return _(
            "%(employer)s is not a small or medium-sized employer. Sector courses are how "
            "SMEs take part: design a bespoke course for a large employer",
            employer=organisation.name,
        )
    if problem == "already":
        if place is not None and place.joined:
            return _("%(employer)s has already joined this course", employer=organisation.name)
        return _("%(employer)s is already invited to this course", employer=organisation.name)
    return None


@bp.route("/courses/<uuid:course_id>/invitations", methods=["GET", "POST"])
@allow("dam", "tppm")
def invite_employer(course_id: uuid.UUID):
    course = access.designed_course_or_404(course_id, *COURSE)
    if course.model is not CourseModel.SECTOR:
        abort(404)  # a bespoke course is for its one employer: nobody to invite
    search = search_words(request.args.get("q"))
    every_sector = request.args.get("every_sector") == "1"
    form = InviteEmployerForm(places=course.places)
    if form.validate_on_submit():
        organisation = queries.organisation_to_invite(course, form.chosen_id)
        place = queries.place_of(course, organisation.id) if organisation else None
        refusal = _refusal(course, organisation, place)
        if organisation is None or refusal:
            form.organisation_id.errors.append(str(refusal))
        else:
            services.invite(course, organisation, form.guaranteed_interviews.data, current_user)
            emailed = len(queries.member_emails(organisation.id))
            name = organisation.name
            try:
                db.session.commit()
            except IntegrityError:  # invited by someone else a moment ago
                db.session.rollback()
                flash(_("%(employer)s has just been invited by someone else.", employer=name))
            else:
                flash(
                    ngettext(
                        "Invitation sent to %(employer)s. We have emailed its %(num)s user.",
                        "Invitation sent to %(employer)s. We have emailed its %(num)s users.",
                        emailed,
                        employer=name,
                    )
                )
            return redirect(url_for("pet.invite_employer", course_id=course.id))
    candidates, more = queries.smes_to_invite(course, search, every_sector=every_sector)
    return render_template(
        "pet/invite_employer.html",
        course=course,
        form=form,
        candidates=candidates,
        more=more,
        search=search,
        every_sector=every_sector,
        labels=labels,
    )


@bp.route("/courses/<uuid:course_id>/invitation", methods=["GET", "POST"])
@allow("employer")
def answer_invitation(course_id: uuid.UUID):
    course = access.course_or_404(course_id, *COURSE)
    place = access.course_employer_of(current_user, course)
    if place is None:
        abort(404)
    if not rules.may_answer(place.status.value, course.status.value):
        flash(_("This invitation has been answered already, or the course is closed."))
        return redirect(url_for("pet.course", course_id=course.id))
    form = AnswerForm(places=course.places)
    if not form.is_submitted():
        form.guaranteed_interviews.data = place.guaranteed_interviews
    if form.validate_on_submit():
        joins, interviews = form.joins, form.guaranteed_interviews.data
        try:
            if joins:
                services.join(course, place, interviews, current_user)
            else:
                services.decline(course, place, form.reason.data or "", current_user)
        except services.AlreadyAnswered:
            db.session.rollback()
            flash(_("Someone at your organisation answered this invitation a moment ago."))
            return redirect(url_for("pet.course", course_id=course_id))
        db.session.commit()
        if joins:
            flash(
                ngettext(
                    "You have joined %(course)s, offering %(num)s guaranteed interview.",
                    "You have joined %(course)s, offering %(num)s guaranteed interviews.",
                    interviews,
                    course=course.title,
                )
            )
            return redirect(url_for("pet.course", course_id=course_id))
        flash(_("You declined to join %(course)s. Jobcentre Plus knows.", course=course.title))
        return redirect(url_for("pet.courses"))
    invited = next(
        (event for event in reversed(place.events) if event.action.value == rules.INVITED), None
    )
    return render_template(
        "pet/invitation_answer.html",
        course=course,
        place=place,
        invited=invited,
        check=check_schedule(course.weekly_hours),
        form=form,
        labels=labels,
    )
