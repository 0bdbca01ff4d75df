"""Referrals of customers to vacancies, and every step of each one."""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    and_,
    event,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import ColumnElement

from app.accounts.models import District, Office, Organisation
from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, str_enum, utcnow
from app.statuses import ReferralStatus
from app.vacancies.models import Vacancy


class NotSelectedReason(enum.StrEnum):
    """Why the employer did not select a candidate: a list, so the referral-quality loop can
    count the reasons by adviser and office (with words of the employer's own for OTHER)."""

    DID_NOT_ATTEND = "did_not_attend"
    LACKED_SKILL = "lacked_skill"
    LACKED_EXPERIENCE = "lacked_experience"
    BETTER_MATCH = "better_match"
    CANDIDATE_WITHDREW = "candidate_withdrew"
    VACANCY_CLOSED = "vacancy_closed"
    OTHER = "other"


class Suitability(enum.IntEnum):
    """The employer's rating of a referral (the evaluation: poor referrals were employers'
    main complaint)."""

    NOT_SUITABLE = 1
    PARTLY_SUITABLE = 2
    SUITABLE = 3
    VERY_SUITABLE = 4


class Referral(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "referral"
    __table_args__ = (
        UniqueConstraint("customer_id", "vacancy_id"),
        Index("ix_referral_vacancy_status", "vacancy_id", "status"),
        # An employer's referrals by status; with the vacancy and customer, the employer's
        # home page counts candidates waiting per vacancy from the index alone.
        Index(
            "ix_referral_organisation_open",
            "organisation_id",
            "status",
            "vacancy_id",
            "customer_id",
        ),
        # Referral quality: a district's ratings over a period.
        Index("ix_referral_district_rated", "district_id", "rated_at"),
        # Management information counts work trials and interviews by district and period.
        Index("ix_referral_district_trial", "district_id", "work_trial_start"),
        Index("ix_referral_district_interview", "district_id", "interview_at"),
        Index("ix_referral_district_not_selected", "district_id", "not_selected_at"),
        # The employer's figures: today's interviews held, live; the rest is in rollups,
        # whose recount of a day reads referrals by the day they were made or interviewed.
        Index("ix_referral_organisation_interview", "organisation_id", "interview_at"),
        Index("ix_referral_created", "created_at"),
        Index("ix_referral_interview", "interview_at"),
        Index("ix_referral_work_trial", "work_trial_start"),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    vacancy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vacancy.id"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"))
    referred_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    # The vacancy's district, and the office the referrer worked from when they referred:
    # referral quality is reported by district, adviser and office, as things stood then.
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"))
    office_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("office.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ReferralStatus] = mapped_column(
        str_enum(ReferralStatus, 20), default=ReferralStatus.REFERRED
    )
    interview_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    interview_place: Mapped[str] = mapped_column(String(300), default="")
    guaranteed_interview: Mapped[bool] = mapped_column(default=False)
    work_trial_start: Mapped[dt.date | None] = mapped_column(Date)
    work_trial_end: Mapped[dt.date | None] = mapped_column(Date)
    # Why not selected: one reason from the list, and the employer's words (needed for OTHER).
    not_selected_code: Mapped[NotSelectedReason | None] = mapped_column(
        str_enum(NotSelectedReason, 30)
    )
    not_selected_reason: Mapped[str] = mapped_column(String(500), default="")
    not_selected_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    suitability: Mapped[int | None] = mapped_column()
    suitability_reason: Mapped[str] = mapped_column(String(500), default="")
    rated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    rated_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    customer: Mapped[Customer] = relationship()
    vacancy: Mapped[Vacancy] = relationship()
    organisation: Mapped[Organisation] = relationship()
    referred_by: Mapped[User] = relationship(foreign_keys=[referred_by_id])
    rated_by: Mapped[User | None] = relationship(foreign_keys=[rated_by_id])
    district: Mapped[District] = relationship()
    office: Mapped[Office | None] = relationship()
    events: Mapped[list[ReferralEvent]] = relationship(
        back_populates="referral", order_by="ReferralEvent.at"
    )


def interview_held(now: dt.datetime | ColumnElement[Any]):
    """The one meaning of "an interview was held", for every page, CSV and chart that
    counts interviews: one was arranged, its time has come (an interview next week is not
    held yet), and the customer did not withdraw (the model's only record of an interview
    that did not take place). A rearranged interview counts once, at its latest time. `now`
    may be a bound parameter, so a cached statement can be reused at another moment."""
    return and_(
        Referral.interview_at.is_not(None),
        Referral.interview_at <= now,
        Referral.status != ReferralStatus.WITHDRAWN,
    )


@event.listens_for(Referral, "before_insert")
def _district_of_vacancy(mapper, connection, referral: Referral) -> None:
    """A referral belongs to its vacancy's district, whoever creates it (a factory, a script)."""
    if referral.district_id is not None:
        return
    vacancy = referral.__dict__.get("vacancy")  # only if already loaded: no query mid-flush
    if vacancy is not None and vacancy.district_id is not None:
        referral.district_id = vacancy.district_id
    else:
        referral.district_id = connection.scalar(
            select(Vacancy.district_id).where(Vacancy.id == referral.vacancy_id)
        )


class ReferralEvent(UUIDPrimaryKey, db.Model):
    """One step of a referral: the status it moved to, who moved it and when."""

    __tablename__ = "referral_event"

    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referral.id"), index=True)
    status: Mapped[ReferralStatus] = mapped_column(str_enum(ReferralStatus, 20))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)

    referral: Mapped[Referral] = relationship(back_populates="events")
    by: Mapped[User] = relationship()
