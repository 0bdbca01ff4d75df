"""Trainees on pre-employment training courses: REF2-style referrals, the provider's decision,
starts and leavers (SL2), attendance, completion, and the employer's cohort.

Operations add to the caller's session and leave the commit to the view, so a change, its audit
entry and its emails are saved together or not at all. Each change of a trainee's status is a
conditional UPDATE on the status it expects: two provider users deciding the same referral at
once cannot both win.

Who sees what: staff of the course's district see every trainee; the course's training provider
and its employers see only customers who consent now (`CONSENTED`), and each look by them is
audited. Employers never see benefit, priority group or disability.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import Select, and_, case, exists, func, or_, select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import Organisation
from app.auth.models import Role, User
from app.auth.rules import normalise_email
from app.auth.services import absolute_url
from app.auth.tokens import make_token
from app.clock import today
from app.customers import labels as audit_actions
from app.customers.models import Benefit, Customer
from app.customers.rules import pet_eligible
from app.customers.services import CONSENTED, record_access
from app.extensions import db
from app.formatting import date_long, london
from app.guarantees import services as guarantees
from app.mail.services import queue_email
from app.models_base import utcnow
from app.outcomes.models import JobOutcome, SustainmentCheck, ValidationStatus
from app.outcomes.services import customer_priority_group, record_course_start
from app.pet import rules as course_rules
from app.pet import trainee_rules as rules
from app.pet.models import (
    Attendance,
    Course,
    CourseEmployer,
    CourseReferral,
    CourseStatus,
    JsaException,
    TraineeStatus,
    TrainingProvider,
)

# Audit actions this area writes (app.customers.models.AuditEntry).
REFERRED_AUDIT = audit_actions.REFERRED_TO_COURSE
VIEWED_TRAINEE_AUDIT = audit_actions.VIEWED_TRAINEE

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


class TraineeRefused(Exception):
    """The step cannot be taken; the message says why in plain English, and `field` names
    the form field it is about (or "" for the page)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- who sees which course --------------------------------------------------------------------


def organisation_id_of(user: User) -> uuid.UUID | None:
    return user.membership.organisation_id if user.membership else None


def visible_courses(user: User) -> Select | None:
    """The ids of the courses `user` may see: a provider's own, an employer's (it is on the
    course), a staff member's district's. None when the user sees none."""
    if user.role is Role.PROVIDER:
        if user.provider_id is None:
            return None
        return select(Course.id).where(Course.provider_id == user.provider_id)
    if user.role is Role.EMPLOYER:
        organisation_id = organisation_id_of(user)
        if organisation_id is None:
            return None
        return select(CourseEmployer.course_id).where(
            CourseEmployer.organisation_id == organisation_id
        )
    if user.is_staff and user.district_id is not None:
        return select(Course.id).where(Course.district_id == user.district_id)
    return None


def course_for(user: User, course_id: uuid.UUID) -> Course | None:
    """The course, if `user` may see it; None otherwise (the view answers 404)."""
    scope = visible_courses(user)
    if scope is None:
        return None
    return db.session.scalar(
        select(Course)
        .where(Course.id == course_id, Course.id.in_(scope))
        .options(joinedload(Course.provider))
    )


def sees_everyone(user: User) -> bool:
    """Staff see every trainee; a provider or employer only those who consent now."""
    return user.is_staff


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
    if cohort:
        statement = statement.where(CourseReferral.status.in_(rules.IN_COHORT))
    return db.session.scalar(statement)


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


def cohort_rows(course: Course, on: dt.date) -> list[TraineeRow]:
    """The employer's view: trainees the provider took on who consent now; no JSA fit (an
    employer never learns who claims what)."""
    statement = (
        select(CourseReferral)
        .join(Customer, Customer.id == CourseReferral.customer_id)
        .where(
            CourseReferral.course_id == course.id,
            CourseReferral.status.in_(rules.IN_COHORT),
            CONSENTED,
        )
    )
    return _rows(course, statement, on, with_fit=False)


def record_views(
    trainees: Iterable[CourseReferral], user: User, detail: str, organisation_id=None
) -> None:
    """One audit entry per trainee a provider or employer user was shown; SQLAlchemy writes
    them in one executemany when the view commits."""
    for trainee in trainees:
        record_access(
            trainee.customer, user, VIEWED_TRAINEE_AUDIT, detail, organisation_id=organisation_id
        )


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


def record_jsa_exception(course: Course, customer: Customer, reason: str, by: User) -> None:
    """Raises IntegrityError (at flush) if the customer already has one on the course."""
    db.session.add(
        JsaException(
            course_id=course.id, customer_id=customer.id, reason=reason, recorded_by_id=by.id
        )
    )
    db.session.flush()


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
    return _unique([provider.contact_email if provider else "", *users])


