"""Where the service works (nations, districts, offices) and the employers it works with."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow


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

    district: Mapped[District] = relationship()
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
