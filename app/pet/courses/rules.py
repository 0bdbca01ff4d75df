"""Rules for LEP pre-employment training (PET) courses.

Pure rules: plain values in, plain values out, no database and no request.

Sources (in /work/shared/seeds/):
- 002: DWP Provider Guidance, Chapter 18 "Local Employment Partnerships", Part B:
  "LEP Pre-employment Training Provision" and "LEP PET and delivery through DWP
  providers" (funding routes), "Jobseekers Allowance (JSA) Customers undertaking
  Pre-employment training" (the 16-hour rule).
- 003: IES evaluation of LEPs for DWP, section 4.3 "The duration of Pre-Employment
  Training".
"""

import datetime as dt
import enum
import math
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l

# A week of MORE than this many hours of training is full time for a JSA customer.
FULL_TIME_HOURS = 16

# Seed 002: "two weeks' full time employment related training in a 52 week period".
MAX_FULL_TIME_WEEKS = 2

HOURS_IN_A_WEEK = 7 * 24

MIN_COURSE_DAYS = 1
MAX_COURSE_DAYS = 13 * 7

ENGLAND = "england"
WALES = "wales"
SCOTLAND = "scotland"
NATIONS = (ENGLAND, WALES, SCOTLAND)

LSC = "lsc"
SKILL_BUILD = "skill_build"
TRAINING_FOR_WORK = "training_for_work"
PROGRAMME_CENTRE = "programme_centre"
NEW_DEAL_PRIME = "new_deal_prime"
ALTERNATIVE_FUNDS = "alternative_funds"
LOCAL_PROCUREMENT = "local_procurement"

FUNDING_ROUTES = (
    LSC,
    SKILL_BUILD,
    TRAINING_FOR_WORK,
    PROGRAMME_CENTRE,
    NEW_DEAL_PRIME,
    ALTERNATIVE_FUNDS,
    LOCAL_PROCUREMENT,
)

# Each nation's own skills programme is agreed as the first choice there, and only there.
NATION_FIRST_ROUTE = {
    ENGLAND: LSC,
    WALES: SKILL_BUILD,
    SCOTLAND: TRAINING_FOR_WORK,
}

# The DWP provider hierarchy, used where the nation's own route is not available.
DWP_ROUTE_ORDER = (PROGRAMME_CENTRE, NEW_DEAL_PRIME, ALTERNATIVE_FUNDS, LOCAL_PROCUREMENT)

FUNDING_ROUTE_LABELS = {
    LSC: _l("Learning and Skills Council (England)"),
    SKILL_BUILD: _l("Skill Build (Wales)"),
    TRAINING_FOR_WORK: _l("Training for Work (Scotland)"),
    PROGRAMME_CENTRE: _l("Programme Centre contract"),
    NEW_DEAL_PRIME: _l("New Deal prime contract"),
    ALTERNATIVE_FUNDS: _l(
        "Alternative funding: European Social Fund, Working Neighbourhoods Fund "
        "(formerly Deprived Areas Fund) or City Strategy"
    ),
    LOCAL_PROCUREMENT: _l("Provision bought locally by DWP Commercial Employment Provision"),
}


def full_time_weeks(weekly_hours: Sequence[float]) -> int:
    """How many weeks of the schedule are full time (more than 16 hours).

    Source: seed 002, "Jobseekers Allowance (JSA) Customers undertaking Pre-employment
    training": part-time training is "16 hours or less", so 16 hours exactly is part
    time and 16.5 is full time.

    Raises ValueError for a week with negative, non-finite or more than 168 hours (a
    typing error, not a schedule). An empty schedule has no full-time weeks.
    """
    for week, hours in enumerate(weekly_hours, start=1):
        if not math.isfinite(hours) or hours < 0 or hours > HOURS_IN_A_WEEK:
            raise ValueError(f"week {week}: {hours!r} is not a number of hours in a week")
    return sum(1 for hours in weekly_hours if hours > FULL_TIME_HOURS)


def jsa_schedule_allowed(
    weekly_hours: Sequence[float], full_time_weeks_already_used: int = 0
) -> bool:
    """Whether a JSA customer may follow this course schedule and keep their claim.

    Source: seed 002, "Jobseekers Allowance (JSA) Customers undertaking Pre-employment
    training" (the normal 16-hour rule): JSA customers may have two weeks' full-time
    employment-related training in a 52-week period; a longer course may have two
    full-time weeks and the rest part time; part-time training of 16 hours or less is
    always allowed.

    `weekly_hours` is the training hours in each week of the course, in order.
    `full_time_weeks_already_used` is the full-time training weeks the customer has had
    in the 52 weeks before the course starts. The course is allowed when its full-time
    weeks plus those already used are at most two; every other week is 16 hours or less
    by definition. A course with no full-time week is always allowed, even if more than
    two full-time weeks were already used: part-time training is always allowed, and
    such a course spends none of the allowance. A PET course lasts at most 13 weeks
    (`course_length_allowed`), so it always falls inside one 52-week period.

    Decided here where the sources are silent:
    - the full-time weeks may fall anywhere in the course, not only at the start;
    - the guidance says "less than 16 hours" for the remaining weeks of a long course
      but "16 hours or less" for part-time training; we follow the latter throughout,
      so a 16-hour week is never full time.

    Raises ValueError for an empty schedule or one with no training hours at all (not a
    course), a bad week (see `full_time_weeks`), or negative weeks already used.
    """
    if full_time_weeks_already_used < 0:
        raise ValueError("full_time_weeks_already_used cannot be negative")
    if len(weekly_hours) == 0:
        raise ValueError("an empty schedule is not a course")
    used_by_course = full_time_weeks(weekly_hours)
    if not any(hours > 0 for hours in weekly_hours):
        raise ValueError("a schedule with no training hours is not a course")
    if used_by_course == 0:
        return True
    return used_by_course + full_time_weeks_already_used <= MAX_FULL_TIME_WEEKS


