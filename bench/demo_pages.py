"""The key pages on demo data, for `python -m bench.cpu_profile`: what `flask demo seed` loads,
plus enough records behind each key page that it shows a full page, as at national scale
(a call-back queue of 50, a vacancy with 50 candidates, a cohort of 25, a portfolio and a
validation queue of a page each), made with the test factories around the demo's own users.

The national data (`make national`) takes a long time to load and a database of its own;
this takes a few seconds in any database, SQLite or PostgreSQL, so a page's CPU time can be
measured and profiled anywhere. `build()` is safe to repeat: it adds the records once.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from sqlalchemy import select

from app import clock
from app.accounts.models import District, Organisation, SizeBand
from app.auth.models import User
from app.callbacks.models import AttemptResult, CallAttempt, CallBack, CallBackStatus
from app.extensions import db
from app.models_base import utcnow
from app.pet.models import Course, CourseReferral, TraineeStatus, TrainingProvider
from app.referrals.models import ReferralStatus
from app.vacancies.models import Vacancy, VacancyStatus

EMPLOYER: Final = "large@demo.lep.example"
LMRA: Final = "lmra@demo.lep.example"
DAM: Final = "dam@demo.lep.example"
COORDINATOR: Final = "coordinator@demo.lep.example"
ADVISER: Final = "adviser@demo.lep.example"
TPPM: Final = "tppm@demo.lep.example"
#: The employer whose pages are measured, and the names that mark what `build` added.
HEAD_OFFICE: Final = "Northern Retail Group"
CANDIDATES_VACANCY: Final = "Store assistant (key pages)"
COURSE: Final = "Retail routeway (key pages)"
DISTRICT: Final = "West Yorkshire"

CANDIDATE_STATUSES: Final = (
    ReferralStatus.REFERRED,
    ReferralStatus.REFERRED,
    ReferralStatus.SHORTLISTED,
    ReferralStatus.INTERVIEW_ARRANGED,
    ReferralStatus.NOT_SELECTED,
)
TRAINEE_STATUSES: Final = (
    TraineeStatus.ACCEPTED,
    TraineeStatus.STARTED,
    TraineeStatus.STARTED,
    TraineeStatus.LEFT,
    TraineeStatus.COMPLETED,
)
VACANCY_STATUSES: Final = (
    VacancyStatus.LIVE,
    VacancyStatus.LIVE,
    VacancyStatus.SUBMITTED,
    VacancyStatus.DRAFT,
    VacancyStatus.FILLED,
    VacancyStatus.WITHDRAWN,
)


def _user(email: str) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        raise LookupError(f"no demo user {email}: run `flask demo seed` first")
    return user


def _head_office() -> Organisation:
    return db.session.scalars(select(Organisation).where(Organisation.name == HEAD_OFFICE)).one()


def build() -> None:
    """Seed the demo data, then add the key pages' records once, and count the rollups."""
    from app.demo.seed import seed_demo
    from app.reports import rollups

    seed_demo()
    db.session.commit()
    if db.session.scalar(select(Vacancy.id).where(Vacancy.job_title == CANDIDATES_VACANCY)):
        return
    _fill()
    db.session.commit()
    rollups.refresh(db.session, full=True)
    db.session.commit()


