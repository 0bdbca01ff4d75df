"""Writes for trainees on pre-employment training courses: REF2-style referrals, the
provider's decision, starts and leavers (SL2), attendance, completion, and the employer's
interviews and hires.

Operations add to the caller's session and leave the commit to the view, so a change, its audit
entry and its emails are saved together or not at all. Each change of a trainee's status is a
conditional UPDATE on the status it expects: two provider users deciding the same referral at
once cannot both win. Each look at a trainee by a provider or employer is audited
(`record_views`). Employers never see benefit, priority group or disability.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import Organisation
from app.auth.models import User
from app.clock import today
from app.customers import labels as audit_actions
from app.customers.models import Customer
from app.customers.services import CONSENTED, record_access
from app.customers.services import record_views as customers_seen
from app.extensions import db
from app.formatting import date_long, london
from app.guarantees import services as guarantees
from app.mail.services import queue_email
from app.models_base import utcnow
from app.outcomes.models import JobOutcome
from app.outcomes.services import record_course_start
from app.pet.courses import rules as course_rules
from app.pet.models import (
    Attendance,
    Course,
    CourseReferral,
    JsaException,
    TraineeStatus,
)
from app.pet.trainees import rules
from app.pet.trainees.queries import (
    course_tppm,
    interview_open_to,
    places_taken,
    provider_emails,
    unique_emails,
)

# Audit actions this area writes (app.customers.models.AuditEntry).
REFERRED_AUDIT = audit_actions.REFERRED_TO_COURSE
VIEWED_TRAINEE_AUDIT = audit_actions.VIEWED_TRAINEE


class TraineeRefused(Exception):
    """The step cannot be taken; the message says why in plain English, and `field` names
    the form field it is about (or "" for the page)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def record_views(
    trainees: Iterable[CourseReferral], user: User, detail: str, organisation_id=None
) -> None:
    """Audit one look at trainees by a provider or employer user: an entry for each person
    shown (the customer's own trail answers "who saw my details"), all written as plain rows
    in one INSERT, not an ORM object per trainee."""
    customers_seen(
        (trainee.customer for trainee in trainees),
        user,
        VIEWED_TRAINEE_AUDIT,
        detail,
        organisation_id=organisation_id,
    )


def record_jsa_exception(course: Course, customer: Customer, reason: str, by: User) -> None:
    """Raises IntegrityError (at flush) if the customer already has one on the course."""
    db.session.add(
        JsaException(
            course_id=course.id, customer_id=customer.id, reason=reason, recorded_by_id=by.id
        )
    )
    db.session.flush()


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


def _recipients(trainee: CourseReferral) -> list[str]:
    """The owning provider's side (whoever referred them, and their adviser), and the TPPM."""
    people = [trainee.referred_by, trainee.customer.adviser]
    if trainee.tppm_id is not None:
        people.append(db.session.get(User, trainee.tppm_id))
    return unique_emails(person.email for person in people if person is not None and person.active)


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
                interview_open_to(organisation.id, course.model),
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
        .where(
            CourseReferral.id.in_(chosen),
            CourseReferral.course_id == course.id,
            interview_open_to(organisation.id, course.model),
        )
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
