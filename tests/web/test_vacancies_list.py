"""The employer's list of vacancies: status filters and search that work with and without
JavaScript, bounded pages, a query count that does not grow, and the home-page panel."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.models_base import utcnow
from app.vacancies.models import VacancyStatus
from tests.factories import employer_user
from tests.helpers import count_queries, get_page, sign_in
from tests.vacancy_factories import VacancyFactory

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://localhost/vacancies"}


def titles(html: str) -> list[str]:
    """Job titles in the results table, in order."""
    return re.findall(r'<a class="govuk-link" href="/vacancies/[0-9a-f-]{36}">([^<]+)</a>', html)


def post_vacancies(organisation, count: int, **kwargs) -> list:
    """`count` vacancies created a minute apart, the last one newest."""
    start = utcnow() - dt.timedelta(days=1)
    return [
        VacancyFactory(
            organisation=organisation,
            created_at=start + dt.timedelta(minutes=n),
            **{"job_title": f"Job {n:02d}", **kwargs},
        )
        for n in range(count)
    ]


@pytest.fixture
def employer():
    return employer_user()


@pytest.fixture
def mixed(employer):
    """Five vacancies in three statuses, oldest first."""
    organisation = employer.organisation
    start = utcnow() - dt.timedelta(days=1)
    made = {}
    for minutes, (title, status) in enumerate(
        [
            ("Cleaner", VacancyStatus.DRAFT),
            ("Care assistant", VacancyStatus.LIVE),
            ("Night care worker", VacancyStatus.SUBMITTED),
            ("Chef", VacancyStatus.LIVE),
            ("Kitchen porter", VacancyStatus.FILLED),
        ]
    ):
        made[title] = VacancyFactory(
            organisation=organisation,
            job_title=title,
            status=status,
            created_at=start + dt.timedelta(minutes=minutes),
        )
    return made


def test_the_list_shows_the_organisations_vacancies_newest_first(client, employer, mixed):
    VacancyFactory(job_title="Another employer's job")
    html = get_page(sign_in(client, employer), "/vacancies", title="Your vacancies")
    assert titles(html) == [
        "Kitchen porter",
        "Chef",
        "Night care worker",
        "Care assistant",
        "Cleaner",
    ]
    assert "Awaiting call-back" in html
    assert "Live (2)" in html and "Draft (1)" in html and "Withdrawn (0)" in html


def test_status_filters_and_search_work_as_a_plain_form(client, employer, mixed):
    sign_in(client, employer)
    html = get_page(client, "/vacancies?status=live")
    assert titles(html) == ["Chef", "Care assistant"]
    assert re.search(r'value="live"\s+checked', html)

    html = get_page(client, "/vacancies?status=live&status=submitted")
    assert titles(html) == ["Chef", "Night care worker", "Care assistant"]

    html = get_page(client, "/vacancies?q=CARE")
    assert titles(html) == ["Night care worker", "Care assistant"]
    assert 'value="CARE"' in html

    html = get_page(client, "/vacancies?q=care&status=live")
    assert titles(html) == ["Care assistant"]


def test_a_search_for_a_wildcard_matches_it_literally(client, employer, mixed):
    html = get_page(sign_in(client, employer), "/vacancies?q=%25")
    assert titles(html) == []
    assert "No vacancies match your search" in html


def test_an_unknown_status_is_ignored(client, employer, mixed):
    html = get_page(sign_in(client, employer), "/vacancies?status=archived")
    assert len(titles(html)) == 5


def test_htmx_gets_only_the_results_block(client, employer, mixed):
    sign_in(client, employer)
    response = client.get("/vacancies?status=live", headers=HTMX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="vacancy-results">')
    assert "<html" not in html and "<h1" not in html and "<form" not in html
    assert titles(html) == ["Chef", "Care assistant"]
    assert "HX-Request" in response.headers["Vary"]


def test_the_filter_form_asks_htmx_to_swap_only_the_results(client, employer, mixed):
    html = get_page(sign_in(client, employer), "/vacancies")
    form = re.search(r"<form method=\"get\" action=\"/vacancies\"[^>]*>", html).group(0)
    assert 'data-hx-get="/vacancies"' in form
    assert 'data-hx-target="#vacancy-results"' in form
    assert 'data-hx-push-url="true"' in form
    assert html.count('id="vacancy-results"') == 1


def test_htmx_restoring_history_gets_the_whole_page(client, employer, mixed):
    sign_in(client, employer)
    headers = {**HTMX, "HX-History-Restore-Request": "true"}
    html = client.get("/vacancies?status=live", headers=headers).get_data(as_text=True)
    assert "<html" in html and "<h1" in html


def test_no_matches_and_no_vacancies_yet_are_different_empty_states(client, employer):
    sign_in(client, employer)
    html = get_page(client, "/vacancies")
    assert "You have not posted any vacancies yet" in html
    assert 'href="/vacancies/new"' in html
    assert '<form method="get"' not in html

    VacancyFactory(organisation=employer.organisation, job_title="Cleaner")
    html = get_page(client, "/vacancies?q=pilot")
    assert "No vacancies match your search" in html
    partial = client.get("/vacancies?q=pilot", headers=HTMX).get_data(as_text=True)
    assert "No vacancies match your search" in partial


def test_the_list_is_paged_25_at_a_time_and_keeps_the_filters(client, employer):
    post_vacancies(employer.organisation, 30)
    sign_in(client, employer)
    html = get_page(client, "/vacancies?q=job")
    assert titles(html) == [f"Job {n:02d}" for n in range(29, 4, -1)]
    assert 'href="/vacancies?page=2&amp;q=job"' in html
    assert 'data-hx-get="/vacancies?page=2&amp;q=job"' in html

    html = get_page(client, "/vacancies?page=2&q=job")
    assert titles(html) == [f"Job {n:02d}" for n in range(4, -1, -1)]
    assert 'href="/vacancies?page=1&amp;q=job"' in html
    assert "page=3" not in html

    assert titles(get_page(client, "/vacancies?page=99")) == []


def test_a_page_that_is_not_a_number_is_a_bad_request(client, employer):
    get_page(sign_in(client, employer), "/vacancies?page=two", status=400)


def test_the_list_runs_the_same_queries_for_3_and_30_vacancies(client, employer):
    sign_in(client, employer)
    post_vacancies(employer.organisation, 3)
    client.get("/vacancies")  # warm-up: nothing cached differs between the two counts
    with count_queries() as few:
        assert client.get("/vacancies").status_code == 200
    post_vacancies(employer.organisation, 27)
    with count_queries() as many:
        html = client.get("/vacancies").get_data(as_text=True)
    assert len(titles(html)) == 25
    assert len(many) == len(few), "\n".join(many)
    assert len(few) <= 5, "\n".join(few)


def test_the_home_page_counts_the_employers_vacancies_by_status(client, employer, mixed):
    VacancyFactory(organisation=employer.organisation, status=VacancyStatus.LIVE)
    html = get_page(sign_in(client, employer), "/")
    panel = html.split('data-testid="vacancies-panel"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'href="/vacancies\?status=draft">\s*1 draft\s*<', panel)
    assert re.search(r'href="/vacancies\?status=submitted">\s*1 awaiting a call-back\s*<', panel)
    assert re.search(r'href="/vacancies\?status=live">\s*3 live\s*<', panel)


def test_staff_get_no_vacancies_panel(client):
    from tests.factories import StaffFactory

    html = get_page(sign_in(client, StaffFactory()), "/")
    assert 'data-testid="vacancies-panel"' not in html
