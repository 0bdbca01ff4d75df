"""The local labour market pages through the test client: every figure against the same
figures counted again from the records (tests/lmi_factories.py), for a district and a
nation; who may see which place; the CSV downloads and the charts; and a page whose number of
queries does not grow with the data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.accounts.models import District
from app.auth.models import Role
from app.extensions import db
from app.lmi.rules import last_months
from app.reports import rollups
from app.vacancies.models import VacancyStatus
from tests.factories import ProviderUserFactory, StaffFactory, employer_user
from tests.helpers import count_queries, freeze_today, get_page, sign_in
from tests.lmi_factories import (
    TODAY,
    expected_employers,
    expected_fills,
    expected_going_live,
    expected_pet,
    lmi_world,
)
from tests.partnership_factories import partnered_user, partnership
from tests.vacancy_factories import VacancyFactory

FIGURES = (
    "vacancies-by-sector",
    "vacancies-by-occupation",
    "fill-rate",
    "time-to-fill",
    "growth-sectors",
    "pet-courses",
)
SECTOR_LABELS = {
    "retail": "Retail",
    "hospitality": "Hospitality",
    "social_care": "Social care",
    "warehousing": "Warehousing and logistics",
}
#: The page's queries: the signed-in user, the places to choose from, and one statement for
#: every figure (the rollups by key and month, with their age).
PAGE_QUERIES = 3


@pytest.fixture(autouse=True)
def today(monkeypatch):
    return freeze_today(monkeypatch, TODAY)


def _csv(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def _number(text: str) -> int:
    return int(text or 0)


def _places(world, scope: str) -> tuple[str, set]:
    if scope == "district":
        district = world.districts[0]
        return str(district.id), {district.id}
    return "england", {district.id for district in world.districts[:2]}


@pytest.mark.parametrize("scope", ["district", "nation"])
def test_every_figure_equals_the_same_count_taken_from_the_records(client, scope):
    world = lmi_world()
    sign_in(client, StaffFactory(role=Role.COORDINATOR, district=world.districts[0]))
    place, places = _places(world, scope)
    window = last_months(TODAY)

    # LEP vacancies going live, by sector: every sector column and the total, month by month.
    rows = _csv(client, f"/labour-market/vacancies-by-sector.csv?place={place}")
    expected = expected_going_live(world, window, places, lambda vacancy: vacancy.sector)
    assert [row["Month"] for row in rows[:-1]] == [
        month.first.strftime("%b %Y") for month in window.months
    ]
    for row, counts in zip(rows[:-1], expected, strict=True):
        assert _number(row["All sectors"]) == sum(counts.values())
        for code, label in SECTOR_LABELS.items():
            if label in row:
                assert _number(row[label]) == counts.get(code, 0), (row["Month"], label)
    assert rows[-1]["Month"] == "Total"
    assert sum(sum(counts.values()) for counts in expected) >= 10  # a test of something
    assert _number(rows[-1]["All sectors"]) == sum(sum(counts.values()) for counts in expected)

    # By occupation, ignoring capitals and spaces at the ends; a formula is written as text.
    rows = _csv(client, f"/labour-market/vacancies-by-occupation.csv?place={place}")
    expected = expected_going_live(
        world, window, places, lambda vacancy: vacancy.occupation.strip().lower()
    )
    labels = {"sales assistant": "Sales assistant", "": "Occupation not given", "=cook": "'=cook"}
    for row, counts in zip(rows[:-1], expected, strict=True):
        assert _number(row["All occupations"]) == sum(counts.values())
        for key, count in counts.items():
            label = labels.get(key, key.capitalize())
            if label in row:
                assert _number(row[label]) == count, (row["Month"], label)

    # Filled and withdrawn; the days to fill, their mean and median.
    fills = expected_fills(world, window, places)
    assert sum(entry["filled"] for entry in fills) > 5
    rate = _csv(client, f"/labour-market/fill-rate.csv?place={place}")
    speed = _csv(client, f"/labour-market/time-to-fill.csv?place={place}")
    for closed, took, entry in zip(rate[:-1], speed[:-1], fills, strict=True):
        assert (_number(closed["Closed"]), _number(closed["Filled"])) == (
            entry["closed"],
            entry["filled"],
        )
        assert _number(closed["Closed without filling"]) == entry["closed"] - entry["filled"]
        for column, key in (("Mean days to fill", "mean"), ("Median days to fill", "median")):
            assert (Decimal(took[column]) if took[column] else None) == entry[key], took["Month"]

    # Growth sectors: vacancies in each half of the window, and LEP employers at its end.
    rows = {
        row["Sector"]: row
        for row in _csv(client, f"/labour-market/growth-sectors.csv?place={place}")
    }
    halves = expected_going_live(world, window, places, lambda vacancy: vacancy.sector)
    employers = expected_employers(world, TODAY, places)
    for code, label in SECTOR_LABELS.items():
        earlier = sum(counts.get(code, 0) for counts in halves[:6])
        later = sum(counts.get(code, 0) for counts in halves[6:])
        if not (earlier or later or employers.get(code)):
            assert label not in rows
            continue
        row = rows[label]
        assert [_number(value) for value in list(row.values())[1:3]] == [earlier, later]
        assert _number(row["LEP employers"]) == employers.get(code, 0)

    # PET courses started, with their trainees' starts, completions and jobs.
    rows = _csv(client, f"/labour-market/pet-courses.csv?place={place}")
    pet = expected_pet(world, window, places)
    assert sum(entry["started"] for entry in pet) > 0
    for row, entry in zip(rows[:-1], pet, strict=True):
        assert [
            _number(row[column])
            for column in ("Courses started", "Customers started", "Completed", "Into a job")
        ] == [entry["courses"], entry["started"], entry["completed"], entry["into_work"]]


def test_the_page_shows_a_chart_table_and_download_for_every_figure(client):
    world = lmi_world()
    sign_in(client, StaffFactory(role=Role.DAM, district=world.districts[0]))
    html = get_page(client, "/labour-market", title="Local labour market")
    assert world.districts[0].name in html
    for name in FIGURES:
        assert f'id="figure-{name}"' in html
        assert f"/labour-market/charts/{name}.svg?place={world.districts[0].id}" in html
        assert f"/labour-market/{name}.csv?place={world.districts[0].id}" in html
    assert "Figures as of" in html
    assert "<style" not in html and 'style="' not in html


def test_staff_switch_to_a_nation_or_another_district(client):
    world = lmi_world()
    sign_in(client, StaffFactory(role=Role.ADMIN, district=None))
    html = get_page(client, "/labour-market?place=wales", title="Local labour market")
    assert "Wales: 1 July 2025 to 15 June 2026" in html
    html = get_page(client, f"/labour-market?place={world.districts[1].id}")
    assert f"{world.districts[1].name}: 1 July 2025" in html


def test_a_place_that_does_not_exist_is_an_error_on_the_page_and_400_for_a_file(client):
    world = lmi_world()
    sign_in(client, StaffFactory(role=Role.COORDINATOR, district=world.districts[0]))
    html = get_page(client, "/labour-market?place=atlantis", title="Error: Local labour market")
    assert "Select a nation or district from the list" in html
    assert client.get("/labour-market/fill-rate.csv?place=atlantis").status_code == 400
    assert client.get("/labour-market/charts/fill-rate.svg?place=atlantis").status_code == 400
    # An unknown figure is not found, whatever the place.
    assert client.get("/labour-market/no-such-figure.csv?place=atlantis").status_code == 404


def test_a_partnered_provider_sees_only_the_districts_its_agreement_covers(client):
    world = lmi_world()
    covered, other = world.districts[0], world.districts[1]
    user = partnered_user(covered)
    # Offered another district, not accepted: not covered.
    partnership(user.provider, other, accepted=False)
    sign_in(client, user)
    html = get_page(client, "/labour-market", title="Local labour market")
    assert f"{covered.name}: 1 July 2025" in html
    options = re.findall(r"<option[^>]*>([^<]*)</option>", html)
    assert options == [covered.name]
    html = get_page(client, f"/labour-market?place={other.id}", title="Error:")
    assert client.get("/labour-market?place=england").status_code == 200
    for place in (str(other.id), "england", "wales"):
        assert client.get(f"/labour-market/fill-rate.csv?place={place}").status_code == 400
        assert client.get(f"/labour-market/charts/fill-rate.svg?place={place}").status_code == 400
    assert client.get(f"/labour-market/fill-rate.csv?place={covered.id}").status_code == 200


@pytest.mark.parametrize("accepted", [False, None])
def test_a_provider_without_an_accepted_agreement_finds_nothing(client, accepted):
    world = lmi_world()
    user = ProviderUserFactory()
    if accepted is not None:
        partnership(user.provider, world.districts[0], accepted=accepted)
    sign_in(client, user)
    for url in (
        "/labour-market",
        "/labour-market/fill-rate.csv",
        "/labour-market/charts/fill-rate.svg",
    ):
        assert client.get(url).status_code == 404, url


def test_employers_and_other_staff_are_refused(client):
    world = lmi_world()
    for user in (
        employer_user(world.organisations[0]),
        StaffFactory(role=Role.LMRA, district=world.districts[0]),
        StaffFactory(role=Role.ADVISER, district=world.districts[0]),
    ):
        sign_in(client, user)
        assert client.get("/labour-market").status_code == 403


def test_a_chart_is_drawn_in_colour_with_a_title_and_a_phone_layout(client):
    world = lmi_world()
    sign_in(client, StaffFactory(role=Role.COORDINATOR, district=world.districts[0]))
    for layout in ("", "&layout=narrow"):
        response = client.get(
            f"/labour-market/charts/vacancies-by-sector.svg?place=england{layout}"
        )
        assert response.mimetype == "image/svg+xml"
        assert response.headers["Content-Security-Policy"] == "default-src 'none'"
        svg = response.get_data(as_text=True)
        assert "<title" in svg and "LEP vacancies going live, by sector" in svg
        assert 'fill="#1d70b8"' in svg and 'fill="#f47738"' in svg
        assert "<style" not in svg and "<script" not in svg
    narrow = client.get("/labour-market/charts/growth-sectors.svg?place=england&layout=narrow")
    assert 'viewBox="0 0 360 ' in narrow.get_data(as_text=True)


def test_a_csv_names_the_figure_the_place_and_the_months(client):
    world = lmi_world()
    sign_in(client, StaffFactory(role=Role.COORDINATOR, district=world.districts[0]))
    response = client.get("/labour-market/pet-courses.csv?place=england")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="pet-courses-england-2025-07-01-to-2026-06-15.csv"'
    )
    assert response.headers["Cache-Control"] == "private, no-store"
    header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert header == [
        "Month",
        "Courses started",
        "Customers started",
        "Completed",
        "Into a job",
        "Completion rate",
        "Job rate",
    ]


def test_a_new_vacancy_going_live_counts_after_the_refresh(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "ROLLUPS_REFRESH_ON_READ", False)
    world = lmi_world()
    rollups.refresh(db.session)
    sign_in(client, StaffFactory(role=Role.COORDINATOR, district=world.districts[0]))
    url = f"/labour-market/vacancies-by-sector.csv?place={world.districts[0].id}"
    before = _number(_csv(client, url)[-1]["All sectors"])

    VacancyFactory(
        organisation=world.organisations[0],
        status=VacancyStatus.LIVE,
        live_at=dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC),
        submitted_at=dt.datetime(2026, 5, 30, 9, tzinfo=dt.UTC),
    )
    db.session.flush()
    assert _number(_csv(client, url)[-1]["All sectors"]) == before
    rollups.refresh(db.session)
    assert _number(_csv(client, url)[-1]["All sectors"]) == before + 1


def _page_queries(client) -> int:
    with count_queries() as statements:
        response = client.get("/labour-market?place=england")
    assert response.status_code == 200
    return len(statements)


def test_the_page_runs_the_same_queries_for_small_and_larger_worlds(client, app, monkeypatch):
    # As in production: the rollups are refreshed on a schedule, not by the page.
    monkeypatch.setitem(app.config, "ROLLUPS_REFRESH_ON_READ", False)
    lmi_world(seed=1, scale=1)
    rollups.refresh(db.session)
    admin = StaffFactory(role=Role.ADMIN, district=None)
    sign_in(client, admin)
    few = _page_queries(client)
    lmi_world(seed=2, scale=4)
    rollups.refresh(db.session)
    many = _page_queries(client)
    assert few == many == PAGE_QUERIES
    assert db.session.scalar(select(District.id).limit(1)) is not None
