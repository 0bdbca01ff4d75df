"""`flask demo national`: the national data at a tiny scale, in a database of its own.

One throwaway database is created on the test server, migrated, loaded, loaded again with
--replace (same seed: same rows), and dropped at the end. The app's pages are then fetched
over it as the benchmark's users.
"""

from __future__ import annotations

import datetime as dt
import io
import logging.config
import os
import random
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import flask_migrate
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from app import create_app
from app.auth.models import User
from app.callbacks.rules import callback_due
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from app.vacancies.rules import minimum_hourly_wage
from config import TestConfig, database_url
from national.build import COLUMNS, app_tables, bench_pages, load_national
from national.cli import register
from national.plan import DAY, CallbackClock, Clock, Ids
from tests.conftest import FreshContextClient, skip_or_fail
from tests.helpers import get_page, sign_in

SCALE = 0.0005
SEED = 7
TODAY = dt.date(2026, 3, 20)  # a Friday, near the end of the financial year
# Tables whose rows two loads with one seed must give identically.
CHECKED = ("user_account", "organisation", "vacancy", "callback", "referral", "job_outcome")


@dataclass
class Loaded:
    url: str
    engine: sa.Engine
    indexes_before: set[str]
    constraints_before: set[str]
    counts: dict[str, int]
    checksums: dict[str, str]


def _admin_url() -> str:
    url = database_url(os.environ.get("TEST_DATABASE_URL", ""))
    if not url.startswith("postgresql"):
        skip_or_fail("needs PostgreSQL: set TEST_DATABASE_URL to a postgresql:// URL")
    return url


def _schema(engine: sa.Engine) -> tuple[set[str], set[str]]:
    with engine.connect() as connection:
        indexes = set(
            connection.scalars(
                sa.text("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'")
            )
        )
        constraints = set(
            connection.scalars(
                sa.text(
                    "SELECT conname FROM pg_constraint c JOIN pg_namespace n "
                    "ON n.oid = c.connamespace WHERE n.nspname = 'public' AND c.convalidated"
                )
            )
        )
    return indexes, constraints


def _checksums(engine: sa.Engine) -> dict[str, str]:
    with engine.connect() as connection:
        return {
            table: connection.scalar(
                sa.text(f"SELECT md5(string_agg(t::text, '|' ORDER BY t.id)) FROM {table} t")
            )
            for table in CHECKED
        }


def _load(url: str, *, replace: bool = False, workers: int = 1) -> dict[str, int]:
    summary = load_national(
        url,
        scale=SCALE,
        seed=SEED,
        today=TODAY,
        replace=replace,
        workers=workers,
        password_method=TestConfig.PASSWORD_HASH_METHOD,
        echo=lambda text: None,
        progress_stream=io.StringIO(),
    )
    return summary.rows


