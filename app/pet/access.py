"""Who sees which PET course, trainee and training provider, and the `*_or_404` lookups the
views use, which answer 404 for a record that is not the user's to know about.

Who sees a course (one rule, `visible_to`, for every page of courses, trainees and cohorts):
- staff of the course's district who work on PET: DAM, TPPM, coordinator, adviser, LMRA;
  a DAM or TPPM of that district designs it and runs its delivery plan (`may_design`);
- the employers on the course (through the signed-in user's membership), who read it and
  comment or propose changes, and never edit it; an employer invited to a sector course sees
  it too, to decide whether to join, and one that declined no longer does;
- the users of the course's training provider, who read it.
Everyone else sees none, an administrator included: administrators manage staff accounts
and training providers, not courses, and no course or trainee page admits them.

Who sees a trainee: the staff who see the course see every one; the course's training
provider and its employers see only customers who consent now (`CONSENTED`). On a sector
course an employer sees only the completers allotted to it (its guaranteed interviews): the
other employers' candidates are none of its business.
"""

from __future__ import annotations

import uuid

from flask import abort
from flask_login import current_user
from sqlalchemy import ColumnElement, Select, exists, false, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import EmployerMembership
from app.auth.models import Role, User
from app.customers.models import Customer
from app.customers.services import CONSENTED
from app.extensions import db
from app.guarantees.models import Guarantee
from app.pet.models import (
    ActionPoint,
    Course,
    CourseComment,
    CourseEmployer,
    CourseEmployerStatus,
    CourseModel,
    CourseModule,
    CourseReferral,
    CourseStatus,
    TrainingProvider,
)
from app.pet.trainees import rules as trainee_rules

# Staff who see the courses of their own district.
STAFF_READERS = frozenset({Role.DAM, Role.TPPM, Role.COORDINATOR, Role.ADVISER, Role.LMRA})
# Staff who design courses and run their delivery plans.
DESIGNERS = frozenset({Role.DAM, Role.TPPM})
# An employer sees a course it is invited to or has joined; it works on one it has joined.
SEEN_BY_EMPLOYER = (CourseEmployerStatus.INVITED, CourseEmployerStatus.JOINED)


# --- who sees which course --------------------------------------------------------------------


def organisation_id_of(user: User) -> uuid.UUID | None:
    """The signed-in employer's organisation (loads the membership)."""
    return user.membership.organisation_id if user.membership else None


def employer_organisation_id(user: User):
    """The user's organisation as a scalar subquery, so the rule adds no statement."""
    return (
        select(EmployerMembership.organisation_id)
        .where(EmployerMembership.user_id == user.id)
        .scalar_subquery()
    )


def _scope(user: User, *, joined: bool = False) -> ColumnElement[bool] | None:
    """The courses `user` may see, as a WHERE criterion; None when they see none. `joined`
    leaves out, for an employer, the courses it is only invited to."""
    if user.role in STAFF_READERS:
        if user.district_id is None:
            return None
        return Course.district_id == user.district_id
    if user.role is Role.EMPLOYER:
        statuses = (CourseEmployerStatus.JOINED,) if joined else SEEN_BY_EMPLOYER
        return Course.id.in_(
            select(CourseEmployer.course_id).where(
                CourseEmployer.organisation_id == employer_organisation_id(user),
                CourseEmployer.status.in_(statuses),
            )
        )
    if user.role is Role.PROVIDER:
        if user.provider_id is None:
            return None
        return Course.provider_id == user.provider_id
    return None


def visible_to(user: User) -> ColumnElement[bool]:
    """The courses `user` may see, as a WHERE criterion."""
    scope = _scope(user)
    return false() if scope is None else scope


def visible_course_ids(user: User, *, joined: bool = False) -> Select | None:
    """The ids of the courses `user` may see (an employer: only those it has joined, with
    `joined`), as a subquery; None when they see none (the caller then need not ask the
    database at all)."""
    scope = _scope(user, joined=joined)
    return None if scope is None else select(Course.id).where(scope)


def course_for(user: User, course_id: uuid.UUID, *options) -> Course | None:
    """The course, if `user` may see it; None otherwise."""
    return db.session.scalar(
        select(Course).where(Course.id == course_id, visible_to(user)).options(*options)
    )


def course_employer_of(user: User, course: Course) -> CourseEmployer | None:
    """The signed-in employer's place on the course (invited, joined or declined), if any."""
    organisation_id = organisation_id_of(user) if user.role is Role.EMPLOYER else None
    if organisation_id is None:
        return None
    return next(
        (item for item in course.employers if item.organisation_id == organisation_id), None
    )


def has_joined(user: User, course: Course) -> bool:
    """Whether `user` is an employer that takes part in the course (not only invited)."""
    place = course_employer_of(user, course)
    return place is not None and place.joined


def allotted_to(organisation_id) -> ColumnElement[bool]:
    """Trainees allotted to the employer on a sector course: it owes them a guaranteed
    interview (`app.guarantees.services.open_for_completers`)."""
    return exists().where(
        Guarantee.course_referral_id == CourseReferral.id,
        Guarantee.organisation_id == organisation_id,
    )


