"""Course design and delivery plans: who sees which course, and the operations on them.

Who sees a course:
- staff of the course's district (DAM, TPPM, coordinator, adviser, LMRA); a DAM or TPPM of
  that district designs it, runs its delivery plan and resolves the employers' proposals;
- the employers on the course (through the signed-in user's membership), who read it and
  comment or propose changes, and never edit it;
- the users of the course's training provider, who read it.
Everyone else gets a 404, as if the course did not exist.

Every operation adds to the caller's session and leaves the commit to the caller.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import ColumnElement, false, or_, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import EmployerMembership, Organisation, SizeBand
from app.auth.models import STAFF_ROLES, Role, User
from app.clock import today
from app.extensions import db
from app.mail.services import queue_email
from app.models_base import utcnow
from app.pet.courses.rules import (
    DWP_ROUTE_ORDER,
    FULL_TIME_HOURS,
    FUNDING_ROUTE_LABELS,
    MAX_COURSE_DAYS,
    MAX_FULL_TIME_WEEKS,
    FundingProblem,
    course_length_allowed,
    full_time_weeks,
    funding_problem,
    funding_route_order,
    jsa_schedule_allowed,
)
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
    TrainingProvider,
)
from app.pet.toolkits import TOOLKITS, hours_by_week

# Staff who see the courses of their own district.
STAFF_READERS = frozenset({Role.DAM, Role.TPPM, Role.COORDINATOR, Role.ADVISER, Role.LMRA})
# Staff who design courses and run their delivery plans.
DESIGNERS = frozenset({Role.DAM, Role.TPPM})

MAX_WEEKS = MAX_COURSE_DAYS // 7
# Choice lists on forms: a district has far fewer of each in practice.
MAX_CHOICES = 500
MAX_COMMENTS_SHOWN = 100


# --- who sees what ---------------------------------------------------------------------------


def _my_organisation_id(user: User):
    return (
        select(EmployerMembership.organisation_id)
        .where(EmployerMembership.user_id == user.id)
        .scalar_subquery()
    )


def visible_to(user: User) -> ColumnElement[bool]:
    """The courses `user` may see, as a WHERE criterion."""
    if user.role in STAFF_READERS:
        if user.district_id is None:
            return false()
        return Course.district_id == user.district_id
    if user.role is Role.EMPLOYER:
        return Course.id.in_(
            select(CourseEmployer.course_id).where(
                CourseEmployer.organisation_id == _my_organisation_id(user)
            )
        )
    if user.role is Role.PROVIDER:
        if user.provider_id is None:
            return false()
        return Course.provider_id == user.provider_id
    return false()


def course_for(user: User, course_id: uuid.UUID, *options) -> Course | None:
    return db.session.scalar(
        select(Course).where(Course.id == course_id, visible_to(user)).options(*options)
    )


def may_design(user: User, course: Course) -> bool:
    return user.role in DESIGNERS and user.district_id == course.district_id


def design_locked(course: Course) -> bool:
    """Once the delivery plan is finalised the design is agreed: reopen the plan to change it."""
    return course.status is not CourseStatus.DESIGN


def list_courses(
    user: User, status: CourseStatus | None, page: int, page_size: int
) -> tuple[list[Course], bool]:
    """One page of the courses `user` sees, soonest start last: (courses, has_next)."""
    statement = select(Course).where(visible_to(user))
    if status is not None:
        statement = statement.where(Course.status == status)
    courses = list(
        db.session.scalars(
            statement.options(
                joinedload(Course.provider),
                selectinload(Course.employers).joinedload(CourseEmployer.organisation),
            )
            .order_by(Course.start_date.desc().nulls_first(), Course.created_at.desc(), Course.id)
            .limit(page_size + 1)
            .offset((page - 1) * page_size)
        )
    )
    return courses[:page_size], len(courses) > page_size


# --- the schedule ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleCheck:
    """What the rules say about a course's week-by-week hours, in words for the page."""

    weekly_hours: list[float]
    jsa_allowed: bool | None  # None: no schedule to judge yet, or a week that cannot be
    full_time_weeks: int
    length_allowed: bool
    jsa_reason: str
    length_reason: str

    @property
    def weeks(self) -> int:
        return len(self.weekly_hours)

    @property
    def total_hours(self) -> float:
        return sum(self.weekly_hours)


