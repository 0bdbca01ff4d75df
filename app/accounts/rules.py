"""Rules for employer accounts: postcodes, and who becomes an account's single point of contact."""

from __future__ import annotations

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
