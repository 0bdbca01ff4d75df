from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import ValidationError
from wtforms.validators import Length

from app.auth.models import STAFF_ROLES
from app.forms import (
    PortalForm,
    email_field,
    radio_input,
    required,
    select_input,
    submit_button,
    text_input,
)

ROLE_LABELS = {
    "lmra": _l("Labour Market Recruitment Adviser (LMRA)"),
    "dam": _l("District Account Manager (DAM)"),
    "coordinator": _l("LEP coordinator or LEP Champion"),
    "tppm": _l("Third Party Provision Manager (TPPM)"),
    "adviser": _l("Personal adviser"),
    "admin": _l("Administrator"),
}


class InviteStaffForm(PortalForm):
    name = text_input(
        _l("Full name"),
        required(_l("Enter the person’s full name")),
        Length(max=200, message=_l("Full name must be 200 characters or fewer")),
    )
    email = email_field(_l("Work email address"))
    phone = text_input(
        _l("Phone number (optional)"),
        Length(max=40, message=_l("Phone number must be 40 characters or fewer")),
        description=_l("Employers see this if the person is their single point of contact"),
    )
    role = radio_input(
        _l("Role"),
        [(role.value, ROLE_LABELS[role.value]) for role in STAFF_ROLES],
        required(_l("Select a role")),
    )
    office = select_input(_l("Office"), [], required(_l("Select an office")))
    submit = submit_button(_l("Send invitation"))

    def validate_email(self, field) -> None:
        from app.auth.services import user_by_email

        if field.data and user_by_email(field.data) is not None:
            raise ValidationError(_l("There is already an account with this email address"))
