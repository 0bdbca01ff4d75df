"""A varied world for management information tests, built straight from the models.

`mi_world(scale)` makes three districts (two in England, one in Wales) with two offices
each, and around them, `scale` times over: employers of several sectors and sizes, new to
LEPs in the report month or long signed up or never; vacancies posted this month, last
month and earlier; referrals with work trials, guaranteed interviews and ratings; job
outcomes of every priority group, in and out of the month, LEP or not, in every validation
state and age; sustainment checks; call-backs in time, late and open; PET referrals
stopped at every stage; outcomes targets. Random choices come from a seeded generator, so
a run is repeatable; the tests count the expected figures themselves from the rows.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select

from app.accounts.models import (
    District,
    Nation,
    Office,
    Organisation,
    OutcomeTarget,
    Ownership,
    Site,
    SizeBand,
)
from app.agreements.models import (
    Agreement,
    AgreementQuery,
    AgreementStatus,
    AgreementVersion,
    Channel,
)
from app.auth.models import Role, User
from app.callbacks.models import CallBack, CallBackStatus
from app.customers.models import Benefit, Customer
from app.extensions import db
from app.models_base import utcnow
from app.outcomes.models import JobOutcome, OutcomeSource, SustainmentCheck, ValidationStatus
from app.pet.models import (
    Course,
    CourseEmployer,
    CourseEmployerStatus,
    CourseModel,
    CourseReferral,
    CourseStatus,
    TraineeStatus,
)
from app.referrals.models import NotSelectedReason, Referral, ReferralStatus
from app.reports.rules import LONDON, PeriodKind, period_containing
from app.vacancies.models import ContractType, PayPeriod, Vacancy, VacancyStatus
from tests.factories import StaffFactory
from tests.voucher_factories import mi_vouchers

#: The month every test reports on, and the one before it.
MONTH = period_containing(PeriodKind.MONTH, dt.date(2026, 3, 15))
BEFORE = period_containing(PeriodKind.MONTH, dt.date(2026, 2, 15))
#: The MI page's query string for MONTH.
MONTH_ARGS = "period=month&start=15&start=3&start=2026"

SECTORS = ("retail", "health", "construction", "warehousing")


@dataclass
class MIWorld:
    districts: list[District]
    offices: list[Office]
    admin: User
    coordinator: User
    dam: User
    advisers: list[User] = field(default_factory=list)


def _nation(code: str) -> str:
    if db.session.get(Nation, code) is None:
        db.session.add(Nation(code=code, name=code.title()))
        db.session.flush()
    return code


def _moment(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=LONDON)


def _days(rng: random.Random) -> dt.date:
    """A day in the month, the month before, or well before or after."""
    return rng.choice(
        [
            MONTH.first,
            MONTH.last,
            MONTH.first + dt.timedelta(days=rng.randrange(MONTH.days)),
            BEFORE.first + dt.timedelta(days=rng.randrange(BEFORE.days)),
            BEFORE.last,
            MONTH.last + dt.timedelta(days=1),
            dt.date(2025, 6, 1),
        ]
    )


def _versions(rng: random.Random, agreement: Agreement, started: dt.date, lmra) -> None:
    """One to three versions, sent from the agreement's start on; each confirmed, queried,
    both (queried, then confirmed) or not answered."""
    sent = started
    for number in range(1, rng.randint(1, 3) + 1):
        answer = rng.choice(["confirmed", "queried", "both", "none"])
        version = AgreementVersion(
            agreement=agreement,
            number=number,
            taken_by_id=lmra.id,
            agreed_on=sent,
            channel=Channel.PHONE,
            priority_groups=[1, 2],
            created_at=_moment(sent, 9),
            confirmed_at=_moment(sent, 15) if answer in ("confirmed", "both") else None,
        )
        db.session.add(version)
        if answer in ("queried", "both"):
            db.session.add(
                AgreementQuery(
                    version=version, raised_by_id=lmra.id, message="Wrong", raised_at=_moment(sent)
                )
            )
        sent += dt.timedelta(days=rng.randrange(20))


def _progression(rng: random.Random, check: SustainmentCheck) -> None:
    """An answered check's progression (for someone still in work) and aftercare answer."""
    if check.answered_at is None:
        return
    if check.still_employed:
        check.more_hours = rng.random() < 0.3
        check.higher_pay = rng.random() < 0.3
        check.new_role = rng.random() < 0.2
    check.aftercare_wanted = rng.random() < 0.25


