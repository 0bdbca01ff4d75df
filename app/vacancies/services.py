"""Posting, changing, submitting, closing and copying vacancies.

Every lookup goes through the signed-in employer's organisation (or, for staff, their
district), so another organisation's vacancy id finds nothing. Operations `db.session.add`
what they change; the view commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.accounts.models import Organisation, Site
from app.accounts.rules import normalise_postcode
from app.accounts.services import district_for_postcode
from app.auth.models import Role, User
from app.callbacks.models import CallBack
from app.callbacks.services import open_callback
from app.clock import now, today
from app.compare_and_set import compare_and_set
from app.extensions import db
from app.mail.services import queue_email
from app.vacancies.models import ContractType, PayPeriod, Vacancy, VacancyStatus
from app.vacancies.rules import (
    FairShotAdvice,
    PayCheck,
    advice_for,
    check_pay,
    fair_shot_advice,
    hourly_equivalent,
)

#: How far ahead a closing date may be.
LONGEST_OPEN = dt.timedelta(days=365)

EDITABLE_BY_EMPLOYER = frozenset({VacancyStatus.DRAFT, VacancyStatus.SUBMITTED, VacancyStatus.LIVE})
#: An LMRA corrects details at the call-back, so only once the vacancy has been submitted.
EDITABLE_BY_STAFF = frozenset({VacancyStatus.SUBMITTED, VacancyStatus.LIVE})
CLOSABLE = frozenset({VacancyStatus.SUBMITTED, VacancyStatus.LIVE})
CLOSED = frozenset({VacancyStatus.FILLED, VacancyStatus.WITHDRAWN})

# The details a copy ("post a similar vacancy") takes from the original.
COPIED = (
    "site_id",
    "district_id",
    "job_title",
    "sector",
    "occupation",
    "description",
    "positions",
    "hours_per_week",
    "contract_type",
    "pay_amount",
    "pay_period",
    "hourly_pay",
    "youngest_age",
    "essential_requirements",
    "desirable_requirements",
    "how_to_apply",
    "entry_level",
    "involves_driving",
    "offers_work_trial",
    "offers_guaranteed_interview",
)


# ---------------------------------------------------------------------------------------------
# Pay and fair-shot advice, as the employer reads them
# ---------------------------------------------------------------------------------------------


def pay_check(vacancy: Vacancy, on: dt.date | None = None) -> PayCheck:
    return check_pay(vacancy.hourly_pay, on or today(), vacancy.youngest_age)


def _pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def _ages(ages: tuple[int, int | None]) -> str:
    youngest, oldest = ages
    if oldest is None:
        return _("%(youngest)s and over", youngest=youngest)
    return _("%(youngest)s to %(oldest)s", youngest=youngest, oldest=oldest)


def _lawful_ages_sentence(check: PayCheck) -> str:
    if check.lawful_ages is None:
        return _(
            "At this pay you cannot lawfully employ anyone: it is below the minimum wage "
            "for every age."
        )
    return _(
        "At this pay you can lawfully employ people aged %(ages)s only.",
        ages=_ages(check.lawful_ages),
    )


def below_minimum_message(check: PayCheck) -> str:
    """Why the pay is refused, and which ages the employer could lawfully employ at it."""
    youngest, oldest = check.band
    if oldest is None:
        who = _("people aged %(youngest)s and over", youngest=youngest)
    else:
        who = _("%(youngest)s to %(oldest)s year olds", youngest=youngest, oldest=oldest)
    wage = _("National Living Wage") if check.living_wage else _("National Minimum Wage")
    return " ".join(
        [
            _(
                "%(pay)s an hour is below the %(wage)s of %(minimum)s for %(who)s.",
                pay=_pounds(check.hourly_pay),
                wage=wage,
                minimum=_pounds(check.minimum),
                who=who,
            ),
            _lawful_ages_sentence(check),
        ]
    )


def limited_ages_message(check: PayCheck) -> str:
    """For pay that is lawful for the youngest age but not for older workers."""
    return " ".join(
        [
            _lawful_ages_sentence(check),
            _(
                "To employ anyone aged %(age)s or over you must pay at least %(rate)s an hour.",
                age=check.adult_age,
                rate=_pounds(check.adult_rate),
            ),
        ]
    )


def advice_now(vacancy: Vacancy) -> list[FairShotAdvice]:
    """The fair-shot advice the vacancy's current wording gets."""
    return fair_shot_advice(
        vacancy.essential_requirements,
        vacancy.desirable_requirements,
        vacancy.how_to_apply,
        entry_level=vacancy.entry_level,
        involves_driving=vacancy.involves_driving,
    )


