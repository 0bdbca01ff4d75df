"""Forms of the "API keys" pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length

from app.forms import PortalForm, required, submit_button, text_input


class ApiKeyForm(PortalForm):
    name = text_input(
        _l("Name of the key"),
        required(_l("Enter a name for the key")),
        Length(max=100, message=_l("The name must be 100 characters or fewer")),
        description=_l("Say which system uses it, for example “Head office applicant tracking”"),
    )
    submit = submit_button(_l("Create key"))


class RevokeForm(PortalForm):
    submit = submit_button(_l("Revoke key"))
