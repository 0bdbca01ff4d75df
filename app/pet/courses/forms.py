"""Forms for designing a PET course and recording its delivery plan meeting.

Choices that come from the database (employers, providers, staff) are set by the view
before validation; a posted value not among them is "Not a valid choice".
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import DecimalField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from app.forms import (
    PortalForm,
    checkbox,
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
from app.pet.courses.queries import MAX_WEEKS
from app.pet.courses.rules import FUNDING_ROUTE_LABELS
from app.pet.courses.services import (
    CourseDetails,
    FundingChoice,
    ModuleDetails,
    PlanDetails,
)
from app.pet.labels import (
    ATTENDEE_PARTY_LABELS,
    COST_PAYER_LABELS,
    COURSE_MODEL_LABELS,
    FOLLOW_ON_LABELS,
    MODULE_KIND_LABELS,
    VENUE_LABELS,
)
from app.pet.models import CostPayer, CourseModel, FollowOn, ModuleKind, Venue
from app.pet.toolkits import TOOLKIT_CHOICES

MAX_TEXT = 2000
MAX_PLACES = 100
# Blank attendee rows on the delivery plan form: enough for every party without JavaScript.
ATTENDEE_ROWS = 10


def _text(label, limit: int, *validators, **kwargs):
    return text_input(
        label,
        *validators,
        Length(max=limit, message=_l("Enter %(max)s characters or fewer", max=limit)),
        **kwargs,
    )


def _long_text(label, *validators, limit: int = MAX_TEXT, **kwargs):
    return text_area(
        label,
        *validators,
        Length(max=limit, message=_l("Enter %(max)s characters or fewer", max=limit)),
        **kwargs,
    )


def _plain_number_errors(field, message) -> None:
    """Something that is not a number at all: say so in plain English, not WTForms' words."""
    if field.raw_data and field.raw_data[0].strip() and field.data is None:
        field.errors = [message]