@pytest.fixture(scope="module")
def loaded() -> Iterator[Loaded]:
    admin_url = _admin_url()
    name = f"national_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    engine = sa.create_engine(url)
    try:
        config = type("MigrateConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url})
        migrate_app = create_app(config)
        with pytest.MonkeyPatch.context() as patch, migrate_app.app_context():
            # migrations/env.py would otherwise reconfigure (and silence) logging.
            patch.setattr(logging.config, "fileConfig", lambda *args, **kwargs: None)
            flask_migrate.upgrade()
            db.engine.dispose()
        indexes, constraints = _schema(engine)
        counts = _load(url, workers=2)
        yield Loaded(url, engine, indexes, constraints, counts, _checksums(engine))
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


# --- pure parts: no database -----------------------------------------------------------------


def test_the_fast_call_back_clock_agrees_with_the_rule() -> None:
    clock = Clock(TODAY)
    fast = CallbackClock(clock)
    rng = random.Random(1)
    for _ in range(3000):
        placed = (clock.start + rng.randrange(1100)) * DAY + rng.choice([0, rng.randrange(DAY)])
        nation = rng.choice(("england", "wales", "scotland"))
        expected = callback_due(clock.as_datetime(placed), nation)
        assert clock.as_datetime(fast.due(placed, nation)) == expected


def test_ids_are_uuids_unique_within_and_across_kinds() -> None:
    ids = Ids(SEED)
    made = [ids[kind](index) for kind in ("vacancy", "referral") for index in range(20_000)]
    assert len(set(made)) == len(made)
    assert all(len(value) == 32 and uuid.UUID(value) for value in made[:100])
    assert Ids(SEED)["vacancy"](123) == ids["vacancy"](123)


def test_every_column_the_load_writes_exists_and_every_required_one_is_written() -> None:
    for table in db.metadata.sorted_tables:
        written = COLUMNS.get(table.name)
        if written is None:
            continue  # a table the national data leaves empty (the outbox, audit entries)
        assert set(written) <= set(table.columns.keys()), table.name
        required = {c.name for c in table.columns if not c.nullable and c.server_default is None}
        assert required <= set(written), (table.name, required - set(written))


# --- the load --------------------------------------------------------------------------------


@pytest.mark.postgres_only
def test_row_counts_scale_as_planned(loaded: Loaded) -> None:
    expected = {
        "organisation": 190_000,
        "site": 250_000,
        "vacancy": 2_000_000,
        "customer": 1_500_000,
        "referral": 4_000_000,
        "job_outcome": 750_000,
        "agreement": 150_000,
        "course_referral": 300_000,
        "contact_log_entry": 1_000_000,
        "callback": 1_950_000,
    }
    for table, at_one in expected.items():
        wanted = at_one * SCALE
        assert 0.6 * wanted <= loaded.counts[table] <= 1.4 * wanted, (table, loaded.counts[table])
    with loaded.engine.connect() as connection:
        open_vacancies = connection.scalar(
            sa.text("SELECT count(*) FROM vacancy WHERE status IN ('live', 'submitted')")
        )
        districts = connection.scalar(sa.text("SELECT count(*) FROM district"))
        nations = connection.scalar(sa.text("SELECT count(DISTINCT nation_code) FROM district"))
    assert 0.6 * 600_000 * SCALE <= open_vacancies <= 1.5 * 600_000 * SCALE
    assert districts >= 3 and nations == 3


@pytest.mark.postgres_only
def test_keys_indexes_and_foreign_keys_are_back_and_checked(loaded: Loaded) -> None:
    indexes, constraints = _schema(loaded.engine)
    assert indexes == loaded.indexes_before
    assert constraints == loaded.constraints_before
    with loaded.engine.connect() as connection:
        leftovers = connection.scalar(
            sa.text("SELECT to_regclass('national_load_saved_ddl') IS NOT NULL")
        )
        analysed = connection.scalar(
            sa.text("SELECT count(*) FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")
        )
    assert not leftovers
    assert analysed >= len(app_tables())


@pytest.mark.postgres_only
def test_rows_keep_the_models_invariants(loaded: Loaded) -> None:
    checks = {
        # A submitted vacancy waits for its call-back; one that went live had it completed.
        "submitted without an open call-back": (
            "SELECT count(*) FROM vacancy v LEFT JOIN callback c ON c.vacancy_id = v.id "
            "WHERE v.status = 'submitted' AND (c.id IS NULL OR c.status = 'completed')"
        ),
        "live or closed without a completed call-back": (
            "SELECT count(*) FROM vacancy v LEFT JOIN callback c ON c.vacancy_id = v.id "
            "WHERE v.status IN ('live', 'filled', 'withdrawn') "
            "AND (c.id IS NULL OR c.status <> 'completed' OR c.completed_at <> v.live_at)"
        ),
        "draft with a call-back": (
            "SELECT count(*) FROM vacancy v JOIN callback c ON c.vacancy_id = v.id "
            "WHERE v.status = 'draft'"
        ),
        "claimed without a claimer": (
            "SELECT count(*) FROM callback WHERE status = 'claimed' AND claimed_by_id IS NULL"
        ),
        "open vacancy closing in the past": (
            "SELECT count(*) FROM vacancy WHERE status IN ('live', 'submitted') "
            "AND closing_date < :today"
        ),
        "started referral without its job outcome": (
            "SELECT count(*) FROM referral r LEFT JOIN job_outcome o ON o.referral_id = r.id "
            "WHERE r.status = 'started' AND o.id IS NULL"
        ),
        "outcome of a referral not started": (
            "SELECT count(*) FROM job_outcome o JOIN referral r ON r.id = o.referral_id "
            "WHERE r.status <> 'started'"
        ),
        "referral of a customer who does not consent": (
            "SELECT count(*) FROM referral r JOIN customer c ON c.id = r.customer_id "
            "WHERE NOT c.consent_given"
        ),
        "vacancy in another district than its site's": (
            "SELECT count(*) FROM vacancy v JOIN site s ON s.id = v.site_id "
            "JOIN district d ON d.id = v.district_id "
            "WHERE ' ' || d.postcode_areas || ' ' "
            "NOT LIKE '% ' || substring(s.postcode from '^[A-Z]+') || ' %'"
        ),
        "event in the future": "SELECT count(*) FROM vacancy WHERE created_at > :now",
    }
    now = dt.datetime.combine(TODAY, dt.time(), tzinfo=dt.UTC)
    with loaded.engine.connect() as connection:
        broken = {
            what: count
            for what, query in checks.items()
            if (count := connection.scalar(sa.text(query), {"today": TODAY, "now": now}))
        }
        starts = connection.execute(
            sa.text(
                "SELECT o.start_date, o.hourly_pay, c.date_of_birth FROM job_outcome o "
                "JOIN customer c ON c.id = o.customer_id"
            )
        ).all()
    assert not broken
    for start, pay, born in starts:
        age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
        assert pay >= minimum_hourly_wage(start, age), (start, pay, born)


@pytest.mark.postgres_only
def test_the_same_seed_gives_the_same_rows_whatever_the_workers(loaded: Loaded) -> None:
    counts = _load(loaded.url, replace=True, workers=1)
    assert counts == loaded.counts
    assert _checksums(loaded.engine) == loaded.checksums


@pytest.mark.postgres_only
def test_a_database_holding_data_is_refused_without_replace(loaded: Loaded) -> None:
    config = type("NationalConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": loaded.url})
    application = create_app(config)
    register(application)
    # In the app's own context: otherwise the command would run in the suite's app, whose
    # context the autouse fixture holds.
    with application.app_context():
        result = application.test_cli_runner().invoke(
            args=["demo", "national", "--scale", str(SCALE), "--today", TODAY.isoformat()]
        )
    assert result.exit_code != 0
    assert "already holds data" in result.output
    assert "--replace" in result.output
    with application.app_context():
        db.engine.dispose()


