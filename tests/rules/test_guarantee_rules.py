"""Guaranteed interviews: which referrals a guarantee covers, when the answer is due in each
nation, and where a guarantee stands."""

import datetime as dt

import pytest

from app.guarantees import rules
from app.guarantees.rules import State

D = dt.date


@pytest.mark.parametrize(
    ("offers", "eligible", "covered"),
    [(True, True, True), (True, False, False), (False, True, False), (False, False, False)],
)
def test_which_referrals_are_covered(offers, eligible, covered):
    assert rules.covers_referral(offers, eligible) is covered


@pytest.mark.parametrize(
    ("completed", "follow_on", "measures", "covered"),
    [
        (True, "guaranteed_interview", set(), True),
        (True, "both", set(), True),
        (True, "work_trial", set(), False),
        (True, "work_trial", {"guaranteed_interviews"}, True),
        (True, None, {"guaranteed_interviews", "pet"}, True),
        (True, None, {"pet"}, False),
        (False, "guaranteed_interview", {"guaranteed_interviews"}, False),  # left early
    ],
)
def test_which_completers_are_covered(completed, follow_on, measures, covered):
    assert rules.covers_completer(completed, follow_on, frozenset(measures)) is covered


@pytest.mark.parametrize(
    ("opened", "nation", "days", "due"),
    [
        # An ordinary fortnight: ten working days from a Monday is the Monday after next.
        (D(2026, 3, 2), "england", 10, D(2026, 3, 16)),
        # From a Friday, the weekend does not count.
        (D(2026, 3, 6), "england", 1, D(2026, 3, 9)),
        # Opened on a Saturday: the clock starts on Monday.
        (D(2026, 3, 7), "england", 1, D(2026, 3, 9)),
        # Easter 2026: Good Friday 3 April everywhere; Easter Monday 6 April in England and
        # Wales but not in Scotland.
        (D(2026, 4, 2), "england", 1, D(2026, 4, 7)),
        (D(2026, 4, 2), "wales", 1, D(2026, 4, 7)),
        (D(2026, 4, 2), "scotland", 1, D(2026, 4, 6)),
        # August: the Scottish summer bank holiday is the first Monday (3 August 2026), the
        # English and Welsh one the last (31 August 2026).
        (D(2026, 7, 31), "scotland", 1, D(2026, 8, 4)),
        (D(2026, 7, 31), "england", 1, D(2026, 8, 3)),
        (D(2026, 8, 28), "england", 1, D(2026, 9, 1)),
        (D(2026, 8, 28), "wales", 1, D(2026, 9, 1)),
        (D(2026, 8, 28), "scotland", 1, D(2026, 8, 31)),
        # St Andrew's Day, Monday 30 November 2026, in Scotland only.
        (D(2026, 11, 27), "scotland", 1, D(2026, 12, 1)),
        (D(2026, 11, 27), "england", 1, D(2026, 11, 30)),
        # Christmas into the new year, the default ten days: 2 January (4 January 2027 in
        # lieu) is a Scottish bank holiday too.
        (D(2026, 12, 23), "england", 10, D(2027, 1, 11)),
        (D(2026, 12, 23), "wales", 10, D(2027, 1, 11)),
        (D(2026, 12, 23), "scotland", 10, D(2027, 1, 12)),
    ],
)
def test_due_on_the_nations_working_day_clock(opened, nation, days, due):
    assert rules.due_on(opened, nation, days) == due


def test_the_default_is_ten_working_days():
    assert rules.DEFAULT_WORKING_DAYS == 10
    assert rules.due_on(D(2026, 3, 2), "wales") == D(2026, 3, 16)


@pytest.mark.parametrize(
    ("opened", "nation", "days", "error"),
    [
        (D(2026, 3, 2), "northern_ireland", 10, ValueError),
        (D(2026, 3, 2), "england", 0, ValueError),
        (dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), "england", 10, TypeError),
    ],
)
def test_due_on_refuses_what_it_cannot_count(opened, nation, days, error):
    with pytest.raises(error):
        rules.due_on(opened, nation, days)


