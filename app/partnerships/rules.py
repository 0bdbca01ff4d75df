"""Pure rules of the LEP Partnership Agreement: plain values in and out, no database.

- A provider's agreement covers the districts whose partnership it has accepted; without one
  it sees no vacancies and keeps no agreements or customers (only the offer page is open).
- An employer a provider agrees with must be in a covered district; an employer that already
  has a single point of contact keeps that one person: the SPOC is told, the provider is not
  made a second contact.
- A placement through a Jobcentre Plus LEP vacancy counts in MI as a Jobcentre Plus outcome;
  one through the provider's own agreement, as a provider outcome. An own-agreement
  placement counts only from the day the agreement was made.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Set
from typing import Final, Literal

OFFERED: Final = "offered"
ACCEPTED: Final = "accepted"

#: An outcome's source (the values of `app.outcomes.models.OutcomeSource`).
JOBCENTRE_PLUS: Final = "jobcentre_plus"
PROVIDER: Final = "provider"

#: The parts of the portal a partnered provider uses; "partnership" (the offer and the
#: subcontractors) is open to every provider, the rest only under an accepted agreement.
SECTIONS: Final = ("partnership", "employer_agreements", "vacancies", "customers", "placements")
OPEN_WITHOUT_AGREEMENT: Final = frozenset({"partnership"})

MOST_SUBCONTRACTOR_NAME: Final = 200

#: How a placement names where the job is: "vacancy:<referral id>" or "agreement:<id>".
PLACEMENT_KINDS: Final = ("vacancy", "agreement")


def may_accept(status: str) -> bool:
    """Only an offer still waiting can be accepted (accepting twice records nothing new)."""
    return status == OFFERED


def covered_districts(partnerships: Iterable[tuple[str, uuid.UUID]]) -> frozenset[uuid.UUID]:
    """The districts of the accepted ones among (status, district id) pairs."""
    return frozenset(district for status, district in partnerships if status == ACCEPTED)


def may_open(section: str, covered: Set[uuid.UUID]) -> bool:
    """Whether a provider whose accepted agreements cover `covered` may use `section`."""
    if section not in SECTIONS:
        raise ValueError(f"unknown section {section!r}")
    return section in OPEN_WITHOUT_AGREEMENT or bool(covered)


def employer_covered(employer_district: uuid.UUID | None, covered: Set[uuid.UUID]) -> bool:
    return employer_district is not None and employer_district in covered


def tell_spoc(contact_id: uuid.UUID | None, contact_active: bool) -> bool:
    """Whether the employer's single point of contact is emailed about a provider's
    agreement: only when it has one who can still read email."""
    return contact_id is not None and contact_active


def placement_source(through_vacancy: bool) -> str:
    return JOBCENTRE_PLUS if through_vacancy else PROVIDER


def agreement_covers_start(agreed_on: dt.date, start_date: dt.date) -> bool:
    """A job counts under the provider's own agreement only if it started on or after the
    day the agreement was made."""
    return start_date >= agreed_on


def normalised_name(name: str) -> str:
    return " ".join((name or "").split())


def subcontractor_name_problem(
    name: str, existing: Iterable[str]
) -> Literal["empty", "too_long", "duplicate"] | None:
    """Why a subcontractor's name cannot be added, or None: blank, too long, or already
    on the list (ignoring case and spacing)."""
    cleaned = normalised_name(name)
    if not cleaned:
        return "empty"
    if len(cleaned) > MOST_SUBCONTRACTOR_NAME:
        return "too_long"
    if cleaned.casefold() in {normalised_name(other).casefold() for other in existing}:
        return "duplicate"
    return None


def parse_placement(value: str) -> tuple[str, uuid.UUID] | None:
    """("vacancy" | "agreement", id) from a placement choice; None for anything else."""
    kind, _, raw = (value or "").partition(":")
    if kind not in PLACEMENT_KINDS:
        return None
    try:
        return kind, uuid.UUID(raw)
    except ValueError:
        return None