def mi_world(scale: int = 1, seed: int = 2026) -> MIWorld:
    rng = random.Random(seed)
    # Its own generator, so the versions leave every other random draw as it was.
    answers = random.Random(seed + 1)
    england, wales = _nation("england"), _nation("wales")
    districts = [
        District(name=f"MI district {n} {seed}-{scale}", nation_code=nation)
        for n, nation in enumerate((england, england, wales), start=1)
    ]
    db.session.add_all(districts)
    db.session.flush()
    offices = [
        Office(name=f"MI office {d}{letter} {seed}-{scale}", district_id=district.id)
        for d, district in enumerate(districts, start=1)
        for letter in "ab"
    ]
    db.session.add_all(offices)
    db.session.flush()
    home = offices[0]
    admin = StaffFactory(role=Role.ADMIN, office=home, district=districts[0])
    coordinator = StaffFactory(role=Role.COORDINATOR, office=home, district=districts[0])
    dam = StaffFactory(role=Role.DAM, office=home, district=districts[0])
    advisers = [StaffFactory(role=Role.ADVISER, office=o, district=o.district) for o in offices]
    lmras = [StaffFactory(role=Role.LMRA, office=o, district=o.district) for o in offices]
    db.session.flush()
    world = MIWorld(districts, offices, admin, coordinator, dam, advisers)

    for district in districts:
        for period, outcomes in ((MONTH, 5), (BEFORE, 7)):
            db.session.add(
                OutcomeTarget(
                    district_id=district.id,
                    period_start=period.first,
                    period_end=period.last,
                    outcomes=outcomes + len(district.name) % 3,
                    set_by_id=admin.id,
                )
            )
    # A target running past the month: not part of the month's target.
    db.session.add(
        OutcomeTarget(
            district_id=districts[0].id,
            period_start=MONTH.first,
            period_end=MONTH.last + dt.timedelta(days=30),
            outcomes=100,
            set_by_id=admin.id,
        )
    )

    # PET courses and their hires: their own generator, so every other draw is as it was.
    shares = random.Random(seed + 3)
    customer_number = 0
    for _ in range(scale):
        for d, district in enumerate(districts):
            district_offices = offices[2 * d : 2 * d + 2]
            district_advisers = advisers[2 * d : 2 * d + 2]
            customers = []
            for adviser in district_advisers:
                for _ in range(3):
                    customer_number += 1
                    customers.append(
                        Customer(
                            reference=f"MI{seed}{scale}{customer_number:06d}",
                            first_name="Sam",
                            last_name=f"Jones{customer_number}",
                            date_of_birth=dt.date(1990, 1, 1),
                            postcode="LS9 8AB",
                            benefit=Benefit.JSA,
                            claim_start=dt.date(2025, 1, 1),
                            consent_given=True,
                            adviser_id=adviser.id,
                            office_id=adviser.office_id,
                            district_id=district.id,
                        )
                    )
            db.session.add_all(customers)
            db.session.flush()

            organisations = []
            for sector in SECTORS:
                for size in (SizeBand.SME, SizeBand.LARGE):
                    organisation = Organisation(
                        name=f"MI employer {sector} {size}",
                        size_band=size,
                        sector=sector,
                        ownership=Ownership.PRIVATE,
                        district_id=district.id,
                    )
                    organisations.append(organisation)
            db.session.add_all(organisations)
            db.session.flush()
            sites = [
                Site(
                    organisation_id=o.id,
                    name="Main",
                    address_line_1="1 Road",
                    town="Leeds",
                    postcode="LS1 1AA",
                )
                for o in organisations
            ]
            db.session.add_all(sites)
            db.session.flush()

            for organisation in organisations:
                history = rng.choice(["new", "old", "old_and_new", "none", "ended"])
                starts = {
                    "new": [MONTH.first + dt.timedelta(days=rng.randrange(MONTH.days))],
                    "old": [dt.date(2025, 5, 1)],
                    "old_and_new": [dt.date(2024, 9, 1), MONTH.last],
                    "none": [],
                    "ended": [BEFORE.first],
                }[history]
                for started in starts:
                    agreement = Agreement(
                        organisation_id=organisation.id,
                        status=AgreementStatus.ENDED
                        if history == "ended"
                        else AgreementStatus.ACTIVE,
                        started_on=started,
                        ended_on=BEFORE.last if history == "ended" else None,
                    )
                    db.session.add(agreement)
                    _versions(answers, agreement, started, lmras[2 * d])
            db.session.flush()

            vacancies = []
            for organisation, site in zip(organisations, sites, strict=True):
                for _ in range(2):
                    posted = _days(rng)
                    vacancies.append(
                        Vacancy(
                            organisation_id=organisation.id,
                            site_id=site.id,
                            district_id=district.id,
                            status=rng.choice(list(VacancyStatus)),
                            job_title="Assistant",
                            sector=rng.choice(SECTORS),
                            hours_per_week=Decimal("37.5"),
                            contract_type=ContractType.PERMANENT,
                            pay_amount=Decimal("13.00"),
                            pay_period=PayPeriod.HOURLY,
                            hourly_pay=Decimal("13.00"),
                            submitted_at=_moment(posted) if rng.random() < 0.8 else None,
                            created_at=_moment(posted - dt.timedelta(days=1)),
                        )
                    )
            db.session.add_all(vacancies)
            db.session.flush()

            # Call-backs: completed in the month in time and late, before it, still open.
            for vacancy in vacancies:
                if vacancy.status is VacancyStatus.DRAFT:
                    continue
                completed_day = _days(rng)
                state = rng.choice(["in_time", "late", "open"])
                office = rng.choice([*district_offices, None])
                db.session.add(
                    CallBack(
                        vacancy_id=vacancy.id,
                        organisation_id=vacancy.organisation_id,
                        district_id=district.id,
                        office_id=office.id if office else None,
                        status=CallBackStatus.OPEN if state == "open" else CallBackStatus.COMPLETED,
                        placed_at=_moment(completed_day - dt.timedelta(days=2)),
                        due_at=_moment(completed_day),
                        completed_at=None if state == "open" else _moment(completed_day, 9),
                        breached=None if state == "open" else state == "late",
                    )
                )
            db.session.flush()

            referrals = []
            for customer in customers:
                for vacancy in rng.sample(vacancies, 3):
                    adviser = rng.choice(district_advisers)
                    trial = rng.random() < 0.4
                    interview = rng.random() < 0.5
                    rated = rng.random() < 0.6
                    referrals.append(
                        Referral(
                            customer_id=customer.id,
                            vacancy_id=vacancy.id,
                            organisation_id=vacancy.organisation_id,
                            referred_by_id=adviser.id,
                            district_id=district.id,
                            office_id=adviser.office_id if rng.random() < 0.9 else None,
                            status=rng.choice(list(ReferralStatus)),
                            work_trial_start=_days(rng) if trial else None,
                            guaranteed_interview=interview,
                            interview_at=_moment(_days(rng), 10) if rng.random() < 0.7 else None,
                            suitability=rng.randint(1, 4) if rated else None,
                            rated_at=_moment(_days(rng), 15) if rated else None,
                        )
                    )
            for made in referrals:
                if answers.random() < 0.3:
                    made.status = ReferralStatus.NOT_SELECTED
                if made.status is ReferralStatus.NOT_SELECTED:
                    # A few decided before the list of reasons: words only.
                    if answers.random() < 0.9:
                        made.not_selected_code = answers.choice(list(NotSelectedReason))
                    decided = (
                        MONTH.first + dt.timedelta(days=answers.randrange(MONTH.days))
                        if answers.random() < 0.8
                        else _days(answers)
                    )
                    made.not_selected_at = _moment(decided, 11)
            db.session.add_all(referrals)
            db.session.flush()

            now = utcnow()
            outcomes = []
            for number, customer in enumerate(customers * 2):
                referral = referrals[number] if number % 3 == 0 else None
                organisation = rng.choice(organisations)
                status = rng.choice(list(ValidationStatus))
                age = rng.choice([0, 3, 6, 7, 10, 13, 14, 20, 27, 28, 40])
                outcomes.append(
                    JobOutcome(
                        referral_id=referral.id if referral else None,
                        customer_id=customer.id,
                        organisation_id=referral.organisation_id if referral else organisation.id,
                        district_id=district.id,
                        start_date=_days(rng),
                        hours_per_week=Decimal("30"),
                        hourly_pay=Decimal("12.50"),
                        priority_group=rng.randint(1, 5),
                        lep_eligible=True,
                        counts_as_lep=rng.random() < 0.8,
                        subsidy_eligible=rng.random() < 0.4,
                        recorded_by_id=customer.adviser_id,
                        recorded_by_employer=False,
                        validation_status=status,
                        created_at=now - dt.timedelta(days=age, hours=12),
                        # Every fourth through a training provider's own agreement (no
                        # draw from rng, so the rest of the world stays as it was).
                        source=(
                            OutcomeSource.PROVIDER
                            if len(outcomes) % 4 == 3
                            else OutcomeSource.JOBCENTRE_PLUS
                        ),
                    )
                )
            db.session.add_all(outcomes)
            db.session.flush()
            for outcome in outcomes:
                for weeks in (13, 26):
                    if rng.random() < 0.2:
                        continue
                    answered = rng.random() < 0.7
                    check = SustainmentCheck(
                        outcome_id=outcome.id,
                        weeks=weeks,
                        due_on=_days(rng),
                        answered_at=now if answered else None,
                        still_employed=(rng.random() < 0.75) if answered else None,
                    )
                    _progression(answers, check)
                    db.session.add(check)

            lmra = lmras[2 * d]
            for sector in ("retail", "health"):
                course = Course(
                    title=f"MI course {sector}",
                    model=CourseModel.SECTOR,
                    sector=sector,
                    district_id=district.id,
                    created_by_id=lmra.id,
                )
                db.session.add(course)
                db.session.flush()
                for customer in customers:
                    if rng.random() < 0.25:
                        continue
                    stage = rng.randrange(6)
                    db.session.add(
                        CourseReferral(
                            course_id=course.id,
                            customer_id=customer.id,
                            referred_by_id=customer.adviser_id,
                            status=TraineeStatus.REFERRED,
                            started_on=MONTH.first if stage >= 1 else None,
                            completed_on=MONTH.last if stage >= 2 else None,
                            interview_at=_moment(MONTH.last) if stage >= 3 else None,
                            hired=stage >= 4,
                            created_at=_moment(_days(rng)),
                        )
                    )
            db.session.flush()
            _pet_courses(shares, district, customers, organisations, lmra)
    _guarantees(random.Random(seed + 2), districts)
    # Recruitment subsidy vouchers on the eligible starts (tests/voucher_factories.py).
    mi_vouchers([district.id for district in districts], seed)
    return world


