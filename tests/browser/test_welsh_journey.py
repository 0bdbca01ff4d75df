"""A Cardiff SME uses the service in Welsh from start to finish, in a real browser.

It registers (choosing Welsh), confirms its email from a Welsh email, signs in, posts and
submits a vacancy, is told in Welsh when its call-back is due, and finds its LEP agreement
page and its contact; the confirmation emails are in Welsh. On every page: axe, no console
errors, `<html lang="cy">`, and not a word of English in what the employer reads, apart
from its own answers (all in Welsh here) and the "English" link.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from flask_babel import force_locale
from playwright.sync_api import expect
from sqlalchemy import select

from app import clock
from app.callbacks.models import CallBack
from app.callbacks.rules import callback_due
from app.extensions import db
from app.formatting import datetime_long
from app.mail.models import OutboxMessage
from app.vacancies.models import Vacancy
from tests.browser.conftest import LiveServer
from tests.browser.journeys import emailed_link

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]
PASSWORD = "castell afon telyn mynydd"
JOB_TITLE = "Mecanydd cerbydau"
# Running English: any of these in what the employer reads is a string outside gettext
# or a message left untranslated. (Not "at", "can" or "a": Welsh words too.)
ENGLISH = re.compile(
    r"\b(the|and|your|you|to|of|for|with|are|not|this|has|have|will|from|by|"
    r"or|on|yes|no|back|next|save|enter|select|vacancy|employer|agreement)\b",
    re.IGNORECASE,
)
EMAIL_ADDRESS = re.compile(r"\S+@\S+")


def _welsh(check: Check) -> Check:
    def run(page: Any) -> None:
        check(page)
        assert page.locator("html").get_attribute("lang") == "cy", page.url
        text = EMAIL_ADDRESS.sub("", page.locator("body").inner_text().replace("English", ""))
        english = [line for line in text.splitlines() if ENGLISH.search(line)]
        assert not english, f"English on {page.url}: {english}"

    return run


def _email(live_server: LiveServer, recipient: str, kind: str) -> OutboxMessage:
    def work() -> OutboxMessage | None:
        message = db.session.scalar(
            select(OutboxMessage)
            .where(OutboxMessage.recipient == recipient, OutboxMessage.kind == kind)
            .order_by(OutboxMessage.created_at.desc())
            .limit(1)
        )
        if message is not None:
            db.session.expunge(message)
        return message

    message = live_server.query(work)
    assert message is not None, f"no {kind} email to {recipient}"
    return message


def _due_in_welsh(live_server: LiveServer, vacancy_id: uuid.UUID) -> str:
    def work() -> str:
        vacancy = db.session.get(Vacancy, vacancy_id)
        assert db.session.scalar(select(CallBack.id).where(CallBack.vacancy_id == vacancy_id))
        due = callback_due(vacancy.submitted_at, vacancy.district.nation_code)
        with live_server.app.test_request_context(), force_locale("cy"):
            return datetime_long(due)

    return live_server.query(work)


def test_a_cardiff_sme_registers_and_posts_a_vacancy_in_welsh(
    page: Any, live_server: LiveServer, check: Check
) -> None:
    welsh = _welsh(check)
    email = f"cerys.{uuid.uuid4().hex[:8]}@garej-y-bont.example"

    page.goto("/?lang=cy")
    welsh(page)
    page.get_by_role("button", name="Cofrestru eich sefydliad").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cofrestru eich sefydliad")
    welsh(page)
    page.get_by_label("Enw’r sefydliad").fill("Garej y Bont")
    page.get_by_label("Llai na 250").check()
    page.get_by_label("Sector").select_option(label="Arall")
    page.get_by_label("Cwmni preifat").check()
    page.get_by_label("Enw’r gweithle (dewisol)").fill("Gweithdy")
    page.get_by_label("Llinell gyntaf y cyfeiriad").fill("4 Heol y Bont")
    page.get_by_label("Tref neu ddinas").fill("Caerdydd")
    page.get_by_label("Cod post").fill("CF11 6AB")
    page.get_by_label("Eich enw llawn").fill("Cerys Morgan")
    page.get_by_label("Cyfeiriad e-bost").fill(email)
    page.get_by_label("Creu cyfrinair", exact=True).fill(PASSWORD)
    page.get_by_label("Cadarnhau’r cyfrinair", exact=True).fill(PASSWORD)
    expect(page.get_by_label("Cymraeg")).to_be_checked()
    page.get_by_role("button", name="Creu cyfrif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gwiriwch eich e-bost")
    welsh(page)

    verify = _email(live_server, email, "verify_email")
    assert verify.subject == "Cadarnhewch eich cyfeiriad e-bost"
    page.goto(emailed_link(live_server, email, "verify_email", "/verify-email"))
    expect(page.get_by_text("Mae eich cyfeiriad e-bost wedi’i gadarnhau")).to_be_visible()
    welsh(page)
    page.get_by_label("Cyfeiriad e-bost").fill(email)
    page.get_by_label("Cyfrinair", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Mewngofnodi", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Garej y Bont")
    welsh(page)

    # The vacancy, in Welsh labels and with Welsh answers.
    page.get_by_role("link", name="Hysbysebu swydd wag").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hysbysebu swydd wag")
    welsh(page)
    page.get_by_label("Gweithdy, 4 Heol y Bont, Caerdydd, CF11 6AB").check()
    page.get_by_label("Teitl y swydd").fill(JOB_TITLE)
    page.get_by_label("Sector").select_option(label="Arall")
    page.get_by_label("Disgrifiwch y swydd").fill("Trwsio a chynnal ceir a faniau’r cwsmeriaid.")
    page.get_by_label("Nifer y swyddi").fill("1")
    page.get_by_label("Oriau’r wythnos", exact=True).fill("37")
    page.get_by_label("Parhaol").check()
    page.get_by_label("Cyflogaeth â thâl").check()
    page.get_by_label("Cyflog", exact=True).fill("14.00")
    page.get_by_label("Yr awr").check()
    page.get_by_role("group", name="A yw hon yn swydd lefel mynediad?").get_by_label("Ie").check()
    page.get_by_role("group", name="A yw’r swydd yn cynnwys gyrru?").get_by_label("Na").check()
    page.get_by_label("Sut mae ymgeiswyr yn gwneud cais?").fill("Ffoniwch Cerys.")
    closing = clock.today() + dt.timedelta(days=30)
    closing_date = page.get_by_role("group", name="Dyddiad cau")
    closing_date.get_by_label("Diwrnod").fill(str(closing.day))
    closing_date.get_by_label("Mis").fill(str(closing.month))
    closing_date.get_by_label("Blwyddyn").fill(str(closing.year))
    page.get_by_label("Treial gwaith").check()
    page.get_by_role("button", name="Cadw fel drafft").click()
    expect(page.get_by_text("Mae eich swydd wag wedi’i chadw fel drafft.")).to_be_visible()
    match = re.search(r"/vacancies/(?P<id>[0-9a-f-]{36})$", page.url)
    assert match, page.url
    welsh(page)
    page.get_by_role("button", name="Parhau i gyflwyno").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Gwiriwch eich swydd wag cyn i chi ei chyflwyno"
    )
    welsh(page)
    page.get_by_role("button", name="Cyflwyno’r swydd wag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Swydd wag wedi’i chyflwyno")
    due = _due_in_welsh(live_server, uuid.UUID(match["id"]))
    assert re.search(r"(Llun|Mawrth|Mercher|Iau|Gwener|Sadwrn|Sul) \d+ \w+ \d{4} am ", due), due
    expect(page.get_by_test_id("callback-due")).to_have_text(
        "Bydd ymgynghorydd o’r Ganolfan Byd Gwaith yn eich ffonio o fewn 2 ddiwrnod gwaith, "
        f"erbyn {due}, i wirio manylion eich swydd wag."
    )
    welsh(page)
    submitted = _email(live_server, email, "vacancy_submitted")
    assert submitted.subject == f"Mae eich swydd wag ar gyfer {JOB_TITLE} gennym"
    assert f"erbyn {due}" in submitted.text_body
    assert not ENGLISH.search(submitted.text_body.replace(live_server.url, "")), submitted.text_body

    # The agreement page: no agreement yet, and how to ask for one.
    page.goto("/")
    page.get_by_role("link", name="Cytundeb LEP").first.click()
    expect(page.get_by_text("Nid oes gennych gytundeb LEP eto.")).to_be_visible()
    welsh(page)
