"""`make run` on a SQLite file: two requests that read and then write at once (a save and
its audit entry, two trainee pages opened quickly) both succeed; neither gets
"database is locked"."""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app import create_app
from app.extensions import db
from config import TestConfig

pytestmark = pytest.mark.skipif(
    not TestConfig.SQLALCHEMY_DATABASE_URI.startswith("sqlite"), reason="SQLite only"
)


@pytest.fixture
def file_app(tmp_path: Path):
    class FileConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'portal.sqlite'}"

    app = create_app(FileConfig)
    with app.app_context(), Session(db.engine) as session:
        db.create_all()
        session.execute(text("CREATE TABLE scratch (name TEXT)"))
        session.commit()
        session.close()
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_sqlite_file_is_in_wal_mode_with_a_busy_timeout(file_app):
    # Sessions of the file app's own engine: the suite's rolled-back session is another app's.
    with file_app.app_context(), Session(db.engine) as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_two_requests_that_read_then_write_at_once_both_succeed(file_app):
    """Each reads first (its transaction begins), waits for the other to have read too, then
    writes. With a deferred BEGIN the second writer's snapshot is stale and SQLite refuses
    it at once with "database is locked"; an immediate BEGIN makes it wait its turn."""
    both_read = threading.Barrier(2, timeout=10)
    errors: list[BaseException] = []

    def request(name: str) -> None:
        with file_app.app_context(), Session(db.engine) as session:
            try:
                session.execute(text("SELECT count(*) FROM scratch")).scalar()
                # A broken barrier: the other waits for our lock before reading; fine too.
                with contextlib.suppress(threading.BrokenBarrierError):
                    both_read.wait(timeout=2)
                session.execute(text("INSERT INTO scratch (name) VALUES (:n)"), {"n": name})
                session.commit()
            except BaseException as error:
                errors.append(error)
            finally:
                session.close()

    threads = [threading.Thread(target=request, args=(f"request {n}",)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors, errors
    with file_app.app_context(), Session(db.engine) as session:
        assert session.execute(text("SELECT count(*) FROM scratch")).scalar() == 2
