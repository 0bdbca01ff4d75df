"""Pure rules for guaranteed interviews: which referrals a guarantee covers, when the
employer's answer is due, and where each guarantee stands.

The LEP offer's promise is that employers "agree, when hiring, to guarantee interviews or
jobs to local benefit claimants who complete this training" (seed 002). A guarantee is an
obligation with a clock: within `DEFAULT_WORKING_DAYS` working days (the call-back's clock:
weekends and the nation's bank holidays do not count) the employer records an interview, or
a reason from `NotOfferedReason` for not offering one.

Plain values in, plain values out: no database, no request.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Hashable, Sequence
from fractions import Fraction
from typing import Final, TypeVar

from app.callbacks.rules import is_working_day

#: Working days an employer has to offer a guaranteed interview (or say why not), unless
#: the app's GUARANTEE_WORKING_DAYS setting says otherwise. Ten working days is two working
#: weeks: as long as a typical PET course (DOMAIN.md), long enough for an employer that
#: recruits in weekly batches to fit the interview into its next round, and short enough
#: that a completer is interviewed while the training is fresh.
DEFAULT_WORKING_DAYS: Final = 10

#: Follow-ons of a PET course that guarantee an interview (app.pet.models.FollowOn values).
GUARANTEEING_FOLLOW_ONS: Final = frozenset({"guaranteed_interview", "both"})

#: The agreement measure that guarantees interviews (app.agreements.models.Measure).
GUARANTEED_INTERVIEWS_MEASURE: Final = "guaranteed_interviews"


class Source(enum.StrEnum):
    REFERRAL = "referral"  # an eligible customer referred to a vacancy offering them
    PET = "pet"  # a completer of a course that guarantees them


class Outcome(enum.StrEnum):
    INTERVIEWED = "interviewed"
    NOT_OFFERED = "not_offered"


class NotOfferedReason(enum.StrEnum):
    """The only reasons an employer may give for not offering a guaranteed interview."""

    FILLED_BEFORE_REFERRAL = "filled_before_referral"
    CANDIDATE_WITHDREW = "candidate_withdrew"
    ESSENTIAL_REQUIREMENT = "essential_requirement"
    OTHER = "other"


class State(enum.StrEnum):
    """Where a guarantee stands on a day: what the figures count."""

    KEPT = "kept"
    DUE = "due"
    OVERDUE = "overdue"
    NOT_OFFERED = "not_offered"


STATES: Final = tuple(State)


def covers_referral(offers_guaranteed_interview: bool, lep_eligible: bool) -> bool:
    """A referral is covered when the vacancy offers guaranteed interviews and the customer
    is eligible for LEP vacancies on the day of the referral."""
    return offers_guaranteed_interview and lep_eligible


def covers_completer(
    completed: bool, follow_on: str | None, agreement_measures: frozenset[str] | set[str]
) -> bool:
    """A PET trainee is covered when they completed the course and either the course's
    delivery plan (its follow-on) or the employer's LEP agreement guarantees interviews."""
    if not completed:
        return False
    return follow_on in GUARANTEEING_FOLLOW_ONS or (
        GUARANTEED_INTERVIEWS_MEASURE in agreement_measures
    )


Completer = TypeVar("Completer", bound=Hashable)
Employer = TypeVar("Employer", bound=Hashable)


def allot_completers(
    completers: Sequence[Completer], offers: Sequence[tuple[Employer, int, int]]
) -> dict[Completer, Employer]:
    """Which employer of a sector course owes each completer its guaranteed interview.

    `offers` holds (employer, interviews it offers, completers allotted to it already) in
    the order the employers joined; `completers` are in the order they completed. Each
    completer in turn goes to the employer that has used the smallest share of its offer
    (on a tie, the one with more interviews left, then the first to join), so the cohort
    spreads over the employers in proportion to their offers: 6 and 2 interviews for 8
    completers give 6 and 2. An employer whose interviews are used up gets no more, and
    completers beyond every offer get none (None of them is in the result).

    Raises ValueError for a negative number of interviews or of completers allotted.
    """
    used: dict[Employer, int] = {}
    offered: dict[Employer, int] = {}
    order: dict[Employer, int] = {}
    for position, (employer, interviews, allotted) in enumerate(offers):
        if interviews < 0 or allotted < 0:
            raise ValueError(f"{employer!r}: interviews and allotted cannot be negative")
        offered[employer], used[employer], order[employer] = interviews, allotted, position
    result: dict[Completer, Employer] = {}
    for completer in completers:
        open_offers = [employer for employer in offered if used[employer] < offered[employer]]
        if not open_offers:
            break
        chosen = min(
            open_offers,
            key=lambda e: (
                Fraction(used[e], offered[e]),
                -(offered[e] - used[e]),
                order[e],
            ),
        )
        result[completer] = chosen
        used[chosen] += 1
    return result


def due_on(opened_on: dt.date, nation: str, working_days: int = DEFAULT_WORKING_DAYS) -> dt.date:
    """The last day for the employer's answer: the `working_days`-th working day after
    `opened_on` in `nation` (the day of the referral or completion does not count).

    Raises ValueError for an unknown nation or fewer than one working day.
    """
    if isinstance(opened_on, dt.datetime):
        raise TypeError("due_on takes a local calendar date, not a datetime")
    if working_days < 1:
        raise ValueError(f"a guarantee needs at least one working day, not {working_days!r}")
    day = opened_on
    for _ in range(working_days):
        day += dt.timedelta(days=1)
        while not is_working_day(day, nation):
            day += dt.timedelta(days=1)
    return day


def state(outcome: str | None, due: dt.date, today: dt.date) -> State:
    """Kept (an interview recorded), not offered (with a reason), due (still time: the due
    day itself included) or overdue."""
    if outcome == Outcome.INTERVIEWED:
        return State.KEPT
    if outcome == Outcome.NOT_OFFERED:
        return State.NOT_OFFERED
    return State.DUE if today <= due else State.OVERDUE


def to_chase(outcome: str | None, due: dt.date, today: dt.date, chased: bool) -> bool:
    """Overdue and not yet chased: the chase emails each guarantee once."""
    return not chased and state(outcome, due, today) is State.OVERDUE


def reason_problem(reason: str | None, details: str) -> str | None:
    """What is wrong with a reason for not offering an interview, or None:
    "missing" (no reason), "unknown" (not one from the list), "details" (OTHER without words).
    """
    if not reason:
        return "missing"
    if reason not in {value.value for value in NotOfferedReason}:
        return "unknown"
    if reason == NotOfferedReason.OTHER and not details.strip():
        return "details"
    return None


def kept_rate(kept: int, answered_or_overdue: int) -> int | None:
    """Percentage of guarantees kept, of those that were kept, not offered or overdue
    (guarantees still within their time are not counted either way); None when none."""
    if answered_or_overdue <= 0:
        return None
    # Rounded half up, as every MI percentage is (1 of 8 is 13).
    return (200 * kept + answered_or_overdue) // (2 * answered_or_overdue)
