"""The words for an outcome's validation status, for staff and for the employer."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.customers.rules import PRIORITY_GROUP_LABELS, RECRUITMENT_SUBSIDY_POUNDS
from app.outcomes.models import ValidationStatus

STATUS_LABELS = {
    ValidationStatus.VALIDATED: _l("Validated"),
    ValidationStatus.AWAITING_EMPLOYER: _l("Waiting for the employer to confirm"),
    ValidationStatus.DISPUTED: _l("Disputed by the employer"),
    ValidationStatus.REJECTED: _l("Rejected"),
}

EMPLOYER_STATUS_LABELS = {
    ValidationStatus.VALIDATED: _l("Confirmed"),
    ValidationStatus.AWAITING_EMPLOYER: _l("Waiting for you to confirm"),
    ValidationStatus.DISPUTED: _l("You said something is wrong"),
    ValidationStatus.REJECTED: _l("Not counted"),
}

STATUS_TAG_CLASSES = {
    ValidationStatus.VALIDATED: "govuk-tag--green",
    ValidationStatus.AWAITING_EMPLOYER: "govuk-tag--yellow",
    ValidationStatus.DISPUTED: "govuk-tag--orange",
    ValidationStatus.REJECTED: "govuk-tag--red",
}


def template_context() -> dict:
    """What every outcome template may use."""
    return {
        "status_labels": STATUS_LABELS,
        "employer_status_labels": EMPLOYER_STATUS_LABELS,
        "status_tag_classes": STATUS_TAG_CLASSES,
        "priority_group_labels": PRIORITY_GROUP_LABELS,
        "subsidy_pounds": RECRUITMENT_SUBSIDY_POUNDS,
    }
