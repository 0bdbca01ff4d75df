"""`flask demo national --scale S`: a PostgreSQL database filled with national-scale,
deterministic demonstration data for benchmarks, and the well-known benchmark users and pages.

At scale 1 it is the service DOMAIN.md describes: about 50 districts and 750 offices in
England, Wales and Scotland, 10,000 staff, 190,000 employer accounts (national employers with
hundreds of branches among them) with 250,000 sites and 300,000 employer users, 2,000,000
vacancies of which 600,000 open, 150,000 agreements, 1,500,000 customers, 4,000,000 referrals,
750,000 job outcomes, 20,000 PET courses with 300,000 trainees and 1,000,000 contact log
entries over the last three years. Every count scales with S.

The rows are made by the passes in `national.world` (structure), `national.employers`,
`national.people` and `national.training`, cut into chunks that worker processes make at once
(`national.parallel`), and loaded by `national.bulk`. `bench_pages` names the benchmark's key
pages and who opens them; every benchmark user's password is the demo password
(app.demo.seed.DEMO_PASSWORD).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TextIO

import sqlalchemy as sa
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app.accounts.models import EmployerMembership
from app.auth.models import User
from app.callbacks.models import CallBack, CallBackStatus
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from app.formatting import london
from app.models_base import utcnow
from app.pet.models import CourseEmployer, CourseReferral, TraineeStatus
from app.referrals.models import Referral
from app.vacancies.models import Vacancy, VacancyStatus
from national import employers as national_employers
from national import people as national_people
from national import training as national_training
from national import world as national_world
from national.bulk import (
    Progress,
    Streams,
    analyze,
    check_database,
    empty_tables,
    psycopg_conninfo,
    put_back_schema,
    take_off_schema,
)
from national.employers import EmployersPass
from national.parallel import default_workers, run_chunks
from national.people import CustomersPass, ReferralsPass
from national.plan import Clock, Plan
from national.training import TrainingPass
from national.world import (
    BENCH_ADMIN,
    BENCH_COORDINATOR,
    BENCH_DAM,
    BENCH_EMPLOYER,
    BENCH_LMRA,
    World,
)

DEFAULT_SEED: Final = 2008
#: How many pieces each pass is cut into. Fixed, because a chunk's rows follow from its
#: place in the pass: the same rows whatever the number of workers.
CHUNKS: Final = 48

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    **national_world.COLUMNS,
    **national_employers.COLUMNS,
    **national_people.COLUMNS,
    **national_training.COLUMNS,
}

BENCH_USERS: Final = (
    (BENCH_EMPLOYER, "employer user of Northway Stores, the largest national employer"),
    (BENCH_LMRA, "LMRA with a full call-back queue, one call-back claimed"),
    (BENCH_DAM, "DAM, national account manager of Northway Stores and its branches"),
    (BENCH_COORDINATOR, "LEP coordinator with outcomes to validate, and the MI pages"),
    (BENCH_ADMIN, "admin: every district"),
)


def app_tables() -> list[str]:
    """The portal's tables (everything the models define; alembic_version is not one)."""
    return [table.name for table in db.metadata.sorted_tables]


def demo_password_hash(seed: int, method: str) -> str:
    """The demo password hashed once for every user. The salt follows from the seed, so two
    loads with the same seed give the same rows."""
    try:
        from werkzeug.security import _hash_internal
    except ImportError:  # pragma: no cover - a werkzeug without it: a random salt then
        return generate_password_hash(DEMO_PASSWORD, method=method)
    salt = hashlib.blake2b(f"{seed}:password".encode(), digest_size=8).hexdigest()
    hashed, actual = _hash_internal(method, salt, DEMO_PASSWORD)
    return f"{actual}${salt}${hashed}"


@dataclass
class Summary:
    rows: dict[str, int]
    seconds: float
    plan: Plan


def load_national(
    url: str | sa.URL,
    *,
    scale: float,
    seed: int = DEFAULT_SEED,
    today: dt.date | None = None,
    replace: bool = False,
    password_method: str = "scrypt",
    workers: int | None = None,
    echo: Callable[[str], None] | None = None,
    progress_stream: TextIO | None = None,
) -> Summary:
    """Fill the (migrated, PostgreSQL) database at `url` with the data of `scale` as it
    stands on `today` (default: today in the UK). Raises national.bulk.Refused if the
    database is not migrated, or holds data and `replace` is not given."""
    started = time.monotonic()
    say = echo or (lambda text: (sys.stderr.write(text), sys.stderr.flush()))
    conninfo = psycopg_conninfo(url)
    tables = app_tables()
    check_database(conninfo, tables, replace=replace)
    plan = Plan.at(scale)
    clock = Clock(today or london(utcnow()).date())
    if replace:
        say("Emptying every table\n")
        empty_tables(conninfo, tables)
    say("Taking keys, indexes and foreign keys off for the load\n")
    saved = take_off_schema(conninfo, tables, say)
    say(f"  {saved} taken off\n")
    world = World(plan, seed, clock, demo_password_hash(seed, password_method))
    streams = Streams(conninfo, COLUMNS)
    progress = Progress(streams, progress_stream)
    workers = workers or default_workers()
    try:
        _passes(world, streams, progress, plan, workers)
    except BaseException:
        streams.abort()
        raise
    say("Putting keys, indexes and foreign keys back (checking every row)\n")
    put_back_schema(conninfo, say, workers)
    say("Analysing\n")
    analyze(conninfo, tables)
    return Summary(streams.counts(), time.monotonic() - started, plan)


