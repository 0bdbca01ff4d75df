"""Factories for the recruitment subsidy tests: a large account its DAM manages, an SME, and
a start that earned a voucher, recorded through the services as the portal does."""

from __future__ import annotations

import datetime as dt

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
