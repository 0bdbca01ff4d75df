"""Reads for the employers of a sector course: the SMEs a DAM or TPPM may invite, an
employer's place on a course, who to email, and an employer's share of the cohort.

Who may see a course is `app.pet.access`; every query here takes a course already found
through it.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import EmployerMembership, Organisation, SizeBand
from app.auth.models import User
from app.extensions import db
from app.guarantees.models import Guarantee
from app.guarantees.rules import Outcome
from app.pet.employers import rules
from app.pet.models import (
    Course,
    CourseEmployer,
    CourseEmployerEvent,
    CourseEmployerStatus,
    CourseReferral,
    CourseStatus,
    TraineeStatus,
)

# Courses that take no more employers.
CLOSED_COURSES = (CourseStatus.FINISHED, CourseStatus.CANCELLED)

#: Employers the invitation page offers at most; a search narrows the rest.
MOST_TO_INVITE = 50
#: Words of a search used at most.
MOST_WORDS = 5


@dataclass(frozen=True)
class Candidate:
    """An SME the course may invite, and whether it declined an invitation before."""

    organisation: Organisation
    declined_before: bool


def smes_to_invite(
    course: Course, search: str = "", *, every_sector: bool = False
) -> tuple[list[Candidate], bool]:
    """SMEs of the course's district not invited to it and not on it (one that declined
    may be asked again), of the course's sector unless `every_sector`, by name; and whether
    there were more than the page shows. One query."""
    place = (
        select(CourseEmployer.organisation_id, CourseEmployer.status)
        .where(CourseEmployer.course_id == course.id)
        .subquery()
    )
    statement = (
        select(Organisation, place.c.status)
        .outerjoin(place, place.c.organisation_id == Organisation.id)
        .where(
            Organisation.district_id == course.district_id,
            Organisation.size_band == SizeBand.SME,
            or_(place.c.status.is_(None), place.c.status == CourseEmployerStatus.DECLINED),
        )
    )
    if not every_sector:
        statement = statement.where(Organisation.sector == course.sector)
    for word in search.split()[:MOST_WORDS]:
        statement = statement.where(
            func.lower(Organisation.name).contains(word.lower(), autoescape=True)
        )
    rows = db.session.execute(
        statement.order_by(Organisation.name, Organisation.id).limit(MOST_TO_INVITE + 1)
    ).all()
    found = [
        Candidate(organisation, status == CourseEmployerStatus.DECLINED)
        for organisation, status in rows[:MOST_TO_INVITE]
    ]
    return found, len(rows) > MOST_TO_INVITE


def organisation_to_invite(course: Course, organisation_id: uuid.UUID) -> Organisation | None:
    """An employer of the course's district (SME or not: the refusal says why not)."""
    return db.session.scalar(
        select(Organisation).where(
            Organisation.id == organisation_id, Organisation.district_id == course.district_id
        )
    )


def place_of(course: Course, organisation_id: uuid.UUID) -> CourseEmployer | None:
    """The organisation's place on the course (invited, joined or declined), if any."""
    return db.session.scalar(
        select(CourseEmployer).where(
            CourseEmployer.course_id == course.id,
            CourseEmployer.organisation_id == organisation_id,
        )
    )


def places_with_history(course: Course) -> list[CourseEmployer]:
    """Every employer asked to join the course, by name, with who invited it and who
    answered, and when: two queries however many."""
    return list(
        db.session.scalars(
            select(CourseEmployer)
            .join(Organisation, Organisation.id == CourseEmployer.organisation_id)
            .where(CourseEmployer.course_id == course.id)
            .options(
                joinedload(CourseEmployer.organisation),
                selectinload(CourseEmployer.events).joinedload(CourseEmployerEvent.actor),
            )
            .order_by(Organisation.name, CourseEmployer.id)
        )
    )


def member_emails(organisation_id: uuid.UUID) -> list[str]:
    """Where an invitation goes: every active user of the employer (owners and recruiters:
    whoever looks after its recruiting may answer it)."""
    return list(
        db.session.scalars(
            select(User.email)
            .join(EmployerMembership, EmployerMembership.user_id == User.id)
            .where(EmployerMembership.organisation_id == organisation_id, User.active.is_(True))
            .order_by(User.email)
        )
    )


def completer_ids(course: Course) -> list[uuid.UUID]:
    """The course's completers: those a newly joined employer may owe an interview."""
    return list(
        db.session.scalars(
            select(CourseReferral.id).where(
                CourseReferral.course_id == course.id,
                CourseReferral.status == TraineeStatus.COMPLETED,
            )
        )
    )


@dataclass(frozen=True)
class Share:
    """An employer's part in a sector course: the interviews it offers of the course's
    places, the completers allotted to it (the interviews it owes) and those it kept."""

    interviews: int
    places: int
    allotted: int
    kept: int
    other_employers: int

    @property
    def share(self) -> int | None:
        return rules.share_of_places(self.interviews, self.places)


def share_of(course: Course, place: CourseEmployer) -> Share:
    """The employer's share of the course: one query."""
    allotted, kept, others = db.session.execute(
        select(
            func.count(Guarantee.id),
            func.coalesce(
                func.sum(case((Guarantee.outcome == Outcome.INTERVIEWED, 1), else_=0)), 0
            ),
            select(func.count(CourseEmployer.id))
            .where(
                CourseEmployer.course_id == course.id,
                CourseEmployer.status == CourseEmployerStatus.JOINED,
                CourseEmployer.organisation_id != place.organisation_id,
            )
            .scalar_subquery(),
        )
        .select_from(Guarantee)
        .join(
            CourseReferral,
            and_(
                CourseReferral.id == Guarantee.course_referral_id,
                CourseReferral.course_id == course.id,
            ),
        )
        .where(Guarantee.organisation_id == place.organisation_id)
    ).one()
    return Share(
        interviews=place.guaranteed_interviews or 0,
        places=course.places,
        allotted=int(allotted),
        kept=int(kept or 0),
        other_employers=int(others or 0),
    )


def allotments(course: Course) -> dict[uuid.UUID, list[str]]:
    """For staff: the employers each trainee of a sector course is owed a guaranteed
    interview by, by name. One query."""
    found: dict[uuid.UUID, list[str]] = defaultdict(list)
    for trainee_id, name in db.session.execute(
        select(Guarantee.course_referral_id, Organisation.name)
        .join(Organisation, Organisation.id == Guarantee.organisation_id)
        .join(CourseReferral, CourseReferral.id == Guarantee.course_referral_id)
        .where(CourseReferral.course_id == course.id)
        .order_by(Organisation.name)
    ):
        found[trainee_id].append(name)
    return found


#: Invitations the home page lists at most.
MOST_INVITATIONS = 20


def open_invitations(organisation_id: uuid.UUID) -> list[tuple[uuid.UUID, str, int | None]]:
    """The sector courses the employer is invited to and has not answered, while they still
    take employers: (course id, title, interviews asked). One query."""
    return [
        (course_id, title, interviews)
        for course_id, title, interviews in db.session.execute(
            select(Course.id, Course.title, CourseEmployer.guaranteed_interviews)
            .join(CourseEmployer, CourseEmployer.course_id == Course.id)
            .where(
                CourseEmployer.organisation_id == organisation_id,
                CourseEmployer.status == CourseEmployerStatus.INVITED,
                Course.status.not_in(CLOSED_COURSES),
            )
            .order_by(Course.title, Course.id)
            .limit(MOST_INVITATIONS)
        )
    ]
