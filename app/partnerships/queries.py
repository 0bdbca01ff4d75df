"""Reading what a partnered provider's pages show: each query bounded, each loading what its
page shows in a fixed number of statements."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from app.accounts.models import Organisation
from app.agreements.models import Agreement, AgreementStatus
from app.auth.models import Role, User
from app.customers.models import Customer
from app.customers.services import CONSENTED
from app.extensions import db
from app.outcomes.models import JobOutcome
from app.partnerships.models import (
    Partnership,
    ProviderAgreement,
    ProviderCustomer,
    Subcontractor,
)
from app.referrals import rules as referral_rules
from app.referrals.models import Referral, ReferralStatus
from app.vacancies.models import Vacancy, VacancyStatus

PAGE_SIZE = 50
MOST_EMPLOYERS = 500
MOST_CHOICES = 200
MOST_SUBCONTRACTORS = 100
ON_ACCOUNT = 20


@dataclass(frozen=True)
class Page:
    rows: list
    page: int
    has_next: bool


def _page(statement, page: int) -> Page:
    rows = list(db.session.scalars(statement.limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)))
    return Page(rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE)


# --- the agreement itself --------------------------------------------------------------------


def partnerships_of(provider_id: uuid.UUID) -> list[Partnership]:
    return list(
        db.session.scalars(
            select(Partnership)
            .where(Partnership.provider_id == provider_id)
            .options(
                joinedload(Partnership.district),
                joinedload(Partnership.offered_by),
                joinedload(Partnership.accepted_by),
            )
            .order_by(Partnership.offered_at, Partnership.id)
        )
    )


def partnership_in(provider_id: uuid.UUID, district_id: uuid.UUID | None) -> Partnership | None:
    if district_id is None:
        return None
    return db.session.scalar(
        select(Partnership)
        .where(Partnership.provider_id == provider_id, Partnership.district_id == district_id)
        .options(joinedload(Partnership.accepted_by), joinedload(Partnership.offered_by))
    )


def subcontractors(provider_id: uuid.UUID) -> list[Subcontractor]:
    return list(
        db.session.scalars(
            select(Subcontractor)
            .where(Subcontractor.provider_id == provider_id, Subcontractor.removed_at.is_(None))
            .order_by(Subcontractor.name, Subcontractor.id)
            .limit(MOST_SUBCONTRACTORS)
        )
    )


def provider_users(provider_id: uuid.UUID) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.provider_id == provider_id,
                User.role == Role.PROVIDER,
                User.active.is_(True),
            )
            .order_by(User.email)
            .limit(100)
        )
    )


# --- employers and their vacancies -----------------------------------------------------------


def lep_employer(organisation_id_column):
    """The employer has a Jobcentre Plus LEP agreement in force: its vacancies are LEP
    vacancies."""
    return exists().where(
        Agreement.organisation_id == organisation_id_column,
        Agreement.status == AgreementStatus.ACTIVE,
    )


def lep_vacancies(districts: frozenset[uuid.UUID], page: int) -> Page:
    """Live Jobcentre Plus LEP vacancies in the covered districts, newest first."""
    return _page(
        select(Vacancy)
        .where(
            Vacancy.district_id.in_(districts),
            Vacancy.status == VacancyStatus.LIVE,
            lep_employer(Vacancy.organisation_id),
        )
        .options(joinedload(Vacancy.organisation), joinedload(Vacancy.site))
        .order_by(Vacancy.live_at.desc(), Vacancy.id),
        page,
    )


def employer_choices(districts: frozenset[uuid.UUID]) -> list[Organisation]:
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.district_id.in_(districts))
            .order_by(Organisation.name, Organisation.id)
            .limit(MOST_EMPLOYERS)
        )
    )


def employer_in(organisation_id: uuid.UUID, districts: frozenset[uuid.UUID]) -> Organisation | None:
    return db.session.scalar(
        select(Organisation)
        .where(Organisation.id == organisation_id, Organisation.district_id.in_(districts))
        .options(joinedload(Organisation.contact))
    )


# --- the provider's own agreements -----------------------------------------------------------


def provider_agreements(
    provider_id: uuid.UUID, districts: frozenset[uuid.UUID], page: int = 1
) -> Page:
    return _page(
        select(ProviderAgreement)
        .join(Partnership, Partnership.id == ProviderAgreement.partnership_id)
        .where(ProviderAgreement.provider_id == provider_id, Partnership.district_id.in_(districts))
        .options(
            joinedload(ProviderAgreement.organisation),
            joinedload(ProviderAgreement.recorded_by),
            joinedload(ProviderAgreement.contact),
        )
        .order_by(ProviderAgreement.created_at.desc(), ProviderAgreement.id),
        page,
    )


def on_account(organisation_id: uuid.UUID) -> list[ProviderAgreement]:
    """Providers' agreements with one employer, for the account page its SPOC reads."""
    return list(
        db.session.scalars(
            select(ProviderAgreement)
            .where(ProviderAgreement.organisation_id == organisation_id)
            .options(
                joinedload(ProviderAgreement.provider),
                joinedload(ProviderAgreement.recorded_by),
            )
            .order_by(ProviderAgreement.agreed_on.desc(), ProviderAgreement.id)
            .limit(ON_ACCOUNT)
        )
    )


