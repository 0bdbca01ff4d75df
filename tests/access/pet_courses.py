"""Access rows for PET course design and delivery plans: staff of the course's district see
its courses and a DAM or TPPM designs them (and invites a sector course's employers);
employers on a course read it and comment, and answer an invitation; the course's provider
users read it. Object-level isolation is in tests/web/test_pet_courses*.py and
tests/web/test_pet_sector_courses.py.
"""

from __future__ import annotations

import datetime as dt

from app.accounts.models import Office
from app.extensions import db
from app.pet.models import (
    ActionPoint,
    CourseComment,
    CourseEmployer,
    CourseEmployerStatus,
    CourseModel,
    DeliveryPlan,
)
from tests.access.core import EMPLOYER, Route, World, fixed

VIEWERS = frozenset({"dam", "tppm", "coordinator", "adviser", "lmra", "employer", "provider"})
DESIGNERS = frozenset({"dam", "tppm"})
DISTRICT_STAFF = ("dam", "tppm", "coordinator", "adviser", "lmra")


def _course(suffix: str = ""):
    return lambda world: f"/courses/{world.records['course'].id}{suffix}"


def _module(suffix: str):
    return lambda world: (
        f"/courses/{world.records['course'].id}/modules/{world.records['course_module'].id}{suffix}"
    )


ROUTES: dict[str, Route] = {
    "pet.courses": Route("GET", fixed("/courses"), VIEWERS),
    "pet.new_course": Route("GET", fixed("/courses/new"), DESIGNERS),
    "pet.course": Route("GET", _course(), VIEWERS),
    "pet.edit_course": Route("GET", _course("/edit"), DESIGNERS),
    # No module details: the course page again with the errors (200).
    "pet.add_module": Route("POST", _course("/modules"), DESIGNERS),
    "pet.edit_module": Route("GET", _module("/edit"), DESIGNERS),
    "pet.remove_module": Route("POST", _module("/remove"), DESIGNERS),
    "pet.move_module": Route("POST", _module("/move"), DESIGNERS, {"direction": "down"}),
    "pet.invite_employer": Route("GET", _course("/invitations"), DESIGNERS),
    "pet.answer_invitation": Route(
        "GET", lambda world: f"/courses/{world.records['invited_course'].id}/invitation", EMPLOYER
    ),
    # No comment: the course page again with an error (200).
    "pet.comment": Route("POST", _course("/comments"), EMPLOYER),
    "pet.resolve_comment": Route(
        "POST",
        lambda world: (
            f"/courses/{world.records['course'].id}/comments/"
            f"{world.records['course_comment'].id}/resolve"
        ),
        DESIGNERS,
    ),
    "pet.plan": Route("GET", _course("/delivery-plan"), DESIGNERS),
    # No action details: the plan page again with the errors (200).
    "pet.add_action": Route("POST", _course("/delivery-plan/actions"), DESIGNERS),
    # Only its owner (the TPPM) or the course's DAM or TPPM: anyone else gets a 404.
    "pet.complete_action": Route(
        "POST", lambda world: f"/actions/{world.records['course_action'].id}/done", VIEWERS
    ),
    "pet.finalise_plan": Route("POST", _course("/delivery-plan/finalise"), DESIGNERS),
    # Not finalised: back to the plan (302).
    "pet.reopen_plan": Route("POST", _course("/delivery-plan/reopen"), DESIGNERS),
    "pet.print_plan": Route("GET", _course("/delivery-plan/print"), VIEWERS),
}


def build(world: World) -> None:
    """A sector course of the organisation's district, with the organisation on it and the
    provider user's provider delivering it; a module, the employer's proposed change, and a
    delivery plan with an action point the TPPM owns; and a sector course the organisation
    is invited to. The district's staff work there."""
    from tests.pet_factories import CourseFactory

    district = world.organisation.district
    office = None
    for role in DISTRICT_STAFF:
        user = world.users[role]
        if user.district_id != district.id:
            user.district = district
        if user.office is None or user.office.district_id != district.id:
            if office is None:
                office = Office(name="Courses access office", district=district)
                db.session.add(office)
            user.office = office
    db.session.flush()
    course = CourseFactory(
        model=CourseModel.SECTOR,
        district=district,
        provider=world.users["provider"].provider,
        created_by=world.users["dam"],
        employers=[world.organisation],
    )
    comment = CourseComment(
        course_id=course.id,
        author_id=world.users["employer"].id,
        body="Could week 2 include our till system?",
        proposes_change=True,
    )
    plan = DeliveryPlan(
        course_id=course.id,
        meeting_date=dt.date(2027, 1, 5),
        attendees=[
            {"name": "Erin Employer", "email": "erin@example.org", "party": "employer"},
            {"name": "Tom TPPM", "email": "tom@example.org", "party": "district"},
            {"name": "Pat Provider", "email": "pat@example.org", "party": "provider"},
            {"name": "Cam Commissioning", "email": "cam@example.org", "party": "commissioning"},
        ],
        measures_agreed="Guaranteed interviews for completers.",
        roles_and_responsibilities="The provider delivers; the district refers.",
        suitability_criteria="Happy to work weekends.",
        single_point_of_contact_id=world.users["tppm"].id,
        update_frequency="Every Friday by email",
    )
    db.session.add_all([comment, plan])
    db.session.flush()
    action = ActionPoint(
        plan_id=plan.id,
        description="Book the training room",
        owner_id=world.users["tppm"].id,
        due_on=dt.date(2027, 1, 8),
    )
    db.session.add(action)
    db.session.flush()
    # Another sector course, which the organisation is invited to and has not answered.
    invited = CourseFactory(
        model=CourseModel.SECTOR,
        sector="hospitality",
        district=district,
        provider=world.users["provider"].provider,
        created_by=world.users["tppm"],
        employers=[],
    )
    db.session.add(
        CourseEmployer(
            course_id=invited.id,
            organisation_id=world.organisation.id,
            status=CourseEmployerStatus.INVITED,
            guaranteed_interviews=2,
        )
    )
    db.session.flush()
    world.records["invited_course"] = invited
    world.records["course"] = course
    world.records["course_module"] = course.modules[0]
    world.records["course_comment"] = comment
    world.records["course_plan"] = plan
    world.records["course_action"] = action
