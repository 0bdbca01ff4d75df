"""Factories for pre-employment training courses: a bespoke retail course by default, with
one employer and a provider, two full-time (30-hour) weeks of modules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from app import clock
from app.auth.models import Role
from app.extensions import db
from app.pet.models import (
    ActionPoint,
    Course,
    CourseEmployer,
    CourseModel,
    CourseModule,
    CourseStatus,
    DeliveryPlan,
    FollowOn,
    ModuleKind,
    Venue,
)
from tests.factories import (
    BaseFactory,
    DistrictFactory,
    OrganisationFactory,
    StaffFactory,
    TrainingProviderFactory,
)

# Two full-time weeks: (week, kind, title, hours).
DEFAULT_MODULES = (
    (1, ModuleKind.SECTOR, "Retail routeway: the shop floor", Decimal("18")),
    (1, ModuleKind.INDUCTION, "Workplace induction", Decimal("6")),
    (1, ModuleKind.SKILLS, "Customer care", Decimal("6")),
    (2, ModuleKind.JOB_SEARCH, "CV and interview skills", Decimal("12")),
    (2, ModuleKind.SKILLS, "Manual handling", Decimal("6")),
    (2, ModuleKind.JOB_SEARCH, "Mock interviews", Decimal("12")),
)


class CourseFactory(BaseFactory):
    """A bespoke retail course for one employer with a provider: two 30-hour weeks.

    `CourseFactory(employers=[org_a, org_b])` puts other employers on it (an empty list
    for none); `modules=False` leaves it without modules and with no weekly hours.
    """

    class Meta:
        model = Course

    title = factory.Sequence(lambda n: f"Retail routeway {n}")
    model = CourseModel.BESPOKE
    sector = "retail"
    toolkit = "retail"
    district = factory.SubFactory(DistrictFactory)
    provider = factory.SubFactory(TrainingProviderFactory)
    created_by = factory.SubFactory(
        StaffFactory, role=Role.DAM, office__district=factory.SelfAttribute("...district")
    )
    status = CourseStatus.DESIGN
    venue = Venue.PROVIDER
    venue_address = "Training Centre, 2 Park Row, Leeds LS1 5HD"
    start_date = None
    weekly_hours = factory.LazyFunction(lambda: [30.0, 30.0])
    places = 12
    suitability_criteria = "Interested in working in a shop; able to stand for long periods."
    follow_on = FollowOn.GUARANTEED_INTERVIEW
    funding_route = None

    @factory.post_generation
    def employers(self, create: bool, extracted, **kwargs) -> None:
        if not create:
            return
        organisations = (
            [OrganisationFactory(district=self.district)] if extracted is None else extracted
        )
        for organisation in organisations:
            db.session.add(CourseEmployer(course=self, organisation=organisation))
        db.session.flush()

    @factory.post_generation
    def modules(self, create: bool, extracted, **kwargs) -> None:
        if not create:
            return
        if extracted is False:
            self.weekly_hours = []
        else:
            for position, (week, kind, title, hours) in enumerate(DEFAULT_MODULES, start=1):
                db.session.add(
                    CourseModule(
                        course=self,
                        position=position,
                        week=week,
                        kind=kind,
                        title=title,
                        hours=hours,
                    )
                )
        db.session.flush()


class DeliveryPlanFactory(BaseFactory):
    """A draft delivery plan with one attendee of each party."""

    class Meta:
        model = DeliveryPlan

    course = factory.SubFactory(CourseFactory)
    meeting_date = factory.LazyFunction(lambda: clock.today())
    attendees = factory.LazyFunction(
        lambda: [
            {"name": "Erin Employer", "email": "erin@employer.example", "party": "employer"},
            {"name": "Dee District", "email": "dee@jobcentre.example", "party": "district"},
            {"name": "Pat Provider", "email": "pat@provider.example", "party": "provider"},
            {"name": "Cam Commissioning", "email": "cam@dwp.example", "party": "commissioning"},
        ]
    )
    measures_agreed = "A guaranteed interview for everyone who completes the course."
    roles_and_responsibilities = "The provider delivers the course; the district refers."
    suitability_criteria = "Happy to work weekends."
    single_point_of_contact = factory.LazyAttribute(lambda o: o.course.created_by)
    update_frequency = "Every Friday by email"


class ActionPointFactory(BaseFactory):
    class Meta:
        model = ActionPoint

    plan = factory.SubFactory(DeliveryPlanFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = factory.LazyAttribute(lambda o: o.plan.course.created_by)
    due_on = factory.LazyFunction(lambda: clock.today() + dt.timedelta(days=7))


def district_staff(district, role: Role, **kwargs):
    """A member of staff of `district`, with an office there."""
    return StaffFactory(role=role, office__district=district, **kwargs)
