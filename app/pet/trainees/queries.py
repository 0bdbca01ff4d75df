"""Reads for trainees on PET courses: the trainee lists with their attendance and JSA fit,
why a customer cannot be referred, the candidates to refer, the cohort's figures, and the
home page's tasks.

Who sees what: staff of the course's district see every trainee; the course's training
provider and its employers see only customers who consent now (`CONSENTED`). Who may see a
course or a trainee is `app.pet.access`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import joinedload

from app.auth.models import Role, User
from app.customers.models import Benefit, Customer
from app.customers.rules import pet_eligible
from app.customers.services import CONSENTED
from app.extensions import db
from app.outcomes.models import JobOutcome, SustainmentCheck, ValidationStatus
from app.outcomes.services import customer_priority_group
from app.pet.access import employers_trainees, sees_everyone
from app.pet.courses import rules as course_rules
from app.pet.models import (
    Attendance,
    Course,
    CourseEmployer,
    CourseEmployerStatus,
    CourseModel,
    CourseReferral,
    CourseStatus,
    JsaException,
    TraineeStatus,
    TrainingProvider,
)
from app.pet.trainees import rules

#: Trainees listed on one page at most (a course has a dozen or so places).
MOST_TRAINEES = 200
#: Customers offered on the referral page at most; a search narrows the rest.
MOST_CANDIDATES = 50
#: Courses listed in the summary at most, newest first; the totals cover them all.
MOST_COURSES = 100
#: Weeks back from a course's start in which another course's attendance can matter: 52
#: weeks, plus the longest course (13 weeks) that may have begun before them.
ATTENDANCE_LOOKBACK = dt.timedelta(weeks=52 + 13)
#: The sustainment question the summary reports on.
SUSTAINMENT_WEEKS = 13

# Courses nobody can be referred to any more.
CLOSED = (CourseStatus.FINISHED, CourseStatus.CANCELLED)


# --- trainee lists ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """Whether a course fits a JSA customer's past 52 weeks; None for `fits` when the course
    has no schedule yet."""

    used: int
    fits: bool | None


@dataclass(frozen=True)
class TraineeRow:
    trainee: CourseReferral
    attended: float
    weeks_recorded: int
    scheduled: float
    share: int | None
    # None: not a JSA claimant (or not shown to this user).
    fit: Fit | None = None


def _attendance_totals(course: Course):
    """Hours attended and weeks recorded per trainee of this course: filtered to the course
    before grouping, or PostgreSQL groups every trainee's attendance in the country."""
    return (
        select(
            Attendance.course_referral_id.label("course_referral_id"),
            func.sum(Attendance.hours_attended).label("attended"),
            func.count(Attendance.id).label("weeks"),
        )
        .where(
            Attendance.course_referral_id.in_(
                select(CourseReferral.id).where(CourseReferral.course_id == course.id)
            )
        )
        .group_by(Attendance.course_referral_id)
        .subquery()
    )


def scheduled_for(course: Course, trainee: CourseReferral, on: dt.date) -> float:
    """The hours the course had given the trainee by `on` (or by the day they left)."""
    if trainee.status is TraineeStatus.COMPLETED:
        return float(sum(course.weekly_hours or []))
    until = trainee.left_on if trainee.status is TraineeStatus.LEFT and trainee.left_on else on
    return rules.scheduled_hours(course.weekly_hours or [], trainee.started_on, until)


def _rows(course: Course, statement: Select, on: dt.date, *, with_fit: bool) -> list[TraineeRow]:
    totals = _attendance_totals(course)
    found = db.session.execute(
        statement.add_columns(func.coalesce(totals.c.attended, 0), func.coalesce(totals.c.weeks, 0))
        .outerjoin(totals, totals.c.course_referral_id == CourseReferral.id)
        .options(joinedload(CourseReferral.customer))
        .order_by(Customer.last_name, Customer.first_name, CourseReferral.id)
        .limit(MOST_TRAINEES)
    ).all()
    fits = jsa_fits(course, [trainee.customer for trainee, _a, _w in found], on) if with_fit else {}
    rows = []
    for trainee, attended, weeks in found:
        scheduled = scheduled_for(course, trainee, on)
        rows.append(
            TraineeRow(
                trainee=trainee,
                attended=float(attended),
                weeks_recorded=int(weeks),
                scheduled=scheduled,
                share=rules.attendance_share(float(attended), scheduled),
                fit=fits.get(trainee.customer_id),
            )
        )
    return rows


