"""Forms for job outcomes: recording a start, confirming it, deciding it, and sustainment."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length

from app.forms import (
    PortalForm,
    checkboxes,
    date_input,
    radio_input,
    rejection_reason,
    require_reason,
    required,
    submit_button,
    text_area,
    text_input,
)

REASON_LENGTH = 500

START_DATE_MESSAGES = {
    "missing": _l("Enter the date the person started work"),
    "day": _l("The start date must include a day"),
    "month": _l("The start date must include a month"),
    "year": _l("The start date must include a year"),
    "real": _l("The start date must be a real date"),
}


def _decimal(text: str | None, places: int) -> Decimal | None:
    """A number as people type it (``37.5``, ``£12.50``, ``1,000``), or None."""
    cleaned = (text or "").replace(",", "").removeprefix("£").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or value.as_tuple().exponent < -places:
        return None
    return value


class StartForm(PortalForm):
    """A start staff record on the employer's word; the employer then confirms it."""

    start_date = date_input(
        _l("When did they start work?"), description=_l("For example, 27 3 2026")
    )
    hours_per_week = text_input(
        _l("Hours a week"),
        required(_l("Enter the hours a week, like 37.5")),
        Length(max=10, message=_l("Enter the hours a week, like 37.5")),
    )
    hourly_pay = text_input(
        _l("Pay per hour"),
        required(_l("Enter the pay per hour, like 12.71")),
        Length(max=14, message=_l("Enter the pay per hour, like 12.71")),
        description=_l("Before tax. It must be at least the National Minimum Wage for their age."),
    )
    submit = submit_button(_l("Record the start"))

    def validate(self, extra_validators=None) -> bool:
        field = self.start_date
        if field.raw_data is not None and len(field.raw_data) != 3:
            # The GOV.UK date widget needs day, month and year; a hand-made request may not.
            field.raw_data, field.data, field.process_errors = ["", "", ""], None, []
        super().validate(extra_validators)
        problem = _start_date_problem(field)
        field.errors = [problem] if problem else []
        self.hours = self.pay = None
        if not self.hours_per_week.errors:
            self.hours = _decimal(self.hours_per_week.data, 2)
            if self.hours is None:
                self.hours_per_week.errors = [_l("Hours a week must be a number, like 37.5")]
        if not self.hourly_pay.errors:
            self.pay = _decimal(self.hourly_pay.data, 2)
            if self.pay is None:
                self.hourly_pay.errors = [
                    _l("Pay per hour must be an amount in pounds and pence, like 12.71")
                ]
        return not self.errors


def _start_date_problem(field) -> object | None:
    parts = [part.strip() for part in (field.raw_data or [])]
    if not any(parts):
        return START_DATE_MESSAGES["missing"]
    for part, unit in zip(parts, ("day", "month", "year"), strict=True):
        if not part:
            return START_DATE_MESSAGES[unit]
    if field.data is None or len(parts[2]) != 4:
        return START_DATE_MESSAGES["real"]
    return None


CONFIRM = "confirm"
DISPUTE = "dispute"


class ConfirmForm(PortalForm):
    answer = radio_input(
        _l("Did this person start work with you as recorded?"),
        [
            (CONFIRM, _l("Yes, they started as recorded")),
            (DISPUTE, _l("No, something is wrong")),
        ],
        required(_l("Select yes if they started work with you as recorded")),
    )
    reason = text_area(
        _l("If not, what is wrong?"),
        Length(max=REASON_LENGTH, message=_l("What is wrong must be 500 characters or fewer")),
        description=_l("For example, they did not start, or the date, hours or pay are different."),
    )
    submit = submit_button(_l("Send"))

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if self.answer.data == DISPUTE and not self.reason.errors and not self.reason.data:
            self.reason.errors = [_l("Tell us what is wrong with the start")]
        return not self.errors


ACCEPT = "accept"
REJECT = "reject"


class DecideForm(PortalForm):
    decision = radio_input(
        _l("Is this a valid job outcome?"),
        [
            (ACCEPT, _l("Accept it: the person started this job")),
            (REJECT, _l("Reject it")),
        ],
        required(_l("Select accept or reject")),
    )
    reason = rejection_reason()
    submit = submit_button(_l("Save the decision"))

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        require_reason(
            self.decision, REJECT, self.reason, _l("Enter the reason for rejecting the outcome")
        )
        return not self.errors


YES = "yes"
NO = "no"


PROGRESSION_CHOICES = [
    ("more_hours", _l("More hours")),
    ("higher_pay", _l("Higher pay")),
    ("new_role", _l("A new or more senior role")),
]


class SustainmentForm(PortalForm):
    still_employed = radio_input(
        _l("Are they still employed by you?"),
        [(YES, _l("Yes")), (NO, _l("No"))],
        required(_l("Select yes if they are still employed by you")),
    )
    progression = checkboxes(
        _l("If they are, have they moved on since they started?"),
        PROGRESSION_CHOICES,
        description=_l("Select all that apply. Leave them all unticked if not."),
    )
    aftercare = radio_input(
        _l("Would you or they like in-work support from Jobcentre Plus?"),
        [(YES, _l("Yes")), (NO, _l("No"))],
        required(_l("Select yes if you or they would like in-work support")),
        description=_l(
            "For example, help settling in, with a change of hours, or with training. Their "
            "adviser will contact you."
        ),
    )
    submit = submit_button(_l("Send"))

    def moved_on(self, code: str) -> bool | None:
        """The answer for one kind of progression; None when they are no longer employed."""
        if self.still_employed.data != YES:
            return None
        return code in (self.progression.data or [])
