"""Two LMRAs claim the same call-back at the same instant: exactly one wins.

Real committed rows, two connections in two threads, both UPDATEs sent together after a
barrier (PostgreSQL only: SQLite has one writer at a time, so it cannot show the race).
"""

from __future__ import annotations

import time
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from app.auth.models import Role
from app.callbacks.models import CallBack, CallBackStatus
from app.callbacks.services import claim_statement
from app.models_base import utcnow
from tests.postgres.conftest import at_once

pytestmark = pytest.mark.postgres_only

#: How long the first claimer holds its row lock before committing, so that the second
#: claimer's UPDATE really waits on it rather than arriving after the commit.
HOLD_LOCK = 0.2


def claimer(callback_id: uuid.UUID, lmra_id: uuid.UUID, office_id: uuid.UUID):
    def work(session: Session) -> tuple[int, float]:
        started = time.monotonic()
        rowcount = session.execute(
            claim_statement(callback_id, lmra_id, office_id, utcnow())
        ).rowcount
        waited = time.monotonic() - started
        time.sleep(HOLD_LOCK)
        return rowcount, waited

    return work


@pytest.mark.parametrize("round_", range(3))
def test_two_lmras_claiming_at_the_same_instant_exactly_one_wins(engine, committed, round_):
    ann, bob = committed.user(Role.LMRA), committed.user(Role.LMRA)
    callback_id = committed.callback()

    (ann_rows, ann_waited), (bob_rows, bob_waited) = at_once(
        engine,
        claimer(callback_id, ann, committed.office_id),
        claimer(callback_id, bob, committed.office_id),
    )

    assert sorted([ann_rows, bob_rows]) == [0, 1]
    winner = ann if ann_rows == 1 else bob
    with Session(engine) as session:
        row = session.get(CallBack, callback_id)
        assert row.status is CallBackStatus.CLAIMED
        assert row.claimed_by_id == winner
    # The loser's statement ran while the winner held the row: it waited, then found the
    # call-back no longer open (READ COMMITTED re-checks the WHERE after the lock).
    assert max(ann_waited, bob_waited) > HOLD_LOCK / 2


def test_a_claimed_call_back_cannot_be_claimed_again(engine, committed):
    ann, bob = committed.user(Role.LMRA), committed.user(Role.LMRA)
    callback_id = committed.callback()
    with Session(engine) as session:
        assert session.execute(claim_statement(callback_id, ann, None, utcnow())).rowcount == 1
        session.commit()
    with Session(engine) as session:
        assert session.execute(claim_statement(callback_id, bob, None, utcnow())).rowcount == 0
        session.commit()
        assert (
            session.scalar(sa.select(CallBack.claimed_by_id).where(CallBack.id == callback_id))
            == ann
        )
