"""A world for the local labour market tests: districts in two nations, employers with and
without LEP agreements (one made after some of its vacancies went live, one ended), a year
and more of vacancies going live, filled and withdrawn at moments either side of UK midnight,
and PET courses with trainees; drawn from a seed, so a larger world is the same shape.

`expected_*` count the figures again from the records, in Python, independently of the
rollups and their SQL."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from app.agreements.models import Agreement, AgreementStatus
from app.clock import LONDON
from app.extensions import db
from app.lmi.rules import Window
from app.pet.models import Course, CourseReferral, CourseStatus
from app.vacancies.models import Vacancy, VacancyStatus
from tests.factories import DistrictFactory, OrganisationFactory, nation
from tests.outcome_factories import customer_in, staff_in
from tests.pet_factories import CourseFactory
from tests.vacancy_factories import VacancyFactory

TODAY = dt.date(2026, 6, 15)
SECTORS = ("retail", "hospitality", "social_care", "warehousing")
OCCUPATIONS = ("Sales assistant", "sales assistant ", "Chef", "", "=Cook", "Care worker")


@dataclass
class LmiWorld:
    districts: list
    organisations: list
    vacancies: list[Vacancy] = field(default_factory=list)
    agreements: list[Agreement] = field(default_factory=list)
    courses: list[Course] = field(default_factory=list)
    trainees: list[CourseReferral] = field(default_factory=list)


def _moment(chance: random.Random) -> dt.datetime:
    """A moment from May 2025 to mid-June 2026, often close to UK midnight."""
    day = dt.date(2025, 5, 1) + dt.timedelta(days=chance.randint(0, 410))
    hour, minute = chance.choice([(23, 30), (0, 30), (12, 0), (22, 59), (23, 59)])
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=dt.UTC)


def lmi_world(seed: int = 1, scale: int = 1) -> LmiWorld:
    chance = random.Random(seed)
    wales = nation("wales")
    first, second = DistrictFactory(), DistrictFactory()
    third = DistrictFactory(nation_code=wales.code)
    districts = [first, second, third]
    organisations = [
        OrganisationFactory(district=districts[number % 3], sector=SECTORS[number % 4])
        for number in range(5)
    ]
    world = LmiWorld(districts, organisations)
    # An agreement long in force; one made in March 2026; one ended in February 2026; one
    # in Wales; the fifth employer has none.
    for organisation, started, ended in (
        (organisations[0], dt.date(2024, 1, 10), None),
        (organisations[1], dt.date(2026, 3, 2), None),
        (organisations[2], dt.date(2024, 6, 1), dt.date(2026, 2, 14)),
        (organisations[3], dt.date(2025, 1, 1), None),
    ):
        agreement = Agreement(
            organisation_id=organisation.id,
            status=AgreementStatus.ACTIVE if ended is None else AgreementStatus.ENDED,
            started_on=started,
            ended_on=ended,
        )
        db.session.add(agreement)
        world.agreements.append(agreement)
    for _number in range(60 * scale):
        organisation = chance.choice(organisations)
        live_at = _moment(chance)
        submitted_at = live_at - dt.timedelta(days=chance.randint(0, 3), hours=2)
        status = chance.choice(
            [
                VacancyStatus.LIVE,
                VacancyStatus.FILLED,
                VacancyStatus.FILLED,
                VacancyStatus.WITHDRAWN,
            ]
        )
        closed_at = None
        if status is not VacancyStatus.LIVE:
            closed_at = live_at + dt.timedelta(days=chance.randint(0, 80), minutes=30)
        world.vacancies.append(
            VacancyFactory(
                organisation=organisation,
                status=status,
                sector=chance.choice(SECTORS),
                occupation=chance.choice(OCCUPATIONS),
                submitted_at=submitted_at,
                created_at=submitted_at,
                live_at=live_at,
                closed_at=closed_at,
            )
        )
    staff = staff_in(first)
    customers = [customer_in(first) for _number in range(3)]
    for number in range(4 * scale):
        course = CourseFactory(
            district=districts[number % 2],
            status=chance.choice(
                [CourseStatus.RUNNING, CourseStatus.FINISHED, CourseStatus.CANCELLED]
            ),
            start_date=dt.date(2025, 6, 1) + dt.timedelta(days=chance.randint(0, 370)),
            employers=[],
            modules=False,
        )
        world.courses.append(course)
        for customer in customers:
            trainee = CourseReferral(
                course_id=course.id,
                customer_id=customer.id,
                referred_by_id=staff.id,
                started_on=course.start_date if chance.random() < 0.8 else None,
                completed_on=course.start_date + dt.timedelta(days=10)
                if chance.random() < 0.6
                else None,
                hired=chance.random() < 0.4,
            )
            db.session.add(trainee)
            world.trainees.append(trainee)
    db.session.flush()
    return world


def uk_day(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def in_place(district_id, district_ids: set) -> bool:
    return district_id in district_ids


def lep(world: LmiWorld, vacancy: Vacancy) -> bool:
    day = uk_day(vacancy.live_at)
    return any(
        agreement.organisation_id == vacancy.organisation_id
        and agreement.started_on <= day
        and (agreement.ended_on is None or agreement.ended_on > day)
        for agreement in world.agreements
    )


def month_of(window: Window, day: dt.date) -> int | None:
    for number, month in enumerate(window.months):
        if month.first <= day <= month.last:
            return number
    return None


def expected_going_live(world: LmiWorld, window: Window, places: set, key) -> list[dict]:
    """Per month, LEP vacancies that went live there, counted by `key(vacancy)`."""
    months: list[dict] = [{} for _month in window.months]
    for vacancy in world.vacancies:
        at = month_of(window, uk_day(vacancy.live_at))
        if at is None or vacancy.district_id not in places or not lep(world, vacancy):
            continue
        months[at][key(vacancy)] = months[at].get(key(vacancy), 0) + 1
    return months


def _tenth(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def expected_fills(world: LmiWorld, window: Window, places: set) -> list[dict]:
    months = [{"closed": 0, "filled": 0, "days": []} for _month in window.months]
    for vacancy in world.vacancies:
        if vacancy.closed_at is None or vacancy.district_id not in places:
            continue
        at = month_of(window, uk_day(vacancy.closed_at))
        if at is None or not lep(world, vacancy):
            continue
        months[at]["closed"] += 1
        if vacancy.status is VacancyStatus.FILLED:
            months[at]["filled"] += 1
            took = (uk_day(vacancy.closed_at) - uk_day(vacancy.submitted_at)).days
            months[at]["days"].append(max(0, took))
    for entry in months:
        days = entry["days"]
        entry["mean"] = _tenth(sum(days) / len(days)) if days else None
        entry["median"] = _tenth(statistics.median(days)) if days else None
    return months


def expected_employers(world: LmiWorld, day: dt.date, places: set) -> dict[str, int]:
    """Employers with an agreement in force at the end of `day`, by sector."""
    found: dict[str, int] = {}
    for agreement in world.agreements:
        organisation = next(o for o in world.organisations if o.id == agreement.organisation_id)
        if organisation.district_id not in places or agreement.started_on > day:
            continue
        if agreement.ended_on is not None and agreement.ended_on <= day:
            continue
        found[organisation.sector] = found.get(organisation.sector, 0) + 1
    return found


def expected_pet(world: LmiWorld, window: Window, places: set) -> list[dict]:
    months = [
        {"courses": 0, "started": 0, "completed": 0, "into_work": 0} for _month in window.months
    ]
    for course in world.courses:
        if course.status not in (CourseStatus.RUNNING, CourseStatus.FINISHED):
            continue
        at = month_of(window, course.start_date)
        if at is None or course.district_id not in places:
            continue
        months[at]["courses"] += 1
        for trainee in world.trainees:
            if trainee.course_id == course.id:
                months[at]["started"] += trainee.started_on is not None
                months[at]["completed"] += trainee.completed_on is not None
                months[at]["into_work"] += bool(trainee.hired)
    return months