def advice_given(vacancy: Vacancy) -> list[FairShotAdvice]:
    """The advice recorded as shown to the employer, for staff to see."""
    given = (advice_for(item["code"], item["requirement"]) for item in vacancy.fair_shot_advice)
    return [advice for advice in given if advice is not None]


def _record_advice(vacancy: Vacancy) -> None:
    """Add the advice the employer is now shown to what they were shown before."""
    recorded = [dict(item) for item in vacancy.fair_shot_advice or []]
    codes = {item["code"] for item in recorded}
    for advice in advice_now(vacancy):
        if advice.code not in codes:
            recorded.append({"code": advice.code, "requirement": advice.requirement})
    vacancy.fair_shot_advice = recorded  # a new list, so the JSON column sees the change


# ---------------------------------------------------------------------------------------------
# Changes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewSite:
    name: str
    address_line_1: str
    town: str
    postcode: str


@dataclass(frozen=True)
class VacancyDetails:
    """What the vacancy form collects, as plain values."""

    site_id: uuid.UUID | None
    new_site: NewSite | None
    job_title: str
    sector: str
    occupation: str
    description: str
    positions: int
    hours_per_week: Decimal
    contract_type: ContractType
    pay_amount: Decimal
    pay_period: PayPeriod
    youngest_age: int
    closing_date: dt.date | None
    essential_requirements: str
    desirable_requirements: str
    how_to_apply: str
    entry_level: bool
    involves_driving: bool
    offers_work_trial: bool
    offers_guaranteed_interview: bool

    @property
    def hourly_pay(self) -> Decimal:
        return hourly_equivalent(self.pay_amount, self.pay_period.value, self.hours_per_week)


def _site(organisation: Organisation, details: VacancyDetails) -> Site:
    if details.new_site is not None:
        new = details.new_site
        site = Site(
            organisation=organisation,
            name=new.name or new.address_line_1,
            address_line_1=new.address_line_1,
            town=new.town,
            postcode=normalise_postcode(new.postcode) or new.postcode,
        )
        db.session.add(site)
        return site
    site = next((s for s in organisation.sites if s.id == details.site_id), None)
    if site is None:
        raise ValueError("the site is not one of the organisation's")
    return site


def _apply(vacancy: Vacancy, organisation: Organisation, details: VacancyDetails) -> None:
    site = _site(organisation, details)
    vacancy.site = site
    # The site's district (its nation sets the call-back's bank holidays), else the employer's.
    vacancy.district = district_for_postcode(site.postcode) or organisation.district
    vacancy.job_title = details.job_title
    vacancy.sector = details.sector
    vacancy.occupation = details.occupation
    vacancy.description = details.description
    vacancy.positions = details.positions
    vacancy.hours_per_week = details.hours_per_week.quantize(Decimal("0.01"), ROUND_HALF_UP)
    vacancy.contract_type = details.contract_type
    vacancy.pay_amount = details.pay_amount
    vacancy.pay_period = details.pay_period
    vacancy.hourly_pay = hourly_equivalent(
        details.pay_amount, details.pay_period.value, vacancy.hours_per_week
    )
    vacancy.youngest_age = details.youngest_age
    vacancy.closing_date = details.closing_date
    vacancy.essential_requirements = details.essential_requirements
    vacancy.desirable_requirements = details.desirable_requirements
    vacancy.how_to_apply = details.how_to_apply
    vacancy.entry_level = details.entry_level
    vacancy.involves_driving = details.involves_driving
    vacancy.offers_work_trial = details.offers_work_trial
    vacancy.offers_guaranteed_interview = details.offers_guaranteed_interview


