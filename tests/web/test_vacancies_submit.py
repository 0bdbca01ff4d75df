"""Submitting a vacancy: the minimum wage on the day, fair-shot advice, the 48-hour call-back,
and the LMRA who corrects the details at the call-back."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.callbacks.models import CallBack, CallBackStatus
from app.callbacks.rules import callback_due
from app.extensions import db
from app.mail.models import OutboxMessage
from app.vacancies.models import VacancyStatus
from tests.factories import (
    DistrictFactory,
    OfficeFactory,
    OrganisationFactory,
    StaffFactory,
    employer_user,
    nation,
)
from tests.helpers import freeze_clock, get_page, page_title, post_form, sign_in
from tests.vacancy_factories import VacancyFactory, submitted_vacancy, vacancy_form

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC


def freeze(monkeypatch, moment: dt.datetime) -> None:
    """Fix the service's clock: "today" is the UK date at that moment."""
    freeze_clock(monkeypatch, moment)


def callbacks() -> list[CallBack]:
    return list(db.session.scalars(select(CallBack)))


@pytest.fixture
def scottish_employer():
    glasgow = DistrictFactory(
        name="Glasgow", nation_code=nation("scotland").code, postcode_areas="G"
    )
    return employer_user(OrganisationFactory(district=glasgow))


def test_check_your_answers_then_submit_opens_one_call_back_on_the_districts_working_days(
    client, monkeypatch, scottish_employer
):
    # Friday 27 November 2026, 10am. Monday 30 November is St Andrew's Day, a Scottish bank
    # holiday, so the 48 working hours run to Wednesday (in England they would end Tuesday).
    placed = dt.datetime(2026, 11, 27, 10, 0, tzinfo=LONDON)
    freeze(monkeypatch, placed.astimezone(UTC))
    vacancy = VacancyFactory(organisation=scottish_employer.organisation)
    sign_in(client, scottish_employer)

    html = get_page(
        client, f"/vacancies/{vacancy.id}/submit", title="Check your vacancy before you submit it"
    )
    assert f'href="/vacancies/{vacancy.id}/edit#job_title"' in html
    response = post_form(client, f"/vacancies/{vacancy.id}/submit", {}, status=302)
    assert response.headers["Location"] == f"/vacancies/{vacancy.id}/submitted"

    [callback] = callbacks()
    db.session.refresh(vacancy)
    assert vacancy.status is VacancyStatus.SUBMITTED
    assert vacancy.submitted_at == placed
    assert callback.vacancy_id == vacancy.id
    assert callback.status is CallBackStatus.OPEN
    assert callback.district_id == vacancy.district_id
    assert callback.organisation_id == scottish_employer.organisation.id
    assert callback.placed_at == placed
    assert callback.due_at == callback_due(callback.placed_at, vacancy.district.nation_code)
    assert callback.due_at == dt.datetime(2026, 12, 2, 10, 0, tzinfo=LONDON)

    html = get_page(client, response.headers["Location"], title="Vacancy submitted")
    assert "govuk-panel--confirmation" in html
    assert "within 2 working days, by Wednesday 2 December 2026 at 10am" in html

    [email] = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "vacancy_submitted")
    )
    assert email.recipient == scottish_employer.email
    assert "Wednesday 2 December 2026 at 10am" in email.text_body
    assert f"http://localhost/vacancies/{vacancy.id}" in email.text_body


def test_submitting_twice_opens_one_call_back(client, employer_and_draft):
    employer, vacancy = employer_and_draft
    sign_in(client, employer)
    post_form(client, f"/vacancies/{vacancy.id}/submit", {}, status=302)
    again = post_form(client, f"/vacancies/{vacancy.id}/submit", {}, status=302)
    assert again.headers["Location"] == f"/vacancies/{vacancy.id}/submitted"
    assert len(callbacks()) == 1


