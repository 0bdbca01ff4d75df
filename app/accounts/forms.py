from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length

from app.forms import PortalForm, required, select_input, submit_button, text_area


class ChangeContactForm(PortalForm):
    contact = select_input(_l("New single point of contact"), [], required(_l("Select a person")))
    reason = text_area(
        _l("Reason for the change"),
        required(_l("Enter the reason for the change")),
        Length(max=1000, message=_l("Reason must be 1000 characters or fewer")),
        description=_l("The employer does not see this"),
    )
    submit = submit_button(_l("Change contact"))
