"""The employers of a sector course: who may be invited, the guaranteed interviews an SME
offers, when an invitation can be answered, and an employer's share of the places."""

import pytest

from app.pet.employers import rules


@pytest.mark.parametrize(
    ("size", "status", "refusal"),
    [
        ("sme", None, None),
        ("sme", "declined", None),  # asked again: its circumstances may have changed
        ("sme", "invited", "already"),
        ("sme", "joined", "already"),
        ("large", None, "not_sme"),
        ("large", "declined", "not_sme"),
    ],
)
def test_who_may_be_invited(size, status, refusal):
    assert rules.invitation_refusal(size, status) == refusal


@pytest.mark.parametrize(
    ("interviews", "places", "problem"),
    [
        (None, 12, "missing"),
        (-1, 12, "too_few"),
        (0, 12, "too_few"),
        (1, 12, None),
        (12, 12, None),
        (13, 12, "too_many"),
        (1, 1, None),
    ],
)
def test_the_interviews_an_employer_offers(interviews, places, problem):
    assert rules.interviews_problem(interviews, places) == problem


@pytest.mark.parametrize(
    ("status", "course_status", "answerable"),
    [
        ("invited", "design", True),
        ("invited", "agreed", True),
        ("invited", "running", True),
        ("invited", "finished", False),
        ("invited", "cancelled", False),
        ("joined", "design", False),
        ("declined", "design", False),
    ],
)
def test_an_invitation_is_answered_once_while_the_course_takes_employers(
    status, course_status, answerable
):
    assert rules.may_answer(status, course_status) is answerable


@pytest.mark.parametrize(
    ("interviews", "places", "share"),
    [
        (4, 12, 33),
        (1, 8, 13),  # 12.5 rounds half up
        (1, 3, 33),
        (2, 3, 67),
        (12, 12, 100),
        (0, 12, 0),
        (3, 0, None),
    ],
)
def test_an_employers_share_of_the_places(interviews, places, share):
    assert rules.share_of_places(interviews, places) == share


def test_unknown_statuses_and_negative_numbers_are_refused():
    with pytest.raises(ValueError):
        rules.invitation_refusal("sme", "maybe")
    with pytest.raises(ValueError):
        rules.may_answer("pending", "design")
    with pytest.raises(ValueError):
        rules.share_of_places(-1, 12)