def _unique(emails: Iterable[str | None]) -> list[str]:
    seen: dict[str, str] = {}
    for email in emails:
        if email and email.lower() not in seen:
            seen[email.lower()] = email
    return list(seen.values())


def refer(course: Course, customer: Customer, owning_provider: str, by: User) -> CourseReferral:
    """The REF2: refer the customer to the course, from their owning provider to the PET
    provider, copied to the TPPM (seed 002, "Provider Referrals to LEP Pre-employment Training
    Provision"). Check `course_refusal` and `customer_refusal` first."""
    tppm = course_tppm(course)
    referral = CourseReferral(
        id=uuid.uuid4(),
        course=course,
        customer=customer,
        referred_by=by,
        owning_provider=owning_provider,
        tppm_id=tppm.id if tppm else None,
        status=TraineeStatus.REFERRED,
        decline_reason="",
        leave_reason="",
        returned_to_original=False,
        hired=False,
        attendance=[],
    )
    db.session.add(referral)
    # The provider can now see the person: who shared whose details must be traceable.
    record_access(
        customer,
        by,
        REFERRED_AUDIT,
        f"Referred to the course {course.title} with {course.provider.name}"[:500],
    )
    subject = _l("Referral (REF2) to %(course)s", course=course.title)
    context = {"referral": referral, "course": course, "customer": customer, "by": by}
    for recipient in provider_emails(course.provider_id):
        queue_email(recipient, subject, "pet_ref2", copy=False, **context)
    if tppm is not None:
        queue_email(tppm.email, subject, "pet_ref2", copy=True, **context)
    return referral


# --- the provider's steps ---------------------------------------------------------------------


