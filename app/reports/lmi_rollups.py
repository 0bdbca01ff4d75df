"""The rollups behind the local labour market pages (`app/lmi/`): LEP vacancies going live by
sector and by occupation, LEP vacancies closing (filled or not, and the days each filled one
took), employers' LEP agreements starting and ending by sector, and PET courses starting with
their trainees' starts, completions and jobs. `app/reports/rollups.py` adds them to `ROLLUPS`,
so they are marked, refreshed and checked against live counts like every other.

A **LEP vacancy** is one whose employer had a Jobcentre Plus LEP agreement in force on the UK
day the vacancy went live (started on or before it, not ended by then): fixed once it went
live, so a month's counts do not move when an agreement ends later. Vacancies carry no office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Integer, case, cast, exists, func, literal, or_, select, union, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.expression import FunctionElement

from app.accounts.models import Organisation
from app.agreements.models import Agreement
from app.clock import LONDON
from app.pet.models import Course, CourseReferral, CourseStatus
from app.reports.rollup_parts import Rollup, Watch, _values, count_if, own_day, uk_day
from app.vacancies.models import Vacancy, VacancyStatus

#: Time to fill is kept by the day up to this many days; longer fills count as this many in
#: the median's histogram (their mean uses the real number).
MOST_FILL_DAYS = 365
#: Occupations are typed by employers: grouped ignoring case and spaces at the ends, and cut
#: to this many characters so a key always fits `rollup_count.key`.
OCCUPATION_CHARACTERS = 120
#: Courses that have started: running or finished (not designed, agreed or cancelled).
STARTED_COURSES = (CourseStatus.RUNNING, CourseStatus.FINISHED)


class day_count(FunctionElement):
    """Whole days from the second date to the first, in SQL (PostgreSQL and SQLite alike)."""

    type = Integer()
    inherit_cache = True


@compiles(day_count, "postgresql")
def _day_count_postgresql(element, compiler, **kw) -> str:
    later, earlier = list(element.clauses)
    return f"({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})"


@compiles(day_count)
def _day_count_sqlite(element, compiler, **kw) -> str:
    later, earlier = list(element.clauses)
    return (
        f"CAST(julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)}) AS INTEGER)"
    )


def _no_office() -> ColumnElement:
    return cast(literal(None), Vacancy.district_id.type).label("office_id")


def lep_on_live_day() -> ColumnElement:
    """The vacancy's employer had a LEP agreement in force on the UK day it went live."""
    live_day = uk_day(Vacancy.live_at)
    return exists().where(
        Agreement.organisation_id == Vacancy.organisation_id,
        Agreement.started_on <= live_day,
        or_(Agreement.ended_on.is_(None), Agreement.ended_on > live_day),
    )


def occupation_key() -> ColumnElement:
    return func.substr(func.lower(func.trim(Vacancy.occupation)), 1, OCCUPATION_CHARACTERS)


