"""One screen per call: claim it, see everything, log attempts, complete with a decision."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import clock
from app.agreements.models import Agreement, AgreementStatus, Channel, Measure
from app.agreements.services import AgreementTerms, MeasureTerms, record_agreement
from app.callbacks.models import (
    AttemptResult,
    CallAttempt,
    CallBack,
    CallBackOutcome,
    CallBackStatus,
)
from app.callbacks.rules import LONDON
from app.callbacks.services import log_attempt
from app.extensions import db
from app.mail.models import OutboxMessage
from app.vacancies.models import VacancyStatus
from tests.callback_factories import callback, coordinator, freeze_now, lmra, signed_in_as
from tests.factories import DistrictFactory, OrganisationFactory, StaffFactory, employer_user
from tests.helpers import count_queries, get_page, post_form

HOURS = dt.timedelta(hours=1)


@pytest.fixture
def now(monkeypatch) -> dt.datetime:
    return freeze_now(monkeypatch)


@pytest.fixture
def me(district):
    return lmra(district, name="Alex Adviser")


@pytest.fixture
def organisation(district):
    organisation = OrganisationFactory(district=district, name="Brightside Bakery")
    employer_user(organisation, name="Pat Owner", phone="0113 496 0123")
    return organisation


@pytest.fixture
def mine(organisation, me, now) -> CallBack:
    """A call-back I have claimed."""
    return callback(organisation, claimed_by=me, now=now)


def _fresh(task: CallBack) -> CallBack:
    db.session.expire_all()
    return db.session.get(CallBack, task.id)


# --- who may see and act -------------------------------------------------------------------


def test_another_districts_lmra_gets_not_found_for_every_call_back_page(client, mine):
    outsider = lmra(DistrictFactory())
    signed_in_as(client, outsider)
    base = f"/call-backs/{mine.id}"
    get_page(client, base, status=404)
    get_page(client, f"{base}/complete", status=404)
    for suffix in ("/claim", "/attempts", "/complete", "/release"):
        assert client.post(base + suffix, data={}).status_code == 404, suffix
    assert _fresh(mine).claimed_by_id != outsider.id


def test_an_unknown_call_back_is_not_found(client, me):
    import uuid

    get_page(signed_in_as(client, me), f"/call-backs/{uuid.uuid4()}", status=404)


def test_an_lmra_who_did_not_claim_it_may_look_but_not_log_or_complete(client, district, mine, now):
    colleague = lmra(district)
    signed_in_as(client, colleague)
    html = get_page(client, f"/call-backs/{mine.id}", title="Call Brightside Bakery")
    assert "Log this attempt" not in html
    assert "Complete the call-back" not in html
    assert client.post(f"/call-backs/{mine.id}/attempts", data={}).status_code == 403
    assert client.get(f"/call-backs/{mine.id}/complete").status_code == 403
    assert client.post(f"/call-backs/{mine.id}/release").status_code == 403


# --- claiming ------------------------------------------------------------------------------


def test_claiming_an_open_call_back_opens_the_call_screen(client, organisation, me, now):
    task = callback(organisation, now=now)

    response = post_form(signed_in_as(client, me), f"/call-backs/{task.id}/claim", {}, status=302)

    assert response.headers["Location"].endswith(f"/call-backs/{task.id}")
    task = _fresh(task)
    assert task.status is CallBackStatus.CLAIMED
    assert task.claimed_by_id == me.id
    assert task.office_id == me.office_id
    assert task.claimed_at == now


def test_claiming_one_someone_else_has_says_who_has_it(client, district, organisation, me, now):
    colleague = lmra(district, name="Sam Colleague")
    task = callback(organisation, now=now, claimed_by=colleague)

    response = post_form(signed_in_as(client, me), f"/call-backs/{task.id}/claim", {}, status=302)

    assert response.headers["Location"].endswith("/call-backs")
    html = get_page(client, "/call-backs")
    assert "Sam Colleague has already claimed this call-back." in html
    assert _fresh(task).claimed_by_id == colleague.id


def test_an_htmx_claim_gets_the_updated_row(client, organisation, me, now):
    task = callback(organisation, now=now)

    response = signed_in_as(client, me).post(
        f"/call-backs/{task.id}/claim", headers={"HX-Request": "true"}
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith(f'<tr class="govuk-table__row" id="callback-{task.id}"')
    assert "You" in html and "Make the call" in html
    assert "/claim" not in html


def test_an_htmx_claim_that_lost_shows_the_winner_in_the_row(
    client, district, organisation, me, now
):
    task = callback(organisation, now=now, claimed_by=lmra(district, name="Sam Colleague"))

    response = signed_in_as(client, me).post(
        f"/call-backs/{task.id}/claim", headers={"HX-Request": "true"}
    )

    assert "Sam Colleague claimed it first." in response.get_data(as_text=True)


def test_claiming_again_my_own_call_back_just_opens_it(client, mine, me):
    response = post_form(signed_in_as(client, me), f"/call-backs/{mine.id}/claim", {}, status=302)
    assert response.headers["Location"].endswith(f"/call-backs/{mine.id}")


def test_releasing_puts_it_back_in_the_queue(client, mine, me):
    post_form(signed_in_as(client, me), f"/call-backs/{mine.id}/release", {}, status=302)
    task = _fresh(mine)
    assert task.status is CallBackStatus.OPEN
    assert task.claimed_by_id is None and task.office_id is None


def test_a_coordinator_may_release_anyones_call_back(client, district, mine):
    post_form(
        signed_in_as(client, coordinator(district)),
        f"/call-backs/{mine.id}/release",
        {},
        status=302,
    )
    assert _fresh(mine).status is CallBackStatus.OPEN


# --- the call screen -----------------------------------------------------------------------


def test_the_call_screen_shows_employer_contacts_agreement_vacancy_and_attempts(
    client, organisation, mine, me, now
):
    spoc = StaffFactory(name="Dana Manager", phone="0113 496 0999")
    organisation.contact_id = spoc.id
    log_attempt(mine, me, AttemptResult.NO_ANSWER, now=now - HOURS, note="Rang twice")
    db.session.flush()

    html = get_page(
        signed_in_as(client, me), f"/call-backs/{mine.id}", title="Call Brightside Bakery"
    )

    assert "Pat Owner" in html and 'href="tel:01134960123"' in html
    assert "Dana Manager" in html
    assert "has no LEP agreement. Offer one on this call." in html
    assert mine.vacancy.job_title in html and "£13.50 an hour" in html
    assert "No answer" in html and "Rang twice" in html and "Alex Adviser" in html
    assert "Log this attempt" in html and "Complete the call-back" in html
    # Nothing to flag on a complete, sensible vacancy.
    assert "to collect or check on this call" not in html


def test_the_call_screen_shows_an_active_agreement_and_its_measures(client, organisation, mine, me):
    record_agreement(
        organisation,
        AgreementTerms(
            agreed_on=dt.date(2026, 1, 5),
            channel=Channel.PHONE,
            measures=[MeasureTerms(Measure.WORK_TRIALS, places=3)],
        ),
        StaffFactory(name="Jo Earlier"),
    )

    html = get_page(signed_in_as(client, me), f"/call-backs/{mine.id}")

    assert "Active" in html and "Jo Earlier" in html
    assert "Work trials: 3" in html or "Work trial" in html
    assert "Their existing agreement confirmed" in html


def test_the_call_screen_highlights_missing_and_doubtful_vacancy_details(
    client, organisation, me, now
):
    task = callback(
        organisation,
        now=now,
        claimed_by=me,
        description="",
        how_to_apply="",
        closing_date=clock.today() - dt.timedelta(days=1),
        hours_per_week=Decimal("50"),
    )

    html = get_page(signed_in_as(client, me), f"/call-backs/{task.id}")

    assert "4 details to collect or check on this call" in html
    assert "There is no job description." in html
    assert "The closing date has passed." in html
    assert "More than 48 hours a week." in html
    assert "Nothing says how to apply." in html
    assert 'href="#detail-description"' in html and 'id="detail-description"' in html


def test_the_call_screen_links_each_detail_to_the_vacancy_editor_and_back(
    app, client, district, mine, me
):
    html = get_page(signed_in_as(client, me), f"/call-backs/{mine.id}")
    editor = app.view_functions.get("vacancies.edit")
    if editor is None or "lmra" not in editor.allowed_roles:
        assert ">Change<" not in html  # the editor has not landed yet
        return
    assert f"/vacancies/{mine.vacancy_id}/edit?next=/call-backs/{mine.id}" in html.replace(
        "%2F", "/"
    )
    # A coordinator cannot use the editor, so is not offered it.
    html = get_page(signed_in_as(client, coordinator(district)), f"/call-backs/{mine.id}")
    assert ">Change<" not in html


def test_the_call_screen_shows_the_fair_shot_advice_given(client, organisation, me, now):
    task = callback(
        organisation,
        now=now,
        claimed_by=me,
        essential_requirements="A degree in logistics",
        fair_shot_advice=[
            {"code": "degree_for_entry_level", "requirement": "degree"},
            {"code": "must_be_in_work", "requirement": "currently employed"},
        ],
    )

    html = get_page(signed_in_as(client, me), f"/call-backs/{task.id}")

    assert "“degree”" in html and "Still asked for" in html
    assert "“currently employed”" in html and "Changed since" in html


# --- call attempts -------------------------------------------------------------------------


def test_logging_an_attempt_adds_it_to_the_list(client, mine, me, now):
    response = post_form(
        signed_in_as(client, me),
        f"/call-backs/{mine.id}/attempts",
        {"attempt-result": "voicemail", "attempt-note": "Left my number"},
        status=302,
    )

    assert response.headers["Location"].endswith(f"/call-backs/{mine.id}#attempts")
    attempt = db.session.scalar(select(CallAttempt).where(CallAttempt.callback_id == mine.id))
    assert (attempt.result, attempt.note, attempt.made_by_id) == (
        AttemptResult.VOICEMAIL,
        "Left my number",
        me.id,
    )
    assert attempt.call_back_at is None
    html = get_page(client, f"/call-backs/{mine.id}")
    assert "Call attempt logged." in html and "Left a voicemail" in html


def test_an_htmx_attempt_gets_back_only_the_attempts_block(client, mine, me):
    response = signed_in_as(client, me).post(
        f"/call-backs/{mine.id}/attempts",
        data={"attempt-result": "no_answer"},
        headers={"HX-Request": "true"},
    )

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="attempts"')
    assert "<h1" not in html
    assert "No answer" in html and "Call attempt logged." in html


def test_an_attempt_needs_a_result(client, mine, me):
    response = post_form(
        signed_in_as(client, me), f"/call-backs/{mine.id}/attempts", {}, status=200
    )

    html = response.get_data(as_text=True)
    assert html.count("Select what happened when you called") == 2  # summary and field
    assert "<title>Error: Call Brightside Bakery" in html
    assert 'href="#attempt-result"' in html
    assert db.session.scalar(select(CallAttempt).where(CallAttempt.callback_id == mine.id)) is None


def test_an_htmx_attempt_with_errors_gets_the_block_with_its_errors(client, mine, me):
    response = signed_in_as(client, me).post(
        f"/call-backs/{mine.id}/attempts", data={}, headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<section id="attempts"')
    assert "There is a problem" in html


@pytest.mark.parametrize(
    ("day", "time", "error"),
    [
        ("", "", "Enter the date to call back"),
        ("tomorrow", "2pm", "Enter a real date to call back"),
        ("1 2", "2pm", "Enter a real date to call back"),
        ("31 2 2030", "2pm", "Enter a real date to call back"),
        ("1 2 2030", "", "Enter the time to call back"),
        ("1 2 2030", "teatime", "Enter the time to call back, like 2:30pm or 14:30"),
        ("1 2 2020", "2pm", "The time to call back must be in the future"),
    ],
)
def test_call_back_later_needs_a_date_and_time_in_the_future(client, mine, me, day, time, error):
    parts = day.split() if " " in day else [day, "", ""]
    parts += [""] * (3 - len(parts))
    data = {
        "attempt-result": "call_later",
        "attempt-call_back_on": parts,
        "attempt-call_back_time": time,
    }

    response = post_form(
        signed_in_as(client, me), f"/call-backs/{mine.id}/attempts", data, status=200
    )

    html = response.get_data(as_text=True)
    assert error in html
    assert f'value="{time}"' in html or not time  # the input is kept


def test_call_back_later_stores_the_london_time_in_utc(client, mine, me):
    post_form(
        signed_in_as(client, me),
        f"/call-backs/{mine.id}/attempts",
        {
            "attempt-result": "call_later",
            "attempt-call_back_on": ["1", "7", "2030"],
            "attempt-call_back_time": "2:30pm",
        },
        status=302,
    )
    attempt = db.session.scalar(select(CallAttempt).where(CallAttempt.callback_id == mine.id))
    assert attempt.call_back_at == dt.datetime(2030, 7, 1, 14, 30, tzinfo=LONDON)
    assert attempt.call_back_at.utcoffset() == dt.timedelta(0)  # stored and read back in UTC


# --- completing ----------------------------------------------------------------------------

NEW_AGREEMENT = {
    "complete-decision": "new_agreement",
    "complete-notes": "Keen on work trials",
    "agreement-agreed_on": ["23", "11", "2026"],
    "agreement-channel": "phone",
    "agreement-priority_groups": ["1", "2", "3"],
    "agreement-work_trials_agreed": "y",
    "agreement-work_trials_places": "4",
    "agreement-open_days_agreed": "y",
    "agreement-open_days_details": "Spring recruitment day",
}


def test_completing_with_a_new_agreement_records_it_emails_it_and_makes_the_vacancy_live(
    client, organisation, mine, me, now
):
    response = post_form(
        signed_in_as(client, me), f"/call-backs/{mine.id}/complete", NEW_AGREEMENT, status=302
    )

    assert response.headers["Location"].endswith("/call-backs")
    task = _fresh(mine)
    assert task.status is CallBackStatus.COMPLETED
    assert task.outcome is CallBackOutcome.NEW_AGREEMENT
    assert (task.completed_by_id, task.completed_at, task.breached) == (me.id, now, False)
    assert task.notes == "Keen on work trials"
    assert task.vacancy.status is VacancyStatus.LIVE and task.vacancy.live_at == now

    agreement = db.session.scalar(
        select(Agreement).where(Agreement.organisation_id == organisation.id)
    )
    assert agreement.status is AgreementStatus.ACTIVE
    version = agreement.current
    assert (version.number, version.taken_by_id, version.channel) == (1, me.id, Channel.PHONE)
    assert version.priority_groups == [1, 2, 3]
    assert [(m.measure, m.places, m.details) for m in version.measures] == [
        (Measure.OPEN_DAYS, None, "Spring recruitment day"),
        (Measure.WORK_TRIALS, 4, ""),
    ]
    email = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "agreement_confirmation")
    )
    owner = next(m.user for m in organisation.memberships if m.role.value == "owner")
    assert email.recipient == owner.email
    assert "Work trials: 4" in email.text_body

    html = get_page(client, "/call-backs")
    assert "is now live" in html and "The employer has been emailed their agreement." in html


@pytest.mark.parametrize("decision", [CallBackOutcome.DECLINED, CallBackOutcome.NOT_NOW])
def test_completing_without_an_agreement_records_the_decision_only(client, mine, me, decision):
    post_form(
        signed_in_as(client, me),
        f"/call-backs/{mine.id}/complete",
        {"complete-decision": decision.value},
        status=302,
    )

    task = _fresh(mine)
    assert task.outcome is decision
    assert task.vacancy.status is VacancyStatus.LIVE
    assert db.session.scalar(select(Agreement)) is None
    assert db.session.scalar(select(OutboxMessage)) is None


def test_confirming_the_existing_agreement_is_offered_only_when_there_is_one(
    client, organisation, mine, me
):
    signed_in_as(client, me)
    html = get_page(client, f"/call-backs/{mine.id}/complete", title="Complete the call-back")
    assert "Their existing agreement confirmed" not in html
    refused = post_form(
        client, f"/call-backs/{mine.id}/complete", {"complete-decision": "existing_confirmed"}
    )
    assert refused.status_code == 200 and _fresh(mine).status is CallBackStatus.CLAIMED

    version = record_agreement(
        organisation,
        AgreementTerms(dt.date(2026, 1, 5), Channel.PHONE, [MeasureTerms(Measure.OPEN_DAYS)]),
        me,
    )
    post_form(
        client,
        f"/call-backs/{mine.id}/complete",
        {"complete-decision": "existing_confirmed"},
        status=302,
    )
    assert _fresh(mine).outcome is CallBackOutcome.EXISTING_CONFIRMED
    assert version.agreement.status is AgreementStatus.ACTIVE


def test_completing_after_the_due_time_is_a_breach(client, organisation, me, monkeypatch):
    placed = freeze_now(monkeypatch)
    task = callback(organisation, now=placed, due_in=2 * HOURS, claimed_by=me)
    later = freeze_now(monkeypatch, placed + 2 * HOURS + dt.timedelta(minutes=1))

    post_form(
        signed_in_as(client, me),
        f"/call-backs/{task.id}/complete",
        {"complete-decision": "not_now"},
        status=302,
    )

    task = _fresh(task)
    assert task.breached is True and task.completed_at == later
    html = get_page(client, f"/call-backs/{task.id}")
    assert "Completed late" in html


def test_completing_exactly_at_the_due_time_is_in_time(client, organisation, me, monkeypatch):
    placed = freeze_now(monkeypatch)
    task = callback(organisation, now=placed, due_in=2 * HOURS, claimed_by=me)
    freeze_now(monkeypatch, task.due_at)

    post_form(
        signed_in_as(client, me),
        f"/call-backs/{task.id}/complete",
        {"complete-decision": "declined"},
    )

    assert _fresh(task).breached is False


def test_completion_errors_keep_the_input(client, mine, me):
    data = {
        **NEW_AGREEMENT,
        "agreement-work_trials_agreed": "",
        "agreement-open_days_agreed": "",
        "agreement-channel": "meeting",
        "complete-notes": "Call again in spring",
    }

    response = post_form(
        signed_in_as(client, me), f"/call-backs/{mine.id}/complete", data, status=200
    )

    html = response.get_data(as_text=True)
    assert "<title>Error: Complete the call-back" in html
    assert "Select at least one measure the employer agreed to" in html
    assert 'href="#agreement-work_trials_agreed"' in html
    assert "Call again in spring</textarea>" in html
    assert 'value="meeting" checked' in html
    assert 'value="new_agreement" checked' in html
    assert _fresh(mine).status is CallBackStatus.CLAIMED
    assert db.session.scalar(select(Agreement)) is None


def test_completion_needs_a_decision(client, mine, me):
    response = post_form(
        signed_in_as(client, me), f"/call-backs/{mine.id}/complete", {}, status=200
    )
    html = response.get_data(as_text=True)
    assert "Select what the employer decided about a LEP agreement" in html
    assert 'href="#complete-decision"' in html


def test_agreement_fields_are_ignored_unless_a_new_agreement_is_chosen(client, mine, me):
    post_form(
        signed_in_as(client, me),
        f"/call-backs/{mine.id}/complete",
        {"complete-decision": "declined", "agreement-work_trials_places": "lots"},
        status=302,
    )
    assert _fresh(mine).outcome is CallBackOutcome.DECLINED


def test_a_coordinator_may_complete_a_call_back(client, district, mine):
    boss = coordinator(district)
    post_form(
        signed_in_as(client, boss),
        f"/call-backs/{mine.id}/complete",
        {"complete-decision": "not_now"},
        status=302,
    )
    task = _fresh(mine)
    assert task.completed_by_id == boss.id
    assert task.office_id == mine.claimed_by.office_id  # the office that worked it


def test_a_completed_call_back_cannot_be_completed_or_logged_again(client, mine, me):
    signed_in_as(client, me)
    post_form(
        client, f"/call-backs/{mine.id}/complete", {"complete-decision": "declined"}, status=302
    )

    again = post_form(
        client, f"/call-backs/{mine.id}/complete", {"complete-decision": "not_now"}, status=302
    )
    assert again.headers["Location"].endswith(f"/call-backs/{mine.id}")
    html = get_page(client, f"/call-backs/{mine.id}")
    assert "This call-back has already been completed." in html
    assert "Completed in time" in html and "Declined a LEP agreement" in html
    assert "Log this attempt" not in html and "Put back in the queue" not in html
    assert _fresh(mine).outcome is CallBackOutcome.DECLINED
    assert client.post(f"/call-backs/{mine.id}/attempts", data={}).status_code == 403


def test_a_withdrawn_vacancy_stays_withdrawn_when_its_call_back_is_completed(client, mine, me):
    mine.vacancy.status = VacancyStatus.WITHDRAWN
    db.session.flush()
    post_form(
        signed_in_as(client, me),
        f"/call-backs/{mine.id}/complete",
        {"complete-decision": "not_now"},
    )
    assert _fresh(mine).vacancy.status is VacancyStatus.WITHDRAWN


def test_the_completion_page_and_call_screen_are_sound_html(client, organisation, mine, me):
    """Both pages carry the agreement fields; every id on them is unique."""
    signed_in_as(client, me)
    html = get_page(client, f"/call-backs/{mine.id}/complete", title="Complete the call-back")
    assert 'name="agreement-work_trials_agreed"' in html
    assert 'name="agreement-channel" type="radio" value="phone" checked' in html
    get_page(client, f"/call-backs/{mine.id}", title="Call Brightside Bakery")


def _call_screen_queries(client, task: CallBack) -> int:
    with count_queries() as statements:
        get_page(client, f"/call-backs/{task.id}")
    return len(statements)


def test_the_call_screen_runs_the_same_queries_for_1_or_20_attempts_and_people(
    client, mine, me, organisation, now
):
    signed_in_as(client, me)
    log_attempt(mine, me, AttemptResult.NO_ANSWER, now=now - HOURS)
    db.session.flush()
    few = _call_screen_queries(client, mine)
    for _ in range(19):
        log_attempt(mine, me, AttemptResult.NO_ANSWER, now=now - HOURS)
    for number in range(5):
        employer_user(organisation, name=f"Recruiter {number}")
    db.session.flush()
    assert _call_screen_queries(client, mine) == few <= 12


def test_a_new_agreement_at_the_call_back_starts_with_priority_groups_1_to_5(client, mine, me):
    """Since April 2009 every LEP covers priority group 5 (under threat or notice of
    redundancy) as well as groups 1 to 4."""
    html = get_page(signed_in_as(client, me), f"/call-backs/{mine.id}/complete")
    ticked = re.findall(
        r'<input[^>]*name="agreement-priority_groups"[^>]*value="(\d)"[^>]*checked', html
    )
    assert ticked == ["1", "2", "3", "4", "5"]