def test_a_submitted_vacancy_shows_no_submit_page(client, employer_and_draft):
    employer, vacancy = employer_and_draft
    vacancy.status = VacancyStatus.LIVE
    db.session.flush()
    sign_in(client, employer)
    response = client.get(f"/vacancies/{vacancy.id}/submit")
    assert response.headers["Location"] == f"/vacancies/{vacancy.id}"
    assert client.get(f"/vacancies/{vacancy.id}/submitted").status_code == 302


@pytest.fixture
def employer_and_draft():
    employer = employer_user()
    return employer, VacancyFactory(organisation=employer.organisation)


# ---------------------------------------------------------------------------------------------
# The minimum wage on the day of submission
# ---------------------------------------------------------------------------------------------

# 31 March 2026 (BST): the 18 to 20 rate is £10.00 and the adult rate £12.21; from 1 April
# 2026 they are £10.85 and £12.71.
LAST_DAY_OF_OLD_RATES = dt.datetime(2026, 3, 31, 23, 30, tzinfo=LONDON)
FIRST_MINUTE_OF_NEW_RATES = dt.datetime(2026, 4, 1, 0, 30, tzinfo=LONDON)


def draft_paying(employer, amount: str, youngest_age: int = 18, **kwargs):
    return VacancyFactory(
        organisation=employer.organisation,
        pay_amount=Decimal(amount),
        hourly_pay=Decimal(amount),
        youngest_age=youngest_age,
        closing_date=dt.date(2026, 4, 30),
        **kwargs,
    )


def test_pay_lawful_for_the_youngest_age_on_the_day_is_accepted_and_the_ages_explained(
    client, monkeypatch, employer_and_draft
):
    employer, _draft = employer_and_draft
    freeze(monkeypatch, LAST_DAY_OF_OLD_RATES.astimezone(UTC))
    vacancy = draft_paying(employer, "10.50")
    sign_in(client, employer)
    html = get_page(client, f"/vacancies/{vacancy.id}/submit")
    assert (
        "At this pay you can lawfully employ people aged 16 to 20 only. To employ anyone aged "
        "21 or over you must pay at least £12.21 an hour." in html
    )
    post_form(client, f"/vacancies/{vacancy.id}/submit", {}, status=302)
    db.session.refresh(vacancy)
    assert vacancy.status is VacancyStatus.SUBMITTED


def test_pay_below_the_minimum_wage_on_the_day_of_submission_is_refused_in_plain_words(
    client, monkeypatch, employer_and_draft
):
    employer, _draft = employer_and_draft
    # Half past midnight on 1 April in the UK is still 31 March in UTC: the UK day counts.
    freeze(monkeypatch, FIRST_MINUTE_OF_NEW_RATES.astimezone(UTC))
    vacancy = draft_paying(employer, "10.50")
    sign_in(client, employer)

    response = post_form(client, f"/vacancies/{vacancy.id}/submit", {}, status=200)

    html = response.get_data(as_text=True)
    assert page_title(html).startswith("Error: Check your vacancy")
    message = (
        "£10.50 an hour is below the National Minimum Wage of £10.85 for 18 to 20 year olds. "
        "At this pay you can lawfully employ people aged 16 to 17 only."
    )
    assert f'<a href="/vacancies/{vacancy.id}/edit#pay_amount">{message}</a>' in html
    db.session.refresh(vacancy)
    assert vacancy.status is VacancyStatus.DRAFT
    assert vacancy.submitted_at is None
    assert callbacks() == []


@pytest.mark.parametrize(
    ("amount", "youngest_age", "message"),
    [
        (
            "7.99",
            16,
            "£7.99 an hour is below the National Minimum Wage of £8.00 for 16 to 17 year olds. "
            "At this pay you cannot lawfully employ anyone: it is below the minimum wage for "
            "every age.",
        ),
        (
            "12.70",
            25,
            "£12.70 an hour is below the National Living Wage of £12.71 for people aged 21 and "
            "over. At this pay you can lawfully employ people aged 16 to 20 only.",
        ),
        (
            "10.84",
            20,
            "£10.84 an hour is below the National Minimum Wage of £10.85 for 18 to 20 year olds. "
            "At this pay you can lawfully employ people aged 16 to 17 only.",
        ),
    ],
)
def test_the_refusal_names_the_band_of_the_youngest_age_and_the_lawful_ages(
    client, monkeypatch, employer_and_draft, amount, youngest_age, message
):
    employer, _draft = employer_and_draft
    freeze(monkeypatch, FIRST_MINUTE_OF_NEW_RATES.astimezone(UTC))
    vacancy = draft_paying(employer, amount, youngest_age)
    sign_in(client, employer)
    html = post_form(client, f"/vacancies/{vacancy.id}/submit", {}, status=200).get_data(
        as_text=True
    )
    assert message in html
    assert callbacks() == []