def test_the_command_is_flask_demo_national_in_the_wsgi_app() -> None:
    """The factory never imports the generator; wsgi.py adds its command to the demo group."""
    environment = {**os.environ, "APP_ENV": "development", "DATABASE_URL": "sqlite://"}
    bin_dir = os.path.dirname(sys.executable)
    result = subprocess.run(
        [os.path.join(bin_dir, "flask"), "--app", "wsgi", "demo", "--help"],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    assert "national" in result.stdout and "seed" in result.stdout


def test_sqlite_is_refused() -> None:
    config = type("SQLiteConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": "sqlite://"})
    application = create_app(config)
    register(application)
    with application.app_context():
        result = application.test_cli_runner().invoke(args=["demo", "national"])
    assert result.exit_code != 0
    assert "needs PostgreSQL" in result.output


@pytest.mark.postgres_only
def test_every_benchmark_page_opens_for_its_user(
    loaded: Loaded, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(loaded.engine) as session:
        pages = bench_pages(session)
        users = {
            email: session.scalar(sa.select(User).where(User.email == email))
            for _name, email, _path in pages
        }
    assert [name for name, _email, _path in pages] == [
        "employer_home", "vacancy_list", "candidate_review", "callback_queue", "call_screen",
        "portfolio", "account_page", "pet_cohort", "validation_queue", "mi",
    ]  # fmt: skip
    assert all(check_password_hash(user.password_hash, DEMO_PASSWORD) for user in users.values())
    config = type("NationalConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": loaded.url})
    application = create_app(config)
    application.test_client_class = FreshContextClient
    # The autouse fixture binds db.session to the suite's own database; these requests need
    # the app's ordinary session, on the national database.
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    with application.app_context():
        for name, email, path in pages:
            client = sign_in(application.test_client(), users[email])
            get_page(client, path)
            assert name  # named in the failure message of get_page via the path
        db.session.remove()
        db.engine.dispose()
