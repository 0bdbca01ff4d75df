"""The recruitment subsidy's rules, as pure functions of plain values.

Source: seed 003 (the IES evaluation), section 2.1: from April 2009 "£1,000 paid to employers
who took on unemployed people who had been claiming JSA for six months or longer ... delivered
through an individual voucher system for low-volume recruitment. For bulk recruitment with
large-scale employers, the subsidy was ... managed through Jobcentre Plus LEP and account
management staff." Who is eligible is `app.customers.rules.subsidy_eligible`, fixed on the
outcome when the start is recorded.

The sources give no qualifying period. The portal takes 13 weeks, the first point at which
it already asks the employer whether the person is still employed (the sustainment check),
so the claim's declaration and that question are about the same thing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from app.customers.rules import RECRUITMENT_SUBSIDY_POUNDS
from app.statuses import ValidationStatus, VoucherStatus

#: The subsidy paid for each eligible start.
AMOUNT = Decimal(RECRUITMENT_SUBSIDY_POUNDS).quantize(Decimal("0.01"))
#: Weeks in work after the start date before the employer may claim.
QUALIFYING_WEEKS = 13

#: Which status each step moves a voucher from, and to.
STEPS: dict[str, tuple[VoucherStatus, VoucherStatus]] = {
    "claim": (VoucherStatus.ISSUED, VoucherStatus.CLAIMED),
    "approve": (VoucherStatus.CLAIMED, VoucherStatus.APPROVED),
    "reject": (VoucherStatus.CLAIMED, VoucherStatus.REJECTED),
    "pay": (VoucherStatus.APPROVED, VoucherStatus.PAID),
    "cancel": (VoucherStatus.ISSUED, VoucherStatus.CANCELLED),
}

Approver = Literal["dam", "coordinator"]


def issues_voucher(subsidy_eligible: bool, outcome_status: ValidationStatus) -> bool:
    """A start eligible for the subsidy earns a voucher unless a coordinator rejected it."""
    return subsidy_eligible and outcome_status is not ValidationStatus.REJECTED


def claimable_from(start_date: dt.date) -> dt.date:
    """The first day the employer may claim: the qualifying period after the start."""
    return start_date + dt.timedelta(weeks=QUALIFYING_WEEKS)


def may_claim(
    status: VoucherStatus, outcome_status: ValidationStatus, claimable_on: dt.date, today: dt.date
) -> bool:
    """An issued voucher, on a start the employer has validated (confirmed or recorded), on
    or after the day it becomes claimable."""
    return (
        status is VoucherStatus.ISSUED
        and outcome_status is ValidationStatus.VALIDATED
        and today >= claimable_on
    )


def next_status(status: VoucherStatus, step: str) -> VoucherStatus:
    """The status a step leads to; ValueError for a step the status does not allow."""
    origin, target = STEPS[step]
    if status != origin:
        raise ValueError(f"cannot {step} a voucher that is {status}")
    return target


def approver(size_band: str, account_manager_role: str | None) -> Approver:
    """Who approves a claim. Large employers managed by a District Account Manager (their
    single point of contact, or their national employer's, is a DAM) are the "bulk
    recruitment" of the evaluation: their DAM approves. Everyone else's voucher is approved
    by the district's LEP coordinator."""
    if size_band == "large" and account_manager_role == "dam":
        return "dam"
    return "coordinator"