def check_schedule(weekly_hours: Sequence[float]) -> ScheduleCheck:
    hours = [float(h) for h in weekly_hours]
    weeks = len(hours)
    length_allowed = course_length_allowed(weeks)
    if length_allowed:
        length_reason = ngettext(
            "%(num)s week: within the 13 weeks a course may last.",
            "%(num)s weeks: within the 13 weeks a course may last.",
            weeks,
        )
    elif weeks == 0:
        length_reason = _("No weeks yet: add modules to the course.")
    else:
        length_reason = _("%(num)s weeks: longer than the 13 weeks a course may last.", num=weeks)
    try:
        allowed = jsa_schedule_allowed(hours)
        full_time = full_time_weeks(hours)
    except ValueError:
        if not any(h > 0 for h in hours):
            reason = _("Not known yet: add modules with their hours to the course.")
        else:
            reason = _("Not known: a week has more hours than there are in a week.")
        return ScheduleCheck(hours, None, 0, length_allowed, reason, length_reason)
    if full_time == 0:
        reason = _(
            "Every week is %(hours)s hours or less, which is part time: JSA customers can "
            "always do part-time training.",
            hours=FULL_TIME_HOURS,
        )
    elif allowed:
        reason = ngettext(
            "%(num)s week is full time (more than %(hours)s hours). JSA customers may do up "
            "to %(max)s weeks of full-time training in 52 weeks, if they have not used them "
            "already.",
            "%(num)s weeks are full time (more than %(hours)s hours). JSA customers may do up "
            "to %(max)s weeks of full-time training in 52 weeks, if they have not used them "
            "already.",
            full_time,
            hours=FULL_TIME_HOURS,
            max=MAX_FULL_TIME_WEEKS,
        )
    else:
        reason = _(
            "%(num)s weeks are full time (more than %(hours)s hours). JSA customers may do at "
            "most %(max)s weeks of full-time training in 52 weeks: make the other weeks "
            "%(hours)s hours or less.",
            num=full_time,
            hours=FULL_TIME_HOURS,
            max=MAX_FULL_TIME_WEEKS,
        )
    return ScheduleCheck(hours, allowed, full_time, length_allowed, reason, length_reason)


def funding_routes_for(nation_code: str) -> list[str]:
    """The funding routes offered in the district's nation, first choice first."""
    try:
        return funding_route_order(nation_code)
    except ValueError:  # a nation the rules do not know: the DWP hierarchy alone
        return list(DWP_ROUTE_ORDER)


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


# --- modules ---------------------------------------------------------------------------------


def modules_of(course_id: uuid.UUID) -> list[CourseModule]:
    """The course's modules in the order the course runs: by week, then position."""
    return list(
        db.session.scalars(
            select(CourseModule)
            .where(CourseModule.course_id == course_id)
            .order_by(CourseModule.week, CourseModule.position, CourseModule.id)
        )
    )


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


# --- comments and proposals ------------------------------------------------------------------


def comments_for(user: User, course: Course) -> list[CourseComment]:
    """The comments `user` may read, oldest first. An employer on a shared sector course
    reads its own organisation's comments only: the others may be its competitors."""
    statement = (
        select(CourseComment)
        .where(CourseComment.course_id == course.id)
        .options(
            joinedload(CourseComment.author)
            .joinedload(User.membership)
            .joinedload(EmployerMembership.organisation)
        )
        .order_by(CourseComment.created_at.desc(), CourseComment.id)
        .limit(MAX_COMMENTS_SHOWN)
    )
    if user.role is Role.EMPLOYER:
        statement = statement.join(
            EmployerMembership, EmployerMembership.user_id == CourseComment.author_id
        ).where(EmployerMembership.organisation_id == _my_organisation_id(user))
    return list(reversed(db.session.scalars(statement).unique().all()))


def on_course(user: User, course: Course) -> bool:
    """Whether `user` is an employer on the course."""
    organisation = user.organisation if user.role is Role.EMPLOYER else None
    return organisation is not None and any(
        item.organisation_id == organisation.id for item in course.employers
    )


def course_owners(course: Course, plan: DeliveryPlan | None) -> list[User]:
    """The staff who own a course: who created it, and the plan's single point of contact."""
    owners = [course.created_by]
    if plan is not None and plan.single_point_of_contact is not None:
        owners.append(plan.single_point_of_contact)
    unique = {owner.id: owner for owner in owners if owner.active and owner.is_staff}
    return list(unique.values())


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


# --- choices for the forms -------------------------------------------------------------------


def district_organisations(district_id: uuid.UUID) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.district_id == district_id)
            .order_by(Organisation.name, Organisation.id)
            .limit(MAX_CHOICES)
        )
    )


def smes_to_add(course: Course) -> list[Organisation]:
    """The district's SMEs not on the course yet."""
    return list(
        db.session.scalars(
            select(Organisation)
            .where(
                Organisation.district_id == course.district_id,
                Organisation.size_band == SizeBand.SME,
                Organisation.id.not_in(
                    select(CourseEmployer.organisation_id).where(
                        CourseEmployer.course_id == course.id
                    )
                ),
            )
            .order_by(Organisation.name, Organisation.id)
            .limit(MAX_CHOICES)
        )
    )


