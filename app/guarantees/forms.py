"""The employer's (or staff's, for the employer) reason for not offering a guaranteed
interview."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length

from app.forms import PortalForm, radio_input, required, submit_button, text_area
from app.guarantees.labels import NOT_OFFERED_REASONS
from app.guarantees.rules import NotOfferedReason


class NotOfferedForm(PortalForm):
    reason = radio_input(
        _l("Why was the guaranteed interview not offered?"),
        list(NOT_OFFERED_REASONS.items()),
        required(_l("Select why the guaranteed interview was not offered")),
    )
    details = text_area(
        _l("Give details (needed if you chose another reason)"),
        Length(max=500, message=_l("Keep the details to 500 characters or fewer")),
    )
    submit = submit_button(_l("Record the reason"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if (
            self.reason.data == NotOfferedReason.OTHER.value
            and not (self.details.data or "").strip()
        ):
            self.details.errors = [*self.details.errors, _l("Enter the other reason")]
            valid = False
        return valid
