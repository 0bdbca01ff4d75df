"""Interviews for both sides: the employer who arranges an interview gets the same calendar
invitation as the adviser; moving it sends both an update (same UID, higher SEQUENCE);
recording not selected or withdrawn before it happens sends both a METHOD:CANCEL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.helpers import post_form, sign_in
from tests.referral_factories import (
    adviser_in,
    fitting_customer,
    live_vacancy,
    referral,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

NEXT_WEEK = clock.today() + dt.timedelta(days=7)


@pytest.fixture
def vacancy():
    return live_vacancy(job_title="Warehouse operative")


@pytest.fixture
def employer(vacancy):
    return vacancy.organisation.memberships[0].user


@pytest.fixture
def as_employer(app, employer):
    return sign_in(app.test_client(), employer)


@pytest.fixture
def adviser(vacancy):
    return adviser_in(vacancy.district, email="ada.adviser@jcp.example")


@pytest.fixture
def candidate(vacancy, adviser):
    return referral(
        vacancy, fitting_customer(vacancy, adviser, first_name="Grace", last_name="Okafor")
    )


def arrange(client, candidate, day=NEXT_WEEK, time="2:30pm"):
    post_form(
        client,
        f"/candidates/{candidate.id}/status",
        {
            "action": "interview",
            "interview-day": [str(day.day), str(day.month), str(day.year)],
            "interview-time": time,
            "interview-place": "Unit 4, Thorpe Park, Leeds",
            "interview-guaranteed": "no",
        },
        status=302,
    )


def messages(kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.created_at, OutboxMessage.recipient)
        )
    )


def ics_of(message: OutboxMessage) -> str:
    [attachment] = message.attachments
    return attachment["content"].replace("\r\n ", "")


def test_the_employer_gets_the_same_invitation_as_the_adviser(as_employer, candidate, employer):
    arrange(as_employer, candidate)
    [to_adviser] = messages("referral_interview")
    [to_employer] = messages("referral_interview_employer")
    assert to_employer.recipient == employer.email
    assert "You have invited Grace Okafor to an interview." in to_employer.text_body
    assert to_employer.attachments == to_adviser.attachments
    assert "METHOD:REQUEST\r\n" in ics_of(to_employer)


def test_moving_sends_both_an_update_of_the_same_event(as_employer, candidate, employer):
    arrange(as_employer, candidate)
    arrange(as_employer, candidate, day=NEXT_WEEK + dt.timedelta(days=1), time="10am")
    uid = f"UID:interview-{candidate.id}@lep-portal\r\n"
    for kind in ("referral_interview", "referral_interview_employer"):
        first, second = (ics_of(message) for message in messages(kind))
        assert uid in first and uid in second
        assert "SEQUENCE:0\r\n" in first and "SEQUENCE:1\r\n" in second
    assert (
        "You have rearranged the interview" in messages("referral_interview_employer")[1].text_body
    )


@pytest.mark.parametrize(
    "step",
    [
        {"action": "not_selected", "not-selected-reason": "better_match"},
        {"action": "withdraw"},
    ],
)
def test_ending_the_referral_before_the_interview_cancels_it_for_both(
    as_employer, candidate, employer, adviser, step
):
    arrange(as_employer, candidate)
    arrange(as_employer, candidate, day=NEXT_WEEK + dt.timedelta(days=1))
    post_form(as_employer, f"/candidates/{candidate.id}/status", step, status=302)
    cancels = messages("referral_interview_cancelled")
    assert sorted(message.recipient for message in cancels) == sorted(
        [adviser.email, employer.email]
    )
    for message in cancels:
        ics = ics_of(message)
        assert "METHOD:CANCEL\r\n" in ics and "STATUS:CANCELLED\r\n" in ics
        assert f"UID:interview-{candidate.id}@lep-portal\r\n" in ics
        assert "SEQUENCE:2\r\n" in ics  # above both invitations
        assert message.attachments[0]["content_type"] == "text/calendar; method=CANCEL"
        assert "The interview for Grace Okafor is cancelled." in message.text_body


def test_no_cancellation_without_an_interview_to_come(as_employer, candidate):
    post_form(
        as_employer,
        f"/candidates/{candidate.id}/status",
        {"action": "not_selected", "not-selected-reason": "lacked_skill"},
        status=302,
    )
    assert messages("referral_interview_cancelled") == []


def test_no_cancellation_once_the_interview_has_happened(as_employer, candidate):
    arrange(as_employer, candidate)
    candidate.interview_at = candidate.interview_at - dt.timedelta(days=8)
    db.session.flush()
    post_form(
        as_employer,
        f"/candidates/{candidate.id}/status",
        {"action": "not_selected", "not-selected-reason": "lacked_skill"},
        status=302,
    )
    assert messages("referral_interview_cancelled") == []
