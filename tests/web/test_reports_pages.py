"""The MI page, the sector view, charts, downloads and targets, through the test client."""

from __future__ import annotations

import csv
import io

from sqlalchemy import func, select

from app.accounts.models import OutcomeTarget
from app.extensions import db
from app.outcomes.models import JobOutcome, ValidationStatus
from app.reports import rollups
from app.reports.figures import FIGURES, on_page
from app.reports.models import RollupCount
from tests.helpers import count_queries, get_page, post_form, sign_in, without_tokens
from tests.report_factories import MONTH, MONTH_ARGS, mi_world

#: The MI page's queries: the signed-in user, the filters' places, one statement reading
#: every rollup (outcomes against target, subsidy, the priority group, sector, size and
#: source splits, sustainment, progression, the 3 guaranteed-interview splits, the
#: recruitment subsidy vouchers, the 2 PET figures, agreements confirmed and measures
#: delivered) with the targets and the rollups' age, and one per other figure but for the 2
#: referral-quality splits sharing one and the 2 not-selected splits sharing one.
OVERVIEW_QUERIES = 2 + 1 + len(on_page("overview")) - 8 - 3 - 1 - 1 - 1 - 2 - 2


def test_the_mi_page_shows_a_chart_table_and_download_for_every_figure(client):
    world = mi_world()
    sign_in(client, world.coordinator)
    html = get_page(client, f"/reports?{MONTH_ARGS}", title="Management information")
    for figure in on_page("overview"):
        assert f'id="figure-{figure.name}"' in html
        assert f"/reports/charts/{figure.name}.svg?" in html
        assert f"/reports/{figure.name}.csv?" in html
    assert "<style" not in html and 'style="' not in html


def test_the_mi_page_defaults_to_this_month_in_the_users_district(client):
    world = mi_world()
    sign_in(client, world.dam)
    html = get_page(client, "/reports", title="Management information")
    assert world.districts[0].name in html
    assert world.districts[1].name not in html


def test_the_sector_view_shows_its_figures(client):
    world = mi_world()
    sign_in(client, world.admin)
    html = get_page(client, f"/reports/sectors?{MONTH_ARGS}", title="Sectors")
    assert "Growth sectors with few signed employers" in html
    for figure in on_page("sectors"):
        assert f"/reports/charts/{figure.name}.svg?" in html