def _in_days(statement: Select, moment: Any, days: list[dt.date] | None) -> Select:
    """Keep the rows whose moment falls on one of `days` (UK days): a range the index can
    use, then the exact days."""
    if days is None:
        return statement
    start = dt.datetime.combine(min(days), dt.time(), tzinfo=LONDON)
    end = dt.datetime.combine(max(days) + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
    return statement.where(
        moment >= start.astimezone(dt.UTC),
        moment < end.astimezone(dt.UTC),
        uk_day(moment).in_(days),
    )


def _vacancy_source(dimension: Any, name: str):
    """LEP vacancies going live (on the UK day of `live_at`) and closing, filled or withdrawn
    (on the UK day of `closed_at`), by district and `dimension`."""

    def source(days: list[dt.date] | None) -> Select:
        lep = [Vacancy.live_at.is_not(None), lep_on_live_day()]
        went_live = select(
            uk_day(Vacancy.live_at).label("day"),
            Vacancy.district_id.label("district_id"),
            dimension.label(name),
            literal(1).label("went_live"),
            literal(0).label("closed"),
        ).where(*lep)
        closed = select(
            uk_day(Vacancy.closed_at).label("day"),
            Vacancy.district_id.label("district_id"),
            dimension.label(name),
            literal(0).label("went_live"),
            literal(1).label("closed"),
        ).where(
            *lep,
            Vacancy.closed_at.is_not(None),
            Vacancy.status.in_((VacancyStatus.FILLED, VacancyStatus.WITHDRAWN)),
        )
        events = union_all(
            _in_days(went_live, Vacancy.live_at, days), _in_days(closed, Vacancy.closed_at, days)
        ).subquery()
        return select(
            events.c.day.label("day"),
            events.c.district_id.label("district_id"),
            _no_office(),
            events.c[name].label(name),
            func.sum(events.c.went_live).label("went_live"),
            func.sum(events.c.closed).label("closed"),
        ).group_by(events.c.day, events.c.district_id, events.c[name])

    return source


def _fill_source(days: list[dt.date] | None) -> Select:
    """LEP vacancies closed, by the UK day they closed: how many, how many filled, and the
    days each filled one took from posting (submitted, else created) to filled, kept by the
    day (up to `MOST_FILL_DAYS`) for the median and added up for the mean."""
    posted = uk_day(func.coalesce(Vacancy.submitted_at, Vacancy.created_at))
    elapsed = day_count(uk_day(Vacancy.closed_at), posted)
    took = case((elapsed < 0, 0), else_=elapsed)
    filled = Vacancy.status == VacancyStatus.FILLED
    # One row per vacancy first, grouped after: PostgreSQL groups by columns, not by an
    # expression that repeats its parameters.
    each = select(
        uk_day(Vacancy.closed_at).label("day"),
        Vacancy.district_id.label("district_id"),
        case((filled, case((took > MOST_FILL_DAYS, MOST_FILL_DAYS), else_=took)), else_=None).label(
            "days"
        ),
        case((filled, 1), else_=0).label("filled"),
        case((filled, took), else_=0).label("took"),
    ).where(
        Vacancy.live_at.is_not(None),
        Vacancy.closed_at.is_not(None),
        Vacancy.status.in_((VacancyStatus.FILLED, VacancyStatus.WITHDRAWN)),
        lep_on_live_day(),
    )
    vacancies = _in_days(each, Vacancy.closed_at, days).subquery()
    return select(
        vacancies.c.day.label("day"),
        vacancies.c.district_id.label("district_id"),
        _no_office(),
        vacancies.c.days.label("days"),
        func.count().label("closed"),
        func.sum(vacancies.c.filled).label("filled"),
        func.sum(vacancies.c.took).label("fill_days"),
    ).group_by(vacancies.c.day, vacancies.c.district_id, vacancies.c.days)


def _employer_source(days: list[dt.date] | None) -> Select:
    """Jobcentre Plus LEP agreements starting (on `started_on`) and ending (on `ended_on`), by
    the employer's district and sector: the employers signed up on a day are those started
    by then less those ended (an employer has one agreement in force at a time)."""
    started = select(
        Agreement.started_on.label("day"),
        Organisation.district_id.label("district_id"),
        Organisation.sector.label("sector"),
        literal(1).label("signed"),
        literal(0).label("ended"),
    ).join(Organisation, Organisation.id == Agreement.organisation_id)
    ended = (
        select(
            Agreement.ended_on.label("day"),
            Organisation.district_id.label("district_id"),
            Organisation.sector.label("sector"),
            literal(0).label("signed"),
            literal(1).label("ended"),
        )
        .join(Organisation, Organisation.id == Agreement.organisation_id)
        .where(Agreement.ended_on.is_not(None))
    )
    if days is not None:
        started = started.where(Agreement.started_on.in_(days))
        ended = ended.where(Agreement.ended_on.in_(days))
    events = union_all(started, ended).subquery()
    return select(
        events.c.day.label("day"),
        events.c.district_id.label("district_id"),
        _no_office(),
        events.c.sector.label("sector"),
        func.sum(events.c.signed).label("signed"),
        func.sum(events.c.ended).label("ended"),
    ).group_by(events.c.day, events.c.district_id, events.c.sector)


def _pet_source(days: list[dt.date] | None) -> Select:
    """PET courses that started (running or finished), by start day and district, with their
    trainees who started, completed, and went into a job (hired)."""
    keys = (
        Course.start_date.label("day"),
        Course.district_id.label("district_id"),
        cast(literal(None), Course.district_id.type).label("office_id"),
    )
    statement = (
        select(
            *keys,
            func.count(func.distinct(Course.id)).label("courses"),
            count_if(CourseReferral.started_on.is_not(None)).label("started"),
            count_if(CourseReferral.completed_on.is_not(None)).label("completed"),
            count_if(CourseReferral.hired.is_(True)).label("into_work"),
        )
        .select_from(Course)
        .outerjoin(CourseReferral, CourseReferral.course_id == Course.id)
        .where(Course.start_date.is_not(None), Course.status.in_(STARTED_COURSES))
    )
    if days is not None:
        statement = statement.where(Course.start_date.in_(days))
    return statement.group_by(*keys)


# Watching writes ------------------------------------------------------------------------------

VACANCY_MOMENTS = ("live_at", "closed_at")


def _vacancy_days(connection: Connection, record: Any, state: str) -> Iterable[dt.date]:
    """The UK days a vacancy went live and closed, before and after the change. A change
    to anything counted (sector, occupation, district, status) keeps those days, so they
    are read from the row as well, in case the moments were never loaded."""
    found = {
        moment.astimezone(LONDON).date()
        for name in VACANCY_MOMENTS
        for moment in _values(record, name)
    }
    if state == "dirty":
        found |= set(connection.execute(_vacancy_days_of(Vacancy.id == record.id)).scalars())
    return {day for day in found if day is not None}


def _vacancy_days_of(*where: Any) -> Any:
    return union(
        *(
            select(uk_day(getattr(Vacancy, name))).where(
                *where, getattr(Vacancy, name).is_not(None)
            )
            for name in VACANCY_MOMENTS
        )
    )


def _vacancy_days_of_agreement(
    connection: Connection, record: Any, _state: str
) -> Iterable[dt.date]:
    """An agreement made, changed or removed can make its employer's vacancies LEP
    vacancies or not: every day they went live or closed."""
    organisations = _values(record, "organisation_id")
    if not organisations:
        return ()
    return connection.execute(
        _vacancy_days_of(Vacancy.organisation_id.in_(list(organisations)))
    ).scalars()


def _agreement_days(_connection: Connection, record: Any, _state: str) -> Iterable[dt.date]:
    return _values(record, "started_on") | _values(record, "ended_on")


def _agreement_days_of_organisation(
    connection: Connection, record: Any, state: str
) -> Iterable[dt.date]:
    if state == "new" or not _sector_or_district_changed(record, state):
        return ()
    agreements = select(Agreement.started_on, Agreement.ended_on).where(
        Agreement.organisation_id == record.id
    )
    return {day for row in connection.execute(agreements) for day in row if day is not None}


def _sector_or_district_changed(record: Any, state: str) -> bool:
    from sqlalchemy.orm import attributes

    if state == "deleted":
        return True
    return any(
        attributes.get_history(record, name, passive=attributes.PASSIVE_NO_INITIALIZE).has_changes()
        for name in ("sector", "district_id")
    )


def _course_days_of_trainee(connection: Connection, record: Any, _state: str) -> Iterable[dt.date]:
    courses = _values(record, "course_id")
    if not courses:
        return ()
    found = connection.execute(
        select(Course.start_date)
        .where(Course.id.in_(list(courses)), Course.start_date.is_not(None))
        .distinct()
    ).scalars()
    return [day for day in found if day is not None]


def _course_days_of_trainees(where: list[Any]) -> Any:
    return (
        select(Course.start_date)
        .join(CourseReferral, CourseReferral.course_id == Course.id)
        .where(*where)
        .distinct()
    )


VACANCY_WATCHES = (
    Watch(
        Vacancy,
        _vacancy_days,
        bulk=lambda where: _vacancy_days_of(*where),
        moments=VACANCY_MOMENTS,
    ),
    Watch(Agreement, _vacancy_days_of_agreement),
)

LMI_ROLLUPS: tuple[Rollup, ...] = (
    # LEP vacancies going live and closing, by sector (the vacancy's own).
    Rollup(
        "lmi_vacancy_sectors",
        _vacancy_source(Vacancy.sector, "sector"),
        dimensions=("sector",),
        measures=("went_live", "closed"),
        watches=VACANCY_WATCHES,
        office_filter=False,
        read_by_mi=False,
    ),
    # The same by occupation, as the employer typed it (ignoring case).
    Rollup(
        "lmi_vacancy_occupations",
        _vacancy_source(occupation_key(), "occupation"),
        dimensions=("occupation",),
        measures=("went_live", "closed"),
        watches=VACANCY_WATCHES,
        office_filter=False,
        read_by_mi=False,
    ),
    # LEP vacancies closed: filled or not, and the days each filled one took.
    Rollup(
        "lmi_vacancy_fills",
        _fill_source,
        dimensions=("days",),
        measures=("closed", "filled", "fill_days"),
        watches=VACANCY_WATCHES,
        office_filter=False,
        read_by_mi=False,
    ),
    # Employers' LEP agreements starting and ending, by the employer's sector.
    Rollup(
        "lmi_employers",
        _employer_source,
        dimensions=("sector",),
        measures=("signed", "ended"),
        watches=(
            Watch(
                Agreement,
                _agreement_days,
                bulk=lambda where: union(
                    select(Agreement.started_on).where(*where),
                    select(Agreement.ended_on).where(*where, Agreement.ended_on.is_not(None)),
                ),
            ),
            Watch(Organisation, _agreement_days_of_organisation),
        ),
        office_filter=False,
        read_by_mi=False,
    ),
    # PET courses starting, with their trainees' starts, completions and jobs.
    Rollup(
        "lmi_pet_courses",
        _pet_source,
        dimensions=(),
        measures=("courses", "started", "completed", "into_work"),
        watches=(
            Watch(
                Course,
                own_day("start_date"),
                bulk=lambda where: select(Course.start_date).where(*where).distinct(),
                day="start_date",
            ),
            Watch(CourseReferral, _course_days_of_trainee, bulk=_course_days_of_trainees),
        ),
        office_filter=False,
        read_by_mi=False,
    ),
)

LMI_NAMES = tuple(rollup.name for rollup in LMI_ROLLUPS)
