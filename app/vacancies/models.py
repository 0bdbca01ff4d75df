"""Vacancies employers post, from draft to live to closed."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from decimal import Decimal

from sqlalchemy import JSON, Date, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import District, Organisation, Site
from app.auth.models import User
from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, str_enum, utcnow
from app.statuses import VacancyStatus


class ContractType(enum.StrEnum):
    PERMANENT = "permanent"
    FIXED_TERM = "fixed_term"
    TEMPORARY = "temporary"
    SEASONAL = "seasonal"


class PayPeriod(enum.StrEnum):
    HOURLY = "hourly"
    WEEKLY = "weekly"
    ANNUAL = "annual"


class Vacancy(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "vacancy"
    __table_args__ = (
        Index("ix_vacancy_organisation_status", "organisation_id", "status", "created_at"),
        Index("ix_vacancy_district_status", "district_id", "status"),
        # The employer's vacancy list, newest first, with no status chosen.
        Index("ix_vacancy_organisation_created", "organisation_id", "created_at", "id"),
        # The labour market rollups recount the vacancies that went live or closed on a day.
        Index("ix_vacancy_live_at", "live_at"),
        Index("ix_vacancy_closed_at", "closed_at"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"))
    site_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("site.id"), index=True)
    # The district of the site: its nation decides the bank holidays of the call-back clock.
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"))
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), index=True
    )
    status: Mapped[VacancyStatus] = mapped_column(
        str_enum(VacancyStatus), default=VacancyStatus.DRAFT
    )

    job_title: Mapped[str] = mapped_column(String(200))
    sector: Mapped[str] = mapped_column(String(60), index=True)
    occupation: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    positions: Mapped[int] = mapped_column(default=1)
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    contract_type: Mapped[ContractType] = mapped_column(str_enum(ContractType))
    pay_amount: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    pay_period: Mapped[PayPeriod] = mapped_column(str_enum(PayPeriod))
    # Derived from amount, period and hours when saved; kept for checks, sorting and MI.
    hourly_pay: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    youngest_age: Mapped[int] = mapped_column(default=18)
    closing_date: Mapped[dt.date | None] = mapped_column(Date)
    essential_requirements: Mapped[str] = mapped_column(Text, default="")
    desirable_requirements: Mapped[str] = mapped_column(Text, default="")
    how_to_apply: Mapped[str] = mapped_column(Text, default="")
    entry_level: Mapped[bool] = mapped_column(default=True)
    involves_driving: Mapped[bool] = mapped_column(default=False)
    offers_work_trial: Mapped[bool] = mapped_column(default=False)
    offers_guaranteed_interview: Mapped[bool] = mapped_column(default=False)
    # The fair-shot advice shown to the employer when they submitted: [{code, requirement}].
    fair_shot_advice: Mapped[list] = mapped_column(JSON, default=list)

    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    live_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    copied_from_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("vacancy.id"))

    organisation: Mapped[Organisation] = relationship()
    site: Mapped[Site] = relationship()
    district: Mapped[District] = relationship()
    created_by: Mapped[User | None] = relationship()
