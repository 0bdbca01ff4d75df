"""Each step of a voucher's life, in the caller's transaction (the view or CLI commits).

Every step is a conditional UPDATE on the status it expects (compare-and-set), so a double
click, two tabs or a DAM and a coordinator deciding at once change a voucher once: the
loser's call returns False (or leaves the voucher out of its count) and changes nothing. Each
step that happens writes a `VoucherEvent` (the audit trail: who, when, what) and queues an
email to the employer's owners.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.dml import Update

from app.accounts.models import Organisation
from app.accounts.services import owner_emails, owners_of
from app.auth.models import User
from app.compare_and_set import compare_and_set, status_update
from app.extensions import db
from app.mail.services import queue_email
from app.models_base import utcnow
from app.outcomes.models import JobOutcome
from app.vouchers import rules
from app.vouchers.models import Voucher, VoucherEvent, VoucherStatus


def _tell_employer(voucher: Voucher, subject, template: str) -> None:
    for recipient in owner_emails(voucher.organisation_id):
        queue_email(
            recipient,
            subject,
            template,
            voucher=voucher,
            outcome=voucher.outcome,
            organisation=voucher.organisation,
        )


def _tell_employers(vouchers: list[Voucher], subject, template: str) -> None:
    """Each voucher's employer told, the owners of all of them read in one query."""
    owners = owners_of({voucher.organisation_id for voucher in vouchers})
    for voucher in vouchers:
        for owner in owners.get(voucher.organisation_id, []):
            queue_email(
                owner.email,
                subject,
                template,
                voucher=voucher,
                outcome=voucher.outcome,
                organisation=voucher.organisation,
            )


def _event(voucher_id: uuid.UUID, status: VoucherStatus, by: User | None, detail: str = "") -> None:
    db.session.add(
        VoucherEvent(
            voucher_id=voucher_id, status=status, by_id=by.id if by else None, detail=detail
        )
    )


def step_statement(voucher_id: uuid.UUID, step: str, **values) -> Update:
    """The conditional UPDATE of one step: it changes the voucher only while its status is
    still the one the step starts from (any session may run it)."""
    origin, target = rules.STEPS[step]
    return status_update(Voucher, voucher_id, origin, {"status": target, **values})


def _move(voucher_id: uuid.UUID, step: str, **values) -> bool:
    """Move one voucher by a step if it is still in the status the step starts from."""
    origin, target = rules.STEPS[step]
    return compare_and_set(Voucher, voucher_id, origin, {"status": target, **values})


def issue(outcome: JobOutcome, by: User) -> Voucher | None:
    """The voucher for a start eligible for the subsidy (None for any other), claimable after
    the qualifying period; the employer's owners are told. Called when the start is recorded."""
    if not rules.issues_voucher(outcome.subsidy_eligible, outcome.validation_status):
        return None
    now = utcnow()
    voucher = Voucher(
        outcome=outcome,
        organisation_id=outcome.organisation_id,
        district_id=outcome.district_id,
        amount=rules.AMOUNT,
        status=VoucherStatus.ISSUED,
        issued_at=now,
        claimable_from=rules.claimable_from(outcome.start_date),
        rejection_reason="",
        payment_run="",
    )
    db.session.add(voucher)
    voucher.events.append(VoucherEvent(status=VoucherStatus.ISSUED, at=now, by_id=by.id, detail=""))
    db.session.flush()
    _tell_employer(
        voucher, _l("A £1,000 recruitment subsidy voucher for a new starter"), "voucher_issued"
    )
    return voucher


def account_manager(organisation: Organisation) -> User | None:
    """The account's single point of contact, or its national employer's for a branch."""
    if organisation.contact is not None:
        return organisation.contact
    return organisation.parent.contact if organisation.parent is not None else None


def approver_for(organisation: Organisation) -> User | None:
    """The DAM who approves this employer's claims, or None for the district's coordinator."""
    manager = account_manager(organisation)
    role = manager.role.value if manager is not None else None
    if rules.approver(organisation.size_band.value, role) == "dam":
        return manager
    return None


