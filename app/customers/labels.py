"""Plain-English words for customers' benefits, readiness and audit entries."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.customers.models import Readiness
from app.customers.rules import BENEFIT_LABELS as _BENEFIT_LABELS

NO_BENEFIT = "none"

BENEFIT_LABELS: dict[str, object] = {**_BENEFIT_LABELS, NO_BENEFIT: _l("Not claiming benefits")}

READINESS_LABELS: dict[str, object] = {
    Readiness.GREEN.value: _l("Green: ready for work"),
    Readiness.AMBER.value: _l("Amber: needs some help first"),
    Readiness.RED.value: _l("Red: not ready for LEP vacancies yet"),
}

# What each readiness means, for the radios' hints.
READINESS_HINTS: dict[str, object] = {
    Readiness.GREEN.value: _l("Job-ready: can be matched to LEP vacancies"),
    Readiness.AMBER.value: _l("Needs some preparation or training before matching"),
    Readiness.RED.value: _l("Furthest from work: not for LEP matching yet"),
}

# GOV.UK tag colours; the tag's words always say the readiness too, never colour alone.
READINESS_TAG_CLASSES: dict[str, str] = {
    Readiness.GREEN.value: "govuk-tag--green",
    Readiness.AMBER.value: "govuk-tag--orange",
    Readiness.RED.value: "govuk-tag--red",
}

CONSENT_LABELS: dict[bool, object] = {
    True: _l("Consent given"),
    False: _l("No consent"),
}

# Audit actions written by this area; other areas add their own (shown as written).
CREATED = "created"
CHANGED = "changed"
CONSENT_GIVEN = "consent given"
CONSENT_WITHDRAWN = "consent withdrawn"
READINESS_CHANGED = "readiness changed"
VIEWED = "viewed"

ACTION_LABELS: dict[str, object] = {
    CREATED: _l("Record created"),
    CHANGED: _l("Details changed"),
    CONSENT_GIVEN: _l("Consent given"),
    CONSENT_WITHDRAWN: _l("Consent withdrawn"),
    READINESS_CHANGED: _l("Readiness set"),
    VIEWED: _l("Viewed details"),
}

# The names of personal-data fields, as an audit entry's detail lists them.
FIELD_LABELS: dict[str, object] = {
    "reference": _l("Reference number"),
    "first_name": _l("First name"),
    "last_name": _l("Last name"),
    "email": _l("Email address"),
    "phone": _l("Phone number"),
    "date_of_birth": _l("Date of birth"),
    "postcode": _l("Home postcode"),
    "disadvantaged_ward": _l("Disadvantaged ward"),
    "benefit": _l("Benefit"),
    "claim_start": _l("Claim start date"),
    "lone_parent": _l("Lone parent"),
    "disabled": _l("Disability"),
    "nddp_eligible": _l("New Deal for Disabled People eligibility"),
    "employed": _l("In work"),
    "under_redundancy_notice": _l("Notice of redundancy"),
    "other_disadvantage": _l("Other disadvantage"),
    "goal_sectors": _l("Sectors"),
    "goal_occupations": _l("Occupations"),
    "min_hours": _l("Minimum hours"),
    "max_hours": _l("Maximum hours"),
    "travel_miles": _l("Travel distance"),
    "experience": _l("Experience"),
    "skills": _l("Skills"),
    "availability": _l("Availability"),
    "readiness": _l("Readiness"),
    "adviser_id": _l("Adviser"),
    "office_id": _l("Office"),
}


def audit_detail(detail: str) -> str:
    """An audit entry's detail for reading: field names become their labels."""
    names = [name.strip() for name in detail.split(",")] if detail else []
    if names and all(name in FIELD_LABELS for name in names):
        return ", ".join(str(FIELD_LABELS[name]) for name in names)
    return detail
