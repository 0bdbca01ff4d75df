"""Recruitment subsidy vouchers: £1,000 to an employer that takes on someone who has claimed
Jobseeker's Allowance for six months or longer, issued on the job outcome, claimed by the
employer, approved by the account's DAM or the district's coordinator, then paid."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from sqlalchemy import Date, ForeignKey, Index, Numeric, String
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.accounts.models import District, Organisation
from app.auth.models import User
from app.extensions import db
from app.models_base import UTCDateTime, UUIDPrimaryKey, str_enum, utcnow
from app.outcomes.models import JobOutcome
from app.statuses import VoucherStatus

__all__ = ["Voucher", "VoucherEvent", "VoucherStatus"]


class Voucher(UUIDPrimaryKey, db.Model):
    __tablename__ = "recruitment_voucher"
    __table_args__ = (
        # The employer's vouchers, latest first.
        Index("ix_recruitment_voucher_organisation", "organisation_id", "issued_at"),
        # A DAM's claims to approve; a coordinator's (no DAM) in the district.
        Index("ix_recruitment_voucher_approver_status", "approver_id", "status", "claimed_at"),
        Index("ix_recruitment_voucher_district_status", "district_id", "status", "claimed_at"),
        # Management information: each step counted by district and when it happened.
        Index("ix_recruitment_voucher_district_issued", "district_id", "issued_at"),
        Index("ix_recruitment_voucher_district_claimed", "district_id", "claimed_at"),
        Index("ix_recruitment_voucher_district_decided", "district_id", "decided_at"),
        Index("ix_recruitment_voucher_district_paid", "district_id", "paid_at"),
        # The payment run: approved vouchers not yet paid.
        Index("ix_recruitment_voucher_status", "status", "decided_at"),
    )

    outcome_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("job_outcome.id"), unique=True)
    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"))
    district_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("district.id"))
    amount: Mapped[Decimal] = mapped_column(Numeric(8, 2))
    status: Mapped[VoucherStatus] = mapped_column(str_enum(VoucherStatus))
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimable_from: Mapped[dt.date] = mapped_column(Date)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    claimed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    # Fixed when claimed: the DAM who manages the (large) account, or None for the district's
    # LEP coordinator.
    approver_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))
    rejection_reason: Mapped[str] = mapped_column(String(500), default="")
    paid_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    # The payment run that paid it (`flask vouchers pay`), e.g. "PR-20261204-0930".
    payment_run: Mapped[str] = mapped_column(String(40), default="")

    outcome: Mapped[JobOutcome] = relationship(
        backref=backref("voucher", uselist=False, lazy="select")
    )
    organisation: Mapped[Organisation] = relationship()
    district: Mapped[District] = relationship()
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    approver: Mapped[User | None] = relationship(foreign_keys=[approver_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    events: Mapped[list[VoucherEvent]] = relationship(
        back_populates="voucher", order_by="VoucherEvent.at"
    )

    @property
    def reference(self) -> str:
        """The short reference the employer and finance quote: the id's first 8 characters."""
        return f"RS-{str(self.id)[:8].upper()}"


class VoucherEvent(UUIDPrimaryKey, db.Model):
    """The audit trail: every step of a voucher, who took it and when (None: the payment run)."""

    __tablename__ = "recruitment_voucher_event"

    voucher_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("recruitment_voucher.id"), index=True)
    status: Mapped[VoucherStatus] = mapped_column(str_enum(VoucherStatus))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    detail: Mapped[str] = mapped_column(String(500), default="")

    voucher: Mapped[Voucher] = relationship(back_populates="events")
    by: Mapped[User | None] = relationship()
