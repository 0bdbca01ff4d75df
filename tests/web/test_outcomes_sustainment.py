"""`flask outcomes ask-sustainment`: the employer is asked at 13 and 26 weeks, once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.accounts.models import MembershipRole
from app.extensions import db
from app.mail.models import OutboxMessage
from app.outcomes import services
from app.outcomes.models import SustainmentCheck
from tests.factories import employer_user
from tests.helpers import freeze_today
from tests.outcome_factories import OfferedReferralFactory, customer_in, record, staff_in

TODAY = dt.date(2026, 6, 1)  # 13 weeks after Monday 2 March 2026


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


def _ask(app) -> str:
    result = app.test_cli_runner().invoke(args=["outcomes", "ask-sustainment"])
    assert result.exit_code == 0, result.output
    return result.output


def _emails() -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == "outcome_sustainment")
            .order_by(OutboxMessage.recipient)
        )
    )


def _checks(weeks: int) -> list[SustainmentCheck]:
    return list(
        db.session.scalars(
            select(SustainmentCheck)
            .where(SustainmentCheck.weeks == weeks)
            .execution_options(populate_existing=True)
        )
    )


@pytest.fixture
def referral():
    return OfferedReferralFactory()


def _start(referral, by, start=dt.date(2026, 3, 2)):
    other = OfferedReferralFactory(
        vacancy=referral.vacancy, customer=customer_in(referral.vacancy.district)
    )
    return record(other, by, start=start)


def test_each_owner_gets_one_email_listing_every_check_due(app, referral):
    first_owner = employer_user(referral.organisation, email="a-owner@example.org")
    second_owner = employer_user(referral.organisation, email="b-owner@example.org")
    employer_user(referral.organisation, membership_role=MembershipRole.RECRUITER)
    lmra = staff_in(referral.vacancy.district)
    due = record(referral, lmra, start=dt.date(2026, 3, 2))  # due today
    overdue = _start(referral, first_owner, start=dt.date(2026, 2, 2))  # due 4 May
    not_yet = _start(referral, first_owner, start=dt.date(2026, 3, 3))  # due tomorrow

    assert _ask(app).strip() == "Sustainment checks asked: 2. Emails to employers: 2."

    emails = _emails()
    assert [e.recipient for e in emails] == [first_owner.email, second_owner.email]
    body = emails[0].text_body
    assert due.customer.name in body and overdue.customer.name in body
    assert not_yet.customer.name not in body
    assert f"/outcomes/{due.id}/sustainment/13" in body
    asked = {c.outcome_id: c.asked_at for c in _checks(13)}
    assert asked[due.id] is not None and asked[overdue.id] is not None
    assert asked[not_yet.id] is None
    assert all(c.asked_at is None for c in _checks(26))


def test_asking_twice_asks_nobody_again(app, referral):
    employer_user(referral.organisation)
    record(referral, staff_in(referral.vacancy.district))
    _ask(app)
    assert _ask(app).strip() == "Sustainment checks asked: 0. Emails to employers: 0."
    assert len(_emails()) == 1


def test_a_check_claimed_by_another_run_is_not_asked_again(app, referral):
    """Two runs at once: whichever claims a check first asks; the other's claim fails."""
    outcome = record(referral, employer_user(referral.organisation))
    check = outcome.sustainment_checks[0]
    now = services.utcnow()
    assert services.claim_sustainment_check(check.id, now) is True
    assert services.claim_sustainment_check(check.id, now) is False
    assert services.ask_sustainment(TODAY) == services.AskCounts(checks=0, emails=0)


def test_disputed_rejected_and_answered_starts_are_not_asked_about(app, referral):
    owner = employer_user(referral.organisation)
    lmra = staff_in(referral.vacancy.district)
    disputed = record(referral, lmra)
    services.dispute(disputed, owner, "Never started")
    rejected = _start(referral, lmra)
    services.reject(rejected, staff_in(referral.vacancy.district), "Duplicate")
    answered = _start(referral, owner)
    services.answer_sustainment(answered.sustainment_checks[0], owner, still_employed=True)
    db.session.flush()
    assert _ask(app).strip() == "Sustainment checks asked: 0. Emails to employers: 0."


def test_the_26_week_question_is_asked_when_it_falls_due(app, referral, monkeypatch):
    employer_user(referral.organisation)
    outcome = record(referral, staff_in(referral.vacancy.district))
    _ask(app)
    freeze_today(monkeypatch, dt.date(2026, 8, 31))
    assert _ask(app).strip() == "Sustainment checks asked: 1. Emails to employers: 1."
    assert [c.asked_at is not None for c in _checks(26) if c.outcome_id == outcome.id] == [True]


def test_an_employer_without_owners_is_still_asked_on_its_home_page(app, referral):
    recruiter = employer_user(referral.organisation, membership_role=MembershipRole.RECRUITER)
    record(referral, recruiter)
    assert _ask(app).strip() == "Sustainment checks asked: 1. Emails to employers: 0."