def trainee_rows(course: Course, user: User, on: dt.date) -> list[TraineeRow]:
    """Every trainee of the course for staff; for the provider, those who consent now. With
    each one's attendance so far and, for JSA claimants, whether the course fits them."""
    statement = (
        select(CourseReferral)
        .join(Customer, Customer.id == CourseReferral.customer_id)
        .where(CourseReferral.course_id == course.id)
    )
    if not sees_everyone(user):
        statement = statement.where(CONSENTED)
    return _rows(course, statement, on, with_fit=True)


def cohort_rows(
    course: Course, on: dt.date, organisation_id: uuid.UUID | None = None
) -> list[TraineeRow]:
    """The cohort: trainees the provider took on who consent now; no JSA fit (an employer
    never learns who claims what). For an employer (`organisation_id`) on a sector course,
    only the completers allotted to it: the others are other employers' candidates."""
    statement = (
        select(CourseReferral)
        .join(Customer, Customer.id == CourseReferral.customer_id)
        .where(
            CourseReferral.course_id == course.id,
            CourseReferral.status.in_(rules.IN_COHORT),
            CONSENTED,
        )
    )
    if organisation_id is not None:
        theirs = employers_trainees(course.model, organisation_id)
        if theirs is not None:
            statement = statement.where(theirs)
    return _rows(course, statement, on, with_fit=False)


def course_trainees(course: Course, user: User) -> tuple[list[CourseReferral], dict[str, int]]:
    """The course's trainees as `user` may see them (staff every one, the course's provider
    those who consent now), by name, at most MOST_TRAINEES, and how many there are of each
    status: two queries."""
    referrals = (
        select(CourseReferral)
        .join(Customer, Customer.id == CourseReferral.customer_id)
        .where(CourseReferral.course_id == course.id)
    )
    if not sees_everyone(user):
        referrals = referrals.where(CONSENTED)
    counts: dict[str, int] = dict(
        db.session.execute(
            referrals.with_only_columns(CourseReferral.status, func.count(CourseReferral.id))
            .group_by(CourseReferral.status)
            .order_by(None)
        ).all()
    )
    found = list(
        db.session.scalars(
            referrals.options(joinedload(CourseReferral.customer))
            .order_by(Customer.last_name, Customer.first_name, CourseReferral.id)
            .limit(MOST_TRAINEES)
        )
    )
    return found, counts


# --- the JSA 16-hour rule ---------------------------------------------------------------------


def course_day(course: Course, on: dt.date) -> dt.date:
    """The day the JSA rule looks back from: the course's start, or today before it has one."""
    return course.start_date or on


def jsa_fits(course: Course, customers: Sequence[Customer], on: dt.date) -> dict[uuid.UUID, Fit]:
    """For each JSA claimant among `customers`: the full-time weeks of training they had in the
    52 weeks before the course starts (from attendance recorded on other courses), and whether
    this course fits them. One query whatever the number of customers."""
    claimants = [customer.id for customer in customers if customer.benefit is Benefit.JSA]
    if not claimants:
        return {}
    day = course_day(course, on)
    first_day = func.coalesce(CourseReferral.started_on, Course.start_date)
    found = db.session.execute(
        select(CourseReferral.customer_id, first_day, Attendance.week, Attendance.hours_attended)
        .join(Attendance, Attendance.course_referral_id == CourseReferral.id)
        .join(Course, Course.id == CourseReferral.course_id)
        .where(
            CourseReferral.customer_id.in_(claimants),
            CourseReferral.course_id != course.id,
            first_day >= day - ATTENDANCE_LOOKBACK,
        )
    ).all()
    weeks: dict[uuid.UUID, list[tuple[dt.date, float]]] = defaultdict(list)
    for customer_id, started, week, hours in found:
        weeks[customer_id].append((rules.week_start(started, week), float(hours)))
    schedule = [float(hours) for hours in course.weekly_hours or []]
    result = {}
    for customer_id in claimants:
        used = rules.full_time_weeks_used(weeks[customer_id], day)
        try:
            fits: bool | None = rules.course_fits(schedule, used)
        except ValueError:
            fits = None  # no schedule yet
        result[customer_id] = Fit(used=used, fits=fits)
    return result


# --- referring --------------------------------------------------------------------------------


def course_refusal(course: Course) -> str | None:
    """Why nobody can be referred to the course now, or None."""
    if course.status in CLOSED:
        return _("This course is no longer taking referrals")
    if course.provider_id is None:
        return _(
            "This course has no training provider yet, so there is nobody to send a referral to"
        )
    return None


