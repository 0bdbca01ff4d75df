"""Posting a vacancy as a draft, every answer's checks, the preview, changes, closing, copying,
and that an employer only ever reaches its own organisation's vacancies."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.accounts.models import Site
from app.extensions import db
from app.vacancies import services
from app.vacancies.models import ContractType, PayPeriod, Vacancy, VacancyStatus
from tests.factories import DistrictFactory, OrganisationFactory, employer_user, nation
from tests.helpers import freeze_today, get_page, page_title, post_form, sign_in
from tests.vacancy_factories import VacancyFactory, submitted_vacancy, vacancy_form

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    """Dates are checked against the service's "today": fix it, so no test depends on the
    real date."""
    freeze_today(monkeypatch, TODAY)
    return TODAY


@pytest.fixture
def employer():
    return employer_user()


@pytest.fixture
def site(employer) -> Site:
    return employer.organisation.sites[0]


def vacancies() -> list[Vacancy]:
    return list(db.session.scalars(select(Vacancy).order_by(Vacancy.created_at)))


def error_summary(html: str) -> list[str]:
    """The messages in the GOV.UK error summary, in order."""
    summary = html.split('govuk-error-summary__list"', 1)
    assert len(summary) == 2, "no error summary"
    listed = summary[1].split("</ul>", 1)[0]
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r">([^<>]+)</a>", listed)]


def post_new(client, data: dict, status: int):
    return post_form(client, "/vacancies/new", data, status=status)


# ---------------------------------------------------------------------------------------------
# Posting a draft
# ---------------------------------------------------------------------------------------------


def test_employer_saves_a_vacancy_as_a_draft_and_sees_the_preview(client, employer, site):
    sign_in(client, employer)
    get_page(client, "/vacancies/new", title="Post a vacancy")

    response = post_new(client, vacancy_form(site), 302)

    [vacancy] = vacancies()
    assert response.headers["Location"] == f"/vacancies/{vacancy.id}"
    assert vacancy.status is VacancyStatus.DRAFT
    assert vacancy.organisation_id == employer.organisation.id
    assert vacancy.created_by_id == employer.id
    assert vacancy.site_id == site.id
    assert vacancy.district_id == employer.organisation.district_id
    assert (vacancy.job_title, vacancy.sector, vacancy.positions) == (
        "Kitchen assistant",
        "hospitality",
        3,
    )
    assert vacancy.contract_type is ContractType.PERMANENT
    assert vacancy.hours_per_week == Decimal("37.5")
    assert vacancy.hourly_pay == Decimal("13.00")
    assert vacancy.closing_date == TODAY + dt.timedelta(days=28)
    assert vacancy.offers_work_trial and not vacancy.offers_guaranteed_interview
    assert vacancy.submitted_at is None

    html = get_page(client, f"/vacancies/{vacancy.id}", title="Kitchen assistant")
    assert "Your vacancy has been saved as a draft." in html
    assert "Draft" in html
    assert "Early and late shifts" in html and "food preparation.<br>Early" in html
    assert f'href="/vacancies/{vacancy.id}/edit#pay_amount"' in html
    assert f'href="/vacancies/{vacancy.id}/submit"' in html
    assert "£13 an hour" in html


@pytest.mark.parametrize(
    ("amount", "period", "hours", "hourly", "shown"),
    [
        ("24,000", "annual", "37.5", "12.30", "£24,000 a year (£12.30 an hour)"),
        ("£487.50", "weekly", "37.5", "13.00", "£487.50 a week (£13 an hour)"),
        ("13.5", "hourly", "20", "13.50", "£13.50 an hour"),
    ],
)
def test_weekly_and_annual_pay_is_turned_into_an_hourly_equivalent(
    client, employer, site, amount, period, hours, hourly, shown
):
    sign_in(client, employer)
    data = vacancy_form(site, pay_amount=amount, pay_period=period, hours_per_week=hours)
    post_new(client, data, 302)
    [vacancy] = vacancies()
    assert vacancy.pay_period is PayPeriod(period)
    assert vacancy.hourly_pay == Decimal(hourly)
    assert shown in get_page(client, f"/vacancies/{vacancy.id}")


def test_a_new_address_becomes_a_site_and_its_postcode_sets_the_district(client, employer):
    scotland = DistrictFactory(
        name="Glasgow", nation_code=nation("scotland").code, postcode_areas="G PA"
    )
    sign_in(client, employer)
    data = vacancy_form(
        None,
        new_site_name="Buchanan Street",
        new_address_line_1="1 Buchanan Street",
        new_town="Glasgow",
        new_postcode="g1 2ff",
    )
    post_new(client, data, 302)
    [vacancy] = vacancies()
    site = db.session.get(Site, vacancy.site_id)
    assert site.organisation_id == employer.organisation.id
    assert (site.name, site.town, site.postcode) == ("Buchanan Street", "Glasgow", "G1 2FF")
    assert vacancy.district_id == scotland.id


def test_a_new_address_outside_every_district_keeps_the_organisation_district(client, employer):
    sign_in(client, employer)
    data = vacancy_form(
        None, new_address_line_1="2 Commercial Street", new_town="Lerwick", new_postcode="ZE1 0AA"
    )
    post_new(client, data, 302)
    [vacancy] = vacancies()
    assert vacancy.district_id == employer.organisation.district_id
    assert db.session.get(Site, vacancy.site_id).name == "2 Commercial Street"


def test_an_organisation_without_sites_starts_on_a_new_address(client):
    employer = employer_user()
    for site in list(employer.organisation.sites):
        db.session.delete(site)
    db.session.flush()
    db.session.expire_all()
    html = get_page(sign_in(client, employer), "/vacancies/new")
    assert re.search(r'value="new"\s+checked', html)


# ---------------------------------------------------------------------------------------------
# Every check, with the answers kept and a GOV.UK error summary
# ---------------------------------------------------------------------------------------------


def test_a_blank_form_lists_every_missing_answer_in_order(client, employer):
    sign_in(client, employer)
    html = post_new(client, {"site": "new"}, 200).get_data(as_text=True)
    assert page_title(html).startswith("Error: Post a vacancy")
    assert error_summary(html) == [
        "Enter the first line of the address",
        "Enter the town or city",
        "Enter the postcode",
        "Enter the job title",
        "Select the sector",
        "Enter a description of the job",
        "Enter the number of positions",
        "Enter the hours a week",
        "Select the type of contract",
        "Select what kind of work this is",
        "Enter the pay",
        "Select whether the pay is an hourly rate, a weekly wage or a yearly salary",
        "Enter the youngest age the job is open to",
        "Select yes if this is an entry-level job",
        "Select yes if the job involves driving",
        "Enter how candidates apply",
        "Enter the closing date",
    ]
    assert vacancies() == []


def test_no_site_chosen_is_an_error(client, employer, site):
    sign_in(client, employer)
    data = vacancy_form(site)
    del data["site"]
    html = post_new(client, data, 200).get_data(as_text=True)
    assert error_summary(html) == ["Select where the job is"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"job_title": "x" * 201}, "job_title", "Job title must be 200 characters or fewer"),
        # A hand-made request once put a Bcc header into every email naming the vacancy.
        (
            {"job_title": "X\r\nBcc: someone@example.com"},
            "job_title",
            "Job title must be on one line: remove the line breaks",
        ),
        ({"positions": "0"}, "positions", "Number of positions must be between 1 and 500"),
        ({"positions": "501"}, "positions", "Number of positions must be between 1 and 500"),
        ({"positions": "two"}, "positions", "Number of positions must be a whole number, like 2"),
        ({"positions": "1.5"}, "positions", "Number of positions must be a whole number, like 2"),
        ({"hours_per_week": "61"}, "hours_per_week", "Hours a week must be between 1 and 60"),
        ({"hours_per_week": "0.5"}, "hours_per_week", "Hours a week must be between 1 and 60"),
        ({"hours_per_week": "lots"}, "hours_per_week", "Hours a week must be a number, like 37.5"),
        ({"hours_per_week": "NaN"}, "hours_per_week", "Hours a week must be a number, like 37.5"),
        ({"pay_amount": "0"}, "pay_amount", "Pay must be more than £0"),
        ({"pay_amount": "-12"}, "pay_amount", "Pay must be more than £0"),
        ({"pay_amount": "1000000"}, "pay_amount", "Pay must be less than £1,000,000"),
        ({"pay_amount": "12.505"}, "pay_amount", "Pay must be in pounds and pence, like 11.50"),
        (
            {"pay_amount": "a tenner"},
            "pay_amount",
            "Pay must be an amount of money, like 11.50 or 24,000",
        ),
        ({"youngest_age": "15"}, "youngest_age", "Youngest age must be between 16 and 99"),
        ({"youngest_age": "100"}, "youngest_age", "Youngest age must be between 16 and 99"),
        (
            {"youngest_age": "eighteen"},
            "youngest_age",
            "Youngest age must be a whole number, like 18",
        ),
        (
            {"closing_date": ["22", "11", "2026"]},
            "closing_date",
            "The closing date must be today or in the future",
        ),
        (
            {"closing_date": ["24", "11", "2027"]},
            "closing_date",
            "The closing date must be within a year from today",
        ),
        ({"closing_date": ["31", "2", "2027"]}, "closing_date", "Closing date must be a real date"),
        ({"closing_date": ["1", "2", "27"]}, "closing_date", "Closing date must be a real date"),
        ({"closing_date": ["1", "", "2027"]}, "closing_date", "Closing date must include a month"),
        ({"closing_date": ["", "2", "2027"]}, "closing_date", "Closing date must include a day"),
        ({"closing_date": ["7"]}, "closing_date", "Closing date must include a month"),
        # Too large for a date at all (an OverflowError, once a 500).
        (
            {"closing_date": ["9" * 20, "2", "2027"]},
            "closing_date",
            "Closing date must be a real date",
        ),
        (
            {
                "new_postcode": "not a postcode",
                "site": "new",
                "new_address_line_1": "1 Street",
                "new_town": "Leeds",
            },
            "new_postcode",
            "Enter a full postcode, like LS1 4AP",
        ),
        (
            {"description": "x" * 5001},
            "description",
            "Description must be 5000 characters or fewer",
        ),
    ],
)
def test_each_wrong_answer_gets_a_clear_message_and_the_answers_are_kept(
    client, employer, site, changes, field, message
):
    sign_in(client, employer)
    html = post_new(client, vacancy_form(site, **changes), 200).get_data(as_text=True)
    assert page_title(html).startswith("Error:")
    assert error_summary(html) == [message]
    assert f'href="#{field}"' in html
    assert re.search(rf'id="{field}[\w-]*-error"', html)
    # The other answers are still there.
    assert "Phone Sam on 0113 496 0001." in html
    if field != "job_title":
        assert 'value="Kitchen assistant"' in html
    assert vacancies() == []


def test_the_wrong_answer_itself_is_kept(client, employer, site):
    sign_in(client, employer)
    data = vacancy_form(site, hours_per_week="lots", closing_date=["31", "2", "2027"])
    html = post_new(client, data, 200).get_data(as_text=True)
    assert 'value="lots"' in html
    assert 'id="closing_date" name="closing_date" type="text" value="31"' in html


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        (
            "voluntary",
            "You cannot post voluntary or unpaid work. Local Employment Partnership jobs must "
            "be paid employment",
        ),
        (
            "self_employed",
            "You cannot post self-employed work. Local Employment Partnership jobs must be "
            "paid employment",
        ),
    ],
)
def test_voluntary_and_self_employed_work_is_refused(client, employer, site, kind, message):
    sign_in(client, employer)
    html = post_new(client, vacancy_form(site, work_kind=kind), 200).get_data(as_text=True)
    assert error_summary(html) == [message]
    assert vacancies() == []


def test_another_organisations_site_is_not_a_choice(client, employer):
    other = employer_user()
    sign_in(client, employer)
    html = post_new(client, vacancy_form(other.organisation.sites[0]), 200).get_data(as_text=True)
    assert page_title(html).startswith("Error:")
    assert vacancies() == []


def test_a_draft_below_the_minimum_wage_is_saved_with_a_warning(client, employer, site):
    sign_in(client, employer)
    post_new(client, vacancy_form(site, pay_amount="9.00"), 302)
    [vacancy] = vacancies()
    assert vacancy.status is VacancyStatus.DRAFT
    html = get_page(client, f"/vacancies/{vacancy.id}")
    assert "govuk-warning-text" in html
    assert (
        "£9.00 an hour is below the National Minimum Wage of £10.85 for 18 to 20 year olds. "
        "At this pay you can lawfully employ people aged 16 to 17 only." in html
    )
    assert "You need to raise the pay before you can submit this vacancy." in html


# ---------------------------------------------------------------------------------------------
# Changing, closing and copying
# ---------------------------------------------------------------------------------------------


def test_employer_changes_a_draft(client, employer):
    vacancy = VacancyFactory(organisation=employer.organisation)
    sign_in(client, employer)
    html = get_page(client, f"/vacancies/{vacancy.id}/edit", title="Change vacancy details")
    assert f'value="{vacancy.job_title}"' in html
    assert 'value="37.5"' in html and 'value="13"' in html

    data = vacancy_form(vacancy.site, job_title="Senior sales assistant")
    response = post_form(client, f"/vacancies/{vacancy.id}/edit", data, status=302)
    assert response.headers["Location"] == f"/vacancies/{vacancy.id}"
    db.session.refresh(vacancy)
    assert vacancy.job_title == "Senior sales assistant"
    assert vacancy.status is VacancyStatus.DRAFT
    assert vacancy.fair_shot_advice == []


def test_a_submitted_vacancy_cannot_be_changed_to_pay_below_the_minimum_wage(client, employer):
    vacancy, _callback = submitted_vacancy(employer)
    sign_in(client, employer)
    data = vacancy_form(vacancy.site, pay_amount="12.00", youngest_age="21")
    html = post_form(client, f"/vacancies/{vacancy.id}/edit", data, status=200).get_data(
        as_text=True
    )
    assert error_summary(html) == [
        "£12.00 an hour is below the National Living Wage of £12.71 for people aged 21 and "
        "over. At this pay you can lawfully employ people aged 16 to 20 only."
    ]
    db.session.refresh(vacancy)
    assert vacancy.pay_amount == Decimal("13.00")


def test_a_closed_vacancy_cannot_be_changed(client, employer):
    vacancy = VacancyFactory(organisation=employer.organisation, status=VacancyStatus.FILLED)
    sign_in(client, employer)
    response = client.get(f"/vacancies/{vacancy.id}/edit")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/vacancies/{vacancy.id}"
    html = get_page(client, f"/vacancies/{vacancy.id}")
    assert "/edit#" not in html
    assert "Close this vacancy" not in html
    assert "Post a similar vacancy" in html


@pytest.mark.parametrize(
    ("reason", "status", "message"),
    [
        ("filled", VacancyStatus.FILLED, "The vacancy is closed as filled."),
        ("withdrawn", VacancyStatus.WITHDRAWN, "The vacancy has been withdrawn."),
    ],
)
def test_employer_closes_a_vacancy_as_filled_or_withdrawn(
    client, employer, reason, status, message
):
    vacancy, _callback = submitted_vacancy(employer)
    sign_in(client, employer)
    get_page(client, f"/vacancies/{vacancy.id}/close", title="Why are you closing this vacancy?")
    response = post_form(client, f"/vacancies/{vacancy.id}/close", {"reason": reason}, status=302)
    assert response.headers["Location"] == f"/vacancies/{vacancy.id}"
    db.session.refresh(vacancy)
    assert vacancy.status is status
    assert vacancy.closed_at is not None
    assert message in get_page(client, f"/vacancies/{vacancy.id}")


def test_closing_needs_a_reason(client, employer):
    vacancy, _callback = submitted_vacancy(employer)
    sign_in(client, employer)
    html = post_form(client, f"/vacancies/{vacancy.id}/close", {}, status=200).get_data(
        as_text=True
    )
    assert error_summary(html) == ["Select why you are closing this vacancy"]
    db.session.refresh(vacancy)
    assert vacancy.status is VacancyStatus.SUBMITTED


def test_a_draft_is_not_closed(client, employer):
    vacancy = VacancyFactory(organisation=employer.organisation)
    sign_in(client, employer)
    response = post_form(client, f"/vacancies/{vacancy.id}/close", {"reason": "filled"}, status=302)
    assert response.headers["Location"] == f"/vacancies/{vacancy.id}"
    db.session.refresh(vacancy)
    assert vacancy.status is VacancyStatus.DRAFT


def test_post_a_similar_vacancy_copies_it_into_a_new_draft(client, employer):
    original, _callback = submitted_vacancy(
        employer, job_title="Warehouse operative", offers_guaranteed_interview=True
    )
    sign_in(client, employer)
    response = post_form(client, f"/vacancies/{original.id}/copy", {}, status=302)

    copy = db.session.scalar(select(Vacancy).where(Vacancy.copied_from_id == original.id))
    assert response.headers["Location"] == f"/vacancies/{copy.id}/edit"
    assert copy.status is VacancyStatus.DRAFT
    assert copy.id != original.id
    for name in services.COPIED:
        assert getattr(copy, name) == getattr(original, name), name
    assert copy.closing_date == original.closing_date
    assert copy.fair_shot_advice == []
    assert copy.submitted_at is None
    html = get_page(client, response.headers["Location"], title="Change vacancy details")
    assert "This is a copy of Warehouse operative." in html
    assert 'value="Warehouse operative"' in html


def test_a_copy_drops_a_closing_date_that_has_passed(client, employer, monkeypatch):
    original = VacancyFactory(
        organisation=employer.organisation,
        status=VacancyStatus.FILLED,
        closing_date=TODAY - dt.timedelta(days=1),
    )
    sign_in(client, employer)
    post_form(client, f"/vacancies/{original.id}/copy", {}, status=302)
    copy = db.session.scalar(select(Vacancy).where(Vacancy.copied_from_id == original.id))
    assert copy.closing_date is None


# ---------------------------------------------------------------------------------------------
# Only the employer's own organisation's vacancies, only the LMRA's own district
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", ""),
        ("GET", "/edit"),
        ("POST", "/edit"),
        ("GET", "/submit"),
        ("POST", "/submit"),
        ("GET", "/submitted"),
        ("GET", "/close"),
        ("POST", "/close"),
        ("POST", "/copy"),
    ],
)
def test_another_organisations_vacancy_is_not_found(client, employer, method, path):
    other = employer_user(OrganisationFactory(district=employer.organisation.district))
    vacancy, _callback = submitted_vacancy(other)
    sign_in(client, employer)
    response = client.open(
        f"/vacancies/{vacancy.id}{path}", method=method, data={"reason": "filled"}
    )
    assert response.status_code == 404
    db.session.refresh(vacancy)
    assert vacancy.status is VacancyStatus.SUBMITTED
    assert db.session.scalar(select(func.count()).select_from(Vacancy)) == 1


def test_an_unknown_vacancy_is_not_found(client, employer):
    sign_in(client, employer)
    get_page(client, "/vacancies/6d1f5c1e-3c61-4c8e-9a53-0c3b3c1b1b1b", status=404)
    get_page(client, "/vacancies/not-a-uuid", status=404)
