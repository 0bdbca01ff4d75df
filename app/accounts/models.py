"""Where the service works (nations, districts, offices) and the employers it works with."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Date, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, str_enum, utcnow


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e])


class SizeBand(enum.StrEnum):
    SME = "sme"
    LARGE = "large"


class Ownership(enum.StrEnum):
    PRIVATE = "private"
    PUBLIC = "public"
    VOLUNTARY = "voluntary"


class MembershipRole(enum.StrEnum):
    OWNER = "owner"
    RECRUITER = "recruiter"


class Nation(db.Model):
    """England, Wales or Scotland: bank holidays and PET funding routes differ by nation."""

    __tablename__ = "nation"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))


class District(UUIDPrimaryKey, db.Model):
    __tablename__ = "district"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    nation_code: Mapped[str] = mapped_column(ForeignKey("nation.code"), index=True)
    # The postcode areas (the letters before the first digit: "LS", "G") the district serves,
    # space separated; an employer's first site decides its district.
    postcode_areas: Mapped[str] = mapped_column(Text, default="")

    nation: Mapped[Nation] = relationship()
    offices: Mapped[list[Office]] = relationship(back_populates="district", order_by="Office.name")


class Office(UUIDPrimaryKey, db.Model):
    __tablename__ = "office"

    name: Mapped[str] = mapped_column(String(120))
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"), index=True)
    postcode: Mapped[str | None] = mapped_column(String(10))

    district: Mapped[District] = relationship(back_populates="offices")


class Organisation(UUIDPrimaryKey, Timestamps, db.Model):
    """An employer account: the organisation and its single point of contact at JCP."""

    __tablename__ = "organisation"

    name: Mapped[str] = mapped_column(String(200), index=True)
    size_band: Mapped[SizeBand] = mapped_column(_enum(SizeBand), index=True)
    sector: Mapped[str] = mapped_column(String(60), index=True)
    ownership: Mapped[Ownership] = mapped_column(_enum(Ownership))
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"), index=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    # A branch of a national employer points at its head office; the head office's contact
    # is the national account manager.
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"), index=True)
    # "en" or "cy": the language the employer asked for at registration or told JCP; its
    # people's emails are in it unless a person chose otherwise.
    preferred_language: Mapped[str | None] = mapped_column(String(2))

    district: Mapped[District] = relationship()
    parent: Mapped[Organisation | None] = relationship(
        remote_side="Organisation.id", back_populates="branches"
    )
    branches: Mapped[list[Organisation]] = relationship(back_populates="parent")
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])
    sites: Mapped[list[Site]] = relationship(
        back_populates="organisation", order_by="Site.created_at"
    )
    memberships: Mapped[list[EmployerMembership]] = relationship(back_populates="organisation")


class Site(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "site"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    address_line_1: Mapped[str] = mapped_column(String(200))
    town: Mapped[str] = mapped_column(String(100))
    postcode: Mapped[str] = mapped_column(String(10), index=True)

    organisation: Mapped[Organisation] = relationship(back_populates="sites")


class EmployerMembership(UUIDPrimaryKey, Timestamps, db.Model):
    """An employer user's place in one organisation."""

    __tablename__ = "employer_membership"
    __table_args__ = (UniqueConstraint("user_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    role: Mapped[MembershipRole] = mapped_column(_enum(MembershipRole))

    user: Mapped[User] = relationship(back_populates="membership")
    organisation: Mapped[Organisation] = relationship(back_populates="memberships")


class ContactChange(UUIDPrimaryKey, db.Model):
    """History of an account's single point of contact: who handed over to whom, and why."""

    __tablename__ = "contact_change"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    from_contact_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), index=True
    )
    to_contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    changed_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id"), index=True
    )
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    from_contact: Mapped[User | None] = relationship(foreign_keys=[from_contact_id])
    to_contact: Mapped[User] = relationship(foreign_keys=[to_contact_id])
    changed_by: Mapped[User | None] = relationship(foreign_keys=[changed_by_id])


class ContactKind(enum.StrEnum):
    CALL = "call"
    MEETING = "meeting"
    VISIT = "visit"
    EMAIL = "email"
    EVENT = "event"


class ContactLogEntry(UUIDPrimaryKey, Timestamps, db.Model):
    """A call, meeting, visit, email or event with an employer, as the account's log keeps."""

    __tablename__ = "contact_log_entry"
    __table_args__ = (
        Index("ix_contact_log_entry_org_when", "organisation_id", "occurred_on"),
        # The employer's service rollup recounts a day's contacts.
        Index("ix_contact_log_entry_when", "occurred_on"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"))
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[ContactKind] = mapped_column(str_enum(ContactKind))
    occurred_on: Mapped[dt.date] = mapped_column(Date)
    people_met: Mapped[str] = mapped_column(String(500), default="")
    summary: Mapped[str] = mapped_column(Text, default="")

    organisation: Mapped[Organisation] = relationship()
    staff: Mapped[User] = relationship()


class NextAction(UUIDPrimaryKey, Timestamps, db.Model):
    """What happens next on an account: what, who, by when."""

    __tablename__ = "next_action"
    __table_args__ = (
        Index("ix_next_action_owner_open", "owner_id", "done_at", "due_on"),
        Index("ix_next_action_org_open", "organisation_id", "done_at", "due_on"),
    )

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"))
    contact_log_entry_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("contact_log_entry.id")
    )
    description: Mapped[str] = mapped_column(String(500))
    owner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    due_on: Mapped[dt.date] = mapped_column(Date)
    done_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    organisation: Mapped[Organisation] = relationship()
    owner: Mapped[User] = relationship()


class AssistedChange(UUIDPrimaryKey, db.Model):
    """Staff acting for an employer (assisted digital): who, by which channel, on what, so
    the employer sees "done for you by NAME, by phone" beside the record."""

    __tablename__ = "assisted_change"
    __table_args__ = (Index("ix_assisted_change_subject", "subject_type", "subject_id"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    staff_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    channel: Mapped[str] = mapped_column(String(20))  # phone, meeting, email, visit
    subject_type: Mapped[str] = mapped_column(String(30))  # vacancy, referral, outcome
    subject_id: Mapped[uuid.UUID] = mapped_column()
    summary: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff: Mapped[User] = relationship()


class JobsPledge(UUIDPrimaryKey, Timestamps, db.Model):
    """A national employer's pledge: job opportunities for priority customers over a period,
    made with its head-office agreement and covering every branch."""

    __tablename__ = "jobs_pledge"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    jobs: Mapped[int] = mapped_column()
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))

    organisation: Mapped[Organisation] = relationship()


class OutcomeTarget(UUIDPrimaryKey, Timestamps, db.Model):
    """Job outcomes a district is to reach in a period, set by an admin or coordinator."""

    __tablename__ = "outcome_target"
    __table_args__ = (UniqueConstraint("district_id", "period_start", "period_end"),)

    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    outcomes: Mapped[int] = mapped_column()
    set_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))

    district: Mapped[District] = relationship()


class EmployerAuditEntry(UUIDPrimaryKey, db.Model):
    """A change to an employer's team (or other organisation-level change): who did what to
    whom, and when. Read by the employer's owners and by the DAM who is its contact."""

    __tablename__ = "employer_audit_entry"
    __table_args__ = (Index("ix_employer_audit_entry_org_at", "organisation_id", "at"),)

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    action: Mapped[str] = mapped_column(String(40))
    # Whom the change was about, by name and email as they were then.
    subject: Mapped[str] = mapped_column(String(400), default="")
    detail: Mapped[str] = mapped_column(String(400), default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor: Mapped[User | None] = relationship()
