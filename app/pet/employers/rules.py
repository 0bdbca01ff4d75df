"""Rules for the employers of a sector course: who may be invited, the guaranteed interviews
an employer offers, when an invitation can be answered, and an employer's share of the
course's places.

Pure rules: plain values in, plain values out, no database and no request.

Source: DOMAIN.md, "Pre-employment training": a sector course feeds several employers and is
how small and medium-sized employers (SMEs) take part, grouped by sector; the LEP offer
guarantees interviews to the people who complete the training (seed 002).
"""

from __future__ import annotations

from typing import Final

# The values of `app.accounts.models.SizeBand` and `app.statuses.CourseEmployerStatus`.
SME: Final = "sme"
INVITED: Final = "invited"
JOINED: Final = "joined"
DECLINED: Final = "declined"
STATUSES: Final = (INVITED, JOINED, DECLINED)

# Courses nobody joins any more (`app.statuses.CourseStatus` values).
CLOSED_COURSES: Final = frozenset({"finished", "cancelled"})


def _check_status(status: str | None) -> None:
    if status is not None and status not in STATUSES:
        raise ValueError(f"unknown course employer status {status!r}; expected one of {STATUSES}")


def invitation_refusal(size_band: str, status: str | None) -> str | None:
    """Why an employer cannot be invited to a sector course, or None.

    "not_sme": sector courses are how SMEs take part; a large employer has a bespoke course.
    "already": it is invited already, or has joined. An employer never asked (`status` None)
    may be invited, and so may one that declined before: its circumstances may have changed.
    """
    _check_status(status)
    if size_band != SME:
        return "not_sme"
    if status in (INVITED, JOINED):
        return "already"
    return None


def interviews_problem(interviews: int | None, places: int) -> str | None:
    """What is wrong with the number of guaranteed interviews an employer offers, or None:
    "missing"; "too_few" (fewer than one: joining a sector course means offering at least
    one); "too_many" (more than the course's places: nobody can interview more completers
    than the course trains)."""
    if interviews is None:
        return "missing"
    if interviews < 1:
        return "too_few"
    if interviews > places:
        return "too_many"
    return None


def may_answer(status: str, course_status: str) -> bool:
    """An invitation is answered once, while the course still takes employers."""
    _check_status(status)
    return status == INVITED and course_status not in CLOSED_COURSES


def share_of_places(interviews: int, places: int) -> int | None:
    """The employer's guaranteed interviews as a whole percentage of the course's places,
    rounded half up (4 of 12 is 33, 1 of 8 is 13), never above 100; None for a course
    without places. Raises ValueError for a negative number."""
    if interviews < 0 or places < 0:
        raise ValueError("interviews and places cannot be negative")
    if places == 0:
        return None
    return min(100, (200 * interviews + places) // (2 * places))
