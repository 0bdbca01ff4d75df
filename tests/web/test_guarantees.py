"""Guaranteed interviews through the services and pages: which referrals open one and when it
is due, kept by an interview or answered with a reason, the employer's list and home, the
overdue chase (once, to the employer and its single point of contact, safe to run twice),
staff's work to chase, the counts on the service record and account summary, the MI rate
against an independent count, and staff acting for the employer after the vacancy."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from flask import current_app, g
from sqlalchemy import select

from app import clock
from app.accounts.models import AssistedChange
from app.auth.models import Role
from app.customers.labels import VIEWED_GUARANTEES
from app.extensions import db
from app.guarantees import queries, rules, services
from app.guarantees.models import Guarantee
from app.guarantees.rules import Outcome, Source
from app.pet.models import CourseReferral, FollowOn
from app.pet.trainees import services as trainee_services
from app.referrals import services as referral_services
from app.referrals.models import Referral
from app.reports.figures import BY_NAME
from app.reports.queries import Scope
from app.reports.rules import Period, PeriodKind
from app.statuses import ReferralStatus, TraineeStatus
from tests.account_factories import account, staff_in
from tests.factories import DistrictFactory, employer_user, nation
from tests.helpers import count_queries, freeze_today, get_page, post_form, sign_in, visible_text
from tests.pet_factories import CourseFactory
from tests.referral_factories import fitting_customer, live_vacancy, referral
from tests.web.test_pet_trainees_support import audit_count, date_field, emails

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

MONDAY = dt.date(2026, 3, 2)


@pytest.fixture
def desk(monkeypatch):
    freeze_today(monkeypatch, MONDAY)
    district = DistrictFactory(name="West Yorkshire")
    dam = staff_in(district, Role.DAM, name="Dana Adams")
    lmra = staff_in(district, Role.LMRA, name="Lee Morris")
    organisation = account(dam, name="Kirkgate Bakery")
    employer = organisation.memberships[0].user
    vacancy = live_vacancy(organisation, offers_guaranteed_interview=True)
    return {
        "district": district,
        "dam": dam,
        "lmra": lmra,
        "organisation": organisation,
        "employer": employer,
        "vacancy": vacancy,
    }


def _refer(desk, vacancy=None, **customer):
    vacancy = vacancy or desk["vacancy"]
    person = fitting_customer(vacancy, **customer)
    (made,) = referral_services.refer(vacancy, [person], "", person.adviser)
    db.session.flush()
    return made


def _guarantee_of(made: Referral) -> Guarantee | None:
    return db.session.scalar(select(Guarantee).where(Guarantee.referral_id == made.id))


# --- opening and keeping ------------------------------------------------------------------------


def test_an_eligible_referral_to_a_vacancy_offering_them_opens_a_guarantee(desk):
    guarantee = _guarantee_of(_refer(desk))
    assert guarantee is not None
    assert guarantee.source is Source.REFERRAL
    assert guarantee.opened_on == MONDAY
    # Ten working days on the district's (England's) clock.
    assert guarantee.due_on == dt.date(2026, 3, 16)
    assert guarantee.organisation_id == desk["organisation"].id


def test_no_guarantee_without_the_offer_or_without_eligibility(desk, monkeypatch):
    plain = live_vacancy(desk["organisation"], offers_guaranteed_interview=False)
    assert _guarantee_of(_refer(desk, plain)) is None
    # In work and not under notice of redundancy: priority group 5, not LEP-eligible.
    employed = _refer(desk, benefit=None, employed=True, claim_start=None)
    assert _guarantee_of(employed) is None


def test_the_days_are_configurable(desk, app, monkeypatch):
    monkeypatch.setitem(app.config, "GUARANTEE_WORKING_DAYS", 3)
    assert _guarantee_of(_refer(desk)).due_on == dt.date(2026, 3, 5)


def test_arranging_the_interview_keeps_the_guarantee(desk):
    made = _refer(desk)
    referral_services.arrange_interview(
        made,
        at=dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC),
        place="Kirkgate",
        guaranteed=True,
        by=desk["employer"],
    )
    db.session.flush()
    guarantee = _guarantee_of(made)
    db.session.refresh(guarantee)
    assert guarantee.outcome is Outcome.INTERVIEWED


def test_cancelling_the_interview_owes_the_guarantee_again(desk):
    made = _refer(desk)
    referral_services.arrange_interview(
        made,
        at=dt.datetime(2026, 3, 10, 10, tzinfo=dt.UTC),
        place="Kirkgate",
        guaranteed=True,
        by=desk["employer"],
    )
    db.session.flush()
    referral_services.cancel_arranged_interview(made, "The manager is away", desk["employer"])
    db.session.flush()
    guarantee = _guarantee_of(made)
    db.session.refresh(guarantee)
    assert (guarantee.outcome, guarantee.answered_at) == (None, None)
    assert guarantee.due_on == dt.date(2026, 3, 16)


def _completed_cohort(desk, people=3, follow_on=FollowOn.GUARANTEED_INTERVIEW):
    course = CourseFactory(
        district=desk["district"],
        employers=[desk["organisation"]],
        follow_on=follow_on,
        start_date=MONDAY - dt.timedelta(days=14),
    )
    trainees = []
    for _ in range(people):
        person = fitting_customer(desk["vacancy"])
        trainee = CourseReferral(
            course=course,
            customer=person,
            referred_by=person.adviser,
            status=TraineeStatus.STARTED,
            started_on=MONDAY - dt.timedelta(days=14),
        )
        db.session.add(trainee)
        trainees.append(trainee)
    db.session.flush()
    for trainee in trainees:
        trainee_services.complete(trainee, MONDAY - dt.timedelta(days=1), desk["dam"])
    db.session.flush()
    return course, trainees


def test_each_completer_of_a_guaranteeing_course_is_owed_an_interview(desk):
    course, trainees = _completed_cohort(desk)
    guarantees = list(db.session.scalars(select(Guarantee).where(Guarantee.source == Source.PET)))
    assert {g.course_referral_id for g in guarantees} == {t.id for t in trainees}
    # Completed on Sunday 1 March: ten working days on is Friday 13 March.
    assert {g.due_on for g in guarantees} == {dt.date(2026, 3, 13)}

    trainee_services.book_interviews(
        course,
        desk["organisation"],
        [trainees[0].id],
        dt.datetime(2026, 3, 9, 10, tzinfo=dt.UTC),
        desk["employer"],
    )
    db.session.expire_all()
    kept = {g.course_referral_id for g in db.session.scalars(select(Guarantee)) if g.outcome}
    assert kept == {trainees[0].id}


def test_a_work_trial_course_guarantees_nothing_without_the_agreed_measure(desk):
    _completed_cohort(desk, people=1, follow_on=FollowOn.WORK_TRIAL)
    assert db.session.scalar(select(Guarantee)) is None


# --- the employer's pages ---------------------------------------------------------------------


def test_the_employer_lists_guarantees_and_says_why_not(client, desk):
    made = _refer(desk)
    db.session.commit()
    guarantee = _guarantee_of(made)
    sign_in(client, desk["employer"])
    html = get_page(client, "/guarantees", title="Guaranteed interviews")
    assert made.customer.name in html and "16 March 2026" in visible_text(html)
    assert audit_count(VIEWED_GUARANTEES, customer_id=made.customer_id) == 1
    home = visible_text(get_page(client, "/"))
    assert "Guaranteed interviews due" in home and "by 16 March 2026" in home

    url = f"/guarantees/{guarantee.id}/not-offered"
    get_page(client, url, title="Why was the guaranteed interview not offered?")
    html = post_form(client, url, {"reason": "other", "details": ""}, status=200).get_data(
        as_text=True
    )
    assert "Error:" in html and "Enter the other reason" in html
    html = post_form(client, url, {}, status=200).get_data(as_text=True)
    assert "Select why the guaranteed interview was not offered" in html
    post_form(client, url, {"reason": "candidate_withdrew"}, status=302)
    db.session.refresh(guarantee)
    assert guarantee.outcome is Outcome.NOT_OFFERED
    assert guarantee.answered_by_id == desk["employer"].id
    html = visible_text(get_page(client, "/guarantees"))
    assert "The candidate withdrew" in html and "Not offered" in html


def test_another_employers_guarantee_is_not_found(client, desk):
    guarantee = _guarantee_of(_refer(desk))
    other = employer_user(account(desk["dam"], name="Other Ltd"))
    db.session.commit()
    sign_in(client, other)
    get_page(client, f"/guarantees/{guarantee.id}/not-offered", status=404)
    get_page(client, f"/guarantees/{uuid.uuid4()}/not-offered", status=404)


def test_the_list_takes_as_many_queries_for_many_guarantees(client, desk):
    _refer(desk)
    db.session.commit()
    sign_in(client, desk["employer"])
    get_page(client, "/guarantees")
    with count_queries() as few:
        get_page(client, "/guarantees")
    for _ in range(6):
        _refer(desk)
    db.session.commit()
    with count_queries() as many:
        get_page(client, "/guarantees")
    assert len(many) == len(few)


# --- overdue: the chase and the work to chase ---------------------------------------------------


def test_overdue_guarantees_are_chased_once_to_the_employer_and_its_contact(desk, monkeypatch):
    made = _refer(desk)
    answered = _refer(desk)
    services.not_offered(_guarantee_of(answered), "candidate_withdrew", "", desk["employer"])
    db.session.commit()
    freeze_today(monkeypatch, dt.date(2026, 3, 16))  # the due day: not overdue yet
    assert services.chase_overdue() == 0
    freeze_today(monkeypatch, dt.date(2026, 3, 17))
    assert services.chase_overdue() == 1
    db.session.commit()
    sent = emails("guarantee_overdue")
    assert {message.recipient for message in sent} == {
        desk["employer"].email,
        desk["dam"].email,
    }
    assert made.customer.name in sent[0].text_body
    # Again (or a second copy at once): nothing more.
    assert services.chase_overdue() == 0
    assert len(emails("guarantee_overdue")) == 2
    assert _guarantee_of(made).chased_at is not None


def test_the_chase_command(app, desk, monkeypatch):
    _refer(desk)
    db.session.commit()
    freeze_today(monkeypatch, dt.date(2026, 3, 20))
    runner = app.test_cli_runner()
    assert "chased: 1." in runner.invoke(args=["guarantees", "chase"]).output
    assert "chased: 0." in runner.invoke(args=["guarantees", "chase"]).output


def test_staff_see_overdue_guarantees_to_chase(client, desk, monkeypatch):
    made = _refer(desk)
    db.session.commit()
    freeze_today(monkeypatch, dt.date(2026, 3, 17))
    for person in (desk["dam"], desk["lmra"]):
        sign_in(client, person)
        html = get_page(client, "/guarantees/to-chase", title="Guaranteed interviews to chase")
        assert made.customer.reference in html and "Kirkgate Bakery" in html
    sign_in(client, desk["lmra"])
    assert "1 guaranteed interview overdue to chase" in visible_text(
        get_page(client, "/call-backs")
    )
    sign_in(client, desk["dam"])
    assert "1 guaranteed interview overdue to chase" in visible_text(
        get_page(client, "/my-accounts")
    )
    coordinator = staff_in(desk["district"], Role.COORDINATOR)
    db.session.commit()
    sign_in(client, coordinator)
    html = get_page(client, "/guarantees/to-chase")
    assert made.customer.reference in html and "act-for-employer" not in html
    elsewhere = staff_in(DistrictFactory(name="Tayside"), Role.LMRA)
    db.session.commit()
    sign_in(client, elsewhere)
    assert made.customer.reference not in get_page(client, "/guarantees/to-chase")


# --- the figures ------------------------------------------------------------------------------


def test_service_record_and_account_summary_show_the_counts(client, desk, monkeypatch):
    _refer(desk)  # will be overdue
    kept = _refer(desk)
    services.referral_interviewed(kept, desk["employer"])
    declined = _refer(desk)
    services.not_offered(_guarantee_of(declined), "essential_requirement", "", desk["employer"])
    db.session.commit()
    freeze_today(monkeypatch, dt.date(2026, 3, 17))
    counts = queries.organisation_counts(desk["organisation"].id, clock.today())
    assert (counts.kept, counts.due, counts.overdue, counts.not_offered) == (1, 0, 1, 1)
    sign_in(client, desk["employer"])
    html = visible_text(get_page(client, "/service-record"))
    assert "Guaranteed interviews" in html
    assert "did not meet an essential requirement stated in the vacancy: 1" in html
    sign_in(client, desk["dam"])
    html = visible_text(get_page(client, f"/accounts/{desk['organisation'].id}"))
    assert "Not offered, with a reason" in html


def test_the_mi_rate_kept_matches_an_independent_count(desk, monkeypatch):
    other_district = DistrictFactory(name="Tayside", nation_code=nation("scotland").code)
    other = account(staff_in(other_district, Role.DAM), district=other_district, sector="care")
    other_vacancy = live_vacancy(other, offers_guaranteed_interview=True)
    made = [_refer(desk) for _ in range(4)] + [_refer(desk, other_vacancy) for _ in range(2)]
    for each in made[:2] + made[4:5]:
        services.referral_interviewed(each, desk["employer"])
    services.not_offered(_guarantee_of(made[2]), "other", "Site closed", desk["employer"])
    db.session.commit()
    freeze_today(monkeypatch, dt.date(2026, 3, 31))
    scope = Scope(Period(PeriodKind.MONTH, dt.date(2026, 3, 1), dt.date(2026, 3, 31)))
    table = BY_NAME["guarantees-by-district"].table(scope)
    rows = {row["district"]: row for row in table.rows}
    every = list(db.session.scalars(select(Guarantee)))
    for name, district_id in (
        ("West Yorkshire", desk["district"].id),
        ("Tayside", other_district.id),
    ):
        mine = [g for g in every if g.district_id == district_id]
        kept = sum(1 for g in mine if g.outcome is Outcome.INTERVIEWED)
        assert rows[name]["fell_due"] == len(mine)
        assert rows[name]["kept"] == kept
        assert rows[name]["rate_kept"] == rules.kept_rate(kept, len(mine))
    assert table.totals["rate_kept"] == 50  # 3 of 6
    by_size = BY_NAME["guarantees-by-size"].table(scope)
    assert sum(row["fell_due"] for row in by_size.rows) == 6
    g.pop("report_statements", None)
    # Read as in production (the rollups already brought up to date by the reads above).
    monkeypatch.setitem(current_app.config, "ROLLUPS_REFRESH_ON_READ", False)
    with count_queries() as statements:
        for name in ("guarantees-by-district", "guarantees-by-sector", "guarantees-by-size"):
            BY_NAME[name].table(scope)
    assert len(statements) == 1  # the rollups' one statement, shared by the three figures


def test_the_mi_page_csv_and_chart(client, desk, monkeypatch):
    _refer(desk)
    db.session.commit()
    freeze_today(monkeypatch, dt.date(2026, 3, 31))
    coordinator = staff_in(desk["district"], Role.COORDINATOR)
    db.session.commit()
    sign_in(client, coordinator)
    html = get_page(client, "/reports")
    assert "Guaranteed interviews kept, by district" in html
    csv = client.get("/reports/guarantees-by-district.csv").get_data(as_text=True)
    assert "West Yorkshire" in csv
    assert client.get("/reports/charts/guarantees-by-size.svg").status_code == 200


# --- staff acting for the employer --------------------------------------------------------------


def _act(desk, made, action, channel="phone"):
    return (
        f"/accounts/{desk['organisation'].id}/act-for-employer/candidates/{made.id}/{action}"
        f"?channel={channel}"
    )


def test_an_lmra_records_a_decision_and_a_start_by_phone(client, desk):
    declined = _refer(desk)
    hired = referral(desk["vacancy"], status=ReferralStatus.OFFERED)
    db.session.commit()
    sign_in(client, desk["lmra"])
    page = visible_text(
        get_page(client, f"/accounts/{desk['organisation'].id}/act-for-employer?channel=phone")
    )
    assert "Record not selected" in page and "Record a start for the employer" in page
    url = _act(desk, declined, "decision")
    get_page(client, url, title="Record not selected, with the reason")
    html = post_form(client, url, {}, status=200).get_data(as_text=True)
    assert "Select why the candidate was not selected" in html
    post_form(client, url, {"reason": "lacked_experience"}, status=302)
    db.session.refresh(declined)
    assert declined.status is ReferralStatus.NOT_SELECTED

    start = {"start_date": date_field(MONDAY), "hours_per_week": "37.5", "hourly_pay": "13.00"}
    post_form(client, _act(desk, hired, "start"), start, status=302)
    db.session.refresh(hired)
    assert hired.status is ReferralStatus.STARTED
    tagged = list(db.session.scalars(select(AssistedChange).order_by(AssistedChange.at)))
    assert [(c.staff_id, c.channel, c.subject_id) for c in tagged] == [
        (desk["lmra"].id, "phone", declined.id),
        (desk["lmra"].id, "phone", hired.id),
    ]
    sign_in(client, desk["employer"])
    html = visible_text(get_page(client, f"/candidates/{declined.id}"))
    assert "Done for you by Lee Morris, by phone" in html
    assert html.count("Done for you") == 1  # not beside the adviser's referral


def test_an_lmra_arranges_an_interview_and_records_why_not_offered(client, desk):
    made = _refer(desk)
    other = _refer(desk)
    db.session.commit()
    sign_in(client, desk["lmra"])
    interview = {
        "day": date_field(dt.date(2026, 3, 10)),
        "time": "10am",
        "place": "Kirkgate",
        "guaranteed": "yes",
    }
    post_form(client, _act(desk, made, "interview"), interview, status=302)
    assert _guarantee_of(made).outcome is Outcome.INTERVIEWED
    guarantee = _guarantee_of(other)
    url = (
        f"/accounts/{desk['organisation'].id}/act-for-employer/guarantees/{guarantee.id}"
        "/not-offered?channel=phone"
    )
    post_form(client, url, {"reason": "filled_before_referral"}, status=302)
    db.session.refresh(guarantee)
    assert guarantee.outcome is Outcome.NOT_OFFERED
    sign_in(client, desk["employer"])
    html = visible_text(get_page(client, "/guarantees"))
    assert html.count("Done for you by Lee Morris, by phone") == 2


def test_acting_needs_the_account_a_known_channel_and_the_employers_record(client, desk):
    made = _refer(desk)
    elsewhere = staff_in(DistrictFactory(name="Tayside"), Role.LMRA)
    other_referral = _refer(desk, live_vacancy(account(elsewhere, name="Far Ltd")))
    db.session.commit()
    sign_in(client, elsewhere)
    get_page(client, _act(desk, made, "decision"), status=404)
    sign_in(client, desk["lmra"])
    get_page(client, _act(desk, made, "decision", channel="pigeon"), status=400)
    get_page(client, _act(desk, made, "juggle"), status=404)
    get_page(client, _act(desk, other_referral, "decision"), status=404)
    # A start needs an offer first.
    assert "has moved on" in get_page(client, _act(desk, made, "start"))
