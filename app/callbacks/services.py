"""Opening, claiming, working and completing 48-hour call-backs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import update

from app.auth.models import User
from app.callbacks.models import (
    AttemptResult,
    CallAttempt,
    CallBack,
    CallBackOutcome,
    CallBackStatus,
)
from app.callbacks.rules import callback_due
from app.extensions import db
from app.models_base import utcnow
from app.vacancies.models import Vacancy, VacancyStatus


def open_callback(vacancy: Vacancy, placed_at: dt.datetime | None = None) -> CallBack:
    """The call-back task a submitted vacancy opens, due 48 working hours later."""
    placed_at = placed_at or utcnow()
    callback = CallBack(
        vacancy_id=vacancy.id,
        organisation_id=vacancy.organisation_id,
        district_id=vacancy.district_id,
        placed_at=placed_at,
        due_at=callback_due(placed_at, vacancy.district.nation_code),
    )
    db.session.add(callback)
    return callback


def claim(callback: CallBack, lmra: User, now: dt.datetime | None = None) -> bool:
    """Claim an open call-back; True if this LMRA got it.

    One conditional UPDATE decides: when two LMRAs claim at the same instant, the database
    lets exactly one row change, so exactly one of them wins.
    """
    now = now or utcnow()
    result = db.session.execute(
        update(CallBack)
        .where(CallBack.id == callback.id, CallBack.status == CallBackStatus.OPEN)
        .values(
            status=CallBackStatus.CLAIMED,
            claimed_by_id=lmra.id,
            claimed_at=now,
            office_id=lmra.office_id,
        )
        .execution_options(synchronize_session=False)
    )
    won = result.rowcount == 1
    db.session.commit()
    db.session.refresh(callback)
    return won


def release(callback: CallBack) -> None:
    callback.status = CallBackStatus.OPEN
    callback.claimed_by_id = None
    callback.claimed_at = None


def log_attempt(
    callback: CallBack,
    made_by: User,
    result: AttemptResult,
    *,
    call_back_at: dt.datetime | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> CallAttempt:
    attempt = CallAttempt(
        callback=callback,
        made_by_id=made_by.id,
        made_at=now or utcnow(),
        result=result,
        call_back_at=call_back_at if result is AttemptResult.CALL_LATER else None,
        note=note,
    )
    db.session.add(attempt)
    return attempt


def complete(
    callback: CallBack,
    completed_by: User,
    outcome: CallBackOutcome,
    *,
    record_decision: Callable[[], object] | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Close the call-back and make the vacancy live, with the LEP decision, in one transaction.

    `record_decision` records the agreement side (a new agreement, say) in the same
    transaction, so a failure leaves the call-back open and nothing half-saved.
    """
    if callback.status is CallBackStatus.COMPLETED:
        raise ValueError("this call-back is already completed")
    now = now or utcnow()
    if record_decision is not None:
        record_decision()
    callback.status = CallBackStatus.COMPLETED
    callback.completed_by_id = completed_by.id
    callback.completed_at = now
    callback.outcome = outcome
    callback.breached = now > callback.due_at
    if callback.office_id is None:
        callback.office_id = completed_by.office_id
    vacancy = callback.vacancy
    vacancy.status = VacancyStatus.LIVE
    vacancy.live_at = now
