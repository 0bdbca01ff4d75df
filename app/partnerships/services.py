"""Offering and accepting the LEP Partnership Agreement, and what a partnered provider does
under it. Every operation adds to the caller's session; the view commits, so a change, its
audit entries and its emails are saved together or not at all."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from app.accounts.models import Organisation
from app.agreements.models import MEASURES_WITH_PLACES
from app.agreements.services import AgreementTerms
from app.auth.models import User
from app.compare_and_set import compare_and_set
from app.customers.models import Customer, Readiness
from app.customers.services import create_customer, set_consent
from app.extensions import db
from app.mail.services import queue_email
from app.models_base import utcnow
from app.outcomes.models import JobOutcome
from app.outcomes.services import record_agreement_start, record_start
from app.partnerships import queries, rules
from app.partnerships.models import (
    Partnership,
    ProviderAgreement,
    ProviderCustomer,
    Subcontractor,
)
from app.pet.models import TrainingProvider
from app.referrals.models import Referral
from app.referrals.services import refer
from app.statuses import PartnershipStatus
from app.vacancies.models import Vacancy


class AlreadyOffered(Exception):
    """The provider has an agreement (offered or accepted) for this district already."""


# --- the agreement ---------------------------------------------------------------------------


def offer(provider: TrainingProvider, district_id: uuid.UUID, by: User) -> Partnership:
    """A TPPM offers the provider the LEP Partnership Agreement for their district; the
    provider's users (and its contact address) are emailed to accept it in the portal."""
    if queries.partnership_in(provider.id, district_id) is not None:
        raise AlreadyOffered
    partnership = Partnership(
        provider_id=provider.id,
        district_id=district_id,
        status=PartnershipStatus.OFFERED,
        offered_by_id=by.id,
        offered_by=by,
        offered_at=utcnow(),
    )
    db.session.add(partnership)
    recipients = {person.email for person in queries.provider_users(provider.id)}
    if provider.contact_email:
        recipients.add(provider.contact_email)
    for recipient in sorted(recipients):
        queue_email(
            recipient,
            _l("You are offered a LEP Partnership Agreement"),
            "partnership_offered",
            provider=provider,
            offered_by=by,
        )
    return partnership


def accept(partnership: Partnership, by: User) -> bool:
    """The provider accepts: a conditional UPDATE records who and when once only (two people
    accepting at once leave one acceptance). The TPPM who offered it is told."""
    if not rules.may_accept(partnership.status.value):
        return False
    won = compare_and_set(
        Partnership,
        partnership.id,
        PartnershipStatus.OFFERED,
        {"status": PartnershipStatus.ACCEPTED, "accepted_by_id": by.id, "accepted_at": utcnow()},
    )
    if not won:
        return False
    db.session.refresh(partnership)
    offered_by = partnership.offered_by
    if offered_by.active:
        queue_email(
            offered_by.email,
            _l(
                "%(provider)s accepted its LEP Partnership Agreement",
                provider=partnership.provider.name,
            ),
            "partnership_accepted",
            partnership=partnership,
            accepted_by=by,
        )
    return True


def add_subcontractor(provider_id: uuid.UUID, name: str, by: User) -> Subcontractor:
    subcontractor = Subcontractor(
        provider_id=provider_id, name=rules.normalised_name(name), added_by_id=by.id
    )
    db.session.add(subcontractor)
    return subcontractor


def remove_subcontractor(subcontractor: Subcontractor, by: User) -> None:
    subcontractor.removed_at = utcnow()
    subcontractor.removed_by_id = by.id


# --- the provider's own LEP agreements with employers ----------------------------------------


def record_employer_agreement(
    partnership: Partnership, organisation: Organisation, terms: AgreementTerms, by: User
) -> ProviderAgreement:
    """The provider's verbal LEP agreement with an employer, with the measures and groups of
    jobseekers an LMRA captures. The employer keeps its one single point of contact: if it
    has one, they are emailed and see the agreement on the account; the provider is not made
    a second contact."""
    if not terms.measures:
        raise ValueError("an agreement needs at least one measure")
    contact = organisation.contact
    agreement = ProviderAgreement(
        provider_id=partnership.provider_id,
        partnership_id=partnership.id,
        organisation_id=organisation.id,
        organisation=organisation,
        recorded_by_id=by.id,
        recorded_by=by,
        agreed_on=terms.agreed_on,
        channel=terms.channel,
        priority_groups=sorted(set(terms.priority_groups)),
        measures=[
            {
                "measure": item.measure.value,
                "places": item.places if item.measure in MEASURES_WITH_PLACES else None,
                "details": "" if item.measure in MEASURES_WITH_PLACES else item.details,
            }
            for item in terms.measures
        ],
        contact_id=organisation.contact_id,
        created_at=utcnow(),
    )
    db.session.add(agreement)
    if contact is not None and rules.tell_spoc(contact.id, contact.active):
        queue_email(
            contact.email,
            _l(
                "%(provider)s has a LEP agreement with %(employer)s",
                provider=partnership.provider.name,
                employer=organisation.name,
            ),
            "partnership_employer_agreement",
            contact=contact,
            organisation=organisation,
            agreement=agreement,
            provider=partnership.provider,
        )
    return agreement


# --- the provider's customers ----------------------------------------------------------------


def enter_customer(
    provider_id: uuid.UUID,
    details: dict,
    *,
    readiness: Readiness,
    district_id: uuid.UUID,
    consent: bool,
    by: User,
) -> Customer:
    """A customer the provider enters: audited as created, with consent recorded (and its
    history started) when the customer gave it."""
    customer = create_customer(details, adviser=by, readiness=readiness, district_id=district_id)
    db.session.add(
        ProviderCustomer(
            provider_id=provider_id, customer=customer, entered_by_id=by.id, created_at=utcnow()
        )
    )
    if consent:
        set_consent(customer, True, by, note="Recorded by the customer's training provider")
    return customer


def put_forward(vacancy: Vacancy, customers: list[Customer], note: str, by: User) -> list[Referral]:
    """The same referral as an adviser's (its history, the audit entry that the employer may
    now see the person, the employer's email); the caller has checked `refusal` for each."""
    return refer(vacancy, customers, note, by)


def report_through_vacancy(
    referral: Referral,
    *,
    start_date: dt.date,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    by: User,
) -> JobOutcome:
    """A placement into a Jobcentre Plus LEP vacancy: validated like a start staff record
    (the employer confirms); its source stays Jobcentre Plus, and it names the provider."""
    return record_start(
        referral,
        start_date=start_date,
        hours_per_week=hours_per_week,
        hourly_pay=hourly_pay,
        recorded_by=by,
        provider_id=by.provider_id,
    )


def report_through_agreement(
    customer: Customer,
    agreement: ProviderAgreement,
    *,
    start_date: dt.date,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    by: User,
) -> JobOutcome:
    """A placement with an employer the provider has its own agreement with: source
    "provider", counted as LEP when the agreement was made on or before the start."""
    return record_agreement_start(
        customer,
        agreement.organisation,
        district_id=agreement.organisation.district_id,
        start_date=start_date,
        hours_per_week=hours_per_week,
        hourly_pay=hourly_pay,
        recorded_by=by,
        provider_id=agreement.provider_id,
        agreement_in_force=rules.agreement_covers_start(agreement.agreed_on, start_date),
    )