def create_vacancy(
    organisation: Organisation, created_by: User, details: VacancyDetails
) -> Vacancy:
    """A new draft."""
    vacancy = Vacancy(
        organisation=organisation,
        created_by=created_by,
        status=VacancyStatus.DRAFT,
        fair_shot_advice=[],
    )
    _apply(vacancy, organisation, details)
    db.session.add(vacancy)
    return vacancy


def update_vacancy(vacancy: Vacancy, details: VacancyDetails, *, changed_by: User) -> None:
    if vacancy.status not in EDITABLE_BY_EMPLOYER:
        raise ValueError(f"a {vacancy.status} vacancy cannot be changed")
    _apply(vacancy, vacancy.organisation, details)
    if changed_by.role is Role.EMPLOYER and vacancy.status is not VacancyStatus.DRAFT:
        # The employer sees the advice again when they change a submitted vacancy.
        _record_advice(vacancy)


@dataclass(frozen=True)
class Problem:
    """A reason a vacancy cannot be submitted, and the form field that fixes it."""

    field: str
    message: str


class SubmissionRefused(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


class NotADraft(Exception):
    """Someone else (or a second click) submitted it first."""


def closing_date_problem(closing_date: dt.date | None, on: dt.date) -> str | None:
    if closing_date is None:
        return _("Enter the closing date")
    if closing_date < on:
        return _("The closing date must be today or in the future")
    if closing_date > on + LONGEST_OPEN:
        return _("The closing date must be within a year from today")
    return None


def submission_problems(vacancy: Vacancy, on: dt.date) -> list[Problem]:
    problems = []
    check = pay_check(vacancy, on)
    if check.below_minimum:
        problems.append(Problem("pay_amount", below_minimum_message(check)))
    date_problem = closing_date_problem(vacancy.closing_date, on)
    if date_problem:
        problems.append(Problem("closing_date", date_problem))
    return problems


def submit_vacancy(vacancy: Vacancy, submitted_by: User, *, notify: User | None = None) -> CallBack:
    """Submit a draft: check its pay on the day, record the advice shown, open the call-back.

    The confirmation goes to `notify` (the employer, when staff submit for it), else to
    whoever submitted. Raises SubmissionRefused with what to fix, or NotADraft when it was
    submitted already.
    """
    problems = submission_problems(vacancy, today())
    if problems:
        raise SubmissionRefused(problems)
    moment = now()
    # One conditional UPDATE decides, so two submissions at once open one call-back.
    won = compare_and_set(
        Vacancy,
        vacancy.id,
        VacancyStatus.DRAFT,
        {"status": VacancyStatus.SUBMITTED, "submitted_at": moment},
    )
    if not won:
        raise NotADraft
    vacancy.status = VacancyStatus.SUBMITTED
    vacancy.submitted_at = moment
    vacancy.fair_shot_advice = []
    _record_advice(vacancy)
    callback = open_callback(vacancy, placed_at=moment)
    recipient = notify or submitted_by
    queue_email(
        recipient.email,
        _l("We have your vacancy for %(job_title)s", job_title=vacancy.job_title),
        "vacancy_submitted",
        user=recipient,
        vacancy=vacancy,
        due_at=callback.due_at,
    )
    return callback


def close_vacancy(vacancy: Vacancy, status: VacancyStatus) -> None:
    if status not in CLOSED:
        raise ValueError(f"{status} is not a way to close a vacancy")
    if vacancy.status not in CLOSABLE:
        raise ValueError(f"a {vacancy.status} vacancy cannot be closed")
    vacancy.status = status
    vacancy.closed_at = now()


def copy_vacancy(vacancy: Vacancy, created_by: User) -> Vacancy:
    """A new draft with the same details ("post a similar vacancy").

    The closing date is kept only while it could still be submitted; the fair-shot advice
    is not copied, because it records what was shown for the original.
    """
    copy = Vacancy(
        organisation_id=vacancy.organisation_id,
        created_by=created_by,
        status=VacancyStatus.DRAFT,
        copied_from_id=vacancy.id,
        fair_shot_advice=[],
        **{name: getattr(vacancy, name) for name in COPIED},
    )
    if closing_date_problem(vacancy.closing_date, today()) is None:
        copy.closing_date = vacancy.closing_date
    db.session.add(copy)
    return copy
