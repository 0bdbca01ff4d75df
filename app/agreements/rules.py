"""Rules for LEP agreements: what changed between two versions, and who may see an account.

Plain values in, plain values out: measures are their string values (`"work_trials"`),
priority groups are numbers, districts are ids.
"""

from __future__ import annotations

import datetime as dt
import enum
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.callbacks.rules import is_working_day

#: Who a new agreement covers unless staff untick a group: since April 2009 every LEP
#: covers priority groups 3 and 4, and group 5 (employed, under threat or notice of
#: redundancy), as well as the disadvantaged groups 1 and 2 (the 2009 provider letter).
STANDARD_PRIORITY_GROUPS: tuple[int, ...] = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Term:
    """One measure as agreed in one version: its places, or its details."""

    measure: str
    places: int | None = None
    details: str = ""

    def same_as(self, other: Term) -> bool:
        return self.places == other.places and _clean(self.details) == _clean(other.details)


class ChangeKind(enum.StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


@dataclass(frozen=True)
class MeasureChange:
    measure: str
    kind: ChangeKind
    before: Term | None = None
    after: Term | None = None

    @property
    def places_changed(self) -> bool:
        return (
            self.kind is ChangeKind.CHANGED
            and self.before is not None
            and self.after is not None
            and self.before.places != self.after.places
        )

    @property
    def details_changed(self) -> bool:
        return (
            self.kind is ChangeKind.CHANGED
            and self.before is not None
            and self.after is not None
            and _clean(self.before.details) != _clean(self.after.details)
        )


@dataclass(frozen=True)
class VersionChanges:
    """The difference between one version of an agreement and the version before it."""

    measures: tuple[MeasureChange, ...] = ()
    groups_added: tuple[int, ...] = ()
    groups_removed: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.measures or self.groups_added or self.groups_removed)

    def of_kind(self, kind: ChangeKind) -> tuple[MeasureChange, ...]:
        return tuple(change for change in self.measures if change.kind is kind)


def _clean(details: str | None) -> str:
    return " ".join((details or "").split())


def _by_measure(terms: Iterable[Term]) -> dict[str, Term]:
    found: dict[str, Term] = {}
    for term in terms:
        if term.measure in found:
            raise ValueError(f"measure {term.measure!r} appears twice in one version")
        found[term.measure] = term
    return found


def measure_changes(
    before: Iterable[Term], after: Iterable[Term], order: Sequence[str] = ()
) -> tuple[MeasureChange, ...]:
    """Measures added, removed or changed (places or details) from `before` to `after`.

    Changes come in `order` (the display order of the measures); measures `order` does not
    name follow, in the order they first appear in `after` and then in `before`.
    A change of spacing alone in the details is no change.
    """
    old, new = _by_measure(before), _by_measure(after)
    sequence = list(dict.fromkeys([*order, *new, *old]))
    changes = []
    for measure in sequence:
        was, now = old.get(measure), new.get(measure)
        if was is None and now is not None:
            changes.append(MeasureChange(measure, ChangeKind.ADDED, after=now))
        elif was is not None and now is None:
            changes.append(MeasureChange(measure, ChangeKind.REMOVED, before=was))
        elif was is not None and now is not None and not was.same_as(now):
            changes.append(MeasureChange(measure, ChangeKind.CHANGED, before=was, after=now))
    return tuple(changes)


def version_changes(
    before: Iterable[Term],
    before_groups: Iterable[int],
    after: Iterable[Term],
    after_groups: Iterable[int],
    order: Sequence[str] = (),
) -> VersionChanges:
    """Measures and priority groups that changed between two versions of an agreement."""
    old_groups, new_groups = set(before_groups), set(after_groups)
    return VersionChanges(
        measures=measure_changes(before, after, order),
        groups_added=tuple(sorted(new_groups - old_groups)),
        groups_removed=tuple(sorted(old_groups - new_groups)),
    )


# Staff roles that see every district's accounts (read-only: no agreement route lets an
# admin change anything).
ALL_DISTRICTS_ROLES = frozenset({"admin"})


def may_see_account(
    role: str, staff_district_id: uuid.UUID | None, account_district_id: uuid.UUID
) -> bool:
    """Whether a staff member may see (and, if their role allows, act on) an account's
    agreement: staff work within their own district, admins see all of them."""
    if role in ALL_DISTRICTS_ROLES:
        return True
    return staff_district_id is not None and staff_district_id == account_district_id


#: How long an employer has to confirm a new version of its agreement before it is reminded.
CONFIRM_WITHIN_WORKING_DAYS = 5


def add_working_days(day: dt.date, count: int, nation: str) -> dt.date:
    """The working day `count` working days after `day` in `nation` (the call-back's clock:
    weekends and that nation's bank holidays do not count)."""
    for _ in range(count):
        day += dt.timedelta(days=1)
        while not is_working_day(day, nation):
            day += dt.timedelta(days=1)
    return day


def confirmation_chase_due(sent_on: dt.date, nation: str) -> dt.date:
    """The day an unconfirmed agreement sent on `sent_on` is chased: five working days on.

    Sent on a Friday in England, it is chased the next Friday. Sent on Christmas Eve 2026
    it is chased on 5 January 2027 in England but on 6 January in Scotland, where 4 January
    is a bank holiday too.
    """
    return add_working_days(sent_on, CONFIRM_WITHIN_WORKING_DAYS, nation)