def on_account_context(organisation_id: uuid.UUID) -> dict:
    """What the account page's summary adds: providers' agreements with the employer."""
    return {"provider_agreements": on_account(organisation_id)}


# --- the provider's customers ----------------------------------------------------------------


def _mine(provider_id: uuid.UUID, districts: frozenset[uuid.UUID]):
    return (
        select(Customer)
        .join(ProviderCustomer, ProviderCustomer.customer_id == Customer.id)
        .where(ProviderCustomer.provider_id == provider_id, Customer.district_id.in_(districts))
    )


def provider_customers(
    provider_id: uuid.UUID, districts: frozenset[uuid.UUID], page: int = 1
) -> Page:
    return _page(
        _mine(provider_id, districts).order_by(
            Customer.last_name, Customer.first_name, Customer.id
        ),
        page,
    )


@dataclass(frozen=True)
class Candidate:
    customer: Customer
    already_referred: bool


def candidates(
    provider_id: uuid.UUID, vacancy: Vacancy, chosen: list[uuid.UUID] | None = None
) -> list[Candidate]:
    """The provider's consented customers of the vacancy's district (or the `chosen` ones
    among them), each with whether they were referred to it already. One query."""
    referred = exists().where(
        Referral.customer_id == Customer.id, Referral.vacancy_id == vacancy.id
    )
    statement = _mine(provider_id, frozenset({vacancy.district_id})).add_columns(referred)
    if chosen is not None:
        statement = statement.where(Customer.id.in_(chosen))
    else:
        statement = statement.where(CONSENTED)
    rows = db.session.execute(
        statement.order_by(Customer.last_name, Customer.first_name, Customer.id).limit(MOST_CHOICES)
    ).all()
    return [Candidate(customer, bool(was)) for customer, was in rows]


def open_referrals(customer_id: uuid.UUID) -> list[Referral]:
    """The customer's referrals still with an employer and without a start: the Jobcentre
    Plus LEP vacancies a placement can be reported through."""
    open_statuses = [ReferralStatus(status) for status in referral_rules.OPEN_STATUSES]
    return list(
        db.session.scalars(
            select(Referral)
            .where(
                Referral.customer_id == customer_id,
                Referral.status.in_(open_statuses),
                ~exists().where(JobOutcome.referral_id == Referral.id),
            )
            .options(
                joinedload(Referral.vacancy).joinedload(Vacancy.organisation),
                joinedload(Referral.vacancy).joinedload(Vacancy.site),
                joinedload(Referral.customer),
            )
            .order_by(Referral.created_at, Referral.id)
            .limit(MOST_CHOICES)
        )
    )


def customer_referrals(customer_id: uuid.UUID) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.customer_id == customer_id)
            .options(joinedload(Referral.vacancy).joinedload(Vacancy.organisation))
            .order_by(Referral.created_at.desc(), Referral.id)
            .limit(MOST_CHOICES)
        )
    )


# --- placements ------------------------------------------------------------------------------


def placements(provider_id: uuid.UUID, page: int = 1) -> Page:
    """The starts the provider reported, newest first."""
    return _page(
        select(JobOutcome)
        .where(JobOutcome.provider_id == provider_id)
        .options(
            joinedload(JobOutcome.customer),
            joinedload(JobOutcome.organisation),
            joinedload(JobOutcome.vacancy),
        )
        .order_by(JobOutcome.created_at.desc(), JobOutcome.id),
        page,
    )
