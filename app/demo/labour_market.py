"""Demonstration data for the local labour market pages: a year of LEP vacancies going live,
filled and withdrawn at employers of several sectors (care and warehousing growing, retail
shrinking, a hotel that signed up in the middle of the year, a contact centre whose agreement
ended), in West Yorkshire and a few in the other nations, and PET courses in West Yorkshire
with their trainees' starts, completions and jobs. Dated relative to `clock.today()`, drawn
from a fixed random seed, so every seed tells the same story.

Idempotent: nothing is added once the first employer exists. Written as records (not through
the services, which would email and open call-backs for a year of history); the rollups
count them after `flask demo seed` (`refresh --full`).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import District, Organisation, Ownership, Site, SizeBand
from app.accounts.services import assign_contact, assign_first_contact
from app.agreements.models import (
    AgreedMeasure,
    Agreement,
    AgreementStatus,
    AgreementVersion,
    Channel,
    Measure,
)
from app.auth.models import User
from app.clock import LONDON, today
from app.customers.models import Benefit, Customer, Readiness
from app.extensions import db
from app.lmi.rules import last_months
from app.pet.models import (
    Course,
    CourseModel,
    CourseReferral,
    CourseStatus,
    TraineeStatus,
    TrainingProvider,
)
from app.vacancies.models import ContractType, PayPeriod, Vacancy, VacancyStatus

SEED = 18

# sector: ((job title, occupation), ...)
JOBS = {
    "social_care": (
        ("Care assistant", "Care workers and home carers"),
        ("Home carer", "Care workers and home carers"),
        ("Senior carer", "Senior care workers"),
    ),
    "warehousing": (
        ("Warehouse operative", "Elementary storage occupations"),
        ("Forklift driver", "Fork-lift truck drivers"),
        ("Delivery driver", "Van drivers"),
    ),
    "hospitality": (
        ("Kitchen porter", "Kitchen and catering assistants"),
        ("Waiting staff", "Waiters and waitresses"),
        ("Commis chef", "Chefs"),
    ),
    "retail": (
        ("Sales assistant", "Sales and retail assistants"),
        ("Checkout operator", "Retail cashiers and check-out operators"),
    ),
    "contact_centres": (("Customer service adviser", "Call and contact centre occupations"),),
    "security": (("Security officer", "Security guards and related occupations"),),
    "cleaning": (("Cleaner", "Cleaners and domestics"),),
    "health": (
        ("Healthcare assistant", "Nursing auxiliaries and assistants"),
        ("Porter", "Hospital porters"),
    ),
    "construction": (("General labourer", "Elementary construction occupations"),),
}

# name, district, sector, postcode, vacancies a month at the start and at the end of the
# year, agreement (months ago it started, months ago it ended or None; None: no agreement)
EMPLOYERS = [
    ("Aire Valley Care", "West Yorkshire", "social_care", "LS11 5AA", 1, 5, (30, None)),
    ("Calder Logistics", "West Yorkshire", "warehousing", "WF2 7AA", 2, 4, (20, None)),
    ("Headingley Hotels", "West Yorkshire", "hospitality", "LS6 3AA", 2, 3, (6, None)),
    ("Briggate Fashion", "West Yorkshire", "retail", "LS1 6AA", 4, 1, (36, None)),
    ("Roundhay Contact Centre", "West Yorkshire", "contact_centres", "LS8 2AA", 3, 2, (14, 3)),
    ("Kirkstall Security", "West Yorkshire", "security", "LS5 3AA", 1, 2, (40, None)),
    ("St James's Facilities", "West Yorkshire", "cleaning", "LS9 7AA", 1, 1, (24, None)),
    ("Wharfedale Health Trust", "West Yorkshire", "health", "LS21 1AA", 1, 2, (28, None)),
    ("Otley Builders", "West Yorkshire", "construction", "LS21 3AA", 2, 2, None),
    ("Strand Stores", "London Central", "retail", "WC2N 5AA", 3, 3, (30, None)),
    ("Camden Kitchens", "London Central", "hospitality", "NW1 7AA", 2, 4, (18, None)),
    ("Thames Distribution", "London Central", "warehousing", "SE1 9AA", 2, 3, (26, None)),
    ("Cardiff Bay Care", "South East Wales", "social_care", "CF10 4AA", 1, 3, (22, None)),
    ("Newport Retail Park", "South East Wales", "retail", "NP20 2AA", 2, 1, (30, None)),
    ("Clyde Care Homes", "Glasgow and the West", "social_care", "G3 8AA", 1, 2, (26, None)),
]

# title, sector, months ago it started
COURSES = [
    ("Care routeway (demo)", "social_care", 11),
    ("Warehouse skills (demo)", "warehousing", 10),
    ("Retail routeway (demo)", "retail", 8),
    ("Hospitality routeway (demo)", "hospitality", 7),
    ("Care routeway, spring (demo)", "social_care", 5),
    ("Security licence course (demo)", "security", 4),
    ("Warehouse skills, summer (demo)", "warehousing", 2),
    ("Care routeway, autumn (demo)", "social_care", 1),
]

TRAINEES = [
    ("Amir", "Hussain"),
    ("Bethany", "Clarke"),
    ("Callum", "Doyle"),
    ("Deborah", "Adams"),
    ("Emeka", "Obi"),
    ("Fatima", "Khan"),
    ("Gary", "Walker"),
    ("Hannah", "Lees"),
    ("Imran", "Ali"),
    ("Joanne", "Pratt"),
    ("Kieran", "Moss"),
    ("Lucy", "Shaw"),
]


def _months_ago(months: int) -> dt.date:
    return last_months(today(), months + 1).first


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON).astimezone(dt.UTC)


def seed_labour_market() -> None:
    if db.session.scalar(select(Organisation.id).where(Organisation.name == EMPLOYERS[0][0])):
        return
    districts = {
        name: district_id
        for district_id, name in db.session.execute(select(District.id, District.name))
    }
    if "West Yorkshire" not in districts:
        return
    chance = random.Random(SEED)
    for employer in EMPLOYERS:
        if employer[1] in districts:
            _employer(chance, districts[employer[1]], *employer)
    _courses(chance, districts["West Yorkshire"])
    db.session.flush()


def _employer(
    chance: random.Random,
    district_id,
    name: str,
    _district: str,
    sector: str,
    postcode: str,
    first_rate: int,
    last_rate: int,
    agreement: tuple[int, int | None] | None,
) -> None:
    organisation = Organisation(
        name=name,
        size_band=SizeBand.LARGE if first_rate + last_rate > 5 else SizeBand.SME,
        sector=sector,
        ownership=Ownership.PUBLIC if sector == "health" else Ownership.PRIVATE,
        district_id=district_id,
    )
    site = Site(
        organisation=organisation,
        name="Main site",
        address_line_1="1 High Street",
        town=name.split()[0],
        postcode=postcode,
    )
    db.session.add_all([organisation, site])
    db.session.flush()
    # Every account has a single point of contact; districts without demo staff get the DAM.
    if assign_first_contact(organisation) is None:
        dam = db.session.scalar(select(User).where(User.email == "dam@demo.lep.example"))
        if dam is not None:
            assign_contact(organisation, dam, changed_by=None, reason="Assigned on registration")
    if agreement is not None:
        started, ended = agreement
        record = Agreement(
            organisation_id=organisation.id,
            status=AgreementStatus.ACTIVE if ended is None else AgreementStatus.ENDED,
            started_on=_months_ago(started) + dt.timedelta(days=9),
            ended_on=None if ended is None else _months_ago(ended) + dt.timedelta(days=14),
            end_reason="" if ended is None else "The contact centre moved to another city.",
        )
        # Every agreement has what was agreed: its first version, here guaranteed interviews.
        version = AgreementVersion(
            agreement=record,
            number=1,
            taken_by_id=organisation.contact_id,
            agreed_on=record.started_on,
            channel=Channel.PHONE,
            priority_groups=[1, 2, 3, 4],
        )
        version.measures.append(AgreedMeasure(measure=Measure.GUARANTEED_INTERVIEWS))
        db.session.add_all([record, version])
    window = last_months(today())
    for number, month in enumerate(window.months):
        rate = first_rate + (last_rate - first_rate) * number / (len(window.months) - 1)
        for _vacancy in range(max(0, round(rate + chance.uniform(-0.6, 0.6)))):
            span = (month.last - month.first).days
            live_day = month.first + dt.timedelta(days=chance.randint(0, span))
            _vacancy_at(chance, organisation, site, live_day)


def _vacancy_at(
    chance: random.Random, organisation: Organisation, site: Site, live_day: dt.date
) -> None:
    job_title, occupation = chance.choice(JOBS[organisation.sector])
    live_at = _moment(live_day, 10)
    submitted_at = live_at - dt.timedelta(days=chance.randint(1, 2), hours=3)
    age = (today() - live_day).days
    # Most fill within weeks; some are withdrawn; the newest are still open.
    fill_in = chance.randint(6, 50)
    roll = chance.random()
    status, closed_at = VacancyStatus.LIVE, None
    if roll < 0.7 and fill_in < age:
        status, closed_at = VacancyStatus.FILLED, live_at + dt.timedelta(days=fill_in, hours=5)
    elif roll < 0.85 and age > 30:
        status = VacancyStatus.WITHDRAWN
        closed_at = live_at + dt.timedelta(days=chance.randint(10, 30), hours=2)
    elif age > 60:
        status, closed_at = VacancyStatus.FILLED, live_at + dt.timedelta(days=age // 2, hours=1)
    pay = Decimal("12.60") + Decimal(chance.randint(0, 30)) / 10
    db.session.add(
        Vacancy(
            organisation_id=organisation.id,
            site_id=site.id,
            district_id=organisation.district_id,
            status=status,
            job_title=job_title,
            sector=organisation.sector,
            occupation=occupation,
            description="A demonstration vacancy for the local labour market figures.",
            positions=chance.randint(1, 3),
            hours_per_week=Decimal("30"),
            contract_type=ContractType.PERMANENT,
            pay_amount=pay,
            pay_period=PayPeriod.HOURLY,
            hourly_pay=pay,
            youngest_age=18,
            closing_date=max(live_day + dt.timedelta(days=28), today() + dt.timedelta(days=14))
            if status is VacancyStatus.LIVE
            else live_day + dt.timedelta(days=28),
            how_to_apply="Through Jobcentre Plus.",
            created_at=submitted_at,
            submitted_at=submitted_at,
            live_at=live_at,
            closed_at=closed_at,
        )
    )


def _courses(chance: random.Random, district_id) -> None:
    tppm = db.session.scalar(select(User).where(User.email == "tppm@demo.lep.example"))
    adviser = db.session.scalar(select(User).where(User.email == "adviser@demo.lep.example"))
    provider = db.session.scalar(
        select(TrainingProvider).where(TrainingProvider.name == "Leeds Skills Partnership")
    )
    if tppm is None or adviser is None:
        return
    customers = []
    for number, (first, last) in enumerate(TRAINEES, start=1):
        customer = Customer(
            reference=f"DEMOLMI{number:03d}",
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower()}@example.net",
            phone="0113 496 0888",
            date_of_birth=dt.date(1980 + number, 3, 1),
            postcode="LS11 8AB",
            benefit=Benefit.JSA,
            claim_start=today() - dt.timedelta(days=400),
            goal_sectors=["social_care"],
            readiness=Readiness.GREEN,
            consent_given=True,
            adviser_id=adviser.id,
            office_id=adviser.office_id,
            district_id=district_id,
        )
        db.session.add(customer)
        customers.append(customer)
    db.session.flush()
    for title, sector, months_ago in COURSES:
        start = _months_ago(months_ago) + dt.timedelta(days=7)
        finished = start + dt.timedelta(days=11) < today()
        course = Course(
            title=title,
            model=CourseModel.SECTOR,
            sector=sector,
            district_id=district_id,
            provider_id=provider.id if provider else None,
            created_by_id=tppm.id,
            status=CourseStatus.FINISHED if finished else CourseStatus.RUNNING,
            start_date=start,
            weekly_hours=[30, 30],
            places=12,
        )
        db.session.add(course)
        db.session.flush()
        for customer in chance.sample(customers, chance.randint(6, 10)):
            completed = finished and chance.random() < 0.8
            hired = completed and chance.random() < 0.5
            db.session.add(
                CourseReferral(
                    course_id=course.id,
                    customer_id=customer.id,
                    referred_by_id=adviser.id,
                    tppm_id=tppm.id,
                    owning_provider="Jobcentre Plus",
                    status=TraineeStatus.COMPLETED
                    if completed
                    else (TraineeStatus.LEFT if finished else TraineeStatus.STARTED),
                    started_on=start,
                    completed_on=start + dt.timedelta(days=11) if completed else None,
                    left_on=None if completed or not finished else start + dt.timedelta(days=4),
                    leave_reason="" if completed or not finished else "Started a job elsewhere.",
                    hired=hired,
                )
            )
