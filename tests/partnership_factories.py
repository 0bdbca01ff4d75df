"""Partnered training providers: an accepted LEP Partnership Agreement, a provider's own
agreement with an employer, and a customer it entered."""

from __future__ import annotations

import datetime as dt

from app.accounts.models import District, Organisation
from app.agreements.models import Channel, Measure
from app.agreements.services import AgreementTerms, MeasureTerms
from app.auth.models import Role, User
from app.customers.models import Customer
from app.extensions import db
from app.models_base import utcnow
from app.partnerships.models import (
    Partnership,
    PartnershipStatus,
    ProviderAgreement,
    ProviderCustomer,
)
from app.partnerships.services import record_employer_agreement
from app.pet.models import TrainingProvider
from tests.customer_factories import CustomerFactory
from tests.factories import ProviderUserFactory, StaffFactory


def tppm_in(district: District, **kwargs) -> User:
    return StaffFactory(role=Role.TPPM, district=district, **kwargs)


def partnership(
    provider: TrainingProvider,
    district: District,
    *,
    accepted: bool = True,
    offered_by: User | None = None,
    accepted_by: User | None = None,
) -> Partnership:
    offered_by = offered_by or tppm_in(district)
    made = Partnership(
        provider=provider,
        district=district,
        status=PartnershipStatus.ACCEPTED if accepted else PartnershipStatus.OFFERED,
        offered_by=offered_by,
        offered_at=utcnow(),
    )
    if accepted:
        made.accepted_by = accepted_by or ProviderUserFactory(provider=provider)
        made.accepted_at = utcnow()
    db.session.add(made)
    db.session.flush()
    return made


def partnered_user(district: District, **kwargs) -> User:
    """A provider user whose provider has accepted the agreement for `district`."""
    user = ProviderUserFactory(**kwargs)
    partnership(user.provider, district, accepted_by=user)
    return user


def employer_agreement(
    user: User, organisation: Organisation, agreed_on: dt.date | None = None
) -> ProviderAgreement:
    found = (
        db.session.query(Partnership)
        .filter_by(provider_id=user.provider_id, district_id=organisation.district_id)
        .one()
    )
    agreement = record_employer_agreement(
        found,
        organisation,
        AgreementTerms(
            agreed_on=agreed_on or dt.date(2026, 11, 2),
            channel=Channel.MEETING,
            measures=[MeasureTerms(Measure.WORK_TRIALS, places=2)],
        ),
        user,
    )
    db.session.flush()
    return agreement


def provider_customer(user: User, district: District, **kwargs) -> Customer:
    """A consented customer the user's provider entered, on nobody's caseload."""
    kwargs.setdefault("consent_given", True)
    kwargs.setdefault("readiness_set_by", user)
    customer = CustomerFactory(adviser=None, office=None, district=district, **kwargs)
    db.session.add(
        ProviderCustomer(provider_id=user.provider_id, customer=customer, entered_by_id=user.id)
    )
    db.session.flush()
    return customer
