"""Partnership rules, table by table: pure functions, no app, no database."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest

from app.partnerships import rules

A, B = uuid.UUID(int=1), uuid.UUID(int=2)


@pytest.mark.parametrize(
    ("status", "expected"), [("offered", True), ("accepted", False), ("", False), ("x", False)]
)
def test_only_an_offer_still_waiting_can_be_accepted(status, expected):
    assert rules.may_accept(status) is expected


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], frozenset()),
        ([("offered", A)], frozenset()),
        ([("accepted", A)], frozenset({A})),
        ([("accepted", A), ("offered", B)], frozenset({A})),
        ([("accepted", A), ("accepted", B)], frozenset({A, B})),
    ],
)
def test_an_agreement_covers_the_districts_it_accepted(pairs, expected):
    assert rules.covered_districts(pairs) == expected


@pytest.mark.parametrize(
    ("section", "covered", "expected"),
    [
        ("partnership", frozenset(), True),
        ("employer_agreements", frozenset(), False),
        ("vacancies", frozenset(), False),
        ("customers", frozenset(), False),
        ("placements", frozenset(), False),
        ("partnership", frozenset({A}), True),
        ("employer_agreements", frozenset({A}), True),
        ("vacancies", frozenset({A}), True),
        ("customers", frozenset({A}), True),
        ("placements", frozenset({A}), True),
    ],
)
def test_without_an_agreement_a_provider_opens_only_the_offer(section, covered, expected):
    assert rules.may_open(section, covered) is expected


def test_an_unknown_section_is_a_bug():
    with pytest.raises(ValueError):
        rules.may_open("lmi", frozenset({A}))


@pytest.mark.parametrize(
    ("district", "covered", "expected"),
    [(A, {A}, True), (B, {A}, False), (None, {A}, False), (A, set(), False)],
)
def test_an_employer_must_be_in_a_covered_district(district, covered, expected):
    assert rules.employer_covered(district, covered) is expected


@pytest.mark.parametrize(
    ("contact", "active", "expected"), [(A, True, True), (A, False, False), (None, True, False)]
)
def test_the_spoc_is_told_when_there_is_one(contact, active, expected):
    assert rules.tell_spoc(contact, active) is expected


@pytest.mark.parametrize(
    ("through_vacancy", "expected"), [(True, "jobcentre_plus"), (False, "provider")]
)
def test_a_placement_s_source(through_vacancy, expected):
    assert rules.placement_source(through_vacancy) == expected


@pytest.mark.parametrize(
    ("agreed", "start", "expected"),
    [
        (dt.date(2026, 11, 2), dt.date(2026, 11, 1), False),
        (dt.date(2026, 11, 2), dt.date(2026, 11, 2), True),
        (dt.date(2026, 11, 2), dt.date(2026, 12, 1), True),
    ],
)
def test_an_own_agreement_counts_from_the_day_it_was_made(agreed, start, expected):
    assert rules.agreement_covers_start(agreed, start) is expected


@pytest.mark.parametrize(
    ("name", "existing", "expected"),
    [
        ("", [], "empty"),
        ("   ", [], "empty"),
        ("x" * 201, [], "too_long"),
        ("x" * 200, [], None),
        ("Skills Ltd", ["skills  ltd"], "duplicate"),
        ("  Skills   Ltd ", ["Skills Ltd"], "duplicate"),
        ("Skills Ltd", ["Skills Limited"], None),
    ],
)
def test_a_subcontractor_s_name(name, existing, expected):
    assert rules.subcontractor_name_problem(name, existing) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"vacancy:{A}", ("vacancy", A)),
        (f"agreement:{B}", ("agreement", B)),
        (f"course:{A}", None),
        ("vacancy:", None),
        ("vacancy:not-a-uuid", None),
        ("", None),
        (str(A), None),
    ],
)
def test_a_placement_choice(value, expected):
    assert rules.parse_placement(value) == expected
