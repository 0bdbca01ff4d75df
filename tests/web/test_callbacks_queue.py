"""The call-back queue: one list per district, soonest due first, refreshed in place."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.callbacks.models import AttemptResult, CallBack, CallBackStatus
from app.callbacks.services import log_attempt
from app.extensions import db
from app.formatting import datetime_long
from tests.callback_factories import (
    callback,
    coordinator,
    freeze_now,
    lmra,
    signed_in_as,
)
from tests.factories import OrganisationFactory
from tests.helpers import count_queries, get_page

HOURS = dt.timedelta(hours=1)


@pytest.fixture
def now(monkeypatch) -> dt.datetime:
    return freeze_now(monkeypatch)


@pytest.fixture
def me(district):
    return lmra(district, name="Alex Adviser")


def _employers_in_order(html: str) -> list[str]:
    return re.findall(r'id="open-[0-9a-f-]+" href="/call-backs/[0-9a-f-]+">([^<]+)</a>', html)


def test_queue_lists_the_districts_open_and_claimed_call_backs_soonest_due_first(
    client, district, me, now
):
    colleague = lmra(district, name="Sam Colleague")
    later = callback(
        OrganisationFactory(district=district, name="Later Ltd"), due_in=30 * HOURS, now=now
    )
    callback(
        OrganisationFactory(district=district, name="Soon Ltd"),
        due_in=3 * HOURS,
        now=now,
        claimed_by=colleague,
    )
    callback(OrganisationFactory(district=district, name="Late Ltd"), due_in=-2 * HOURS, now=now)
    callback(
        OrganisationFactory(district=district, name="Done Ltd"),
        now=now,
        status=CallBackStatus.COMPLETED,
    )
    callback(OrganisationFactory(name="Elsewhere Ltd"), due_in=HOURS, now=now)

    html = get_page(signed_in_as(client, me), "/call-backs", title="Call-backs")

    assert _employers_in_order(html) == ["Late Ltd", "Soon Ltd", "Later Ltd"]
    assert 'govuk-tag--red">Overdue by 2 hours<' in html
    assert 'govuk-tag--orange">3 hours left<' in html
    assert "1 day 6 hours left" in html
    assert later.vacancy.job_title in html
    assert "Sam Colleague" in html
    assert "Nobody yet" in html
    assert datetime_long(later.due_at) in html


def test_the_mine_filter_shows_only_call_backs_i_claimed(client, district, me, now):
    callback(OrganisationFactory(district=district, name="Mine Ltd"), now=now, claimed_by=me)
    callback(OrganisationFactory(district=district, name="Open Ltd"), now=now)

    html = get_page(signed_in_as(client, me), "/call-backs?show=mine", title="Call-backs")

    assert _employers_in_order(html) == ["Mine Ltd"]
    assert 'aria-current="page">Claimed by you<' in html


def test_a_coordinator_sees_the_district_queue_without_claim_buttons(client, district, now):
    callback(OrganisationFactory(district=district, name="Open Ltd"), now=now)

    html = get_page(signed_in_as(client, coordinator(district)), "/call-backs")

    assert _employers_in_order(html) == ["Open Ltd"]
    # No call-back's claim button (the navigation's "Subsidy claims" is another thing).
    assert not re.search(r"/call-backs/[^\"]*/claim", html)
    assert 'href="/call-backs/timeliness"' in html


def test_an_empty_queue_says_so(client, me, now):
    html = get_page(signed_in_as(client, me), "/call-backs", title="Call-backs")
    assert "There are no call-backs to make in your district." in html


def test_a_bad_page_number_is_a_bad_request(client, me):
    get_page(signed_in_as(client, me), "/call-backs?page=lots", status=400)
    get_page(client, "/call-backs?page=0", status=400)


def test_the_queue_is_bounded_and_pages(client, district, me, now):
    organisation = OrganisationFactory(district=district)
    for hours in range(52):
        callback(organisation, due_in=(hours + 1) * HOURS, now=now)

    first = get_page(signed_in_as(client, me), "/call-backs")
    second = get_page(client, "/call-backs?page=2")

    assert first.count('class="govuk-table__row" id="callback-') == 50
    assert second.count('class="govuk-table__row" id="callback-') == 2
    assert "page=2" in first
    # The minute's refresh of a full page: the results block alone, its paging too.
    response = client.get("/call-backs", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'class="govuk-pagination' in response.get_data(as_text=True)


def test_the_results_refresh_in_place_and_work_without_javascript(client, me, now):
    html = get_page(signed_in_as(client, me), "/call-backs?show=mine")
    block = re.search(r'<div id="callback-results"[^>]*>', html).group(0)
    assert 'data-hx-get="/call-backs?show=mine&amp;page=1"' in block
    assert 'data-hx-trigger="every 60s"' in block
    assert 'data-hx-swap="outerHTML"' in block


def test_an_htmx_request_gets_only_the_results_block(client, district, me, now):
    callback(OrganisationFactory(district=district, name="Open Ltd"), now=now)

    response = signed_in_as(client, me).get("/call-backs", headers={"HX-Request": "true"})

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="callback-results"')
    assert "<html" not in html and "<h1" not in html
    assert "Open Ltd" in html


def test_the_queue_page_runs_the_same_queries_for_3_or_30_call_backs(client, district, me, now):
    colleague = lmra(district)
    signed_in_as(client, me)

    def make(count: int) -> None:
        for number in range(count):
            task = callback(
                OrganisationFactory(district=district),
                due_in=(number - 2) * HOURS,
                now=now,
                claimed_by=colleague if number % 2 else None,
            )
            log_attempt(task, colleague, AttemptResult.NO_ANSWER, now=now)
        db.session.flush()

    make(3)
    with count_queries() as few:
        get_page(client, "/call-backs")
    make(27)
    with count_queries() as many:
        html = get_page(client, "/call-backs")
    assert html.count('class="govuk-table__row" id="callback-') == 30
    assert len(few) == len(many), many


def test_the_home_page_panel_counts_the_lmras_call_backs(client, district, me, now):
    organisation = OrganisationFactory(district=district)
    callback(organisation, due_in=-HOURS, now=now)
    callback(organisation, due_in=2 * HOURS, now=now, claimed_by=me)
    callback(organisation, due_in=20 * HOURS, now=now)
    callback(OrganisationFactory(), due_in=HOURS, now=now)

    html = get_page(signed_in_as(client, me), "/")

    assert "3 call-backs to make in your district" in html
    assert "1 overdue" in html
    assert "1 due in the next 4 hours" in html
    assert "1 claimed by you" in html
    assert 'href="/call-backs"' in html


def test_the_home_page_panel_is_for_lmras_only(client, district, now):
    html = get_page(signed_in_as(client, coordinator(district)), "/")
    assert "Go to the call-back queue" not in html


def test_queue_rows_are_only_the_districts(app, district, me, now):
    """The queue query itself never returns another district's call-back."""
    from app.callbacks.queries import queue_page

    callback(OrganisationFactory(district=district), now=now)
    callback(OrganisationFactory(), now=now)
    rows, has_next = queue_page(district.id)
    assert [row.district_id for row in rows] == [district.id]
    assert not has_next
    assert queue_page(None) == ([], False)
    assert db.session.query(CallBack).count() == 2
