"""The scene the PET trainee tests share: a district with its staff, a training provider with a
user, an employer on a two-week full-time retail course that started a fortnight ago, and ways
to add customers and trainees at any stage. Imported by tests/web/test_pet_trainees*.py (it
holds no tests itself)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select

from app.accounts.models import District, Organisation
from app.auth.models import Role, User
from app.clock import today
from app.customers.models import AuditEntry, Benefit, Customer
from app.extensions import db
from app.mail.models import OutboxMessage
from app.pet.models import (
    Attendance,
    Course,
    CourseReferral,
    TraineeStatus,
    TrainingProvider,
)
from tests.customer_factories import CustomerFactory
from tests.factories import (
    DistrictFactory,
    OfficeFactory,
    OrganisationFactory,
    ProviderUserFactory,
    StaffFactory,
    TrainingProviderFactory,
    employer_user,
)
from tests.pet_factories import CourseFactory


@dataclass
class Scene:
    district: District
    staff: dict[str, User]
    provider: TrainingProvider
    provider_user: User
    organisation: Organisation
    employer: User
    course: Course

    @property
    def adviser(self) -> User:
        return self.staff["adviser"]

    @property
    def tppm(self) -> User:
        return self.staff["tppm"]

    def customer(self, **kwargs) -> Customer:
        """A consented customer of the district on the adviser's caseload: a lone parent
        (priority group 1, eligible for PET) unless told otherwise."""
        kwargs.setdefault("lone_parent", True)
        kwargs.setdefault("benefit", None)
        kwargs.setdefault("claim_start", None)
        return CustomerFactory(adviser=self.adviser, district=self.district, **kwargs)

    def jsa_customer(self, **kwargs) -> Customer:
        """A JSA claimant of more than six months (priority group 2, eligible for PET)."""
        kwargs.setdefault("benefit", Benefit.JSA)
        kwargs.setdefault("claim_start", today() - dt.timedelta(days=400))
        kwargs.setdefault("lone_parent", False)
        return self.customer(**kwargs)

    def trainee(
        self,
        status: TraineeStatus = TraineeStatus.REFERRED,
        customer: Customer | None = None,
        course: Course | None = None,
        **kwargs,
    ) -> CourseReferral:
        """A trainee at `status`, with the dates that status implies."""
        course = course or self.course
        started = course.start_date or today() - dt.timedelta(days=14)
        if status in (TraineeStatus.STARTED, TraineeStatus.LEFT, TraineeStatus.COMPLETED):
            kwargs.setdefault("started_on", started)
        if status is TraineeStatus.LEFT:
            kwargs.setdefault("left_on", started + dt.timedelta(days=3))
            kwargs.setdefault("leave_reason", "Found a job")
        if status is TraineeStatus.COMPLETED:
            kwargs.setdefault("completed_on", started + dt.timedelta(days=11))
        trainee = CourseReferral(
            course=course,
            customer=customer or self.customer(),
            referred_by=self.adviser,
            owning_provider="Jobcentre Plus",
            tppm_id=self.tppm.id,
            status=status,
            **kwargs,
        )
        db.session.add(trainee)
        db.session.flush()
        return trainee

    def attend(self, trainee: CourseReferral, *hours: float) -> None:
        for week, each in enumerate(hours, start=1):
            db.session.add(
                Attendance(
                    course_referral_id=trainee.id,
                    week=week,
                    hours_attended=each,
                    recorded_by_id=self.provider_user.id,
                )
            )
        db.session.flush()


def make_scene(district: District | None = None) -> Scene:
    district = district or DistrictFactory()
    office = OfficeFactory(district=district)
    staff = {
        role.value: StaffFactory(role=role, office=office, name=f"{role.value.upper()} Person")
        for role in (Role.ADVISER, Role.LMRA, Role.DAM, Role.TPPM, Role.COORDINATOR)
    }
    provider = TrainingProviderFactory(district=district)
    provider_user = ProviderUserFactory(provider=provider)
    organisation = OrganisationFactory(district=district)
    employer = employer_user(organisation)
    course = CourseFactory(
        title="Retail routeway",
        district=district,
        provider=provider,
        created_by=staff["dam"],
        employers=[organisation],
        start_date=today() - dt.timedelta(days=14),
    )
    db.session.flush()
    return Scene(district, staff, provider, provider_user, organisation, employer, course)


def emails(kind: str | None = None) -> list[OutboxMessage]:
    statement = select(OutboxMessage).order_by(OutboxMessage.recipient)
    if kind is not None:
        statement = statement.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(statement))


def audit_count(action: str, **where) -> int:
    statement = select(func.count(AuditEntry.id)).where(AuditEntry.action == action)
    for name, value in where.items():
        statement = statement.where(getattr(AuditEntry, name) == value)
    return db.session.scalar(statement)


def text_of(html: str) -> str:
    """The page's words, without tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def figure(html: str, name: str, within: str = "") -> str:
    """The value of a `data-figure` cell, inside the element with id `within` if given."""
    if within:
        start = html.index(f'id="{within}"')
        html = html[start:]
    match = re.search(rf'data-figure="{name}">\s*(.*?)\s*</', html, re.S)
    assert match, f"no figure {name}"
    return match.group(1).strip()


def date_field(day: dt.date) -> list[str]:
    """What a GOV.UK date input posts: day, month and year under the field's name."""
    return [str(day.day), str(day.month), str(day.year)]
