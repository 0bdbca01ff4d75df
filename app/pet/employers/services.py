"""Writes for the employers of a sector course: a DAM or TPPM invites an SME with the
guaranteed interviews it offers; the employer joins (confirming its interviews) or declines.

Every step writes a `CourseEmployerEvent` (who, when, how many interviews, why not): the
invitation's audit trail. Answering is a compare-and-set on the status, so two people of
the same employer answering at once change it once. Operations add to the caller's session
and leave the commit to the view, so a change, its event and its emails are saved together.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.accounts.models import Organisation
from app.auth.models import User
from app.clock import today
from app.compare_and_set import compare_and_set
from app.extensions import db
from app.guarantees import services as guarantees
from app.mail.services import queue_email
from app.models_base import utcnow
from app.pet.courses.queries import course_owners, plan_of
from app.pet.employers import queries
from app.pet.models import (
    Course,
    CourseEmployer,
    CourseEmployerAction,
    CourseEmployerEvent,
    CourseEmployerStatus,
)


class AlreadyAnswered(Exception):
    """Someone at the employer answered the invitation a moment ago."""


def _event(place: CourseEmployer, action: CourseEmployerAction, by: User, **values) -> None:
    db.session.add(
        CourseEmployerEvent(course_employer_id=place.id, action=action, actor_id=by.id, **values)
    )


def invite(course: Course, organisation: Organisation, interviews: int, by: User) -> CourseEmployer:
    """Invite the SME to the sector course, asking for `interviews` guaranteed interviews,
    and email its users. Check `rules.invitation_refusal` first. An employer that declined
    before is asked again on the same record (its history kept)."""
    place = queries.place_of(course, organisation.id)
    if place is None:
        place = CourseEmployer(course_id=course.id, organisation_id=organisation.id)
        db.session.add(place)
    place.status = CourseEmployerStatus.INVITED
    place.guaranteed_interviews = interviews
    place.invited_at = utcnow()
    place.answered_at = None
    db.session.flush()
    _event(place, CourseEmployerAction.INVITED, by, guaranteed_interviews=interviews)
    subject = _l("Join the pre-employment training course %(course)s", course=course.title)
    for recipient in queries.member_emails(organisation.id):
        queue_email(
            recipient,
            subject,
            "pet_sector_invitation",
            course=course,
            organisation=organisation,
            interviews=interviews,
            by=by,
        )
    return place


def _answer(place: CourseEmployer, values: dict) -> None:
    won = compare_and_set(
        CourseEmployer,
        place.id,
        CourseEmployerStatus.INVITED,
        {**values, "answered_at": utcnow()},
    )
    db.session.expire(place)
    if not won:
        raise AlreadyAnswered()


def _tell_owners(course: Course, place: CourseEmployer, joined: bool, reason: str = "") -> None:
    organisation = place.organisation
    subject = (
        _l("%(employer)s joined %(course)s", employer=organisation.name, course=course.title)
        if joined
        else _l(
            "%(employer)s declined to join %(course)s",
            employer=organisation.name,
            course=course.title,
        )
    )
    for owner in course_owners(course, plan_of(course.id)):
        queue_email(
            owner.email,
            subject,
            "pet_sector_answer",
            owner=owner,
            course=course,
            organisation=organisation,
            joined=joined,
            interviews=place.guaranteed_interviews,
            reason=reason,
        )


def join(course: Course, place: CourseEmployer, interviews: int, by: User) -> None:
    """The employer joins, offering `interviews` guaranteed interviews (it may change the
    number it was asked for). Completers already waiting are allotted to it at once."""
    _answer(place, {"status": CourseEmployerStatus.JOINED, "guaranteed_interviews": interviews})
    _event(place, CourseEmployerAction.JOINED, by, guaranteed_interviews=interviews)
    guarantees.open_for_completers(queries.completer_ids(course), today())
    _tell_owners(course, place, joined=True)


def decline(course: Course, place: CourseEmployer, reason: str, by: User) -> None:
    reason = reason.strip()[:500]
    _answer(place, {"status": CourseEmployerStatus.DECLINED})
    _event(place, CourseEmployerAction.DECLINED, by, reason=reason)
    _tell_owners(course, place, joined=False, reason=reason)
