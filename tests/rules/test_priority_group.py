"""Customer rules: priority groups, LEP and PET eligibility, the recruitment subsidy."""

import threading
from datetime import date

import pytest
from flask import has_app_context

from app.customers.rules import (
    BENEFIT_LABELS,
    BENEFITS,
    PRIORITY_GROUP_LABELS,
    PRIORITY_GROUPS,
    add_months,
    lep_eligible,
    pet_eligible,
    priority_group,
    subsidy_eligible,
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


TODAY = date(2009, 6, 15)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2009, 1, 15), 6, date(2009, 7, 15)),
        (date(2008, 8, 31), 6, date(2009, 2, 28)),  # clamped: 2009 is not a leap year
        (date(2007, 8, 31), 6, date(2008, 2, 29)),  # clamped: 2008 is a leap year
        (date(2008, 8, 30), 6, date(2009, 2, 28)),
        (date(2008, 8, 29), 6, date(2009, 2, 28)),
        (date(2008, 8, 28), 6, date(2009, 2, 28)),
        (date(2008, 12, 31), 6, date(2009, 6, 30)),  # June has 30 days
        (date(2008, 7, 31), 6, date(2009, 1, 31)),  # across the year end
        (date(2008, 2, 29), 6, date(2008, 8, 29)),
        (date(2008, 2, 29), 12, date(2009, 2, 28)),
        (date(2009, 3, 31), -1, date(2009, 2, 28)),
        (date(2009, 1, 31), -1, date(2008, 12, 31)),
        (date(2009, 5, 10), 0, date(2009, 5, 10)),
    ],
)
def test_add_months_keeps_the_day_and_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        # PG1: lone parents, and the inactive benefits whatever the claim length
        ({"benefit": None, "claim_start": None, "lone_parent": True}, 1),
        ({"benefit": "esa", "claim_start": None}, 1),
        ({"benefit": "ib", "claim_start": None}, 1),
        ({"benefit": "is", "claim_start": None}, 1),
        ({"benefit": "is", "claim_start": date(2009, 6, 1)}, 1),
        ({"benefit": "jsa", "claim_start": date(2009, 6, 1), "lone_parent": True}, 1),
        # PG2: JSA for six months or more, or other disadvantage
        ({"benefit": "jsa", "claim_start": date(2008, 12, 15)}, 2),
        ({"benefit": "jsa", "claim_start": date(2007, 1, 1)}, 2),
        ({"benefit": None, "claim_start": None, "other_disadvantage": True}, 2),
        ({"benefit": "jsa", "claim_start": date(2009, 6, 1), "other_disadvantage": True}, 2),
        # PG3: JSA under six months, including a claim that started today
        ({"benefit": "jsa", "claim_start": date(2008, 12, 16)}, 3),
        ({"benefit": "jsa", "claim_start": TODAY}, 3),
        # PG4: out of work and not claiming
        ({"benefit": None, "claim_start": None}, 4),
        # PG5: in work, and in no higher group
        ({"benefit": None, "claim_start": None, "employed": True}, 5),
    ],
)
def test_priority_group_follows_the_job_outcome_target_groups(kwargs, expected):
    assert priority_group(TODAY, **kwargs) == expected


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"benefit": "is", "claim_start": None, "lone_parent": True}, 1),
        ({"benefit": None, "claim_start": None, "lone_parent": True}, 1),
        ({"benefit": "ib", "claim_start": None}, 1),
        ({"benefit": None, "claim_start": None, "other_disadvantage": True}, 2),
        ({"benefit": "jsa", "claim_start": date(2008, 1, 1)}, 2),
        ({"benefit": "jsa", "claim_start": date(2009, 6, 1)}, 3),
    ],
)
def test_being_in_work_never_lowers_a_higher_priority_group(kwargs, expected):
    assert priority_group(TODAY, employed=True, **kwargs) == expected


@pytest.mark.parametrize(
    ("claim_start", "on", "expected"),
    [
        (date(2009, 1, 15), date(2009, 7, 14), 3),  # the day before six months
        (date(2009, 1, 15), date(2009, 7, 15), 2),  # six months to the day
        (date(2009, 1, 15), date(2009, 7, 16), 2),
        (date(2008, 8, 31), date(2009, 2, 27), 3),
        (date(2008, 8, 31), date(2009, 2, 28), 2),  # no 31 February: month end counts
        (date(2007, 8, 31), date(2008, 2, 28), 3),  # leap year: not yet
        (date(2007, 8, 31), date(2008, 2, 29), 2),
        (date(2008, 12, 31), date(2009, 6, 29), 3),
        (date(2008, 12, 31), date(2009, 6, 30), 2),
    ],
)
def test_jsa_claim_reaches_six_months_six_calendar_months_after_it_started(
    claim_start, on, expected
):
    assert priority_group(on, benefit="jsa", claim_start=claim_start) == expected


@pytest.mark.parametrize(
    ("benefit", "claim_start", "message"),
    [
        ("uc", None, "unknown benefit"),
        ("JSA", date(2009, 1, 1), "unknown benefit"),  # ids are lower case
        ("", None, "unknown benefit"),
        ("jsa", None, "claim_start"),
        (None, date(2009, 1, 1), "no benefit"),
        ("jsa", date(2009, 6, 16), "after"),
        ("esa", date(2009, 6, 16), "after"),
    ],
)
def test_priority_group_rejects_inconsistent_claims(benefit, claim_start, message):
    with pytest.raises(ValueError, match=message):
        priority_group(TODAY, benefit=benefit, claim_start=claim_start)


def test_priority_group_takes_benefit_and_claim_start_by_keyword_only():
    with pytest.raises(TypeError):
        priority_group(TODAY, "jsa", date(2009, 1, 1))  # type: ignore[misc]