def _passes(world: World, streams: Streams, progress: Progress, plan: Plan, workers: int) -> None:
    tick = progress.tick

    def run(name: str, made_by, total: int) -> list:
        progress.begin(name, total)
        results = run_chunks(made_by.chunks(CHUNKS), made_by.run_chunk, streams, tick, workers)
        progress.end()
        return results

    progress.begin("structure", plan.staff + 10)
    national_world.structure(world, streams, tick)
    progress.end()
    streams.close(["nation", "district", "office", "training_provider", "outcome_target"])

    employers = EmployersPass(world)
    employers.merge(run("employers", employers, plan.organisations))
    streams.close([*national_employers.COLUMNS, "user_account"])

    customers = CustomersPass(world)
    customers.merge(run("customers", customers, plan.customers))
    streams.close(["customer", "consent"])

    training = TrainingPass(world)
    hires = sum(run("training", training, len(training.course_districts)))
    streams.close(national_training.COLUMNS)

    referrals = ReferralsPass(world, hires)
    run("referrals", referrals, len(referrals.counts))
    streams.close(list(streams.open))


# --- the benchmark's pages -------------------------------------------------------------------


def bench_pages(session: Session) -> list[tuple[str, str, str]]:
    """(page name, user email, URL path) of the key pages, looked up in the database."""
    employer = session.scalar(select(User).where(User.email == BENCH_EMPLOYER))
    lmra = session.scalar(select(User).where(User.email == BENCH_LMRA))
    dam = session.scalar(select(User).where(User.email == BENCH_DAM))
    if employer is None or lmra is None or dam is None:
        raise LookupError("no benchmark users: load the national data first")
    organisation_id = session.scalar(
        select(EmployerMembership.organisation_id).where(EmployerMembership.user_id == employer.id)
    )
    vacancy_id = session.scalar(
        select(Vacancy.id)
        .join(Referral, Referral.vacancy_id == Vacancy.id)
        .where(Vacancy.organisation_id == organisation_id, Vacancy.status == VacancyStatus.LIVE)
        .group_by(Vacancy.id, Vacancy.created_at)
        .having(func.count(Referral.id) == 50)
        .order_by(Vacancy.created_at.desc(), Vacancy.id)
        .limit(1)
    )
    callback_id = session.scalar(
        select(CallBack.id)
        .where(CallBack.claimed_by_id == lmra.id, CallBack.status == CallBackStatus.CLAIMED)
        .order_by(CallBack.claimed_at.desc(), CallBack.id)
        .limit(1)
    )
    in_cohort = func.count(CourseReferral.id)
    course_id = session.scalar(
        select(CourseEmployer.course_id)
        .join(CourseReferral, CourseReferral.course_id == CourseEmployer.course_id)
        .where(
            CourseEmployer.organisation_id == organisation_id,
            CourseReferral.status.in_(
                [
                    TraineeStatus.ACCEPTED,
                    TraineeStatus.STARTED,
                    TraineeStatus.LEFT,
                    TraineeStatus.COMPLETED,
                ]
            ),
        )
        .group_by(CourseEmployer.course_id)
        .having(in_cohort >= 20)
        .order_by(in_cohort.desc(), CourseEmployer.course_id)
        .limit(1)
    )
    if vacancy_id is None or callback_id is None or course_id is None:
        raise LookupError("the benchmark records are missing: load the national data again")
    return [
        ("employer_home", BENCH_EMPLOYER, "/"),
        ("vacancy_list", BENCH_EMPLOYER, "/vacancies"),
        ("candidate_review", BENCH_EMPLOYER, f"/vacancies/{vacancy_id}/candidates"),
        ("callback_queue", BENCH_LMRA, "/call-backs"),
        ("call_screen", BENCH_LMRA, f"/call-backs/{callback_id}"),
        ("portfolio", BENCH_DAM, "/my-accounts"),
        ("account_page", BENCH_DAM, f"/accounts/{organisation_id}"),
        ("pet_cohort", BENCH_EMPLOYER, f"/courses/{course_id}/cohort"),
        ("validation_queue", BENCH_COORDINATOR, "/outcomes/validation"),
        ("mi", BENCH_COORDINATOR, "/reports"),
    ]
