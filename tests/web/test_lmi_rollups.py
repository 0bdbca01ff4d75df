"""The local labour market rollups against live counts: random sequences of the writes they
depend on (vacancies going live, closing, moving; employers' agreements made, ended, moved;
employers changing sector; PET courses and trainees), with refreshes in between, leave every
rollup equal to the same count taken from the records (the check of tests/web/test_rollups.py,
whose own writes are the MI's).

They are kept by month: the writes fall either side of month ends at UK midnight (in GMT and
in summer time), and the clock stops in the middle of March and moves on (across the end of
the month too), so some days are still to come when counted (an agreement dated ahead).

On PostgreSQL too with TEST_DATABASE_URL.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update

from app import clock
from app.agreements.models import Agreement, AgreementStatus
from app.extensions import db
from app.lmi.queries import Place, Scope, _read
from app.lmi.rules import last_months
from app.pet.models import Course, CourseReferral, CourseStatus
from app.reports import rollups
from app.reports.lmi_rollups import LMI_NAMES
from app.reports.models import RollupCount, RollupDirty, RollupState
from app.vacancies.models import Vacancy, VacancyStatus
from tests.factories import DistrictFactory, OrganisationFactory
from tests.helpers import freeze_clock, sequences_of
from tests.outcome_factories import customer_in, staff_in
from tests.pet_factories import CourseFactory
from tests.rollup_checks import assert_rollups_match_live_counts
from tests.vacancy_factories import VacancyFactory

DAY = dt.date(2026, 3, 1)
ORGANISATIONS, CUSTOMERS = 2, 2
# Moments either side of UK midnight, in GMT and in British Summer Time (from 29 March 2026),
# and either side of the end of February (GMT) and of March (BST).
MOMENTS = [
    dt.datetime(2026, 2, 27, 9, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 1, 23, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 2, 0, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 29, 23, 30, tzinfo=dt.UTC),
    dt.datetime(2026, 3, 30, 12, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 2, 28, 23, 30, tzinfo=dt.UTC),  # 28 February in the UK
    dt.datetime(2026, 3, 1, 0, 30, tzinfo=dt.UTC),  # 1 March
    dt.datetime(2026, 3, 31, 22, 30, tzinfo=dt.UTC),  # 31 March (23:30 BST)
    dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC),  # 1 April (00:30 BST)
]
moments = st.sampled_from(MOMENTS)
maybe_moment = st.sampled_from([None, *MOMENTS])
# Days from DAY: either side of each month's end more often than the rest.
days = st.one_of(st.sampled_from([-1, 0, 30, 31]), st.integers(min_value=-2, max_value=31))
# "Today" when an example starts (20 March: the end of March still to come), and how far a
# "tick" moves it on: a day, to 30 March, or to 2 April (the month's end behind it).
START = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)
ticks = st.sampled_from([1, 10, 13])
index = st.integers(min_value=0, max_value=2)
sectors = st.sampled_from(["retail", "hospitality", "social_care"])
occupations = st.sampled_from(["", "Sales assistant", "sales assistant ", "Chef"])
closures = st.sampled_from([VacancyStatus.FILLED, VacancyStatus.WITHDRAWN, VacancyStatus.LIVE])

WRITES = st.one_of(
    st.tuples(
        st.just("add_vacancy"),
        st.integers(0, ORGANISATIONS - 1),
        maybe_moment,
        moments,
        sectors,
        occupations,
    ),
    st.tuples(st.just("close_vacancy"), index, closures, moments),
    # A compare-and-set UPDATE through the session, as vacancies.services does.
    st.tuples(st.just("set_vacancy"), index, closures, moments),
    st.tuples(st.just("change_vacancy"), index, sectors, occupations, st.booleans()),
    st.tuples(st.just("delete_vacancy"), index),
    st.tuples(
        st.just("add_agreement"),
        st.integers(0, ORGANISATIONS - 1),
        days,
        st.one_of(st.none(), days),
    ),
    st.tuples(st.just("end_agreement"), index, days),
    st.tuples(st.just("move_agreement"), index, days),
    st.tuples(st.just("delete_agreement"), index),
    st.tuples(st.just("resector"), st.integers(0, ORGANISATIONS - 1), sectors),
    st.tuples(st.just("add_course"), st.sampled_from(list(CourseStatus)), days),
    st.tuples(st.just("change_course"), index, st.sampled_from(list(CourseStatus)), days),
    st.tuples(
        st.just("add_trainee"),
        index,
        st.integers(0, CUSTOMERS - 1),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    ),
    # The provider's steps are conditional UPDATEs (pet.trainees.services._move).
    st.tuples(st.just("hire_trainee"), index),
    st.tuples(st.just("complete_trainee"), index, days),
    st.tuples(st.just("delete_trainee"), index),
    st.tuples(st.just("refresh")),
    st.tuples(st.just("tick"), ticks),
)


@pytest.fixture(autouse=True)
def frozen(monkeypatch) -> None:
    freeze_clock(monkeypatch, START)


class World:
    def __init__(self) -> None:
        first, second = DistrictFactory(), DistrictFactory()
        self.organisations = [
            OrganisationFactory(district=first, sector="retail"),
            OrganisationFactory(district=second, sector="hospitality"),
        ]
        self.customers = [customer_in(first), customer_in(second)]
        self.staff = staff_in(first)
        self.district = first
        db.session.flush()


def _nth(model, position: int):
    found = list(db.session.scalars(select(model).order_by(model.created_at, model.id)))
    return found[position] if position < len(found) else None


def _apply_vacancy(world: World, kind: str, args: list) -> None:
    if kind == "add_vacancy":
        organisation_index, live_at, submitted_at, sector, occupation = args
        VacancyFactory(
            organisation=world.organisations[organisation_index],
            status=VacancyStatus.LIVE if live_at else VacancyStatus.SUBMITTED,
            submitted_at=submitted_at,
            live_at=live_at,
            sector=sector,
            occupation=occupation,
        )
        return
    vacancy = _nth(Vacancy, args[0])
    if vacancy is None:
        return
    if kind == "close_vacancy":
        status, moment = args[1:]
        vacancy.status = status
        vacancy.closed_at = None if status is VacancyStatus.LIVE else moment
    elif kind == "set_vacancy":
        status, moment = args[1:]
        db.session.execute(
            update(Vacancy)
            .where(Vacancy.id == vacancy.id, Vacancy.status != status)
            .values(status=status, closed_at=None if status is VacancyStatus.LIVE else moment)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(vacancy)
    elif kind == "change_vacancy":
        sector, occupation, move = args[1:]
        vacancy.sector, vacancy.occupation = sector, occupation
        if move:
            vacancy.district_id = world.organisations[1].district_id
    elif kind == "delete_vacancy":
        db.session.delete(vacancy)


def _apply_agreement(world: World, kind: str, args: list) -> None:
    if kind == "add_agreement":
        organisation_index, started, ended = args
        db.session.add(
            Agreement(
                organisation_id=world.organisations[organisation_index].id,
                status=AgreementStatus.ACTIVE if ended is None else AgreementStatus.ENDED,
                started_on=DAY + dt.timedelta(days=started),
                ended_on=None if ended is None else DAY + dt.timedelta(days=ended),
            )
        )
        return
    if kind == "resector":
        world.organisations[args[0]].sector = args[1]
        return
    agreement = _nth(Agreement, args[0])
    if agreement is None:
        return
    if kind == "end_agreement":
        agreement.status = AgreementStatus.ENDED
        agreement.ended_on = DAY + dt.timedelta(days=args[1])
    elif kind == "move_agreement":
        agreement.started_on = DAY + dt.timedelta(days=args[1])
    elif kind == "delete_agreement":
        db.session.delete(agreement)


def _apply_pet(world: World, kind: str, args: list) -> None:
    if kind == "add_course":
        status, start = args
        CourseFactory(
            district=world.district,
            status=status,
            start_date=DAY + dt.timedelta(days=start),
            employers=[],
            modules=False,
        )
        return
    if kind == "change_course":
        course = _nth(Course, args[0])
        if course is not None:
            course.status, course.start_date = args[1], DAY + dt.timedelta(days=args[2])
        return
    if kind == "add_trainee":
        course = _nth(Course, args[0])
        customer = world.customers[args[1]]
        if course is None or db.session.scalar(
            select(CourseReferral.id).where(
                CourseReferral.course_id == course.id, CourseReferral.customer_id == customer.id
            )
        ):
            return
        started, completed, hired = args[2:]
        db.session.add(
            CourseReferral(
                course_id=course.id,
                customer_id=customer.id,
                referred_by_id=world.staff.id,
                started_on=DAY if started else None,
                completed_on=DAY + dt.timedelta(days=10) if completed else None,
                hired=hired,
            )
        )
        return
    trainee = _nth(CourseReferral, args[0])
    if trainee is None:
        return
    if kind == "hire_trainee":
        db.session.execute(
            update(CourseReferral)
            .where(CourseReferral.id == trainee.id, CourseReferral.hired.is_(False))
            .values(hired=True)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(trainee)
    elif kind == "complete_trainee":
        db.session.execute(
            update(CourseReferral)
            .where(CourseReferral.id == trainee.id)
            .values(started_on=DAY, completed_on=DAY + dt.timedelta(days=args[1]))
            .execution_options(synchronize_session=False)
        )
        db.session.expire(trainee)
    elif kind == "delete_trainee":
        db.session.delete(trainee)


def _apply(world: World, write: tuple) -> None:
    kind, *args = write
    if kind.endswith("_vacancy"):
        _apply_vacancy(world, kind, args)
    elif kind.endswith("_agreement") or kind == "resector":
        _apply_agreement(world, kind, args)
    elif kind.endswith(("_course", "_trainee")):
        _apply_pet(world, kind, args)
    elif kind == "refresh":
        rollups.refresh(db.session)
    elif kind == "tick":
        clock.set_frozen(clock.now() + dt.timedelta(days=args[0]))
    db.session.flush()
    # A millisecond a write: records made one after another keep their order (`_nth`).
    clock.set_frozen(clock.now() + dt.timedelta(milliseconds=1))


@pytest.mark.usefixtures("app")
def test_every_lmi_rollup_equals_a_live_count_after_any_sequence_of_writes():
    world = World()
    # Only what this test writes: on PostgreSQL the worker's schema outlives a test.
    rollups.refresh(db.session, full=True)

    @sequences_of(WRITES, examples=100)
    # A vacancy goes live with an agreement in force, fills; the agreement then moves later
    # than the day it went live, so it is no longer a LEP vacancy.
    @example(
        [
            ("add_agreement", 0, -1, None),
            ("add_vacancy", 0, MOMENTS[1], MOMENTS[0], "retail", "Sales assistant"),
            ("refresh",),
            ("set_vacancy", 0, VacancyStatus.FILLED, MOMENTS[4]),
            ("refresh",),
            ("move_agreement", 0, 5),
        ]
    )
    @example(
        [
            ("add_agreement", 1, 0, None),
            ("resector", 1, "social_care"),
            ("refresh",),
            ("end_agreement", 0, 3),
            ("add_course", CourseStatus.RUNNING, 2),
            ("add_trainee", 0, 0, True, False, False),
            ("refresh",),
            ("hire_trainee", 0),
            ("change_course", 0, CourseStatus.FINISHED, 4),
        ]
    )
    # Either side of month ends, some days still to come; then the clock passes the end of
    # March and a write recounts February and March, but not the course's month, whose
    # course on 31 March keeps its own row until it is recounted.
    @example(
        [
            ("add_agreement", 0, -30, None),
            ("add_vacancy", 0, MOMENTS[5], MOMENTS[0], "retail", "Chef"),
            ("add_vacancy", 0, MOMENTS[8], MOMENTS[0], "retail", "Chef"),
            ("add_course", CourseStatus.RUNNING, 30),
            ("add_agreement", 1, 31, None),
            ("refresh",),
            ("tick", 13),
            ("close_vacancy", 0, VacancyStatus.FILLED, MOMENTS[6]),
            ("refresh",),
            ("change_course", 0, CourseStatus.FINISHED, 31),
        ]
    )
    # A conditional UPDATE alone after a refresh: it must mark its course's day itself.
    @example(
        [
            ("add_course", CourseStatus.RUNNING, 2),
            ("add_trainee", 0, 0, True, False, False),
            ("refresh",),
            ("hire_trainee", 0),
        ]
    )
    def sequence(writes: list[tuple]) -> None:
        savepoint = db.session.begin_nested()
        try:
            with clock.freeze(START):
                for write in writes:
                    _apply(world, write)
                rollups.refresh(db.session)
                assert_rollups_match_live_counts()
                assert db.session.scalar(select(func.count(RollupDirty.id))) == 0
        finally:
            savepoint.rollback()
            db.session.expire_all()

    sequence()


@pytest.mark.usefixtures("app")
def test_a_vacancy_closing_marks_only_the_labour_market_rollups_for_its_day():
    world = World()
    db.session.add(
        Agreement(
            organisation_id=world.organisations[0].id,
            status=AgreementStatus.ACTIVE,
            started_on=DAY - dt.timedelta(days=30),
        )
    )
    _apply(world, ("add_vacancy", 0, MOMENTS[1], MOMENTS[0], "retail", "Chef"))
    rollups.refresh(db.session)
    db.session.execute(delete(RollupDirty))
    vacancy = _nth(Vacancy, 0)
    vacancy.status, vacancy.closed_at = VacancyStatus.FILLED, MOMENTS[4]
    db.session.flush()
    marked = set(db.session.execute(select(RollupDirty.rollup, RollupDirty.day)).all())
    vacancy_rollups = {"lmi_vacancy_sectors", "lmi_vacancy_occupations", "lmi_vacancy_fills"}
    assert {name for name, _day in marked} == vacancy_rollups
    assert {day for _name, day in marked} == {dt.date(2026, 3, 1), dt.date(2026, 3, 30)}
    assert set(LMI_NAMES) >= vacancy_rollups
    rollups.refresh(db.session)
    assert_rollups_match_live_counts()


def _course_rows(world: World) -> dict[dt.date, tuple[int, int]]:
    """The PET courses' stored rows in the world's district: courses and trainees started."""
    return {
        day: (courses, started)
        for day, courses, started in db.session.execute(
            select(RollupCount.day, RollupCount.value_1, RollupCount.value_2).where(
                RollupCount.rollup == "lmi_pet_courses",
                RollupCount.district_id == world.district.id,
            )
        )
    }


def _courses_read(world: World) -> dict[int, int]:
    """The courses the page reads for the world's district, by month of the window (1-12)."""
    place = Place(str(world.district.id), "", district_id=world.district.id)
    rows = _read(Scope(place, last_months(clock.today())))
    return {row["month"]: row["values"][0] for row in rows if row["rollup"] == "lmi_pet_courses"}


