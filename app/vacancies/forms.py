"""The vacancy form, and the small forms for closing one."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from wtforms import DateField, DecimalField, IntegerField, ValidationError
from wtforms.validators import Length, NumberRange, StopValidation

from app import clock
from app.accounts.models import Site
from app.accounts.rules import normalise_postcode
from app.accounts.sectors import SECTOR_CHOICES
from app.forms import (
    DateInput,
    PortalForm,
    checkboxes,
    radio_input,
    required,
    select_input,
    submit_button,
    text_area,
    text_input,
)
from app.vacancies import services
from app.vacancies.models import ContractType, PayPeriod, Vacancy, VacancyStatus
from app.vacancies.rules import check_pay, hourly_equivalent

NEW_SITE = "new"
YES_NO = [("yes", _l("Yes")), ("no", _l("No"))]

CONTRACT_CHOICES = [
    (ContractType.PERMANENT.value, _l("Permanent")),
    (ContractType.FIXED_TERM.value, _l("Fixed term")),
    (ContractType.TEMPORARY.value, _l("Temporary")),
    (ContractType.SEASONAL.value, _l("Seasonal")),
]
PAY_PERIOD_CHOICES = [
    (PayPeriod.HOURLY.value, _l("An hour")),
    (PayPeriod.WEEKLY.value, _l("A week")),
    (PayPeriod.ANNUAL.value, _l("A year")),
]
PAID, VOLUNTARY, SELF_EMPLOYED = "paid", "voluntary", "self_employed"
WORK_KIND_CHOICES = [
    (PAID, _l("Paid employment")),
    (VOLUNTARY, _l("Voluntary or unpaid work")),
    (SELF_EMPLOYED, _l("Self-employed work")),
]
WORK_TRIAL, GUARANTEED_INTERVIEW = "work_trial", "guaranteed_interview"
OFFER_CHOICES = [
    (WORK_TRIAL, _l("A work trial")),
    (GUARANTEED_INTERVIEW, _l("A guaranteed interview")),
]
CLOSE_CHOICES = [
    (VacancyStatus.FILLED.value, _l("It has been filled")),
    (VacancyStatus.WITHDRAWN.value, _l("We no longer need to fill it (withdraw it)")),
]


class Given:
    """Required, for fields that parse their own answer: "Enter ..." only when it is blank.

    A malformed answer keeps the field's own message ("Hours a week must be a number").
    """

    field_flags = {"required": True}

    def __init__(self, message) -> None:
        self.message = message

    def __call__(self, form, field) -> None:
        if field.data is None:
            if field.process_errors:
                raise StopValidation()
            raise StopValidation(self.message)


class _Number:
    """Reads a number the way people type it ("£1,250.50", " 37.5 "), with a clear message
    when it is not one."""

    def __init__(self, *args, invalid_message, **kwargs) -> None:
        super().__init__(*args, widget=GovTextInput(), **kwargs)
        self.invalid_message = invalid_message

    def process_formdata(self, valuelist) -> None:
        self.data = None
        if not valuelist:
            return
        text = str(valuelist[0]).replace("£", "").replace(",", "").strip()
        if not text:
            return
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(self.invalid_message) from None
        if not number.is_finite():
            raise ValueError(self.invalid_message)
        self.data = self.convert(number)


class WholeNumberField(_Number, IntegerField):
    def convert(self, number: Decimal) -> int:
        if number != number.to_integral_value():
            raise ValueError(self.invalid_message)
        return int(number)


class AmountField(_Number, DecimalField):
    def __init__(self, *args, pence: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.pence = pence

    def convert(self, number: Decimal) -> Decimal:
        return number

    def _value(self) -> str:
        """`37.5` hours, `11.50` or `24000` pounds: as a person would type them."""
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        number = Decimal(self.data)
        if number == number.to_integral_value():
            return str(int(number))
        if self.pence:
            return f"{number:.2f}"
        return format(number.normalize(), "f")


class DayMonthYearField(DateField):
    """A GOV.UK date input that says which part is missing or wrong."""

    def __init__(self, label, *validators, name_in_message, **kwargs) -> None:
        super().__init__(label, validators=list(validators), widget=DateInput(), **kwargs)
        self.name_in_message = name_in_message

    def process_formdata(self, valuelist) -> None:
        # Always three parts, so a tampered request cannot break the widget.
        parts = [str(part).strip() for part in [*valuelist, "", "", ""][:3]]
        self.raw_data = parts
        self.data = None
        if not any(parts):
            return
        name = self.name_in_message
        for part, message in zip(
            parts,
            (
                _l("%(name)s must include a day", name=name),
                _l("%(name)s must include a month", name=name),
                _l("%(name)s must include a year", name=name),
            ),
            strict=True,
        ):
            if not part:
                raise ValueError(message)
        day, month, year = parts
        if not (day.isdigit() and month.isdigit() and year.isdigit()) or len(year) != 4:
            raise ValueError(_l("%(name)s must be a real date", name=name))
        try:
            self.data = dt.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # a day of 20 digits overflows, not a ValueError
            raise ValueError(_l("%(name)s must be a real date", name=name)) from None


class VacancyForm(PortalForm):
    """Everything about a vacancy, in the order the employer answers it."""

    site = radio_input(_l("Where is the job?"), [], required(_l("Select where the job is")))
    new_site_name = text_input(
        _l("Workplace name (optional)"),
        Length(max=200, message=_l("Workplace name must be 200 characters or fewer")),
        description=_l("For example, the branch or depot name"),
    )
    new_address_line_1 = text_input(
        _l("Address line 1"),
        Length(max=200, message=_l("Address line 1 must be 200 characters or fewer")),
    )
    new_town = text_input(
        _l("Town or city"),
        Length(max=100, message=_l("Town or city must be 100 characters or fewer")),
    )
    new_postcode = text_input(_l("Postcode"))

    job_title = text_input(
        _l("Job title"),
        required(_l("Enter the job title")),
        Length(max=200, message=_l("Job title must be 200 characters or fewer")),
    )
    sector = select_input(
        _l("Sector"),
        [("", _l("Select a sector")), *SECTOR_CHOICES],
        required(_l("Select the sector")),
    )
    occupation = text_input(
        _l("Occupation (optional)"),
        Length(max=200, message=_l("Occupation must be 200 characters or fewer")),
        description=_l("For example, sales assistant, care worker, forklift driver"),
    )
    description = text_area(
        _l("Describe the job"),
        required(_l("Enter a description of the job")),
        Length(max=5000, message=_l("Description must be 5000 characters or fewer")),
        description=_l("What the work involves, the shifts and where it is"),
    )
    positions = WholeNumberField(
        _l("Number of positions"),
        [
            Given(_l("Enter the number of positions")),
            NumberRange(
                min=1, max=500, message=_l("Number of positions must be between 1 and 500")
            ),
        ],
        invalid_message=_l("Number of positions must be a whole number, like 2"),
    )
    hours_per_week = AmountField(
        _l("Hours a week"),
        [
            Given(_l("Enter the hours a week")),
            NumberRange(min=1, max=60, message=_l("Hours a week must be between 1 and 60")),
        ],
        invalid_message=_l("Hours a week must be a number, like 37.5"),
    )
    contract_type = radio_input(
        _l("Type of contract"),
        CONTRACT_CHOICES,
        required(_l("Select the type of contract")),
    )

    work_kind = radio_input(
        _l("What kind of work is this?"),
        WORK_KIND_CHOICES,
        required(_l("Select what kind of work this is")),
    )
    pay_amount = AmountField(
        _l("Pay"),
        [Given(_l("Enter the pay"))],
        invalid_message=_l("Pay must be an amount of money, like 11.50 or 24,000"),
        pence=True,
    )
    pay_period = radio_input(
        _l("Is the pay for"),
        PAY_PERIOD_CHOICES,
        required(_l("Select whether the pay is an hourly rate, a weekly wage or a yearly salary")),
    )
    youngest_age = WholeNumberField(
        _l("Youngest age the job is open to"),
        [
            Given(_l("Enter the youngest age the job is open to")),
            NumberRange(min=16, max=99, message=_l("Youngest age must be between 16 and 99")),
        ],
        invalid_message=_l("Youngest age must be a whole number, like 18"),
        description=_l(
            "Usually 18. The minimum wage depends on age, so we check the pay against the "
            "rate for this age."
        ),
    )

    entry_level = radio_input(
        _l("Is this an entry-level job?"),
        YES_NO,
        required(_l("Select yes if this is an entry-level job")),
        description=_l("A job someone could learn without previous experience in this work"),
    )
    involves_driving = radio_input(
        _l("Does the job involve driving?"),
        YES_NO,
        required(_l("Select yes if the job involves driving")),
    )
    essential_requirements = text_area(
        _l("Essential requirements (optional)"),
        Length(max=2000, message=_l("Essential requirements must be 2000 characters or fewer")),
        description=_l("What candidates must have to do the job from day one"),
    )
    desirable_requirements = text_area(
        _l("Desirable requirements (optional)"),
        Length(max=2000, message=_l("Desirable requirements must be 2000 characters or fewer")),
    )
    how_to_apply = text_area(
        _l("How do candidates apply?"),
        required(_l("Enter how candidates apply")),
        Length(max=2000, message=_l("How to apply must be 2000 characters or fewer")),
        description=_l("For example, phone the manager, send a CV, or fill in a short form"),
    )
    closing_date = DayMonthYearField(
        _l("Closing date"),
        Given(_l("Enter the closing date")),
        name_in_message=_l("Closing date"),
        description=_l("For example, 27 3 2027"),
    )
    offers = checkboxes(
        _l("Will you offer Jobcentre Plus candidates any of these?"),
        OFFER_CHOICES,
        description=_l("Select all that apply"),
    )
    submit = submit_button(_l("Save as draft"))

    def __init__(
        self, *args, sites: list[Site], strict_pay: bool = False, new_sites: bool = True, **kwargs
    ) -> None:
        """`sites` are the organisation's; `strict_pay` refuses pay below the minimum wage
        (for a vacancy already submitted) rather than leaving the warning for the preview;
        `new_sites` offers a new address (owners and staff: a recruiter uses the sites the
        owners keep)."""
        super().__init__(*args, **kwargs)
        self.strict_pay = strict_pay
        self.site.choices = [
            (str(site.id), f"{site.name}, {site.address_line_1}, {site.town}, {site.postcode}")
            for site in sites
        ] + ([(NEW_SITE, _l("A new address"))] if new_sites or not sites else [])
        if not self.is_submitted():
            if self.youngest_age.data is None:
                self.youngest_age.data = 18
            if not sites and self.site.data is None:
                self.site.data = NEW_SITE

    def validate_work_kind(self, field) -> None:
        if field.data == VOLUNTARY:
            raise ValidationError(
                _l(
                    "You cannot post voluntary or unpaid work. Local Employment Partnership "
                    "jobs must be paid employment"
                )
            )
        if field.data == SELF_EMPLOYED:
            raise ValidationError(
                _l(
                    "You cannot post self-employed work. Local Employment Partnership jobs "
                    "must be paid employment"
                )
            )

    def validate_pay_amount(self, field) -> None:
        if field.data <= 0:
            raise ValidationError(_l("Pay must be more than £0"))
        if field.data >= 1_000_000:
            raise ValidationError(_l("Pay must be less than £1,000,000"))
        if field.data.as_tuple().exponent < -2:
            raise ValidationError(_l("Pay must be in pounds and pence, like 11.50"))

    def validate_closing_date(self, field) -> None:
        problem = services.closing_date_problem(field.data, clock.today())
        if problem:
            raise ValidationError(problem)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.site.data == NEW_SITE:
            valid = self._validate_new_site() and valid
        if self.strict_pay and not (self.pay_amount.errors or self.hours_per_week.errors):
            valid = self._validate_pay_against_minimum_wage() and valid
        return valid

    def _validate_new_site(self) -> bool:
        valid = True
        for field, message in (
            (self.new_address_line_1, _l("Enter the first line of the address")),
            (self.new_town, _l("Enter the town or city")),
            (self.new_postcode, _l("Enter the postcode")),
        ):
            if not field.data and not field.errors:
                field.errors = [*field.errors, message]
                valid = False
        postcode = self.new_postcode
        if postcode.data and normalise_postcode(postcode.data) is None:
            postcode.errors = [*postcode.errors, _l("Enter a full postcode, like LS1 4AP")]
            valid = False
        return valid

    def _validate_pay_against_minimum_wage(self) -> bool:
        if (
            self.pay_amount.data is None
            or self.hours_per_week.data is None
            or self.youngest_age.data is None
            or self.youngest_age.errors
            or self.pay_period.errors
            or self.pay_period.data is None
        ):
            return True
        check = check_pay(self.hourly_pay(), clock.today(), self.youngest_age.data)
        if check.below_minimum:
            self.pay_amount.errors = [
                *self.pay_amount.errors,
                services.below_minimum_message(check),
            ]
            return False
        return True

    def hourly_pay(self) -> Decimal:
        return hourly_equivalent(
            self.pay_amount.data, self.pay_period.data, self.hours_per_week.data
        )

    def fill_from(self, vacancy: Vacancy) -> None:
        """Start from a saved vacancy (editing, or a copy)."""
        self.site.data = str(vacancy.site_id)
        for name in (
            "job_title",
            "sector",
            "occupation",
            "description",
            "positions",
            "hours_per_week",
            "pay_amount",
            "youngest_age",
            "closing_date",
            "essential_requirements",
            "desirable_requirements",
            "how_to_apply",
        ):
            getattr(self, name).data = getattr(vacancy, name)
        self.contract_type.data = ContractType(vacancy.contract_type).value
        self.pay_period.data = PayPeriod(vacancy.pay_period).value
        self.work_kind.data = PAID
        self.entry_level.data = "yes" if vacancy.entry_level else "no"
        self.involves_driving.data = "yes" if vacancy.involves_driving else "no"
        self.offers.data = [
            value
            for value, offered in (
                (WORK_TRIAL, vacancy.offers_work_trial),
                (GUARANTEED_INTERVIEW, vacancy.offers_guaranteed_interview),
            )
            if offered
        ]

    def to_details(self) -> services.VacancyDetails:
        new_site = None
        site_id = None
        if self.site.data == NEW_SITE:
            new_site = services.NewSite(
                name=self.new_site_name.data or "",
                address_line_1=self.new_address_line_1.data or "",
                town=self.new_town.data or "",
                postcode=normalise_postcode(self.new_postcode.data or "") or "",
            )
        else:
            site_id = uuid.UUID(self.site.data)
        offers = self.offers.data or []
        return services.VacancyDetails(
            site_id=site_id,
            new_site=new_site,
            job_title=self.job_title.data,
            sector=self.sector.data,
            occupation=self.occupation.data or "",
            description=self.description.data,
            positions=self.positions.data,
            hours_per_week=self.hours_per_week.data,
            contract_type=ContractType(self.contract_type.data),
            pay_amount=self.pay_amount.data,
            pay_period=PayPeriod(self.pay_period.data),
            youngest_age=self.youngest_age.data,
            closing_date=self.closing_date.data,
            essential_requirements=self.essential_requirements.data or "",
            desirable_requirements=self.desirable_requirements.data or "",
            how_to_apply=self.how_to_apply.data,
            entry_level=self.entry_level.data == "yes",
            involves_driving=self.involves_driving.data == "yes",
            offers_work_trial=WORK_TRIAL in offers,
            offers_guaranteed_interview=GUARANTEED_INTERVIEW in offers,
        )


class SubmitForm(PortalForm):
    submit = submit_button(_l("Submit vacancy"))


class CloseForm(PortalForm):
    reason = radio_input(
        _l("Why are you closing this vacancy?"),
        CLOSE_CHOICES,
        required(_l("Select why you are closing this vacancy")),
    )
    submit = submit_button(_l("Close vacancy"))
