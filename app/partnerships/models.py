"""The LEP Partnership Agreement between Jobcentre Plus and a training provider, and what a
partnered provider keeps under it: its named subcontractors, its own verbal LEP agreements with
employers, and the customers it enters."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import JSON, Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import District, Organisation
from app.agreements.models import MEASURE_POSITION, Channel, Measure
from app.auth.models import User
from app.customers.models import Customer
from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, str_enum, utcnow
from app.pet.models import TrainingProvider
from app.statuses import PartnershipStatus


class Partnership(UUIDPrimaryKey, Timestamps, db.Model):
    """A provider's LEP Partnership Agreement for one district: offered by the district's
    TPPM, accepted by one of the provider's users in the portal (who and when are kept)."""

    __tablename__ = "partnership"
    __table_args__ = (
        UniqueConstraint("provider_id", "district_id"),
        # What a provider's agreement covers: its accepted partnerships, on every page.
        Index("ix_partnership_provider_status", "provider_id", "status"),
        Index("ix_partnership_district", "district_id"),
    )

    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_provider.id"))
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"))
    status: Mapped[PartnershipStatus] = mapped_column(
        str_enum(PartnershipStatus), default=PartnershipStatus.OFFERED
    )
    offered_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    offered_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    accepted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    provider: Mapped[TrainingProvider] = relationship()
    district: Mapped[District] = relationship()
    offered_by: Mapped[User] = relationship(foreign_keys=[offered_by_id])
    accepted_by: Mapped[User | None] = relationship(foreign_keys=[accepted_by_id])


class Subcontractor(UUIDPrimaryKey, Timestamps, db.Model):
    """A subcontractor the provider names: its partnership agreements cover it too."""

    __tablename__ = "partnership_subcontractor"
    __table_args__ = (Index("ix_partnership_subcontractor_provider", "provider_id", "removed_at"),)

    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_provider.id"))
    name: Mapped[str] = mapped_column(String(200))
    added_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    removed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    removed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))

    added_by: Mapped[User] = relationship(foreign_keys=[added_by_id])


class ProviderAgreement(UUIDPrimaryKey, Timestamps, db.Model):
    """A verbal LEP agreement a partnered provider made with an employer: the same measures
    and groups of jobseekers as the LMRA's capture. The employer's single point of contact at
    the time (if it had one) is kept: they were told and see it on the account."""

    __tablename__ = "provider_agreement"
    __table_args__ = (
        Index("ix_provider_agreement_provider_created", "provider_id", "created_at"),
        Index("ix_provider_agreement_organisation", "organisation_id", "agreed_on"),
        Index("ix_provider_agreement_partnership", "partnership_id"),
    )

    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_provider.id"))
    partnership_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partnership.id"))
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"))
    recorded_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    agreed_on: Mapped[dt.date] = mapped_column(Date)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel))
    priority_groups: Mapped[list] = mapped_column(JSON, default=list)
    # [{"measure": "work_trials", "places": 3, "details": ""}, ...]
    measures: Mapped[list] = mapped_column(JSON, default=list)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))

    provider: Mapped[TrainingProvider] = relationship()
    partnership: Mapped[Partnership] = relationship()
    organisation: Mapped[Organisation] = relationship()
    recorded_by: Mapped[User] = relationship(foreign_keys=[recorded_by_id])
    contact: Mapped[User | None] = relationship(foreign_keys=[contact_id])

    @property
    def measures_in_order(self) -> list[dict]:
        known = [
            item for item in self.measures if item.get("measure") in Measure._value2member_map_
        ]
        return sorted(known, key=lambda item: MEASURE_POSITION[Measure(item["measure"])])


class ProviderCustomer(UUIDPrimaryKey, db.Model):
    """A customer a partnered provider entered: its own, to put forward and place."""

    __tablename__ = "provider_customer"
    __table_args__ = (Index("ix_provider_customer_provider_created", "provider_id", "created_at"),)

    provider_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("training_provider.id"))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id"), unique=True)
    entered_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    customer: Mapped[Customer] = relationship()
