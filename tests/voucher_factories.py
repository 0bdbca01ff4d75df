"""Factories for the recruitment subsidy tests: a large account its DAM manages, an SME, and
a start that earned a voucher, recorded through the services as the portal does."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.accounts.models import SizeBand
from app.auth.models import Role
from app.extensions import db
from app.outcomes.services import today
from app.vouchers import services
from app.vouchers.models import Voucher
from tests.factories import OrganisationFactory, employer_user
from tests.outcome_factories import OfferedReferralFactory, customer_in, record, staff_in

#: Long enough ago that the voucher can be claimed today.
CLAIMABLE_START_WEEKS = 14


def large_account(district, dam=None):
    """A large employer in ``district`` whose single point of contact is a DAM."""
    dam = dam or staff_in(district, Role.DAM)
    organisation = OrganisationFactory(district=district, size_band=SizeBand.LARGE, contact=dam)
    return organisation, dam


def voucher_for(
    organisation,
    owner=None,
    *,
    weeks_ago: int = CLAIMABLE_START_WEEKS,
    name: str = "Ada",
    long_term: bool = True,
) -> Voucher | None:
    """A start the employer recorded ``weeks_ago`` (validated at once); its voucher, or None
    when the person had claimed JSA for under six months."""
    owner = owner or employer_user(organisation)
    start = today() - dt.timedelta(weeks=weeks_ago)
    claim_start = start - dt.timedelta(days=400 if long_term else 30)
    referral = OfferedReferralFactory(
        vacancy__organisation=organisation,
        customer=customer_in(organisation.district, claim_start=claim_start, first_name=name),
    )
    outcome = record(referral, owner, start=start)
    db.session.flush()
    return db.session.get(Voucher, outcome.voucher.id) if outcome.voucher else None


def claimed(voucher: Voucher, owner) -> Voucher:
    assert services.claim(voucher, owner)
    db.session.flush()
    db.session.refresh(voucher)
    return voucher


# --- management information -------------------------------------------------------------------

#: Moments around March 2026 (the MI tests' month), UK time: inside it, at its edges (the
#: clocks go forward on 29 March), and in the months either side.
MI_MOMENTS = (
    dt.datetime(2026, 2, 10, 12, 0),
    dt.datetime(2026, 2, 28, 23, 50),  # the month before, ten minutes from March
    dt.datetime(2026, 3, 1, 0, 10),  # March's first minutes
    dt.datetime(2026, 3, 15, 9, 30),
    dt.datetime(2026, 3, 31, 23, 30),  # the last half hour of March, in summer time
    dt.datetime(2026, 4, 1, 0, 30),  # April
    dt.datetime(2026, 4, 20, 15, 0),
)


def mi_vouchers(district_ids, seed: int) -> None:
    """A voucher for each subsidy-eligible start of the MI world's districts, stopped at a
    random step (issued, claimed, approved, rejected, paid, cancelled), each step at a random
    moment no earlier than the one before. Written directly, as the MI world's rows are."""
    import random

    from app.clock import LONDON
    from app.outcomes.models import JobOutcome
    from app.vouchers.models import VoucherStatus

    rng = random.Random(seed + 2)
    outcomes = db.session.scalars(
        select(JobOutcome)
        .where(JobOutcome.subsidy_eligible.is_(True), JobOutcome.district_id.in_(district_ids))
        .order_by(JobOutcome.id)
    )

    def after(moment: dt.datetime | None) -> dt.datetime:
        later = [m for m in MI_MOMENTS if moment is None or m >= moment.replace(tzinfo=None)]
        return rng.choice(later).replace(tzinfo=LONDON)

    for outcome in outcomes:
        status = rng.choice(list(VoucherStatus))
        issued = after(None)
        claimed_at = decided = paid = None
        if status not in (VoucherStatus.ISSUED, VoucherStatus.CANCELLED):
            claimed_at = after(issued)
        if status in (VoucherStatus.APPROVED, VoucherStatus.REJECTED, VoucherStatus.PAID):
            decided = after(claimed_at)
        if status is VoucherStatus.PAID:
            paid = after(decided)
        db.session.add(
            Voucher(
                outcome_id=outcome.id,
                organisation_id=outcome.organisation_id,
                district_id=outcome.district_id,
                amount=services.rules.AMOUNT,
                status=status,
                issued_at=issued,
                claimable_from=outcome.start_date + dt.timedelta(weeks=13),
                claimed_at=claimed_at,
                decided_at=decided,
                paid_at=paid,
                rejection_reason="Left" if status is VoucherStatus.REJECTED else "",
                payment_run="PR-test" if paid else "",
            )
        )
    db.session.flush()