def customer_refusal(course: Course, customer: Customer, on: dt.date) -> str | None:
    """Why this customer cannot be referred to the course, or None if they can: consent first,
    then PET eligibility (priority group 1 or 2; 3 or 4 in a disadvantaged ward; or eligible
    for New Deal for Disabled People)."""
    name = customer.name
    if not customer.consent_given:
        return _(
            "%(name)s cannot be referred: they have not given consent to share their details "
            "with a training provider",
            name=name,
        )
    already = db.session.scalar(
        select(CourseReferral.id).where(
            CourseReferral.course_id == course.id, CourseReferral.customer_id == customer.id
        )
    )
    if already is not None:
        return _("%(name)s has already been referred to this course", name=name)
    try:
        group = customer_priority_group(customer, on)
    except ValueError:
        return _(
            "%(name)s cannot be referred: their priority group cannot be worked out. Check "
            "their benefit and the date their claim started",
            name=name,
        )
    if not pet_eligible(group, customer.disadvantaged_ward, customer.nddp_eligible):
        return _(
            "%(name)s cannot be referred: pre-employment training is for priority groups 1 and "
            "2, groups 3 and 4 living in a disadvantaged ward, and people eligible for New Deal "
            "for Disabled People. They are in priority group %(group)s",
            name=name,
            group=group,
        )
    return None


def has_jsa_exception(course: Course, customer: Customer) -> bool:
    return (
        db.session.scalar(
            select(JsaException.id).where(
                JsaException.course_id == course.id, JsaException.customer_id == customer.id
            )
        )
        is not None
    )


def jsa_refusal(course: Course, customer: Customer, on: dt.date) -> str | None:
    """Why a JSA customer cannot be referred under the 16-hour rule, or None."""
    is_jsa = customer.benefit is Benefit.JSA
    fit = jsa_fits(course, [customer], on).get(customer.id) if is_jsa else None
    if course_rules.jsa_referral_allowed(
        is_jsa, fit.fits if fit else None, is_jsa and has_jsa_exception(course, customer)
    ):
        return None
    return _(
        "%(name)s cannot be referred: they claim Jobseeker’s Allowance and this course breaks "
        "the 16-hour rule for them. A LEP coordinator can record an exception, with its reason.",
        name=customer.name,
    )


def jsa_exceptions(course: Course) -> list[JsaException]:
    return list(
        db.session.scalars(
            select(JsaException)
            .where(JsaException.course_id == course.id)
            .options(joinedload(JsaException.customer), joinedload(JsaException.recorded_by))
            .order_by(JsaException.recorded_at)
        )
    )


def jsa_customer_by_reference(course: Course, reference: str) -> Customer | None:
    """A JSA claimant of the course's district, by customer reference."""
    return db.session.scalar(
        select(Customer).where(
            Customer.reference == reference.strip().upper(),
            Customer.district_id == course.district_id,
            Customer.benefit == Benefit.JSA,
        )
    )


@dataclass(frozen=True)
class Candidate:
    customer: Customer
    priority_group: int | None
    eligible: bool
    fit: Fit | None


def candidates(course: Course, on: dt.date, search: str = "") -> tuple[list[Candidate], bool]:
    """Consenting customers of the course's district not yet referred to it, by name, with
    their PET eligibility and (JSA claimants) whether the course fits them; and whether there
    were more than the page shows."""
    statement = select(Customer).where(
        Customer.district_id == course.district_id,
        CONSENTED,
        ~exists().where(
            CourseReferral.course_id == course.id, CourseReferral.customer_id == Customer.id
        ),
    )
    words = search.split()
    for word in words[:5]:
        statement = statement.where(
            or_(
                func.lower(column).contains(word.lower(), autoescape=True)
                for column in (Customer.first_name, Customer.last_name, Customer.reference)
            )
        )
    found = list(
        db.session.scalars(
            statement.order_by(Customer.last_name, Customer.first_name, Customer.id).limit(
                MOST_CANDIDATES + 1
            )
        )
    )
    more = len(found) > MOST_CANDIDATES
    found = found[:MOST_CANDIDATES]
    fits = jsa_fits(course, found, on)
    listed = []
    for customer in found:
        try:
            group: int | None = customer_priority_group(customer, on)
        except ValueError:
            group = None
        eligible = group is not None and pet_eligible(
            group, customer.disadvantaged_ward, customer.nddp_eligible
        )
        listed.append(Candidate(customer, group, eligible, fits.get(customer.id)))
    return listed, more


def customer_to_refer(course: Course, customer_id: uuid.UUID) -> Customer | None:
    """A customer of the course's district (consenting or not: the refusal says why not)."""
    return db.session.scalar(
        select(Customer).where(
            Customer.id == customer_id, Customer.district_id == course.district_id
        )
    )


