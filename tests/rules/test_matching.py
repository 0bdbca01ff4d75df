"""Referral rules: the status table, postcode distances, and how well a customer fits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.referrals import rules
from app.referrals.models import ReferralStatus
from app.referrals.postcode_areas import CENTROIDS
from app.referrals.rules import (
    BETWEEN_AREAS,
    NEARBY_MILES,
    SAME_AREA,
    SAME_DISTRICT,
    Distance,
    can_move,
    great_circle_miles,
    match_score,
    outward_code,
    postcode_area,
    travel_distance,
)

# --- the status table ------------------------------------------------------------------------


def test_the_table_covers_every_status_the_model_stores():
    assert set(rules.TRANSITIONS) == {status.value for status in ReferralStatus}
    assert set(rules.STATUSES) == set(rules.TRANSITIONS)
    for after in rules.TRANSITIONS.values():
        assert after <= set(rules.STATUSES)


def test_started_not_selected_and_withdrawn_are_final():
    assert {"started", "not_selected", "withdrawn"} == rules.FINAL_STATUSES
    for final in rules.FINAL_STATUSES:
        for to in rules.STATUSES:
            assert not can_move(final, to)


@pytest.mark.parametrize(
    ("current", "to", "allowed"),
    [
        ("referred", "shortlisted", True),
        ("referred", "interview_arranged", True),
        ("referred", "work_trial", True),
        ("referred", "offered", True),
        ("referred", "not_selected", True),
        ("referred", "withdrawn", True),
        ("referred", "started", False),  # a start needs an interview, a trial or an offer
        ("referred", "referred", False),
        ("shortlisted", "shortlisted", False),
        ("shortlisted", "started", False),
        ("shortlisted", "interview_arranged", True),
        ("interview_arranged", "interview_arranged", True),  # rearranged
        ("interview_arranged", "work_trial", True),
        ("interview_arranged", "started", True),
        ("interview_arranged", "shortlisted", False),  # never backwards
        ("work_trial", "interview_arranged", True),
        ("work_trial", "work_trial", True),
        ("work_trial", "offered", True),
        ("offered", "started", True),
        ("offered", "not_selected", True),
        ("offered", "withdrawn", True),
        ("offered", "interview_arranged", False),
        ("offered", "referred", False),
        ("started", "not_selected", False),
        ("not_selected", "offered", False),
        ("withdrawn", "referred", False),
    ],
)
def test_which_status_may_follow_which(current, to, allowed):
    assert can_move(current, to) is allowed


def test_nothing_moves_back_to_referred():
    assert all(not can_move(status, "referred") for status in rules.STATUSES)


def test_open_statuses_are_those_with_a_next_step():
    assert rules.OPEN_STATUSES == (
        "referred",
        "shortlisted",
        "interview_arranged",
        "work_trial",
        "offered",
    )


def test_an_unknown_status_fails_loudly():
    with pytest.raises(ValueError):
        can_move("hired", "started")
    with pytest.raises(ValueError):
        can_move("referred", "hired")
    with pytest.raises(ValueError):
        rules.is_final("hired")


# --- postcodes and distance ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "outward", "area"),
    [
        ("LS9 8AB", "LS9", "LS"),
        ("ls98ab", "LS9", "LS"),
        ("  ls9   8ab ", "LS9", "LS"),
        ("LS98", "LS98", "LS"),  # an outward code alone
        ("LS9", "LS9", "LS"),
        ("EC1A 1BB", "EC1A", "EC"),
        ("W1A 0AX", "W1A", "W"),
        ("G1 1AA", "G1", "G"),
        ("M60 1NW", "M60", "M"),
        ("CR2 6XH", "CR2", "CR"),
        ("ZE1 0AA", "ZE1", "ZE"),
    ],
)
def test_outward_code_and_area(postcode, outward, area):
    assert outward_code(postcode) == outward
    assert postcode_area(postcode) == area


@pytest.mark.parametrize("postcode", ["", None, "not a postcode", "12345", "LS", "LSS9 8AB"])
def test_what_is_not_a_postcode(postcode):
    assert outward_code(postcode) is None
    assert postcode_area(postcode) is None


@pytest.mark.parametrize("postcode", ["BT1 1AA", "JE2 3AB", "GY1 1AA", "IM1 1AA", "QQ1 1AA"])
def test_areas_outside_great_britain_have_no_distance(postcode):
    assert postcode_area(postcode) is None
    assert travel_distance(postcode, "LS1 4AP") is None


def test_the_table_has_every_great_britain_area_and_no_others():
    assert len(CENTROIDS) == 120
    for area in ("AB", "B", "BA", "E", "EC", "G", "L", "M", "N", "S", "W", "WC", "YO", "ZE"):
        assert area in CENTROIDS
    for outside in ("BT", "GY", "JE", "IM"):
        assert outside not in CENTROIDS


def test_every_centre_lies_within_great_britain():
    for area, (latitude, longitude) in CENTROIDS.items():
        assert 49.8 < latitude < 61.0, area
        assert -8.7 < longitude < 1.9, area


def test_same_outward_code_is_no_distance():
    assert travel_distance("LS9 8AB", "ls9 7zz") == Distance(0.0, SAME_DISTRICT, "LS9")


def test_same_area_is_counted_as_nearby():
    distance = travel_distance("LS9 8AB", "LS1 4AP")
    assert distance == Distance(float(NEARBY_MILES), SAME_AREA, "LS")
    assert NEARBY_MILES == 5


@pytest.mark.parametrize(
    ("home", "work", "low", "high"),
    [
        ("LS9 8AB", "BD1 1AA", 5, 15),  # Leeds to Bradford: about 9 miles
        ("LS9 8AB", "M1 1AA", 30, 45),  # Leeds to Manchester: about 36 miles
        ("EC1A 1BB", "WC2N 5DU", 0, 3),  # the City to the West End
        ("G1 1AA", "EH1 1YZ", 35, 50),  # Glasgow to Edinburgh: about 42 miles
        ("CF10 1AA", "BS1 4DJ", 20, 35),  # Cardiff to Bristol: about 26 miles
        ("TR1 1AA", "ZE1 0AA", 650, 760),  # Truro to Lerwick: about 700 miles
    ],
)
def test_distance_between_areas_is_roughly_right(home, work, low, high):
    distance = travel_distance(home, work)
    assert distance is not None and distance.basis == BETWEEN_AREAS
    assert low <= distance.miles <= high


def test_distance_is_symmetric():
    there = travel_distance("LS9 8AB", "S1 2HE")
    back = travel_distance("S1 2HE", "LS9 8AB")
    assert there is not None and back is not None
    assert there.miles == pytest.approx(back.miles)


def test_great_circle_of_a_known_pair():
    # London (51.5074, -0.1278) to Paris (48.8566, 2.3522) is about 213 miles.
    assert great_circle_miles((51.5074, -0.1278), (48.8566, 2.3522)) == pytest.approx(213, abs=2)
    assert great_circle_miles((53.8, -1.55), (53.8, -1.55)) == 0


# --- how well a customer fits ----------------------------------------------------------------


def fit(**overrides):
    values = {
        "vacancy_sector": "warehousing",
        "vacancy_hours": Decimal("37.5"),
        "goal_sectors": ["retail", "warehousing"],
        "min_hours": 16,
        "max_hours": 40,
        "distance": Distance(5.0, SAME_AREA, "LS"),
        "travel_miles": 10,
        "priority_group": 3,
        "lep_eligible": True,
    }
    values.update(overrides)
    return match_score(**values)


def reasons(match) -> list[str]:
    return [str(reason) for reason in match.reasons]


def test_a_good_fit_with_its_reasons():
    match = fit()
    assert match.fits
    # sector 40 + hours 30 + distance 10 + half of the other 10 (5 of 10 miles)
    assert match.score == 40 + 30 + 10 + 5
    assert reasons(match) == [
        "Wants to work in Warehousing and logistics",
        "37.5 hours a week is within the 16 to 40 hours a week they want",
        "Lives in the same postcode area (LS), counted as nearby: about 5 miles",
    ]


def test_priority_groups_1_and_2_come_first():
    pg2 = fit(priority_group=2)
    pg3 = fit(priority_group=3)
    assert pg2.score == pg3.score + rules.PRIORITY_POINTS
    assert "Priority group 2: LEP vacancies are for them first" in reasons(pg2)


def test_the_best_possible_fit_scores_the_most():
    best = fit(distance=Distance(0.0, SAME_DISTRICT, "LS9"), priority_group=1)
    assert best.score == rules.MOST_POINTS == 100
    assert "Lives in the same postcode district (LS9)" in reasons(best)


def test_closer_scores_higher():
    near = fit(distance=Distance(2.0, BETWEEN_AREAS, "LS to BD"))
    far = fit(distance=Distance(9.0, BETWEEN_AREAS, "LS to BD"))
    edge = fit(distance=Distance(10.0, BETWEEN_AREAS, "LS to BD"))
    assert near.score > far.score > edge.score - 1
    assert edge.fits
    assert "About 10 miles away, within the 10 miles they will travel" in reasons(edge)


def test_a_sector_they_have_not_chosen_does_not_fit():
    match = fit(goal_sectors=["retail"])
    assert not match.fits
    assert "Has not chosen Warehousing and logistics as a sector" in reasons(match)


def test_no_sector_chosen_is_open_to_any_but_scores_less():
    match = fit(goal_sectors=[])
    assert match.fits
    assert match.score == fit().score - (rules.SECTOR_POINTS - rules.OPEN_SECTOR_POINTS)
    assert "No sector chosen: open to any sector" in reasons(match)


@pytest.mark.parametrize(
    ("min_hours", "max_hours", "fits", "reason"),
    [
        (16, 40, True, "37.5 hours a week is within the 16 to 40 hours a week they want"),
        (37, 38, True, "37.5 hours a week is within the 37 to 38 hours a week they want"),
        (16, 37, False, "37.5 hours a week is outside the 16 to 37 hours a week they want"),
        (38, 45, False, "37.5 hours a week is outside the 38 to 45 hours a week they want"),
        (30, None, True, "37.5 hours a week is within the at least 30 hours a week they want"),
        (None, 30, False, "37.5 hours a week is outside the at most 30 hours a week they want"),
        (None, None, True, "No hours preference recorded"),
    ],
)
def test_hours_must_be_within_their_minimum_and_maximum(min_hours, max_hours, fits, reason):
    match = fit(min_hours=min_hours, max_hours=max_hours)
    assert match.fits is fits
    assert reason in reasons(match)


def test_hours_on_the_boundary_fit():
    assert fit(vacancy_hours=Decimal("16"), min_hours=16, max_hours=40).fits
    assert fit(vacancy_hours=Decimal("40.00"), min_hours=16, max_hours=40).fits
    assert not fit(vacancy_hours=Decimal("15.99"), min_hours=16, max_hours=40).fits


def test_further_than_they_will_travel_does_not_fit():
    match = fit(distance=Distance(12.4, BETWEEN_AREAS, "LS to BD"), travel_miles=10)
    assert not match.fits
    assert "About 12 miles away, further than the 10 miles they will travel" in reasons(match)


def test_same_area_is_too_far_for_someone_who_travels_under_5_miles():
    assert not fit(travel_miles=3).fits
    assert fit(distance=Distance(0.0, SAME_DISTRICT, "LS9"), travel_miles=0).fits


def test_unknown_distance_does_not_rule_out_but_says_so():
    match = fit(distance=None)
    assert match.fits
    assert "Distance not known: check the postcodes" in reasons(match)
    assert match.score < fit().score


def test_not_eligible_for_lep_does_not_fit():
    match = fit(priority_group=5, lep_eligible=False)
    assert not match.fits
    assert "Not eligible for LEP vacancies today" in reasons(match)


def test_a_record_whose_priority_group_cannot_be_worked_out_does_not_fit():
    match = fit(priority_group=None, lep_eligible=False)
    assert not match.fits
    assert "Priority group cannot be worked out: check the benefit details" in reasons(match)


def test_every_reason_that_rules_out_is_given_at_once():
    match = fit(goal_sectors=["retail"], max_hours=20, distance=Distance(30.0, BETWEEN_AREAS, ""))
    assert not match.fits
    assert len(reasons(match)) == 3
