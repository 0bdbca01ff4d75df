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

# Audit actions. Each is stored as written here and shown through ACTION_LABELS, so the
# audit page and its CSV say in words what happened, never a code.
CREATED = "created"
CHANGED = "changed"
CONSENT_GIVEN = "consent given"
CONSENT_WITHDRAWN = "consent withdrawn"
READINESS_CHANGED = "readiness changed"
VIEWED = "viewed"
# Staff looks at personal data (reference, date of birth, benefit, disability...).
VIEWED_RECORD = "viewed_record"
OPENED_TO_CHANGE = "viewed_to_change"
VIEWED_IN_LIST = "viewed_in_list"
VIEWED_IN_SUGGESTIONS = "viewed_in_suggestions"
VIEWED_IN_ACCOUNT = "viewed_in_account"
VIEWED_OUTCOME = "viewed_outcome"
VIEWED_FOR_COURSE = "viewed_for_course"
DOWNLOADED_AUDIT = "downloaded_audit"
# Employer looks: a head office at its branch's candidates (the others are written by
# app.referrals.services and app.pet.trainees.services, named the same).
VIEWED_BRANCH_CANDIDATES = "viewed_branch_candidates"
REFERRED = "referred"
VIEWED_CANDIDATE = "viewed_candidate"
REFERRED_TO_COURSE = "referred_to_course"
VIEWED_TRAINEE = "viewed_trainee"
VIEWED_GUARANTEES = "viewed_guarantees"
# Staff deciding a recruitment subsidy claim (app.vouchers).
VIEWED_VOUCHER_CLAIM = "viewed_voucher_claim"
VIEWED_IN_VOUCHER_CLAIMS = "viewed_in_voucher_claims"

ACTION_LABELS: dict[str, object] = {
    CREATED: _l("Record created"),
    CHANGED: _l("Details changed"),
    CONSENT_GIVEN: _l("Consent given"),
    CONSENT_WITHDRAWN: _l("Consent withdrawn"),
    READINESS_CHANGED: _l("Readiness set"),
    VIEWED: _l("Viewed details"),
    VIEWED_RECORD: _l("Opened the customer record"),
    OPENED_TO_CHANGE: _l("Opened the customer record to change it"),
    VIEWED_IN_LIST: _l("Saw them in the list of customers"),
    VIEWED_IN_SUGGESTIONS: _l("Saw them among the customers suggested for a vacancy"),
    VIEWED_IN_ACCOUNT: _l("Saw them among an employer account’s referrals"),
    VIEWED_OUTCOME: _l("Opened a job outcome of theirs"),
    VIEWED_FOR_COURSE: _l("Saw them among the customers who could be referred to a course"),
    DOWNLOADED_AUDIT: _l("Downloaded this record’s audit trail"),
    VIEWED_GUARANTEES: _l("Saw them among an employer’s guaranteed interviews"),
    VIEWED_VOUCHER_CLAIM: _l("Opened a recruitment subsidy claim for their job"),
    VIEWED_IN_VOUCHER_CLAIMS: _l("Saw them among recruitment subsidy claims to approve"),
    VIEWED_BRANCH_CANDIDATES: _l("Employer’s head office saw them among a branch’s candidates"),
    REFERRED: _l("Referred to an employer’s vacancy: the employer can see their details"),
    VIEWED_CANDIDATE: _l("Employer opened their candidate details"),
    REFERRED_TO_COURSE: _l("Referred to a training course: the provider can see their details"),
    VIEWED_TRAINEE: _l("Saw their details as a trainee on a training course"),
}


def action_label(action: str) -> str:
    """An audit action in words; an action nobody has named yet is shown as a sentence
    rather than as a code (a test keeps every action the code writes named)."""
    label = ACTION_LABELS.get(action)
    return str(label) if label is not None else action.replace("_", " ").capitalize()


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