def course_length_allowed(weeks: int, days: int = 0) -> bool:
    """Whether a PET course of `weeks` weeks and `days` days is an allowed length.

    Source: seed 003 (IES evaluation), section 4.3: "PET could last from a couple of
    days to up to 13 weeks" (typically two weeks). Seed 002 sets no minimum or maximum;
    the portal takes one day to 13 weeks (1 to 91 days) as its bounds, so a one-day
    course is allowed and a course of no days is not.

    `days` may be 7 or more; only the total counts. A negative `weeks` or `days` is a
    typing error, not a short course, so it raises ValueError (the form says "enter a
    number of weeks" rather than "too short").
    """
    if weeks < 0 or days < 0:
        raise ValueError(f"course length cannot be negative: {weeks} weeks, {days} days")
    return MIN_COURSE_DAYS <= weeks * 7 + days <= MAX_COURSE_DAYS


def funding_route_order(nation: str) -> list[str]:
    """The funding routes to try for a PET course in `nation`, first choice first.

    Source: seed 002, "LEP Pre-employment Training Provision": in England the Learning
    and Skills Council is the first choice; in Wales, the Welsh Assembly Government's
    Skill Build; in Scotland, the Scottish Executive's Training for Work. Where that is
    not available, the DWP hierarchy applies in order: Programme Centre contracts, other
    programmes (particularly New Deal prime contracts), alternative funded programmes
    (ESF, Deprived Areas Fund / Working Neighbourhoods Fund, City Strategies), then
    bespoke provision procured locally via DWP Commercial Employment Provision.

    The other nations' own programmes are not offered: each was agreed with one
    administration only. `nation` is one of "england", "wales", "scotland" (exactly, so
    a typo is caught rather than silently matched); ValueError otherwise. Returns a new
    list each call, so callers may change it.
    """
    if nation not in NATION_FIRST_ROUTE:
        raise ValueError(f"unknown nation {nation!r}; expected one of {NATIONS}")
    return [NATION_FIRST_ROUTE[nation], *DWP_ROUTE_ORDER]


class FundingProblem(enum.StrEnum):
    """Why a delivery plan cannot be finalised yet, for want of a funding route."""

    NOT_CHOSEN = "not_chosen"
    NOT_OFFERED = "not_offered"  # a route from another nation, say
    PASSED_OVER_WITHOUT_REASON = "passed_over_without_reason"


def funding_problem(
    funding_route: str | None, routes: Sequence[str], passed_over_reason: str
) -> FundingProblem | None:
    """Whether a course's funding route lets its delivery plan be finalised.

    Source: seed 002, "LEP Pre-employment Training Provision": the routes are tried in
    order (`funding_route_order`), so a plan needs a route offered in the course's nation,
    and a route after the first needs the reason the earlier ones were not used.
    """
    if not funding_route:
        return FundingProblem.NOT_CHOSEN
    if funding_route not in routes:
        return FundingProblem.NOT_OFFERED
    if routes.index(funding_route) > 0 and not passed_over_reason.strip():
        return FundingProblem.PASSED_OVER_WITHOUT_REASON
    return None


def start_before_course(started_on: dt.date, course_start: dt.date | None) -> bool:
    """Whether a trainee's start date falls before the course begins (a course without a
    start date yet cannot say)."""
    return course_start is not None and started_on < course_start


def jsa_referral_allowed(is_jsa: bool, course_fits: bool | None, has_exception: bool) -> bool:
    """Whether a customer may be referred to a course under the JSA 16-hour rule.

    Source: seed 002, "Jobseekers Allowance (JSA) Customers undertaking Pre-employment
    training": a JSA customer whose course breaks the rule would lose their claim, so the
    referral needs an exception a LEP coordinator recorded, with its reason. A course with
    no schedule yet (`course_fits` None) cannot be judged and is not refused here; the
    schedule is checked when it is set. Anyone not on JSA is not affected.
    """
    return not is_jsa or course_fits is not False or has_exception
