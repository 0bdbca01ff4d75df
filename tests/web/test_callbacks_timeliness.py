"""Timeliness: the share of call-backs completed in time, per office and ISO week (London)."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

import pytest

from app.auth.models import Role
from app.callbacks.models import CallBack, CallBackOutcome, CallBackStatus
from app.callbacks.queries import timeliness
from app.callbacks.rules import LONDON, london_moment, recent_weeks, share_in_time
from app.extensions import db
from app.formatting import london
from tests.callback_factories import callback, coordinator, freeze_now, signed_in_as
from tests.factories import DistrictFactory, OfficeFactory, OrganisationFactory, StaffFactory
from tests.helpers import count_queries, get_page


@pytest.fixture
def now(monkeypatch) -> dt.datetime:
    return freeze_now(monkeypatch)


def _complete(task: CallBack, at: dt.datetime, office, *, late: bool) -> None:
    task.status = CallBackStatus.COMPLETED
    task.outcome = CallBackOutcome.NOT_NOW
    task.completed_at = at
    task.breached = late
    task.office_id = office.id if office else None


def _expected(completions, mondays) -> dict:
    """The figures counted independently: each completion's London date, its Monday."""
    completed, in_time = Counter(), Counter()
    for office, at, late in completions:
        local_day = at.astimezone(LONDON).date()
        monday = local_day - dt.timedelta(days=local_day.weekday())
        if mondays[0] <= monday <= mondays[-1]:
            key = (office.name if office else None, monday)
            completed[key] += 1
            in_time[key] += not late
    return {key: (completed[key], in_time[key]) for key in completed}


@pytest.fixture
def varied(now):
    """Completions over 14 weeks in two offices of one district (and one with no office), on
    and around week boundaries, in time and late; and noise: another district, open ones."""
    district = DistrictFactory()
    north, south = (
        OfficeFactory(district=district, name="North"),
        OfficeFactory(district=district, name="South"),
    )
    organisation = OrganisationFactory(district=district)
    today = london(now).date()
    mondays = recent_weeks(today, 12)
    chooser = random.Random(20261123)
    completions = []

    def add(office, at: dt.datetime, late: bool) -> None:
        task = callback(organisation, now=at - dt.timedelta(hours=30))
        _complete(task, at, office, late=late)
        completions.append((office, at, late))

    for _ in range(60):
        at = now - dt.timedelta(minutes=chooser.randrange(1, 14 * 7 * 24 * 60))
        add(chooser.choice([north, south, north, None]), at, chooser.random() < 0.3)
    # On the edges, in London time: midnight Monday starts a week, a second before ends one.
    for monday in (mondays[0], mondays[5], mondays[-1]):
        start = london_moment(monday, dt.time.min)
        add(north, start.astimezone(dt.UTC), late=False)
        add(south, (start - dt.timedelta(seconds=1)).astimezone(dt.UTC), late=True)
    # Noise the figures must leave out.
    elsewhere = OfficeFactory(name="Elsewhere")
    other = callback(OrganisationFactory(district=elsewhere.district), now=now)
    _complete(other, now - dt.timedelta(hours=2), elsewhere, late=False)
    callback(organisation, now=now, due_in=-dt.timedelta(hours=3))  # overdue, not completed
    db.session.flush()
    return district, mondays, completions


def test_timeliness_figures_match_an_independent_count(app, varied):
    district, mondays, completions = varied

    with count_queries() as statements:
        figures = timeliness(mondays, district.id)

    assert len(statements) == 1
    assert {(f.office, f.week_start): (f.completed, f.in_time) for f in figures} == _expected(
        completions, mondays
    )
    assert all(f.breaches == f.completed - f.in_time for f in figures)
    assert {f.office for f in figures} <= {"North", "South", None}


