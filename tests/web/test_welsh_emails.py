"""Emails in the recipient's language: their own choice, else their employer's; registration
asks for it, staff record it, and MI downloads follow the page's language."""

from __future__ import annotations

import datetime as dt

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import clock
from app.accounts.models import Organisation
from app.auth.models import Role, User
from app.auth.services import send_verification_email
from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.services import queue_email, recipient_language
from tests.factories import DistrictFactory, OfficeFactory, StaffFactory, employer_user
from tests.helpers import get_page, post_form, sign_in
from tests.referral_factories import (
    adviser_in,
    fitting_customer,
    live_vacancy,
    referral,
)
from tests.web.test_registration import registration

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


def outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


@pytest.fixture
def cardiff():
    return DistrictFactory(name="Cardiff and Vale", postcode_areas="CF")


def test_registration_offers_the_pages_own_language_first(client):
    welsh = get_page(client, "/register?lang=cy")
    assert welsh.index('value="cy"') < welsh.index('value="en"')
    assert 'value="cy" checked' in welsh
    english = get_page(client, "/register?lang=en")
    assert english.index('value="en"') < english.index('value="cy"')


def test_a_welsh_registration_is_confirmed_in_welsh(client, cardiff):
    data = registration(postcode="CF10 1EP", town="Caerdydd", language="cy")
    post_form(client, "/register", data, status=302)

    user = db.session.scalar(select(User).where(User.email == "jo.fletcher@example.org"))
    organisation = db.session.scalar(select(Organisation))
    assert user.preferred_language == organisation.preferred_language == "cy"
    [email] = outbox("verify_email")
    assert email.subject == "Cadarnhewch eich cyfeiriad e-bost"
    assert "Porth Cyflogwyr LEP" in email.text_body
    assert "Confirm your email" not in email.text_body


def test_a_registration_without_an_answer_takes_the_pages_language(client, cardiff):
    post_form(client, "/register?lang=en", registration(postcode="CF10 1EP"), status=302)
    assert db.session.scalar(select(Organisation)).preferred_language == "en"
    [email] = outbox("verify_email")
    assert email.subject == "Confirm your email address"


def test_an_email_follows_the_recipients_language_not_the_senders(app):
    welsh = employer_user()
    welsh.preferred_language = "cy"
    db.session.flush()
    with app.test_request_context("/?lang=en"):
        send_verification_email(welsh)
    [email] = outbox("verify_email")
    assert email.subject == "Cadarnhewch eich cyfeiriad e-bost"


def test_an_employers_language_covers_its_people_who_have_not_chosen(app):
    person = employer_user()
    person.membership.organisation.preferred_language = "cy"
    db.session.flush()
    assert recipient_language(person.email.upper()) == "cy"
    person.preferred_language = "en"  # a person's own choice wins
    db.session.flush()
    assert recipient_language(person.email) == "en"
    assert recipient_language("nobody@example.org") == "en"


def test_a_lazy_subject_is_translated_for_the_recipient(app):
    person = employer_user()
    person.preferred_language = "cy"
    db.session.flush()
    with app.test_request_context("/?lang=en"):
        message = queue_email(
            person.email, _l("Reset your password"), "reset_password", user=person, link="/x"
        )
    assert message.subject == "Ailosod eich cyfrinair"
    assert "Defnyddiwch y ddolen hon" in message.text_body


def test_staff_record_an_employers_language_on_the_account(client):
    employer = employer_user()
    organisation = employer.membership.organisation
    dam = StaffFactory(role=Role.DAM, office=OfficeFactory(district=organisation.district))
    sign_in(client, dam)
    html = get_page(client, f"/accounts/{organisation.id}")
    assert f"/accounts/{organisation.id}/language" in html
    get_page(client, f"/accounts/{organisation.id}/language", title="Language")

    post_form(client, f"/accounts/{organisation.id}/language", {"language": "xx"}, status=200)
    post_form(client, f"/accounts/{organisation.id}/language", {"language": "cy"}, status=302)
    db.session.expire_all()
    assert organisation.preferred_language == "cy"
    assert recipient_language(employer.email) == "cy"


def test_an_interview_invitation_and_its_calendar_file_are_in_the_advisers_language(app):
    vacancy = live_vacancy(job_title="Gweithredwr warws")
    adviser = adviser_in(vacancy.district, name="Ada Adviser", email="ada.adviser@jcp.example")
    adviser.preferred_language = "cy"
    candidate = referral(vacancy, fitting_customer(vacancy, adviser, first_name="Grace"))
    employer = vacancy.organisation.memberships[0].user
    client = sign_in(app.test_client(), employer)
    day = clock.today() + dt.timedelta(days=7)
    data = {
        "action": "interview",
        "interview-day": [str(day.day), str(day.month), str(day.year)],
        "interview-time": "2:30pm",
        "interview-place": "Uned 4, Caerdydd",
        "interview-guaranteed": "yes",
    }
    post_form(client, f"/candidates/{candidate.id}/status?lang=en", data, status=302)

    [email] = outbox("referral_interview")
    assert email.subject.startswith("Cyfweliad wedi’i drefnu:")
    assert "Cyfweliad gwarantedig: ie" in email.text_body
    ics = email.attachments[0]["content"].replace("\r\n ", "")
    assert "SUMMARY:Cyfweliad: Gweithredwr warws yn " in ics
    assert "DESCRIPTION:Cyfweliad gwarantedig\r\n" in ics


def test_the_mi_download_follows_the_pages_language(client):
    from tests.report_factories import MONTH_ARGS, mi_world

    world = mi_world()
    sign_in(client, world.coordinator)
    get_page(client, f"/reports?{MONTH_ARGS}&lang=cy")
    welsh = client.get(f"/reports/outcomes-by-sector.csv?{MONTH_ARGS}").get_data(as_text=True)
    svg = client.get(f"/reports/charts/outcomes-by-sector.svg?{MONTH_ARGS}")
    get_page(client, f"/reports?{MONTH_ARGS}&lang=en")
    english = client.get(f"/reports/outcomes-by-sector.csv?{MONTH_ARGS}").get_data(as_text=True)
    assert welsh.splitlines()[0] == "Sector,Canlyniadau"
    assert english.splitlines()[0] == "Sector,Outcomes"
    assert "Canlyniadau swyddi yn ôl sector" in svg.get_data(as_text=True)


def test_an_html_email_declares_the_language_it_is_in(app):
    from flask import render_template
    from flask_babel import force_locale

    with app.test_request_context("/?lang=en"), force_locale("cy"):
        html = render_template("email/agreement_base.html", subject="x")
    assert '<html lang="cy">' in html
    assert "Porth Cyflogwyr LEP" in html
