"""Pre-employment training: providers, courses designed with employers, delivery plans,
REF2-style referrals of customers to courses, and attendance."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import District, Organisation
from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, str_enum, utcnow
from app.statuses import CourseEmployerStatus, CourseStatus, TraineeStatus


class TrainingProvider(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "training_provider"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    district_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("district.id"), index=True)
    contact_email: Mapped[str] = mapped_column(String(254), default="")

    district: Mapped[District | None] = relationship()


class CourseModel(enum.StrEnum):
    BESPOKE = "bespoke"  # for one (usually large) employer with several vacancies
    SECTOR = "sector"  # feeding several employers, how SMEs take part


class Venue(enum.StrEnum):
    PROVIDER = "provider"
    EMPLOYER = "employer"


class FollowOn(enum.StrEnum):
    GUARANTEED_INTERVIEW = "guaranteed_interview"
    WORK_TRIAL = "work_trial"
    BOTH = "both"


class CostPayer(enum.StrEnum):
    """Who pays travel and childcare: depends on the funding route (DOMAIN.md)."""

    DELIVERING_PROVIDER = "delivering_provider"
    OWNING_PROVIDER = "owning_provider"
    JOBCENTRE_PLUS = "jobcentre_plus"


class ModuleKind(enum.StrEnum):
    SECTOR = "sector"  # sector routeway content
    JOB_SEARCH = "job_search"  # CV, interview skills, mock interviews, applications
    INDUCTION = "induction"  # timekeeping, team work
    SKILLS = "skills"  # IT, customer care, manual handling, food hygiene, first aid ...
    EMPLOYER_SPECIFIC = "employer_specific"
    WORK_TRIAL = "work_trial"


class Course(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "course"
    __table_args__ = (
        Index("ix_course_district_status", "district_id", "status", "start_date"),
        # The labour market rollups recount the courses that started on a day.
        Index("ix_course_start_date", "start_date"),
    )

    title: Mapped[str] = mapped_column(String(200))
    model: Mapped[CourseModel] = mapped_column(str_enum(CourseModel))
    sector: Mapped[str] = mapped_column(String(60), index=True)
    toolkit: Mapped[str | None] = mapped_column(String(60))  # the template it started from
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"))
    provider_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("training_provider.id"), index=True
    )
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[CourseStatus] = mapped_column(
        str_enum(CourseStatus), default=CourseStatus.DESIGN
    )
    venue: Mapped[Venue] = mapped_column(str_enum(Venue), default=Venue.PROVIDER)
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    # Hours of training in each week, in order: [30, 30] is two full-time weeks.
    weekly_hours: Mapped[list] = mapped_column(JSON, default=list)
    places: Mapped[int] = mapped_column(default=12)
    suitability_criteria: Mapped[str] = mapped_column(Text, default="")
    follow_on: Mapped[FollowOn] = mapped_column(
        str_enum(FollowOn, 30), default=FollowOn.GUARANTEED_INTERVIEW
    )
    funding_route: Mapped[str | None] = mapped_column(String(30))
    # Why the routes before the chosen one in funding_route_order were passed over.
    funding_passed_over_reason: Mapped[str] = mapped_column(Text, default="")
    travel_paid_by: Mapped[CostPayer | None] = mapped_column(str_enum(CostPayer, 30))
    childcare_paid_by: Mapped[CostPayer | None] = mapped_column(str_enum(CostPayer, 30))

    district: Mapped[District] = relationship()
    provider: Mapped[TrainingProvider | None] = relationship()
    created_by: Mapped[User] = relationship()
    employers: Mapped[list[CourseEmployer]] = relationship(back_populates="course")
    modules: Mapped[list[CourseModule]] = relationship(
        back_populates="course", order_by="CourseModule.position"
    )
    comments: Mapped[list[CourseComment]] = relationship(
        back_populates="course", order_by="CourseComment.created_at"
    )

    @property
    def joined_employers(self) -> list[CourseEmployer]:
        """The employers taking part: invitations not answered or declined are not."""
        return [employer for employer in self.employers if employer.joined]


class CourseEmployer(UUIDPrimaryKey, db.Model):
    """An employer a course is designed with (bespoke: one; sector: several).

    A bespoke course's employer is on it from the start (`JOINED`). A sector course's SMEs
    are invited by the DAM or TPPM, each with the guaranteed interviews it offers, and join
    or decline in the portal; `CourseEmployerEvent` keeps who did which, and when."""

    __tablename__ = "course_employer"
    __table_args__ = (UniqueConstraint("course_id", "organisation_id"),)

    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course.id"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    status: Mapped[CourseEmployerStatus] = mapped_column(
        str_enum(CourseEmployerStatus),
        default=CourseEmployerStatus.JOINED,
        server_default=CourseEmployerStatus.JOINED.value,
    )
    # A sector course: the guaranteed interviews the employer offers its completers (asked
    # for in the invitation, confirmed on joining). None on a bespoke course.
    guaranteed_interviews: Mapped[int | None] = mapped_column()
    invited_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship(back_populates="employers")
    organisation: Mapped[Organisation] = relationship()
    events: Mapped[list[CourseEmployerEvent]] = relationship(
        back_populates="course_employer", order_by="CourseEmployerEvent.at"
    )

    @property
    def joined(self) -> bool:
        return self.status is CourseEmployerStatus.JOINED


class CourseEmployerAction(enum.StrEnum):
    INVITED = "invited"
    JOINED = "joined"
    DECLINED = "declined"


class CourseEmployerEvent(UUIDPrimaryKey, db.Model):
    """Who invited an employer to a sector course, or answered for it, when, and with how
    many guaranteed interviews: the invitation's audit trail."""

    __tablename__ = "course_employer_event"

    course_employer_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("course_employer.id"), index=True
    )
    action: Mapped[CourseEmployerAction] = mapped_column(str_enum(CourseEmployerAction))
    guaranteed_interviews: Mapped[int | None] = mapped_column()
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    course_employer: Mapped[CourseEmployer] = relationship(back_populates="events")
    actor: Mapped[User] = relationship()


