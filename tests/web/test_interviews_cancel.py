"""Cancelling an interview on its own page, from either side: the employer from the
candidate page, the customer's adviser from the customer's page. A GOV.UK confirmation page
asks for a reason; both sides get the METHOD:CANCEL (same UID, a higher SEQUENCE), the
referral's history records who cancelled, when and why, and the referral goes back to the
step before the interview, so another can be arranged."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models_base import utcnow
from app.referrals.models import Referral, interview_held
from app.statuses import ReferralStatus
from tests.helpers import get_page, post_form, sign_in
from tests.referral_factories import (
    adviser_in,
    live_vacancy,
    staff,
)
from tests.web import test_interviews_both_sides as both_sides
from tests.web.test_interviews_both_sides import NEXT_WEEK, arrange, ics_of, messages

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

REASON = "The interviewer is ill that day"


def cancel_url(made) -> str:
    return f"/candidates/{made.id}/interview/cancel"


def staff_cancel_url(made) -> str:
    return f"/referrals/{made.id}/interview/cancel"


# The arranging tests' vacancy, employer, adviser and candidate: pytest finds fixtures by name.
vacancy = both_sides.vacancy
employer = both_sides.employer
as_employer = both_sides.as_employer
adviser = both_sides.adviser
candidate = both_sides.candidate


@pytest.fixture
def as_adviser(app, adviser):
    return sign_in(app.test_client(), adviser)


def _assert_cancelled_for_both(candidate, adviser, employer, sequence: int) -> None:
    cancels = messages("referral_interview_cancelled")
    assert sorted(message.recipient for message in cancels) == sorted(
        [adviser.email, employer.email]
    )
    for message in cancels:
        ics = ics_of(message)
        assert "METHOD:CANCEL\r\n" in ics and "STATUS:CANCELLED\r\n" in ics
        assert f"UID:interview-{candidate.id}@lep-portal\r\n" in ics
        assert f"SEQUENCE:{sequence}\r\n" in ics
        assert f"Why: {REASON}" in message.text_body


def test_the_employer_is_asked_to_confirm_with_a_reason_then_both_sides_are_told(
    as_employer, candidate, employer, adviser
):
    arrange(as_employer, candidate)
    page = get_page(as_employer, f"/candidates/{candidate.id}")
    assert cancel_url(candidate) in page
    html = get_page(
        as_employer, cancel_url(candidate), title="Are you sure you want to cancel this interview?"
    )
    assert "Unit 4, Thorpe Park, Leeds" in html and "Yes, cancel the interview" in html

    # No reason: the page again with an error, and nothing cancelled.
    again = post_form(as_employer, cancel_url(candidate), {"reason": "  "}, status=200)
    text = again.get_data(as_text=True)
    assert "There is a problem" in text and "Enter why the interview is being cancelled" in text
    assert messages("referral_interview_cancelled") == []
    assert candidate.status is ReferralStatus.INTERVIEW_ARRANGED

    response = post_form(as_employer, cancel_url(candidate), {"reason": REASON}, status=302)
    assert response.headers["Location"].endswith(f"/candidates/{candidate.id}")
    _assert_cancelled_for_both(candidate, adviser, employer, sequence=1)
    db.session.refresh(candidate)
    assert candidate.status is ReferralStatus.REFERRED  # where it was before the interview
    assert candidate.interview_at is None
    page = get_page(as_employer, f"/candidates/{candidate.id}")
    assert "Interview cancelled." in page  # the flash
    assert "Interview cancelled</span>" in page and f"Why: {REASON}" in page
    assert "Arrange an interview" in page and cancel_url(candidate) not in page


def test_the_history_keeps_who_cancelled_when_and_why(as_employer, candidate, employer):
    post_form(as_employer, f"/candidates/{candidate.id}/status", {"action": "shortlist"})
    arrange(as_employer, candidate)
    post_form(as_employer, cancel_url(candidate), {"reason": REASON}, status=302)
    db.session.refresh(candidate)
    last = candidate.events[-1]
    assert last.status is ReferralStatus.SHORTLISTED  # back to the step before
    assert last.by_id == employer.id
    assert last.detail["interview_cancelled"] is True
    assert last.detail["reason"] == REASON
    assert last.detail["place"] == "Unit 4, Thorpe Park, Leeds"
    assert candidate.status is ReferralStatus.SHORTLISTED


def test_the_adviser_cancels_from_the_customers_page(
    as_employer, as_adviser, candidate, employer, adviser
):
    arrange(as_employer, candidate)
    page = get_page(as_adviser, f"/customers/{candidate.customer_id}")
    assert staff_cancel_url(candidate) in page
    get_page(
        as_adviser,
        staff_cancel_url(candidate),
        title="Are you sure you want to cancel this interview?",
    )
    response = post_form(as_adviser, staff_cancel_url(candidate), {"reason": REASON}, status=302)
    assert response.headers["Location"].endswith(f"/customers/{candidate.customer_id}#referrals")
    _assert_cancelled_for_both(candidate, adviser, employer, sequence=1)
    db.session.refresh(candidate)
    assert candidate.events[-1].by_id == adviser.id
    assert staff_cancel_url(candidate) not in get_page(
        as_adviser, f"/customers/{candidate.customer_id}"
    )


def test_arranging_again_after_a_cancellation_sends_a_higher_sequence(as_employer, candidate):
    arrange(as_employer, candidate)
    arrange(as_employer, candidate, day=NEXT_WEEK + dt.timedelta(days=1))
    post_form(as_employer, cancel_url(candidate), {"reason": REASON}, status=302)
    assert "SEQUENCE:2\r\n" in ics_of(messages("referral_interview_cancelled")[0])
    arrange(as_employer, candidate, day=NEXT_WEEK + dt.timedelta(days=2))
    latest = messages("referral_interview_employer")[-1]
    assert "SEQUENCE:3\r\n" in ics_of(latest)
    assert latest.subject.startswith("Interview arranged")  # a new interview, not a move


def test_a_past_interview_cannot_be_cancelled(as_employer, candidate):
    arrange(as_employer, candidate)
    candidate.interview_at = utcnow() - dt.timedelta(hours=1)
    db.session.flush()
    assert cancel_url(candidate) not in get_page(as_employer, f"/candidates/{candidate.id}")
    html = get_page(as_employer, cancel_url(candidate))
    assert "The time of this interview has passed" in html and "There is a problem" in html
    post_form(as_employer, cancel_url(candidate), {"reason": REASON}, status=409)
    assert messages("referral_interview_cancelled") == []
    assert candidate.status is ReferralStatus.INTERVIEW_ARRANGED


def test_without_an_interview_there_is_nothing_to_cancel(as_employer, as_adviser, candidate):
    html = post_form(as_employer, cancel_url(candidate), {"reason": REASON}, status=409)
    assert "There is no interview arranged to cancel." in html.get_data(as_text=True)
    post_form(as_adviser, staff_cancel_url(candidate), {"reason": REASON}, status=409)
    assert messages("referral_interview_cancelled") == []


def test_a_cancelled_interview_is_not_counted_as_held(as_employer, candidate):
    arrange(as_employer, candidate)
    post_form(as_employer, cancel_url(candidate), {"reason": REASON}, status=302)
    later = utcnow() + dt.timedelta(days=30)
    held = db.session.scalar(
        select(Referral.id).where(Referral.id == candidate.id, interview_held(later))
    )
    assert held is None


def test_another_employer_or_district_gets_404(app, as_employer, candidate):
    arrange(as_employer, candidate)
    other = live_vacancy()
    other_employer = sign_in(app.test_client(), other.organisation.memberships[0].user)
    get_page(other_employer, cancel_url(candidate), status=404)
    post_form(other_employer, cancel_url(candidate), {"reason": REASON}, status=404)
    elsewhere = sign_in(app.test_client(), adviser_in(other.district))
    get_page(elsewhere, staff_cancel_url(candidate), status=404)
    post_form(elsewhere, staff_cancel_url(candidate), {"reason": REASON}, status=404)
    assert messages("referral_interview_cancelled") == []


def test_a_coordinator_sees_no_cancel_link(app, as_employer, candidate):
    from app.auth.models import Role

    arrange(as_employer, candidate)
    coordinator = staff(Role.COORDINATOR, candidate.customer.district)
    page = get_page(sign_in(app.test_client(), coordinator), f"/customers/{candidate.customer_id}")
    assert "Interview " in page and staff_cancel_url(candidate) not in page


def test_the_confirmation_page_is_audited_as_a_look_at_the_customer(
    as_adviser, as_employer, candidate
):
    from app.customers.models import AuditEntry

    arrange(as_employer, candidate)
    get_page(as_adviser, staff_cancel_url(candidate))
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.customer_id == candidate.customer_id)
    ).all()
    assert any("Cancelling the interview" in (entry.detail or "") for entry in entries)
