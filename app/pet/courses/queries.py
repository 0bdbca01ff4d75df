"""Reads for course design and delivery plans: the course list, modules, comments, the
choices the forms offer, the plan and its action points, and what the rules say about a
course's schedule and funding, in words for the page.

Who may see a course is `app.pet.access`; every query here takes a course already found
through it, or the signed-in user.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import EmployerMembership, Organisation
from app.auth.models import STAFF_ROLES, Role, User
from app.clock import today
from app.extensions import db
from app.pet.access import employer_organisation_id, visible_to
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
from app.pet.models import (
    ActionPoint,
    Course,
    CourseComment,
    CourseEmployer,
    CourseEmployerStatus,
    CourseModule,
    CourseStatus,
    DeliveryPlan,
    TrainingProvider,
)

MAX_WEEKS = MAX_COURSE_DAYS // 7
# Choice lists on forms: a district has far fewer of each in practice.
MAX_CHOICES = 500
MAX_COMMENTS_SHOWN = 100


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
        ).where(EmployerMembership.organisation_id == employer_organisation_id(user))
    return list(reversed(db.session.scalars(statement).unique().all()))


def on_course(user: User, course: Course) -> bool:
    """Whether `user` is an employer on the course: joined, or invited and deciding (it may
    comment or ask before it answers)."""
    organisation = user.organisation if user.role is Role.EMPLOYER else None
    return organisation is not None and any(
        item.organisation_id == organisation.id and item.status is not CourseEmployerStatus.DECLINED
        for item in course.employers
    )


def course_owners(course: Course, plan: DeliveryPlan | None) -> list[User]:
    """The staff who own a course: who created it, and the plan's single point of contact."""
    owners = [course.created_by]
    if plan is not None and plan.single_point_of_contact is not None:
        owners.append(plan.single_point_of_contact)
    unique = {owner.id: owner for owner in owners if owner.active and owner.is_staff}
    return list(unique.values())


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
        .where(
            CourseEmployer.course_id == course.id,
            CourseEmployer.status != CourseEmployerStatus.DECLINED,
        )
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


def action_for(action_id: uuid.UUID) -> ActionPoint | None:
    return db.session.scalar(
        select(ActionPoint)
        .where(ActionPoint.id == action_id)
        .options(joinedload(ActionPoint.plan).joinedload(DeliveryPlan.course))
    )


def attendee_emails(plan: DeliveryPlan) -> list[dict]:
    """One attendee per email address (case ignored), in the order they were recorded."""
    unique: dict[str, dict] = {}
    for attendee in plan.attendees:
        email = (attendee.get("email") or "").strip()
        if email:
            unique.setdefault(email.lower(), {**attendee, "email": email})
    return list(unique.values())


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


# --- the staff account page's tab (listed in app/accounts/tabs.py) ------------------------

#: Rows the account page's tab lists, newest first.
ACCOUNT_TAB_LIMIT = 50


def account_tab(organisation_ids: list[uuid.UUID]) -> dict:
    """The newest PET courses the accounts take part in, with their providers."""
    rows = list(
        db.session.scalars(
            select(Course)
            # A subquery, not DISTINCT: PostgreSQL cannot compare the JSON columns.
            .where(
                Course.id.in_(
                    select(CourseEmployer.course_id).where(
                        CourseEmployer.organisation_id.in_(organisation_ids),
                        CourseEmployer.status == CourseEmployerStatus.JOINED,
                    )
                )
            )
            .options(selectinload(Course.provider))
            .order_by(Course.start_date.desc(), Course.created_at.desc())
            .limit(ACCOUNT_TAB_LIMIT)
        )
    )
    return {"courses": rows}