def course_tppm(course: Course) -> User | None:
    """The TPPM the REF2 is copied to: the course's creator if a TPPM, otherwise the district's
    TPPM (the first by name, if it has several)."""
    if course.created_by.role is Role.TPPM and course.created_by.active:
        return course.created_by
    return db.session.scalar(
        select(User)
        .where(
            User.role == Role.TPPM,
            User.district_id == course.district_id,
            User.active.is_(True),
        )
        .order_by(User.name, User.id)
        .limit(1)
    )


def provider_emails(provider_id: uuid.UUID) -> list[str]:
    """Where a training provider's emails go: its contact address and its active users."""
    provider = db.session.get(TrainingProvider, provider_id)
    users = db.session.scalars(
        select(User.email)
        .where(User.provider_id == provider_id, User.role == Role.PROVIDER, User.active.is_(True))
        .order_by(User.email)
    )
    return unique_emails([provider.contact_email if provider else "", *users])


def unique_emails(emails: Iterable[str | None]) -> list[str]:
    seen: dict[str, str] = {}
    for email in emails:
        if email and email.lower() not in seen:
            seen[email.lower()] = email
    return list(seen.values())


def places_taken(course: Course) -> int:
    return db.session.scalar(
        select(func.count(CourseReferral.id)).where(
            CourseReferral.course_id == course.id,
            CourseReferral.status.in_(rules.HOLDING_A_PLACE),
        )
    )


def attendance_by_week(trainee: CourseReferral) -> dict[int, Attendance]:
    return {
        row.week: row
        for row in db.session.scalars(
            select(Attendance).where(Attendance.course_referral_id == trainee.id)
        )
    }


# --- the employer's cohort --------------------------------------------------------------------


def interview_open_to(organisation_id: uuid.UUID, course_model: CourseModel):
    """A completer this employer may book or hire: on a sector course, one allotted to it;
    not booked by another employer of the course, and not hired already."""
    open_to = and_(
        CourseReferral.status == TraineeStatus.COMPLETED,
        CourseReferral.hired.is_(False),
        or_(
            CourseReferral.interview_organisation_id.is_(None),
            CourseReferral.interview_organisation_id == organisation_id,
        ),
    )
    theirs = employers_trainees(course_model, organisation_id)
    return open_to if theirs is None else and_(open_to, theirs)


# --- the cohort summary -----------------------------------------------------------------------


@dataclass(frozen=True)
class CourseFigures:
    course_id: uuid.UUID
    title: str
    start_date: dt.date | None
    status: CourseStatus
    figures: rules.CohortFigures


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _trainee_columns(organisation_id: uuid.UUID | None):
    interviewed = CourseReferral.interview_at.is_not(None)
    if organisation_id is not None:
        interviewed = and_(interviewed, CourseReferral.interview_organisation_id == organisation_id)
    return (
        _count(CourseReferral.started_on.is_not(None)),
        _count(CourseReferral.status == TraineeStatus.COMPLETED),
        _count(interviewed),
    )


def _outcome_columns(on: dt.date):
    due = and_(
        SustainmentCheck.id.is_not(None),
        SustainmentCheck.due_on <= on,
        JobOutcome.validation_status.in_(
            (ValidationStatus.VALIDATED, ValidationStatus.AWAITING_EMPLOYER)
        ),
    )
    return (
        func.count(JobOutcome.id),
        _count(due),
        _count(and_(due, SustainmentCheck.still_employed.is_(True))),
    )


def _outcomes_of(statement: Select, organisation_id: uuid.UUID | None) -> Select:
    """Hires from the courses' cohorts (rejected starts do not count), each with its 13-week
    question: one row per hire, so counting does not multiply."""
    statement = (
        statement.select_from(CourseReferral)
        .join(JobOutcome, JobOutcome.course_referral_id == CourseReferral.id)
        .outerjoin(
            SustainmentCheck,
            and_(
                SustainmentCheck.outcome_id == JobOutcome.id,
                SustainmentCheck.weeks == SUSTAINMENT_WEEKS,
            ),
        )
        .where(JobOutcome.validation_status != ValidationStatus.REJECTED)
    )
    if organisation_id is not None:
        statement = statement.where(JobOutcome.organisation_id == organisation_id)
    return statement


