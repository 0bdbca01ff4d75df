"""PET rules: the JSA 16-hour rule, course length, funding routes."""

import threading

import pytest
from flask import has_app_context

from app.pet.courses.rules import (
    FULL_TIME_HOURS,
    FUNDING_ROUTE_LABELS,
    FUNDING_ROUTES,
    NATIONS,
    course_length_allowed,
    full_time_weeks,
    funding_route_order,
    jsa_schedule_allowed,
)


def _str_outside_app_context(label: object) -> str:
    """str(label) in a new thread: Flask contexts are context variables, which a new
    thread does not inherit, so this holds even if a fixture has pushed an app context."""
    result: dict[str, object] = {}

    def render() -> None:
        result["had_context"] = has_app_context()
        result["text"] = str(label)

    thread = threading.Thread(target=render)
    thread.start()
    thread.join()
    assert result["had_context"] is False
    return str(result["text"])


@pytest.mark.parametrize(
    ("weekly_hours", "expected"),
    [
        ([16], 0),
        ([16.0], 0),
        ([16.5], 1),
        ([17], 1),
        ([0], 0),
        ([30, 30, 10], 2),
        ([30, 30, 30], 3),
        ([16, 16.01, 16], 1),
        ((37.5, 37.5), 2),  # any sequence, not only lists
        ([], 0),
    ],
)
def test_full_time_week_is_more_than_16_hours(weekly_hours, expected):
    assert full_time_weeks(weekly_hours) == expected


def test_full_time_hours_is_16():
    assert FULL_TIME_HOURS == 16


@pytest.mark.parametrize(
    "weekly_hours",
    [[-1], [10, -0.5], [float("nan")], [float("inf")], [169]],
)
def test_full_time_weeks_rejects_a_week_that_cannot_be(weekly_hours):
    with pytest.raises(ValueError, match="hours"):
        full_time_weeks(weekly_hours)


@pytest.mark.parametrize(
    ("weekly_hours", "already_used", "expected"),
    [
        # part time (16 hours or less) is always allowed, however long
        ([16], 0, True),
        ([16] * 13, 0, True),
        ([16] * 13, 2, True),
        ([16, 8, 0, 12], 2, True),
        ([16] * 60, 5, True),
        # one or two full-time weeks
        ([16.5], 0, True),
        ([30, 30], 0, True),
        ([30, 30, 16, 16], 0, True),
        ([16, 30, 16, 30], 0, True),  # full-time weeks need not come first
        ([168], 0, True),
        # three full-time weeks never
        ([30, 30, 30], 0, False),
        ([16.5, 16.5, 16.5], 0, False),
        ([30, 16, 30, 16, 30], 0, False),
        # full-time weeks already used in the last 52 weeks count
        ([30], 1, True),
        ([30, 30], 1, False),
        ([30], 2, False),
        ([16.5], 2, False),
        ([16, 16], 3, True),  # already over, but this course adds no full-time week
    ],
)
def test_jsa_schedule_allows_two_full_time_weeks_in_52(weekly_hours, already_used, expected):
    assert jsa_schedule_allowed(weekly_hours, already_used) is expected


def test_jsa_schedule_allowed_assumes_no_full_time_weeks_already_used():
    assert jsa_schedule_allowed([30, 30]) is True
    assert jsa_schedule_allowed([30, 30, 30]) is False


@pytest.mark.parametrize(
    ("weekly_hours", "already_used", "message"),
    [
        ([], 0, "empty"),
        ((), 0, "empty"),
        ([0, 0], 0, "no training hours"),
        ([0], 0, "no training hours"),
        ([-1], 0, "hours"),
        ([10, -2], 0, "hours"),
        ([10], -1, "negative"),
        ([], -1, "negative"),
    ],
)
def test_jsa_schedule_allowed_rejects_what_is_not_a_course(weekly_hours, already_used, message):
    with pytest.raises(ValueError, match=message):
        jsa_schedule_allowed(weekly_hours, already_used)


@pytest.mark.parametrize(
    ("weeks", "days", "expected"),
    [
        (0, 0, False),  # no course at all
        (0, 1, True),  # one day
        (0, 2, True),  # "a couple of days"
        (2, 0, True),  # the typical two weeks
        (1, 3, True),
        (0, 10, True),  # days beyond a week simply add up
        (12, 7, True),  # 91 days
        (13, 0, True),  # 13 weeks, the longest
        (13, 1, False),  # 13 weeks and a day
        (14, 0, False),
        (0, 91, True),
        (0, 92, False),
        (52, 0, False),
    ],
)
def test_course_length_is_one_day_to_13_weeks(weeks, days, expected):
    assert course_length_allowed(weeks, days) is expected


def test_course_length_days_default_to_zero():
    assert course_length_allowed(13) is True
    assert course_length_allowed(0) is False


@pytest.mark.parametrize(("weeks", "days"), [(-1, 0), (0, -1), (2, -1), (-1, 14)])
def test_course_length_rejects_negative_weeks_or_days(weeks, days):
    with pytest.raises(ValueError, match="negative"):
        course_length_allowed(weeks, days)


DWP_ROUTES = ["programme_centre", "new_deal_prime", "alternative_funds", "local_procurement"]


@pytest.mark.parametrize(
    ("nation", "expected"),
    [
        ("england", ["lsc", *DWP_ROUTES]),
        ("wales", ["skill_build", *DWP_ROUTES]),
        ("scotland", ["training_for_work", *DWP_ROUTES]),
    ],
)
def test_funding_order_starts_with_the_nations_own_route(nation, expected):
    assert funding_route_order(nation) == expected


@pytest.mark.parametrize(
    ("nation", "not_offered"),
    [
        ("england", {"skill_build", "training_for_work"}),
        ("wales", {"lsc", "training_for_work"}),
        ("scotland", {"lsc", "skill_build"}),
    ],
)
def test_funding_order_never_offers_another_nations_route(nation, not_offered):
    assert not_offered.isdisjoint(funding_route_order(nation))


@pytest.mark.parametrize(
    "nation", ["northern_ireland", "England", " england", "", "uk", "great_britain"]
)
def test_funding_order_rejects_an_unknown_nation(nation):
    with pytest.raises(ValueError, match="unknown nation"):
        funding_route_order(nation)


def test_funding_order_returns_a_fresh_list_each_call():
    first = funding_route_order("england")
    first.clear()
    assert funding_route_order("england")[0] == "lsc"


def test_every_route_offered_is_a_known_route_with_a_label():
    offered = {route for nation in NATIONS for route in funding_route_order(nation)}
    assert offered == set(FUNDING_ROUTES) == set(FUNDING_ROUTE_LABELS)


@pytest.mark.parametrize(
    ("route", "words"),
    [
        ("lsc", "Learning and Skills Council"),
        ("skill_build", "Skill Build"),
        ("training_for_work", "Training for Work"),
        ("programme_centre", "Programme Centre"),
        ("new_deal_prime", "New Deal"),
        ("alternative_funds", "European Social Fund"),
        ("alternative_funds", "Working Neighbourhoods Fund"),
        ("alternative_funds", "City Strategy"),
        ("local_procurement", "locally"),
    ],
)
def test_funding_route_labels_are_english_without_an_app_context(route, words):
    assert words in _str_outside_app_context(FUNDING_ROUTE_LABELS[route])
