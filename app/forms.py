"""Field types shared by every area's forms: GOV.UK widgets and plain-English messages."""

from __future__ import annotations

import datetime as dt
import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovDateInput,
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import Email, InputRequired, Length, StopValidation


class PortalForm(FlaskForm):
    """Base form: cleans every text answer (see `clean_text`)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters", [])
            if unbound_field.field_class in (StringField, TextAreaField):
                unbound_field.kwargs["filters"] = [*filters, clean_text]
            return unbound_field.bind(form=form, **options)


# Characters nobody types: C0 controls but tab, line feed and carriage return; DEL; C1
# controls. They arrive by pasting or by hand-made requests, nobody can see them, and
# PostgreSQL refuses NUL in text (a 500 where it is saved).
UNTYPEABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_text(value: str | None) -> str | None:
    """Drop the characters nobody types and the spaces around the answer."""
    return UNTYPEABLE.sub("", value).strip() if isinstance(value, str) else value


SEARCH_LENGTH = 100


def search_words(value: str | None) -> str:
    """What a search box in a query string asks for: cleaned like a text answer (a NUL byte
    reached PostgreSQL, a 500) and at most 100 characters."""
    return (clean_text(value) or "")[:SEARCH_LENGTH]


def text_input(label, *validators, **kwargs) -> StringField:
    return StringField(label, validators=list(validators), widget=GovTextInput(), **kwargs)


def text_area(label, *validators, **kwargs) -> TextAreaField:
    return TextAreaField(label, validators=list(validators), widget=GovTextArea(), **kwargs)


def password_input(label, *validators, **kwargs) -> PasswordField:
    return PasswordField(label, validators=list(validators), widget=GovPasswordInput(), **kwargs)


class _KeepLegend:
    """Template params that style a fieldset's legend must not wipe out its text."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        # Copy: a template may pass one params dict to several fields.
        fieldset = dict(params.get("fieldset") or {})
        legend = dict(fieldset.get("legend") or {})
        if not legend.get("text") and not legend.get("html"):
            legend["text"] = field.label.text
        fieldset["legend"] = legend
        params["fieldset"] = fieldset
        return params


class RadioInput(_KeepLegend, GovRadioInput):
    pass


class CheckboxesInput(_KeepLegend, GovCheckboxesInput):
    pass


def radio_input(label, choices, *validators, **kwargs) -> RadioField:
    return RadioField(
        label, choices=choices, validators=list(validators), widget=RadioInput(), **kwargs
    )


def select_input(label, choices, *validators, **kwargs) -> SelectField:
    return SelectField(
        label, choices=choices, validators=list(validators), widget=GovSelect(), **kwargs
    )


def submit_button(label) -> SubmitField:
    return SubmitField(label, widget=GovSubmitInput())


class AnswerRequired(InputRequired):
    """An answer is required, and an answer that cleaning leaves empty (only spaces, or only
    characters nobody types) is none: InputRequired alone looks at the raw answer, so the
    field would pass and be saved blank, or reach a service that refuses it with a 500."""

    def __call__(self, form, field) -> None:
        super().__call__(form, field)
        if field.data == "":
            field.errors[:] = []
            raise StopValidation(self.message)


def required(message) -> InputRequired:
    return AnswerRequired(message=message)


def email_field(label=None, **kwargs) -> StringField:
    return text_input(
        label or _l("Email address"),
        required(_l("Enter an email address")),
        Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        Email(
            message=_l("Enter an email address in the correct format, like name@example.com"),
            check_deliverability=False,
        ),
        **kwargs,
    )


class DateInput(GovDateInput):
    """GOV.UK date input with translated labels, and the day box carrying the field's id
    so the error summary's link lands on it."""

    def map_gov_params(self, field, **kwargs):
        # A hand-made POST may send fewer than three boxes; the widget unpacks exactly three,
        # and shows them back without the characters nobody types (NUL is not HTML).
        if field.raw_data is not None:
            parts = [UNTYPEABLE.sub("", str(part)) for part in field.raw_data]
            field.raw_data = [*parts, "", "", ""][:3]
        params = super().map_gov_params(field, **kwargs)
        labels = (_l("Day"), _l("Month"), _l("Year"))
        for item, label in zip(params["items"], labels, strict=True):
            item["label"] = label
        params["items"][0]["id"] = field.id
        # `required` belongs on the three boxes; on the group's <div> it is not HTML.
        if params.get("attributes", {}).pop("required", None):
            for item in params["items"]:
                item["attributes"] = {**item.get("attributes", {}), "required": "required"}
        # The group needs an id of its own, or it would clash with the day box's.
        if params.get("id") == field.id:
            params["id"] = f"{field.id}-group"
        return params


# Every date in the service is in a working life or a plan: a year outside these is a slip
# of the keyboard ("1 1 1", "26" for 2026, "9999"), never a date anyone means.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2199


class GovDateField(DateField):
    """A date from three boxes, with a GOV.UK message when it is not a real date."""

    def process_formdata(self, valuelist):
        if not valuelist or not any(part.strip() for part in valuelist):
            self.data = None
            return
        parts = [part.strip() for part in valuelist]
        try:
            self.data = dt.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except (IndexError, ValueError, OverflowError):
            self.data = None
            raise ValueError(_l("Enter a real date, like 23 11 2026")) from None
        if not EARLIEST_YEAR <= self.data.year <= LATEST_YEAR:
            self.data = None
            raise ValueError(_l("Enter a real date, like 23 11 2026"))


def date_input(label, *validators, **kwargs) -> DateField:
    return GovDateField(
        label,
        validators=list(validators),
        widget=DateInput(),
        format="%d %m %Y",
        **kwargs,
    )


def checkbox(label, **kwargs) -> BooleanField:
    return BooleanField(label, widget=GovCheckboxInput(), **kwargs)


def checkboxes(label, choices, *validators, **kwargs) -> SelectMultipleField:
    return SelectMultipleField(
        label,
        choices=choices,
        validators=list(validators),
        widget=CheckboxesInput(),
        **kwargs,
    )


def whole_number(label, *validators, **kwargs) -> IntegerField:
    return IntegerField(label, validators=list(validators), widget=GovTextInput(), **kwargs)
