"""The Welsh language service: the toggle, ?lang=, Accept-Language, the person's preference."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from flask_babel import refresh

from app.extensions import db
from app.formatting import date_long, datetime_long, money
from tests.factories import employer_user
from tests.helpers import get_page, sign_in


def _html_lang(html: str) -> str:
    match = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", html)
    assert match, "no lang on <html>"
    return match.group(1)


def _toggle(html: str) -> tuple[str, str, str, str]:
    """(href, lang, hreflang, text) of the header's language link."""
    match = re.search(
        r'<a class="govuk-link" href="([^"]+)" lang="([^"]+)" hreflang="([^"]+)">([^<]+)</a>', html
    )
    assert match, "no language toggle"
    return match.groups()


def test_an_english_page_offers_cymraeg_in_welsh(client):
    html = get_page(client, "/accessibility")
    assert _html_lang(html) == "en"
    href, lang, hreflang, text = _toggle(html)
    assert (text, lang, hreflang) == ("Cymraeg", "cy", "cy")
    assert href == "/accessibility?lang=cy"


def test_lang_cy_answers_in_welsh_and_offers_english(client):
    html = get_page(client, "/accessibility?lang=cy")
    assert _html_lang(html) == "cy"
    assert "Neidio i’r prif gynnwys" in html
    href, lang, hreflang, text = _toggle(html)
    assert (text, lang, hreflang) == ("English", "en", "en")
    assert href == "/accessibility?lang=en"


def test_the_toggle_keeps_the_other_query_args(client):
    html = get_page(client, "/accessibility?page=2&q=a+b&lang=en")
    href = _toggle(html)[0].replace("&amp;", "&")
    assert href == "/accessibility?page=2&q=a+b&lang=cy"


def test_the_choice_is_remembered_for_the_visit(client):
    get_page(client, "/accessibility?lang=cy")
    assert _html_lang(get_page(client, "/privacy")) == "cy"
    get_page(client, "/privacy?lang=en")
    assert _html_lang(get_page(client, "/cookies")) == "en"


def test_a_welsh_browser_gets_welsh_without_asking(client):
    html = get_page(
        client, "/accessibility", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}
    )
    assert _html_lang(html) == "cy"
    html = get_page(client, "/accessibility", headers={"Accept-Language": "fr, en;q=0.5"})
    assert _html_lang(html) == "en"


def test_a_chosen_language_beats_the_browser(client):
    get_page(client, "/accessibility?lang=en")
    html = get_page(client, "/accessibility", headers={"Accept-Language": "cy"})
    assert _html_lang(html) == "en"


def test_a_signed_in_persons_choice_is_stored_and_used_in_later_visits(app, client):
    employer = employer_user()
    sign_in(client, employer)
    get_page(client, "/?lang=cy")
    db.session.refresh(employer)
    assert employer.preferred_language == "cy"

    later = app.test_client()  # a new visit: nothing in the session but who you are
    html = get_page(sign_in(later, employer), "/", headers={"Accept-Language": "en"})
    assert _html_lang(html) == "cy"


def test_an_unknown_lang_is_ignored(client):
    assert _html_lang(get_page(client, "/accessibility?lang=fr")) == "en"


def test_the_error_summary_title_is_welsh(client):
    html = client.post("/sign-in?lang=cy", data={}).get_data(as_text=True)
    assert "Mae problem wedi codi" in html
    assert "Gwall:" in html  # the title prefix
    assert "Rhowch gyfeiriad e-bost" in html  # the validation message
    assert '<span class="govuk-visually-hidden">Gwall:</span>' in html  # the field's own
    assert ">Error" not in html


def test_the_password_toggle_speaks_welsh(client):
    html = get_page(client, "/sign-in?lang=cy")
    assert 'aria-label="Dangos cyfrinair"' in html
    assert 'data-i18n.password-shown-announcement="Mae eich cyfrinair yn weladwy"' in html


def test_dates_times_and_money_follow_the_welsh_locale(app):
    moment = dt.datetime(2026, 12, 8, 18, 14, tzinfo=dt.UTC)
    with app.test_request_context("/?lang=cy"):
        assert date_long(moment) == "8 Rhagfyr 2026"
        assert datetime_long(moment) == "Dydd Mawrth 8 Rhagfyr 2026 am 6:14yh"
        assert money(Decimal("1234.5")) == "£1,234.50"
    with app.test_request_context("/?lang=en"):
        refresh()  # the test's app context holds the locale Flask-Babel cached above
        assert date_long(moment) == "8 December 2026"
        assert datetime_long(moment) == "Tuesday 8 December 2026 at 6:14pm"
