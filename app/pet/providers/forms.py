"""Forms for training providers: adding one, and inviting its users."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import ValidationError
from wtforms.validators import Length

from app.forms import PortalForm, email_field, required, select_input, submit_button, text_input
from app.pet.providers.queries import provider_name_taken


class ProviderForm(PortalForm):
    name = text_input(
        _l("Name of the training provider"),
        required(_l("Enter the name of the training provider")),
        Length(max=200, message=_l("The name must be 200 characters or fewer")),
    )
    contact_email = email_field(
        _l("Contact email address"),
        description=_l("Referrals (REF2) go here, and to each of the provider’s users."),
    )
    district = select_input(
        _l("District"), [], required(_l("Select a district")), validate_choice=False
    )
    submit = submit_button(_l("Add the training provider"))

    def validate_district(self, field) -> None:
        # Only the districts offered: a TPPM is offered their own.
        if field.data not in {value for value, _label in field.choices if value}:
            raise ValidationError(_l("Select a district"))

    def validate_name(self, field) -> None:
        if field.data and provider_name_taken(field.data):
            raise ValidationError(_l("There is already a training provider with this name"))


class ProviderUserForm(PortalForm):
    name = text_input(
        _l("Full name"),
        required(_l("Enter the person’s full name")),
        Length(max=200, message=_l("Full name must be 200 characters or fewer")),
    )
    email = email_field(_l("Work email address"))
    submit = submit_button(_l("Send invitation"))

    def validate_email(self, field) -> None:
        from app.auth.services import user_by_email

        if field.data and user_by_email(field.data) is not None:
            raise ValidationError(_l("There is already an account with this email address"))
