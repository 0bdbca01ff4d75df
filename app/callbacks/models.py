"""The 48-hour call-back: one task per submitted vacancy, and every call attempt made on it."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import District, Office, Organisation
from app.auth.models import User
from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, str_enum, utcnow
from app.statuses import CallBackStatus
from app.vacancies.models import Vacancy


class CallBackOutcome(enum.StrEnum):
    NEW_AGREEMENT = "new_agreement"
    EXISTING_CONFIRMED = "existing_confirmed"
    DECLINED = "declined"
    NOT_NOW = "not_now"


class AttemptResult(enum.StrEnum):
    REACHED = "reached"
    NO_ANSWER = "no_answer"
    VOICEMAIL = "voicemail"
    CALL_LATER = "call_later"


class CallBack(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "callback"
    __table_args__ = (
        Index("ix_callback_queue", "district_id", "status", "due_at"),
        Index("ix_callback_office_completed", "office_id", "completed_at"),
        # Timeliness for one district; reminders scan call-backs not completed by due time.
        Index("ix_callback_district_completed", "district_id", "completed_at"),
        Index("ix_callback_status_due", "status", "due_at"),
        # The employer's service rollup recounts a day's completed call-backs.
        Index("ix_callback_completed", "completed_at"),
    )

    vacancy_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("vacancy.id"), unique=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"))
    # The office that worked it: the claiming LMRA's, for timeliness by office.
    office_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("office.id"))
    status: Mapped[CallBackStatus] = mapped_column(
        str_enum(CallBackStatus), default=CallBackStatus.OPEN
    )
    placed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    claimed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), index=True
    )
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[CallBackOutcome | None] = mapped_column(str_enum(CallBackOutcome, 30))
    # Completed after the due time; set on completion so reports need no date arithmetic.
    breached: Mapped[bool | None] = mapped_column()
    breach_notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # When LMRAs were emailed that it is due soon: each call-back is in one reminder only.
    due_soon_notified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    notes: Mapped[str] = mapped_column(Text, default="")

    vacancy: Mapped[Vacancy] = relationship()
    organisation: Mapped[Organisation] = relationship()
    district: Mapped[District] = relationship()
    office: Mapped[Office | None] = relationship()
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    completed_by: Mapped[User | None] = relationship(foreign_keys=[completed_by_id])
    attempts: Mapped[list[CallAttempt]] = relationship(
        back_populates="callback", order_by="CallAttempt.made_at"
    )


class CallAttempt(UUIDPrimaryKey, db.Model):
    __tablename__ = "call_attempt"

    callback_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("callback.id"), index=True)
    made_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    made_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    result: Mapped[AttemptResult] = mapped_column(str_enum(AttemptResult))
    call_back_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(1000), default="")

    callback: Mapped[CallBack] = relationship(back_populates="attempts")
    made_by: Mapped[User] = relationship()
