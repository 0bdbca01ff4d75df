"""The employer's cohort review through the pages: only consenting trainees and only what an
employer may see, each look audited; guaranteed interviews booked in bulk; hires that become
job outcomes; the course and employer summaries against independent counts; isolation; the
home-page panels; bounded queries."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app import clock
from app.clock import today
from app.customers.models import Benefit
from app.customers.services import set_consent
from app.extensions import db
from app.outcomes.models import JobOutcome, SustainmentCheck, ValidationStatus
from app.pet.models import CourseEmployer, CourseReferral, TraineeStatus
from app.pet.trainees.services import VIEWED_TRAINEE_AUDIT
from tests.factories import OrganisationFactory, employer_user
from tests.helpers import count_queries, get_page, post_form, sign_in, visible_text
from tests.pet_factories import CourseFactory
from tests.web.test_pet_trainees_support import (
    audit_count,
    date_field,
    emails,
    figure,
    make_scene,
    text_of,
)


@pytest.fixture
def scene(app):
    return make_scene()


def _as(app, user):
    return sign_in(app.test_client(), user)


def _cohort(scene, course=None) -> str:
    return f"/courses/{(course or scene.course).id}/cohort"


def _hire_url(scene, trainee) -> str:
    return f"/courses/{scene.course.id}/cohort/{trainee.id}/hire"


NEXT_WEEK = today() + dt.timedelta(days=7)


def _book(app, scene, trainees, day=NEXT_WEEK, time="10am", **kwargs):
    return post_form(
        _as(app, scene.employer),
        _cohort(scene) + "/interviews",
        {
            "trainee_ids": [str(trainee.id) for trainee in trainees],
            "day": date_field(day) if day else ["", "", ""],
            "time": time,
        },
        **kwargs,
    )


def _hire(app, scene, trainee, *, start=None, hours="37.5", pay="13.00", **kwargs):
    return post_form(
        _as(app, scene.employer),
        _hire_url(scene, trainee),
        {
            "start_date": date_field(start or today()),
            "hours_per_week": hours,
            "hourly_pay": pay,
        },
        **kwargs,
    )


# --- the cohort page --------------------------------------------------------------------------


def test_the_cohort_shows_trainees_the_provider_took_on_with_attendance_and_progress(app, scene):
    completed = scene.trainee(
        TraineeStatus.COMPLETED, customer=scene.customer(first_name="Cara", last_name="Complete")
    )
    scene.attend(completed, 30, 24)
    started = scene.trainee(
        TraineeStatus.STARTED, customer=scene.customer(first_name="Sam", last_name="Started")
    )
    scene.attend(started, 15)
    scene.trainee(customer=scene.customer(first_name="Rita", last_name="Referred"))
    scene.trainee(
        TraineeStatus.DECLINED, customer=scene.customer(first_name="Dan", last_name="Declined")
    )
    html = get_page(_as(app, scene.employer), _cohort(scene), title="Cohort: Retail routeway")
    page = text_of(html)
    assert "Cara Complete Completed Completed" in page
    assert "54 of 60 hours (90%)" in page
    assert "Sam Started Started" in page
    assert "15 of 60 hours (25%)" in page
    assert "Rita Referred" not in page
    assert "Dan Declined" not in page


def test_the_employer_never_sees_benefit_priority_group_or_disability(app, scene):
    customer = scene.jsa_customer(
        first_name="Grace",
        last_name="Okafor",
        disabled=True,
        reference="QQ123456C",
        phone="07700 900777",
        email="grace@jobseeker.example",
    )
    scene.trainee(TraineeStatus.COMPLETED, customer=customer)
    html = get_page(_as(app, scene.employer), _cohort(scene))
    assert "Grace Okafor" in html
    for secret in (
        "Jobseeker",
        "JSA",
        "priority group",
        "Priority group",
        "disab",
        "QQ123456C",
        "07700 900777",
        "grace@jobseeker.example",
        "16-hour",
    ):
        assert secret not in visible_text(html), secret


def test_each_look_at_the_cohort_is_audited_and_withdrawn_consent_hides_at_once(app, scene):
    one = scene.trainee(TraineeStatus.STARTED, customer=scene.customer(first_name="Una"))
    two = scene.trainee(TraineeStatus.STARTED, customer=scene.customer(first_name="Tove"))
    client = _as(app, scene.employer)
    get_page(client, _cohort(scene))
    get_page(client, _cohort(scene))
    for trainee in (one, two):
        assert (
            audit_count(
                VIEWED_TRAINEE_AUDIT,
                customer_id=trainee.customer_id,
                user_id=scene.employer.id,
                organisation_id=scene.organisation.id,
            )
            == 2
        )

    set_consent(two.customer, False, scene.adviser, "Withdrawn by phone")
    db.session.flush()
    html = get_page(client, _cohort(scene))
    assert "Una" in html
    assert "Tove" not in html
    assert audit_count(VIEWED_TRAINEE_AUDIT, customer_id=two.customer_id) == 2
    assert audit_count(VIEWED_TRAINEE_AUDIT, customer_id=one.customer_id) == 3
    get_page(client, _hire_url(scene, two), status=404)


def test_district_staff_read_the_cohort_without_booking_or_auditing(app, scene):
    scene.trainee(TraineeStatus.COMPLETED, customer=scene.customer(first_name="Carl"))
    html = get_page(_as(app, scene.staff["coordinator"]), _cohort(scene))
    assert "Carl" in html
    assert "Book guaranteed interviews" not in html
    assert "/hire" not in html
    assert audit_count(VIEWED_TRAINEE_AUDIT) == 0


# --- guaranteed interviews --------------------------------------------------------------------


def test_interviews_are_booked_in_bulk_and_each_adviser_is_emailed(app, scene):
    first = scene.trainee(TraineeStatus.COMPLETED, customer=scene.customer(first_name="Ann"))
    second = scene.trainee(TraineeStatus.COMPLETED, customer=scene.customer(first_name="Bob"))
    other_adviser_customer = make_scene(scene.district).customer(first_name="Cy")
    third = scene.trainee(TraineeStatus.COMPLETED, customer=other_adviser_customer)
    html = get_page(_as(app, scene.employer), _cohort(scene))
    assert 'name="trainee_ids"' in html

    response = _book(app, scene, [first, second, third], time="2:30pm", status=302)
    assert response.headers["Location"].endswith(_cohort(scene))
    for trainee in (first, second, third):
        db.session.refresh(trainee)
        assert trainee.interview_organisation_id == scene.organisation.id
        assert trainee.interview_at is not None
    assert first.interview_at == second.interview_at
    sent = emails("pet_trainee_interview")
    assert len(sent) == 2  # one per adviser, naming their own customers
    mine = next(message for message in sent if message.recipient == scene.adviser.email)
    assert "Ann" in mine.text_body and "Bob" in mine.text_body and "Cy" not in mine.text_body
    assert "2:30pm" in mine.text_body
    page = text_of(get_page(_as(app, scene.employer), _cohort(scene)))
    assert "Interview " in page and "at 2:30pm" in page


@pytest.mark.parametrize(
    ("chosen", "day", "time", "message"),
    [
        (False, NEXT_WEEK, "10am", "Select at least one person to interview"),
        (True, None, "10am", "Enter the date of the interviews"),
        (True, today() - dt.timedelta(days=1), "10am", "The interviews must be in the future"),
        (True, NEXT_WEEK, "", "Enter the time of the interviews"),
        (True, NEXT_WEEK, "teatime", "Enter the time like 10am or 14:30"),
    ],
)
def test_booking_interviews_checks_who_and_when(app, scene, chosen, day, time, message):
    trainee = scene.trainee(TraineeStatus.COMPLETED)
    html = _book(app, scene, [trainee] if chosen else [], day=day, time=time, status=200).get_data(
        as_text=True
    )
    assert message in html
    assert html.count("There is a problem") == 1
    db.session.refresh(trainee)
    assert trainee.interview_at is None
    assert emails() == []


def test_only_completers_can_be_booked(app, scene):
    completed = scene.trainee(TraineeStatus.COMPLETED)
    still_on = scene.trainee(TraineeStatus.STARTED)
    html = _book(app, scene, [completed, still_on], status=200).get_data(as_text=True)
    assert "can no longer have an interview booked" in html
    db.session.refresh(completed)
    assert completed.interview_at is None


# --- hiring -----------------------------------------------------------------------------------


def test_hiring_a_completer_creates_a_validated_job_outcome(app, scene):
    trainee = scene.trainee(
        TraineeStatus.COMPLETED, customer=scene.customer(first_name="Hana", last_name="Hired")
    )
    html = get_page(
        _as(app, scene.employer), _hire_url(scene, trainee), title="Record that Hana Hired started"
    )
    assert "counts as a job outcome" in html
    _hire(app, scene, trainee, start=today() - dt.timedelta(days=1), status=302)
    outcome = db.session.scalar(
        select(JobOutcome).where(JobOutcome.course_referral_id == trainee.id)
    )
    assert outcome.customer_id == trainee.customer_id
    assert outcome.organisation_id == scene.organisation.id
    assert outcome.district_id == scene.district.id
    assert outcome.referral_id is None and outcome.vacancy_id is None
    assert outcome.validation_status is ValidationStatus.VALIDATED
    assert outcome.recorded_by_employer is True
    assert outcome.validated_by_id == scene.employer.id
    assert outcome.priority_group == 1
    assert outcome.hours_per_week == Decimal("37.5")
    assert outcome.hourly_pay == Decimal("13.00")
    checks = db.session.scalars(
        select(SustainmentCheck.weeks).where(SustainmentCheck.outcome_id == outcome.id)
    ).all()
    assert sorted(checks) == [13, 26]
    db.session.refresh(trainee)
    assert trainee.hired is True
    assert "Hired" in text_of(get_page(_as(app, scene.employer), _cohort(scene)))
    # Once only.
    _hire(app, scene, trainee, status=302)
    assert db.session.scalar(select(func.count(JobOutcome.id))) == 1


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"pay": "5.00"}, "hourly_pay", "Pay must be at least the National Minimum Wage of £"),
        ({"pay": "0"}, "hourly_pay", "Voluntary (unpaid) work does not count"),
        ({"hours": "0"}, "hours_per_week", "Hours a week must be more than 0"),
        ({"start": today() + dt.timedelta(days=3)}, "start_date", "must be today or in the past"),
        ({"pay": "lots"}, "hourly_pay", "Pay per hour must be an amount in pounds and pence"),
    ],
)
def test_a_hire_that_cannot_count_is_refused_on_the_right_field(app, scene, values, field, message):
    trainee = scene.trainee(TraineeStatus.COMPLETED)
    html = _hire(app, scene, trainee, status=200, **values).get_data(as_text=True)
    assert message in html
    assert f'href="#{field}"' in html
    assert db.session.scalar(select(func.count(JobOutcome.id))) == 0
    db.session.refresh(trainee)
    assert trainee.hired is False


def test_someone_who_has_not_completed_cannot_be_hired_from_the_cohort(app, scene):
    started = scene.trainee(TraineeStatus.STARTED)
    referred = scene.trainee()
    client = _as(app, scene.employer)
    response = get_page(client, _hire_url(scene, started), status=302)
    assert response == "" or "Redirecting" in response
    get_page(client, _hire_url(scene, referred), status=404)  # not in the cohort at all
    _hire(app, scene, started, status=302)
    assert db.session.scalar(select(func.count(JobOutcome.id))) == 0


def test_a_completer_booked_by_another_employer_of_a_sector_course_is_theirs(app, scene):
    rival = OrganisationFactory(district=scene.district, name="Rival Stores")
    db.session.add(CourseEmployer(course=scene.course, organisation=rival))
    trainee = scene.trainee(
        TraineeStatus.COMPLETED,
        interview_at=clock.now() + dt.timedelta(days=2),
        interview_organisation_id=rival.id,
    )
    page = text_of(get_page(_as(app, scene.employer), _cohort(scene)))
    assert "Interview with another employer" in page
    assert "Rival Stores" not in page
    html = _book(app, scene, [trainee], status=200).get_data(as_text=True)
    assert "can no longer have an interview booked" in html
    _hire(app, scene, trainee, status=302)
    assert db.session.scalar(select(func.count(JobOutcome.id))) == 0


# --- isolation --------------------------------------------------------------------------------


def test_another_employer_sees_nothing_of_the_course(app, scene):
    trainee = scene.trainee(TraineeStatus.COMPLETED)
    stranger = employer_user(OrganisationFactory(district=scene.district))
    client = _as(app, stranger)
    get_page(client, _cohort(scene), status=404)
    get_page(client, _hire_url(scene, trainee), status=404)
    post_form(
        client,
        _cohort(scene) + "/interviews",
        {"trainee_ids": [str(trainee.id)], "day": date_field(NEXT_WEEK), "time": "10am"},
        status=404,
    )
    assert "Retail routeway" not in get_page(client, "/pet-summary")
    assert audit_count(VIEWED_TRAINEE_AUDIT) == 0


def test_providers_and_other_districts_staff_cannot_reach_the_cohort(app, scene):
    get_page(_as(app, make_scene().staff["dam"]), _cohort(scene), status=404)
    get_page(_as(app, scene.provider_user), _cohort(scene), status=403)


# --- the summary: the done-when ---------------------------------------------------------------


def _independent_counts(course, organisation_id) -> dict[str, int]:
    def count(*where):
        return db.session.scalar(
            select(func.count(CourseReferral.id)).where(
                CourseReferral.course_id == course.id, *where
            )
        )

    return {
        "places": course.places,
        "starts": count(CourseReferral.started_on.is_not(None)),
        "completions": count(CourseReferral.status == TraineeStatus.COMPLETED),
        "interviews": count(CourseReferral.interview_organisation_id == organisation_id),
        "hires": db.session.scalar(
            select(func.count(JobOutcome.id))
            .join(CourseReferral, CourseReferral.id == JobOutcome.course_referral_id)
            .where(
                CourseReferral.course_id == course.id,
                JobOutcome.organisation_id == organisation_id,
            )
        ),
    }


def test_the_done_when_two_starts_two_completions_two_interviews_one_hire(app, scene):
    """A provider accepts two referred eligible customers, records their starts and completion;
    the employer books their guaranteed interviews and hires one."""
    provider = _as(app, scene.provider_user)
    first = scene.customer(first_name="Ayesha", last_name="Begum")
    second = scene.jsa_customer(first_name="Ben", last_name="Carter")
    for customer in (first, second):
        post_form(
            _as(app, scene.adviser),
            f"/courses/{scene.course.id}/trainees/new",
            {"customer_id": str(customer.id), "owning_provider": "Jobcentre Plus"},
            status=302,
        )
    trainees = db.session.scalars(
        select(CourseReferral).where(CourseReferral.course_id == scene.course.id)
    ).all()
    assert len(trainees) == 2
    base = f"/courses/{scene.course.id}/trainees"
    for trainee in trainees:
        post_form(provider, f"{base}/{trainee.id}/decision", {"decision": "accept"}, status=302)
        post_form(
            provider,
            f"{base}/{trainee.id}/start",
            {"started_on": date_field(today())},
            status=302,
        )
        for week in (1, 2):
            post_form(provider, f"{base}/{trainee.id}/attendance", {"week": week, "hours": "30"})
        post_form(
            provider,
            f"{base}/{trainee.id}/completion",
            {"completed_on": date_field(today())},
            status=302,
        )
    _book(app, scene, trainees, status=302)
    _hire(app, scene, trainees[0], status=302)

    html = get_page(_as(app, scene.employer), _cohort(scene))
    expected = _independent_counts(scene.course, scene.organisation.id)
    assert expected == {"places": 12, "starts": 2, "completions": 2, "interviews": 2, "hires": 1}
    for name, value in expected.items():
        assert figure(html, name, within="course-figures") == str(value)

    summary = get_page(_as(app, scene.employer), "/pet-summary", title="Pre-employment training")
    for name, value in expected.items():
        assert figure(summary, name, within="total-figures") == str(value)
        assert figure(summary, name, within=f"course-{scene.course.id}") == str(value)
    # District staff see the same course figures.
    staff = get_page(_as(app, scene.staff["tppm"]), "/pet-summary")
    assert figure(staff, "hires", within=f"course-{scene.course.id}") == "1"


def _hire_record(scene, trainee, start, *, still_employed=None, answered=False):
    from app.outcomes.services import record_course_start

    outcome = record_course_start(
        trainee,
        scene.organisation,
        start_date=start,
        hours_per_week=Decimal("30"),
        hourly_pay=Decimal("13.00"),
        recorded_by=scene.employer,
    )
    trainee.hired = True
    db.session.flush()
    if answered:
        check = db.session.scalar(
            select(SustainmentCheck).where(
                SustainmentCheck.outcome_id == outcome.id, SustainmentCheck.weeks == 13
            )
        )
        check.answered_at = clock.now()
        check.still_employed = still_employed
        db.session.flush()
    return outcome


def test_the_summary_adds_up_every_course_and_counts_sustainment_at_13_weeks(app, scene):
    long_ago = today() - dt.timedelta(days=120)
    old_course = CourseFactory(
        title="Warehouse routeway",
        district=scene.district,
        provider=scene.provider,
        employers=[scene.organisation],
        start_date=long_ago - dt.timedelta(days=14),
        places=8,
    )
    stayed = scene.trainee(TraineeStatus.COMPLETED, course=old_course)
    went = scene.trainee(TraineeStatus.COMPLETED, course=old_course)
    unanswered = scene.trainee(TraineeStatus.COMPLETED, course=old_course)
    scene.trainee(TraineeStatus.LEFT, course=old_course)
    _hire_record(scene, stayed, long_ago, still_employed=True, answered=True)
    _hire_record(scene, went, long_ago, still_employed=False, answered=True)
    _hire_record(scene, unanswered, long_ago)
    recent = scene.trainee(TraineeStatus.COMPLETED)
    _hire_record(scene, recent, today())  # not due for 13 weeks yet
    scene.trainee(TraineeStatus.STARTED)
    # Another employer's course in the district: not this employer's.
    CourseFactory(district=scene.district, provider=scene.provider, places=20)

    summary = get_page(_as(app, scene.employer), "/pet-summary")
    assert figure(summary, "places", within="total-figures") == "20"
    assert figure(summary, "starts", within="total-figures") == "6"
    assert figure(summary, "completions", within="total-figures") == "4"
    assert figure(summary, "hires", within="total-figures") == "4"
    assert figure(summary, "sustained", within="total-figures") == "1 of 3"
    assert figure(summary, "sustained", within=f"course-{old_course.id}") == "1 of 3"
    assert figure(summary, "sustained", within=f"course-{scene.course.id}") == "None due"
    assert re.search(r"Across all 2 courses", summary)
    staff = get_page(_as(app, scene.tppm), "/pet-summary")
    assert figure(staff, "places", within="total-figures") == "40"  # all 3 district courses


def test_rejected_hires_do_not_count(app, scene):
    trainee = scene.trainee(TraineeStatus.COMPLETED)
    outcome = _hire_record(scene, trainee, today())
    outcome.validation_status = ValidationStatus.REJECTED
    db.session.flush()
    summary = get_page(_as(app, scene.employer), "/pet-summary")
    assert figure(summary, "hires", within="total-figures") == "0"


def test_an_employer_without_courses_sees_an_empty_summary(app):
    lonely = employer_user()
    assert "no pre-employment training courses" in get_page(_as(app, lonely), "/pet-summary")


# --- home-page panels -------------------------------------------------------------------------


def test_the_provider_home_shows_referrals_to_decide_and_trainees_to_update(app, scene):
    scene.trainee()
    scene.trainee()
    scene.trainee(TraineeStatus.STARTED)
    scene.trainee(TraineeStatus.COMPLETED)
    page = text_of(get_page(_as(app, scene.provider_user), "/"))
    assert "Retail routeway : 2 referrals to accept or decline, 1 trainee to update" in page


def test_the_employer_home_shows_completers_awaiting_an_interview(app, scene):
    scene.trainee(TraineeStatus.COMPLETED)
    scene.trainee(TraineeStatus.COMPLETED)
    scene.trainee(TraineeStatus.COMPLETED, interview_at=clock.now() + dt.timedelta(days=1))
    scene.trainee(TraineeStatus.STARTED)
    page = text_of(get_page(_as(app, scene.employer), "/"))
    assert "2 people completed Retail routeway: book their guaranteed interviews" in page


def test_no_panel_without_tasks(app, scene):
    assert "Trainees" not in get_page(_as(app, scene.provider_user), "/")
    assert "book their guaranteed" not in get_page(_as(app, scene.employer), "/")


# --- bounded queries --------------------------------------------------------------------------


def _cohort_queries(app, count: int, role: str) -> int:
    scene = make_scene()
    for number in range(count):
        trainee = scene.trainee(
            TraineeStatus.COMPLETED,
            customer=scene.customer(first_name=f"Trainee{number}", benefit=Benefit.IS),
        )
        scene.attend(trainee, 30, 30)
        if number % 3 == 0:
            _hire_record(scene, trainee, today())
    user = scene.employer if role == "employer" else scene.staff["dam"]
    client = _as(app, user)
    get_page(client, _cohort(scene))  # warm up
    with count_queries() as statements:
        get_page(client, _cohort(scene))
    return len(statements)


@pytest.mark.parametrize("role", ["employer", "dam"])
def test_the_cohort_page_runs_the_same_queries_for_2_and_12_trainees(app, role):
    assert _cohort_queries(app, 2, role) == _cohort_queries(app, 12, role)


def test_a_look_at_the_cohort_is_audited_in_one_insert_of_an_entry_per_trainee(app):
    scene = make_scene()
    trainees = [
        scene.trainee(TraineeStatus.STARTED, customer=scene.customer(first_name=f"Trainee{n}"))
        for n in range(6)
    ]
    client = _as(app, scene.employer)
    with count_queries() as statements:
        get_page(client, _cohort(scene))
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT INTO AUDIT_ENTRY")]
    assert len(inserts) == 1
    for trainee in trainees:
        assert audit_count(VIEWED_TRAINEE_AUDIT, customer_id=trainee.customer_id) == 1


def test_the_summary_runs_the_same_queries_for_1_and_6_courses(app):
    def queries(courses: int) -> int:
        scene = make_scene()
        for _ in range(courses - 1):
            course = CourseFactory(
                district=scene.district, provider=scene.provider, employers=[scene.organisation]
            )
            scene.trainee(TraineeStatus.COMPLETED, course=course)
        client = _as(app, scene.employer)
        get_page(client, "/pet-summary")
        with count_queries() as statements:
            get_page(client, "/pet-summary")
        return len(statements)

    assert queries(1) == queries(6)