def claim(voucher: Voucher, employer: User) -> bool:
    """The employer claims the voucher: one step, on the data the portal holds. False if it
    was claimed already (a second click) or is not claimable."""
    now = utcnow()
    manager = approver_for(voucher.organisation)
    if not _move(
        voucher.id,
        "claim",
        claimed_at=now,
        claimed_by_id=employer.id,
        approver_id=manager.id if manager else None,
    ):
        return False
    _event(voucher.id, VoucherStatus.CLAIMED, employer)
    db.session.expire(voucher)
    _tell_employer(voucher, _l("We have your recruitment subsidy claim"), "voucher_claimed")
    return True


def approve(voucher_ids: Iterable[uuid.UUID], staff: User, allowed) -> list[uuid.UUID]:
    """Approve the claims among ``voucher_ids`` that are still waiting and that ``allowed``
    (a filter on Voucher: the ones this member of staff may decide) keeps; the ids approved.
    A claim someone else decided a moment ago is left out, not approved twice."""
    now = utcnow()
    ids = list(
        db.session.scalars(
            select(Voucher.id).where(
                Voucher.id.in_(list(voucher_ids)), Voucher.status == VoucherStatus.CLAIMED, allowed
            )
        )
    )
    approved = [
        voucher_id
        for voucher_id in ids
        if _move(voucher_id, "approve", decided_at=now, decided_by_id=staff.id)
    ]
    for voucher_id in approved:
        _event(voucher_id, VoucherStatus.APPROVED, staff)
    _tell_employers(
        _loaded(approved), _l("Your recruitment subsidy claim is approved"), "voucher_approved"
    )
    return approved


def reject(voucher: Voucher, staff: User, reason: str) -> bool:
    reason = reason.strip()
    if not reason:
        raise ValueError("a rejection needs a reason")
    if not _move(
        voucher.id, "reject", decided_at=utcnow(), decided_by_id=staff.id, rejection_reason=reason
    ):
        return False
    _event(voucher.id, VoucherStatus.REJECTED, staff, reason)
    db.session.expire(voucher)
    _tell_employer(
        voucher, _l("Your recruitment subsidy claim was not approved"), "voucher_rejected"
    )
    return True


def cancel_for_outcome(outcome: JobOutcome, by: User, reason: str) -> bool:
    """The start behind an unclaimed voucher was rejected: the voucher is cancelled. Called by
    the outcomes service when a coordinator rejects a start."""
    voucher_id = db.session.scalar(select(Voucher.id).where(Voucher.outcome_id == outcome.id))
    if voucher_id is None or not _move(voucher_id, "cancel"):
        return False
    _event(voucher_id, VoucherStatus.CANCELLED, by, reason)
    return True


def pay(run: str, now: dt.datetime | None = None, limit: int = 1000) -> list[Voucher]:
    """One payment run: every approved voucher (up to ``limit``, oldest approval first) marked
    paid in run ``run``, each employer told. Returns the vouchers paid, for the payment file."""
    now = now or utcnow()
    candidates = list(
        db.session.scalars(
            select(Voucher.id)
            .where(Voucher.status == VoucherStatus.APPROVED)
            .order_by(Voucher.decided_at, Voucher.id)
            .limit(limit)
        )
    )
    paid = [
        voucher_id
        for voucher_id in candidates
        if _move(voucher_id, "pay", paid_at=now, payment_run=run)
    ]
    for voucher_id in paid:
        _event(voucher_id, VoucherStatus.PAID, None, run)
    vouchers = _loaded(paid)
    _tell_employers(vouchers, _l("Your recruitment subsidy has been paid"), "voucher_paid")
    return vouchers


def _loaded(voucher_ids: list[uuid.UUID]) -> list[Voucher]:
    if not voucher_ids:
        return []
    return list(
        db.session.scalars(
            select(Voucher)
            .where(Voucher.id.in_(voucher_ids))
            .options(
                joinedload(Voucher.organisation),
                joinedload(Voucher.outcome).joinedload(JobOutcome.customer),
                joinedload(Voucher.outcome).joinedload(JobOutcome.vacancy),
            )
            .order_by(Voucher.decided_at, Voucher.id)
            .execution_options(populate_existing=True)
        )
    )
