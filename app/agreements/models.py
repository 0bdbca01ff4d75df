"""LEP agreements: verbal agreements captured by staff, amended and ended, every version kept."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organisation
from app.auth.models import User
from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, str_enum, utcnow
from app.statuses import AgreementRequestStatus, AgreementStatus


class Channel(enum.StrEnum):
    PHONE = "phone"
    MEETING = "meeting"
    EMAIL = "email"
    ONLINE = "online"


class Measure(enum.StrEnum):
    """The LEP measures an employer may agree to (DOMAIN.md, Agreements and measures)."""

    WORK_TRIALS = "work_trials"
    GUARANTEED_INTERVIEWS = "guaranteed_interviews"
    WORK_PLACEMENTS = "work_placements"
    SUBSIDISED_EMPLOYMENT = "subsidised_employment"
    PET = "pet"
    WORKFORCE_DEVELOPMENT = "workforce_development"
    MENTORING = "mentoring"
    APPLICATION_REVIEW = "application_review"
    OPEN_DAYS = "open_days"


MEASURE_POSITION = {measure: position for position, measure in enumerate(Measure)}

# Measures whose details are a number of places (or volunteers); the rest are described.
MEASURES_WITH_PLACES = frozenset(
    {
        Measure.WORK_TRIALS,
        Measure.WORK_PLACEMENTS,
        Measure.SUBSIDISED_EMPLOYMENT,
        Measure.MENTORING,
    }
)


class Agreement(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "agreement"
    __table_args__ = (
        Index("ix_agreement_organisation_status", "organisation_id", "status"),
        # The labour market rollups recount the agreements that started or ended on a day.
        Index("ix_agreement_started_on", "started_on"),
        Index("ix_agreement_ended_on", "ended_on"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"))
    status: Mapped[AgreementStatus] = mapped_column(
        str_enum(AgreementStatus), default=AgreementStatus.ACTIVE
    )
    started_on: Mapped[dt.date] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    end_reason: Mapped[str] = mapped_column(Text, default="")

    organisation: Mapped[Organisation] = relationship()
    ended_by: Mapped[User | None] = relationship()
    versions: Mapped[list[AgreementVersion]] = relationship(
        back_populates="agreement", order_by="AgreementVersion.number"
    )

    @property
    def current(self) -> AgreementVersion:
        return self.versions[-1]


class AgreementVersion(UUIDPrimaryKey, Timestamps, db.Model):
    """What was agreed, by whom, when and how; a change makes a new version."""

    __tablename__ = "agreement_version"
    __table_args__ = (
        UniqueConstraint("agreement_id", "number"),
        # The MI period filter, and the daily chase of versions nobody has answered.
        Index("ix_agreement_version_created", "created_at"),
        Index("ix_agreement_version_unanswered", "confirmed_at", "chased_at", "created_at"),
    )

    agreement_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agreement.id"))
    number: Mapped[int] = mapped_column()
    taken_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    agreed_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    # Priority groups covered, e.g. [1, 2, 3, 4]; 5 means those under redundancy notice.
    priority_groups: Mapped[list] = mapped_column(JSON, default=list)
    change_summary: Mapped[str] = mapped_column(Text, default="")
    # The employer's own confirmation, in the portal, that this version is what it agreed.
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    confirmed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    # When the employer was reminded to confirm it (once only: `flask agreements chase`).
    chased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    agreement: Mapped[Agreement] = relationship(back_populates="versions")
    taken_by: Mapped[User] = relationship(foreign_keys=[taken_by_id])
    confirmed_by: Mapped[User | None] = relationship(foreign_keys=[confirmed_by_id])
    queries: Mapped[list[AgreementQuery]] = relationship(
        back_populates="version", order_by="AgreementQuery.raised_at"
    )
    measures: Mapped[list[AgreedMeasure]] = relationship(
        back_populates="version", order_by="AgreedMeasure.measure"
    )

    @property
    def measures_in_order(self) -> list[AgreedMeasure]:
        """The measures in the order the form and every page list them."""
        return sorted(self.measures, key=lambda item: MEASURE_POSITION[item.measure])


class AgreementQuery(UUIDPrimaryKey, db.Model):
    """The employer saying, in its own words, what is wrong with a version of its agreement."""

    __tablename__ = "agreement_query"

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agreement_version.id"), index=True)
    raised_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    message: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[AgreementVersion] = relationship(back_populates="queries")
    raised_by: Mapped[User] = relationship()


class AgreedMeasure(UUIDPrimaryKey, db.Model):
    __tablename__ = "agreed_measure"
    __table_args__ = (UniqueConstraint("version_id", "measure"),)

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("agreement_version.id"))
    measure: Mapped[Measure] = mapped_column(str_enum(Measure, 30), index=True)
    places: Mapped[int | None] = mapped_column()
    details: Mapped[str] = mapped_column(String(1000), default="")

    version: Mapped[AgreementVersion] = relationship(back_populates="measures")


class AgreementRequest(UUIDPrimaryKey, Timestamps, db.Model):
    """An employer asking online for an agreement; it waits in its contact's queue."""

    __tablename__ = "agreement_request"
    __table_args__ = (Index("ix_agreement_request_contact", "contact_id", "status"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    requested_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    message: Mapped[str] = mapped_column(Text, default="")
    measures_of_interest: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[AgreementRequestStatus] = mapped_column(
        str_enum(AgreementRequestStatus), default=AgreementRequestStatus.OPEN
    )
    handled_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    handled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])
