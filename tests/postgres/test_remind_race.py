"""`flask callbacks remind` in two processes at once never reports a call-back twice."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.callbacks.services import breach_statement, due_soon_statement
from app.models_base import utcnow
from tests.postgres.conftest import at_once

pytestmark = pytest.mark.postgres_only


@pytest.mark.parametrize("statement", [breach_statement, due_soon_statement])
def test_two_reminder_runs_at_once_split_the_call_backs_between_them(engine, committed, statement):
    committed.user(Role.LMRA)
    committed.user(Role.COORDINATOR)
    hours = -2 if statement is breach_statement else 2
    expected = {committed.callback(dt.timedelta(hours=hours)) for _ in range(20)}
    now = utcnow()

    def run(session: Session) -> set:
        return set(session.scalars(statement(now)))

    first, second = at_once(engine, run, run)

    assert first.isdisjoint(second)
    assert (first | second) & expected == expected
    # A third run finds nothing left to report.
    with Session(engine) as session:
        assert set(session.scalars(statement(now))) & expected == set()
        session.rollback()