def providers_for(district_id: uuid.UUID | None) -> list[TrainingProvider]:
    """Providers of the district and those working nationally (no district)."""
    return list(
        db.session.scalars(
            select(TrainingProvider)
            .where(
                or_(
                    TrainingProvider.district_id == district_id,
                    TrainingProvider.district_id.is_(None),
                )
            )
            .order_by(TrainingProvider.name)
            .limit(MAX_CHOICES)
        )
    )


def district_staff(district_id: uuid.UUID) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.district_id == district_id,
                User.role.in_(STAFF_ROLES),
                User.active.is_(True),
            )
            .order_by(User.name, User.id)
            .limit(MAX_CHOICES)
        )
    )


def default_contact(staff: Sequence[User], user: User) -> User:
    """The single point of contact is usually the TPPM (seed 002)."""
    if user.role is Role.TPPM:
        return user
    return next((person for person in staff if person.role is Role.TPPM), user)


def action_owners(course: Course) -> list[User]:
    """Who may own an action point: the district's staff, the course's provider users and
    the users of the employers on the course (the parties at the meeting)."""
    employer_users = (
        select(EmployerMembership.user_id)
        .join(CourseEmployer, CourseEmployer.organisation_id == EmployerMembership.organisation_id)
        .where(CourseEmployer.course_id == course.id)
    )
    parties = [
        (User.district_id == course.district_id) & User.role.in_(STAFF_ROLES),
        User.id.in_(employer_users),
    ]
    if course.provider_id is not None:
        parties.append(User.provider_id == course.provider_id)
    return list(
        db.session.scalars(
            select(User)
            .where(or_(*parties), User.active.is_(True))
            .options(joinedload(User.provider))
            .order_by(User.name, User.id)
            .limit(MAX_CHOICES)
        )
    )


# --- the delivery plan -----------------------------------------------------------------------


def plan_of(course_id: uuid.UUID) -> DeliveryPlan | None:
    return db.session.scalar(
        select(DeliveryPlan)
        .where(DeliveryPlan.course_id == course_id)
        .options(
            joinedload(DeliveryPlan.single_point_of_contact),
            selectinload(DeliveryPlan.action_points).joinedload(ActionPoint.owner),
        )
    )


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


def action_for(action_id: uuid.UUID) -> ActionPoint | None:
    return db.session.scalar(
        select(ActionPoint)
        .where(ActionPoint.id == action_id)
        .options(joinedload(ActionPoint.plan).joinedload(DeliveryPlan.course))
    )


def may_complete(user: User, action: ActionPoint) -> bool:
    return action.owner_id == user.id or may_design(user, action.plan.course)


def complete_action(action: ActionPoint) -> None:
    if action.done_at is None:
        action.done_at = utcnow()


def attendee_emails(plan: DeliveryPlan) -> list[dict]:
    """One attendee per email address (case ignored), in the order they were recorded."""
    unique: dict[str, dict] = {}
    for attendee in plan.attendees:
        email = (attendee.get("email") or "").strip()
        if email:
            unique.setdefault(email.lower(), {**attendee, "email": email})
    return list(unique.values())


class PlanNotReady(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def funding_refusal(course: Course) -> str | None:
    """Why the course's delivery plan cannot be finalised for want of a funding route."""
    routes = funding_routes_for(course.district.nation_code)
    problem = funding_problem(course.funding_route, routes, course.funding_passed_over_reason)
    if problem is None:
        return None
    if problem is FundingProblem.PASSED_OVER_WITHOUT_REASON:
        return _(
            "Say on the course why %(route)s was not used before finalising the plan",
            route=FUNDING_ROUTE_LABELS[routes[0]],
        )
    return _(
        "Choose the course’s funding route before finalising the plan: %(route)s first, then "
        "the next available in order",
        route=FUNDING_ROUTE_LABELS[routes[0]],
    )


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


def count_open_actions(plan: DeliveryPlan) -> int:
    return sum(1 for action in plan.action_points if action.done_at is None)


# --- the home page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenAction:
    id: uuid.UUID
    description: str
    due_on: dt.date
    course_id: uuid.UUID
    course_title: str
    overdue: bool


def open_actions_for(user: User, limit: int) -> tuple[list[OpenAction], bool]:
    """The user's open action points, soonest due first, in one query: (actions, more)."""
    rows = db.session.execute(
        select(
            ActionPoint.id,
            ActionPoint.description,
            ActionPoint.due_on,
            Course.id,
            Course.title,
        )
        .join(DeliveryPlan, DeliveryPlan.id == ActionPoint.plan_id)
        .join(Course, Course.id == DeliveryPlan.course_id)
        .where(ActionPoint.owner_id == user.id, ActionPoint.done_at.is_(None))
        .order_by(ActionPoint.due_on, ActionPoint.id)
        .limit(limit + 1)
    ).all()
    day = today()
    actions = [OpenAction(*row, overdue=row[2] < day) for row in rows[:limit]]
    return actions, len(rows) > limit
