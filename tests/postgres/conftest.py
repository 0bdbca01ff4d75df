"""PostgreSQL-only tests: real committed rows and several connections at once.

The autouse `db_session` fixture still wraps each test in a rolled-back transaction; these
tests do not use it. They open their own engine on the worker's schema (the app's URL),
commit what they create, and delete it afterwards.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.accounts.models import (
    District,
    Nation,
    Office,
    Organisation,
    Ownership,
    Site,
    SizeBand,
)
from app.auth.models import Role, User
from app.callbacks.models import CallBack
from app.models_base import utcnow
from app.reports.models import RollupDirty
from app.vacancies.models import ContractType, PayPeriod, Vacancy, VacancyStatus
from tests.conftest import skip_or_fail


@pytest.fixture
def engine(app) -> Iterator[sa.Engine]:
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("postgresql"):
        skip_or_fail("needs PostgreSQL: set TEST_DATABASE_URL to a postgresql:// URL")
    engine = sa.create_engine(url, pool_size=4)
    yield engine
    engine.dispose()


@dataclass
class Committed:
    """Rows really committed for one test, deleted (children first) when it ends."""

    engine: sa.Engine
    district_id: uuid.UUID = field(default_factory=uuid.uuid4)
    office_id: uuid.UUID = field(default_factory=uuid.uuid4)
    organisation_id: uuid.UUID = field(default_factory=uuid.uuid4)
    site_id: uuid.UUID = field(default_factory=uuid.uuid4)
    users: list[uuid.UUID] = field(default_factory=list)
    vacancies: list[uuid.UUID] = field(default_factory=list)
    callbacks: list[uuid.UUID] = field(default_factory=list)
    nation_created: bool = False

    def setup(self) -> None:
        tag = self.district_id.hex[:8]
        with Session(self.engine) as session:
            if session.get(Nation, "england") is None:
                session.add(Nation(code="england", name="England"))
                self.nation_created = True
            session.add(District(id=self.district_id, name=f"Race {tag}", nation_code="england"))
            session.add(Office(id=self.office_id, name=f"Race {tag}", district_id=self.district_id))
            session.add(
                Organisation(
                    id=self.organisation_id,
                    name=f"Race employer {tag}",
                    size_band=SizeBand.SME,
                    sector="retail",
                    ownership=Ownership.PRIVATE,
                    district_id=self.district_id,
                )
            )
            session.add(
                Site(
                    id=self.site_id,
                    organisation_id=self.organisation_id,
                    name="Shop",
                    address_line_1="1 High Street",
                    town="Leeds",
                    postcode="LS1 4AP",
                )
            )
            session.commit()

    def user(self, role: Role) -> uuid.UUID:
        user_id = uuid.uuid4()
        with Session(self.engine) as session:
            session.add(
                User(
                    id=user_id,
                    email=f"{user_id.hex}@example.org",
                    name=f"{role.value} {user_id.hex[:6]}",
                    role=role,
                    office_id=self.office_id,
                    district_id=self.district_id,
                )
            )
            session.commit()
        self.users.append(user_id)
        return user_id

    def callback(self, due_in: dt.timedelta = dt.timedelta(hours=24)) -> uuid.UUID:
        now = utcnow()
        vacancy_id, callback_id = uuid.uuid4(), uuid.uuid4()
        with Session(self.engine) as session:
            session.add(
                Vacancy(
                    id=vacancy_id,
                    organisation_id=self.organisation_id,
                    site_id=self.site_id,
                    district_id=self.district_id,
                    status=VacancyStatus.SUBMITTED,
                    job_title="Shelf stacker",
                    sector="retail",
                    hours_per_week=Decimal("20"),
                    contract_type=ContractType.PERMANENT,
                    pay_amount=Decimal("13.00"),
                    pay_period=PayPeriod.HOURLY,
                    hourly_pay=Decimal("13.00"),
                )
            )
            session.flush()
            session.add(
                CallBack(
                    id=callback_id,
                    vacancy_id=vacancy_id,
                    organisation_id=self.organisation_id,
                    district_id=self.district_id,
                    placed_at=now,
                    due_at=now + due_in,
                )
            )
            session.commit()
        self.vacancies.append(vacancy_id)
        self.callbacks.append(callback_id)
        return callback_id

    def cleanup(self) -> None:
        with Session(self.engine) as session:
            session.execute(sa.delete(CallBack).where(CallBack.id.in_(self.callbacks)))
            session.execute(sa.delete(Vacancy).where(Vacancy.id.in_(self.vacancies)))
            session.execute(sa.delete(Site).where(Site.id == self.site_id))
            session.execute(sa.delete(Organisation).where(Organisation.id == self.organisation_id))
            session.execute(sa.delete(User).where(User.id.in_(self.users)))
            session.execute(sa.delete(Office).where(Office.id == self.office_id))
            session.execute(sa.delete(District).where(District.id == self.district_id))
            if self.nation_created:
                session.execute(sa.delete(Nation).where(Nation.code == "england"))
            # The rollup marks these commits wrote (and the deletes above): this worker's
            # schema outlives the test, and a later test counts the marks its own writes make.
            session.execute(sa.delete(RollupDirty))
            session.commit()


@pytest.fixture
def committed(engine) -> Iterator[Committed]:
    rows = Committed(engine)
    rows.setup()
    try:
        yield rows
    finally:
        rows.cleanup()


def at_once(engine: sa.Engine, *work: Callable[[Session], object]) -> list[object]:
    """Run each piece of work in its own thread and session, all starting together after a
    barrier; each commits. Returns what each returned, in order; re-raises any error."""
    barrier = threading.Barrier(len(work))
    results: list[object] = [None] * len(work)
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[Session], object]) -> None:
        try:
            with Session(engine) as session:
                session.connection()  # connect before the barrier, so only the work races
                barrier.wait(timeout=10)
                results[index] = job(session)
                session.commit()
        except BaseException as error:
            barrier.abort()
            errors.append(error)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(work)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    if errors:
        raise errors[0]
    return results
