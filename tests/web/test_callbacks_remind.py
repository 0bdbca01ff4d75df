"""`flask callbacks remind`: due-soon emails to LMRAs, breaches to coordinators, each once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.callbacks.models import CallBack, CallBackStatus
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.callback_factories import callback, coordinator, freeze_now, lmra
from tests.factories import DistrictFactory, OfficeFactory, OrganisationFactory

HOURS = dt.timedelta(hours=1)


@pytest.fixture
def now(monkeypatch) -> dt.datetime:
    return freeze_now(monkeypatch)


def _outbox(kind: str) -> dict[str, str]:
    db.session.expire_all()
    return {
        message.recipient: message.text_body
        for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind))
    }


def _remind(app) -> str:
    result = app.test_cli_runner().invoke(args=["callbacks", "remind"])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def district_world(now):
    """Two offices in a district, their LMRAs and coordinators, and call-backs due at
    different times; and a second district that must hear nothing of them."""
    district = DistrictFactory()
    north = OfficeFactory(district=district, name="North")
    south = OfficeFactory(district=district, name="South")
    people = {
        "ann": lmra(district, north, name="Ann North"),
        "bob": lmra(district, south, name="Bob South"),
        "north_boss": coordinator(district, north, name="Nora Boss"),
        "south_boss": coordinator(district, south, name="Sid Boss"),
        "district_boss": coordinator(district, name="Dee Boss"),
        "elsewhere_lmra": lmra(DistrictFactory(), name="Eve Elsewhere"),
    }
    people["district_boss"].office_id = None
    organisation = OrganisationFactory(district=district, name="Brightside Bakery")
    tasks = {
        "soon_open": callback(organisation, now=now, due_in=2 * HOURS, job_title="Baker"),
        "soon_claimed": callback(
            organisation, now=now, due_in=4 * HOURS, claimed_by=people["ann"], job_title="Driver"
        ),
        "not_yet": callback(organisation, now=now, due_in=4 * HOURS + dt.timedelta(minutes=1)),
        "late_open": callback(organisation, now=now, due_in=-HOURS, job_title="Cleaner"),
        "late_north": callback(
            organisation, now=now, due_in=-3 * HOURS, claimed_by=people["ann"], job_title="Cook"
        ),
        "late_done": callback(
            organisation, now=now, due_in=-HOURS, status=CallBackStatus.COMPLETED
        ),
    }
    db.session.flush()
    return people, tasks


def test_remind_emails_lmras_what_is_due_in_four_hours_and_coordinators_the_breaches(
    app, district_world
):
    people, tasks = district_world

    output = _remind(app)

    assert (
        "Call-backs due soon: 2 (2 emails to LMRAs). Breaches: 2 (3 emails to coordinators)."
        in output
    )
    due_soon = _outbox("callback_due_soon")
    assert set(due_soon) == {people["ann"].email, people["bob"].email}
    body = due_soon[people["bob"].email]
    assert "Baker" in body and "Driver" in body and "Claimed by Ann North" in body
    assert f"http://localhost/call-backs/{tasks['soon_open'].id}" in body
    assert "Cleaner" not in body

    breaches = _outbox("callback_breaches")
    # North's coordinator: North's breach and the unclaimed one; South's: only the unclaimed
    # one; the district-wide coordinator: both.
    assert set(breaches) == {p.email for k, p in people.items() if k.endswith("boss")}
    assert "Cook" in breaches[people["north_boss"].email]
    assert "Cleaner" in breaches[people["north_boss"].email]
    assert "Cook" not in breaches[people["south_boss"].email]
    assert "Cleaner" in breaches[people["south_boss"].email]
    assert "Cook" in breaches[people["district_boss"].email]
    assert "Claimed by Ann North (North)" in breaches[people["district_boss"].email]


def test_running_remind_twice_sends_nothing_twice(app, district_world, monkeypatch, now):
    _remind(app)
    first = db.session.scalar(select(db.func.count(OutboxMessage.id)))

    output = _remind(app)

    assert (
        "Call-backs due soon: 0 (0 emails to LMRAs). Breaches: 0 (0 emails to coordinators)."
        in output
    )
    assert db.session.scalar(select(db.func.count(OutboxMessage.id))) == first
    # Later, the one that was not yet due soon is; only it is sent.
    freeze_now(monkeypatch, now + 30 * dt.timedelta(minutes=1))
    assert "Call-backs due soon: 1 (2 emails to LMRAs). Breaches: 0 " in _remind(app)


def test_remind_marks_what_it_sent(app, district_world, now):
    _, tasks = district_world
    _remind(app)
    db.session.expire_all()
    marked = {
        name: (task.due_soon_notified_at, task.breach_notified_at)
        for name, task in ((n, db.session.get(CallBack, t.id)) for n, t in tasks.items())
    }
    assert marked["soon_open"] == (now, None)
    assert marked["late_north"] == (None, now)
    assert marked["not_yet"] == (None, None)
    assert marked["late_done"] == (None, None)


def test_a_district_without_coordinators_keeps_its_breaches_for_when_it_has_one(app, now):
    district = DistrictFactory()
    task = callback(OrganisationFactory(district=district), now=now, due_in=-HOURS)
    db.session.flush()

    assert "Breaches: 0 " in _remind(app)
    assert db.session.get(CallBack, task.id).breach_notified_at is None

    coordinator(district)
    db.session.flush()
    assert "Breaches: 1 (1 emails to coordinators)." in _remind(app)
