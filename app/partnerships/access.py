"""What a provider's LEP Partnership Agreement lets its users see: each lookup answers None
(the view answers 404) for a record outside it, and `covered_or_404` refuses every section
but the offer itself to a provider without an accepted agreement."""

from __future__ import annotations

import uuid

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.accounts.models import Organisation
from app.auth.models import Role, User
from app.customers.models import Customer
from app.extensions import db
from app.partnerships import rules
from app.partnerships.models import Partnership, ProviderAgreement, ProviderCustomer
from app.pet.models import TrainingProvider
from app.vacancies.models import Vacancy, VacancyStatus


def covered(user: User) -> frozenset[uuid.UUID]:
    """The districts the user's provider has accepted a partnership agreement for."""
    if user.role is not Role.PROVIDER or user.provider_id is None:
        return frozenset()
    rows = db.session.execute(
        select(Partnership.status, Partnership.district_id).where(
            Partnership.provider_id == user.provider_id
        )
    ).all()
    return rules.covered_districts((status.value, district) for status, district in rows)


def covered_or_404(user: User, section: str) -> frozenset[uuid.UUID]:
    districts = covered(user)
    if not rules.may_open(section, districts):
        abort(404)
    return districts


def provider_customer(
    user: User, customer_id: uuid.UUID, districts: frozenset[uuid.UUID], *options
) -> Customer | None:
    """The customer, if the user's provider entered them in a district it still covers."""
    return db.session.scalar(
        select(Customer)
        .join(ProviderCustomer, ProviderCustomer.customer_id == Customer.id)
        .where(
            Customer.id == customer_id,
            ProviderCustomer.provider_id == user.provider_id,
            Customer.district_id.in_(districts),
        )
        .options(*options)
    )


def provider_agreement(
    user: User, agreement_id: uuid.UUID, districts: frozenset[uuid.UUID]
) -> ProviderAgreement | None:
    return db.session.scalar(
        select(ProviderAgreement)
        .join(Organisation, Organisation.id == ProviderAgreement.organisation_id)
        .where(
            ProviderAgreement.id == agreement_id,
            ProviderAgreement.provider_id == user.provider_id,
            Organisation.district_id.in_(districts),
        )
        .options(
            joinedload(ProviderAgreement.organisation),
            joinedload(ProviderAgreement.recorded_by),
            joinedload(ProviderAgreement.contact),
        )
    )


def live_vacancy(vacancy_id: uuid.UUID, districts: frozenset[uuid.UUID]) -> Vacancy | None:
    """A live Jobcentre Plus LEP vacancy in a covered district (see queries.lep_vacancies)."""
    from app.partnerships.queries import lep_employer

    return db.session.scalar(
        select(Vacancy)
        .where(
            Vacancy.id == vacancy_id,
            Vacancy.district_id.in_(districts),
            Vacancy.status == VacancyStatus.LIVE,
            lep_employer(Vacancy.organisation_id),
        )
        .options(joinedload(Vacancy.organisation), joinedload(Vacancy.site))
    )


def managed_provider_or_404(user: User, provider_id: uuid.UUID) -> TrainingProvider:
    """A provider a TPPM manages (one of their district, or of none); any, for an admin."""
    provider = db.session.get(TrainingProvider, provider_id)
    if provider is None:
        abort(404)
    if user.role is not Role.ADMIN and provider.district_id not in (None, user.district_id):
        abort(404)
    return provider


def partnership_or_404(user: User, partnership_id: uuid.UUID) -> Partnership:
    """One of the user's provider's partnership agreements (offered or accepted)."""
    if user.provider_id is None:
        abort(404)
    partnership = db.session.scalar(
        select(Partnership)
        .where(Partnership.id == partnership_id, Partnership.provider_id == user.provider_id)
        .options(
            joinedload(Partnership.provider),
            joinedload(Partnership.district),
            joinedload(Partnership.offered_by),
            joinedload(Partnership.accepted_by),
        )
    )
    if partnership is None:
        abort(404)
    return partnership


def customer_or_404(
    user: User, customer_id: uuid.UUID, districts: frozenset[uuid.UUID], *options
) -> Customer:
    customer = provider_customer(user, customer_id, districts, *options)
    if customer is None:
        abort(404)
    return customer
