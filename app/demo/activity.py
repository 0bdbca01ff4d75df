"""Demonstration activity: the records behind the guaranteed interviews, recruitment subsidy
vouchers, LEP Partnership Agreement and sector course (`app/demo/pet_sector.py`) pages, made
through each area's services (so statuses, events, emails and audit are as the portal writes
them), dated relative to `clock.today()`.

Idempotent like the rest of the seed: an employer that has its demo vacancy already is left as
it is, and a provider with an agreement for the district is not offered another.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from flask import current_app
from sqlalchemy import select

from app.accounts.models import District, Organisation
from app.agreements.models import Channel, Measure
from app.agreements.services import (
    AgreementTerms,
    MeasureTerms,
    active_agreement,
    record_agreement,
)
from app.auth.models import User
from app.clock import now, today
from app.customers.models import Benefit, Consent, Customer, Readiness
from app.demo.pet_sector import seed_sector_course
from app.extensions import db
from app.guarantees import rules as guarantee_rules
from app.guarantees import services as guarantees
from app.guarantees.models import Guarantee
from app.models_base import utcnow
from app.outcomes.services import record_start
from app.partnerships import queries as partnership_queries
from app.partnerships import services as partnerships
from app.pet.models import TrainingProvider
from app.referrals import services as referrals
from app.referrals.models import Referral
from app.vacancies.models import ContractType, PayPeriod, Vacancy, VacancyStatus
from app.vouchers import services as vouchers
from app.vouchers.models import Voucher

DEMO_JOB_TITLE = "Customer assistant (demo)"

# Per employer: first name, surname and customer reference prefix of its demo candidates.
EMPLOYER_ACTIVITY = {
    "Kirkgate Bakery": ("sme@demo.lep.example", "KB"),
    "Northern Retail Group": ("large@demo.lep.example", "NR"),
}

# name, what happens to them
CANDIDATES = [
    ("Aisha", "Begum", "guarantee_due"),
    ("Connor", "Walsh", "guarantee_overdue"),
    ("Megan", "Hughes", "guarantee_kept"),
    ("Daniel", "Price", "voucher_issued"),
    ("Olivia", "Grant", "voucher_claimable"),
    ("Liam", "Novak", "voucher_claimed"),
    # Started in this month, so the MI page shows figures for the current period.
    ("Ruth", "Osei", "voucher_this_month"),
]


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise LookupError(email)
    return user


def _vacancy(organisation: Organisation, owner: User) -> Vacancy:
    """A live vacancy offering guaranteed interviews, at the employer's first site."""
    site = organisation.sites[0]
    vacancy = Vacancy(
        organisation_id=organisation.id,
        site_id=site.id,
        district_id=organisation.district_id,
        created_by_id=owner.id,
        status=VacancyStatus.LIVE,
        job_title=DEMO_JOB_TITLE,
        sector="retail",
        occupation="Sales assistant",
        description="Serving customers, handling the till and keeping the shelves stocked.",
        positions=4,
        hours_per_week=Decimal("30"),
        contract_type=ContractType.PERMANENT,
        pay_amount=Decimal("13.00"),
        pay_period=PayPeriod.HOURLY,
        hourly_pay=Decimal("13.00"),
        youngest_age=18,
        closing_date=today() + dt.timedelta(days=28),
        essential_requirements="Friendly and reliable.",
        how_to_apply="Through Jobcentre Plus.",
        offers_guaranteed_interview=True,
        submitted_at=utcnow() - dt.timedelta(days=120),
        live_at=utcnow() - dt.timedelta(days=119),
    )
    db.session.add(vacancy)
    db.session.flush()
    return vacancy


def _customer(first: str, last: str, reference: str, adviser: User) -> Customer:
    """A consented, job-ready customer who has claimed JSA for years: LEP-eligible and, on
    starting, eligible for the recruitment subsidy."""
    customer = Customer(
        reference=reference,
        first_name=first,
        last_name=last,
        email=f"{first.lower()}.{last.lower()}@example.net",
        phone="0113 496 0999",
        date_of_birth=dt.date(1988, 6, 1),
        postcode="LS9 8AB",
        benefit=Benefit.JSA,
        claim_start=today() - dt.timedelta(days=2 * 365),
        goal_sectors=["retail"],
        goal_occupations="Shop assistant",
        min_hours=16,
        max_hours=37,
        readiness=Readiness.GREEN,
        readiness_set_at=utcnow(),
        readiness_set_by_id=adviser.id,
        consent_given=True,
        adviser_id=adviser.id,
        office_id=adviser.office_id,
        district_id=adviser.district_id,
    )
    db.session.add(customer)
    db.session.add(Consent(customer=customer, given=True, recorded_by=adviser, note="Signed form"))
    db.session.flush()
    return customer


