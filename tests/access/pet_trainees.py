"""Access rows for PET trainees: district staff refer and follow trainees; the course's training
provider decides referrals and records starts, leavers, attendance and completion; the employer
on the course reviews its cohort, books interviews and hires; administrators and TPPMs manage
training providers. Object-level isolation is in tests/web/test_pet_trainees*.py."""

from __future__ import annotations

import datetime as dt

from app import clock
from app.accounts.models import Office
from app.extensions import db
from app.pet.models import CourseReferral, TraineeStatus
from tests.access.core import EMPLOYER, Route, World, fixed

REFERRERS = frozenset({"adviser", "lmra", "dam", "tppm"})
DISTRICT_STAFF = REFERRERS | {"coordinator"}
FOLLOWERS = DISTRICT_STAFF | {"provider"}
PROVIDER = frozenset({"provider"})
COHORT_READERS = DISTRICT_STAFF | EMPLOYER
PROVIDER_MANAGERS = frozenset({"admin", "tppm"})


def _course(suffix: str = ""):
    return lambda world: f"/courses/{world.records['trainee_course'].id}{suffix}"


def _trainee(suffix: str = "", key: str = "trainee"):
    return lambda world: (
        f"/courses/{world.records['trainee_course'].id}/trainees/{world.records[key].id}{suffix}"
    )


def _provider(suffix: str = ""):
    return lambda world: f"/training-providers/{world.records['trainee_provider'].id}{suffix}"


ROUTES: dict[str, Route] = {
    "pet.refer_trainee": Route("GET", _course("/trainees/new"), REFERRERS),
    "pet.jsa_exceptions": Route("GET", _course("/jsa-exceptions"), frozenset({"coordinator"})),
    "pet.trainees": Route("GET", _course("/trainees"), FOLLOWERS),
    "pet.trainee": Route("GET", _trainee(), FOLLOWERS),
    # The trainee is accepted: deciding again is refused with a message (302).
    "pet.decide_trainee": Route("POST", _trainee("/decision"), PROVIDER),
    # No date: the trainee's page again with the error (200).
    "pet.trainee_start": Route("POST", _trainee("/start"), PROVIDER),
    # Not started: refused with a message (302).
    "pet.trainee_leaver": Route("POST", _trainee("/leaver"), PROVIDER),
    "pet.trainee_completion": Route("POST", _trainee("/completion"), PROVIDER),
    "pet.trainee_returned": Route("POST", _trainee("/returned"), PROVIDER),
    "pet.attendance": Route(
        "POST",
        _trainee("/attendance", key="trainee_completed"),
        PROVIDER,
        {"week": "1", "hours": "24"},
    ),
    "pet.cohort": Route("GET", _course("/cohort"), COHORT_READERS),
    # Nobody chosen: the cohort again with the errors (200).
    "pet.book_interviews": Route("POST", _course("/cohort/interviews"), EMPLOYER),
    "pet.hire": Route(
        "GET",
        lambda world: (
            f"/courses/{world.records['trainee_course'].id}/cohort/"
            f"{world.records['trainee_completed'].id}/hire"
        ),
        EMPLOYER,
    ),
    "pet.cohort_summary": Route("GET", fixed("/pet-summary"), COHORT_READERS),
    "pet.providers": Route("GET", fixed("/training-providers"), PROVIDER_MANAGERS),
    "pet.new_provider": Route("GET", fixed("/training-providers/new"), PROVIDER_MANAGERS),
    "pet.provider": Route("GET", _provider(), PROVIDER_MANAGERS),
    "pet.invite_provider_user": Route("GET", _provider("/users/new"), PROVIDER_MANAGERS),
}


def build(world: World) -> None:
    """A course of the organisation's district with the organisation on it and the provider
    user's provider delivering it (its own course: not relying on other areas' builds); a
    consented priority group 1 customer referred and accepted, and another who completed.
    The district's staff work there, and the provider belongs to the district."""
    from tests.customer_factories import CustomerFactory
    from tests.pet_factories import CourseFactory

    district = world.organisation.district
    office = None
    for role in sorted(DISTRICT_STAFF):
        user = world.users[role]
        if user.district_id != district.id:
            user.district = district
        if user.office is None or user.office.district_id != district.id:
            if office is None:
                office = Office(name="Trainees access office", district=district)
                db.session.add(office)
            user.office = office
    provider = world.users["provider"].provider
    provider.district = district
    db.session.flush()
    started = clock.today() - dt.timedelta(days=21)
    course = CourseFactory(
        district=district,
        provider=provider,
        created_by=world.users["dam"],
        employers=[world.organisation],
        start_date=started,
    )
    adviser = world.users["adviser"]
    accepted = CourseReferral(
        course=course,
        customer=CustomerFactory(adviser=adviser, district=district, lone_parent=True),
        referred_by=adviser,
        owning_provider="Jobcentre Plus",
        status=TraineeStatus.ACCEPTED,
    )
    completed = CourseReferral(
        course=course,
        customer=CustomerFactory(adviser=adviser, district=district, lone_parent=True),
        referred_by=adviser,
        owning_provider="Jobcentre Plus",
        status=TraineeStatus.COMPLETED,
        started_on=started,
        completed_on=started + dt.timedelta(days=11),
    )
    db.session.add_all([accepted, completed])
    db.session.flush()
    world.records["trainee_course"] = course
    world.records["trainee"] = accepted
    world.records["trainee_completed"] = completed
    world.records["trainee_provider"] = provider
