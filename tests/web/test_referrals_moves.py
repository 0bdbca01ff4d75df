"""The employer moves a candidate along: shortlist, interview (with an invitation to the
adviser), work trial, offer, start (a job outcome), not selected, withdrew; and rates the
referral. Each step is stamped with who and when; a step that cannot follow is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import clock
from app.customers.models import Benefit
from app.extensions import db
from app.formatting import LONDON
from app.mail.models import OutboxMessage
from app.outcomes.models import JobOutcome, ValidationStatus
from app.referrals import services
from app.referrals.models import ReferralEvent, ReferralStatus
from tests.helpers import get_page, keep_day, post_form, sign_in
from tests.referral_factories import (
    active_agreement,
    adviser_in,
    fitting_customer,
    live_vacancy,
    referral,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

TODAY = clock.today()


@pytest.fixture(autouse=True)
def same_day_throughout(monkeypatch):
    keep_day(monkeypatch, TODAY)


NEXT_WEEK = TODAY + dt.timedelta(days=7)
HTMX = {"HX-Request": "true"}


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
    return adviser_in(vacancy.district, name="Ada Adviser", email="ada.adviser@jcp.example")


@pytest.fixture
def candidate(vacancy, adviser):
    return referral(
        vacancy, fitting_customer(vacancy, adviser, first_name="Grace", last_name="Okafor")
    )


@pytest.fixture
def sent(monkeypatch):
    """Every email the referrals area queues, with its arguments (the outbox still gets it)."""
    calls: list[dict] = []
    real = services.queue_email

    def spy(recipient, subject, template, **context):
        calls.append({"recipient": recipient, "subject": subject, "template": template, **context})
        return real(recipient, subject, template, **context)

    monkeypatch.setattr(services, "queue_email", spy)
    return calls


def move_url(made) -> str:
    return f"/candidates/{made.id}/status"


def parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def events_of(made) -> list[ReferralEvent]:
    return list(
        db.session.scalars(
            select(ReferralEvent)
            .where(ReferralEvent.referral_id == made.id)
            .order_by(ReferralEvent.at)
        )
    )


def refreshed(made):
    db.session.expire_all()
    return made


# --- simple steps ----------------------------------------------------------------------------


def test_shortlisting_is_stamped_with_who_and_when(as_employer, employer, candidate):
    response = post_form(as_employer, move_url(candidate), {"action": "shortlist"}, status=302)
    assert response.headers["Location"].endswith(f"/candidates/{candidate.id}")
    assert refreshed(candidate).status is ReferralStatus.SHORTLISTED
    last = events_of(candidate)[-1]
    assert (last.status, last.by_id) == (ReferralStatus.SHORTLISTED, employer.id)
    assert last.at is not None

    html = get_page(as_employer, f"/candidates/{candidate.id}")
    assert "Shortlisted." in html  # the flash
    assert "Arrange an interview" in html


def test_an_htmx_step_returns_the_updated_card(as_employer, candidate):
    response = as_employer.post(move_url(candidate), data={"action": "shortlist"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="candidate-card"')
    assert "<html" not in html
    assert "Shortlisted." in html
    assert "govuk-tag--light-blue" in html
    assert ">Shortlist<" not in html  # no longer offered


def test_offer_then_withdrew(as_employer, candidate):
    post_form(as_employer, move_url(candidate), {"action": "offer"}, status=302)
    assert refreshed(candidate).status is ReferralStatus.OFFERED
    post_form(as_employer, move_url(candidate), {"action": "withdraw"}, status=302)
    assert refreshed(candidate).status is ReferralStatus.WITHDRAWN
    assert [e.status for e in events_of(candidate)] == [
        ReferralStatus.REFERRED,
        ReferralStatus.OFFERED,
        ReferralStatus.WITHDRAWN,
    ]


def test_not_selected_needs_a_reason(as_employer, candidate):
    response = post_form(as_employer, move_url(candidate), {"action": "not_selected"}, status=200)
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html
    assert "Select why the candidate was not selected" in html
    assert 'href="#not-selected-reason"' in html
    assert refreshed(candidate).status is ReferralStatus.REFERRED

    post_form(
        as_employer,
        move_url(candidate),
        {
            "action": "not_selected",
            "not-selected-reason": "lacked_skill",
            "not-selected-details": "Needed a forklift licence",
        },
        status=302,
    )
    assert refreshed(candidate).status is ReferralStatus.NOT_SELECTED
    assert candidate.not_selected_reason == "Needed a forklift licence"
    assert events_of(candidate)[-1].detail == {
        "reason": "lacked_skill",
        "details": "Needed a forklift licence",
    }


def test_an_htmx_step_with_errors_returns_the_card_with_its_error_summary(as_employer, candidate):
    response = as_employer.post(move_url(candidate), data={"action": "not_selected"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Select why the candidate was not selected" in html
    assert 'id="step-not-selected" open' in html


# --- refusals --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (
            ReferralStatus.REFERRED,
            "start",
            "Arrange an interview or a work trial, or offer the job, before recording a start.",
        ),
        (
            ReferralStatus.STARTED,
            "shortlist",
            "This referral is closed (Started), so nothing more can be recorded on it.",
        ),
        (
            ReferralStatus.NOT_SELECTED,
            "offer",
            "This referral is closed (Not selected), so nothing more can be recorded on it.",
        ),
        (ReferralStatus.WITHDRAWN, "interview", "This referral is closed (Withdrew)"),
        (
            ReferralStatus.OFFERED,
            "shortlist",
            "“Shortlisted” cannot be recorded now: the candidate is at “Offered the job”.",
        ),
        (
            ReferralStatus.SHORTLISTED,
            "shortlist",
            "“Shortlisted” cannot be recorded now: the candidate is at “Shortlisted”.",
        ),
    ],
)
def test_a_step_that_cannot_follow_is_refused_clearly(
    as_employer, vacancy, status, action, message
):
    made = referral(vacancy, status=status)
    response = post_form(as_employer, move_url(made), {"action": action}, status=409)
    html = response.get_data(as_text=True)
    assert message in html
    assert 'href="#candidate-status"' in html and 'id="candidate-status"' in html
    assert refreshed(made).status is status

    response = as_employer.post(move_url(made), data={"action": action}, headers=HTMX)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


@pytest.mark.parametrize("data", [{}, {"action": "hire"}, {"action": ""}])
def test_an_unknown_action_is_a_bad_request(as_employer, candidate, data):
    post_form(as_employer, move_url(candidate), data, status=400)


# --- interview -------------------------------------------------------------------------------


def interview(day=NEXT_WEEK, time="2:30pm", place="Unit 4, Thorpe Park, Leeds", guaranteed="yes"):
    data = {"action": "interview", "interview-day": parts(day) if day else ["", "", ""]}
    data.update(
        {"interview-time": time, "interview-place": place, "interview-guaranteed": guaranteed}
    )
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (interview(day=None), "interview-day", "Enter the date of the interview"),
        (
            {**interview(), "interview-day": ["31", "2", "2027"]},
            "interview-day",
            "The date of the interview must be a real date",
        ),
        (
            interview(day=TODAY - dt.timedelta(days=1)),
            "interview-day",
            "The interview must be in the future",
        ),
        (interview(time=""), "interview-time", "Enter the time of the interview"),
        (interview(time="half two"), "interview-time", "Enter the time like 2:30pm or 14:30"),
        (interview(place=""), "interview-place", "Enter where the interview is"),
        (interview(guaranteed=None), "interview-guaranteed", "Select yes if this is a guaranteed"),
    ],
)
def test_interview_details_are_checked(as_employer, candidate, sent, data, field, message):
    html = post_form(as_employer, move_url(candidate), data, status=200).get_data(as_text=True)
    assert message in html
    assert f'href="#{field}"' in html
    assert refreshed(candidate).status is ReferralStatus.REFERRED
    assert sent == []


def test_arranging_an_interview_invites_the_adviser_with_a_calendar_file(
    as_employer, employer, candidate, adviser, sent
):
    post_form(as_employer, move_url(candidate), interview(), status=302)

    made = refreshed(candidate)
    starts = dt.datetime.combine(NEXT_WEEK, dt.time(14, 30), tzinfo=LONDON)
    assert made.status is ReferralStatus.INTERVIEW_ARRANGED
    assert made.interview_at == starts
    assert made.interview_place == "Unit 4, Thorpe Park, Leeds"
    assert made.guaranteed_interview is True
    last = events_of(made)[-1]
    assert (last.status, last.by_id) == (ReferralStatus.INTERVIEW_ARRANGED, employer.id)
    assert last.detail["guaranteed"] is True

    email, to_employer = sent
    assert email["template"] == "referral_interview"
    assert email["recipient"] == adviser.email
    # The employer who arranged it gets the same invitation.
    assert to_employer["template"] == "referral_interview_employer"
    assert to_employer["recipient"] == employer.email
    assert to_employer["attachments"] == email["attachments"]
    [(filename, content_type, ics)] = email["attachments"]
    assert filename == "interview.ics"
    assert content_type == "text/calendar; method=REQUEST"
    assert "METHOD:REQUEST\r\n" in ics
    unfolded = ics.replace("\r\n ", "")
    utc = starts.astimezone(dt.UTC)
    assert f"DTSTART:{utc:%Y%m%dT%H%M%SZ}\r\n" in unfolded
    assert f"DTEND:{utc + dt.timedelta(hours=1):%Y%m%dT%H%M%SZ}\r\n" in unfolded
    assert f"UID:interview-{made.id}@lep-portal\r\n" in unfolded
    assert "SEQUENCE:0\r\n" in unfolded
    assert "LOCATION:Unit 4\\, Thorpe Park\\, Leeds\r\n" in unfolded
    assert f"ORGANIZER:mailto:{employer.email}\r\n" in unfolded
    assert f":mailto:{adviser.email}\r\n" in unfolded
    assert "Grace Okafor" in unfolded

    [message] = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "referral_interview")
    ).all()
    assert message.recipient == adviser.email
    assert "has invited Grace Okafor to an interview" in message.text_body
    assert "Guaranteed interview: yes" in message.text_body
    assert "Where: Unit 4, Thorpe Park, Leeds" in message.text_body
    assert message.attachments == [
        {
            "filename": "interview.ics",
            "content_type": "text/calendar; method=REQUEST",
            "content": ics,
        }
    ]


def test_rearranging_an_interview_updates_the_same_calendar_event(as_employer, candidate, sent):
    post_form(as_employer, move_url(candidate), interview(), status=302)
    post_form(
        as_employer,
        move_url(candidate),
        interview(day=NEXT_WEEK + dt.timedelta(days=1), time="10am", guaranteed="no"),
        status=302,
    )
    to_adviser = [email for email in sent if email["template"] == "referral_interview"]
    first, second = (email["attachments"][0][2].replace("\r\n ", "") for email in to_adviser)
    uid = f"UID:interview-{candidate.id}@lep-portal\r\n"
    assert uid in first and uid in second
    assert "SEQUENCE:0\r\n" in first and "SEQUENCE:1\r\n" in second
    assert to_adviser[1]["subject"].startswith("Interview rearranged")
    assert refreshed(candidate).guaranteed_interview is False


def test_without_an_adviser_the_invitation_goes_to_whoever_referred(as_employer, vacancy, sent):
    referrer = adviser_in(vacancy.district, email="referrer@jcp.example")
    customer = fitting_customer(vacancy)
    made = referral(vacancy, customer, by=referrer)
    customer.adviser = None
    db.session.flush()
    post_form(as_employer, move_url(made), interview(), status=302)
    to_adviser = [email for email in sent if email["template"] == "referral_interview"]
    assert [email["recipient"] for email in to_adviser] == ["referrer@jcp.example"]


def test_an_interview_by_htmx_returns_the_card(as_employer, candidate, sent):
    response = as_employer.post(move_url(candidate), data=interview(), headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Interview arranged. You and their adviser have been sent the invitation." in html
    assert "Unit 4, Thorpe Park, Leeds" in html
    assert len(sent) == 2  # the adviser's invitation and the employer's


# --- work trial ------------------------------------------------------------------------------


def test_a_work_trial_needs_its_dates_in_order(as_employer, candidate):
    html = post_form(
        as_employer,
        move_url(candidate),
        {
            "action": "work_trial",
            "work-trial-starts_on": parts(NEXT_WEEK),
            "work-trial-ends_on": parts(NEXT_WEEK - dt.timedelta(days=1)),
        },
        status=200,
    ).get_data(as_text=True)
    assert "The last day must be the same as or after the first day" in html
    html = post_form(
        as_employer, move_url(candidate), {"action": "work_trial"}, status=200
    ).get_data(as_text=True)
    assert "Enter the first day of the work trial" in html
    assert "Enter the last day of the work trial" in html
    assert refreshed(candidate).status is ReferralStatus.REFERRED


def test_a_work_trial_is_recorded(as_employer, candidate):
    end = NEXT_WEEK + dt.timedelta(days=4)
    post_form(
        as_employer,
        move_url(candidate),
        {
            "action": "work_trial",
            "work-trial-starts_on": parts(NEXT_WEEK),
            "work-trial-ends_on": parts(end),
        },
        status=302,
    )
    made = refreshed(candidate)
    assert made.status is ReferralStatus.WORK_TRIAL
    assert (made.work_trial_start, made.work_trial_end) == (NEXT_WEEK, end)
    assert events_of(made)[-1].detail == {
        "starts_on": NEXT_WEEK.isoformat(),
        "ends_on": end.isoformat(),
    }


# --- start: the job outcome ------------------------------------------------------------------


def start(day=TODAY, hours="37.5", pay="13.50"):
    return {
        "action": "start",
        "start-start_date": parts(day),
        "start-hours_per_week": hours,
        "start-hourly_pay": pay,
    }


def outcome_of(made) -> JobOutcome | None:
    return db.session.scalar(select(JobOutcome).where(JobOutcome.referral_id == made.id))


def test_a_start_recorded_by_the_employer_is_a_validated_lep_outcome(
    as_employer, employer, vacancy, adviser
):
    active_agreement(vacancy.organisation)
    # A lone parent: priority group 1.
    customer = fitting_customer(vacancy, adviser, lone_parent=True)
    made = referral(vacancy, customer, status=ReferralStatus.OFFERED)

    post_form(as_employer, move_url(made), start(pay="£13.50"), status=302)

    outcome = outcome_of(made)
    assert outcome is not None
    assert outcome.validation_status is ValidationStatus.VALIDATED
    assert outcome.recorded_by_employer is True
    assert outcome.recorded_by_id == employer.id
    assert outcome.priority_group == 1
    assert outcome.lep_eligible is True
    assert outcome.counts_as_lep is True
    assert (outcome.start_date, outcome.hours_per_week, outcome.hourly_pay) == (
        TODAY,
        Decimal("37.50"),
        Decimal("13.50"),
    )
    assert outcome.vacancy_id == vacancy.id and outcome.district_id == vacancy.district_id
    assert refreshed(made).status is ReferralStatus.STARTED
    started = [e for e in events_of(made) if e.status is ReferralStatus.STARTED]
    assert len(started) == 1
    assert started[0].by_id == employer.id
    assert started[0].detail["start_date"] == TODAY.isoformat()


def test_without_an_agreement_the_start_does_not_count_as_lep(as_employer, vacancy, adviser):
    # JSA for a year: priority group 2.
    customer = fitting_customer(
        vacancy, adviser, benefit=Benefit.JSA, claim_start=TODAY - dt.timedelta(days=365)
    )
    made = referral(vacancy, customer, status=ReferralStatus.INTERVIEW_ARRANGED)
    post_form(as_employer, move_url(made), start(), status=302)
    outcome = outcome_of(made)
    assert outcome.priority_group == 2
    assert outcome.lep_eligible is True
    assert outcome.counts_as_lep is False


def test_pay_below_the_minimum_wage_is_refused_on_the_pay(as_employer, vacancy):
    made = referral(vacancy, status=ReferralStatus.OFFERED)
    html = post_form(as_employer, move_url(made), start(pay="5.00"), status=200).get_data(
        as_text=True
    )
    assert "Pay must be at least the National Minimum Wage" in html
    assert 'href="#start-hourly_pay"' in html
    assert 'id="step-start" open' in html
    assert outcome_of(made) is None
    assert refreshed(made).status is ReferralStatus.OFFERED


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (start(hours=""), "start-hours_per_week", "Enter the hours a week"),
        (start(hours="lots"), "start-hours_per_week", "Enter the hours a week as a number"),
        (start(hours="0"), "start-hours_per_week", "Hours a week must be more than 0 and up to 99"),
        (start(pay=""), "start-hourly_pay", "Enter the hourly pay"),
        (start(pay="12.50.1"), "start-hourly_pay", "Enter the hourly pay as an amount"),
        (start(pay="-1"), "start-hourly_pay", "Hourly pay must be more than £0"),
        (
            start(day=TODAY - dt.timedelta(days=30)),
            "start-start_date",
            "The start date cannot be before the candidate was referred",
        ),
        (
            start(day=TODAY + dt.timedelta(days=1)),
            "start-start_date",
            "The start date must be today or in the past",
        ),
        (
            {**start(), "start-start_date": ["", "", ""]},
            "start-start_date",
            "Enter the start date",
        ),
    ],
)
def test_start_details_are_checked(as_employer, vacancy, data, field, message):
    made = referral(vacancy, status=ReferralStatus.OFFERED)
    html = post_form(as_employer, move_url(made), data, status=200).get_data(as_text=True)
    assert message in html
    assert f'href="#{field}"' in html
    assert outcome_of(made) is None


# --- rating ----------------------------------------------------------------------------------


def rate_url(made) -> str:
    return f"/candidates/{made.id}/rating"


def test_the_employer_rates_a_referral(as_employer, employer, candidate):
    response = post_form(
        as_employer,
        rate_url(candidate),
        {"rating-suitability": "2", "rating-reason": "No warehouse experience"},
        status=302,
    )
    assert response.headers["Location"].endswith(f"/candidates/{candidate.id}#rating")
    made = refreshed(candidate)
    assert (made.suitability, made.suitability_reason) == (2, "No warehouse experience")
    assert made.rated_by_id == employer.id and made.rated_at is not None

    html = get_page(as_employer, f"/candidates/{candidate.id}")
    assert 'value="2" checked' in html  # the rating given, shown again


def test_a_new_rating_replaces_the_last(as_employer, candidate):
    post_form(as_employer, rate_url(candidate), {"rating-suitability": "2"}, status=302)
    post_form(as_employer, rate_url(candidate), {"rating-suitability": "4"}, status=302)
    assert refreshed(candidate).suitability == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select how suitable the referral was"),
        ({"rating-suitability": "5"}, "Not a valid choice"),
        ({"rating-suitability": "3", "rating-reason": "x" * 501}, "500 characters or fewer"),
    ],
)
def test_a_rating_is_checked(as_employer, candidate, data, message):
    html = post_form(as_employer, rate_url(candidate), data, status=200).get_data(as_text=True)
    assert message in html
    assert refreshed(candidate).suitability is None


def test_rating_by_htmx_returns_the_rating_block(as_employer, candidate):
    response = as_employer.post(rate_url(candidate), data={"rating-suitability": "3"}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="rating"')
    assert "Thank you: your rating has been saved." in html

    response = as_employer.post(rate_url(candidate), data={}, headers=HTMX)
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html and "Select how suitable the referral was" in html


def test_a_closed_referral_can_still_be_rated(as_employer, vacancy):
    made = referral(vacancy, status=ReferralStatus.STARTED)
    post_form(as_employer, rate_url(made), {"rating-suitability": "4"}, status=302)
    assert refreshed(made).suitability == 4