def test_htmx_gets_only_the_figures(client):
    world = mi_world()
    sign_in(client, world.admin)
    response = client.get(f"/reports?{MONTH_ARGS}", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="figures">')
    assert "<html" not in body


def test_every_chart_is_an_accessible_svg_without_script(client):
    world = mi_world()
    sign_in(client, world.admin)
    for figure in FIGURES:
        response = client.get(f"/reports/charts/{figure.name}.svg?{MONTH_ARGS}")
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        svg = response.get_data(as_text=True)
        assert "<title id=" in svg and str(figure.title) in svg
        assert "<desc id=" in svg and 'role="img"' in svg and "aria-labelledby=" in svg
        assert "<script" not in svg
        assert "script-src" not in response.headers["Content-Security-Policy"]
        assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_every_chart_is_coloured_by_attributes_not_a_stylesheet(client):
    """Without pygal's stylesheet every shape fills black; a `<style>` would be refused by
    a Content-Security-Policy, so the colours are presentation attributes."""
    world = mi_world()
    sign_in(client, world.admin)
    for figure in FIGURES:
        svg = client.get(f"/reports/charts/{figure.name}.svg?{MONTH_ARGS}").get_data(as_text=True)
        assert "<style" not in svg and "style=" not in svg
        assert 'class="background" fill="#ffffff"' in svg
        assert 'class="graph' in svg and 'fill="#0b0c0c"' in svg
        # Each series, in the legend at least, in its GOV.UK colour.
        for colour in ("#1d70b8", "#f47738")[: len(figure.series)]:
            assert f'fill="{colour}"' in svg, (figure.name, colour)


def test_a_chart_with_no_rows_still_draws(client):
    world = mi_world()
    sign_in(client, world.admin)
    response = client.get("/reports/charts/sustainment.svg?period=month&start=1&start=1&start=1990")
    assert response.status_code == 200
    assert "Nothing to show" in response.get_data(as_text=True)


def test_unknown_figures_are_not_found(client):
    world = mi_world()
    sign_in(client, world.admin)
    assert client.get("/reports/charts/no-such-figure.svg").status_code == 404
    assert client.get("/reports/no-such-figure.csv").status_code == 404


def test_malformed_dates_give_the_form_again_with_an_error(client):
    world = mi_world()
    sign_in(client, world.admin)
    html = get_page(client, "/reports?period=month&start=31&start=2&start=2026", title="Error:")
    assert "govuk-error-summary" in html and "Enter a real date" in html
    html = get_page(
        client,
        "/reports?period=custom&start=10&start=3&start=2026&end=1&end=3&end=2026",
        title="Error:",
    )
    assert "The end date must be on or after the start date" in html
    html = get_page(client, "/reports?period=custom&start=10&start=3&start=2026", title="Error:")
    assert "Enter the end date" in html
    get_page(client, "/reports?period=fortnight", title="Error:")
    get_page(client, "/reports?district=not-a-uuid", title="Error:")
    assert client.get("/reports/sustainment.csv?start=x&start=y&start=z").status_code == 400
    assert client.get("/reports/charts/sustainment.svg?start=99").status_code == 400


def test_a_coordinator_cannot_report_on_another_district(client):
    world = mi_world()
    sign_in(client, world.coordinator)
    other = world.districts[1]
    html = get_page(client, f"/reports?{MONTH_ARGS}&district={other.id}", title="Error:")
    assert "govuk-error-summary" in html
    office = world.offices[2]  # in another district
    response = client.get(f"/reports/outcomes-against-target.csv?{MONTH_ARGS}&office={office.id}")
    assert response.status_code == 400


def test_a_custom_period_is_reported(client):
    world = mi_world()
    sign_in(client, world.admin)
    args = "period=custom&start=1&start=3&start=2026&end=10&end=3&end=2026"
    response = client.get(f"/reports/outcomes-against-target.csv?{args}")
    assert response.status_code == 200
    assert "2026-03-01-to-2026-03-10" in response.headers["Content-Disposition"]


def _overview_queries(client) -> int:
    with count_queries() as statements:
        response = client.get(f"/reports?{MONTH_ARGS}")
    assert response.status_code == 200
    return len(statements)


def test_the_mi_page_runs_the_same_queries_for_small_and_larger_worlds(app, client, monkeypatch):
    # As in production: the rollups are refreshed on a schedule, not by the page.
    monkeypatch.setitem(app.config, "ROLLUPS_REFRESH_ON_READ", False)
    small = mi_world(scale=1, seed=1)
    sign_in(client, small.admin)
    rollups.refresh(db.session)
    few = _overview_queries(client)
    mi_world(scale=4, seed=2)
    rollups.refresh(db.session)
    many = _overview_queries(client)
    # 13 since the recruitment subsidy vouchers figure (its own statement, over its own
    # table, until it has a rollup; issue 15's target is 12), and 14 with the guaranteed
    # interviews' shared statement (no rollup yet: see app/guarantees/queries.py); 10 since
    # agreements confirmed and measures delivered read rollups.
    assert few == many == OVERVIEW_QUERIES <= 10


def test_a_coordinator_sets_a_target_and_downloads_totals_equal_to_the_raw_counts(client):
    world = mi_world()
    district = world.districts[0]
    sign_in(client, world.coordinator)
    get_page(client, "/reports/targets", title="Outcomes targets")
    response = post_form(
        client,
        "/reports/targets",
        {
            "district": str(district.id),
            "start": ["1", "3", "2026"],
            "end": ["31", "3", "2026"],
            "outcomes": "40",
        },
        status=302,
    )
    assert response.headers["Location"].endswith("/reports/targets")
    target = db.session.scalar(
        select(OutcomeTarget).where(
            OutcomeTarget.district_id == district.id, OutcomeTarget.period_start == MONTH.first
        )
    )
    assert target.outcomes == 40 and target.set_by_id == world.coordinator.id

    html = get_page(client, f"/reports?{MONTH_ARGS}", title="Management information")
    assert '<img class="govuk-!-width-full' in html and "govuk-table" in html
    lines = list(
        csv.reader(
            io.StringIO(
                client.get(f"/reports/outcomes-against-target.csv?{MONTH_ARGS}").get_data(
                    as_text=True
                )
            )
        )
    )
    raw_outcomes = db.session.scalar(
        select(func.count(JobOutcome.id)).where(
            JobOutcome.district_id == district.id,
            JobOutcome.counts_as_lep.is_(True),
            JobOutcome.validation_status != ValidationStatus.REJECTED,
            JobOutcome.start_date >= MONTH.first,
            JobOutcome.start_date <= MONTH.last,
        )
    )
    assert lines[-1][:3] == ["Total", "40", str(raw_outcomes)]


def test_the_target_form_keeps_the_input_and_shows_errors(client):
    world = mi_world()
    sign_in(client, world.coordinator)
    response = post_form(
        client,
        "/reports/targets",
        {
            "district": str(world.districts[0].id),
            "start": ["1", "4", "2026"],
            "end": ["31", "3", "2026"],
            "outcomes": "lots",
        },
        status=200,
    )
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    assert "The last day must be on or after the first day" in html
    assert 'value="lots"' in html
    assert (
        db.session.scalar(
            select(func.count(OutcomeTarget.id)).where(
                OutcomeTarget.period_start == MONTH.first.replace(month=4)
            )
        )
        == 0
    )


def test_a_coordinator_cannot_set_another_districts_target(client):
    world = mi_world()
    sign_in(client, world.coordinator)
    response = post_form(
        client,
        "/reports/targets",
        {
            "district": str(world.districts[1].id),
            "start": ["1", "3", "2026"],
            "end": ["31", "3", "2026"],
            "outcomes": "9",
        },
        status=200,
    )
    assert "govuk-error-summary" in response.get_data(as_text=True)


def test_an_admin_sets_any_districts_target_and_saving_again_replaces_it(client):
    world = mi_world()
    sign_in(client, world.admin)
    district = world.districts[2]
    for outcomes in ("12", "15"):
        post_form(
            client,
            "/reports/targets",
            {
                "district": str(district.id),
                "start": ["1", "5", "2026"],
                "end": ["31", "5", "2026"],
                "outcomes": outcomes,
            },
            status=302,
        )
    targets = list(
        db.session.scalars(
            select(OutcomeTarget.outcomes).where(
                OutcomeTarget.district_id == district.id,
                OutcomeTarget.period_start == MONTH.first.replace(month=5),
            )
        )
    )
    assert targets == [15]
    html = get_page(client, "/reports/targets", title="Outcomes targets")
    assert district.name in html


def test_rollup_counts_stored_under_an_older_key_shape_are_left_out_not_a_500(
    app, client, monkeypatch
):
    """Counts stored before a rollup gained a dimension (three parts where `outcome_groups`
    now has four, two where `sustainment` has one), still there because no refresh has run
    since the deploy: the MI page leaves them out and answers as before."""
    monkeypatch.setitem(app.config, "ROLLUPS_REFRESH_ON_READ", False)
    world = mi_world()
    sign_in(client, world.admin)
    rollups.refresh(db.session)
    before = client.get(f"/reports?{MONTH_ARGS}")
    day = MONTH.first
    district_id = world.districts[0].id
    for name, key in (("outcome_groups", "a_pg1_2|retail|small"), ("sustainment", "13|x")):
        db.session.add(
            RollupCount(rollup=name, day=day, district_id=district_id, key=key, value_1=7)
        )
    db.session.flush()
    after = client.get(f"/reports?{MONTH_ARGS}")
    assert after.status_code == 200
    assert without_tokens(after.get_data(as_text=True)) == without_tokens(
        before.get_data(as_text=True)
    )