def _fill() -> None:
    # The test factories (a dev dependency) make valid records with little code.
    from tests.account_factories import branch_of, contact_entry
    from tests.callback_factories import callback
    from tests.customer_factories import CustomerFactory
    from tests.factories import OrganisationFactory, employer_user
    from tests.outcome_factories import OfferedReferralFactory, ShopVacancyFactory, record
    from tests.pet_factories import CourseFactory
    from tests.referral_factories import referral
    from tests.vacancy_factories import LiveVacancyFactory, VacancyFactory

    district = db.session.scalars(select(District).where(District.name == DISTRICT)).one()
    head_office = _head_office()
    employer, lmra, dam = _user(EMPLOYER), _user(LMRA), _user(DAM)
    adviser, tppm = _user(ADVISER), _user(TPPM)
    today, now = clock.today(), utcnow()

    def customer(**fields):
        return CustomerFactory(adviser=adviser, district=district, **fields)

    # The vacancy list: two pages of the head office's vacancies.
    for n in range(30):
        status = VACANCY_STATUSES[n % len(VACANCY_STATUSES)]
        VacancyFactory(
            organisation=head_office,
            status=status,
            created_by=employer,
            job_title=f"Sales assistant {n + 1}",
            submitted_at=None if status is VacancyStatus.DRAFT else now - dt.timedelta(days=n),
            live_at=now - dt.timedelta(days=n) if status is VacancyStatus.LIVE else None,
        )
    # The candidate review: a live vacancy with 50 candidates.
    vacancy = LiveVacancyFactory(
        organisation=head_office, created_by=employer, job_title=CANDIDATES_VACANCY
    )
    for n in range(50):
        referral(
            vacancy,
            customer(goal_sectors=[vacancy.sector]),
            by=adviser,
            status=CANDIDATE_STATUSES[n % len(CANDIDATE_STATUSES)],
        )
    # The call-back queue: a page of 50 open call-backs of ten employers, soonest first, and
    # the call screen: one the LMRA claimed, with two attempts.
    employers = [OrganisationFactory(district=district) for _ in range(10)]
    for n in range(50):
        callback(employers[n % 10], due_in=dt.timedelta(hours=n - 5), now=now)
    claimed = callback(employers[0], due_in=dt.timedelta(hours=3), now=now, claimed_by=lmra)
    for minutes, result in ((90, AttemptResult.NO_ANSWER), (30, AttemptResult.VOICEMAIL)):
        db.session.add(
            CallAttempt(
                callback_id=claimed.id,
                made_by_id=lmra.id,
                made_at=now - dt.timedelta(minutes=minutes),
                result=result,
            )
        )
    # The DAM's portfolio: a page of accounts with next actions; the head office has branches.
    for n in range(30):
        organisation = OrganisationFactory(
            district=district, contact=dam, size_band=SizeBand.LARGE, name=f"Portfolio {n} Ltd"
        )
        employer_user(organisation)
        contact_entry(organisation, dam, next_action=True, due=today + dt.timedelta(days=n - 10))
    for n in range(8):
        branch_of(head_office, district=district, name=f"{HEAD_OFFICE}, branch {n + 1}")
    contact_entry(head_office, dam, next_action=True)
    # The PET cohort: 25 trainees of a course the head office takes part in.
    provider = db.session.scalars(select(TrainingProvider).order_by(TrainingProvider.name)).first()
    started = today - dt.timedelta(days=14)
    course = CourseFactory(
        title=COURSE,
        district=district,
        provider=provider,
        created_by=tppm,
        employers=[head_office],
        start_date=started,
    )
    for n in range(25):
        stage = TRAINEE_STATUSES[n % len(TRAINEE_STATUSES)]
        fields: dict[str, object] = {}
        if stage is not TraineeStatus.ACCEPTED:
            fields["started_on"] = started
        if stage is TraineeStatus.LEFT:
            fields |= {"left_on": started + dt.timedelta(days=3), "leave_reason": "Found a job"}
        if stage is TraineeStatus.COMPLETED:
            fields["completed_on"] = started + dt.timedelta(days=11)
        db.session.add(
            CourseReferral(
                course=course,
                customer=customer(),
                referred_by=adviser,
                owning_provider="Jobcentre Plus",
                tppm_id=tppm.id,
                status=stage,
                **fields,
            )
        )
    # The validation queue: a page of starts recorded three weeks ago and never confirmed.
    three_weeks_ago = dt.datetime.combine(
        today - dt.timedelta(days=21), dt.time(12), tzinfo=clock.LONDON
    )
    for n in range(50):
        shop = ShopVacancyFactory(organisation=employers[n % 10])
        offered = OfferedReferralFactory(vacancy=shop, customer=customer(), referred_by=adviser)
        record(offered, lmra, start=today - dt.timedelta(days=20), recorded_at=three_weeks_ago)
    db.session.flush()


def key_pages() -> list[tuple[str, str, str]]:
    """(page name, user email, URL path) of each key page, as `national.build.bench_pages`."""
    head_office = _head_office()
    vacancy_id = db.session.scalar(
        select(Vacancy.id).where(Vacancy.job_title == CANDIDATES_VACANCY)
    )
    course_id = db.session.scalar(select(Course.id).where(Course.title == COURSE))
    # The one `build` claimed and tried twice, whatever else someone claims in this database.
    callback_id = db.session.scalar(
        select(CallBack.id)
        .join(CallAttempt, CallAttempt.callback_id == CallBack.id)
        .where(CallBack.claimed_by_id == _user(LMRA).id, CallBack.status == CallBackStatus.CLAIMED)
        .order_by(CallBack.id)
        .limit(1)
    )
    if vacancy_id is None or course_id is None or callback_id is None:
        raise LookupError("the key pages' records are missing: run bench.demo_pages.build()")
    return [
        ("employer_home", EMPLOYER, "/"),
        ("vacancy_list", EMPLOYER, "/vacancies"),
        ("candidate_review", EMPLOYER, f"/vacancies/{vacancy_id}/candidates"),
        ("callback_queue", LMRA, "/call-backs"),
        ("call_screen", LMRA, f"/call-backs/{callback_id}"),
        ("portfolio", DAM, "/my-accounts"),
        ("account_page", DAM, f"/accounts/{head_office.id}"),
        ("pet_cohort", EMPLOYER, f"/courses/{course_id}/cohort"),
        ("validation_queue", COORDINATOR, "/outcomes/validation"),
        ("mi", COORDINATOR, "/reports"),
    ]
