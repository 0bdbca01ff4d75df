"""Pure rules of the recruitment subsidy: who earns a voucher, when it can be claimed, which
steps each status allows, and who approves a claim."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from app.customers.rules import subsidy_eligible
from app.statuses import ValidationStatus, VoucherStatus
from app.vouchers.rules import (
    AMOUNT,
    QUALIFYING_WEEKS,
    STEPS,
    approver,
    claimable_from,
    issues_voucher,
    may_claim,
    next_status,
)


def test_the_subsidy_is_a_thousand_pounds_after_thirteen_weeks():
    assert Decimal("1000.00") == AMOUNT
    assert QUALIFYING_WEEKS == 13


@pytest.mark.parametrize(
    ("benefit", "claim_start", "job_start", "outcome_status", "expected"),
    [
        # Six months of JSA on the start date, from April 2009: a voucher.
        ("jsa", date(2026, 1, 1), date(2026, 7, 1), ValidationStatus.VALIDATED, True),
        ("jsa", date(2026, 1, 1), date(2026, 7, 1), ValidationStatus.AWAITING_EMPLOYER, True),
        ("jsa", date(2026, 1, 1), date(2026, 7, 1), ValidationStatus.DISPUTED, True),
        # The start was rejected: no voucher.
        ("jsa", date(2026, 1, 1), date(2026, 7, 1), ValidationStatus.REJECTED, False),
        # A day short of six months.
        ("jsa", date(2026, 1, 2), date(2026, 7, 1), ValidationStatus.VALIDATED, False),
        # Another benefit, however long.
        ("esa", date(2020, 1, 1), date(2026, 7, 1), ValidationStatus.VALIDATED, False),
        (None, None, date(2026, 7, 1), ValidationStatus.VALIDATED, False),
        # Before the subsidy began (1 April 2009).
        ("jsa", date(2008, 1, 1), date(2009, 3, 31), ValidationStatus.VALIDATED, False),
        ("jsa", date(2008, 1, 1), date(2009, 4, 1), ValidationStatus.VALIDATED, True),
    ],
)
def test_who_earns_a_voucher(benefit, claim_start, job_start, outcome_status, expected):
    eligible = subsidy_eligible(benefit, claim_start, job_start)
    assert issues_voucher(eligible, outcome_status) is expected


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (date(2026, 3, 2), date(2026, 6, 1)),  # a Monday: 13 weeks on is a Monday
        (date(2026, 12, 31), date(2027, 4, 1)),  # across the year end
        (date(2028, 2, 29), date(2028, 5, 30)),  # a leap day
    ],
)
def test_claimable_from_is_thirteen_weeks_after_the_start(start, expected):
    assert claimable_from(start) == expected


@pytest.mark.parametrize(
    ("status", "outcome_status", "today", "expected"),
    [
        (
            VoucherStatus.ISSUED,
            ValidationStatus.VALIDATED,
            date(2026, 6, 1),
            True,
        ),  # the first claimable day
        (VoucherStatus.ISSUED, ValidationStatus.VALIDATED, date(2026, 12, 1), True),
        (VoucherStatus.ISSUED, ValidationStatus.VALIDATED, date(2026, 5, 31), False),  # a day early
        (
            VoucherStatus.ISSUED,
            ValidationStatus.AWAITING_EMPLOYER,
            date(2026, 12, 1),
            False,
        ),  # start not confirmed
        (VoucherStatus.ISSUED, ValidationStatus.DISPUTED, date(2026, 12, 1), False),
        (VoucherStatus.ISSUED, ValidationStatus.REJECTED, date(2026, 12, 1), False),
        (
            VoucherStatus.CLAIMED,
            ValidationStatus.VALIDATED,
            date(2026, 12, 1),
            False,
        ),  # claimed once already
        (VoucherStatus.APPROVED, ValidationStatus.VALIDATED, date(2026, 12, 1), False),
        (VoucherStatus.REJECTED, ValidationStatus.VALIDATED, date(2026, 12, 1), False),
        (VoucherStatus.PAID, ValidationStatus.VALIDATED, date(2026, 12, 1), False),
        (VoucherStatus.CANCELLED, ValidationStatus.VALIDATED, date(2026, 12, 1), False),
    ],
)
def test_may_claim(status, outcome_status, today, expected):
    assert may_claim(status, outcome_status, date(2026, 6, 1), today) is expected


@pytest.mark.parametrize(
    ("status", "step", "expected"),
    [
        (VoucherStatus.ISSUED, "claim", VoucherStatus.CLAIMED),
        (VoucherStatus.CLAIMED, "approve", VoucherStatus.APPROVED),
        (VoucherStatus.CLAIMED, "reject", VoucherStatus.REJECTED),
        (VoucherStatus.APPROVED, "pay", VoucherStatus.PAID),
        (VoucherStatus.ISSUED, "cancel", VoucherStatus.CANCELLED),
        (VoucherStatus.CLAIMED, "claim", None),  # a second claim
        (VoucherStatus.APPROVED, "approve", None),  # approved twice
        (VoucherStatus.ISSUED, "approve", None),  # approved before it was claimed
        (VoucherStatus.REJECTED, "pay", None),
        (VoucherStatus.CLAIMED, "pay", None),  # paid before approval
        (VoucherStatus.PAID, "reject", None),
        (VoucherStatus.CLAIMED, "cancel", None),  # a claim in hand is decided, not cancelled
    ],
)
def test_which_steps_each_status_allows(status, step, expected):
    if expected is None:
        with pytest.raises(ValueError):
            next_status(status, step)
    else:
        assert next_status(status, step) == expected


def test_every_step_starts_from_a_different_status_or_goes_somewhere_new():
    assert len({(origin, target) for origin, target in STEPS.values()}) == len(STEPS)


@pytest.mark.parametrize(
    ("size_band", "manager_role", "expected"),
    [
        ("large", "dam", "dam"),  # bulk recruitment: the DAM who manages the account
        ("large", "lmra", "coordinator"),
        ("large", None, "coordinator"),  # no single point of contact
        ("sme", "dam", "coordinator"),  # a small employer: the individual voucher route
        ("sme", "lmra", "coordinator"),
        ("sme", None, "coordinator"),
    ],
)
def test_who_approves_a_claim(size_band, manager_role, expected):
    assert approver(size_band, manager_role) == expected
