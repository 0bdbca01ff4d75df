"""Jobseekers ("customers"), their consent to share details, and who saw their details."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import District, Office, Organisation
from app.auth.models import User
from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, str_enum, utcnow


class Benefit(enum.StrEnum):
    JSA = "jsa"
    ESA = "esa"
    IB = "ib"
    IS = "is"


class Readiness(enum.StrEnum):
    GREEN = "green"  # job-ready: matched to LEP vacancies
    AMBER = "amber"  # needs some help first
    RED = "red"  # furthest from work: not for LEP matching yet


class Customer(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "customer"
    __table_args__ = (
        # The matching query: consented, green customers of a district.
        Index("ix_customer_matching", "district_id", "consent_given", "readiness"),
        # The staff list: a district's customers in name order.
        Index("ix_customer_district_name", "district_id", "last_name", "first_name"),
        # Whether a referred customer consented, read from the index alone (the employer's
        # home page checks it for each candidate waiting).
        Index("ix_customer_consent", "id", "consent_given"),
    )

    reference: Mapped[str] = mapped_column(String(20), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    date_of_birth: Mapped[dt.date] = mapped_column(Date)
    postcode: Mapped[str] = mapped_column(String(10))
    disadvantaged_ward: Mapped[bool] = mapped_column(default=False)
    benefit: Mapped[Benefit | None] = mapped_column(str_enum(Benefit, 10))
    claim_start: Mapped[dt.date | None] = mapped_column(Date)
    lone_parent: Mapped[bool] = mapped_column(default=False)
    disabled: Mapped[bool] = mapped_column(default=False)
    nddp_eligible: Mapped[bool] = mapped_column(default=False)
    employed: Mapped[bool] = mapped_column(default=False)
    under_redundancy_notice: Mapped[bool] = mapped_column(default=False)
    other_disadvantage: Mapped[bool] = mapped_column(default=False)
    # Job goals
    goal_sectors: Mapped[list] = mapped_column(JSON, default=list)
    goal_occupations: Mapped[str] = mapped_column(String(500), default="")
    min_hours: Mapped[int | None] = mapped_column()
    max_hours: Mapped[int | None] = mapped_column()
    travel_miles: Mapped[int] = mapped_column(default=10)
    # What an employer may see (with consent): experience, skills, availability.
    experience: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[str] = mapped_column(Text, default="")
    availability: Mapped[str] = mapped_column(String(500), default="")
    readiness: Mapped[Readiness] = mapped_column(str_enum(Readiness, 10), default=Readiness.AMBER)
    readiness_set_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    readiness_set_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    # The current consent, kept here for filtering; its history is in Consent.
    consent_given: Mapped[bool] = mapped_column(default=False)
    adviser_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    office_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("office.id"), index=True)
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    adviser: Mapped[User | None] = relationship(foreign_keys=[adviser_id])
    readiness_set_by: Mapped[User | None] = relationship(foreign_keys=[readiness_set_by_id])
    office: Mapped[Office | None] = relationship()
    district: Mapped[District] = relationship()
    consents: Mapped[list[Consent]] = relationship(
        back_populates="customer", order_by="Consent.recorded_at"
    )

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Consent(UUIDPrimaryKey, db.Model):
    """Consent to share details with employers and providers (Data Protection Act)."""

    __tablename__ = "consent"

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), index=True)
    given: Mapped[bool] = mapped_column()
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(String(500), default="")

    customer: Mapped[Customer] = relationship(back_populates="consents")
    recorded_by: Mapped[User] = relationship()


class AuditEntry(UUIDPrimaryKey, db.Model):
    """Who saw or changed whose personal data, and when: every employer or provider view of
    a customer's details, and every staff change to them."""

    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_customer_at", "customer_id", "at"),)

    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"))
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    organisation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("organisation.id"))
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[str] = mapped_column(String(500), default="")
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship()
    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