def _backdate_guarantee(referral: Referral, opened_on: dt.date) -> None:
    """A guarantee opened on an earlier day: what `open_for_referral` would have written then."""
    guarantee = db.session.scalar(select(Guarantee).where(Guarantee.referral_id == referral.id))
    if guarantee is None:
        return
    nation = db.session.scalar(
        select(District.nation_code).where(District.id == guarantee.district_id)
    )
    guarantee.opened_on = opened_on
    guarantee.due_on = guarantee_rules.due_on(
        opened_on, nation or "england", guarantees.working_days()
    )
    referral.created_at = dt.datetime.combine(opened_on, dt.time(10), tzinfo=dt.UTC)


def _agreement(organisation: Organisation) -> None:
    """An active Jobcentre Plus LEP agreement taken a year ago: its starts count as LEP
    outcomes, and a partnered provider sees its live vacancies."""
    if active_agreement(organisation.id) is not None:
        return
    record_agreement(
        organisation,
        AgreementTerms(
            agreed_on=today() - dt.timedelta(days=365),
            channel=Channel.PHONE,
            measures=[
                MeasureTerms(Measure.WORK_TRIALS, places=2),
                MeasureTerms(Measure.GUARANTEED_INTERVIEWS),
            ],
        ),
        _user("lmra@demo.lep.example"),
    )


def _employer_activity(organisation: Organisation, owner: User, prefix: str) -> None:
    adviser = _user("adviser@demo.lep.example")
    _agreement(organisation)
    vacancy = _vacancy(organisation, owner)
    for number, (first, last, kind) in enumerate(CANDIDATES, start=1):
        customer = _customer(first, last, f"DEMO{prefix}{number:03d}", adviser)
        (referral,) = referrals.refer(vacancy, [customer], "", adviser)
        db.session.flush()
        if kind == "guarantee_overdue":
            _backdate_guarantee(referral, today() - dt.timedelta(days=21))
        elif kind == "guarantee_kept":
            _backdate_guarantee(referral, today() - dt.timedelta(days=3))
            referrals.arrange_interview(
                referral,
                at=now().replace(minute=0, second=0, microsecond=0) + dt.timedelta(days=5),
                place=organisation.sites[0].address_line_1,
                guaranteed=True,
                by=owner,
            )
        elif kind.startswith("voucher"):
            weeks = {"voucher_issued": 3, "voucher_claimable": 14, "voucher_claimed": 16}
            start = today() - dt.timedelta(weeks=weeks.get(kind, 0))
            _backdate_guarantee(referral, start - dt.timedelta(days=14))
            guarantees.referral_interviewed(referral, owner)  # interviewed, then offered
            referrals.offer(referral, owner)
            outcome = record_start(
                referral,
                start_date=start,
                hours_per_week=Decimal("30"),
                hourly_pay=Decimal("13.00"),
                recorded_by=owner,
            )
            db.session.flush()
            voucher = db.session.scalar(select(Voucher).where(Voucher.outcome_id == outcome.id))
            if kind == "voucher_claimed" and voucher is not None:
                vouchers.claim(voucher, owner)
        db.session.flush()


def seed_activity() -> None:
    """Guarantees, vouchers and a partnership for the demo employers and provider. The
    services' emails link to pages, so they run in a request context of their own."""
    with current_app.test_request_context():
        _seed_activity()


def _seed_activity() -> None:
    for org_name, (owner_email, prefix) in EMPLOYER_ACTIVITY.items():
        organisation = db.session.scalar(select(Organisation).where(Organisation.name == org_name))
        if organisation is None:
            continue
        seeded = db.session.scalar(
            select(Vacancy.id).where(
                Vacancy.organisation_id == organisation.id, Vacancy.job_title == DEMO_JOB_TITLE
            )
        )
        if seeded is None:
            _employer_activity(organisation, _user(owner_email), prefix)
    _partnership()
    seed_sector_course(_customer)


def _partnership() -> None:
    """The demo provider accepted the LEP Partnership Agreement for West Yorkshire, where the
    demo employers have active Jobcentre Plus agreements and live vacancies."""
    provider_user = _user("provider@demo.lep.example")
    provider = db.session.get(TrainingProvider, provider_user.provider_id)
    if provider is None or provider.district_id is None:
        return
    if partnership_queries.partnership_in(provider.id, provider.district_id) is not None:
        return
    partnership = partnerships.offer(provider, provider.district_id, _user("tppm@demo.lep.example"))
    db.session.flush()
    partnerships.accept(partnership, provider_user)
