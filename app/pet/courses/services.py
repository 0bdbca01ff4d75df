"""Writes for course design and delivery plans: creating and changing a course and its
modules, employers' comments, the delivery plan, its action points and its finalising.

Every operation adds to the caller's session and leaves the commit to the caller, so a change
and its queued emails are saved together or not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import update

from app.auth.models import User
from app.extensions import db
from app.mail.services import queue_email
from app.models_base import utcnow
from app.pet.courses.queries import attendee_emails, funding_refusal, modules_of
from app.pet.labels import ATTENDEE_PARTY_LABELS
from app.pet.models import (
    ActionPoint,
    Course,
    CourseComment,
    CourseEmployer,
    CourseModel,
    CourseModule,
    CourseStatus,
    DeliveryPlan,
    ModuleKind,
)
from app.pet.toolkits import TOOLKITS, hours_by_week

# --- creating and changing a course ----------------------------------------------------------


@dataclass(frozen=True)
class CourseDetails:
    title: str
    provider_id: uuid.UUID | None
    venue: object
    venue_address: str
    start_date: dt.date | None
    places: int
    follow_on: object
    suitability_criteria: str


@dataclass(frozen=True)
class FundingChoice:
    funding_route: str | None
    passed_over_reason: str
    travel_paid_by: object
    childcare_paid_by: object


def _apply(course: Course, details: CourseDetails) -> None:
    course.title = details.title
    course.provider_id = details.provider_id
    course.venue = details.venue
    course.venue_address = details.venue_address
    course.start_date = details.start_date
    course.places = details.places
    course.follow_on = details.follow_on
    course.suitability_criteria = details.suitability_criteria


def create_course(
    user: User,
    *,
    model: CourseModel,
    toolkit_key: str,
    work_trial: bool,
    organisation_ids: Iterable[uuid.UUID],
    details: CourseDetails,
) -> Course:
    """A course in design in the user's district, with the toolkit's modules copied in."""
    toolkit = TOOLKITS[toolkit_key]
    course = Course(
        model=model,
        sector=toolkit.key,
        toolkit=toolkit.key,
        district_id=user.district_id,
        created_by_id=user.id,
        status=CourseStatus.DESIGN,
    )
    _apply(course, details)
    db.session.add(course)
    modules = toolkit.modules_with(work_trial)
    for position, item in enumerate(modules, start=1):
        db.session.add(
            CourseModule(
                course=course,
                position=position,
                week=item.week,
                title=str(item.title),
                kind=item.kind,
                hours=Decimal(item.hours),
                description=str(item.description),
            )
        )
    for organisation_id in dict.fromkeys(organisation_ids):
        db.session.add(CourseEmployer(course=course, organisation_id=organisation_id))
    course.weekly_hours = hours_by_week((item.week, item.hours) for item in modules)
    return course


def update_course(course: Course, details: CourseDetails, funding: FundingChoice) -> None:
    _apply(course, details)
    course.funding_route = funding.funding_route
    course.funding_passed_over_reason = funding.passed_over_reason if funding.funding_route else ""
    course.travel_paid_by = funding.travel_paid_by
    course.childcare_paid_by = funding.childcare_paid_by


def add_employer(course: Course, organisation_id: uuid.UUID) -> None:
    db.session.add(CourseEmployer(course_id=course.id, organisation_id=organisation_id))


def _renumber(course: Course, modules: list[CourseModule]) -> None:
    """Positions follow the running order, and the schedule follows the modules."""
    for position, module in enumerate(modules, start=1):
        module.position = position
    course.weekly_hours = hours_by_week((module.week, module.hours) for module in modules)


@dataclass(frozen=True)
class ModuleDetails:
    title: str
    kind: ModuleKind
    week: int
    hours: Decimal
    description: str


def add_module(course: Course, details: ModuleDetails) -> CourseModule:
    """A module at the end of its week."""
    modules = modules_of(course.id)
    module = CourseModule(course_id=course.id, position=0, **vars(details))
    db.session.add(module)
    last_of_week = max(
        (index for index, item in enumerate(modules) if item.week <= details.week), default=-1
    )
    modules.insert(last_of_week + 1, module)
    _renumber(course, modules)
    return module


def update_module(course: Course, module: CourseModule, details: ModuleDetails) -> None:
    moved_week = module.week != details.week
    for name, value in vars(details).items():
        setattr(module, name, value)
    modules = modules_of(course.id)
    if moved_week:  # to the end of its new week
        modules.remove(module)
        last_of_week = max(
            (index for index, item in enumerate(modules) if item.week <= details.week),
            default=-1,
        )
        modules.insert(last_of_week + 1, module)
    _renumber(course, modules)


def remove_module(course: Course, module: CourseModule) -> None:
    modules = modules_of(course.id)
    modules.remove(module)
    db.session.delete(module)
    _renumber(course, modules)


UP, DOWN = "up", "down"


def move_module(course: Course, module: CourseModule, direction: str) -> None:
    """One place earlier or later. The first module of a week moves up to the end of the
    week before; the last of a week moves down to the start of the next week, as long as
    the course has one (moving never makes the course longer)."""
    modules = modules_of(course.id)
    index = modules.index(module)
    last_week = max(item.week for item in modules)
    if direction == UP:
        before = modules[index - 1] if index > 0 else None
        if before is not None and before.week == module.week:
            modules[index - 1], modules[index] = module, before
        elif module.week > 1:
            module.week -= 1
    else:
        after = modules[index + 1] if index + 1 < len(modules) else None
        if after is not None and after.week == module.week:
            modules[index], modules[index + 1] = after, module
        elif module.week < last_week:
            module.week += 1
    _renumber(course, modules)


def add_comment(
    course: Course, author: User, body: str, proposes_change: bool, owners: Iterable[User]
) -> CourseComment:
    comment = CourseComment(
        course_id=course.id, author_id=author.id, body=body, proposes_change=proposes_change
    )
    db.session.add(comment)
    organisation = author.organisation
    subject = (
        _l(
            "%(employer)s proposes a change to %(course)s",
            employer=organisation.name,
            course=course.title,
        )
        if proposes_change
        else _l(
            "%(employer)s commented on %(course)s", employer=organisation.name, course=course.title
        )
    )
    for owner in owners:
        queue_email(
            owner.email,
            subject,
            "pet_course_comment",
            owner=owner,
            course=course,
            author=author,
            organisation=organisation,
            body=body,
            proposes_change=proposes_change,
        )
    return comment


def resolve_comment(comment: CourseComment) -> None:
    if comment.resolved_at is None:
        comment.resolved_at = utcnow()


@dataclass(frozen=True)
class PlanDetails:
    meeting_date: dt.date
    attendees: list[dict]
    measures_agreed: str
    roles_and_responsibilities: str
    suitability_criteria: str
    single_point_of_contact_id: uuid.UUID
    update_frequency: str


def save_plan(course: Course, plan: DeliveryPlan | None, details: PlanDetails) -> DeliveryPlan:
    if plan is None:
        plan = DeliveryPlan(course_id=course.id)
        db.session.add(plan)
    for name, value in vars(details).items():
        setattr(plan, name, value)
    return plan


def add_action(plan: DeliveryPlan, description: str, owner_id: uuid.UUID, due_on: dt.date):
    action = ActionPoint(plan_id=plan.id, description=description, owner_id=owner_id, due_on=due_on)
    db.session.add(action)
    return action


def complete_action(action: ActionPoint) -> None:
    if action.done_at is None:
        action.done_at = utcnow()


class PlanNotReady(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def finalise_plan(course: Course, plan: DeliveryPlan, user: User) -> bool:
    """Finalise once: email every attendee the summary and mark the course agreed. Raises
    PlanNotReady, changing nothing, while the course has no funding route in its nation's
    order.

    Returns False, and sends nothing, when the plan was already finalised (also by a
    request at the same moment: the update only changes a plan not finalised yet).
    """
    refusal = funding_refusal(course)
    if refusal is not None:
        raise PlanNotReady(refusal)
    changed = db.session.execute(
        update(DeliveryPlan)
        .where(DeliveryPlan.id == plan.id, DeliveryPlan.finalised_at.is_(None))
        .values(finalised_at=utcnow(), finalised_by_id=user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        return False
    db.session.refresh(plan, ["finalised_at", "finalised_by_id"])
    course.status = CourseStatus.AGREED
    subject = _l("Delivery plan agreed: %(course)s", course=course.title)
    for attendee in attendee_emails(plan):
        queue_email(
            attendee["email"],
            subject,
            "pet_plan_summary",
            attendee=attendee,
            course=course,
            plan=plan,
            party_labels=ATTENDEE_PARTY_LABELS,
        )
    return True


def reopen_plan(course: Course, plan: DeliveryPlan) -> None:
    plan.finalised_at = None
    plan.finalised_by_id = None
    course.status = CourseStatus.DESIGN