def test_timeliness_page_shows_each_office_and_week_for_the_coordinators_district(client, varied):
    district, mondays, completions = varied
    expected = _expected(completions, mondays)

    html = get_page(
        signed_in_as(client, coordinator(district)),
        "/call-backs/timeliness",
        title="Call-backs completed in time",
    )

    rows = re.findall(
        r'<th scope="row" class="govuk-table__header">\s*(.*?)\s*</th>\s*'
        r'<td class="govuk-table__cell">Week (\d+), beginning ([^<]+)</td>\s*'
        r"<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)%</td>",
        html,
    )
    assert len(rows) == len(expected)
    for office, week, _, completed, in_time, share in rows:
        office = None if office == "No office recorded" else office
        matching = [
            key for key in expected if key[0] == office and key[1].isocalendar().week == int(week)
        ]
        assert len(matching) == 1, (office, week)
        assert expected[matching[0]] == (int(completed), int(in_time))
        assert int(share) == share_in_time(int(in_time), int(completed))
    total, on_time = (sum(values) for values in zip(*expected.values(), strict=True))
    assert f"{total} completed, {on_time} in time ({share_in_time(on_time, total)}%)" in html
    assert "Elsewhere" not in html


def test_fewer_weeks_can_be_asked_for(client, varied):
    district, mondays, completions = varied
    signed_in_as(client, coordinator(district))

    html = get_page(client, "/call-backs/timeliness?weeks=2")

    expected = _expected(completions, mondays[-2:])
    assert html.count('<th scope="row"') == len(expected)
    get_page(client, "/call-backs/timeliness?weeks=0", status=400)
    get_page(client, "/call-backs/timeliness?weeks=53", status=400)
    get_page(client, "/call-backs/timeliness?weeks=many", status=400)


def test_an_admin_sees_every_district_and_can_choose_one(client, varied):
    district, _, _ = varied
    admin = StaffFactory(role=Role.ADMIN)
    signed_in_as(client, admin)

    everywhere = get_page(client, "/call-backs/timeliness")
    assert "Elsewhere" in everywhere and "North" in everywhere
    assert district.name in everywhere

    one = get_page(client, f"/call-backs/timeliness?district={district.id}")
    assert "Elsewhere" not in one and "North" in one
    assert f'<option value="{district.id}" selected>' in one
    get_page(client, "/call-backs/timeliness?district=nonsense", status=400)
    get_page(client, f"/call-backs/timeliness?district={admin.id}", status=400)


def test_timeliness_says_when_nothing_was_completed(client, now):
    html = get_page(
        signed_in_as(client, coordinator(DistrictFactory())),
        "/call-backs/timeliness",
        title="Call-backs completed in time",
    )
    assert "No call-backs were completed in these weeks." in html
    assert "<table" not in html


def test_a_week_is_monday_to_sunday_in_london_across_the_clock_change(app):
    """Sunday 29 March 2026 at 23:30 BST is 22:30 UTC: still the week of Monday 23 March."""
    district = DistrictFactory()
    office = OfficeFactory(district=district, name="North")
    organisation = OrganisationFactory(district=district)
    for at in (
        dt.datetime(2026, 3, 29, 22, 30, tzinfo=dt.UTC),  # Sunday 23:30 London (BST)
        dt.datetime(2026, 3, 29, 23, 0, tzinfo=dt.UTC),  # Monday 00:00 London
        dt.datetime(2026, 3, 23, 0, 0, tzinfo=dt.UTC),  # Monday 00:00 London (GMT)
        dt.datetime(2026, 3, 22, 23, 59, tzinfo=dt.UTC),  # Sunday 23:59 London (GMT)
    ):
        _complete(callback(organisation, now=at), at, office, late=False)
    db.session.flush()

    figures = timeliness(
        [dt.date(2026, 3, 16), dt.date(2026, 3, 23), dt.date(2026, 3, 30)], district.id
    )

    assert [(f.week_start, f.completed) for f in figures] == [
        (dt.date(2026, 3, 30), 1),
        (dt.date(2026, 3, 23), 2),
        (dt.date(2026, 3, 16), 1),
    ]
