"""Forms for referring customers and for the employer's decisions on each candidate.

The candidate page holds one form per action; each has its own prefix, so their fields'
names and ids never collide on the page.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectMultipleField
from wtforms.validators import Length

from app.formatting import LONDON
from app.forms import (
    DateInput,
    PortalForm,
    radio_input,
    required,
    submit_button,
    text_area,
    text_input,
)
from app.referrals.labels import NOT_SELECTED_REASONS, SUITABILITY_LABELS
from app.referrals.models import NotSelectedReason
from app.referrals.rules import parse_time_of_day

#: Most customers referred in one go: the suggestions page shows this many.
MOST_AT_ONCE = 25

YES, NO = "yes", "no"


def date_field(label, **kwargs) -> DateField:
    return DateField(
        label,
        widget=DateInput(),
        format="%d %m %Y",
        description=_l("For example, 27 3 2026"),
        **kwargs,
    )


def _date_errors(field: DateField, missing: object, invalid: object) -> bool:
    """Replace WTForms' message with a GOV.UK one; True when the field holds a real date."""
    if field.errors or field.data is None:
        entered = any((part or "").strip() for part in (field.raw_data or []))
        field.errors = [invalid if entered else missing]
        return False
    return True


def _decimal(text: str | None) -> Decimal | None:
    cleaned = (text or "").replace("£", "").replace(",", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class ReferForm(PortalForm):
    customer_ids = SelectMultipleField(_l("Customers to refer"), validate_choice=False)
    note = text_area(
        _l("Note for the employer (optional)"),
        Length(max=1000, message=_l("Keep the note to 1000 characters or fewer")),
        description=_l("Do not include health, benefit or other personal details."),
    )
    submit = submit_button(_l("Refer the selected customers"))

    def selected_ids(self) -> list[uuid.UUID] | None:
        """The customers ticked, in order and without repeats; None when a value is not an id
        at all (a tampered request)."""
        chosen: list[uuid.UUID] = []
        for value in self.customer_ids.data or []:
            try:
                customer_id = uuid.UUID(value)
            except (TypeError, ValueError):
                return None
            if customer_id not in chosen:
                chosen.append(customer_id)
        return chosen

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        chosen = self.selected_ids() or []
        if not chosen:
            self.customer_ids.errors = [_l("Select at least one customer to refer")]
        elif len(chosen) > MOST_AT_ONCE:
            self.customer_ids.errors = [
                _l("Refer at most %(most)s customers at once", most=MOST_AT_ONCE)
            ]
        return not self.errors


class ActionForm(PortalForm):
    """An action with nothing to fill in: shortlist, offer, withdrew."""


class InterviewForm(PortalForm):
    day = date_field(_l("Date of the interview"))
    time = text_input(
        _l("Time"),
        Length(max=20, message=_l("Enter the time like 2:30pm or 14:30")),
        description=_l("For example, 10am, 2:30pm or 14:30"),
    )
    place = text_input(
        _l("Where"),
        required(_l("Enter where the interview is")),
        Length(max=300, message=_l("Keep where the interview is to 300 characters or fewer")),
        description=_l("The address, and who to ask for when they arrive."),
    )
    guaranteed = radio_input(
        _l("Is this a guaranteed interview?"),
        [(YES, _l("Yes")), (NO, _l("No"))],
        required(_l("Select yes if this is a guaranteed interview")),
        description=_l("A guaranteed interview is one of the LEP measures."),
    )
    submit = submit_button(_l("Arrange the interview"))

    def __init__(self, *args, now: dt.datetime, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.now = now
        #: The start of the interview (aware, UTC), set by `validate`.
        self.starts_at: dt.datetime | None = None

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        real_day = _date_errors(
            self.day,
            _l("Enter the date of the interview"),
            _l("The date of the interview must be a real date, like 27 3 2026"),
        )
        at = parse_time_of_day(self.time.data)
        if not self.time.errors and at is None:
            self.time.errors = [
                _l("Enter the time like 2:30pm or 14:30")
                if self.time.data
                else _l("Enter the time of the interview")
            ]
        if real_day and at is not None:
            starts_at = dt.datetime.combine(self.day.data, at, tzinfo=LONDON).astimezone(dt.UTC)
            if starts_at <= self.now:
                self.day.errors = [_l("The interview must be in the future")]
            else:
                self.starts_at = starts_at
        return not self.errors


class WorkTrialForm(PortalForm):
    starts_on = date_field(_l("First day of the work trial"))
    ends_on = date_field(_l("Last day of the work trial"))
    submit = submit_button(_l("Record the work trial"))

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        start = _date_errors(
            self.starts_on,
            _l("Enter the first day of the work trial"),
            _l("The first day must be a real date, like 27 3 2026"),
        )
        end = _date_errors(
            self.ends_on,
            _l("Enter the last day of the work trial"),
            _l("The last day must be a real date, like 27 3 2026"),
        )
        if start and end and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors = [_l("The last day must be the same as or after the first day")]
        return not self.errors


class StartForm(PortalForm):
    """The start of a job, recorded once the person has begun: it becomes a job outcome
    (`app.outcomes.services.record_start`), whose refusals land on the field they name."""

    start_date = date_field(_l("Start date"))
    hours_per_week = text_input(
        _l("Hours a week"),
        Length(max=10, message=_l("Enter the hours a week, like 37.5")),
        description=_l("For example, 37.5"),
    )
    hourly_pay = text_input(
        _l("Hourly pay"),
        Length(max=12, message=_l("Enter the hourly pay, like 12.71")),
        description=_l("Before tax, in pounds. For example, 12.71"),
    )
    submit = submit_button(_l("Record the start"))

    def __init__(self, *args, earliest: dt.date, latest: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.earliest, self.latest = earliest, latest
        self.hours: Decimal | None = None
        self.pay: Decimal | None = None

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if _date_errors(
            self.start_date,
            _l("Enter the start date"),
            _l("The start date must be a real date, like 27 3 2026"),
        ):
            if self.start_date.data < self.earliest:
                self.start_date.errors = [
                    _l("The start date cannot be before the candidate was referred")
                ]
            elif self.start_date.data > self.latest:
                self.start_date.errors = [_l("The start date must be today or in the past")]
        hours = _decimal(self.hours_per_week.data)
        if not self.hours_per_week.errors:
            if not self.hours_per_week.data:
                self.hours_per_week.errors = [_l("Enter the hours a week")]
            elif hours is None:
                self.hours_per_week.errors = [_l("Enter the hours a week as a number, like 37.5")]
            elif not Decimal(0) < hours <= Decimal(99):
                self.hours_per_week.errors = [_l("Hours a week must be more than 0 and up to 99")]
            else:
                self.hours = hours.quantize(Decimal("0.01"))
        pay = _decimal(self.hourly_pay.data)
        if not self.hourly_pay.errors:
            if not self.hourly_pay.data:
                self.hourly_pay.errors = [_l("Enter the hourly pay")]
            elif pay is None:
                self.hourly_pay.errors = [_l("Enter the hourly pay as an amount, like 12.71")]
            elif not Decimal(0) < pay < Decimal(1000):
                self.hourly_pay.errors = [_l("Hourly pay must be more than £0 and under £1,000")]
            else:
                self.pay = pay.quantize(Decimal("0.01"))
        return not self.errors


class NotSelectedForm(PortalForm):
    reason = radio_input(
        _l("Why was the candidate not selected?"),
        list(NOT_SELECTED_REASONS.items()),
        required(_l("Select why the candidate was not selected")),
        description=_l(
            "Their adviser uses this to help them next time. Keep to the facts of the job."
        ),
    )
    details = text_area(
        _l("Tell the adviser more (needed if you chose another reason)"),
        Length(max=500, message=_l("Keep this to 500 characters or fewer")),
    )
    submit = submit_button(_l("Record not selected"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (
            self.reason.data == NotSelectedReason.OTHER.value
            and not (self.details.data or "").strip()
        ):
            self.details.errors = [*self.details.errors, _l("Enter the other reason")]
            valid = False
        return valid


class RatingForm(PortalForm):
    suitability = radio_input(
        _l("How suitable was this referral?"),
        [(str(int(score)), label) for score, label in SUITABILITY_LABELS.items()],
        required(_l("Select how suitable the referral was")),
        description=_l("The candidate does not see your rating."),
    )
    reason = text_area(
        _l("Why? (optional)"),
        Length(max=500, message=_l("Keep the reason to 500 characters or fewer")),
    )
    submit = submit_button(_l("Save the rating"))


class PageErrors:
    """An error that belongs to no field (a step that is no longer allowed), in the shape the
    layout's error summary reads: it links to the element with id `target`."""

    def __init__(self, target: str, message: object) -> None:
        self._fields: dict = {}
        self.errors = {target: [message]}


class ReferErrors:
    """The refer form's errors plus one per customer who cannot be referred, for the layout's
    error summary: each refusal links to its own message (`refusal-1`, `refusal-2`...)."""

    def __init__(self, form: ReferForm, refusals: list[str]) -> None:
        self.form = form
        self.refusals = refusals

    @property
    def _fields(self) -> dict:
        return self.form._fields

    @property
    def errors(self) -> dict:
        errors = dict(self.form.errors)
        for number, message in enumerate(self.refusals, 1):
            errors[f"refusal-{number}"] = [message]
        return errors


class CancelInterviewForm(PortalForm):
    """The confirmation page's form: cancelling an interview needs a reason, which both the
    employer and the candidate's adviser read."""

    reason = text_area(
        _l("Why is the interview being cancelled?"),
        required(_l("Enter why the interview is being cancelled")),
        Length(max=500, message=_l("Keep this to 500 characters or fewer")),
        description=_l("The employer and the candidate’s adviser are both told this."),
    )
    submit = submit_button(_l("Yes, cancel the interview"))
