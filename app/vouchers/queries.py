"""What the voucher pages read: each a fixed number of statements, whatever the rows."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.sql import ColumnElement

from app.accounts.models import Organisation
from app.extensions import db
from app.outcomes.models import JobOutcome, ValidationStatus
from app.vouchers.models import Voucher, VoucherEvent, VoucherStatus

#: Vouchers on one page of the employer's list, and claims on the approval list.
PAGE_SIZE = 50


def _outcome_loads():
    outcome = joinedload(Voucher.outcome)
    return (
        outcome.joinedload(JobOutcome.customer),
        outcome.joinedload(JobOutcome.vacancy),
    )


def employer_vouchers(organisation_id: uuid.UUID, page: int) -> tuple[list[Voucher], bool]:
    """One page of the employer's vouchers, latest first, and whether there are more."""
    vouchers = list(
        db.session.scalars(
            select(Voucher)
            .where(Voucher.organisation_id == organisation_id)
            .options(*_outcome_loads())
            .order_by(Voucher.issued_at.desc(), Voucher.id)
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return vouchers[:PAGE_SIZE], len(vouchers) > PAGE_SIZE


def _detail_loads():
    outcome = joinedload(Voucher.outcome)
    return (
        *_outcome_loads(),
        outcome.joinedload(JobOutcome.validated_by),
        outcome.selectinload(JobOutcome.sustainment_checks),
        joinedload(Voucher.organisation).joinedload(Organisation.contact),
        joinedload(Voucher.organisation).joinedload(Organisation.parent),
        joinedload(Voucher.district),
        joinedload(Voucher.claimed_by),
        joinedload(Voucher.approver),
        joinedload(Voucher.decided_by),
        selectinload(Voucher.events).joinedload(VoucherEvent.by),
    )


def employer_voucher(voucher_id: uuid.UUID, organisation_id: uuid.UUID) -> Voucher | None:
    """One of the signed-in employer's vouchers; another employer's is not found."""
    return db.session.scalar(
        select(Voucher)
        .where(Voucher.id == voucher_id, Voucher.organisation_id == organisation_id)
        .options(*_detail_loads())
    )


def staff_voucher(voucher_id: uuid.UUID, allowed: ColumnElement) -> Voucher | None:
    return db.session.scalar(
        select(Voucher).where(Voucher.id == voucher_id, allowed).options(*_detail_loads())
    )


def claims_to_approve(allowed: ColumnElement, *, dam_only: bool | None, page: int):
    """Claims waiting for a decision that ``allowed`` keeps, oldest claim first, one page, and
    whether there are more. ``dam_only`` False keeps the claims no DAM approves (the
    coordinator's), None keeps every one."""
    conditions = [Voucher.status == VoucherStatus.CLAIMED, allowed]
    if dam_only is False:
        conditions.append(Voucher.approver_id.is_(None))
    vouchers = list(
        db.session.scalars(
            select(Voucher)
            .where(*conditions)
            .options(*_outcome_loads(), joinedload(Voucher.organisation))
            .order_by(Voucher.claimed_at, Voucher.id)
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return vouchers[:PAGE_SIZE], len(vouchers) > PAGE_SIZE


def chosen_claims(voucher_ids: list[uuid.UUID], allowed: ColumnElement) -> list[Voucher]:
    """The claims among ``voucher_ids`` still waiting and the user's to decide."""
    if not voucher_ids:
        return []
    return list(
        db.session.scalars(
            select(Voucher)
            .where(Voucher.id.in_(voucher_ids), Voucher.status == VoucherStatus.CLAIMED, allowed)
            .options(*_outcome_loads(), joinedload(Voucher.organisation))
            .order_by(Voucher.claimed_at, Voucher.id)
        )
    )


def ready_to_claim(organisation_id: uuid.UUID, today) -> int:
    """How many of the employer's vouchers can be claimed today (the start validated, the
    qualifying period over), in one query."""
    return (
        db.session.scalar(
            select(func.count(Voucher.id))
            .join(JobOutcome, JobOutcome.id == Voucher.outcome_id)
            .where(
                Voucher.organisation_id == organisation_id,
                Voucher.status == VoucherStatus.ISSUED,
                Voucher.claimable_from <= today,
                JobOutcome.validation_status == ValidationStatus.VALIDATED,
            )
        )
        or 0
    )


def claims_waiting(allowed: ColumnElement, *, dam_only: bool | None) -> int:
    """How many claims wait for this member of staff (as `claims_to_approve` lists them)."""
    conditions = [Voucher.status == VoucherStatus.CLAIMED, allowed]
    if dam_only is False:
        conditions.append(Voucher.approver_id.is_(None))
    return db.session.scalar(select(func.count(Voucher.id)).where(*conditions)) or 0
