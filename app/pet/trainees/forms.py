"""Forms for trainees on PET courses: referring a customer, the provider's steps, attendance,
and the employer's interviews and hires."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectMultipleField, ValidationError
from wtforms.validators import Length

from app.callbacks.rules import london_moment, parse_time_of_day
from app.forms import (
    PortalForm,
    date_input,
    radio_input,
    require_reason,
    required,
    submit_button,
    text_area,
    text_input,
)
from app.outcomes.forms import StartForm as JobStartForm
from app.pet.trainees import rules

REASON_LENGTH = 500

# GOV.UK tag colours; the words always say the status too, never colour alone.
STATUS_TAG_CLASSES = {
    rules.REFERRED: "govuk-tag--yellow",
    rules.ACCEPTED: "govuk-tag--blue",
    rules.DECLINED: "govuk-tag--grey",
    rules.STARTED: "govuk-tag--light-blue",
    rules.LEFT: "govuk-tag--orange",
    rules.COMPLETED: "govuk-tag--green",
}


def _date_ok(field, missing, real) -> bool:
    """Plain-English errors for a GOV.UK date input; True when it holds a real date."""
    parts = [part.strip() for part in (field.raw_data or [])]
    field.errors = []
    if not any(parts):
        field.errors = [missing]
    elif len(parts) != 3 or not all(parts) or field.data is None or len(parts[2]) != 4:
        field.errors = [real]
    return not field.errors


def decimal_or_none(text: str | None, places: int) -> Decimal | None:
    """A number as people type it (``37.5``, ``£12.50``, ``1,000``), or None."""
    cleaned = (text or "").replace(",", "").removeprefix("£").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value.as_tuple().exponent < -places:
        return None
    return value


class _DateForm(PortalForm):
    """A form whose one date is checked by `_date_ok` with its own messages."""

    date_field = ""
    messages: tuple = ()

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        _date_ok(self[self.date_field], *self.messages)
        return not self.errors


# --- staff: referring a customer --------------------------------------------------------------


class ReferTraineeForm(PortalForm):
    # Choices come from the page's list; an id that is not there is answered by the refusal.
    customer_id = RadioField(_l("Who are you referring?"), choices=[], validate_choice=False)
    owning_provider = text_input(
        _l("Owning provider"),
        required(_l("Enter the customer’s owning provider")),
        Length(max=200, message=_l("Owning provider must be 200 characters or fewer")),
        description=_l(
            "Who the customer is with now, for example Jobcentre Plus or their New Deal "
            "provider. The training provider sends the completed referral back to them."
        ),
    )
    submit = submit_button(_l("Send the referral"))

    def validate_customer_id(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Select the customer you are referring"))
        try:
            uuid.UUID(field.data)
        except ValueError:
            raise ValidationError(_l("Select the customer you are referring")) from None

    @property
    def chosen_id(self) -> uuid.UUID:
        return uuid.UUID(self.customer_id.data)


class JsaExceptionForm(PortalForm):
    reference = text_input(
        _l("Customer reference"),
        required(_l("Enter the customer reference")),
        Length(max=20, message=_l("A customer reference is 20 characters or fewer")),
    )
    reason = text_area(
        _l("Why may they do this course?"),
        required(_l("Enter the reason for the exception")),
        Length(max=1000, message=_l("Keep the reason to 1000 characters or fewer")),
        description=_l("For example, the full-time weeks fall before their claim starts."),
    )
    submit = submit_button(_l("Record the exception"))


# --- the provider's steps ---------------------------------------------------------------------

ACCEPT = "accept"
DECLINE = "decline"


class DecisionForm(PortalForm):
    decision = radio_input(
        _l("Can you take this customer on the course?"),
        [(ACCEPT, _l("Yes, accept the referral")), (DECLINE, _l("No, decline it"))],
        required(_l("Select whether you accept or decline the referral")),
    )
    decline_reason = text_area(
        _l("Reason for declining"),
        Length(
            max=REASON_LENGTH,
            message=_l("The reason for declining must be 500 characters or fewer"),
        ),
        description=_l("Required if you decline. The referring adviser and the TPPM see it."),
    )
    submit = submit_button(_l("Send the decision"))

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        require_reason(
            self.decision,
            DECLINE,
            self.decline_reason,
            _l("Enter the reason for declining the referral"),
        )
        return not self.errors


class StartForm(_DateForm):
    started_on = date_input(
        _l("When did they start the course?"), description=_l("For example, 27 3 2026")
    )
    submit = submit_button(_l("Record the start"))
    date_field = "started_on"
    messages = (
        _l("Enter the date they started the course"),
        _l("The start date must be a real date, like 27 3 2026"),
    )


class LeaverForm(_DateForm):
    left_on = date_input(
        _l("When did they leave the course?"), description=_l("For example, 27 3 2026")
    )
    leave_reason = text_area(
        _l("Reason for leaving"),
        required(_l("Enter the reason they left the course")),
        Length(
            max=REASON_LENGTH, message=_l("The reason for leaving must be 500 characters or fewer")
        ),
        description=_l("For example, found a job, ill health, or stopped attending."),
    )
    submit = submit_button(_l("Record that they left"))
    date_field = "left_on"
    messages = (
        _l("Enter the date they left the course"),
        _l("The date they left must be a real date, like 27 3 2026"),
    )


class CompletionForm(_DateForm):
    completed_on = date_input(
        _l("When did they complete the course?"), description=_l("For example, 27 3 2026")
    )
    submit = submit_button(_l("Record the completion"))
    date_field = "completed_on"
    messages = (
        _l("Enter the date they completed the course"),
        _l("The completion date must be a real date, like 27 3 2026"),
    )


class ReturnedForm(PortalForm):
    submit = submit_button(_l("Mark as returned to their original provider or benefit regime"))


class AttendanceForm(PortalForm):
    week = HiddenField()
    hours = text_input(
        _l("Hours attended"),
        required(_l("Enter the hours attended, like 28.5")),
        Length(max=6, message=_l("Enter the hours attended, like 28.5")),
    )
    submit = submit_button(_l("Save"))

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        self.hours_attended = None
        if not self.hours.errors:
            self.hours_attended = decimal_or_none(self.hours.data, 1)
            if self.hours_attended is None:
                self.hours.errors = [
                    _l("Hours attended must be a number with at most one decimal place, like 28.5")
                ]
        return not self.errors

    @property
    def week_number(self) -> int | None:
        try:
            return int(self.week.data)
        except (TypeError, ValueError):
            return None


# --- the employer: interviews and hires -------------------------------------------------------


class InterviewsForm(PortalForm):
    # Choices come from the cohort; an id that is not there is refused by the service.
    trainee_ids = SelectMultipleField(_l("Who will you interview?"), choices=[])
    day = date_input(_l("Date of the interviews"), description=_l("For example, 27 3 2026"))
    time = text_input(
        _l("Time"),
        Length(max=20, message=_l("Enter the time like 10am or 14:30")),
        description=_l("For example, 10am, 2:30pm or 14:30"),
    )
    submit = submit_button(_l("Book the interviews"))

    def __init__(self, *args, now: dt.datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        #: The start of the interviews (aware), set by `validate`.
        self.starts_at: dt.datetime | None = None
        #: The trainees chosen, set by `validate`.
        self.chosen: list[uuid.UUID] = []

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        self.trainee_ids.errors = []
        try:
            self.chosen = [uuid.UUID(value) for value in self.trainee_ids.data or []]
        except ValueError:
            self.chosen = []
        if not self.chosen:
            self.trainee_ids.errors = [_l("Select at least one person to interview")]
        real_day = _date_ok(
            self.day,
            _l("Enter the date of the interviews"),
            _l("The date of the interviews must be a real date, like 27 3 2026"),
        )
        at = parse_time_of_day(self.time.data)
        if not self.time.errors and at is None:
            self.time.errors = [
                _l("Enter the time like 10am or 14:30")
                if self.time.data
                else _l("Enter the time of the interviews")
            ]
        if real_day and at is not None:
            starts_at = london_moment(self.day.data, at).astimezone(dt.UTC)
            if starts_at <= self.now:
                self.day.errors = [_l("The interviews must be in the future")]
            else:
                self.starts_at = starts_at
        return not self.errors


class HireForm(JobStartForm):
    """Hiring from a cohort records a job start: the same questions and checks as any start."""
