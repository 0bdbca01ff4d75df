"""Fifty people using one gunicorn instance at once for LOAD_SECONDS (default 15; `make soak`
runs 60): no request fails, nothing answers 5xx, and every write the portal acknowledged is
in the database afterwards. A summary line (requests, rps, p95, errors) goes to the log.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import Counter
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app import models  # noqa: F401 - every mapper configured before rows are written
from app.accounts.models import (
    District,
    EmployerMembership,
    MembershipRole,
    Office,
    Organisation,
    Ownership,
    Site,
    SizeBand,
)
from app.auth.models import Role, User
from app.callbacks.models import CallBack
from app.models_base import utcnow
from app.vacancies.models import ContractType, PayPeriod, Vacancy, VacancyStatus
from tests.system.simulated_users import Ledger, Person, SimulatedUser
from tests.system.visitors import Hit

pytestmark = pytest.mark.system

LOAD_SECONDS = float(os.environ.get("LOAD_SECONDS", "15"))
PASSWORD = "load-test-password"
# Fifty people: who they are decides what they do (see simulated_users.py).
HEADCOUNT = {"employer": 24, "lmra": 12, "dam": 6, "coordinator": 4, "adviser": 4}
# Call-backs waiting when the run starts, so that LMRAs have work from the first second.
WAITING_PER_EMPLOYER = 2
# gunicorn on two cores: a worker per core and one more, each with four threads, so a
# request waiting on the database does not hold a core idle.
WORKERS, THREADS = 3, 4


def seed_people(engine: sa.Engine) -> list[Person]:
    """Employers of their own organisations in West Yorkshire, and staff of its offices,
    written straight to the database.

    Their password hash is a cheap one (the portal checks any werkzeug hash): with
    production's scrypt the fifty sign-ins alone keep both cores busy for ten seconds
    before the run starts. test_instances.py signs in against scrypt hashes."""
    password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
    now = utcnow()
    people: list[Person] = []
    with Session(engine) as session:
        district = session.scalar(sa.select(District).where(District.name == "West Yorkshire"))
        offices = {
            office.name: office
            for office in session.scalars(sa.select(Office).where(Office.district == district))
        }

        def person(role: Role, number: int, office: Office | None) -> User:
            user = User(
                email=f"load.{role.value}.{number}@example.org",
                name=f"Load {role.value} {number}",
                role=role,
                password_hash=password_hash,
                email_verified_at=now,
                office_id=office.id if office else None,
                district_id=office.district_id if office else None,
            )
            session.add(user)
            people.append(Person(user.email, role.value))
            return user

        staff_office = {"adviser": offices["Wakefield"]}
        dams = []
        for role_name, count in HEADCOUNT.items():
            if role_name == "employer":
                continue
            for number in range(count):
                user = person(
                    Role(role_name), number, staff_office.get(role_name, offices["Leeds City"])
                )
                if role_name == "dam":
                    dams.append(user)
        session.flush()
        for number in range(HEADCOUNT["employer"]):
            organisation = Organisation(
                name=f"Load employer {number}",
                size_band=SizeBand.SME,
                sector="retail",
                ownership=Ownership.PRIVATE,
                district_id=district.id,
                contact_id=dams[number % len(dams)].id,
            )
            site = Site(
                organisation=organisation,
                name="Shop",
                address_line_1=f"{number} Briggate",
                town="Leeds",
                postcode="LS1 6LH",
            )
            session.add_all([organisation, site])
            owner = person(Role.EMPLOYER, number, None)
            session.add(
                EmployerMembership(user=owner, organisation=organisation, role=MembershipRole.OWNER)
            )
            waiting_callbacks(session, organisation, site, owner, now)
        session.commit()
    return people


def waiting_callbacks(
    session: Session,
    organisation: Organisation,
    site: Site,
    owner: User,
    now: dt.datetime,
) -> None:
    for number in range(WAITING_PER_EMPLOYER):
        vacancy = Vacancy(
            organisation=organisation,
            site=site,
            district_id=organisation.district_id,
            created_by=owner,
            status=VacancyStatus.SUBMITTED,
            job_title=f"Waiting {organisation.name} {number}",
            sector="retail",
            description="Serving customers.",
            hours_per_week=Decimal("30"),
            contract_type=ContractType.PERMANENT,
            pay_amount=Decimal("13.00"),
            pay_period=PayPeriod.HOURLY,
            hourly_pay=Decimal("13.00"),
            how_to_apply="Phone the shop.",
            submitted_at=now,
        )
        session.add(vacancy)
        session.add(
            CallBack(
                vacancy=vacancy,
                organisation=organisation,
                district_id=organisation.district_id,
                placed_at=now,
                due_at=now + dt.timedelta(hours=48),
            )
        )


@pytest.fixture(scope="module")
def people(portal_engine) -> list[Person]:
    return seed_people(portal_engine)


@pytest.fixture(scope="module")
def portal(portal_database, people, rate_limits, start_gunicorn):
    (instance,) = start_gunicorn(
        portal_database,
        workers=WORKERS,
        threads=THREADS,
        RATELIMIT_STORAGE_URI=rate_limits.url,
        RATELIMIT_KEY_PREFIX=rate_limits.prefix,
        # Everyone signs in from 127.0.0.1 at once; the limit itself is tested elsewhere.
        SIGN_IN_RATE_LIMIT="10000 per minute",
    )
    return instance


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def summary(hits: list[Hit], elapsed: float, users: int, errors: int, ledger: Ledger) -> str:
    """Two lines for the CI log: the figures, and the routes that were slowest."""
    seconds = [hit.seconds for hit in hits] or [0.0]
    slowest: dict[str, float] = {}
    for hit in hits:
        route = f"{hit.method} {hit.route}"
        slowest[route] = max(slowest.get(route, 0.0), hit.seconds)
    worst = sorted(slowest.items(), key=lambda item: item[1], reverse=True)[:5]
    return (
        f"\nLOAD users={users} seconds={elapsed:.1f} requests={len(hits)} "
        f"rps={len(hits) / elapsed:.1f} p50={percentile(seconds, 0.5) * 1000:.0f}ms "
        f"p95={percentile(seconds, 0.95) * 1000:.0f}ms max={max(seconds) * 1000:.0f}ms "
        f"errors={errors} writes={ledger.writes()} (drafts={len(ledger.drafts)} "
        f"submitted={len(ledger.submitted)} claims={len(ledger.claimed)} "
        f"attempts={sum(ledger.attempts.values())} completions={len(ledger.completed)}) "
        f"statuses={dict(sorted(Counter(hit.status for hit in hits).items()))}\n"
        "LOAD slowest: " + ", ".join(f"{route} {time * 1000:.0f}ms" for route, time in worst)
    )


def test_fifty_people_at_once_get_no_errors_and_lose_no_acknowledged_write(
    portal, people, portal_engine, capsys
):
    ledger = Ledger()
    start = threading.Barrier(len(people) + 1)
    users = [
        SimulatedUser(person, PASSWORD, portal.url, ledger, start, LOAD_SECONDS, seed)
        for seed, person in enumerate(people)
    ]
    for user in users:
        user.start()
    start.wait(timeout=120)
    began = time.monotonic()
    for user in users:
        user.join(timeout=LOAD_SECONDS + 60)
    elapsed = time.monotonic() - began

    hits = [hit for user in users for hit in user.hits if hit.finished_at >= began]
    failed = [hit for user in users for hit in user.hits if hit.status == 0 or hit.status >= 500]
    with capsys.disabled():  # in the CI log even when the test passes
        print(summary(hits, elapsed, len(users), len(failed) + len(ledger.problems), ledger))

    assert not any(user.is_alive() for user in users)
    assert failed == []
    assert ledger.problems == [], ledger.problems[:10]
    assert ledger.drafts, "nobody managed to save anything"
    assert_in_database(portal_engine, ledger)


def assert_in_database(engine: sa.Engine, ledger: Ledger) -> None:
    with engine.connect() as connection:
        vacancies = {
            str(row.id): row
            for row in connection.execute(
                sa.text(
                    "SELECT v.id, v.job_title, v.status, c.id AS callback_id FROM vacancy v "
                    "LEFT JOIN callback c ON c.vacancy_id = v.id WHERE v.job_title LIKE 'Load %'"
                )
            )
        }
        callbacks = {
            str(row.id): row
            for row in connection.execute(
                sa.text(
                    "SELECT c.id, c.status, claimer.email AS claimed_by, "
                    "completer.email AS completed_by, "
                    "(SELECT count(*) FROM call_attempt a WHERE a.callback_id = c.id) AS attempts "
                    "FROM callback c "
                    "LEFT JOIN user_account claimer ON claimer.id = c.claimed_by_id "
                    "LEFT JOIN user_account completer ON completer.id = c.completed_by_id"
                )
            )
        }
    lost_drafts = {
        key: title
        for key, title in ledger.drafts.items()
        if key not in vacancies or vacancies[key].job_title != title
    }
    assert lost_drafts == {}
    lost_submissions = [
        key
        for key in ledger.submitted
        if vacancies[key].status == VacancyStatus.DRAFT.value or vacancies[key].callback_id is None
    ]
    assert lost_submissions == []
    assert {key: callbacks[key].claimed_by for key in ledger.claimed} == ledger.claimed
    assert {key: callbacks[key].attempts for key in ledger.attempts} == dict(ledger.attempts)
    assert {key: callbacks[key].completed_by for key in ledger.completed} == ledger.completed
    assert {callbacks[key].status for key in ledger.completed} <= {"completed"}
