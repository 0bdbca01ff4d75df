"""Trainee rules: status transitions, the JSA full-time weeks used, attendance and dates."""

import datetime as dt
import math

import pytest

from app.pet.models import TraineeStatus
from app.pet.trainees.rules import (
    ACCEPTED,
    ATTENDING,
    COMPLETED,
    DECLINED,
    IN_COHORT,
    LEFT,
    REFERRED,
    STARTED,
    STATUSES,
    TRANSITIONS,
    CohortFigures,
    attendance_problem,
    attendance_share,
    course_fits,
    date_problem,
    full_time_weeks_used,
    is_final,
    may_move,
    may_return_to_original,
    scheduled_hours,
    total,
    week_start,
)

ON = dt.date(2026, 6, 1)


def test_statuses_are_the_models():
    assert set(STATUSES) == {status.value for status in TraineeStatus}
    assert set(TRANSITIONS) == set(STATUSES)


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        (REFERRED, ACCEPTED, True),
        (REFERRED, DECLINED, True),
        (REFERRED, STARTED, False),  # the provider accepts first
        (REFERRED, COMPLETED, False),
        (ACCEPTED, STARTED, True),
        (ACCEPTED, DECLINED, False),
        (ACCEPTED, COMPLETED, False),  # nobody completes without starting
        (ACCEPTED, LEFT, False),
        (STARTED, LEFT, True),
        (STARTED, COMPLETED, True),
        (STARTED, ACCEPTED, False),
        (STARTED, STARTED, False),
        (LEFT, COMPLETED, False),
        (COMPLETED, LEFT, False),
        (DECLINED, ACCEPTED, False),
    ],
)
def test_transitions(current, new, allowed):
    assert may_move(current, new) is allowed


@pytest.mark.parametrize(
    ("status", "final"),
    [
        (REFERRED, False),
        (ACCEPTED, False),
        (STARTED, False),
        (DECLINED, True),
        (LEFT, True),
        (COMPLETED, True),
    ],
)
def test_final_states(status, final):
    assert is_final(status) is final


def test_nothing_leaves_a_final_state():
    for status in STATUSES:
        if is_final(status):
            assert not any(may_move(status, new) for new in STATUSES)


@pytest.mark.parametrize("bad", ["Accepted", "hired", ""])
def test_an_unknown_status_is_a_bug(bad):
    with pytest.raises(ValueError):
        may_move(bad, ACCEPTED)
    with pytest.raises(ValueError):
        may_move(REFERRED, bad)
    with pytest.raises(ValueError):
        is_final(bad)


def test_status_groups():
    assert {STARTED, LEFT, COMPLETED} == ATTENDING
    assert {ACCEPTED, STARTED, LEFT, COMPLETED} == IN_COHORT  # never the declined or undecided


@pytest.mark.parametrize(
    ("status", "hired", "returned", "allowed"),
    [
        (COMPLETED, False, False, True),
        (LEFT, False, False, True),
        (COMPLETED, True, False, False),  # has a job
        (COMPLETED, False, True, False),  # marked already
        (STARTED, False, False, False),  # still on the course
        (ACCEPTED, False, False, False),
        (DECLINED, False, False, False),  # never on the course
    ],
)
def test_return_to_original_provider(status, hired, returned, allowed):
    assert may_return_to_original(status, hired, returned) is allowed


def test_week_start():
    assert week_start(dt.date(2026, 3, 2), 1) == dt.date(2026, 3, 2)
    assert week_start(dt.date(2026, 3, 2), 2) == dt.date(2026, 3, 9)
    with pytest.raises(ValueError):
        week_start(dt.date(2026, 3, 2), 0)


def weeks_ago(weeks: int, days: int = 0) -> dt.date:
    return ON - dt.timedelta(weeks=weeks, days=days)


@pytest.mark.parametrize(
    ("attendance", "expected"),
    [
        ([], 0),
        ([(weeks_ago(10), 30), (weeks_ago(9), 30)], 2),
        # 16 hours is part time; 16.5 is full time.
        ([(weeks_ago(10), 16)], 0),
        ([(weeks_ago(10), 16.5)], 1),
        # The period: 52 weeks before `on`, the first day of the week deciding.
        ([(weeks_ago(52), 30)], 1),
        ([(weeks_ago(52, days=1), 30)], 0),
        ([(weeks_ago(0, days=1), 30)], 1),
        # A week starting on `on` is the course being weighed, not the past.
        ([(ON, 30)], 0),
        ([(ON + dt.timedelta(days=7), 30)], 0),
        # Two courses in the same week are one week of the customer's.
        ([(weeks_ago(5), 10), (weeks_ago(5), 10)], 1),
        ([(weeks_ago(5), 8), (weeks_ago(5), 8)], 0),
        ([(weeks_ago(5), 30), (weeks_ago(5), 30)], 1),
        # Three full-time weeks (more than allowed, but recorded) all count.
        ([(weeks_ago(3), 30), (weeks_ago(2), 30), (weeks_ago(1), 30)], 3),
        # Zero hours: a week missed.
        ([(weeks_ago(3), 0)], 0),
    ],
)
def test_full_time_weeks_used(attendance, expected):
    assert full_time_weeks_used(attendance, ON) == expected