def test_pay_exactly_at_the_rate_is_lawful(client, monkeypatch, employer_and_draft):
    employer, _draft = employer_and_draft
    freeze(monkeypatch, FIRST_MINUTE_OF_NEW_RATES.astimezone(UTC))
    vacancy = draft_paying(employer, "12.71", 21)
    sign_in(client, employer)
    post_form(client, f"/vacancies/{vacancy.id}/submit", {}, status=302)
    assert len(callbacks()) == 1


@pytest.mark.parametrize(
    ("closing_date", "message"),
    [
        (None, "Enter the closing date"),
        (dt.date(2026, 3, 31), "The closing date must be today or in the future"),
    ],
)
def test_a_closing_date_that_is_missing_or_has_passed_stops_submission(
    client, monkeypatch, employer_and_draft, closing_date, message
):
    employer, vacancy = employer_and_draft
    freeze(monkeypatch, FIRST_MINUTE_OF_NEW_RATES.astimezone(UTC))
    vacancy.closing_date = closing_date
    db.session.flush()
    sign_in(client, employer)
    html = post_form(client, f"/vacancies/{vacancy.id}/submit", {}, status=200).get_data(
        as_text=True
    )
    assert f'<a href="/vacancies/{vacancy.id}/edit#closing_date">{message}</a>' in html
    assert callbacks() == []


# ---------------------------------------------------------------------------------------------
# Fair-shot advice: shown with its reason, never a block, recorded for staff
# ---------------------------------------------------------------------------------------------

EXCLUDING = {
    "essential_requirements": "Degree required. Full clean driving licence.",
    "desirable_requirements": "Must be currently employed. No gaps in employment history.",
    "how_to_apply": "Online applications only.",
    "entry_level": "yes",
    "involves_driving": "no",
}
EXCLUDING_CODES = [
    "degree_for_entry_level",
    "must_be_in_work",
    "no_gaps",
    "driving_licence_not_needed",
    "long_application",
]


def test_fair_shot_advice_is_shown_with_its_reason_and_recorded_when_submitted(
    client, employer_and_draft
):
    employer, _draft = employer_and_draft
    sign_in(client, employer)
    response = post_form(
        client,
        "/vacancies/new",
        vacancy_form(employer.organisation.sites[0], **EXCLUDING),
        status=302,
    )
    vacancy_url = response.headers["Location"]
    html = get_page(client, vacancy_url)
    assert "Give every candidate a fair shot" in html
    for code in EXCLUDING_CODES:
        assert f'data-advice="{code}"' in html
    assert "You wrote “Degree”" in html
    assert "Why: Entry-level work rarely needs a degree." in html
    assert "Why: Many jobseekers cannot afford a car or driving lessons" in html

    # Advice, not a block: the vacancy is submitted as written.
    get_page(client, f"{vacancy_url}/submit")
    post_form(client, f"{vacancy_url}/submit", {}, status=302)
    [callback] = callbacks()
    vacancy = callback.vacancy
    assert vacancy.status is VacancyStatus.SUBMITTED
    assert [item["code"] for item in vacancy.fair_shot_advice] == EXCLUDING_CODES
    assert vacancy.fair_shot_advice[0] == {
        "code": "degree_for_entry_level",
        "requirement": "Degree",
    }


def test_a_vacancy_without_excluding_requirements_gets_no_advice(client, employer_and_draft):
    employer, vacancy = employer_and_draft
    sign_in(client, employer)
    assert "Give every candidate a fair shot" not in get_page(client, f"/vacancies/{vacancy.id}")
    post_form(client, f"/vacancies/{vacancy.id}/submit", {}, status=302)
    db.session.refresh(vacancy)
    assert vacancy.fair_shot_advice == []


