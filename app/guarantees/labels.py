"""The words for guarantees' reasons, states and sources."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.guarantees.rules import NotOfferedReason, Source, State

NOT_OFFERED_REASONS = {
    NotOfferedReason.FILLED_BEFORE_REFERRAL.value: _l("The vacancy was filled before the referral"),
    NotOfferedReason.CANDIDATE_WITHDREW.value: _l("The candidate withdrew"),
    NotOfferedReason.ESSENTIAL_REQUIREMENT.value: _l(
        "The candidate did not meet an essential requirement stated in the vacancy"
    ),
    NotOfferedReason.OTHER.value: _l("Another reason"),
}

STATE_LABELS = {
    State.KEPT.value: _l("Kept"),
    State.DUE.value: _l("Due"),
    State.OVERDUE.value: _l("Overdue"),
    State.NOT_OFFERED.value: _l("Not offered"),
}

#: GOV.UK tag colours for each state.
STATE_TAGS = {
    State.KEPT.value: "govuk-tag--green",
    State.DUE.value: "govuk-tag--blue",
    State.OVERDUE.value: "govuk-tag--red",
    State.NOT_OFFERED.value: "govuk-tag--grey",
}

SOURCE_LABELS = {
    Source.REFERRAL.value: _l("Referral to a vacancy"),
    Source.PET.value: _l("Completed pre-employment training"),
}