@pytest.mark.usefixtures("app")
def test_a_mark_on_one_day_recounts_its_month_and_days_to_come_keep_their_own_rows():
    world = World()
    march, april = dt.date(2026, 3, 1), dt.date(2026, 4, 1)
    # Today is 20 March: courses on 2 March, and on 31 March and 1 April, still to come.
    for offset in (1, 30, 31):
        _apply(world, ("add_course", CourseStatus.RUNNING, offset))
    rollups.refresh(db.session)
    assert _course_rows(world) == {march: (1, 0), dt.date(2026, 3, 31): (1, 0), april: (1, 0)}
    assert _courses_read(world) == {12: 1}
    # A trainee on the course of 2 March marks that day: its month is recounted whole.
    _apply(world, ("add_trainee", 0, 0, True, False, False))
    assert rollups.refresh(db.session)["lmi_pet_courses"] == 1
    assert _course_rows(world) == {march: (1, 1), dt.date(2026, 3, 31): (1, 0), april: (1, 0)}
    # Past the end of March (2 April), a course on 3 March: March is recounted, and its
    # course of 31 March is in the month's row now; April's row stays until April is.
    _apply(world, ("tick", 13))
    _apply(world, ("add_course", CourseStatus.RUNNING, 2))
    assert rollups.refresh(db.session)["lmi_pet_courses"] == 1
    assert _course_rows(world) == {march: (3, 1), april: (1, 0)}
    assert _courses_read(world) == {11: 3, 12: 1}
    assert_rollups_match_live_counts()


@pytest.mark.usefixtures("app")
def test_counts_an_earlier_version_kept_by_day_are_recounted_by_month():
    world = World()
    _apply(world, ("add_course", CourseStatus.RUNNING, 1))
    _apply(world, ("add_course", CourseStatus.FINISHED, 3))
    rollups.refresh(db.session)
    # As version 1 kept them, by day, and never marked again.
    db.session.execute(delete(RollupCount).where(RollupCount.rollup == "lmi_pet_courses"))
    for offset in (1, 3):
        db.session.add(
            RollupCount(
                rollup="lmi_pet_courses",
                day=DAY + dt.timedelta(days=offset),
                district_id=world.district.id,
                key="",
                value_1=1,
            )
        )
    db.session.execute(
        update(RollupState).where(RollupState.rollup == "lmi_pet_courses").values(version=1)
    )
    recounted = rollups.refresh(db.session)
    assert recounted["lmi_pet_courses"] == -1 and recounted["lmi_employers"] == 0
    assert _course_rows(world) == {DAY: (2, 0)}
    assert db.session.get(RollupState, "lmi_pet_courses").version == 2
    assert_rollups_match_live_counts()
