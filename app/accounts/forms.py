from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import Length, NumberRange, Optional

from app.forms import (
    PortalForm,
    checkboxes,
    date_input,
    email_field,
    radio_input,
    required,
    select_input,
    submit_button,
    text_area,
    text_input,
    whole_number,
)
from app.i18n import LANGUAGE_NAMES

CONTACT_KIND_CHOICES = [
    ("call", _l("Phone call")),
    ("meeting", _l("Meeting")),
    ("visit", _l("Visit")),
    ("email", _l("Email")),
    ("event", _l("Event")),
]

CHANNEL_CHOICES = [
    ("phone", _l("By phone")),
    ("meeting", _l("In a meeting")),
    ("email", _l("By email")),
    ("visit", _l("On a visit")),
]


class ChangeContactForm(PortalForm):
    contact = select_input(_l("New single point of contact"), [], required(_l("Select a person")))
    reason = text_area(
        _l("Reason for the change"),
        required(_l("Enter the reason for the change")),
        Length(max=1000, message=_l("Reason must be 1000 characters or fewer")),
        description=_l("The employer does not see this"),
    )
    submit = submit_button(_l("Change contact"))


class ReassignForm(PortalForm):
    which = radio_input(
        _l("Which accounts"),
        [("selected", _l("The accounts I select")), ("all", _l("All of this person's accounts"))],
        required(_l("Select which accounts to reassign")),
    )
    accounts = checkboxes(_l("Accounts to reassign"), [])
    colleagues = checkboxes(
        _l("Give them to"),
        [],
        required(_l("Select at least one colleague")),
        description=_l("Choose several to share the accounts out in turn"),
    )
    reason = text_area(
        _l("Reason for the change"),
        required(_l("Enter the reason for the change")),
        Length(max=1000, message=_l("Reason must be 1000 characters or fewer")),
    )
    submit = submit_button(_l("Reassign accounts"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.which.data == "selected" and not self.accounts.data:
            self.accounts.errors = [*self.accounts.errors, _l("Select at least one account")]
            valid = False
        return valid


class ContactLogForm(PortalForm):
    kind = radio_input(
        _l("What kind of contact"),
        CONTACT_KIND_CHOICES,
        required(_l("Select what kind of contact it was")),
    )
    occurred_on = date_input(
        _l("Date"),
        required(_l("Enter the date of the contact")),
        description=_l("For example, 27 3 2026"),
    )
    people_met = text_input(
        _l("People you met or spoke to"),
        Length(max=500, message=_l("People must be 500 characters or fewer")),
    )
    summary = text_area(
        _l("Summary"),
        required(_l("Enter a summary")),
        Length(max=5000, message=_l("Summary must be 5000 characters or fewer")),
    )
    next_action = text_input(
        _l("Next action (optional)"),
        Length(max=500, message=_l("Next action must be 500 characters or fewer")),
        description=_l("What happens next"),
    )
    next_action_owner = select_input(_l("Who does it"), [], Optional())
    next_action_due = date_input(_l("By when"), Optional())
    submit = submit_button(_l("Save to the contact log"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.next_action.data and self.next_action_due.data is None:
            if not self.next_action_due.errors:
                self.next_action_due.errors = [_l("Enter when the next action is due")]
            valid = False
        return valid


class JobsPledgeForm(PortalForm):
    jobs = whole_number(
        _l("Job opportunities pledged"),
        required(_l("Enter the number of job opportunities")),
        NumberRange(min=1, max=100000, message=_l("Enter a number between 1 and 100,000")),
    )
    starts_on = date_input(_l("Pledge starts"), required(_l("Enter when the pledge starts")))
    ends_on = date_input(_l("Pledge ends"), required(_l("Enter when the pledge ends")))
    submit = submit_button(_l("Save the pledge"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.ends_on.data <= self.starts_on.data:
            self.ends_on.errors = [_l("The pledge must end after it starts")]
            valid = False
        return valid


class HeadOfficeForm(PortalForm):
    # The choice is checked by accounts.services.link_to_head_office, which says why an
    # account cannot be a head office (one listed a moment ago may have been made small).
    head_office = radio_input(
        _l("Head office"), [], required(_l("Select the head office")), validate_choice=False
    )
    submit = submit_button(_l("Link to this head office"))


class ChannelForm(PortalForm):
    class Meta:
        csrf = False  # a GET form choosing how the employer got in touch

    channel = radio_input(_l("How did the employer get in touch?"), CHANNEL_CHOICES, Optional())


class LanguageForm(PortalForm):
    """The language the employer told Jobcentre Plus it wants: its emails use it."""

    language = radio_input(
        _l("Which language does the employer want us to use?"),
        list(LANGUAGE_NAMES.items()),
        required(_l("Select the language the employer wants us to use")),
        description=_l(
            "Emails to the employer's people are in this language, unless a person has "
            "chosen their own."
        ),
    )
    submit = submit_button(_l("Save language"))


TEAM_ROLE_CHOICES = [
    ("recruiter", _l("Recruiter")),
    ("owner", _l("Owner")),
]
TEAM_ROLE_HINTS = [
    {"hint": {"text": _l("Posts and manages vacancies and reviews candidates")}},
    {"hint": {"text": _l("Can also manage the team and the organisation’s details")}},
]


class InviteColleagueForm(PortalForm):
    name = text_input(
        _l("Full name"),
        required(_l("Enter their full name")),
        Length(max=200, message=_l("Name must be 200 characters or fewer")),
    )
    email = email_field(description=_l("We will email them a link to set a password."))
    role = radio_input(
        _l("What can they do?"), TEAM_ROLE_CHOICES, required(_l("Select what they can do"))
    )
    submit = submit_button(_l("Send invitation"))


class TeamRoleForm(PortalForm):
    role = radio_input(
        _l("What can they do?"), TEAM_ROLE_CHOICES, required(_l("Select what they can do"))
    )
    submit = submit_button(_l("Save"))


class RemoveColleagueForm(PortalForm):
    submit = submit_button(_l("Remove from the team"))
