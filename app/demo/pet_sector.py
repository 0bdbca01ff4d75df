"""The demo's sector course: the Leeds TPPM designs a hospitality course from the toolkit and
invites three SMEs of the sector, who join with the guaranteed interviews they offer; the
delivery plan is agreed, six customers are referred, five complete and are allotted to the
employers in proportion to their offers, one leaves early, and Kirkgate Bakery interviews its
completers and hires one. Made through the areas' services, so statuses, events, emails,
guarantees and the job outcome are as the portal writes them.

Idempotent: a course with the demo title already there is left as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import EmployerMembership, Organisation
from app.auth.models import User
from app.clock import LONDON, today
from app.customers.models import Customer
from app.extensions import db
from app.guarantees.models import Guarantee
from app.pet.courses import services as courses
from app.pet.employers import services as employers
from app.pet.models import (
    CostPayer,
    Course,
    CourseModel,
    CourseReferral,
    CourseStatus,
    FollowOn,
    Venue,
)
from app.pet.trainees import services as trainees

SECTOR_COURSE_TITLE = "Hospitality routeway for Leeds SMEs (demo)"
# The next intake, still being designed: one SME has joined, one has yet to answer.
NEXT_INTAKE_TITLE = "Hospitality routeway, next intake (demo)"
# The employers that share it and the guaranteed interviews each offers.
SECTOR_EMPLOYERS = (("Kirkgate Bakery", 3), ("Corn Exchange Café", 2), ("Headrow Kitchen", 2))
# Its trainees: the last leaves early, the others complete.
SECTOR_TRAINEES = (
    ("Hannah", "Kaur"),
    ("Jamal", "Osman"),
    ("Lucy", "Brennan"),
    ("Tariq", "Aziz"),
    ("Zoe", "Fraser"),
    ("Kieran", "Doyle"),
)


def _user(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def _owner(organisation: Organisation) -> User:
    owner = db.session.scalar(
        select(User)
        .join(EmployerMembership, EmployerMembership.user_id == User.id)
        .where(EmployerMembership.organisation_id == organisation.id)
        .order_by(EmployerMembership.role, User.email)
        .limit(1)
    )
    if owner is None:
        raise LookupError(f"{organisation.name} has no users")
    return owner


def seed_sector_course(make_customer) -> None:
    """`make_customer(first, last, reference, adviser)` makes a consented PET-eligible
    customer (`app.demo.activity._customer`)."""
    if db.session.scalar(select(Course.id).where(Course.title == SECTOR_COURSE_TITLE)):
        return
    tppm, provider_user, adviser = (
        _user("tppm@demo.lep.example"),
        _user("provider@demo.lep.example"),
        _user("adviser@demo.lep.example"),
    )
    names = [name for name, _interviews in SECTOR_EMPLOYERS]
    organisations = {
        organisation.name: organisation
        for organisation in db.session.scalars(
            select(Organisation).where(Organisation.name.in_(names))
        )
    }
    if tppm is None or provider_user is None or adviser is None:
        return
    if len(organisations) < len(names):
        return
    started = today() - dt.timedelta(days=21)
    details = courses.CourseDetails(
        title=SECTOR_COURSE_TITLE,
        provider_id=provider_user.provider_id,
        venue=Venue.PROVIDER,
        venue_address="Leeds Skills Partnership, 2 Park Row, Leeds LS1 5HD",
        start_date=started,
        places=10,
        follow_on=FollowOn.GUARANTEED_INTERVIEW,
        suitability_criteria="Happy to work early mornings and weekends; food hygiene matters.",
    )
    course = courses.create_course(
        tppm,
        model=CourseModel.SECTOR,
        toolkit_key="hospitality",
        work_trial=False,
        organisation_ids=[],
        details=details,
    )
    courses.update_course(
        course,
        details,
        courses.FundingChoice("lsc", "", CostPayer.DELIVERING_PROVIDER, CostPayer.JOBCENTRE_PLUS),
    )
    db.session.flush()
    owners = {}
    for name, interviews in SECTOR_EMPLOYERS:
        organisation = organisations[name]
        owners[name] = _owner(organisation)
        place = employers.invite(course, organisation, interviews, tppm)
        employers.join(course, place, interviews, owners[name])
    _agree_plan(course, started, tppm, provider_user, owners)
    _cohort(course, started, adviser, provider_user, make_customer)
    _interviews_and_a_hire(course, organisations["Kirkgate Bakery"], owners["Kirkgate Bakery"])
    _next_intake(tppm, provider_user, organisations, owners)


def _next_intake(tppm: User, provider_user: User, organisations: dict, owners: dict) -> None:
    details = courses.CourseDetails(
        title=NEXT_INTAKE_TITLE,
        provider_id=provider_user.provider_id,
        venue=Venue.PROVIDER,
        venue_address="Leeds Skills Partnership, 2 Park Row, Leeds LS1 5HD",
        start_date=today() + dt.timedelta(days=28),
        places=12,
        follow_on=FollowOn.BOTH,
        suitability_criteria="Happy to work early mornings and weekends.",
    )
    course = courses.create_course(
        tppm,
        model=CourseModel.SECTOR,
        toolkit_key="hospitality",
        work_trial=True,
        organisation_ids=[],
        details=details,
    )
    db.session.flush()
    kitchen = employers.invite(course, organisations["Headrow Kitchen"], 3, tppm)
    employers.join(course, kitchen, 3, owners["Headrow Kitchen"])
    employers.invite(course, organisations["Corn Exchange Café"], 2, tppm)
    db.session.flush()


def _agree_plan(
    course: Course, started: dt.date, tppm: User, provider_user: User, owners: dict
) -> None:
    attendees = [
        {"name": tppm.name, "email": tppm.email, "party": "district"},
        {"name": provider_user.name, "email": provider_user.email, "party": "provider"},
        {
            "name": "Commissioning team",
            "email": "commissioning@demo.lep.example",
            "party": "commissioning",
        },
        *(
            {"name": user.name, "email": user.email, "party": "employer"}
            for user in owners.values()
        ),
    ]
    plan = courses.save_plan(
        course,
        None,
        courses.PlanDetails(
            meeting_date=started - dt.timedelta(days=14),
            attendees=attendees,
            measures_agreed="A guaranteed interview for each completer, shared by three employers.",
            roles_and_responsibilities=(
                "The provider delivers; the district refers; each employer interviews the "
                "completers given an interview with it."
            ),
            suitability_criteria=course.suitability_criteria,
            single_point_of_contact_id=tppm.id,
            update_frequency="Every Friday by email",
        ),
    )
    db.session.flush()
    courses.finalise_plan(course, plan, tppm)
    course.status = CourseStatus.RUNNING


def _cohort(
    course: Course, started: dt.date, adviser: User, provider_user: User, make_customer
) -> None:
    made = []
    for number, (first, last) in enumerate(SECTOR_TRAINEES, start=1):
        customer: Customer = make_customer(first, last, f"DEMOSC{number:03d}", adviser)
        trainee = trainees.refer(course, customer, "Jobcentre Plus", adviser)
        trainee.created_at = dt.datetime.combine(
            started - dt.timedelta(days=7), dt.time(10), tzinfo=dt.UTC
        )
        made.append(trainee)
    db.session.flush()
    for number, trainee in enumerate(made, start=1):
        trainees.accept(trainee, provider_user)
        trainees.start(trainee, started, provider_user)
        if number == len(made):
            trainees.leave(trainee, started + dt.timedelta(days=3), "Found a job", provider_user)
            continue
        for week, hours in enumerate(course.weekly_hours, start=1):
            trainees.record_attendance(trainee, week, Decimal(str(hours)), provider_user)
        trainees.complete(trainee, started + dt.timedelta(days=11), provider_user)
    db.session.flush()


def _interviews_and_a_hire(course: Course, organisation: Organisation, owner: User) -> None:
    """Kirkgate Bakery interviewed the completers allotted to it, and took on the first."""
    allotted = list(
        db.session.scalars(
            select(CourseReferral.id)
            .join(Guarantee, Guarantee.course_referral_id == CourseReferral.id)
            .where(
                Guarantee.organisation_id == organisation.id,
                CourseReferral.course_id == course.id,
            )
            .order_by(Guarantee.created_at, Guarantee.id)
        )
    )
    if not allotted:
        return
    held = dt.datetime.combine(today() - dt.timedelta(days=3), dt.time(10), tzinfo=LONDON)
    booked = trainees.book_interviews(course, organisation, allotted, held, owner)
    db.session.flush()
    trainees.hire(
        booked[0],
        organisation,
        start_date=today() - dt.timedelta(days=1),
        hours_per_week=Decimal("30"),
        hourly_pay=Decimal("12.80"),
        by=owner,
    )
    db.session.flush()
