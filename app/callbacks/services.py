"""Opening, claiming, working and completing 48-hour call-backs, and the reminders about them."""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Update, select, update
from sqlalchemy.orm import joinedload

from app.auth.models import Role, User
from app.callbacks.models import (
    AttemptResult,
    CallAttempt,
    CallBack,
    CallBackOutcome,
    CallBackStatus,
)
from app.callbacks.rules import DUE_SOON, callback_due
from app.compare_and_set import compare_and_set, status_update
from app.extensions import db
from app.mail.services import queue_email
from app.models_base import utcnow
from app.vacancies.models import Vacancy, VacancyStatus

NOT_COMPLETED = (CallBackStatus.OPEN, CallBackStatus.CLAIMED)


class AlreadyCompleted(Exception):
    """Someone completed the call-back first."""


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


def claim_statement(
    callback_id: uuid.UUID, lmra_id: uuid.UUID, office_id: uuid.UUID | None, now: dt.datetime
) -> Update:
    """The conditional UPDATE that decides a claim: it changes the row only while it is open.

    When two LMRAs claim at the same instant, the database lets exactly one of the two
    statements change the row (on PostgreSQL the second waits for the first to commit, then
    finds the row no longer open), so exactly one of them wins.
    """
    return status_update(
        CallBack,
        callback_id,
        CallBackStatus.OPEN,
        {
            "status": CallBackStatus.CLAIMED,
            "claimed_by_id": lmra_id,
            "claimed_at": now,
            "office_id": office_id,
        },
    )


def claim(callback: CallBack, lmra: User, now: dt.datetime | None = None) -> bool:
    """Claim an open call-back and commit; True if this LMRA got it."""
    result = db.session.execute(
        claim_statement(callback.id, lmra.id, lmra.office_id, now or utcnow())
    )
    won = result.rowcount == 1
    db.session.commit()
    db.session.refresh(callback)
    return won


def release(callback: CallBack) -> bool:
    """Put a claimed call-back back in the queue; False if it was no longer claimed."""
    won = compare_and_set(
        CallBack,
        callback.id,
        CallBackStatus.CLAIMED,
        {
            "status": CallBackStatus.OPEN,
            "claimed_by_id": None,
            "claimed_at": None,
            "office_id": None,
        },
    )
    db.session.refresh(callback)
    return won


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
    notes: str = "",
    now: dt.datetime | None = None,
) -> None:
    """Close the call-back and make the vacancy live, with the LEP decision, in one transaction.

    A conditional UPDATE closes it, so if two people complete it at once the second gets
    AlreadyCompleted and its transaction (decision included) is rolled back by the caller.
    `record_decision` records the agreement side (a new agreement, say) in the same
    transaction, so a failure leaves the call-back open and nothing half-saved. Completing
    after the due time is a breach.
    """
    now = now or utcnow()
    won = compare_and_set(
        CallBack,
        callback.id,
        NOT_COMPLETED,
        {
            "status": CallBackStatus.COMPLETED,
            "completed_by_id": completed_by.id,
            "completed_at": now,
            "outcome": outcome,
            "breached": now > callback.due_at,
            # The office that worked it: the claimer's, else whoever completed it.
            "office_id": callback.office_id or completed_by.office_id,
            "notes": notes,
        },
    )
    if not won:
        raise AlreadyCompleted(str(callback.id))
    db.session.refresh(callback)
    if record_decision is not None:
        record_decision()
    vacancy = callback.vacancy
    # A vacancy the employer withdrew meanwhile stays withdrawn.
    if vacancy.status is VacancyStatus.SUBMITTED:
        vacancy.status = VacancyStatus.LIVE
        vacancy.live_at = now


# ---------------------------------------------------------------------------------------------
# Reminders: `flask callbacks remind`
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderCounts:
    due_soon: int
    lmra_emails: int
    breaches: int
    coordinator_emails: int


def _staff_districts(role: Role):
    return select(User.district_id).where(
        User.role == role, User.active.is_(True), User.district_id.is_not(None)
    )


def _mark(column, now: dt.datetime, *conditions) -> Update:
    """Set `column` to `now` on the call-backs matching `conditions` whose `column` is still
    empty, returning their ids.

    Only rows not yet marked change, so two runs (even at once, in two processes) never
    report the same call-back twice. On PostgreSQL the rows are picked `FOR UPDATE SKIP
    LOCKED`: a second run passes over the rows the first holds instead of waiting for them,
    so runs never deadlock; a row the first has already marked fails the re-checked `IS
    NULL`. (SQLite has one writer at a time and ignores the locking clause.)
    """
    pending = (column.is_(None), *conditions)
    picked = select(CallBack.id).where(*pending).with_for_update(skip_locked=True)
    return (
        update(CallBack)
        .where(CallBack.id.in_(picked), *pending)
        .values({column.key: now})
        .returning(CallBack.id)
        .execution_options(synchronize_session=False)
    )


