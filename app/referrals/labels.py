"""Plain-English words for referral statuses, the employer's actions and suitability ratings."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.referrals import rules
from app.referrals.models import NotSelectedReason, Suitability

STATUS_LABELS: dict[str, object] = {
    rules.REFERRED: _l("Referred"),
    rules.SHORTLISTED: _l("Shortlisted"),
    rules.INTERVIEW_ARRANGED: _l("Interview arranged"),
    rules.WORK_TRIAL: _l("Work trial"),
    rules.OFFERED: _l("Offered the job"),
    rules.STARTED: _l("Started"),
    rules.NOT_SELECTED: _l("Not selected"),
    rules.WITHDRAWN: _l("Withdrew"),
}

# GOV.UK tag colours; the words always say the status too, never colour alone.
STATUS_TAG_CLASSES: dict[str, str] = {
    rules.REFERRED: "govuk-tag--blue",
    rules.SHORTLISTED: "govuk-tag--light-blue",
    rules.INTERVIEW_ARRANGED: "govuk-tag--purple",
    rules.WORK_TRIAL: "govuk-tag--turquoise",
    rules.OFFERED: "govuk-tag--yellow",
    rules.STARTED: "govuk-tag--green",
    rules.NOT_SELECTED: "govuk-tag--grey",
    rules.WITHDRAWN: "govuk-tag--grey",
}

# What the employer does next, for a referral at each open status.
NEXT_STEPS: dict[str, object] = {
    rules.REFERRED: _l("Decide whether to shortlist, interview or offer a work trial"),
    rules.SHORTLISTED: _l("Arrange an interview or a work trial"),
    rules.INTERVIEW_ARRANGED: _l("Interview, then decide"),
    rules.WORK_TRIAL: _l("Work trial, then decide"),
    rules.OFFERED: _l("Record the start when they begin"),
}

# The employer's actions: the status each one moves to.
SHORTLIST = "shortlist"
INTERVIEW = "interview"
WORK_TRIAL = "work_trial"
OFFER = "offer"
START = "start"
NOT_SELECTED = "not_selected"
WITHDRAW = "withdraw"

ACTION_STATUS: dict[str, str] = {
    SHORTLIST: rules.SHORTLISTED,
    INTERVIEW: rules.INTERVIEW_ARRANGED,
    WORK_TRIAL: rules.WORK_TRIAL,
    OFFER: rules.OFFERED,
    START: rules.STARTED,
    NOT_SELECTED: rules.NOT_SELECTED,
    WITHDRAW: rules.WITHDRAWN,
}

DONE_MESSAGES: dict[str, object] = {
    SHORTLIST: _l("Shortlisted."),
    INTERVIEW: _l("Interview arranged. You and their adviser have been sent the invitation."),
    WORK_TRIAL: _l("Work trial recorded."),
    OFFER: _l("Job offer recorded."),
    START: _l("Start recorded. Thank you: this counts as a job outcome."),
    NOT_SELECTED: _l("Recorded as not selected."),
    WITHDRAW: _l("Recorded that the candidate withdrew."),
}

# In the order the employer is offered them; OTHER last. Keyed by the stored value.
NOT_SELECTED_REASONS: dict[str, object] = {
    NotSelectedReason.DID_NOT_ATTEND.value: _l("Did not attend"),
    NotSelectedReason.LACKED_SKILL.value: _l("Lacked a skill the job needs"),
    NotSelectedReason.LACKED_EXPERIENCE.value: _l("Lacked experience"),
    NotSelectedReason.BETTER_MATCH.value: _l("A better-matched candidate was chosen"),
    NotSelectedReason.CANDIDATE_WITHDREW.value: _l("The candidate withdrew"),
    NotSelectedReason.VACANCY_CLOSED.value: _l("The vacancy was filled or withdrawn"),
    NotSelectedReason.OTHER.value: _l("Another reason"),
}

SUITABILITY_LABELS: dict[int, object] = {
    Suitability.NOT_SUITABLE: _l("Not suitable"),
    Suitability.PARTLY_SUITABLE: _l("Partly suitable"),
    Suitability.SUITABLE: _l("Suitable"),
    Suitability.VERY_SUITABLE: _l("Very suitable"),
}

SUITABILITY_HINTS: dict[int, object] = {
    Suitability.NOT_SUITABLE: _l("Did not match what the vacancy needs"),
    Suitability.PARTLY_SUITABLE: _l("Matched some of what the vacancy needs"),
    Suitability.SUITABLE: _l("Matched what the vacancy needs"),
    Suitability.VERY_SUITABLE: _l("A strong match: we would like more referrals like this"),
}
