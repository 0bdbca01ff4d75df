"""Rules for employer accounts: postcodes, and who becomes an account's single point of contact."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass

# The shape of a UK postcode (outward code, optional space, inward code), as in the
# Royal Mail Programmers' Address File guide; BFPO and overseas territories excluded.
_POSTCODE = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?) ?([0-9][A-Z]{2})$")


def normalise_postcode(postcode: str) -> str | None:
    """`"ls1  4ap"` -> `"LS1 4AP"`; None when it is not the shape of a UK postcode."""
    compact = re.sub(r"\s+", "", postcode or "").upper()
    if len(compact) < 5 or len(compact) > 7:
        return None
    match = _POSTCODE.match(compact[:-3] + " " + compact[-3:])
    if not match:
        return None
    return f"{match.group(1)}{match.group(2)} {match.group(3)}"


def postcode_area(postcode: str) -> str | None:
    """The letters before the first digit: the area that decides the district."""
    normalised = normalise_postcode(postcode)
    if normalised is None:
        return None
    return re.match(r"[A-Z]+", normalised).group(0)  # type: ignore[union-attr]


@dataclass(frozen=True)
class ContactCandidate:
    staff_id: uuid.UUID
    role: str  # "dam" or "lmra"
    accounts: int  # how many employer accounts they are already the contact for
    name: str = ""


def choose_contact(size_band: str, candidates: list[ContactCandidate]) -> uuid.UUID | None:
    """The district staff member who becomes a new account's single point of contact.

    Large employers go to a District Account Manager, everyone else to the Labour Market
    Recruitment Adviser with the fewest accounts (DOMAIN.md: DAMs own the large accounts,
    LMRAs sign up mostly SMEs). If the district has nobody in the preferred role, the other
    role takes it, so that no employer is left without a named contact. Ties go to the name
    first in alphabetical order, then the id, so the choice is repeatable.
    """
    preferred, fallback = ("dam", "lmra") if size_band == "large" else ("lmra", "dam")
    for role in (preferred, fallback):
        pool = [c for c in candidates if c.role == role]
        if pool:
            return min(pool, key=lambda c: (c.accounts, c.name, str(c.staff_id))).staff_id
    return None


# --- the portfolio ---------------------------------------------------------------------------

# Days since the account's last logged contact, in the bands the portfolio filters by.
CONTACT_BANDS = ("within_30", "31_to_90", "over_90", "never")
NEXT_ACTION_STATES = ("overdue", "due", "none")
AGREEMENT_STATES = ("active", "ended", "none")


def contact_band(last_contact_on: dt.date | None, today: dt.date) -> str:
    """Which band of days since the last contact an account is in."""
    if last_contact_on is None:
        return "never"
    days = (today - last_contact_on).days
    if days <= 30:
        return "within_30"
    if days <= 90:
        return "31_to_90"
    return "over_90"


def next_action_state(next_due_on: dt.date | None, today: dt.date) -> str:
    """An account's earliest open next action: overdue before today, due from today on."""
    if next_due_on is None:
        return "none"
    return "overdue" if next_due_on < today else "due"


def round_robin(
    account_ids: list[uuid.UUID], colleague_ids: list[uuid.UUID]
) -> list[tuple[uuid.UUID, uuid.UUID]]:
    """Deal accounts out to colleagues in turn, so a leaver's portfolio is shared evenly."""
    if not colleague_ids:
        return []
    return [
        (account_id, colleague_ids[position % len(colleague_ids)])
        for position, account_id in enumerate(account_ids)
    ]


def quarter_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar quarter containing `day`: its first and last days."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = dt.date(day.year, first_month, 1)
    if first_month == 10:
        end = dt.date(day.year, 12, 31)
    else:
        end = dt.date(day.year, first_month + 3, 1) - dt.timedelta(days=1)
    return start, end


def may_be_head_office(size_band: str, branches: int) -> bool:
    """Whether an account may be chosen as a head office: a large employer, or one that is
    a national employer already (it has branches). A café is not a national employer's head
    office (DOMAIN.md: national employers with local branches)."""
    return size_band == "large" or branches > 0
