"""Field types shared by every area's forms: GOV.UK widgets and plain-English messages."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Hashable

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
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
from markupsafe import Markup
from wtforms import (
    BooleanField,
    DateField,
    Field,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectFieldBase
from wtforms.validators import (
    Email,
    InputRequired,
    Length,
    Optional,
    StopValidation,
    ValidationError,
)


class PortalForm(FlaskForm):
    """Base form: cleans every text answer (see `clean_text`), and refuses a line break in
    an answer that is one line (see `SingleLine`)."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            # Added for this binding only: the unbound field is the class's, shared by every
            # form made from it, so changing its kwargs would add them again each time.
            extra = {}
            if unbound_field.field_class in (StringField, TextAreaField):
                extra["filters"] = [*unbound_field.kwargs.get("filters", []), clean_text]
            validators = list(unbound_field.kwargs.get("validators") or [])
            if is_single_line(unbound_field.field_class):
                extra["validators"] = [*validators, SingleLine()]
            elif issubclass(unbound_field.field_class, SelectFieldBase):
                extra["validators"] = [
                    OptionalChoice() if type(validator) is Optional else validator
                    for validator in validators
                ]
            return unbound_field.bind(form=form, **options, **extra)


def is_single_line(field_class: type) -> bool:
    """A one-line text box: a text input, not a text area. Passwords are left alone (a line
    break there harms nobody and is never shown back), and so are hidden fields, which
    their forms check against what they expect."""
    return issubclass(field_class, StringField) and not issubclass(
        field_class, TextAreaField | PasswordField | HiddenField
    )


class OptionalChoice(Optional):
    """An optional radio or select: no answer, or one of its choices. WTForms' `Optional`
    also takes an answer of only spaces as none, and wipes the "not a valid choice" error
    on the way: a lone carriage return from a hand-made request passed, and reached the
    contact log as a user id (a 500). Here only a missing or empty answer is none."""

    def __call__(self, form, field) -> None:
        if not field.raw_data or field.raw_data[0] == "":
            field.errors[:] = []
            raise StopValidation()
        if field.errors:  # not one of the choices (the field's own check said so)
            field.errors[:] = [_l("Select one of the options given")]
            raise StopValidation()


class SingleLine:
    """A one-line answer with a line break in it came from a hand-made request or a paste:
    refused, not saved. A job title with `\r\nBcc: …` would otherwise reach an email's
    subject, and the email layer would refuse the whole message (see `app.mail`)."""

    field_flags = {}

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and ("\r" in field.data or "\n" in field.data):
            # "Phone number (optional)" is named "Phone number" in the message.
            name = re.sub(r"\s*\([^)]*\)$", "", str(field.label.text))
            raise ValidationError(
                _l("%(field)s must be on one line: remove the line breaks", field=name)
            )


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


class PasswordInput(GovPasswordInput):
    """GOV.UK password input whose show/hide button speaks the page's language."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        params.setdefault("showPasswordText", _l("Show"))
        params.setdefault("hidePasswordText", _l("Hide"))
        params.setdefault("showPasswordAriaLabelText", _l("Show password"))
        params.setdefault("hidePasswordAriaLabelText", _l("Hide password"))
        params.setdefault("passwordShownAnnouncementText", _l("Your password is visible"))
        params.setdefault("passwordHiddenAnnouncementText", _l("Your password is hidden"))
        return params


def password_input(label, *validators, **kwargs) -> PasswordField:
    return PasswordField(label, validators=list(validators), widget=PasswordInput(), **kwargs)


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


def require_reason(decision: Field, refusing: str, reason: Field, message) -> None:
    """A refusal needs its reason: when `decision` is the refusing choice and `reason` is empty
    (and has no error of its own), `reason` gets `message` as its error."""
    if decision.data == refusing and not reason.errors and not reason.data:
        reason.errors = [message]


def rejection_reason() -> TextAreaField:
    """The reason a decision form asks for when a claim or an outcome is rejected, which the
    employer reads: up to 500 characters, required on rejecting (`require_reason`)."""
    return text_area(
        _l("Reason for rejecting"),
        Length(max=500, message=_l("The reason for rejecting must be 500 characters or fewer")),
        description=_l("Required if you reject it. The employer will see it."),
    )


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


def translate_widget_defaults() -> None:
    """Give every GOV.UK field's error message its hidden "Error:" prefix in the page's
    language (govuk-frontend-wtf leaves the macro's English default in place), and keep the
    HTML of a field drawn before (`kept_widget_html`)."""
    from govuk_frontend_wtf.gov_form_base import GovFormBase

    if getattr(GovFormBase.render, "translated", False):
        return
    render = GovFormBase.render

    def render_translated(self, params):
        if params.get("errorMessage"):
            params["errorMessage"].setdefault("visuallyHiddenText", str(_l("Error")))
        return kept_widget_html(self.template, params, lambda: render(self, params))

    render_translated.translated = True
    GovFormBase.render = render_translated


#: The widgets whose HTML may be kept: not the password field's, nor a field with an error.
KEPT_WIDGETS = frozenset(
    f"govuk_frontend_wtf/{name}.html"
    for name in ("checkboxes", "radios", "select", "input", "textarea", "date", "charactercount")
)
#: Widgets whose items' values are the choices offered, not what someone typed.
CHOICE_WIDGETS = frozenset(
    f"govuk_frontend_wtf/{name}.html" for name in ("checkboxes", "radios", "select")
)
#: Fields kept (a form page's few dozen, in two languages): a bound, not a size expected.
MOST_KEPT_WIDGETS = 4_000


class Unkept(Exception):
    """Params whose HTML is not kept."""


def kept_widget_html(template: str, params: dict, render: Callable[[], Markup]) -> Markup:
    """A GOV.UK field's HTML, drawn by `render` the first time its params are seen.

    A GOV.UK macro is a pure function of its params: it reads neither the request nor the
    session (it is imported without context) and no global but Jinja's own. Yet drawing a
    form's fields through them is most of a form page's CPU (the call screen's agreement is
    twenty fields, each some hundred macro calls), for the same HTML every time the form is
    empty. So the HTML is kept by the params themselves, texts in the page's language, and
    what someone typed is never kept: a field holding a value is drawn afresh each time."""
    if template not in KEPT_WIDGETS:
        return render()
    try:
        key = (template, _params_key(params, typed=template not in CHOICE_WIDGETS))
    except Unkept:
        return render()
    kept: dict = current_app.extensions.setdefault("kept_widget_html", {})
    html = kept.get(key)
    if html is None:
        html = render()
        if len(kept) >= MOST_KEPT_WIDGETS:
            kept.clear()
        kept[key] = html
    return html


def _params_key(value: object, name: str = "", *, typed: bool) -> Hashable:
    # Markup and text are told apart (text is escaped, markup is not); dicts keep their order,
    # which the macros' output follows.
    if isinstance(value, Markup):
        return ("markup", str(value))
    if isinstance(value, str | LazyString):
        text = str(value)
        if typed and name == "value" and text:
            raise Unkept  # what someone typed, or a record's own data
        return ("text", text)
    if isinstance(value, dict):
        if name == "errorMessage" and value:
            raise Unkept
        return (
            "dict",
            tuple((key, _params_key(item, key, typed=typed)) for key, item in value.items()),
        )
    if isinstance(value, list | tuple):
        return ("list", tuple(_params_key(item, name, typed=typed) for item in value))
    if value is None or type(value) in (bool, int, float):
        return (type(value).__name__, value)
    raise Unkept
