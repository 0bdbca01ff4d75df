"""The rollups of pre-employment training's management information, declared here and listed
in `app.reports.rollups.ROLLUPS` (which says how rollups are marked and refreshed):

- `pet_courses`: courses by start day, district and model, each counted once however many
  employers share it, with places, the employers that joined and the interviews they offer;
- `pet_outcomes`: job starts of people hired from a course, by the employer that hired them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import String, cast, func, literal, select
from sqlalchemy.sql import Select

from app.accounts.models import Organisation
from app.customers.models import Customer
from app.outcomes.models import JobOutcome, ValidationStatus
from app.pet.models import Course, CourseEmployer, CourseEmployerStatus, CourseReferral
from app.reports.rollup_parts import Rollup, Watch, count_if, own_day, own_day_when, related_days
from app.statuses import CourseStatus


def _pet_course_source(days: list[dt.date] | None) -> Select:
    """PET courses not cancelled, by start day, district and model (bespoke or sector): each
    course counted once, with its places, the employers that joined it and the guaranteed
    interviews they offer, added up per course before the courses are (a sector course with
    three employers is one course, three employers). Courses carry no office."""
    joined = select(
        CourseEmployer.course_id.label("course_id"),
        func.count(CourseEmployer.id).label("employers"),
        func.coalesce(func.sum(CourseEmployer.guaranteed_interviews), 0).label("interviews"),
    ).where(CourseEmployer.status == CourseEmployerStatus.JOINED)
    if days is not None:
        joined = joined.where(
            CourseEmployer.course_id.in_(select(Course.id).where(Course.start_date.in_(days)))
        )
    per_course = joined.group_by(CourseEmployer.course_id).subquery()
    statement = (
        select(
            Course.start_date.label("day"),
            Course.district_id.label("district_id"),
            cast(literal(None), Course.district_id.type).label("office_id"),
            Course.model.label("model"),
            func.count(Course.id).label("courses"),
            func.coalesce(func.sum(Course.places), 0).label("places"),
            func.coalesce(func.sum(per_course.c.employers), 0).label("employers"),
            func.coalesce(func.sum(per_course.c.interviews), 0).label("interviews"),
        )
        .outerjoin(per_course, per_course.c.course_id == Course.id)
        .where(Course.start_date.is_not(None), Course.status != CourseStatus.CANCELLED)
    )
    if days is not None:
        statement = statement.where(Course.start_date.in_(days))
    return statement.group_by(Course.start_date, Course.district_id, Course.model)


def _course_days_of_employer(connection: Any, record: Any, _state: str) -> list[dt.date]:
    """The start day of the course an employer joined, was invited to or left."""
    return connection.scalars(
        select(Course.start_date).where(
            Course.id == record.course_id, Course.start_date.is_not(None)
        )
    ).all()


#: Characters of an employer's name kept in the PET outcomes key: with the model and the
#: id, it fits the key's 200.
PET_EMPLOYER_NAME = 150
#: `app.reports.rollups.KEY_SEPARATOR` (which imports this module).
KEY_SEPARATOR = "|"


def _pet_outcome_source(days: list[dt.date] | None) -> Select:
    """Job outcomes not rejected of people hired from a PET course, by start day, district,
    the customer's office, the course's model and the employer that hired them: each hire
    counted once, for its own employer (a sector course's hires spread over its employers).
    The employer is its id as text (the same on SQLite and PostgreSQL) and its name, cut to
    fit the key and without the key's separator, so the page names employers without
    another statement."""
    keys = (
        JobOutcome.start_date.label("day"),
        JobOutcome.district_id.label("district_id"),
        Customer.office_id.label("office_id"),
        Course.model.label("model"),
        cast(JobOutcome.organisation_id, String).label("organisation"),
        # Never the key's separator, so the key keeps its three parts (`_key_fits`).
        func.replace(
            func.substr(Organisation.name, 1, PET_EMPLOYER_NAME), KEY_SEPARATOR, "/"
        ).label("name"),
    )
    statement = (
        select(
            *keys,
            func.count(JobOutcome.id).label("starts"),
            count_if(JobOutcome.counts_as_lep.is_(True)).label("outcomes"),
        )
        .join(CourseReferral, CourseReferral.id == JobOutcome.course_referral_id)
        .join(Course, Course.id == CourseReferral.course_id)
        .join(Customer, Customer.id == JobOutcome.customer_id)
        .join(Organisation, Organisation.id == JobOutcome.organisation_id)
        .where(JobOutcome.validation_status != ValidationStatus.REJECTED)
    )
    if days is not None:
        statement = statement.where(JobOutcome.start_date.in_(days))
    return statement.group_by(*keys)


def _pet_outcome_days_of_organisation(organisation: Any) -> Select:
    return (
        select(JobOutcome.start_date)
        .where(
            JobOutcome.organisation_id == organisation.id,
            JobOutcome.course_referral_id.is_not(None),
        )
        .distinct()
    )


def _pet_outcome_days_of_customer(customer: Any) -> Select:
    return (
        select(JobOutcome.start_date)
        .where(JobOutcome.customer_id == customer.id, JobOutcome.course_referral_id.is_not(None))
        .distinct()
    )


PET_ROLLUPS: tuple[Rollup, ...] = (
    # PET courses starting, by model: each counted once, with places, employers, interviews.
    Rollup(
        "pet_courses",
        _pet_course_source,
        dimensions=("model",),
        measures=("courses", "places", "employers", "interviews"),
        watches=(
            Watch(
                Course,
                own_day("start_date"),
                bulk=lambda where: select(Course.start_date).where(*where).distinct(),
                day="start_date",
            ),
            Watch(
                CourseEmployer,
                _course_days_of_employer,
                bulk=lambda where: (
                    select(Course.start_date)
                    .join(CourseEmployer, CourseEmployer.course_id == Course.id)
                    .where(*where, Course.start_date.is_not(None))
                    .distinct()
                ),
                fields=("status", "guaranteed_interviews", "course_id"),
            ),
        ),
        read_by=(),
        office_filter=False,
    ),
    # Job outcomes from PET, per employer that hired and the course's model.
    Rollup(
        "pet_outcomes",
        _pet_outcome_source,
        dimensions=("model", "organisation", "name"),
        measures=("starts", "outcomes"),
        watches=(
            Watch(
                JobOutcome,
                own_day_when("start_date", "course_referral_id"),
                bulk=lambda where: (
                    select(JobOutcome.start_date)
                    .where(*where, JobOutcome.course_referral_id.is_not(None))
                    .distinct()
                ),
                fields=(
                    "start_date",
                    "validation_status",
                    "counts_as_lep",
                    "organisation_id",
                    "district_id",
                    "customer_id",
                    "course_referral_id",
                ),
                day="start_date",
            ),
            Watch(Customer, related_days(("office_id",), _pet_outcome_days_of_customer)),
            Watch(Organisation, related_days(("name",), _pet_outcome_days_of_organisation)),
        ),
    ),
)
