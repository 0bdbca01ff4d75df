"""Plain-English words for pre-employment training values, for pages and emails.

Shared by course design and delivery plans (`courses/`) and trainees (`trainees/`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.pet.courses.rules import FUNDING_ROUTE_LABELS
from app.pet.models import (
    CostPayer,
    CourseEmployerStatus,
    CourseModel,
    CourseStatus,
    FollowOn,
    ModuleKind,
    TraineeStatus,
    Venue,
)

COURSE_MODEL_LABELS: dict[str, object] = {
    CourseModel.BESPOKE.value: _l("Bespoke course for one employer"),
    CourseModel.SECTOR.value: _l("Sector course for several employers"),
}

COURSE_MODEL_HINTS: dict[str, object] = {
    CourseModel.BESPOKE.value: _l("Usually a large employer with several vacancies"),
    CourseModel.SECTOR.value: _l(
        "Small and medium-sized employers of one sector join it, each offering guaranteed "
        "interviews"
    ),
}

COURSE_STATUS_LABELS: dict[str, object] = {
    CourseStatus.DESIGN.value: _l("Being designed"),
    CourseStatus.AGREED.value: _l("Agreed"),
    CourseStatus.RUNNING.value: _l("Running"),
    CourseStatus.FINISHED.value: _l("Finished"),
    CourseStatus.CANCELLED.value: _l("Cancelled"),
}

# GOV.UK tag colours for each status.
COURSE_STATUS_TAGS: dict[str, str] = {
    CourseStatus.DESIGN.value: "govuk-tag--blue",
    CourseStatus.AGREED.value: "govuk-tag--green",
    CourseStatus.RUNNING.value: "govuk-tag--turquoise",
    CourseStatus.FINISHED.value: "govuk-tag--grey",
    CourseStatus.CANCELLED.value: "govuk-tag--red",
}

COURSE_EMPLOYER_STATUS_LABELS: dict[str, object] = {
    CourseEmployerStatus.INVITED.value: _l("Invited"),
    CourseEmployerStatus.JOINED.value: _l("Joined"),
    CourseEmployerStatus.DECLINED.value: _l("Declined"),
}

COURSE_EMPLOYER_STATUS_TAGS: dict[str, str] = {
    CourseEmployerStatus.INVITED.value: "govuk-tag--yellow",
    CourseEmployerStatus.JOINED.value: "govuk-tag--green",
    CourseEmployerStatus.DECLINED.value: "govuk-tag--grey",
}

VENUE_LABELS: dict[str, object] = {
    Venue.PROVIDER.value: _l("The training provider's premises"),
    Venue.EMPLOYER.value: _l("The employer's premises"),
}

FOLLOW_ON_LABELS: dict[str, object] = {
    FollowOn.GUARANTEED_INTERVIEW.value: _l("A guaranteed interview"),
    FollowOn.WORK_TRIAL.value: _l("A work trial"),
    FollowOn.BOTH.value: _l("A guaranteed interview and a work trial"),
}

COST_PAYER_LABELS: dict[str, object] = {
    CostPayer.DELIVERING_PROVIDER.value: _l("The provider delivering the course"),
    CostPayer.OWNING_PROVIDER.value: _l("The customer's own provider"),
    CostPayer.JOBCENTRE_PLUS.value: _l("Jobcentre Plus"),
}

MODULE_KIND_LABELS: dict[str, object] = {
    ModuleKind.SECTOR.value: _l("Sector routeway"),
    ModuleKind.JOB_SEARCH.value: _l("Job search"),
    ModuleKind.INDUCTION.value: _l("Workplace induction"),
    ModuleKind.SKILLS.value: _l("Skills"),
    ModuleKind.EMPLOYER_SPECIFIC.value: _l("Employer-specific"),
    ModuleKind.WORK_TRIAL.value: _l("Work trial"),
}

# The four parties at a delivery plan meeting (seed 002, "Delivery plan meeting").
EMPLOYER_PARTY = "employer"
DISTRICT_PARTY = "district"
PROVIDER_PARTY = "provider"
COMMISSIONING_PARTY = "commissioning"

ATTENDEE_PARTY_LABELS: dict[str, object] = {
    EMPLOYER_PARTY: _l("Employer"),
    DISTRICT_PARTY: _l("Jobcentre Plus district"),
    PROVIDER_PARTY: _l("Training provider"),
    COMMISSIONING_PARTY: _l("Commissioning team"),
}

TRAINEE_STATUS_LABELS: dict[str, object] = {
    TraineeStatus.REFERRED.value: _l("Referred"),
    TraineeStatus.ACCEPTED.value: _l("Accepted"),
    TraineeStatus.DECLINED.value: _l("Declined"),
    TraineeStatus.STARTED.value: _l("Started"),
    TraineeStatus.LEFT.value: _l("Left early"),
    TraineeStatus.COMPLETED.value: _l("Completed"),
}

__all__ = [
    "ATTENDEE_PARTY_LABELS",
    "COMMISSIONING_PARTY",
    "COST_PAYER_LABELS",
    "COURSE_EMPLOYER_STATUS_LABELS",
    "COURSE_EMPLOYER_STATUS_TAGS",
    "COURSE_MODEL_HINTS",
    "COURSE_MODEL_LABELS",
    "COURSE_STATUS_LABELS",
    "COURSE_STATUS_TAGS",
    "DISTRICT_PARTY",
    "EMPLOYER_PARTY",
    "FOLLOW_ON_LABELS",
    "FUNDING_ROUTE_LABELS",
    "MODULE_KIND_LABELS",
    "PROVIDER_PARTY",
    "TRAINEE_STATUS_LABELS",
    "VENUE_LABELS",
]
