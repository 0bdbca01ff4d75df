"""Forms for a sector course's employers: the DAM's or TPPM's invitation, and the employer's
answer. The number of interviews is checked against the course's places
(`rules.interviews_problem`), so the view gives each form the course's places."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.validators import Length, ValidationError

from app.forms import (
    PortalForm,
    radio_input,
    required,
    submit_button,
    text_area,
    whole_number,
)
from app.pet.employers import rules

JOIN, DECLINE = "join", "decline"
REASON_LENGTH = 500


def _interviews_field(label, description):
    return whole_number(
        label,
        required(_l("Enter the number of guaranteed interviews, like 3")),
        description=description,
    )


def _check_interviews(field, places: int) -> bool:
    """The plain-English errors for the number of interviews; True when it is right."""
    if field.errors:
        if field.raw_data and field.raw_data[0].strip() and field.data is None:
            field.errors = [_l("Enter the number of guaranteed interviews as a whole number")]
        return False
    problem = rules.interviews_problem(field.data, places)
    if problem is None:
        return True
    messages = {
        "missing": _l("Enter the number of guaranteed interviews, like 3"),
        "too_few": _l("The number of guaranteed interviews must be 1 or more"),
        "too_many": _l(
            "The number of guaranteed interviews must be no more than the course’s %(places)s "
            "places",
            places=places,
        ),
    }
    field.errors = [messages[problem]]
    return False


class InviteEmployerForm(PortalForm):
    # Choices come from the page's list; an id that is not there is answered by the refusal.
    organisation_id = RadioField(
        _l("Which employer are you inviting?"), choices=[], validate_choice=False
    )
    guaranteed_interviews = _interviews_field(
        _l("How many guaranteed interviews are you asking it to offer?"),
        _l("The completers it will interview. The employer can change the number when it joins."),
    )
    submit = submit_button(_l("Send the invitation"))

    def __init__(self, *args, places: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._places = places

    def validate_organisation_id(self, field) -> None:
        try:
            uuid.UUID(field.data or "")
        except ValueError:
            raise ValidationError(_l("Select the employer you are inviting")) from None

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        _check_interviews(self.guaranteed_interviews, self._places)
        return not self.errors

    @property
    def chosen_id(self) -> uuid.UUID:
        return uuid.UUID(self.organisation_id.data)


class AnswerForm(PortalForm):
    answer = radio_input(
        _l("Will you join this course?"),
        [
            (JOIN, _l("Yes, join the course")),
            (DECLINE, _l("No, decline the invitation")),
        ],
        required(_l("Select whether you will join the course")),
    )
    guaranteed_interviews = _interviews_field(
        _l("How many guaranteed interviews will you offer?"),
        _l(
            "If you join: the people who complete the course that you will interview. "
            "Jobcentre Plus asked for the number shown."
        ),
    )
    reason = text_area(
        _l("Why are you declining? (optional)"),
        Length(
            max=REASON_LENGTH,
            message=_l("The reason must be 500 characters or fewer"),
        ),
        description=_l("If you decline. It helps Jobcentre Plus plan the next course."),
    )
    submit = submit_button(_l("Send your answer"))

    def __init__(self, *args, places: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._places = places

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if self.answer.data == JOIN:
            _check_interviews(self.guaranteed_interviews, self._places)
        else:
            # Declining needs no number: whatever was typed there is not an error.
            self.guaranteed_interviews.errors = []
        return not self.errors

    @property
    def joins(self) -> bool:
        return self.answer.data == JOIN
