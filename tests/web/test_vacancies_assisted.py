"""Assisted digital for vacancies: staff with the account post, change and submit a vacancy
for the employer through the employer's own forms; each change records who and by which
channel, and the employer sees "Done for you by NAME, by phone" beside the vacancy."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import AssistedChange
from app.accounts.services import record_assisted
from app.auth.models import Role
from app.callbacks.models import CallBack
from app.extensions import db
from app.mail.models import OutboxMessage
from app.vacancies.models import Vacancy, VacancyStatus
from tests.account_factories import account, staff_in
from tests.factories import DistrictFactory, employer_user
from tests.helpers import count_queries, get_page, post_form, sign_in
from tests.vacancy_factories import VacancyFactory, submitted_vacancy, vacancy_form

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


@pytest.fixture
def desk():
    district = DistrictFactory(name="West Yorkshire")
    dam = staff_in(district, Role.DAM, name="Dana Adams")
    organisation = account(dam, name="Kirkgate Bakery")
    employer = organisation.memberships[0].user
    return {"district": district, "dam": dam, "organisation": organisation, "employer": employer}


def acting(organisation, channel: str = "phone") -> str:
    return f"for_employer={organisation.id}&channel={channel}"


def changes() -> list[AssistedChange]:
    return list(db.session.scalars(select(AssistedChange).order_by(AssistedChange.at)))


def test_a_dam_posts_and_submits_a_vacancy_taken_by_phone(client, desk):
    organisation, dam, employer = desk["organisation"], desk["dam"], desk["employer"]
    sign_in(client, dam)
    html = get_page(client, f"/vacancies/new?{acting(organisation)}", title="Post a vacancy")
    assert "You are acting for Kirkgate Bakery, who asked by phone" in html

    response = post_form(
        client,
        f"/vacancies/new?{acting(organisation)}",
        vacancy_form(organisation.sites[0]),
        status=302,
    )
    vacancy = db.session.scalar(select(Vacancy).where(Vacancy.organisation_id == organisation.id))
    assert vacancy.status is VacancyStatus.DRAFT
    # The vacancy is the employer's: the call-back rings them, not the DAM.
    assert vacancy.created_by_id == employer.id
    submit_url = f"/vacancies/{vacancy.id}/submit?{acting(organisation)}"
    assert response.headers["Location"].replace("&amp;", "&").endswith(submit_url)

    html = get_page(client, submit_url, title="Check your vacancy before you submit it")
    assert f"/vacancies/{vacancy.id}/edit?for_employer={organisation.id}&amp;channel=phone" in html
    response = post_form(client, submit_url, {}, status=302)
    assert f"/accounts/{organisation.id}/act-for-employer" in response.headers["Location"]

    db.session.expire_all()
    assert vacancy.status is VacancyStatus.SUBMITTED
    callback = db.session.scalar(select(CallBack).where(CallBack.vacancy_id == vacancy.id))
    assert callback is not None
    recorded = changes()
    assert [(c.staff_id, c.channel, c.subject_type, c.subject_id) for c in recorded] == [
        (dam.id, "phone", "vacancy", vacancy.id),
        (dam.id, "phone", "vacancy", vacancy.id),
    ]
    assert all(c.organisation_id == organisation.id for c in recorded)
    # The confirmation goes to the employer.
    mail = db.session.scalars(select(OutboxMessage.recipient)).all()
    assert employer.email in mail and dam.email not in mail

    sign_in(client, employer)
    listed = get_page(client, "/vacancies", title="Your vacancies")
    assert "Done for you by Dana Adams, by phone" in listed
    shown = get_page(client, f"/vacancies/{vacancy.id}")
    assert "Done for you by Dana Adams, by phone" in shown


def test_a_dam_changes_a_live_vacancy_on_a_visit(client, desk):
    organisation, dam = desk["organisation"], desk["dam"]
    vacancy = VacancyFactory(organisation=organisation, status=VacancyStatus.LIVE)
    sign_in(client, dam)
    url = f"/vacancies/{vacancy.id}/edit?{acting(organisation, 'visit')}"
    get_page(client, url, title="Change vacancy details")
    data = vacancy_form(organisation.sites[0], job_title="Baker")
    response = post_form(client, url, data, status=302)
    assert response.headers["Location"].endswith(
        f"/accounts/{organisation.id}/act-for-employer?channel=visit"
    )
    db.session.expire_all()
    assert vacancy.job_title == "Baker" and vacancy.status is VacancyStatus.LIVE
    assert [(c.channel, c.subject_id) for c in changes()] == [("visit", vacancy.id)]


def test_a_dam_of_another_district_gets_404(client, desk):
    organisation = desk["organisation"]
    vacancy = VacancyFactory(organisation=organisation)
    other = staff_in(DistrictFactory(name="Greater Manchester"), Role.DAM)
    sign_in(client, other)
    for url in (
        f"/vacancies/new?{acting(organisation)}",
        f"/vacancies/{vacancy.id}/edit?{acting(organisation)}",
        f"/vacancies/{vacancy.id}/submit?{acting(organisation)}",
    ):
        assert client.get(url).status_code == 404, url
    post_form(
        client,
        f"/vacancies/new?{acting(organisation)}",
        vacancy_form(organisation.sites[0]),
        status=404,
    )
    found = db.session.scalar(select(Vacancy).where(Vacancy.organisation_id == organisation.id))
    assert found is not None and found.id == vacancy.id  # nothing new was posted
    assert changes() == []


def test_staff_reach_only_the_account_s_own_vacancies(client, desk):
    organisation, dam = desk["organisation"], desk["dam"]
    elsewhere = account(dam, name="Another bakery")
    theirs = VacancyFactory(organisation=elsewhere)
    sign_in(client, dam)
    url = f"/vacancies/{theirs.id}/edit?{acting(organisation)}"
    assert client.get(url).status_code == 404
    # Without acting for an employer, a DAM has no vacancy form.
    assert client.get("/vacancies/new").status_code == 404
    assert client.get(f"/vacancies/{theirs.id}/edit").status_code == 404


def test_an_employer_cannot_use_for_employer_to_reach_another_organisation(client, desk):
    other = account(name="Rival bakery")
    theirs = VacancyFactory(organisation=other)
    employer = employer_user()
    sign_in(client, employer)
    for url in (
        f"/vacancies/{theirs.id}/edit?{acting(other)}",
        f"/vacancies/{theirs.id}/submit?{acting(other)}",
    ):
        assert client.get(url).status_code == 404, url
    # Posting "for" another organisation posts for the employer's own, and nothing is
    # recorded as done for anyone.
    post_form(
        client,
        f"/vacancies/new?{acting(other)}",
        vacancy_form(employer.organisation.sites[0]),
        status=302,
    )
    posted = db.session.scalars(select(Vacancy).where(Vacancy.job_title == "Kitchen assistant"))
    assert [v.organisation_id for v in posted] == [employer.organisation.id]
    assert changes() == []


@pytest.mark.parametrize(
    "query",
    ["channel=pigeon", "channel=", "", "for_employer=not-a-uuid&channel=phone"],
)
def test_the_channel_and_account_are_validated(client, desk, query):
    organisation = desk["organisation"]
    sign_in(client, desk["dam"])
    if not query.startswith("for_employer"):
        query = f"for_employer={organisation.id}&{query}"
    response = client.get(f"/vacancies/new?{query}")
    assert response.status_code == 400
    post_form(client, f"/vacancies/new?{query}", vacancy_form(organisation.sites[0]), status=400)
    assert changes() == []


def test_an_lmra_of_the_district_may_act_for_the_employer(client, desk):
    organisation = desk["organisation"]
    vacancy, _callback = submitted_vacancy(desk["employer"])
    lmra = staff_in(desk["district"], Role.LMRA, name="Lee Marsh")
    sign_in(client, lmra)
    url = f"/vacancies/{vacancy.id}/edit?{acting(organisation, 'email')}"
    post_form(client, url, vacancy_form(organisation.sites[0], positions="4"), status=302)
    sign_in(client, desk["employer"])
    assert "Done for you by Lee Marsh, by email" in get_page(client, f"/vacancies/{vacancy.id}")


def test_the_employer_s_list_with_assisted_rows_takes_the_same_queries(client, desk):
    organisation, dam, employer = desk["organisation"], desk["dam"], desk["employer"]

    def add(count: int) -> None:
        for _ in range(count):
            vacancy = VacancyFactory(organisation=organisation)
            db.session.flush()
            record_assisted(organisation, dam, "phone", "vacancy", vacancy.id, "Taken by phone")
        db.session.flush()

    sign_in(client, employer)
    add(2)
    with count_queries() as few:
        html = get_page(client, "/vacancies")
    assert html.count('data-testid="done-for-you"') == 2
    add(10)
    with count_queries() as many:
        html = get_page(client, "/vacancies")
    assert html.count('data-testid="done-for-you"') == 12
    assert len(many) == len(few)