def _uuid_or_none(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


# The fields only a new course has, made before the shared ones so that the form (and its
# error summary) lists them first, in the order the page shows them.
_NEW_MODEL = radio_input(
    _l("What kind of course is it?"),
    [(model.value, COURSE_MODEL_LABELS[model.value]) for model in CourseModel],
    required(_l("Select whether the course is for one employer or for a sector")),
)
_NEW_TOOLKIT = radio_input(
    _l("Which Sector Employability Toolkit does it start from?"),
    TOOLKIT_CHOICES,
    required(_l("Select the toolkit the course starts from")),
    description=_l(
        "Each toolkit is two weeks of modules. You can add, remove and reorder modules "
        "after the course is created."
    ),
)
_NEW_WORK_TRIAL = checkbox(_l("Add the toolkit's work trial week after the training"))
_NEW_EMPLOYERS = checkboxes(
    _l("Employers"),
    [],
    description=_l(
        "A bespoke course is for one employer: select it. Leave these empty for a sector "
        "course: once it is created you invite small and medium-sized employers to join it, "
        "each with the guaranteed interviews it offers."
    ),
)


class _CourseFields(PortalForm):
    """What a course has besides its model, toolkit and employers."""

    title = _text(
        _l("Course title"),
        200,
        DataRequired(message=_l("Enter a title for the course")),
        description=_l("For example, Retail routeway for Northgate Stores"),
    )
    provider = select_input(
        _l("Training provider"),
        [],
        DataRequired(message=_l("Select the training provider who will deliver the course")),
    )
    venue = radio_input(
        _l("Where will the course take place?"),
        [(venue.value, VENUE_LABELS[venue.value]) for venue in Venue],
        required(_l("Select where the course will take place")),
    )
    venue_address = _text(_l("Address of the venue (optional)"), 300)
    start_date = date_input(
        _l("Start date"),
        required(_l("Enter the date the course starts, like 12 1 2027")),
        description=_l("For example, 12 1 2027"),
    )
    places = whole_number(
        _l("Number of places"),
        required(_l("Enter the number of places on the course")),
        NumberRange(min=1, max=MAX_PLACES, message=_l("Enter a number from 1 to 100")),
    )
    follow_on = radio_input(
        _l("What follows the course?"),
        [(item.value, FOLLOW_ON_LABELS[item.value]) for item in FollowOn],
        required(_l("Select what follows the course")),
    )
    suitability_criteria = _long_text(
        _l("Who is the course suitable for? (optional)"),
        description=_l(
            "The customer suitability criteria, for example able to stand for long periods "
            "or happy to work early shifts."
        ),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        _plain_number_errors(self.places, _l("Enter the number of places as a number, like 12"))
        return valid

    def set_providers(self, providers) -> None:
        self.provider.choices = [("", _l("Choose a provider"))] + [
            (str(provider.id), provider.name) for provider in providers
        ]

    def details(self) -> CourseDetails:
        return CourseDetails(
            title=self.title.data,
            provider_id=_uuid_or_none(self.provider.data),
            venue=Venue(self.venue.data),
            venue_address=self.venue_address.data or "",
            start_date=self.start_date.data,
            places=self.places.data,
            follow_on=FollowOn(self.follow_on.data),
            suitability_criteria=self.suitability_criteria.data or "",
        )

    def fill_from(self, course) -> None:
        self.title.data = course.title
        self.provider.data = str(course.provider_id) if course.provider_id else ""
        self.venue.data = course.venue.value
        self.venue_address.data = course.venue_address
        self.start_date.data = course.start_date
        self.places.data = course.places
        self.follow_on.data = course.follow_on.value
        self.suitability_criteria.data = course.suitability_criteria


class NewCourseForm(_CourseFields):
    model = _NEW_MODEL
    toolkit = _NEW_TOOLKIT
    work_trial = _NEW_WORK_TRIAL
    employers = _NEW_EMPLOYERS
    submit = submit_button(_l("Create course"))

    def set_employers(self, organisations) -> None:
        self.employers.choices = [
            (str(organisation.id), organisation.name) for organisation in organisations
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        chosen = self.employers.data or []
        if self.model.data == CourseModel.BESPOKE.value and len(chosen) != 1:
            self.employers.errors = [
                *self.employers.errors,
                _l("Select one employer for a bespoke course"),
            ]
            valid = False
        if self.model.data == CourseModel.SECTOR.value and chosen:
            # Each employer of a sector course says itself that it joins, and with how many
            # interviews: the invitations come after the course is made.
            self.employers.errors = [
                *self.employers.errors,
                _l(
                    "Select no employers for a sector course: you invite them once the course "
                    "is created"
                ),
            ]
            valid = False
        if self.start_date.data is not None and self.start_date.data < self._today:
            self.start_date.errors = [
                *self.start_date.errors,
                _l("The start date must be today or in the future"),
            ]
            valid = False
        return valid

    def __init__(self, *args, today: dt.date, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._today = today

    def organisation_ids(self) -> list[uuid.UUID]:
        return [uuid.UUID(value) for value in self.employers.data or []]


class CourseForm(_CourseFields):
    """The course's details, its funding route and who pays travel and childcare."""

    funding_route = radio_input(_l("Funding route"), [], Optional())
    funding_passed_over_reason = _long_text(
        _l("Why was an earlier funding route not used?"), limit=1000
    )
    travel_paid_by = radio_input(
        _l("Who pays customers' travel costs?"),
        [(payer.value, COST_PAYER_LABELS[payer.value]) for payer in CostPayer],
        Optional(),
    )
    childcare_paid_by = radio_input(
        _l("Who pays customers' childcare costs?"),
        [(payer.value, COST_PAYER_LABELS[payer.value]) for payer in CostPayer],
        Optional(),
    )
    submit = submit_button(_l("Save changes"))

    def set_routes(self, routes: list[str]) -> None:
        """Offer the routes in the nation's order, first choice first."""
        self.routes = routes
        self.funding_route.choices = [(route, FUNDING_ROUTE_LABELS[route]) for route in routes]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        route = self.funding_route.data
        passed_over = route in self.routes and self.routes.index(route) > 0
        if passed_over and not self.funding_passed_over_reason.data:
            self.funding_passed_over_reason.errors = [
                *self.funding_passed_over_reason.errors,
                _l(
                    "Enter why %(route)s was not used",
                    route=FUNDING_ROUTE_LABELS[self.routes[0]],
                ),
            ]
            valid = False
        return valid

    def funding(self) -> FundingChoice:
        return FundingChoice(
            funding_route=self.funding_route.data or None,
            passed_over_reason=self.funding_passed_over_reason.data or "",
            travel_paid_by=CostPayer(self.travel_paid_by.data)
            if self.travel_paid_by.data
            else None,
            childcare_paid_by=(
                CostPayer(self.childcare_paid_by.data) if self.childcare_paid_by.data else None
            ),
        )

    def fill_from(self, course) -> None:
        super().fill_from(course)
        self.funding_route.data = course.funding_route
        self.funding_passed_over_reason.data = course.funding_passed_over_reason
        self.travel_paid_by.data = course.travel_paid_by.value if course.travel_paid_by else None
        self.childcare_paid_by.data = (
            course.childcare_paid_by.value if course.childcare_paid_by else None
        )


class ModuleForm(PortalForm):
    title = _text(_l("Module title"), 200, DataRequired(message=_l("Enter the module's title")))
    kind = select_input(
        _l("Kind of module"),
        # A required select starts with a blank choice (HTML), so nothing is chosen unasked.
        [("", _l("Select a kind")), *((k.value, MODULE_KIND_LABELS[k.value]) for k in ModuleKind)],
        required(_l("Select the kind of module")),
    )
    week = whole_number(
        _l("Week"),
        required(_l("Enter the week of the course the module is in")),
        NumberRange(
            min=1,
            max=MAX_WEEKS,
            message=_l("Enter a week from 1 to %(max)s", max=MAX_WEEKS),
        ),
    )
    hours = DecimalField(
        _l("Hours"),
        validators=[
            required(_l("Enter the module's hours, like 6 or 2.5")),
            NumberRange(
                min=Decimal("0.5"),
                max=Decimal("40"),
                message=_l("Enter hours from 0.5 to 40"),
            ),
        ],
        places=1,
        widget=GovTextInput(),
    )
    description = _long_text(_l("What the module covers (optional)"), limit=1000)
    submit = submit_button(_l("Add module"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        _plain_number_errors(self.week, _l("Enter the week as a number, like 2"))
        _plain_number_errors(self.hours, _l("Enter the module's hours as a number, like 6 or 2.5"))
        # Only a number in range: 2 % 1 of a number of thirty digits raises InvalidOperation.
        if not self.hours.errors and self.hours.data is not None and self.hours.data * 2 % 1 != 0:
            self.hours.errors = [*self.hours.errors, _l("Enter hours in whole or half hours")]
            valid = False
        return valid

    def details(self) -> ModuleDetails:
        return ModuleDetails(
            title=self.title.data,
            kind=ModuleKind(self.kind.data),
            week=self.week.data,
            hours=self.hours.data,
            description=self.description.data or "",
        )

    def fill_from(self, module) -> None:
        self.title.data = module.title
        self.kind.data = module.kind.value
        self.week.data = module.week
        self.hours.data = Decimal(module.hours)
        self.description.data = module.description


class CommentForm(PortalForm):
    body = _long_text(
        _l("Your comment"),
        DataRequired(message=_l("Enter your comment")),
        description=_l("Jobcentre Plus and the training provider will see it."),
    )
    proposes_change = checkbox(_l("This is a change I propose to the course"))
    submit = submit_button(_l("Send comment"))


PARTY_CHOICES = [("", _l("Choose a party")), *ATTENDEE_PARTY_LABELS.items()]


class PlanForm(PortalForm):
    """The delivery plan meeting's record. Attendees are rows of name, email and party:
    `attendee_<n>_name`, `attendee_<n>_email`, `attendee_<n>_party`."""

    meeting_date = date_input(
        _l("Date of the meeting"),
        required(_l("Enter the date of the meeting, like 5 1 2027")),
        description=_l("For example, 5 1 2027"),
    )
    measures_agreed = _long_text(
        _l("Measures agreed"),
        DataRequired(message=_l("Enter the measures agreed")),
        description=_l("For example, a guaranteed interview for everyone who completes."),
    )
    roles_and_responsibilities = _long_text(
        _l("Roles and responsibilities"),
        DataRequired(message=_l("Enter each party's roles and responsibilities")),
        description=_l("What the employer, the district, the provider and commissioning will do."),
    )
    suitability_criteria = _long_text(
        _l("Customer suitability criteria"),
        DataRequired(message=_l("Enter who the course is suitable for")),
    )
    single_point_of_contact = select_input(
        _l("Single point of contact"),
        [],
        DataRequired(message=_l("Select the single point of contact")),
        description=_l("Usually the Third Party Provision Manager."),
    )
    update_frequency = _text(
        _l("How often everyone gets updates"),
        100,
        DataRequired(message=_l("Enter how often everyone gets updates")),
        description=_l("For example, every Friday by email."),
    )
    submit = submit_button(_l("Save delivery plan"))

    def attendee_rows(self) -> list[tuple[object, object, object]]:
        return [
            (
                getattr(self, f"attendee_{row}_name"),
                getattr(self, f"attendee_{row}_email"),
                getattr(self, f"attendee_{row}_party"),
            )
            for row in range(ATTENDEE_ROWS)
        ]

    def set_contacts(self, staff) -> None:
        self.single_point_of_contact.choices = [("", _l("Choose a person"))] + [
            (str(person.id), f"{person.name} ({person.email})") for person in staff
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        parties = set()
        for name, email, party in self.attendee_rows():
            if not (name.data or email.data):
                if party.data:
                    name.errors = [*name.errors, _l("Enter the attendee's name")]
                    valid = False
                continue
            for field, message in (
                (name, _l("Enter the attendee's name")),
                (email, _l("Enter the attendee's email address")),
                (party, _l("Select the attendee's party")),
            ):
                if not field.data and not field.errors:
                    field.errors = [message]
                    valid = False
            if party.data:
                parties.add(party.data)
        missing = [label for key, label in ATTENDEE_PARTY_LABELS.items() if key not in parties]
        if missing:
            first = self.attendee_rows()[0][0]
            first.errors = [
                *first.errors,
                _l(
                    "Add at least one attendee from each party. Missing: %(parties)s",
                    parties=", ".join(str(label) for label in missing),
                ),
            ]
            valid = False
        return valid

    def attendees(self) -> list[dict]:
        return [
            {"name": name.data, "email": email.data, "party": party.data}
            for name, email, party in self.attendee_rows()
            if name.data or email.data
        ]

    def details(self) -> PlanDetails:
        return PlanDetails(
            meeting_date=self.meeting_date.data,
            attendees=self.attendees(),
            measures_agreed=self.measures_agreed.data,
            roles_and_responsibilities=self.roles_and_responsibilities.data,
            suitability_criteria=self.suitability_criteria.data,
            single_point_of_contact_id=uuid.UUID(self.single_point_of_contact.data),
            update_frequency=self.update_frequency.data,
        )

    def fill_from(self, plan) -> None:
        self.meeting_date.data = plan.meeting_date
        self.measures_agreed.data = plan.measures_agreed
        self.roles_and_responsibilities.data = plan.roles_and_responsibilities
        self.suitability_criteria.data = plan.suitability_criteria
        self.update_frequency.data = plan.update_frequency
        if plan.single_point_of_contact_id:
            self.single_point_of_contact.data = str(plan.single_point_of_contact_id)
        for (name, email, party), attendee in zip(
            self.attendee_rows(), plan.attendees, strict=False
        ):
            name.data = attendee.get("name", "")
            email.data = attendee.get("email", "")
            party.data = attendee.get("party", "")


for _row in range(ATTENDEE_ROWS):
    setattr(
        PlanForm,
        f"attendee_{_row}_name",
        _text(_l("Name"), 200, Optional()),
    )
    setattr(
        PlanForm,
        f"attendee_{_row}_email",
        _text(
            _l("Email address"),
            254,
            Optional(),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com"),
                check_deliverability=False,
            ),
        ),
    )
    setattr(
        PlanForm,
        f"attendee_{_row}_party",
        select_input(_l("Party"), PARTY_CHOICES, Optional()),
    )


class ActionForm(PortalForm):
    description = _text(_l("Action"), 500, DataRequired(message=_l("Enter what needs to be done")))
    owner = select_input(_l("Owner"), [], DataRequired(message=_l("Select who owns the action")))
    due_on = date_input(
        _l("Due date"),
        required(_l("Enter the date the action is due, like 19 1 2027")),
        description=_l("For example, 19 1 2027"),
    )
    submit = submit_button(_l("Add action point"))

    def set_owners(self, owners) -> None:
        self.owner.choices = [("", _l("Choose a person"))] + [
            (str(person.id), _owner_label(person)) for person in owners
        ]


def _owner_label(person) -> str:
    if person.provider is not None:
        return f"{person.name} ({person.provider.name})"
    return f"{person.name} ({person.email})"