def _guarantees(promises: random.Random, districts: list[District]) -> None:
    """Guaranteed interviews for half the world's referrals, due in and around the month:
    kept, not offered with a reason, or neither (overdue, or still in time). Their own
    generator, so every other random draw is as it was."""
    from app.guarantees.models import Guarantee
    from app.guarantees.rules import NotOfferedReason, Outcome, Source

    ids = [district.id for district in districts]
    for made in db.session.scalars(
        select(Referral).where(Referral.district_id.in_(ids)).order_by(Referral.id)
    ):
        if promises.random() < 0.5:
            continue
        outcome = promises.choice([None, None, Outcome.INTERVIEWED, Outcome.NOT_OFFERED])
        due = _days(promises)
        db.session.add(
            Guarantee(
                source=Source.REFERRAL,
                organisation_id=made.organisation_id,
                district_id=made.district_id,
                customer_id=made.customer_id,
                referral_id=made.id,
                opened_on=due - dt.timedelta(days=14),
                due_on=due,
                outcome=outcome,
                reason=promises.choice(list(NotOfferedReason))
                if outcome is Outcome.NOT_OFFERED
                else None,
            )
        )
    db.session.flush()


def _pet_courses(
    rng: random.Random,
    district: District,
    customers: list[Customer],
    organisations: list[Organisation],
    staff: User,
) -> None:
    """PET courses starting in and around the month, and hires from them: a sector course
    three SMEs joined (a fourth invited), another one SME joined (one declined), a bespoke
    course, a cancelled sector course and one that started the month before; each course's
    completers hired by its employers, every sector employer at least once, with starts in
    and around the month, some rejected, some not LEP outcomes."""
    joined, invited, declined = (
        CourseEmployerStatus.JOINED,
        CourseEmployerStatus.INVITED,
        CourseEmployerStatus.DECLINED,
    )
    smes = rng.sample([o for o in organisations if o.size_band == SizeBand.SME], 4)
    large = rng.choice([o for o in organisations if o.size_band == SizeBand.LARGE])
    in_month = MONTH.first + dt.timedelta(days=rng.randrange(MONTH.days))
    three = [(smes[0], joined, 4), (smes[1], joined, 4), (smes[2], joined, rng.randint(1, 4))]
    plans = [
        (CourseModel.SECTOR, in_month, CourseStatus.RUNNING, 12, [*three, (smes[3], invited, 3)]),
        (
            CourseModel.SECTOR,
            MONTH.first,
            CourseStatus.AGREED,
            6,
            [
                (smes[0], joined, 2),
                (smes[3], declined, 2),
            ],
        ),
        (
            CourseModel.BESPOKE,
            in_month,
            CourseStatus.FINISHED,
            rng.randint(6, 15),
            [
                (large, joined, None),
            ],
        ),
        (CourseModel.SECTOR, MONTH.last, CourseStatus.CANCELLED, 10, [(smes[0], joined, 5)]),
        (CourseModel.SECTOR, BEFORE.first, CourseStatus.FINISHED, 8, [(smes[1], joined, 3)]),
    ]
    for number, (model, start, status, places, employers) in enumerate(plans):
        course = Course(
            title=f"MI {model.value} course {number}",
            model=model,
            sector="hospitality",
            district_id=district.id,
            created_by_id=staff.id,
            start_date=start,
            status=status,
            places=places,
        )
        db.session.add(course)
        db.session.flush()
        for organisation, answer, interviews in employers:
            db.session.add(
                CourseEmployer(
                    course_id=course.id,
                    organisation_id=organisation.id,
                    status=answer,
                    guaranteed_interviews=interviews,
                )
            )
        hirers = [organisation for organisation, answer, _i in employers if answer is joined]
        if status is CourseStatus.CANCELLED:
            continue
        for hire, customer in enumerate(rng.sample(customers, 4)):
            trainee = CourseReferral(
                course_id=course.id,
                customer_id=customer.id,
                referred_by_id=customer.adviser_id,
                status=TraineeStatus.COMPLETED,
                started_on=start,
                completed_on=start + dt.timedelta(days=13),
                hired=True,
            )
            db.session.add(trainee)
            db.session.flush()
            db.session.add(
                JobOutcome(
                    course_referral_id=trainee.id,
                    customer_id=customer.id,
                    organisation_id=hirers[hire % len(hirers)].id,
                    district_id=district.id,
                    start_date=rng.choice([MONTH.first, MONTH.last, _days(rng)]),
                    hours_per_week=Decimal("30"),
                    hourly_pay=Decimal("12.50"),
                    priority_group=rng.randint(1, 5),
                    lep_eligible=True,
                    counts_as_lep=rng.random() < 0.8,
                    subsidy_eligible=False,
                    recorded_by_id=customer.adviser_id,
                    recorded_by_employer=True,
                    validation_status=rng.choice(list(ValidationStatus)),
                )
            )
    db.session.flush()
