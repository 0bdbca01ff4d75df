"""Rules for trainees on pre-employment training (PET) courses.

Pure rules: plain values in, plain values out, no database and no request.

Sources (in /work/shared/seeds/):
- 002: DWP Provider Guidance, Chapter 18 "Local Employment Partnerships", Part B:
  "Provider Referrals to LEP Pre-employment Training Provision" (REF2 referrals, SL2 start
  and leaver notifications), the note that a customer who does not enter employment after
  PET returns to their original provider or benefit regime, and "Jobseekers Allowance (JSA)
  Customers undertaking Pre-employment training" (the 16-hour rule).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from typing import Final

from app.pet.courses.rules import FULL_TIME_HOURS, HOURS_IN_A_WEEK, jsa_schedule_allowed

# The statuses of a trainee, as stored (the values of `app.pet.models.TraineeStatus`).
REFERRED: Final = "referred"  # the REF2 is with the PET provider
ACCEPTED: Final = "accepted"
DECLINED: Final = "declined"
STARTED: Final = "started"
LEFT: Final = "left"  # left before the end (SL2 with a reason)
COMPLETED: Final = "completed"

STATUSES: Final = (REFERRED, ACCEPTED, DECLINED, STARTED, LEFT, COMPLETED)

# Which status may follow which. Declined, left and completed are final: a customer who
# wants another go is referred again to another course.
TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    REFERRED: frozenset({ACCEPTED, DECLINED}),
    ACCEPTED: frozenset({STARTED}),
    STARTED: frozenset({LEFT, COMPLETED}),
    DECLINED: frozenset(),
    LEFT: frozenset(),
    COMPLETED: frozenset(),
}

# Trainees holding a place on the course: a declined referral never took one, and someone
# who left early gave theirs back (a short course cannot refill it, but the count of places
# taken should say who is on it).
HOLDING_A_PLACE: Final = frozenset({ACCEPTED, STARTED, COMPLETED})

# Trainees whose attendance may be recorded (or corrected after they finished).
ATTENDING: Final = frozenset({STARTED, LEFT, COMPLETED})

# Trainees an employer on the course sees in its cohort: the provider took them on.
IN_COHORT: Final = frozenset({ACCEPTED, STARTED, LEFT, COMPLETED})

# Seed 002: "two weeks' full time employment related training in a 52 week period".
JSA_PERIOD: Final = dt.timedelta(weeks=52)


def _check_status(status: str) -> None:
    if status not in TRANSITIONS:
        raise ValueError(f"unknown trainee status {status!r}; expected one of {STATUSES}")


def may_move(current: str, new: str) -> bool:
    """Whether a trainee at `current` may move to `new`. Raises ValueError for an unknown
    status on either side, so a typo is caught rather than refused quietly."""
    _check_status(current)
    _check_status(new)
    return new in TRANSITIONS[current]


def is_final(status: str) -> bool:
    _check_status(status)
    return not TRANSITIONS[status]


def may_return_to_original(status: str, hired: bool, returned: bool) -> bool:
    """Whether a trainee can be marked as finished without a job, so back with their original
    provider or benefit regime (seed 002, "If the customer does not enter employment
    immediately after exiting LEP PET"): they have left or completed the course, nobody has
    hired them, and they are not marked already."""
    _check_status(status)
    return status in (LEFT, COMPLETED) and not hired and not returned


def week_start(first_day: dt.date, week: int) -> dt.date:
    """The first day of week `week` (1, 2, ...) of a course someone started on `first_day`."""
    if week < 1:
        raise ValueError(f"week numbers start at 1, not {week}")
    return first_day + dt.timedelta(weeks=week - 1)


def _check_hours(hours: float, where: str) -> None:
    if not math.isfinite(hours) or hours < 0 or hours > HOURS_IN_A_WEEK:
        raise ValueError(f"{where}: {hours!r} is not a number of hours in a week")


def full_time_weeks_used(attendance_weeks: Sequence[tuple[dt.date, float]], on: dt.date) -> int:
    """How many full-time training weeks (more than 16 hours) a customer had in the 52 weeks
    before `on`: the weeks that count against a JSA customer's two.

    `attendance_weeks` holds (first day of the week, hours attended) for each week of
    training recorded on any course. A week counts when its first day is in the 52 weeks
    before `on` (`on` itself excluded: a course starting on `on` is the one being weighed)
    and its hours are more than 16. Two entries with the same first day (two courses in
    the same week) are one week: their hours are added together, since the rule is about
    the customer's week, not each course's.

    Decided here where the source is silent: a week is placed by its first day, so a week
    that began 52 weeks and one day before `on` no longer counts though some of its days
    fall inside the period.

    Raises ValueError for negative, non-finite or impossible hours (more than 168 in a
    week, alone or added together).
    """
    if isinstance(on, dt.datetime):
        raise TypeError("on is a calendar date, not a datetime")
    by_week: dict[dt.date, float] = defaultdict(float)
    for first_day, hours in attendance_weeks:
        _check_hours(hours, f"week starting {first_day}")
        if on - JSA_PERIOD <= first_day < on:
            by_week[first_day] += hours
    for first_day, hours in by_week.items():
        _check_hours(hours, f"week starting {first_day}, courses added together")
    return sum(1 for hours in by_week.values() if hours > FULL_TIME_HOURS)


def course_fits(course_weekly_hours: Sequence[float], used: int) -> bool:
    """Whether a JSA customer who has used `used` full-time weeks in the past 52 weeks may
    follow a course with this weekly schedule and keep their claim
    (`app.pet.courses.rules.jsa_schedule_allowed`). Raises ValueError for a schedule that is not
    a course yet (empty, or no hours at all) or a negative `used`."""
    return jsa_schedule_allowed(course_weekly_hours, used)


def attendance_problem(week: int, hours: float, weekly_hours: Sequence[float]) -> str | None:
    """What is wrong with recording `hours` for week `week` of a course with this schedule,
    or None: "week" when the course has no such week, "hours" when the hours are negative,
    not a number, or more than the course had that week (nobody attends more training
    than was given)."""
    if not 1 <= week <= len(weekly_hours):
        return "week"
    if not math.isfinite(hours) or hours < 0 or hours > weekly_hours[week - 1]:
        return "hours"
    return None


def date_problem(
    kind: str,
    day: dt.date,
    *,
    today: dt.date,
    referred_on: dt.date,
    started_on: dt.date | None = None,
) -> str | None:
    """What is wrong with the date of a start, leaving or completion, or None.

    `kind` is "start", "left" or "completed". Every one has happened, so none is after
    `today` ("future"). A start cannot come before the customer was referred
    ("before_referral"); leaving or completing cannot come before the start
    ("before_start"). Raises ValueError for an unknown kind, or a leaving or completion
    with no start date.
    """
    if kind not in ("start", LEFT, COMPLETED):
        raise ValueError(f"unknown kind of date {kind!r}")
    if day > today:
        return "future"
    if kind == "start":
        return "before_referral" if day < referred_on else None
    if started_on is None:
        raise ValueError(f"a trainee who {kind} must have started")
    return "before_start" if day < started_on else None


def scheduled_hours(
    weekly_hours: Sequence[float], started_on: dt.date | None, until: dt.date
) -> float:
    """The training hours a trainee who started on `started_on` had been given by `until`
    (the day they left, or today): each week that had begun by then counts in full, and
    nothing beyond the course's last week. 0 before they started."""
    if started_on is None or until < started_on:
        return 0
    weeks_begun = (until - started_on).days // 7 + 1
    return float(sum(weekly_hours[:weeks_begun]))


def attendance_share(attended: float, scheduled: float) -> int | None:
    """Attendance as a whole percentage of the hours given so far, rounded down so that
    nobody is shown as attending everything when they missed some; None when nothing was
    scheduled yet."""
    if scheduled <= 0:
        return None
    return min(100, math.floor(attended * 100 / scheduled))


@dataclass(frozen=True)
class CohortFigures:
    """What a course (or several) achieved: the figures of the cohort summary.

    `sustainment_due` counts hires whose 13-week check is due; `sustained` those the
    employer answered "still employed" at 13 weeks.
    """

    places: int = 0
    starts: int = 0
    completions: int = 0
    interviews: int = 0
    hires: int = 0
    sustainment_due: int = 0
    sustained: int = 0

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{field.name} must be a whole number of 0 or more: {value!r}")

    def __add__(self, other: CohortFigures) -> CohortFigures:
        return CohortFigures(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def completion_rate(self) -> int | None:
        """Completions as a whole percentage of starts; None before anyone started."""
        return None if not self.starts else self.completions * 100 // self.starts

    @property
    def hire_rate(self) -> int | None:
        """Hires as a whole percentage of completions; None before anyone completed."""
        return None if not self.completions else self.hires * 100 // self.completions


def total(figures: Iterable[CohortFigures]) -> CohortFigures:
    """The figures of several courses added together."""
    result = CohortFigures()
    for each in figures:
        result = result + each
    return result
