"""Job outcomes: a customer starting a job with a LEP employer, validated and followed up."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import District, Organisation
from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, str_enum
from app.referrals.models import Referral
from app.statuses import OutcomeSource, ValidationStatus
from app.vacancies.models import Vacancy


class JobOutcome(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "job_outcome"
    __table_args__ = (
        Index("ix_job_outcome_validation", "validation_status", "created_at"),
        # The coordinator's queue: a district's outcomes by status, oldest first.
        Index(
            "ix_job_outcome_district_validation", "district_id", "validation_status", "created_at"
        ),
        Index("ix_job_outcome_organisation_start", "organisation_id", "start_date"),
        Index("ix_job_outcome_start", "start_date"),
        Index("ix_job_outcome_district_start", "district_id", "start_date"),
    )

    referral_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referral.id"), unique=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"))
    vacancy_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vacancy.id"), index=True)
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"), index=True)
    start_date: Mapped[dt.date] = mapped_column(Date)
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    hourly_pay: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    # The customer's priority group on the start date, fixed at recording.
    priority_group: Mapped[int] = mapped_column()
    lep_eligible: Mapped[bool] = mapped_column()
    # The employer had an active agreement on the start date and the customer was eligible.
    counts_as_lep: Mapped[bool] = mapped_column(index=True)
    subsidy_eligible: Mapped[bool] = mapped_column()
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    recorded_by_employer: Mapped[bool] = mapped_column()
    validation_status: Mapped[ValidationStatus] = mapped_column(str_enum(ValidationStatus, 20))
    # Validated by the employer (recording or confirming it) or by a coordinator accepting it.
    validated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    validated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    # The employer said the start did not happen as recorded; kept after a coordinator decides.
    disputed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    disputed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    dispute_reason: Mapped[str] = mapped_column(String(500), default="")
    rejected_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    rejected_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    rejection_reason: Mapped[str] = mapped_column(String(500), default="")
    # A hire from a PET cohort: the trainee's course referral (referral and vacancy are None).
    course_referral_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("course_referral.id"), unique=True
    )
    source: Mapped[OutcomeSource] = mapped_column(
        str_enum(OutcomeSource, 20),
        default=OutcomeSource.JOBCENTRE_PLUS,
        server_default=OutcomeSource.JOBCENTRE_PLUS.value,
    )
    # The partnered training provider that reported the start (either source), if any.
    provider_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("training_provider.id"), index=True
    )

    referral: Mapped[Referral | None] = relationship()
    customer: Mapped[Customer] = relationship()
    organisation: Mapped[Organisation] = relationship()
    vacancy: Mapped[Vacancy | None] = relationship()
    district: Mapped[District] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    validated_by: Mapped[User | None] = relationship(foreign_keys=[validated_by_id])
    disputed_by: Mapped[User | None] = relationship(foreign_keys=[disputed_by_id])
    rejected_by: Mapped[User | None] = relationship(foreign_keys=[rejected_by_id])
    sustainment_checks: Mapped[list[SustainmentCheck]] = relationship(
        back_populates="outcome", order_by="SustainmentCheck.weeks"
    )

    @property
    def subsidy_applies(self) -> bool:
        """The recruitment subsidy is shown as eligible unless the start was rejected."""
        return self.subsidy_eligible and self.validation_status is not ValidationStatus.REJECTED


class SustainmentCheck(UUIDPrimaryKey, db.Model):
    """At 13 and 26 weeks the employer is asked whether the person is still employed."""

    __tablename__ = "sustainment_check"
    __table_args__ = (
        UniqueConstraint("outcome_id", "weeks"),
        Index("ix_sustainment_check_due", "answered_at", "due_on"),
        # `flask outcomes ask-sustainment`: checks due and not yet asked.
        Index("ix_sustainment_check_to_ask", "asked_at", "due_on"),
        # Management information: checks falling due in a period.
        Index("ix_sustainment_check_due_on", "due_on"),
        # An adviser's aftercare to do.
        Index("ix_sustainment_check_aftercare", "aftercare_wanted", "aftercare_done_at"),
    )

    outcome_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("job_outcome.id"))
    weeks: Mapped[int] = mapped_column()
    due_on: Mapped[dt.date] = mapped_column(Date)
    asked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    still_employed: Mapped[bool | None] = mapped_column()
    answered_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    # Progression since starting (the evaluation's measure of job quality), asked with the
    # check when the person is still employed: more hours, higher pay, a new role.
    more_hours: Mapped[bool | None] = mapped_column()
    higher_pay: Mapped[bool | None] = mapped_column()
    new_role: Mapped[bool | None] = mapped_column()
    # Whether the employer or the person would like in-work support (aftercare): work for
    # the customer's adviser until they mark it done.
    aftercare_wanted: Mapped[bool | None] = mapped_column()
    aftercare_done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    aftercare_done_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))

    outcome: Mapped[JobOutcome] = relationship(back_populates="sustainment_checks")
    answered_by: Mapped[User | None] = relationship(foreign_keys=[answered_by_id])
