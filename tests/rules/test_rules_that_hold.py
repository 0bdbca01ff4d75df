"""Rules that hold: the JSA 16-hour rule needs a coordinator's exception, a delivery plan
needs a funding route in its nation's order, a trainee cannot start before the course, and a
head office is a large or national employer."""

from __future__ import annotations

from datetime import date

import pytest

from app.accounts.rules import may_be_head_office
from app.pet.courses.rules import (
    LSC,
    PROGRAMME_CENTRE,
    SKILL_BUILD,
    FundingProblem,
    funding_problem,
    funding_route_order,
    jsa_referral_allowed,
    start_before_course,
)


@pytest.mark.parametrize(
    ("is_jsa", "fits", "exception", "allowed"),
    [
        (False, False, False, True),  # not on JSA: the rule does not apply
        (True, True, False, True),
        (True, None, False, True),  # no schedule yet: judged when it is set
        (True, False, False, False),
        (True, False, True, True),  # a coordinator's exception
    ],
)
def test_jsa_referral_needs_an_exception_only_when_the_course_breaks_the_rule(
    is_jsa, fits, exception, allowed
):
    assert jsa_referral_allowed(is_jsa, fits, exception) is allowed


ENGLAND = funding_route_order("england")


@pytest.mark.parametrize(
    ("route", "routes", "reason", "problem"),
    [
        (None, ENGLAND, "", FundingProblem.NOT_CHOSEN),
        ("", ENGLAND, "", FundingProblem.NOT_CHOSEN),
        (SKILL_BUILD, ENGLAND, "", FundingProblem.NOT_OFFERED),  # Wales's, not England's
        (LSC, ENGLAND, "", None),
        (PROGRAMME_CENTRE, ENGLAND, "", FundingProblem.PASSED_OVER_WITHOUT_REASON),
        (PROGRAMME_CENTRE, ENGLAND, "   ", FundingProblem.PASSED_OVER_WITHOUT_REASON),
        (PROGRAMME_CENTRE, ENGLAND, "LSC budget spent for the year", None),
        (SKILL_BUILD, funding_route_order("wales"), "", None),
    ],
)
def test_a_plan_needs_a_funding_route_in_the_nations_order(route, routes, reason, problem):
    assert funding_problem(route, routes, reason) is problem


@pytest.mark.parametrize(
    ("started", "course_start", "before"),
    [
        (date(2026, 12, 4), date(2027, 1, 11), True),  # the example
        (date(2027, 1, 10), date(2027, 1, 11), True),
        (date(2027, 1, 11), date(2027, 1, 11), False),
        (date(2027, 1, 12), date(2027, 1, 11), False),
        (date(2026, 12, 4), None, False),
    ],
)
def test_a_trainee_cannot_start_before_the_course(started, course_start, before):
    assert start_before_course(started, course_start) is before


@pytest.mark.parametrize(
    ("size_band", "branches", "allowed"),
    [
        ("sme", 0, False),  # a café
        ("large", 0, True),
        ("sme", 3, True),  # already a national employer's head office
        ("large", 12, True),
    ],
)
def test_a_head_office_is_a_large_or_national_employer(size_band, branches, allowed):
    assert may_be_head_office(size_band, branches) is allowed
