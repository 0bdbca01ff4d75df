"""What changed between two versions of an agreement, and who may see an account."""

from __future__ import annotations

import uuid

import pytest

from app.agreements.rules import (
    ChangeKind,
    MeasureChange,
    Term,
    VersionChanges,
    may_see_account,
    measure_changes,
    version_changes,
)

ORDER = ("work_trials", "guaranteed_interviews", "work_placements", "mentoring", "open_days")
TRIALS_3 = Term("work_trials", 3)
TRIALS_5 = Term("work_trials", 5)
INTERVIEWS = Term("guaranteed_interviews", details="PET completers")
OPEN_DAY = Term("open_days", details="Spring")


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ([], [], ()),
        ([TRIALS_3], [TRIALS_3], ()),
        ([], [TRIALS_3], (MeasureChange("work_trials", ChangeKind.ADDED, after=TRIALS_3),)),
        ([TRIALS_3], [], (MeasureChange("work_trials", ChangeKind.REMOVED, before=TRIALS_3),)),
        (
            [TRIALS_3],
            [TRIALS_5],
            (MeasureChange("work_trials", ChangeKind.CHANGED, TRIALS_3, TRIALS_5),),
        ),
        (
            [INTERVIEWS],
            [Term("guaranteed_interviews", details="Lone parents")],
            (
                MeasureChange(
                    "guaranteed_interviews",
                    ChangeKind.CHANGED,
                    INTERVIEWS,
                    Term("guaranteed_interviews", details="Lone parents"),
                ),
            ),
        ),
        # Spacing alone is no change; nor is the order the measures come in.
        ([INTERVIEWS], [Term("guaranteed_interviews", details="  PET   completers ")], ()),
        ([TRIALS_3, OPEN_DAY], [OPEN_DAY, TRIALS_3], ()),
        # A measure given places where it had none, or losing its details, is a change.
        (
            [Term("mentoring")],
            [Term("mentoring", 1)],
            (
                MeasureChange(
                    "mentoring", ChangeKind.CHANGED, Term("mentoring"), Term("mentoring", 1)
                ),
            ),
        ),
    ],
)
def test_measure_changes(before, after, expected):
    assert measure_changes(before, after, ORDER) == expected


def test_changes_come_in_display_order_whatever_order_the_versions_list_them():
    changes = measure_changes(
        [OPEN_DAY, TRIALS_3], [INTERVIEWS, TRIALS_5, Term("work_placements", 2)], ORDER
    )
    assert [(c.measure, c.kind) for c in changes] == [
        ("work_trials", ChangeKind.CHANGED),
        ("guaranteed_interviews", ChangeKind.ADDED),
        ("work_placements", ChangeKind.ADDED),
        ("open_days", ChangeKind.REMOVED),
    ]


def test_measures_outside_the_order_follow_it_after_then_before():
    changes = measure_changes([Term("zzz_old")], [Term("aaa_new"), TRIALS_3], ORDER)
    assert [c.measure for c in changes] == ["work_trials", "aaa_new", "zzz_old"]


def test_places_and_details_changes_are_told_apart():
    places = measure_changes([TRIALS_3], [TRIALS_5])[0]
    assert places.places_changed and not places.details_changed
    details = measure_changes(
        [Term("work_trials", 3, "Bakers")], [Term("work_trials", 3, "Drivers")]
    )[0]
    assert details.details_changed and not details.places_changed
    added = measure_changes([], [TRIALS_3])[0]
    assert not added.places_changed and not added.details_changed


def test_a_measure_listed_twice_in_one_version_is_a_mistake():
    with pytest.raises(ValueError):
        measure_changes([TRIALS_3, TRIALS_5], [])


@pytest.mark.parametrize(
    ("before", "after", "added", "removed"),
    [
        ([1, 2, 3, 4], [1, 2, 3, 4], (), ()),
        ([1, 2], [1, 2, 3, 4, 5], (3, 4, 5), ()),
        ([1, 2, 3, 4, 5], [1, 2], (), (3, 4, 5)),
        ([4, 3], [5, 3], (5,), (4,)),
    ],
)
def test_priority_group_changes(before, after, added, removed):
    changes = version_changes([TRIALS_3], before, [TRIALS_3], after, ORDER)
    assert changes.groups_added == added
    assert changes.groups_removed == removed
    assert bool(changes) == bool(added or removed)


def test_version_changes_is_falsy_only_when_nothing_changed():
    assert not VersionChanges()
    same = version_changes([TRIALS_3], [1, 2], [TRIALS_3], [2, 1], ORDER)
    assert not same
    changed = version_changes([TRIALS_3], [1, 2], [TRIALS_5], [1, 2], ORDER)
    assert changed
    assert changed.of_kind(ChangeKind.CHANGED) == changed.measures
    assert changed.of_kind(ChangeKind.ADDED) == ()


LEEDS, TYNESIDE = uuid.uuid4(), uuid.uuid4()


@pytest.mark.parametrize(
    ("role", "staff_district", "account_district", "expected"),
    [
        ("lmra", LEEDS, LEEDS, True),
        ("lmra", TYNESIDE, LEEDS, False),
        ("dam", LEEDS, LEEDS, True),
        ("dam", TYNESIDE, LEEDS, False),
        ("coordinator", LEEDS, LEEDS, True),
        ("coordinator", TYNESIDE, LEEDS, False),
        ("tppm", LEEDS, LEEDS, True),
        ("adviser", TYNESIDE, LEEDS, False),
        ("lmra", None, LEEDS, False),  # staff with no district see no accounts
        ("admin", None, LEEDS, True),
        ("admin", TYNESIDE, LEEDS, True),
    ],
)
def test_staff_see_accounts_of_their_own_district_and_admins_all(
    role, staff_district, account_district, expected
):
    assert may_see_account(role, staff_district, account_district) is expected
