"""The forms advisers use to record customers, their consent and their readiness."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.validators import Email, InputRequired, Length, NumberRange, Optional, Regexp

from app import clock
from app.accounts.rules import normalise_postcode
from app.accounts.sectors import SECTOR_CHOICES
from app.customers.labels import (
    BENEFIT_LABELS,
    NO_BENEFIT,
    READINESS_HINTS,
    READINESS_LABELS,
)
from app.customers.models import Benefit, Readiness
from app.customers.services import normalise_reference, reference_taken
from app.forms import (
    PortalForm,
    checkboxes,
    date_input,
    radio_input,
    required,
    select_input,
    submit_button,
    text_area,
    text_input,
    whole_number,
)
from app.outcomes.services import age_on

MINIMUM_AGE = 16
OLDEST_AGE = 120

BENEFIT_CHOICES = [(benefit.value, BENEFIT_LABELS[benefit.value]) for benefit in Benefit] + [
    (NO_BENEFIT, BENEFIT_LABELS[NO_BENEFIT])
]
READINESS_CHOICES = [
    (readiness.value, READINESS_LABELS[readiness.value]) for readiness in Readiness
]

# The yes-or-no circumstances, each a boolean on the customer.
CIRCUMSTANCE_CHOICES = [
    ("lone_parent", _l("Lone parent")),
    ("disabled", _l("Has a disability or health condition")),
    ("nddp_eligible", _l("Eligible for New Deal for Disabled People")),
    ("disadvantaged_ward", _l("Lives in a Disadvantaged Area Ward or Disadvantaged Group Ward")),
    ("employed", _l("In work")),
    ("under_redundancy_notice", _l("Under threat or notice of redundancy")),
    ("other_disadvantage", _l("Other disadvantage (for example, a New Deal participant)")),
]
CIRCUMSTANCES = tuple(name for name, _label in CIRCUMSTANCE_CHOICES)


# The GOV.UK date input's messages, whole for each field so that translators see sentences.
DATE_MESSAGES: dict[str, dict[str, object]] = {
    "date_of_birth": {
        "missing": _l("Enter the customer’s date of birth"),
        "day": _l("Date of birth must include a day"),
        "month": _l("Date of birth must include a month"),
        "year": _l("Date of birth must include a year"),
        "real": _l("Date of birth must be a real date"),
    },
    "claim_start": {
        "missing": _l("Enter the date the Jobseeker’s Allowance claim started"),
        "day": _l("The date the claim started must include a day"),
        "month": _l("The date the claim started must include a month"),
        "year": _l("The date the claim started must include a year"),
        "real": _l("The date the claim started must be a real date"),
    },
}

WHOLE_NUMBER_MESSAGES: dict[str, object] = {
    "min_hours": _l("Minimum hours must be a whole number, like 16"),
    "max_hours": _l("Maximum hours must be a whole number, like 37"),
    "travel_miles": _l("Travel distance must be a whole number of miles, like 10"),
}


def _date_problem(field) -> object | None:
    """Missing (the caller decides whether that matters), incomplete, or not a real date."""
    messages = DATE_MESSAGES[field.name]
    parts = [part.strip() for part in (field.raw_data or [])]
    if not any(parts):
        return None
    for part, unit in zip(parts, ("day", "month", "year"), strict=True):
        if not part:
            return messages[unit]
    if field.data is None or len(parts[2]) != 4:
        return messages["real"]
    return None


def _whole_number_problem(field) -> object | None:
    if field.raw_data and field.raw_data[0].strip() and field.data is None:
        return WHOLE_NUMBER_MESSAGES[field.name]
    return None


class CustomerForm(PortalForm):
    """The customer's record: who they are, their circumstances and their job goals."""

    reference = text_input(
        _l("Customer reference number"),
        required(_l("Enter the customer reference number")),
        Length(max=20, message=_l("Customer reference number must be 20 characters or fewer")),
        Regexp(
            r"^[A-Za-z0-9 \-/]*$",
            message=_l(
                "Customer reference number must only include letters, numbers, spaces, "
                "hyphens and slashes"
            ),
        ),
    )
    first_name = text_input(
        _l("First name"),
        required(_l("Enter the customer’s first name")),
        Length(max=100, message=_l("First name must be 100 characters or fewer")),
    )
    last_name = text_input(
        _l("Last name"),
        required(_l("Enter the customer’s last name")),
        Length(max=100, message=_l("Last name must be 100 characters or fewer")),
    )
    email = text_input(
        _l("Email address (optional)"),
        Optional(),
        Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        Email(
            message=_l("Enter an email address in the correct format, like name@example.com"),
            check_deliverability=False,
        ),
    )
    phone = text_input(
        _l("Phone number (optional)"),
        Length(max=40, message=_l("Phone number must be 40 characters or fewer")),
    )
    date_of_birth = date_input(
        _l("Date of birth"), Optional(), description=_l("For example, 27 3 1990")
    )
    postcode = text_input(
        _l("Home postcode"),
        required(_l("Enter the customer’s home postcode")),
        Length(max=10, message=_l("Enter a real postcode, like LS1 4AP")),
    )
    circumstances = checkboxes(
        _l("Circumstances"),
        CIRCUMSTANCE_CHOICES,
        description=_l("Select all that apply"),
    )
    benefit = radio_input(
        _l("Which benefit does the customer claim?"),
        BENEFIT_CHOICES,
        required(_l("Select the benefit the customer claims, or ‘Not claiming benefits’")),
    )
    claim_start = date_input(
        _l("Date the claim started"),
        Optional(),
        description=_l(
            "Needed for Jobseeker’s Allowance: it decides the priority group. For example, "
            "3 11 2025"
        ),
    )
    goal_sectors = checkboxes(
        _l("Sectors the customer wants to work in"),
        SECTOR_CHOICES,
        description=_l("Select all that apply"),
    )
    goal_occupations = text_input(
        _l("Jobs the customer is looking for (optional)"),
        Length(max=500, message=_l("Jobs must be 500 characters or fewer")),
        description=_l("For example, shop assistant, warehouse operative"),
    )
    min_hours = whole_number(
        _l("Minimum hours a week (optional)"),
        Optional(),
        NumberRange(min=1, max=80, message=_l("Minimum hours must be between 1 and 80")),
    )
    max_hours = whole_number(
        _l("Maximum hours a week (optional)"),
        Optional(),
        NumberRange(min=1, max=80, message=_l("Maximum hours must be between 1 and 80")),
    )
    travel_miles = whole_number(
        _l("How far can the customer travel to work, in miles?"),
        required(_l("Enter how far the customer can travel, in miles")),
        NumberRange(min=0, max=200, message=_l("Travel distance must be between 0 and 200 miles")),
    )
    experience = text_area(
        _l("Work experience (optional)"),
        Length(max=2000, message=_l("Work experience must be 2000 characters or fewer")),
        description=_l("Employers see this only if the customer consents"),
    )
    skills = text_area(
        _l("Skills and qualifications (optional)"),
        Length(max=2000, message=_l("Skills must be 2000 characters or fewer")),
        description=_l("Employers see this only if the customer consents"),
    )
    availability = text_input(
        _l("Availability (optional)"),
        Length(max=500, message=_l("Availability must be 500 characters or fewer")),
        description=_l("For example, weekdays, or not before 9am"),
    )
    submit = submit_button(_l("Save customer"))

    def __init__(self, *args, customer_id=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._customer_id = customer_id

    def validate(self, extra_validators=None) -> bool:
        self._keep_dates_renderable()
        valid = super().validate(extra_validators)
        today = clock.today()

        problems: dict[str, object] = {}
        for field in self:
            # InputRequired looks at the raw answer; an answer of only spaces is no answer.
            if field.data == "" and not field.errors:
                for validator in field.validators:
                    if isinstance(validator, InputRequired):
                        problems[field.name] = validator.message
        born = self.date_of_birth.data
        dob_problem = _date_problem(self.date_of_birth)
        if dob_problem is None:
            if born is None:
                dob_problem = DATE_MESSAGES["date_of_birth"]["missing"]
            elif born > today:
                dob_problem = _l("Date of birth must be in the past")
            elif age_on(born, today) < MINIMUM_AGE:
                dob_problem = _l("The customer must be 16 or over")
            elif age_on(born, today) > OLDEST_AGE:
                dob_problem = DATE_MESSAGES["date_of_birth"]["real"]
        if dob_problem:
            problems["date_of_birth"] = dob_problem
            born = None

        claim_problem = _date_problem(self.claim_start)
        claim_start = self.claim_start.data
        benefit = self.benefit.data
        if claim_problem is None:
            if benefit == Benefit.JSA.value and claim_start is None:
                claim_problem = DATE_MESSAGES["claim_start"]["missing"]
            elif benefit == NO_BENEFIT and claim_start is not None:
                claim_problem = _l(
                    "Remove the claim start date, or select the benefit the customer claims"
                )
            elif claim_start is not None and claim_start > today:
                claim_problem = _l("The date the claim started must be today or in the past")
            elif claim_start is not None and born is not None and claim_start < born:
                claim_problem = _l("The date the claim started must be after the date of birth")
        if claim_problem:
            problems["claim_start"] = claim_problem

        for field in (self.min_hours, self.max_hours, self.travel_miles):
            problem = _whole_number_problem(field)
            if problem:
                problems[field.name] = problem
        if (
            "min_hours" not in problems
            and "max_hours" not in problems
            and not self.min_hours.errors
            and not self.max_hours.errors
            and self.min_hours.data is not None
            and self.max_hours.data is not None
            and self.max_hours.data < self.min_hours.data
        ):
            problems["max_hours"] = _l(
                "Maximum hours must be the same as or more than the minimum hours"
            )

        if self.postcode.data and not self.postcode.errors:
            normalised = normalise_postcode(self.postcode.data)
            if normalised is None:
                problems["postcode"] = _l("Enter a real postcode, like LS1 4AP")
            else:
                self.postcode.data = normalised

        chosen = set(self.circumstances.data or [])
        if "under_redundancy_notice" in chosen and "employed" not in chosen:
            problems["circumstances"] = _l(
                "Select ‘In work’ too, or untick ‘Under threat or notice of redundancy’"
            )

        if self.reference.data and not self.reference.errors:
            if not normalise_reference(self.reference.data):
                problems["reference"] = _l("Enter the customer reference number")
            elif reference_taken(self.reference.data, other_than=self._customer_id):
                problems["reference"] = _l("There is already a customer with this reference number")

        for name, problem in problems.items():
            field = getattr(self, name)
            # One message per field: the most useful, replacing WTForms' generic ones.
            field.errors = [problem]
            valid = False
        return valid

    def _keep_dates_renderable(self) -> None:
        # The GOV.UK date widget needs day, month and year; a hand-made request could
        # send fewer, which must come back as a form error, not a crash.
        for field in (self.date_of_birth, self.claim_start):
            if field.raw_data is not None and len(field.raw_data) != 3:
                field.raw_data = ["", "", ""]
                field.data = None
                field.process_errors = []

    def details(self) -> dict[str, Any]:
        """The customer's details as the services take them."""
        chosen = set(self.circumstances.data or [])
        benefit = None if self.benefit.data == NO_BENEFIT else Benefit(self.benefit.data)
        return {
            "reference": self.reference.data,
            "first_name": self.first_name.data,
            "last_name": self.last_name.data,
            "email": self.email.data or None,
            "phone": self.phone.data or None,
            "date_of_birth": self.date_of_birth.data,
            "postcode": self.postcode.data,
            "benefit": benefit,
            "claim_start": self.claim_start.data if benefit else None,
            **{name: name in chosen for name in CIRCUMSTANCES},
            "goal_sectors": [
                key for key, _label in SECTOR_CHOICES if key in (self.goal_sectors.data or [])
            ],
            "goal_occupations": self.goal_occupations.data or "",
            "min_hours": self.min_hours.data,
            "max_hours": self.max_hours.data,
            "travel_miles": self.travel_miles.data,
            "experience": self.experience.data or "",
            "skills": self.skills.data or "",
            "availability": self.availability.data or "",
        }

    def fill_from(self, customer) -> None:
        """Start an edit from the record as it is."""
        for name in (
            "reference",
            "first_name",
            "last_name",
            "email",
            "phone",
            "date_of_birth",
            "postcode",
            "claim_start",
            "goal_occupations",
            "min_hours",
            "max_hours",
            "travel_miles",
            "experience",
            "skills",
            "availability",
        ):
            getattr(self, name).data = getattr(customer, name)
        self.goal_sectors.data = list(customer.goal_sectors or [])
        self.benefit.data = customer.benefit.value if customer.benefit else NO_BENEFIT
        self.circumstances.data = [name for name in CIRCUMSTANCES if getattr(customer, name)]


class NewCustomerForm(CustomerForm):
    readiness = radio_input(
        _l("How ready for work is the customer?"),
        READINESS_CHOICES,
        required(_l("Select how ready for work the customer is")),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_submitted() and self.travel_miles.data is None:
            self.travel_miles.data = 10


class EditCustomerForm(CustomerForm):
    adviser = select_input(_l("Adviser"), [], required(_l("Select the customer’s adviser")))


class ConsentForm(PortalForm):
    given = radio_input(
        _l("Has the customer agreed to share their details with employers and training providers?"),
        [
            ("yes", _l("Yes, consent given")),
            ("no", _l("No, consent withdrawn or refused")),
        ],
        required(_l("Select whether the customer has given consent")),
    )
    note = text_area(
        _l("Note (optional)"),
        Length(max=500, message=_l("Note must be 500 characters or fewer")),
        description=_l("For example, how consent was given: signed form, by phone"),
    )
    submit = submit_button(_l("Record consent"))


class ReadinessForm(PortalForm):
    readiness = radio_input(
        _l("How ready for work is the customer?"),
        READINESS_CHOICES,
        required(_l("Select how ready for work the customer is")),
    )
    submit = submit_button(_l("Save readiness"))


__all__ = [
    "READINESS_HINTS",
    "ConsentForm",
    "CustomerForm",
    "EditCustomerForm",
    "NewCustomerForm",
    "ReadinessForm",
]
