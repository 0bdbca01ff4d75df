"""Account rules: UK postcodes and who becomes a new account's single point of contact.

Pure functions: no app, no database.
"""

from __future__ import annotations

import uuid

import pytest

from app.accounts.rules import ContactCandidate, choose_contact, normalise_postcode, postcode_area


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("LS1 4AP", "LS1 4AP"),
        ("ls1 4ap", "LS1 4AP"),
        ("LS14AP", "LS1 4AP"),
        ("ls1  4ap", "LS1 4AP"),
        ("  LS1 4AP  ", "LS1 4AP"),
        ("L S 1 4 A P", "LS1 4AP"),
        ("ls1\t4ap", "LS1 4AP"),
        ("G5 0PW", "G5 0PW"),  # A9 9AA
        ("m11ae", "M1 1AE"),
        ("CF10 2SF", "CF10 2SF"),  # AA99 9AA
        ("B33 8TH", "B33 8TH"),  # A99 9AA
        ("SW1A 1AA", "SW1A 1AA"),  # AA9A 9AA
        ("w1a0ax", "W1A 0AX"),  # A9A 9AA
        ("ec1a1bb", "EC1A 1BB"),
    ],
)
def test_normalise_postcode_gives_capitals_and_one_space(given, expected):
    assert normalise_postcode(given) == expected


@pytest.mark.parametrize(
    "given",
    [
        "",
        "   ",
        "LS1",  # outward code only
        "LS1 4A",
        "LS1 4APX",
        "LS1 44P",  # inward code must end in two letters
        "1LS 4AP",  # area must be letters
        "LSX1 4AP",  # at most two letters in the area
        "LS123 4AP",
        "LS1-4AP",
        "BFPO 123",
        "not a postcode",
        "SW1A 1AA extra",
    ],
)
def test_normalise_postcode_refuses_what_is_not_a_uk_postcode(given):
    assert normalise_postcode(given) is None


@pytest.mark.parametrize(
    ("given", "area"),
    [
        ("LS1 4AP", "LS"),
        ("bd1 1aa", "BD"),
        ("G5 0PW", "G"),
        ("sw1a1aa", "SW"),
        ("W1A 0AX", "W"),
        ("CF10 2SF", "CF"),
        ("LS1", None),
        ("", None),
        ("nonsense", None),
    ],
)
def test_postcode_area_is_the_letters_before_the_first_digit(given, area):
    assert postcode_area(given) == area


def staff(role: str, accounts: int, name: str, number: int) -> ContactCandidate:
    return ContactCandidate(uuid.UUID(int=number), role, accounts, name)


DAM_BUSY = staff("dam", 9, "Dana Busy", 1)
DAM_FREE = staff("dam", 2, "Dev Free", 2)
LMRA_BUSY = staff("lmra", 7, "Lee Busy", 3)
LMRA_FREE = staff("lmra", 1, "Lou Free", 4)
EVERYONE = [DAM_BUSY, LMRA_BUSY, DAM_FREE, LMRA_FREE]


@pytest.mark.parametrize(
    ("size_band", "candidates", "expected"),
    [
        # Large employers go to the DAM with the fewest accounts, even if an LMRA has fewer.
        ("large", EVERYONE, DAM_FREE),
        ("large", [LMRA_FREE, DAM_BUSY], DAM_BUSY),
        # SMEs go to the LMRA with the fewest accounts, even if a DAM has fewer.
        ("sme", EVERYONE, LMRA_FREE),
        ("sme", [staff("dam", 0, "Idle Dam", 9), LMRA_BUSY], LMRA_BUSY),
        # Nobody in the preferred role: the other role takes the account.
        ("large", [LMRA_BUSY, LMRA_FREE], LMRA_FREE),
        ("sme", [DAM_BUSY, DAM_FREE], DAM_FREE),
    ],
    ids=[
        "large-to-least-busy-dam",
        "large-to-dam-over-idle-lmra",
        "sme-to-least-busy-lmra",
        "sme-to-lmra-over-idle-dam",
        "large-falls-back-to-lmra",
        "sme-falls-back-to-dam",
    ],
)
def test_choose_contact_prefers_the_role_for_the_size_then_the_fewest_accounts(
    size_band, candidates, expected
):
    assert choose_contact(size_band, candidates) == expected.staff_id
    assert choose_contact(size_band, list(reversed(candidates))) == expected.staff_id


@pytest.mark.parametrize(
    "candidates",
    [[], [staff("coordinator", 0, "Cora", 5)], [staff("tppm", 0, "Tim", 6)]],
)
@pytest.mark.parametrize("size_band", ["sme", "large"])
def test_choose_contact_is_none_when_the_district_has_no_dam_or_lmra(size_band, candidates):
    assert choose_contact(size_band, candidates) is None


def test_choose_contact_breaks_a_tie_on_accounts_by_name():
    zoe = staff("lmra", 3, "Zoe Adams", 1)
    amy = staff("lmra", 3, "Amy Zed", 2)
    for candidates in ([zoe, amy], [amy, zoe]):
        assert choose_contact("sme", candidates) == amy.staff_id


def test_choose_contact_breaks_a_tie_on_accounts_and_name_by_id():
    low = ContactCandidate(uuid.UUID(int=1), "dam", 4, "Sam Smith")
    high = ContactCandidate(uuid.UUID(int=2), "dam", 4, "Sam Smith")
    for candidates in ([high, low], [low, high]):
        assert choose_contact("large", candidates) == low.staff_id


def test_fewer_accounts_beats_an_earlier_name():
    amy = staff("lmra", 5, "Amy", 1)
    zoe = staff("lmra", 4, "Zoe", 2)
    assert choose_contact("sme", [amy, zoe]) == zoe.staff_id
