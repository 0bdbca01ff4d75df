"""Recording a start: `record_start` and the staff page that uses it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.accounts.models import MembershipRole
from app.agreements.models import Agreement, AgreementStatus
from app.auth.models import Role
from app.customers.models import Benefit
from app.extensions import db
from app.mail.models import OutboxMessage
from app.outcomes.models import JobOutcome, ValidationStatus
from app.outcomes.services import OutcomeRefused, record_start
from app.referrals.models import ReferralEvent, ReferralStatus
from tests.factories import DistrictFactory, employer_user
from tests.helpers import freeze_today, get_page, post_form, sign_in
from tests.outcome_factories import OfferedReferralFactory, customer_in, record, staff_in


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    freeze_today(monkeypatch, dt.date(2026, 6, 1))


def _referral(**customer):
    referral = OfferedReferralFactory()
    if customer:
        referral = OfferedReferralFactory(
            vacancy=referral.vacancy, customer=customer_in(referral.vacancy.district, **customer)
        )
    return referral


def _owner(referral, **kwargs):
    return employer_user(referral.organisation, **kwargs)


def _start(referral, by, start, pay="13.00", hours="37.5"):
    return record_start(
        referral,
        start_date=start,
        hours_per_week=Decimal(hours),
        hourly_pay=Decimal(pay),
        recorded_by=by,
    )


def _refused(referral, by, start, pay="13.00", hours="37.5") -> OutcomeRefused:
    with pytest.raises(OutcomeRefused) as refused:
        _start(referral, by, start, pay, hours)
    return refused.value


def _agreement(organisation, started_on, ended_on=None):
    agreement = Agreement(
        organisation_id=organisation.id,
        started_on=started_on,
        status=AgreementStatus.ENDED if ended_on else AgreementStatus.ACTIVE,
        ended_on=ended_on,
    )
    db.session.add(agreement)
    db.session.flush()
    return agreement


# --- who recorded it -------------------------------------------------------------------------


def test_start_the_employer_records_is_validated_at_once_and_asks_nobody(app):
    referral = _referral()
    owner = _owner(referral)
    outcome = _start(referral, owner, dt.date(2026, 3, 2))
    db.session.flush()
    assert outcome.validation_status is ValidationStatus.VALIDATED
    assert outcome.recorded_by_employer is True
    assert outcome.validated_by_id == owner.id and outcome.validated_at is not None
    assert (
        db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "outcome_confirm"))
        is None
    )


def test_start_staff_record_awaits_the_employer_and_emails_only_its_active_owners(app):
    referral = _referral()
    owner = _owner(referral)
    _owner(referral, membership_role=MembershipRole.RECRUITER)
    _owner(referral, active=False)
    lmra = staff_in(referral.vacancy.district)
    outcome = _start(referral, lmra, dt.date(2026, 3, 2))
    db.session.flush()
    assert outcome.validation_status is ValidationStatus.AWAITING_EMPLOYER
    assert outcome.recorded_by_employer is False and outcome.validated_at is None
    messages = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "outcome_confirm")
    ).all()
    assert [m.recipient for m in messages] == [owner.email]
    assert referral.customer.name in messages[0].text_body
    assert f"/outcomes/{outcome.id}/confirm" in messages[0].text_body


def test_recording_a_start_marks_the_referral_started_with_an_event(app):
    referral = _referral()
    owner = _owner(referral)
    _start(referral, owner, dt.date(2026, 3, 2))
    db.session.flush()
    assert referral.status is ReferralStatus.STARTED
    event = db.session.scalar(select(ReferralEvent).where(ReferralEvent.referral_id == referral.id))
    assert event.status is ReferralStatus.STARTED and event.by_id == owner.id
    assert event.detail == {"start_date": "2026-03-02"}


def test_an_employer_cannot_record_a_start_for_another_employers_referral(app):
    referral = _referral()
    stranger = employer_user()
    with pytest.raises(ValueError):
        _start(referral, stranger, dt.date(2026, 3, 2))


def test_sustainment_checks_fall_due_13_and_26_weeks_after_the_start(app):
    referral = _referral()
    outcome = record(referral, _owner(referral), start=dt.date(2026, 3, 2))
    assert [(c.weeks, c.due_on) for c in outcome.sustainment_checks] == [
        (13, dt.date(2026, 6, 1)),
        (26, dt.date(2026, 8, 31)),
    ]


# --- the minimum wage for the person's age on the start date ---------------------------------


@pytest.mark.parametrize(
    ("start", "pay", "accepted"),
    [
        # Adult rate £12.21 to 31 March 2026, £12.71 from 1 April 2026.
        (dt.date(2026, 3, 31), "12.21", True),
        (dt.date(2026, 3, 31), "12.20", False),
        (dt.date(2026, 4, 1), "12.50", False),  # fine the day before, not on the day
        (dt.date(2026, 4, 1), "12.70", False),
        (dt.date(2026, 4, 1), "12.71", True),
    ],
)
def test_pay_is_checked_against_the_rate_in_force_on_the_start_date(app, start, pay, accepted):
    referral = _referral(date_of_birth=dt.date(1985, 3, 14))
    owner = _owner(referral)
    if accepted:
        assert _start(referral, owner, start, pay).hourly_pay == Decimal(pay)
    else:
        refused = _refused(referral, owner, start, pay)
        assert refused.field == "hourly_pay"
        assert "National Minimum Wage" in refused.message


@pytest.mark.parametrize(
    ("start", "accepted"),
    [
        # Born 1 April 2005: 20 on 31 March 2026 (18-20 rate £10.00 then), 21 on 1 April
        # 2026 (adult rate £12.71). £11.00 is enough the day before the birthday only.
        (dt.date(2026, 3, 31), True),
        (dt.date(2026, 4, 1), False),
    ],
)
def test_pay_is_checked_against_the_persons_age_on_the_start_date(app, start, accepted):
    referral = _referral(date_of_birth=dt.date(2005, 4, 1))
    owner = _owner(referral)
    if accepted:
        _start(referral, owner, start, "11.00")
    else:
        refused = _refused(referral, owner, start, "11.00")
        assert "aged 21" in refused.message and "12.71" in refused.message


def test_under_16_on_the_start_date_is_refused(app):
    referral = _referral(date_of_birth=dt.date(2010, 6, 2))
    refused = _refused(referral, _owner(referral), dt.date(2026, 6, 1))
    assert refused.field == "start_date" and "16" in refused.message


@pytest.mark.parametrize("pay", ["0", "0.00", "-1"])
def test_unpaid_voluntary_work_is_refused(app, pay):
    referral = _referral()
    refused = _refused(referral, _owner(referral), dt.date(2026, 3, 2), pay)
    assert refused.field == "hourly_pay" and "Voluntary" in refused.message


@pytest.mark.parametrize("hours", ["0", "-5", "168.01"])
def test_hours_must_be_a_real_week(app, hours):
    referral = _referral()
    refused = _refused(referral, _owner(referral), dt.date(2026, 3, 2), hours=hours)
    assert refused.field == "hours_per_week"


def test_a_start_in_the_future_is_refused(app):
    referral = _referral()
    refused = _refused(referral, _owner(referral), dt.date(2026, 6, 2))
    assert refused.field == "start_date"


def test_a_start_before_the_wage_table_is_refused_not_a_crash(app):
    referral = _referral()
    refused = _refused(referral, _owner(referral), dt.date(2007, 9, 30))
    assert refused.field == "start_date"


def test_a_start_before_the_benefit_claim_began_is_refused_not_a_crash(app):
    referral = _referral(claim_start=dt.date(2026, 5, 1))
    refused = _refused(referral, _owner(referral), dt.date(2026, 4, 1))
    assert refused.field == "start_date" and "claim" in refused.message


def test_a_second_start_for_the_same_referral_is_refused(app):
    referral = _referral()
    owner = _owner(referral)
    record(referral, owner)
    refused = _refused(referral, owner, dt.date(2026, 3, 9))
    assert refused.field == "referral"


# --- priority group, LEP eligibility and subsidy on the start date ---------------------------


@pytest.mark.parametrize(
    ("start", "group", "subsidy"),
    [
        # JSA since 15 October 2025: six months reached on 15 April 2026.
        (dt.date(2026, 4, 14), 3, False),
        (dt.date(2026, 4, 15), 2, True),
    ],
)
def test_priority_group_and_subsidy_are_those_of_the_start_date(app, start, group, subsidy):
    referral = _referral(benefit=Benefit.JSA, claim_start=dt.date(2025, 10, 15))
    outcome = _start(referral, _owner(referral), start)
    assert outcome.priority_group == group
    assert outcome.subsidy_eligible is subsidy
    assert outcome.lep_eligible is True  # PG3 is covered since April 2009


@pytest.mark.parametrize(
    ("start", "benefit", "claim_start", "expected"),
    [
        # The £1,000 subsidy began on 1 April 2009, for JSA claimed six months or more.
        (dt.date(2009, 3, 31), Benefit.JSA, dt.date(2008, 6, 1), False),
        (dt.date(2009, 4, 1), Benefit.JSA, dt.date(2008, 6, 1), True),
        (dt.date(2009, 4, 1), Benefit.JSA, dt.date(2008, 10, 2), False),  # under six months
        (dt.date(2009, 4, 1), Benefit.JSA, dt.date(2008, 10, 1), True),  # six months that day
        (dt.date(2009, 4, 1), Benefit.ESA, dt.date(2008, 6, 1), False),  # other benefits: no
        (dt.date(2009, 4, 1), None, None, False),
    ],
)
def test_subsidy_eligibility_from_april_2009_for_jsa_of_six_months(
    app, start, benefit, claim_start, expected
):
    referral = _referral(benefit=benefit, claim_start=claim_start)
    outcome = _start(referral, _owner(referral), start, pay="6.00")
    assert outcome.subsidy_eligible is expected


def test_before_april_2009_only_priority_groups_1_and_2_are_lep_eligible(app):
    referral = _referral(benefit=Benefit.JSA, claim_start=dt.date(2009, 1, 5))
    _agreement(referral.organisation, dt.date(2008, 1, 1))
    outcome = _start(referral, _owner(referral), dt.date(2009, 3, 2), pay="6.00")
    assert outcome.priority_group == 3
    assert outcome.lep_eligible is False and outcome.counts_as_lep is False


def test_in_work_counts_only_under_redundancy_notice(app):
    employed = _referral(benefit=None, claim_start=None, employed=True)
    _agreement(employed.organisation, dt.date(2025, 1, 1))
    outcome = _start(employed, _owner(employed), dt.date(2026, 3, 2))
    assert outcome.priority_group == 5 and outcome.counts_as_lep is False

    notice = OfferedReferralFactory(
        vacancy=employed.vacancy,
        customer=customer_in(
            employed.vacancy.district,
            benefit=None,
            claim_start=None,
            employed=True,
            under_redundancy_notice=True,
        ),
    )
    outcome = _start(notice, _owner(notice), dt.date(2026, 3, 2))
    assert outcome.priority_group == 5 and outcome.counts_as_lep is True


@pytest.mark.parametrize(
    ("started_on", "ended_on", "expected"),
    [
        (None, None, False),  # no agreement at all
        (dt.date(2025, 1, 1), None, True),  # active since before the start
        (dt.date(2026, 3, 2), None, True),  # agreed on the start date itself
        (dt.date(2026, 3, 3), None, False),  # agreed the day after the start
        (dt.date(2025, 1, 1), dt.date(2026, 4, 30), True),  # ended since, covered the date
        (dt.date(2025, 1, 1), dt.date(2026, 3, 2), True),  # ended on the start date
        (dt.date(2025, 1, 1), dt.date(2026, 3, 1), False),  # ended the day before
    ],
)
def test_counts_as_lep_needs_an_agreement_in_force_on_the_start_date(
    app, started_on, ended_on, expected
):
    referral = _referral()
    if started_on:
        _agreement(referral.organisation, started_on, ended_on)
    other = employer_user()
    _agreement(other.organisation, dt.date(2020, 1, 1))  # another employer's agreement: no help
    outcome = _start(referral, _owner(referral), dt.date(2026, 3, 2))
    assert outcome.lep_eligible is True
    assert outcome.counts_as_lep is expected


# --- the staff page --------------------------------------------------------------------------


def _form(day="2", month="3", year="2026", hours="37.5", pay="13.00") -> dict:
    return {"start_date": [day, month, year], "hours_per_week": hours, "hourly_pay": pay}


def test_staff_page_starts_from_the_vacancys_hours_and_pay(app, client):
    referral = _referral()
    lmra = staff_in(referral.vacancy.district)
    html = get_page(
        sign_in(client, lmra),
        f"/referrals/{referral.id}/start",
        title=f"Record that {referral.customer.name} started work",
    )
    assert 'value="37.5"' in html and 'value="13.00"' in html


@pytest.mark.parametrize("role", [Role.LMRA, Role.DAM, Role.ADVISER])
def test_staff_record_a_start_the_employer_is_asked_to_confirm(app, client, role):
    referral = _referral()
    owner = _owner(referral)
    staff = staff_in(referral.vacancy.district, role)
    response = post_form(
        sign_in(client, staff), f"/referrals/{referral.id}/start", _form(), status=302
    )
    outcome = db.session.scalar(select(JobOutcome).where(JobOutcome.referral_id == referral.id))
    assert response.headers["Location"].endswith(f"/outcomes/{outcome.id}")
    assert outcome.validation_status is ValidationStatus.AWAITING_EMPLOYER
    assert outcome.recorded_by_id == staff.id
    assert outcome.start_date == dt.date(2026, 3, 2) and outcome.hours_per_week == Decimal("37.5")
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "outcome_confirm")
    )
    assert message.recipient == owner.email
    html = get_page(client, response.headers["Location"], title="Job outcome")
    assert "We have asked" in html


def test_pay_below_the_minimum_wage_shows_the_form_again_with_the_answers_kept(app, client):
    referral = _referral()
    lmra = staff_in(referral.vacancy.district)
    response = post_form(
        sign_in(client, lmra),
        f"/referrals/{referral.id}/start",
        _form(pay="9.99", hours="20"),
        status=200,
    )
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html and "National Minimum Wage" in html
    assert 'value="9.99"' in html and 'value="20"' in html and 'value="2026"' in html
    assert db.session.scalar(select(JobOutcome.id)) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_form(day="", month="", year=""), "Enter the date the person started work"),
        (_form(day="31", month="2"), "The start date must be a real date"),
        (_form(month=""), "The start date must include a month"),
        (_form(hours="lots"), "Hours a week must be a number"),
        (_form(pay="12.345"), "Pay per hour must be an amount in pounds and pence"),
        (_form(pay=""), "Enter the pay per hour"),
        ({"start_date": "2", "hours_per_week": "37.5", "hourly_pay": "13"}, "start"),
    ],
)
def test_bad_answers_show_the_form_again_with_a_message(app, client, data, message):
    referral = _referral()
    lmra = staff_in(referral.vacancy.district)
    response = post_form(sign_in(client, lmra), f"/referrals/{referral.id}/start", data, status=200)
    html = response.get_data(as_text=True)
    assert "There is a problem" in html and message in html


def test_pay_with_a_pound_sign_and_commas_is_understood(app, client):
    referral = _referral()
    lmra = staff_in(referral.vacancy.district)
    post_form(
        sign_in(client, lmra), f"/referrals/{referral.id}/start", _form(pay="£13.50"), status=302
    )
    outcome = db.session.scalar(select(JobOutcome).where(JobOutcome.referral_id == referral.id))
    assert outcome.hourly_pay == Decimal("13.50")


def test_staff_of_another_district_cannot_record_a_start(app, client):
    referral = _referral()
    stranger = staff_in(DistrictFactory())
    sign_in(client, stranger)
    get_page(client, f"/referrals/{referral.id}/start", status=404)
    post_form(client, f"/referrals/{referral.id}/start", _form(), status=404)
    get_page(client, f"/referrals/{referral.id}x/start", status=404)


def test_a_start_already_recorded_leads_to_the_outcome(app, client):
    referral = _referral()
    outcome = record(referral, _owner(referral))
    lmra = staff_in(referral.vacancy.district)
    response = sign_in(client, lmra).get(f"/referrals/{referral.id}/start")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/outcomes/{outcome.id}")