def test_advice_shown_when_the_employer_changes_a_submitted_vacancy_is_added(client):
    employer = employer_user()
    vacancy, _callback = submitted_vacancy(employer, essential_requirements="A degree")
    assert [item["code"] for item in vacancy.fair_shot_advice] == ["degree_for_entry_level"]
    sign_in(client, employer)
    data = vacancy_form(vacancy.site, essential_requirements="Must be in work now")
    post_form(client, f"/vacancies/{vacancy.id}/edit", data, status=302)
    db.session.refresh(vacancy)
    assert [item["code"] for item in vacancy.fair_shot_advice] == [
        "degree_for_entry_level",
        "must_be_in_work",
    ]


# ---------------------------------------------------------------------------------------------
# The LMRA corrects details at the call-back
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def submitted_with_advice():
    employer = employer_user()
    vacancy, _callback = submitted_vacancy(
        employer, essential_requirements="Full clean driving licence", involves_driving=False
    )
    return employer, vacancy


def lmra_of(district):
    return StaffFactory(role=Role.LMRA, office=OfficeFactory(district=district))


def test_lmra_of_the_district_corrects_a_submitted_vacancy_and_returns_to_the_call_back(
    client, submitted_with_advice
):
    _employer, vacancy = submitted_with_advice
    lmra = lmra_of(vacancy.district)
    sign_in(client, lmra)
    back = "/call-backs/123?tab=details"
    url = f"/vacancies/{vacancy.id}/edit?next={back}"

    html = get_page(client, url, title="Change vacancy details")
    assert "Fair-shot advice the employer was given" in html
    assert "You wrote “Full clean driving licence”" in html
    assert f'href="{back}"' in html

    data = vacancy_form(
        vacancy.site, job_title="Cleaner (evenings)", essential_requirements="", pay_amount="13.50"
    )
    response = post_form(client, url, data, status=302)
    assert response.headers["Location"] == back
    db.session.refresh(vacancy)
    assert vacancy.job_title == "Cleaner (evenings)"
    assert vacancy.hourly_pay == Decimal("13.50")
    assert vacancy.status is VacancyStatus.SUBMITTED
    # The advice records what the employer was shown; staff corrections do not change it.
    assert [item["code"] for item in vacancy.fair_shot_advice] == ["driving_licence_not_needed"]


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/", "/\\evil.example"])
def test_lmra_is_never_sent_to_another_site_after_saving(client, submitted_with_advice, unsafe):
    _employer, vacancy = submitted_with_advice
    sign_in(client, lmra_of(vacancy.district))
    data = vacancy_form(vacancy.site)
    response = post_form(client, f"/vacancies/{vacancy.id}/edit?next={unsafe}", data, status=302)
    assert response.headers["Location"] == "/"


def test_lmra_of_another_district_gets_not_found(client, submitted_with_advice):
    _employer, vacancy = submitted_with_advice
    sign_in(client, lmra_of(DistrictFactory()))
    get_page(client, f"/vacancies/{vacancy.id}/edit", status=404)
    data = vacancy_form(vacancy.site, job_title="Changed")
    post_form(client, f"/vacancies/{vacancy.id}/edit", data, status=404)
    db.session.refresh(vacancy)
    assert vacancy.job_title != "Changed"


def test_lmra_without_a_district_gets_not_found(client, submitted_with_advice):
    _employer, vacancy = submitted_with_advice
    lmra = lmra_of(vacancy.district)
    lmra.district_id = None
    db.session.flush()
    get_page(sign_in(client, lmra), f"/vacancies/{vacancy.id}/edit", status=404)


def test_lmra_cannot_see_a_draft(client, employer_and_draft):
    _employer, vacancy = employer_and_draft
    sign_in(client, lmra_of(vacancy.district))
    get_page(client, f"/vacancies/{vacancy.id}/edit", status=404)