@pytest.mark.parametrize(
    ("outcome", "due", "today", "expected"),
    [
        ("interviewed", D(2026, 3, 16), D(2026, 4, 1), State.KEPT),
        ("not_offered", D(2026, 3, 16), D(2026, 3, 2), State.NOT_OFFERED),
        (None, D(2026, 3, 16), D(2026, 3, 16), State.DUE),  # the due day itself is in time
        (None, D(2026, 3, 16), D(2026, 3, 17), State.OVERDUE),
    ],
)
def test_state(outcome, due, today, expected):
    assert rules.state(outcome, due, today) is expected


@pytest.mark.parametrize(
    ("outcome", "today", "chased", "expected"),
    [
        (None, D(2026, 3, 17), False, True),
        (None, D(2026, 3, 17), True, False),  # once only
        (None, D(2026, 3, 16), False, False),
        ("interviewed", D(2026, 3, 17), False, False),
        ("not_offered", D(2026, 3, 17), False, False),
    ],
)
def test_to_chase(outcome, today, chased, expected):
    assert rules.to_chase(outcome, D(2026, 3, 16), today, chased) is expected


@pytest.mark.parametrize(
    ("reason", "details", "problem"),
    [
        (None, "", "missing"),
        ("", "", "missing"),
        ("too_busy", "", "unknown"),
        ("other", "  ", "details"),
        ("other", "The site closed", None),
        ("filled_before_referral", "", None),
        ("candidate_withdrew", "", None),
        ("essential_requirement", "", None),
    ],
)
def test_reason_problem(reason, details, problem):
    assert rules.reason_problem(reason, details) == problem


@pytest.mark.parametrize(
    ("kept", "counted", "rate"),
    [(0, 0, None), (1, 3, 33), (2, 3, 67), (3, 3, 100), (0, 2, 0), (1, 8, 13)],
)
def test_kept_rate(kept, counted, rate):
    assert rules.kept_rate(kept, counted) == rate


# --- a sector course's completers, allotted to its employers ----------------------------------


@pytest.mark.parametrize(
    ("completers", "offers", "allotted"),
    [
        # Three SMEs offering 4 each share 12 completers in turn: 4 each.
        (6, [("a", 4, 0), ("b", 4, 0), ("c", 4, 0)], "abcabc"),
        # In proportion to the offers: 6 and 2 for 8 completers.
        (8, [("a", 6, 0), ("b", 2, 0)], "abaaabaa"),
        # More completers than interviews offered: the rest get none.
        (5, [("a", 2, 0), ("b", 1, 0)], "aba"),
        # Completers allotted earlier count: b has had its one already.
        (3, [("a", 2, 0), ("b", 1, 1)], "aa"),
        # A tie in the share used goes to the one with more left, then the first to join.
        (2, [("a", 1, 0), ("b", 3, 0)], "ba"),
        (2, [("a", 2, 0), ("b", 2, 0)], "ab"),
        # Nobody offers: nobody is allotted.
        (2, [], ""),
        (2, [("a", 0, 0)], ""),
        (0, [("a", 3, 0)], ""),
    ],
)
def test_completers_are_allotted_to_a_sector_courses_employers(completers, offers, allotted):
    result = rules.allot_completers(list(range(completers)), offers)
    assert "".join(result[number] for number in sorted(result)) == allotted
    assert sorted(result) == list(range(len(allotted)))  # the first completers first


def test_each_employer_is_allotted_no_more_than_it_offers():
    offers = [("a", 3, 1), ("b", 5, 0), ("c", 1, 0)]
    result = rules.allot_completers(list(range(20)), offers)
    for employer, offered, earlier in offers:
        assert list(result.values()).count(employer) == offered - earlier


@pytest.mark.parametrize("offers", [[("a", -1, 0)], [("a", 2, -1)]])
def test_a_negative_offer_or_allotment_is_refused(offers):
    with pytest.raises(ValueError):
        rules.allot_completers([1], offers)
