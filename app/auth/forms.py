from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import ValidationError
from wtforms.validators import EqualTo, Length

from app.accounts.models import Ownership, SizeBand
from app.accounts.sectors import SECTOR_CHOICES
from app.auth.rules import password_problem
from app.forms import (
    PortalForm,
    email_field,
    password_input,
    radio_input,
    required,
    select_input,
    submit_button,
    text_input,
)
from app.i18n import LANGUAGE_NAMES, current_language


class NewPasswordMixin:
    def validate_password(self, field) -> None:
        email = getattr(getattr(self, "email", None), "data", "") or getattr(self, "_email", "")
        contact_name = getattr(getattr(self, "contact_name", None), "data", "")
        name = contact_name or getattr(self, "_name", "")
        problem = password_problem(field.data or "", email=email or "", name=name)
        if problem:
            raise ValidationError(problem)


class RegistrationForm(NewPasswordMixin, PortalForm):
    organisation_name = text_input(
        _l("Organisation name"),
        required(_l("Enter your organisation’s name")),
        Length(max=200, message=_l("Organisation name must be 200 characters or fewer")),
    )
    size_band = radio_input(
        _l("How many people does your organisation employ?"),
        [
            (SizeBand.SME.value, _l("Fewer than 250")),
            (SizeBand.LARGE.value, _l("250 or more")),
        ],
        required(_l("Select how many people your organisation employs")),
    )
    sector = select_input(
        _l("Sector"),
        [("", _l("Select a sector")), *SECTOR_CHOICES],
        required(_l("Select your sector")),
    )
    ownership = radio_input(
        _l("Type of organisation"),
        [
            (Ownership.PRIVATE.value, _l("Private company")),
            (Ownership.PUBLIC.value, _l("Public body, like a council or NHS trust")),
            (Ownership.VOLUNTARY.value, _l("Charity or voluntary organisation")),
        ],
        required(_l("Select the type of organisation")),
    )
    site_name = text_input(
        _l("Workplace name (optional)"),
        Length(max=200, message=_l("Workplace name must be 200 characters or fewer")),
        description=_l("For example, the branch or depot name"),
    )
    address_line_1 = text_input(
        _l("Address line 1"),
        required(_l("Enter the first line of the workplace address")),
        Length(max=200, message=_l("Address line 1 must be 200 characters or fewer")),
    )
    town = text_input(
        _l("Town or city"),
        required(_l("Enter the town or city")),
        Length(max=100, message=_l("Town or city must be 100 characters or fewer")),
    )
    postcode = text_input(
        _l("Postcode"),
        required(_l("Enter the postcode")),
        Length(max=10, message=_l("Enter a full postcode, like LS1 4AP")),
    )
    contact_name = text_input(
        _l("Your full name"),
        required(_l("Enter your full name")),
        Length(max=200, message=_l("Full name must be 200 characters or fewer")),
    )
    phone = text_input(
        _l("Phone number (optional)"),
        Length(max=40, message=_l("Phone number must be 40 characters or fewer")),
        description=_l("Your single point of contact will use this to call you back"),
    )
    email = email_field()
    password = password_input(
        _l("Create a password"),
        required(_l("Enter a password")),
        description=_l("Use 10 characters or more. Three random words are easy to remember."),
    )
    confirm_password = password_input(
        _l("Confirm password"),
        required(_l("Confirm your password")),
        EqualTo("password", message=_l("Passwords must match")),
    )
    language = radio_input(
        _l("Which language would you like us to use?"),
        [],  # set per request: the page's own language first (see __init__)
        # Not answered (or a hand-made value): the language of the page they register on.
        validate_choice=False,
        description=_l(
            "For this service, the emails we send you and calls from Jobcentre Plus. "
            "You can change it at any time with the link at the top of every page."
        ),
    )
    submit = submit_button(_l("Create account"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each language named in itself, so that a reader finds their own.
        page = current_language()
        self.language.choices = sorted(LANGUAGE_NAMES.items(), key=lambda choice: choice[0] != page)
        if self.language.data not in LANGUAGE_NAMES:
            self.language.data = page

    def validate_postcode(self, field) -> None:
        from app.accounts.rules import normalise_postcode

        if normalise_postcode(field.data or "") is None:
            raise ValidationError(_l("Enter a full postcode, like LS1 4AP"))


class SignInForm(PortalForm):
    email = email_field()
    password = password_input(_l("Password"), required(_l("Enter your password")))
    submit = submit_button(_l("Sign in"))


class ForgotPasswordForm(PortalForm):
    email = email_field()
    submit = submit_button(_l("Send reset link"))


class NewPasswordForm(NewPasswordMixin, PortalForm):
    password = password_input(
        _l("New password"),
        required(_l("Enter a new password")),
        description=_l("Use 10 characters or more. Three random words are easy to remember."),
    )
    confirm_password = password_input(
        _l("Confirm new password"),
        required(_l("Confirm your new password")),
        EqualTo("password", message=_l("Passwords must match")),
    )
    submit = submit_button(_l("Save password"))

    def __init__(self, *args, email: str = "", name: str = "", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._email = email
        self._name = name


class ResendVerificationForm(PortalForm):
    email = email_field()
    submit = submit_button(_l("Send the link again"))