@pytest.mark.parametrize(
    ("group", "on", "under_redundancy_notice", "expected"),
    [
        # before the April 2009 extension: PG1 and PG2 only
        (1, date(2009, 3, 31), False, True),
        (2, date(2009, 3, 31), False, True),
        (3, date(2009, 3, 31), False, False),
        (4, date(2009, 3, 31), False, False),
        (5, date(2009, 3, 31), False, False),
        (5, date(2009, 3, 31), True, False),
        (1, date(2007, 7, 1), False, True),
        (3, date(2007, 7, 1), False, False),
        # from 1 April 2009: PG3, PG4, and PG5 under threat or notice of redundancy
        (1, date(2009, 4, 1), False, True),
        (2, date(2009, 4, 1), False, True),
        (3, date(2009, 4, 1), False, True),
        (4, date(2009, 4, 1), False, True),
        (5, date(2009, 4, 1), False, False),
        (5, date(2009, 4, 1), True, True),
        (3, date(2010, 12, 31), False, True),
        (5, date(2010, 12, 31), True, True),
        # the redundancy flag changes nothing for the other groups
        (3, date(2009, 4, 1), True, True),
        (1, date(2009, 3, 31), True, True),
    ],
)
def test_lep_eligible_widens_on_1_april_2009(group, on, under_redundancy_notice, expected):
    assert lep_eligible(group, on, under_redundancy_notice) is expected


@pytest.mark.parametrize("group", [0, 6, -1, True, False])
def test_lep_eligible_rejects_a_group_outside_1_to_5(group):
    with pytest.raises(ValueError, match="priority group"):
        lep_eligible(group, TODAY)


@pytest.mark.parametrize(
    ("group", "disadvantaged_ward", "nddp_eligible", "expected"),
    [
        (1, False, False, True),
        (2, False, False, True),
        (1, True, False, True),
        (3, False, False, False),
        (4, False, False, False),
        (3, True, False, True),
        (4, True, False, True),
        (5, False, False, False),
        (5, True, False, False),  # the ward rule names PG3 and PG4 only
        # NDDP eligibility opens PET to anyone
        (3, False, True, True),
        (4, False, True, True),
        (5, False, True, True),
        (2, False, True, True),
    ],
)
def test_pet_eligible_follows_the_provider_guidance(
    group, disadvantaged_ward, nddp_eligible, expected
):
    assert pet_eligible(group, disadvantaged_ward, nddp_eligible) is expected


@pytest.mark.parametrize("group", [0, 6, True])
def test_pet_eligible_rejects_a_group_outside_1_to_5(group):
    with pytest.raises(ValueError, match="priority group"):
        pet_eligible(group, disadvantaged_ward=True)


@pytest.mark.parametrize(
    ("benefit", "claim_start", "job_start", "expected"),
    [
        # six months of JSA on the start date, from April 2009
        ("jsa", date(2008, 10, 1), date(2009, 4, 1), True),
        ("jsa", date(2008, 9, 1), date(2009, 4, 1), True),
        ("jsa", date(2006, 1, 1), date(2010, 1, 1), True),
        # the six-month boundary
        ("jsa", date(2009, 1, 15), date(2009, 7, 14), False),
        ("jsa", date(2009, 1, 15), date(2009, 7, 15), True),
        ("jsa", date(2008, 8, 31), date(2009, 2, 28), False),  # long enough, but too early
        ("jsa", date(2008, 10, 31), date(2009, 4, 30), True),  # April has 30 days
        ("jsa", date(2008, 10, 31), date(2009, 4, 29), False),
        # the April 2009 boundary
        ("jsa", date(2008, 6, 1), date(2009, 3, 31), False),
        ("jsa", date(2008, 6, 1), date(2009, 4, 1), True),
        # short JSA claims and other benefits never count
        ("jsa", date(2009, 4, 1), date(2009, 4, 1), False),
        ("esa", date(2007, 1, 1), date(2009, 6, 1), False),
        ("ib", None, date(2009, 6, 1), False),
        ("is", None, date(2009, 6, 1), False),
        (None, None, date(2009, 6, 1), False),
    ],
)
def test_subsidy_needs_six_months_of_jsa_and_a_start_from_april_2009(
    benefit, claim_start, job_start, expected
):
    assert subsidy_eligible(benefit, claim_start, job_start) is expected


@pytest.mark.parametrize(
    ("benefit", "claim_start", "message"),
    [
        ("jsa", None, "claim_start"),
        ("jobseekers", date(2008, 1, 1), "unknown benefit"),
        ("jsa", date(2009, 6, 2), "after"),
        (None, date(2008, 1, 1), "no benefit"),
    ],
)
def test_subsidy_eligible_rejects_inconsistent_claims(benefit, claim_start, message):
    with pytest.raises(ValueError, match=message):
        subsidy_eligible(benefit, claim_start, date(2009, 6, 1))


def test_every_priority_group_has_a_label():
    assert set(PRIORITY_GROUP_LABELS) == set(PRIORITY_GROUPS) == {1, 2, 3, 4, 5}


def test_every_benefit_has_a_label():
    assert set(BENEFIT_LABELS) == set(BENEFITS)


@pytest.mark.parametrize(
    ("group", "words"),
    [
        (1, "lone parents"),
        (2, "six months or more"),
        (3, "less than six months"),
        (4, "not claiming"),
        (5, "in work"),
    ],
)
def test_priority_group_labels_are_english_without_an_app_context(group, words):
    text = _str_outside_app_context(PRIORITY_GROUP_LABELS[group])
    assert text.startswith(f"Priority group {group}: ")
    assert words in text


def test_benefit_labels_are_english_without_an_app_context():
    assert _str_outside_app_context(BENEFIT_LABELS["jsa"]) == "Jobseeker's Allowance"
