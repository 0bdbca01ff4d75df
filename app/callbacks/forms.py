"""Forms on the call screen: log a call attempt, and complete the call-back with a decision."""

from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from wtforms import DateField
from wtforms.validators import Length, Optional

from app.callbacks.models import AttemptResult, CallBackOutcome
from app.callbacks.rules import london_moment, parse_time_of_day
from app.forms import (
    DateInput,
    PortalForm,
    radio_input,
    required,
    submit_button,
    text_area,
    text_input,
)
from app.models_base import utcnow

ATTEMPT_LABELS = {
    AttemptResult.REACHED: _l("Reached the employer"),
    AttemptResult.NO_ANSWER: _l("No answer"),
    AttemptResult.VOICEMAIL: _l("Left a voicemail"),
    AttemptResult.CALL_LATER: _l("Asked to call back at a time"),
}

OUTCOME_LABELS = {
    CallBackOutcome.NEW_AGREEMENT: _l("A new verbal LEP agreement"),
    CallBackOutcome.EXISTING_CONFIRMED: _l("Their existing agreement confirmed"),
    CallBackOutcome.DECLINED: _l("Declined a LEP agreement"),
    CallBackOutcome.NOT_NOW: _l("Not now"),
}


class AttemptForm(PortalForm):
    """One call attempt; "asked to call back at a time" needs the date and time."""

    result = radio_input(
        _l("What happened when you called?"),
        [(result.value, label) for result, label in ATTEMPT_LABELS.items()],
        required(_l("Select what happened when you called")),
    )
    call_back_on = DateField(
        _l("Date to call back"),
        validators=[Optional()],
        widget=DateInput(),
        format="%d %m %Y",
        description=_l("For example, 23 11 2026"),
    )
    call_back_time = text_input(
        _l("Time to call back"),
        Length(max=20, message=_l("Enter the time to call back, like 2:30pm or 14:30")),
        description=_l("For example, 2:30pm or 14:30"),
    )
    note = text_area(
        _l("Note (optional)"),
        Length(max=1000, message=_l("Keep the note to 1000 characters or fewer")),
    )
    submit = submit_button(_l("Log this attempt"))

    def __init__(self, *args, now: dt.datetime | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.now = now or utcnow()
        #: The instant to call back (UTC), set by `validate` for "asked to call back".
        self.call_back_at: dt.datetime | None = None

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        day, at = self.call_back_on, self.call_back_time
        if self.result.data != AttemptResult.CALL_LATER.value:
            # The date and time are asked only for "call back at a time"; ignore them else.
            day.errors, at.errors = [], []
            return not self.errors
        if day.errors:
            day.errors = [_l("Enter a real date to call back, like 23 11 2026")]
        elif day.data is None:
            day.errors = [_l("Enter the date to call back, like 23 11 2026")]
        moment = parse_time_of_day(at.data)
        if not at.errors and moment is None:
            at.errors = [
                _l("Enter the time to call back, like 2:30pm or 14:30")
                if at.data
                else _l("Enter the time to call back")
            ]
        if not day.errors and not at.errors:
            when = london_moment(day.data, moment).astimezone(dt.UTC)
            if when <= self.now:
                day.errors = [_l("The time to call back must be in the future")]
            else:
                self.call_back_at = when
        return not self.errors


class CompleteForm(PortalForm):
    """The LEP decision; "existing agreement confirmed" only when the employer has one."""

    decision = radio_input(
        _l("What did the employer decide about a LEP agreement?"),
        [],
        required(_l("Select what the employer decided about a LEP agreement")),
    )
    notes = text_area(
        _l("Notes (optional)"),
        Length(max=2000, message=_l("Keep the notes to 2000 characters or fewer")),
        description=_l("Anything the next person to call this employer should know."),
    )
    submit = submit_button(_l("Complete the call-back"))

    def __init__(self, *args, has_agreement: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.decision.choices = [
            (outcome.value, label)
            for outcome, label in OUTCOME_LABELS.items()
            if has_agreement or outcome is not CallBackOutcome.EXISTING_CONFIRMED
        ]

    @property
    def outcome(self) -> CallBackOutcome | None:
        try:
            return CallBackOutcome(self.decision.data)
        except ValueError:
            return None


class ErrorSummary:
    """Several forms posted together, seen by the layout's error summary as one form.

    Fields are keyed by their ids (prefixed, so unique) and the summary links to them.
    """

    def __init__(self, *forms) -> None:
        self.forms = forms

    @property
    def _fields(self) -> dict:
        return {field.id: field for form in self.forms for field in form}

    @property
    def errors(self) -> dict:
        return {field.id: field.errors for form in self.forms for field in form if field.errors}