def _move(trainee: CourseReferral, expected: Iterable[TraineeStatus], **values) -> bool:
    """Change the trainee only if their status is still one of `expected`."""
    result = db.session.execute(
        update(CourseReferral)
        .where(CourseReferral.id == trainee.id, CourseReferral.status.in_(list(expected)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(trainee)
    return result.rowcount == 1


def _refuse_move(trainee: CourseReferral, new: TraineeStatus) -> None:
    if not rules.may_move(trainee.status.value, new.value):
        raise TraineeRefused(_("Someone has already updated this trainee. Nothing was changed."))


def _changed_meanwhile() -> TraineeRefused:
    return TraineeRefused(_("Someone has just updated this trainee. Nothing was changed."))


def places_taken(course: Course) -> int:
    return db.session.scalar(
        select(func.count(CourseReferral.id)).where(
            CourseReferral.course_id == course.id,
            CourseReferral.status.in_(rules.HOLDING_A_PLACE),
        )
    )


def accept(trainee: CourseReferral, by: User) -> None:
    """The PET provider takes the referral on: the completed REF2 goes back to the owning
    provider, copied to the TPPM."""
    _refuse_move(trainee, TraineeStatus.ACCEPTED)
    course = trainee.course
    if places_taken(course) >= course.places:
        raise TraineeRefused(
            _(
                "All %(places)s places on this course are taken. Decline the referral, or ask "
                "the TPPM to add places",
                places=course.places,
            ),
            "decision",
        )
    if not _move(
        trainee, (TraineeStatus.REFERRED,), status=TraineeStatus.ACCEPTED, decided_at=utcnow()
    ):
        raise _changed_meanwhile()
    _tell_referrer(trainee, "pet_ref2_decision", _l("Referral (REF2) accepted"))


def decline(trainee: CourseReferral, reason: str, by: User) -> None:
    _refuse_move(trainee, TraineeStatus.DECLINED)
    if not reason.strip():
        raise ValueError("declining needs a reason")
    if not _move(
        trainee,
        (TraineeStatus.REFERRED,),
        status=TraineeStatus.DECLINED,
        decided_at=utcnow(),
        decline_reason=reason.strip()[:500],
    ):
        raise _changed_meanwhile()
    _tell_referrer(trainee, "pet_ref2_decision", _l("Referral (REF2) declined"))


def _date_refusal(trainee: CourseReferral, kind: str, day: dt.date, field: str) -> None:
    problem = rules.date_problem(
        kind,
        day,
        today=today(),
        referred_on=london(trainee.created_at).date(),
        started_on=trainee.started_on,
    )
    messages = {
        "future": _("The date must be today or in the past"),
        "before_referral": _(
            "The start date cannot be before the referral on %(date)s",
            date=date_long(trainee.created_at),
        ),
        "before_start": _(
            "The date cannot be before they started on %(date)s",
            date=date_long(trainee.started_on),
        ),
    }
    if problem is not None:
        raise TraineeRefused(messages[problem], field)


def start(trainee: CourseReferral, day: dt.date, by: User) -> None:
    """The SL2 start notification."""
    _refuse_move(trainee, TraineeStatus.STARTED)
    _date_refusal(trainee, "start", day, "started_on")
    course_start = trainee.course.start_date
    if course_rules.start_before_course(day, course_start):
        raise TraineeRefused(
            _(
                "The start date cannot be before the course starts on %(date)s",
                date=date_long(course_start),
            ),
            "started_on",
        )
    if not _move(trainee, (TraineeStatus.ACCEPTED,), status=TraineeStatus.STARTED, started_on=day):
        raise _changed_meanwhile()
    _tell_referrer(trainee, "pet_trainee_sl2", _l("Start notification (SL2)"))


def leave(trainee: CourseReferral, day: dt.date, reason: str, by: User) -> None:
    """The SL2 leaver notification: left before the end of the course, and why."""
    _refuse_move(trainee, TraineeStatus.LEFT)
    _date_refusal(trainee, rules.LEFT, day, "left_on")
    if not reason.strip():
        raise ValueError("a leaver needs a reason")
    if not _move(
        trainee,
        (TraineeStatus.STARTED,),
        status=TraineeStatus.LEFT,
        left_on=day,
        leave_reason=reason.strip()[:500],
    ):
        raise _changed_meanwhile()
    _tell_referrer(trainee, "pet_trainee_sl2", _l("Leaver notification (SL2)"))


def complete(trainee: CourseReferral, day: dt.date, by: User) -> None:
    _refuse_move(trainee, TraineeStatus.COMPLETED)
    _date_refusal(trainee, rules.COMPLETED, day, "completed_on")
    if not _move(
        trainee, (TraineeStatus.STARTED,), status=TraineeStatus.COMPLETED, completed_on=day
    ):
        raise _changed_meanwhile()
    guarantees.open_for_completers([trainee.id], day)
    _tell_referrer(trainee, "pet_trainee_sl2", _l("Completion notification (SL2)"))


def mark_returned(trainee: CourseReferral, by: User) -> None:
    """Finished without a job: back to their original provider or benefit regime (seed 002)."""
    if not rules.may_return_to_original(
        trainee.status.value, trainee.hired, trainee.returned_to_original
    ):
        raise TraineeRefused(
            _("Only someone who has finished the course without a job can be marked as returned")
        )
    result = db.session.execute(
        update(CourseReferral)
        .where(
            CourseReferral.id == trainee.id,
            CourseReferral.status.in_((TraineeStatus.LEFT, TraineeStatus.COMPLETED)),
            CourseReferral.hired.is_(False),
            CourseReferral.returned_to_original.is_(False),
        )
        .values(returned_to_original=True)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(trainee)
    if result.rowcount != 1:
        raise _changed_meanwhile()
    _tell_referrer(trainee, "pet_trainee_returned", _l("Returning from pre-employment training"))


def record_attendance(trainee: CourseReferral, week: int, hours: Decimal, by: User) -> Attendance:
    """Record (or correct) the hours a trainee attended in one week of the course."""
    if trainee.status.value not in rules.ATTENDING:
        raise TraineeRefused(_("Attendance can be recorded once the trainee has started"))
    schedule = trainee.course.weekly_hours or []
    problem = rules.attendance_problem(week, float(hours), schedule)
    if problem == "week":
        raise TraineeRefused(
            _("Choose a week of the course, from 1 to %(weeks)s", weeks=len(schedule)), "week"
        )
    if problem == "hours":
        raise TraineeRefused(
            _(
                "Hours attended must be between 0 and %(hours)s, the hours of training in "
                "week %(week)s",
                hours=f"{schedule[week - 1]:g}",
                week=week,
            ),
            "hours",
        )
    row = db.session.scalar(
        select(Attendance).where(
            Attendance.course_referral_id == trainee.id, Attendance.week == week
        )
    )
    if row is None:
        row = Attendance(id=uuid.uuid4(), course_referral_id=trainee.id, week=week)
        db.session.add(row)
    row.hours_attended = hours
    row.recorded_by_id = by.id
    row.recorded_at = utcnow()
    return row


def attendance_by_week(trainee: CourseReferral) -> dict[int, Attendance]:
    return {
        row.week: row
        for row in db.session.scalars(
            select(Attendance).where(Attendance.course_referral_id == trainee.id)
        )
    }


def _recipients(trainee: CourseReferral) -> list[str]:
    """The owning provider's side (whoever referred them, and their adviser), and the TPPM."""
    people = [trainee.referred_by, trainee.customer.adviser]
    if trainee.tppm_id is not None:
        people.append(db.session.get(User, trainee.tppm_id))
    return _unique(person.email for person in people if person is not None and person.active)


def _tell_referrer(trainee: CourseReferral, template: str, subject: LazyString) -> None:
    for recipient in _recipients(trainee):
        queue_email(
            recipient,
            lambda: f"{subject}: {trainee.course.title}",
            template,
            trainee=trainee,
            course=trainee.course,
            customer=trainee.customer,
        )


# --- the employer's cohort --------------------------------------------------------------------


def interview_open_to(organisation_id: uuid.UUID):
    """A completer this employer may book or hire: not booked by another employer of the
    course (a sector course has several), and not hired already."""
    return and_(
        CourseReferral.status == TraineeStatus.COMPLETED,
        CourseReferral.hired.is_(False),
        or_(
            CourseReferral.interview_organisation_id.is_(None),
            CourseReferral.interview_organisation_id == organisation_id,
        ),
    )


def book_interviews(
    course: Course,
    organisation: Organisation,
    trainee_ids: Sequence[uuid.UUID],
    at: dt.datetime,
    by: User,
) -> list[CourseReferral]:
    """Guaranteed interviews for the chosen completers at one time, in one UPDATE; each
    trainee's adviser is emailed (one email per adviser, naming their customers)."""
    chosen = set(trainee_ids)
    trainees = list(
        db.session.scalars(
            select(CourseReferral)
            .join(Customer, Customer.id == CourseReferral.customer_id)
            .where(
                CourseReferral.id.in_(chosen),
                CourseReferral.course_id == course.id,
                CONSENTED,
                interview_open_to(organisation.id),
            )
            .options(joinedload(CourseReferral.customer).joinedload(Customer.adviser))
            .order_by(Customer.last_name, Customer.first_name)
        )
    )
    if len(trainees) != len(chosen):
        raise TraineeRefused(
            _(
                "Someone you chose can no longer have an interview booked: they may have been "
                "hired, or booked by another employer. Check the list and try again"
            ),
            "trainee_ids",
        )
    db.session.execute(
        update(CourseReferral)
        .where(CourseReferral.id.in_(chosen), interview_open_to(organisation.id))
        .values(interview_at=at, interview_organisation_id=organisation.id)
        .execution_options(synchronize_session=False)
    )
    guarantees.completers_interviewed(chosen, organisation.id, by)
    by_adviser: dict[uuid.UUID, list[CourseReferral]] = defaultdict(list)
    advisers = {}
    for trainee in trainees:
        adviser = trainee.customer.adviser
        if adviser is not None and adviser.active:
            by_adviser[adviser.id].append(trainee)
            advisers[adviser.id] = adviser
    for adviser_id, theirs in by_adviser.items():
        queue_email(
            advisers[adviser_id].email,
            _l("Guaranteed interviews after %(course)s", course=course.title),
            "pet_trainee_interview",
            adviser=advisers[adviser_id],
            trainees=theirs,
            course=course,
            organisation=organisation,
            at=at,
        )
    for trainee in trainees:
        db.session.expire(trainee)
    return trainees


def hire(
    trainee: CourseReferral,
    organisation: Organisation,
    *,
    start_date: dt.date,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    by: User,
) -> JobOutcome:
    """The employer takes a completer on: a job outcome (validated, as the employer recorded
    it) and the trainee marked hired. Raises OutcomeRefused for a start that cannot count."""
    if not (
        trainee.status is TraineeStatus.COMPLETED
        and not trainee.hired
        and trainee.interview_organisation_id in (None, organisation.id)
    ):
        raise TraineeRefused(_("Only someone who completed the course can be hired from it"))
    outcome = record_course_start(
        trainee,
        organisation,
        start_date=start_date,
        hours_per_week=hours_per_week,
        hourly_pay=hourly_pay,
        recorded_by=by,
    )
    result = db.session.execute(
        update(CourseReferral)
        .where(CourseReferral.id == trainee.id, CourseReferral.hired.is_(False))
        .values(hired=True)
        .execution_options(synchronize_session=False)
    )
    db.session.expire(trainee)
    if result.rowcount != 1:
        raise _changed_meanwhile()
    return outcome


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


# --- training providers and their users -------------------------------------------------------


def create_provider(name: str, contact_email: str, district_id: uuid.UUID | None):
    provider = TrainingProvider(
        id=uuid.uuid4(),
        name=name.strip(),
        contact_email=normalise_email(contact_email),
        district_id=district_id,
    )
    db.session.add(provider)
    return provider


def invite_provider_user(provider: TrainingProvider, *, name: str, email: str) -> User:
    """A user of the training provider, invited by email to set a password (as staff are)."""
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=Role.PROVIDER,
        provider_id=provider.id,
    )
    db.session.add(user)
    db.session.flush()
    queue_email(
        user.email,
        _l("You have been invited to the LEP Employer Portal"),
        "staff_invitation",
        user=user,
        link=absolute_url("auth.accept_invitation", token=make_token(user, "invitation")),
    )
    return user


def provider_name_taken(name: str) -> bool:
    found = db.session.scalar(
        select(TrainingProvider.id).where(TrainingProvider.name == name.strip()).limit(1)
    )
    return found is not None