def figures_by_course(
    course_ids: Select | Sequence[uuid.UUID], organisation_id: uuid.UUID | None, on: dt.date
) -> list[CourseFigures]:
    """Each course's figures, newest course first, at most MOST_COURSES: two grouped queries.
    For an employer (`organisation_id`), interviews and hires are its own."""
    courses = db.session.execute(
        select(Course.id, Course.title, Course.start_date, Course.status, Course.places)
        .add_columns(*_trainee_columns(organisation_id))
        .outerjoin(CourseReferral, CourseReferral.course_id == Course.id)
        .where(Course.id.in_(course_ids))
        .group_by(Course.id, Course.title, Course.start_date, Course.status, Course.places)
        .order_by(Course.created_at.desc(), Course.id)
        .limit(MOST_COURSES)
    ).all()
    ids = [row[0] for row in courses]
    hires = {
        row[0]: row[1:]
        for row in db.session.execute(
            _outcomes_of(select(CourseReferral.course_id, *_outcome_columns(on)), organisation_id)
            .where(CourseReferral.course_id.in_(ids))
            .group_by(CourseReferral.course_id)
        )
    }
    return [
        CourseFigures(
            course_id=course_id,
            title=title,
            start_date=start_date,
            status=status,
            figures=_figures(places, starts, completions, interviews, *hires.get(course_id, ())),
        )
        for course_id, title, start_date, status, places, starts, completions, interviews in (
            courses
        )
    ]


def figures_in_total(
    course_ids: Select, organisation_id: uuid.UUID | None, on: dt.date
) -> tuple[int, rules.CohortFigures]:
    """The number of courses and their figures added together: two queries, however many."""
    places = (
        select(func.coalesce(func.sum(Course.places), 0))
        .where(Course.id.in_(course_ids))
        .scalar_subquery()
    )
    courses, places, starts, completions, interviews = db.session.execute(
        select(func.count(func.distinct(Course.id)), places)
        .add_columns(*_trainee_columns(organisation_id))
        .select_from(Course)
        .outerjoin(CourseReferral, CourseReferral.course_id == Course.id)
        .where(Course.id.in_(course_ids))
    ).one()
    hires = db.session.execute(
        _outcomes_of(select(*_outcome_columns(on)), organisation_id).where(
            CourseReferral.course_id.in_(course_ids)
        )
    ).one()
    return int(courses), _figures(places, starts, completions, interviews, *hires)


def _figures(places, starts, completions, interviews, hires=0, due=0, sustained=0):
    return rules.CohortFigures(
        places=int(places or 0),
        starts=int(starts or 0),
        completions=int(completions or 0),
        interviews=int(interviews or 0),
        hires=int(hires or 0),
        sustainment_due=int(due or 0),
        sustained=int(sustained or 0),
    )


# --- home panels ------------------------------------------------------------------------------


def provider_tasks(provider_id: uuid.UUID) -> list[tuple[uuid.UUID, str, int, int]]:
    """The provider's courses with referrals waiting for a decision or trainees to update
    (accepted, to start; started, attendance and completion to record): one grouped query."""
    waiting = _count(CourseReferral.status == TraineeStatus.REFERRED)
    to_update = _count(CourseReferral.status.in_((TraineeStatus.ACCEPTED, TraineeStatus.STARTED)))
    return [
        tuple(row)
        for row in db.session.execute(
            select(Course.id, Course.title, waiting, to_update)
            .join(CourseReferral, CourseReferral.course_id == Course.id)
            .join(Customer, Customer.id == CourseReferral.customer_id)
            .where(
                Course.provider_id == provider_id,
                CONSENTED,
                CourseReferral.status.in_(
                    (TraineeStatus.REFERRED, TraineeStatus.ACCEPTED, TraineeStatus.STARTED)
                ),
            )
            .group_by(Course.id, Course.title)
            .order_by(Course.title, Course.id)
            .limit(MOST_COURSES)
        )
    ]


def employer_tasks(organisation_id: uuid.UUID) -> list[tuple[uuid.UUID, str, int]]:
    """The employer's courses with completers awaiting an interview decision: one query."""
    return [
        tuple(row)
        for row in db.session.execute(
            select(Course.id, Course.title, func.count(CourseReferral.id))
            .join(CourseEmployer, CourseEmployer.course_id == Course.id)
            .join(CourseReferral, CourseReferral.course_id == Course.id)
            .join(Customer, Customer.id == CourseReferral.customer_id)
            .where(
                CourseEmployer.organisation_id == organisation_id,
                CourseEmployer.status == CourseEmployerStatus.JOINED,
                employers_trainees(Course.model, organisation_id),
                CONSENTED,
                CourseReferral.status == TraineeStatus.COMPLETED,
                CourseReferral.interview_at.is_(None),
                CourseReferral.hired.is_(False),
                CourseReferral.returned_to_original.is_(False),
            )
            .group_by(Course.id, Course.title)
            .order_by(Course.title, Course.id)
            .limit(MOST_COURSES)
        )
    ]
