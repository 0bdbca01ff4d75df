"""The form staff use to capture a verbal LEP agreement (new, amended, or at a call-back)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app import clock
from app.agreements.labels import MEASURE_LABELS, PRIORITY_GROUP_SHORT
from app.agreements.models import MEASURES_WITH_PLACES, Channel, Measure
from app.agreements.rules import STANDARD_PRIORITY_GROUPS
from app.agreements.services import AgreementTerms, MeasureTerms
from app.forms import (
    PortalForm,
    checkbox,
    checkboxes,
    date_input,
    radio_input,
    required,
    submit_button,
    text_area,
    text_input,
    whole_number,
)

CHANNEL_CHOICES = [
    (Channel.PHONE.value, _l("Phone")),
    (Channel.MEETING.value, _l("Meeting")),
    (Channel.EMAIL.value, _l("Email")),
    (Channel.ONLINE.value, _l("Online")),
]


class AgreementForm(PortalForm):
    """One checkbox per measure, with its places or its details beside it."""

    agreed_on = date_input(
        _l("Date agreed"),
        required(_l("Enter the date the agreement was made, like 23 11 2026")),
        description=_l("For example, 23 11 2026"),
    )
    channel = radio_input(
        _l("How was it agreed?"), CHANNEL_CHOICES, required(_l("Select how it was agreed"))
    )
    priority_groups = checkboxes(
        _l("Which jobseekers does it cover?"),
        [(str(group), label) for group, label in PRIORITY_GROUP_SHORT.items()],
        required(_l("Select at least one group of jobseekers")),
    )
    change_summary = text_area(
        _l("What changed and why (optional)"),
        Length(max=1000, message=_l("Keep this to 1000 characters or fewer")),
    )
    submit = submit_button(_l("Save agreement"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_submitted():
            if self.agreed_on.data is None:
                self.agreed_on.data = clock.today()
            if not self.priority_groups.data:
                self.priority_groups.data = [str(group) for group in STANDARD_PRIORITY_GROUPS]

    def measure_fields(self) -> list[tuple[Measure, object, object]]:
        """(measure, its checkbox, its places or details field), in display order."""
        return [
            (
                measure,
                getattr(self, f"{measure.value}_agreed"),
                getattr(self, f"{measure.value}_places", None)
                or getattr(self, f"{measure.value}_details"),
            )
            for measure in Measure
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen = [m for m, box, _ in self.measure_fields() if box.data]
        if not chosen:
            first = getattr(self, f"{Measure.WORK_TRIALS.value}_agreed")
            first.errors = [*first.errors, _l("Select at least one measure the employer agreed to")]
            valid = False
        for measure, box, detail in self.measure_fields():
            if box.data and measure in MEASURES_WITH_PLACES and not detail.data:
                detail.errors = [*detail.errors, _l("Enter how many places were agreed")]
                valid = False
        return valid

    def to_terms(self) -> AgreementTerms:
        return AgreementTerms(
            agreed_on=self.agreed_on.data,
            channel=Channel(self.channel.data),
            priority_groups=[int(group) for group in self.priority_groups.data],
            change_summary=self.change_summary.data or "",
            measures=[
                MeasureTerms(
                    measure=measure,
                    places=detail.data if measure in MEASURES_WITH_PLACES else None,
                    details="" if measure in MEASURES_WITH_PLACES else (detail.data or ""),
                )
                for measure, box, detail in self.measure_fields()
                if box.data
            ],
        )

    def fill_from(self, version) -> None:
        """Start an amendment from the current version."""
        self.channel.data = version.channel.value
        self.priority_groups.data = [str(group) for group in version.priority_groups]
        for item in version.measures:
            getattr(self, f"{item.measure.value}_agreed").data = True
            if item.measure in MEASURES_WITH_PLACES:
                getattr(self, f"{item.measure.value}_places").data = item.places
            else:
                getattr(self, f"{item.measure.value}_details").data = item.details


for _measure in Measure:
    setattr(AgreementForm, f"{_measure.value}_agreed", checkbox(MEASURE_LABELS[_measure]))
    if _measure in MEASURES_WITH_PLACES:
        setattr(
            AgreementForm,
            f"{_measure.value}_places",
            whole_number(
                _l("Number of places"),
                Optional(),
                NumberRange(min=1, max=10000, message=_l("Enter a number from 1 to 10,000")),
            ),
        )
    else:
        setattr(
            AgreementForm,
            f"{_measure.value}_details",
            text_input(
                _l("Details (optional)"),
                Length(max=1000, message=_l("Keep details to 1000 characters or fewer")),
            ),
        )


class AmendAgreementForm(AgreementForm):
    """AgreementForm plus the version it was filled in from, so that a change someone else
    saved in the meantime is not quietly undone."""

    based_on = HiddenField()

    def based_on_number(self) -> int | None:
        try:
            return int(self.based_on.data)
        except (TypeError, ValueError):
            return None


REQUEST_MEASURE_CHOICES = [(measure.value, MEASURE_LABELS[measure]) for measure in Measure]


class RequestAgreementForm(PortalForm):
    """A request says something: the measures of interest, a message, or both. An empty
    one gives the contact nothing to call about, so it is refused with the error summary."""

    measures = checkboxes(
        _l("Which measures are you interested in?"),
        REQUEST_MEASURE_CHOICES,
        description=_l(
            "Select all that apply, or tell us below what you need. Your contact will talk "
            "them through with you."
        ),
    )
    message = text_area(
        _l("Anything you would like us to know"),
        Length(max=2000, message=_l("Keep your message to 2000 characters or fewer")),
        description=_l("For example, the jobs you recruit for or the best time to call you."),
    )
    submit = submit_button(_l("Send request"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not self.measures.data and not (self.message.data or "").strip():
            self.measures.errors = [
                *self.measures.errors,
                _l("Select the measures you are interested in, or tell us what you need"),
            ]
            valid = False
        return valid


class EndAgreementForm(PortalForm):
    reason = text_area(
        _l("Why is the agreement ending?"),
        # DataRequired, not InputRequired: spaces alone are stripped to nothing.
        DataRequired(message=_l("Enter why the agreement is ending")),
        Length(max=1000, message=_l("Keep the reason to 1000 characters or fewer")),
        description=_l("The employer will see this in the email we send them."),
    )
    submit = submit_button(_l("End agreement"))


class ConfirmAgreementForm(PortalForm):
    """The employer confirms the version it was shown (its number travels with the form, so a
    version changed in the meantime is not confirmed by mistake)."""

    version = HiddenField()
    confirm = submit_button(_l("Confirm this agreement"))

    def version_number(self) -> int | None:
        try:
            return int(self.version.data)
        except (TypeError, ValueError):
            return None


class QueryAgreementForm(PortalForm):
    query_version = HiddenField()
    message = text_area(
        _l("What is wrong with it?"),
        DataRequired(message=_l("Enter what is wrong with the agreement")),
        Length(max=2000, message=_l("Keep this to 2000 characters or fewer")),
        description=_l(
            "For example, a number of places or a measure you did not agree to. Your contact "
            "at Jobcentre Plus will put it right and send you the corrected agreement."
        ),
    )
    send = submit_button(_l("Send"))

    def version_number(self) -> int | None:
        try:
            return int(self.query_version.data)
        except (TypeError, ValueError):
            return None