class CourseModule(UUIDPrimaryKey, db.Model):
    __tablename__ = "course_module"
    __table_args__ = (Index("ix_course_module_course_position", "course_id", "position"),)

    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course.id"))
    position: Mapped[int] = mapped_column()
    week: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ModuleKind] = mapped_column(str_enum(ModuleKind))
    hours: Mapped[float] = mapped_column(Numeric(5, 1), default=0)
    description: Mapped[str] = mapped_column(Text, default="")

    course: Mapped[Course] = relationship(back_populates="modules")


class CourseComment(UUIDPrimaryKey, Timestamps, db.Model):
    """An employer's comment on a course design, or a change it proposes."""

    __tablename__ = "course_comment"

    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course.id"), index=True)
    author_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    proposes_change: Mapped[bool] = mapped_column(default=False)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship(back_populates="comments")
    author: Mapped[User] = relationship()


class DeliveryPlan(UUIDPrimaryKey, Timestamps, db.Model):
    """The delivery plan meeting's record (employer, district, provider, commissioning)."""

    __tablename__ = "delivery_plan"

    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course.id"), unique=True)
    meeting_date: Mapped[dt.date] = mapped_column(Date)
    # [{"name": ..., "email": ..., "party": "employer|district|provider|commissioning"}]
    attendees: Mapped[list] = mapped_column(JSON, default=list)
    measures_agreed: Mapped[str] = mapped_column(Text, default="")
    roles_and_responsibilities: Mapped[str] = mapped_column(Text, default="")
    suitability_criteria: Mapped[str] = mapped_column(Text, default="")
    single_point_of_contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id")
    )
    update_frequency: Mapped[str] = mapped_column(String(100), default="")
    finalised_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finalised_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))

    course: Mapped[Course] = relationship()
    single_point_of_contact: Mapped[User | None] = relationship(
        foreign_keys=[single_point_of_contact_id]
    )
    action_points: Mapped[list[ActionPoint]] = relationship(
        back_populates="plan", order_by="ActionPoint.due_on"
    )


class ActionPoint(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "action_point"
    __table_args__ = (Index("ix_action_point_owner_open", "owner_id", "done_at", "due_on"),)

    plan_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("delivery_plan.id"), index=True)
    description: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    due_on: Mapped[dt.date] = mapped_column(Date)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    plan: Mapped[DeliveryPlan] = relationship(back_populates="action_points")
    owner: Mapped[User] = relationship()


class CourseReferral(UUIDPrimaryKey, Timestamps, db.Model):
    """A REF2-style referral of a customer to a course: from the owning provider to the PET
    provider, copied to the TPPM; then starts, leavers (SL2) and completion."""

    __tablename__ = "course_referral"
    __table_args__ = (
        UniqueConstraint("course_id", "customer_id"),
        # Management information: customers referred to PET in a period.
        Index("ix_course_referral_created", "created_at"),
        Index("ix_course_referral_course_status", "course_id", "status"),
    )

    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    referred_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    owning_provider: Mapped[str] = mapped_column(String(200), default="")
    tppm_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[TraineeStatus] = mapped_column(
        str_enum(TraineeStatus), default=TraineeStatus.REFERRED
    )
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decline_reason: Mapped[str] = mapped_column(String(500), default="")
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    left_on: Mapped[dt.date | None] = mapped_column(Date)
    leave_reason: Mapped[str] = mapped_column(String(500), default="")
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    # Finished without a job: back to the original provider or benefit regime.
    returned_to_original: Mapped[bool] = mapped_column(default=False)
    interview_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    interview_organisation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organisation.id")
    )
    hired: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship()
    customer: Mapped[Customer] = relationship()
    referred_by: Mapped[User] = relationship(foreign_keys=[referred_by_id])
    attendance: Mapped[list[Attendance]] = relationship(
        back_populates="trainee", order_by="Attendance.week"
    )


class Attendance(UUIDPrimaryKey, db.Model):
    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("course_referral_id", "week"),)

    course_referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course_referral.id"))
    week: Mapped[int] = mapped_column()
    hours_attended: Mapped[float] = mapped_column(Numeric(5, 1))
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    trainee: Mapped[CourseReferral] = relationship(back_populates="attendance")


class JsaException(UUIDPrimaryKey, db.Model):
    """A LEP coordinator's exception to the JSA 16-hour rule for one customer on one course:
    without it, a JSA customer cannot be referred to a course that breaks the rule."""

    __tablename__ = "jsa_exception"
    __table_args__ = (UniqueConstraint("course_id", "customer_id"),)

    course_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("course.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship()
    recorded_by: Mapped[User] = relationship()