@pytest.mark.parametrize("hours", [-1, math.nan, math.inf, 169])
def test_full_time_weeks_used_refuses_impossible_hours(hours):
    with pytest.raises(ValueError):
        full_time_weeks_used([(weeks_ago(2), hours)], ON)


def test_full_time_weeks_used_refuses_an_impossible_week_added_together():
    with pytest.raises(ValueError):
        full_time_weeks_used([(weeks_ago(2), 100), (weeks_ago(2), 100)], ON)


def test_full_time_weeks_used_needs_a_date():
    with pytest.raises(TypeError):
        full_time_weeks_used([], dt.datetime(2026, 6, 1, 9, 0))


@pytest.mark.parametrize(
    ("weekly_hours", "used", "fits"),
    [
        ([30, 30], 0, True),
        ([30, 30], 1, False),
        ([30, 30], 2, False),  # the done-when's JSA customer: two weeks used already
        ([30], 1, True),
        ([30], 2, False),
        ([16, 16, 16], 5, True),  # part time is always allowed
        ([30, 30, 16, 16], 0, True),
        ([30, 30, 30], 0, False),
    ],
)
def test_course_fits(weekly_hours, used, fits):
    assert course_fits(weekly_hours, used) is fits


@pytest.mark.parametrize(("weekly_hours", "used"), [([], 0), ([0, 0], 0), ([30], -1)])
def test_course_fits_refuses_what_is_not_a_course(weekly_hours, used):
    with pytest.raises(ValueError):
        course_fits(weekly_hours, used)


@pytest.mark.parametrize(
    ("week", "hours", "problem"),
    [
        (1, 0, None),
        (1, 30, None),
        (2, 12.5, None),
        (2, 20, None),
        (0, 10, "week"),
        (3, 10, "week"),
        (-1, 10, "week"),
        (1, 30.5, "hours"),  # more than the course gave that week
        (2, 20.5, "hours"),
        (1, -0.5, "hours"),
        (1, math.nan, "hours"),
    ],
)
def test_attendance_problem(week, hours, problem):
    assert attendance_problem(week, hours, [30, 20]) == problem


def test_attendance_on_a_course_without_a_schedule():
    assert attendance_problem(1, 0, []) == "week"


REFERRED_ON = dt.date(2026, 5, 1)
STARTED_ON = dt.date(2026, 5, 11)
TODAY = dt.date(2026, 5, 20)


@pytest.mark.parametrize(
    ("kind", "day", "problem"),
    [
        ("start", REFERRED_ON, None),
        ("start", TODAY, None),
        ("start", TODAY + dt.timedelta(days=1), "future"),
        ("start", REFERRED_ON - dt.timedelta(days=1), "before_referral"),
        (LEFT, STARTED_ON, None),
        (LEFT, STARTED_ON - dt.timedelta(days=1), "before_start"),
        (LEFT, TODAY + dt.timedelta(days=1), "future"),
        (COMPLETED, TODAY, None),
        (COMPLETED, STARTED_ON - dt.timedelta(days=1), "before_start"),
    ],
)
def test_date_problem(kind, day, problem):
    found = date_problem(kind, day, today=TODAY, referred_on=REFERRED_ON, started_on=STARTED_ON)
    assert found == problem


def test_date_problem_bugs():
    with pytest.raises(ValueError):
        date_problem("hired", TODAY, today=TODAY, referred_on=REFERRED_ON)
    with pytest.raises(ValueError):
        date_problem(LEFT, TODAY, today=TODAY, referred_on=REFERRED_ON, started_on=None)


@pytest.mark.parametrize(
    ("until", "hours"),
    [
        (dt.date(2026, 3, 1), 0),  # before the start
        (dt.date(2026, 3, 2), 30),  # the first day: the first week has begun
        (dt.date(2026, 3, 8), 30),
        (dt.date(2026, 3, 9), 50),
        (dt.date(2026, 5, 1), 50),  # never more than the course gives
    ],
)
def test_scheduled_hours(until, hours):
    assert scheduled_hours([30, 20], dt.date(2026, 3, 2), until) == hours


def test_scheduled_hours_before_a_start():
    assert scheduled_hours([30, 20], None, dt.date(2026, 3, 2)) == 0


@pytest.mark.parametrize(
    ("attended", "scheduled", "share"),
    [(0, 0, None), (30, 60, 50), (59.5, 60, 99), (60, 60, 100), (61, 60, 100), (0, 30, 0)],
)
def test_attendance_share(attended, scheduled, share):
    assert attendance_share(attended, scheduled) == share


def test_cohort_figures_add_up():
    one = CohortFigures(places=12, starts=2, completions=2, interviews=2, hires=1)
    two = CohortFigures(places=8, starts=5, completions=3, hires=1, sustainment_due=1, sustained=1)
    assert one + two == CohortFigures(
        places=20, starts=7, completions=5, interviews=2, hires=2, sustainment_due=1, sustained=1
    )
    assert total([one, two]) == one + two
    assert total([]) == CohortFigures()
    assert one.completion_rate == 100
    assert one.hire_rate == 50
    assert CohortFigures().completion_rate is None
    assert CohortFigures(starts=3).hire_rate is None


@pytest.mark.parametrize("bad", [-1, 1.5, True, None])
def test_cohort_figures_are_counts(bad):
    with pytest.raises(ValueError):
        CohortFigures(starts=bad)
