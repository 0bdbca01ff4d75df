"""A recruitment subsidy claim decided twice at the same instant (the DAM approving while a
coordinator rejects), and an employer's claim sent from two tabs at once: exactly one wins.

Real committed rows, two connections in two threads, both UPDATEs sent together after a
barrier (PostgreSQL only: SQLite has one writer at a time, so it cannot show the race).
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.customers.models import Customer
from app.models_base import utcnow
from app.outcomes.models import JobOutcome, ValidationStatus
from app.vouchers.models import Voucher, VoucherStatus
from app.vouchers.services import step_statement
from tests.postgres.conftest import at_once

pytestmark = pytest.mark.postgres_only

HOLD_LOCK = 0.2


@pytest.fixture
def voucher(engine, committed):
    """A voucher on a validated start of the committed employer, in `status`; deleted after."""
    made: list[tuple[uuid.UUID, uuid.UUID, uuid.UUID]] = []

    def make(status: VoucherStatus) -> uuid.UUID:
        recorder = committed.user(Role.LMRA)
        customer_id, outcome_id, voucher_id = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        with Session(engine) as session:
            session.add(
                Customer(
                    id=customer_id,
                    reference=f"R{customer_id.hex[:10]}",
                    first_name="Race",
                    last_name="Person",
                    date_of_birth=dt.date(1990, 1, 1),
                    postcode="LS1 4AP",
                    district_id=committed.district_id,
                )
            )
            session.flush()
            session.add(
                JobOutcome(
                    id=outcome_id,
                    customer_id=customer_id,
                    organisation_id=committed.organisation_id,
                    district_id=committed.district_id,
                    start_date=dt.date(2026, 3, 2),
                    hours_per_week=Decimal("30"),
                    hourly_pay=Decimal("13.00"),
                    priority_group=1,
                    lep_eligible=True,
                    counts_as_lep=True,
                    subsidy_eligible=True,
                    recorded_by_id=recorder,
                    recorded_by_employer=False,
                    validation_status=ValidationStatus.VALIDATED,
                )
            )
            session.flush()
            session.add(
                Voucher(
                    id=voucher_id,
                    outcome_id=outcome_id,
                    organisation_id=committed.organisation_id,
                    district_id=committed.district_id,
                    amount=Decimal("1000.00"),
                    status=status,
                    claimable_from=dt.date(2026, 6, 1),
                    rejection_reason="",
                    payment_run="",
                )
            )
            session.commit()
        made.append((voucher_id, outcome_id, customer_id))
        return voucher_id

    yield make
    with Session(engine) as session:
        for voucher_id, outcome_id, customer_id in made:
            session.execute(sa.delete(Voucher).where(Voucher.id == voucher_id))
            session.execute(sa.delete(JobOutcome).where(JobOutcome.id == outcome_id))
            session.execute(sa.delete(Customer).where(Customer.id == customer_id))
        session.commit()


def _step(voucher_id: uuid.UUID, step: str, **values):
    def work(session: Session) -> int:
        rowcount = session.execute(step_statement(voucher_id, step, **values)).rowcount
        time.sleep(HOLD_LOCK)
        return rowcount

    return work


@pytest.mark.parametrize("round_", range(2))
def test_approve_and_reject_at_the_same_instant_exactly_one_wins(
    engine, committed, voucher, round_
):
    voucher_id = voucher(VoucherStatus.CLAIMED)
    dam, coordinator = committed.user(Role.DAM), committed.user(Role.COORDINATOR)
    approved, rejected = at_once(
        engine,
        _step(voucher_id, "approve", decided_at=utcnow(), decided_by_id=dam),
        _step(
            voucher_id,
            "reject",
            decided_at=utcnow(),
            decided_by_id=coordinator,
            rejection_reason="No",
        ),
    )
    assert sorted([approved, rejected]) == [0, 1]
    with Session(engine) as session:
        row = session.get(Voucher, voucher_id)
        assert row.status is (VoucherStatus.APPROVED if approved else VoucherStatus.REJECTED)
        assert row.decided_by_id == (dam if approved else coordinator)


def test_a_claim_sent_from_two_tabs_at_once_is_claimed_once(engine, committed, voucher):
    voucher_id = voucher(VoucherStatus.ISSUED)
    first, second = at_once(
        engine,
        _step(voucher_id, "claim", claimed_at=utcnow()),
        _step(voucher_id, "claim", claimed_at=utcnow()),
    )
    assert sorted([first, second]) == [0, 1]
