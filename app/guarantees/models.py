"""Guaranteed interviews as obligations with a clock: one row for each referral a guarantee
covers (an eligible customer referred to a vacancy offering guaranteed interviews, or a
completer of a PET course that guarantees them, for each employer of the course)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import District, Organisation
from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from app.guarantees.rules import NotOfferedReason, Outcome, Source
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, str_enum
from app.pet.models import CourseReferral
from app.referrals.models import Referral


class Guarantee(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "guarantee"
    __table_args__ = (
        UniqueConstraint("referral_id"),
        UniqueConstraint("course_referral_id", "organisation_id"),
        # The employer's home and list: its guarantees still open, soonest due first.
        Index("ix_guarantee_organisation_outcome_due", "organisation_id", "outcome", "due_on"),
        # Work to chase, and MI by district: open guarantees past their day.
        Index("ix_guarantee_district_outcome_due", "district_id", "outcome", "due_on"),
        # The chase job: overdue guarantees not yet chased.
        Index("ix_guarantee_chase", "outcome", "chased_at", "due_on"),
    )

    source: Mapped[Source] = mapped_column(str_enum(Source))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"))
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    referral_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("referral.id"))
    course_referral_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("course_referral.id"))
    # The day the clock started (the referral, or the completion) and the last day to answer.
    opened_on: Mapped[dt.date] = mapped_column(Date)
    due_on: Mapped[dt.date] = mapped_column(Date)
    outcome: Mapped[Outcome | None] = mapped_column(str_enum(Outcome))
    reason: Mapped[NotOfferedReason | None] = mapped_column(str_enum(NotOfferedReason, 30))
    reason_details: Mapped[str] = mapped_column(String(500), default="")
    answered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    answered_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    # Set once, by a conditional UPDATE, when the overdue guarantee is emailed.
    chased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    district: Mapped[District] = relationship()
    customer: Mapped[Customer] = relationship()
    referral: Mapped[Referral | None] = relationship()
    course_referral: Mapped[CourseReferral | None] = relationship()
    answered_by: Mapped[User | None] = relationship()