def employers_trainees(course_model: ColumnElement | CourseModel, organisation_id):
    """The trainees an employer on a course sees: a bespoke course's whole cohort, a sector
    course's completers allotted to it. `course_model` is the course's model, or its column
    when the statement spans courses."""
    if isinstance(course_model, CourseModel):
        return None if course_model is CourseModel.BESPOKE else allotted_to(organisation_id)
    return or_(course_model == CourseModel.BESPOKE, allotted_to(organisation_id))


def may_design(user: User, course: Course) -> bool:
    return user.role in DESIGNERS and user.district_id == course.district_id


def design_locked(course: Course) -> bool:
    """Once the delivery plan is finalised the design is agreed: reopen the plan to change it."""
    return course.status is not CourseStatus.DESIGN


def may_complete(user: User, action: ActionPoint) -> bool:
    return action.owner_id == user.id or may_design(user, action.plan.course)


def course_or_404(course_id: uuid.UUID, *options) -> Course:
    course = course_for(current_user, course_id, *options)
    if course is None:
        abort(404)
    return course


def joined_course_or_404(course_id: uuid.UUID, *options) -> Course:
    """A course whose cohort the user works on: staff who see it, or an employer that has
    joined it (one only invited has nothing to do there yet)."""
    course = course_or_404(course_id, *options)
    if current_user.role is Role.EMPLOYER and not has_joined(current_user, course):
        abort(404)
    return course


def designed_course_or_404(course_id: uuid.UUID, *options) -> Course:
    """A course this DAM or TPPM may change: of their district, its design not agreed yet."""
    course = course_or_404(course_id, *options)
    if not may_design(current_user, course):
        abort(404)
    if design_locked(course):
        abort(409)  # the delivery plan is finalised: reopen it first
    return course


def planned_course_or_404(course_id: uuid.UUID) -> Course:
    """A course whose delivery plan this DAM or TPPM runs (finalised or not)."""
    course = course_or_404(
        course_id,
        joinedload(Course.provider),
        selectinload(Course.employers).joinedload(CourseEmployer.organisation),
    )
    if not may_design(current_user, course):
        abort(404)
    return course


def module_or_404(course: Course, module_id: uuid.UUID) -> CourseModule:
    module = db.session.scalar(
        select(CourseModule).where(
            CourseModule.id == module_id, CourseModule.course_id == course.id
        )
    )
    if module is None:
        abort(404)
    return module


def comment_or_404(course: Course, comment_id: uuid.UUID) -> CourseComment:
    comment = db.session.scalar(
        select(CourseComment).where(
            CourseComment.id == comment_id, CourseComment.course_id == course.id
        )
    )
    if comment is None:
        abort(404)
    return comment


# --- who sees which trainee -------------------------------------------------------------------


def sees_everyone(user: User) -> bool:
    """The staff who see a course see every trainee; a provider or employer only those who
    consent now."""
    return user.role in STAFF_READERS


def trainee_for(
    course: Course, course_referral_id: uuid.UUID, user: User, *, cohort: bool = False
) -> CourseReferral | None:
    """One trainee of the course as `user` may see them: staff any, a provider or employer
    only a consenting customer; `cohort` further limits to those the provider took on."""
    statement = (
        select(CourseReferral)
        .join(Customer, Customer.id == CourseReferral.customer_id)
        .where(CourseReferral.id == course_referral_id, CourseReferral.course_id == course.id)
        .options(
            joinedload(CourseReferral.customer).joinedload(Customer.adviser),
            joinedload(CourseReferral.referred_by),
        )
    )
    if not sees_everyone(user):
        statement = statement.where(CONSENTED)
    if user.role is Role.EMPLOYER:
        theirs = employers_trainees(course.model, employer_organisation_id(user))
        if theirs is not None:
            statement = statement.where(theirs)
    if cohort:
        statement = statement.where(CourseReferral.status.in_(trainee_rules.IN_COHORT))
    return db.session.scalar(statement)


def trainee_or_404(course: Course, course_referral_id: uuid.UUID, **kwargs) -> CourseReferral:
    trainee = trainee_for(course, course_referral_id, current_user, **kwargs)
    if trainee is None:
        abort(404)
    return trainee


# --- who manages which training provider ------------------------------------------------------


def managed_providers() -> ColumnElement[bool] | None:
    """The providers the signed-in user manages, as a WHERE criterion (None: all). An
    administrator manages every provider; a TPPM those of their district and the national ones."""
    if current_user.role is Role.ADMIN:
        return None
    return or_(
        TrainingProvider.district_id == current_user.district_id,
        TrainingProvider.district_id.is_(None),
    )


def provider_or_404(provider_id: uuid.UUID) -> TrainingProvider:
    statement = (
        select(TrainingProvider)
        .where(TrainingProvider.id == provider_id)
        .options(joinedload(TrainingProvider.district))
    )
    managed = managed_providers()
    if managed is not None:
        statement = statement.where(managed)
    provider = db.session.scalar(statement)
    if provider is None:
        abort(404)
    return provider