def due_soon_statement(now: dt.datetime) -> Update:
    """Mark call-backs newly due within four hours, in districts that have LMRAs."""
    return _mark(
        CallBack.due_soon_notified_at,
        now,
        CallBack.status.in_(NOT_COMPLETED),
        CallBack.due_at > now,
        CallBack.due_at <= now + DUE_SOON,
        CallBack.district_id.in_(_staff_districts(Role.LMRA)),
    )


def breach_statement(now: dt.datetime) -> Update:
    """Mark call-backs past due and not completed, in districts that have coordinators.

    A district without a coordinator keeps its breaches unmarked until it has one.
    """
    return _mark(
        CallBack.breach_notified_at,
        now,
        CallBack.status.in_(NOT_COMPLETED),
        CallBack.due_at < now,
        CallBack.district_id.in_(_staff_districts(Role.COORDINATOR)),
    )


def _load(ids: list[uuid.UUID]) -> list[CallBack]:
    found: list[CallBack] = []
    for start in range(0, len(ids), 500):
        found.extend(
            db.session.scalars(
                select(CallBack)
                .where(CallBack.id.in_(ids[start : start + 500]))
                .options(
                    joinedload(CallBack.vacancy),
                    joinedload(CallBack.organisation),
                    joinedload(CallBack.claimed_by),
                    joinedload(CallBack.office),
                )
            )
        )
    return sorted(found, key=lambda callback: (callback.due_at, callback.id))


def _staff(role: Role, district_ids: Iterable[uuid.UUID]) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(
                User.role == role,
                User.active.is_(True),
                User.district_id.in_(set(district_ids)),
            )
            .order_by(User.email)
        )
    )


def coordinators_for(callback: CallBack, coordinators: list[User]) -> list[User]:
    """Who hears of a breach: the coordinators of its office, or of the whole district.

    A coordinator with an office hears of that office's breaches; one without hears of the
    whole district's. A breach no office worked yet (never claimed), or of an office with no
    coordinator of its own, goes to every coordinator of the district, so none goes unseen.
    """
    in_district = [c for c in coordinators if c.district_id == callback.district_id]
    if callback.office_id is not None:
        chosen = [c for c in in_district if c.office_id in (None, callback.office_id)]
        if chosen:
            return chosen
    return in_district


def send_reminders(now: dt.datetime | None = None) -> ReminderCounts:
    """Queue the due-soon emails to LMRAs and the breach emails to coordinators.

    Marks what it reports in the same transaction as the emails: commit to send both.
    """
    now = now or utcnow()
    due_soon = _load(list(db.session.scalars(due_soon_statement(now))))
    breaches = _load(list(db.session.scalars(breach_statement(now))))

    by_district: dict[uuid.UUID, list[CallBack]] = defaultdict(list)
    for callback in due_soon:
        by_district[callback.district_id].append(callback)
    lmra_emails = 0
    for lmra in _staff(Role.LMRA, by_district):
        queue_email(
            lmra.email,
            _l("Call-backs due in the next 4 hours"),
            "callback_due_soon",
            user=lmra,
            callbacks=by_district[lmra.district_id],
            now=now,
        )
        lmra_emails += 1

    # Keyed by id: UserMixin defines __eq__, so users are not hashable.
    by_coordinator: dict[uuid.UUID, list[CallBack]] = defaultdict(list)
    coordinators = _staff(Role.COORDINATOR, {callback.district_id for callback in breaches})
    for callback in breaches:
        for coordinator in coordinators_for(callback, coordinators):
            by_coordinator[coordinator.id].append(callback)
    for coordinator in coordinators:
        if by_coordinator[coordinator.id]:
            queue_email(
                coordinator.email,
                _l("Call-backs not completed in time"),
                "callback_breaches",
                user=coordinator,
                callbacks=by_coordinator[coordinator.id],
                now=now,
            )
    coordinator_emails = sum(1 for callbacks in by_coordinator.values() if callbacks)
    return ReminderCounts(len(due_soon), lmra_emails, len(breaches), coordinator_emails)
