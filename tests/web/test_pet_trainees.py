"""PET trainees through the pages: staff refer consented, eligible customers (REF2 to the
provider, copied to the TPPM); the provider accepts or declines, records starts, leavers (SL2),
weekly attendance and completion; someone who finishes without a job returns to their original
provider; the JSA 16-hour rule per trainee; provider and district isolation; bounded queries."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.clock import today
from app.customers.models import Benefit
from app.customers.services import set_consent
from app.extensions import db
from app.pet.models import Attendance, CourseReferral, TraineeStatus
from app.pet.trainees.services import VIEWED_TRAINEE_AUDIT
from tests.factories import ProviderUserFactory, StaffFactory, TrainingProviderFactory
from tests.helpers import count_queries, get_page, post_form, sign_in
from tests.pet_factories import CourseFactory
from tests.web.test_pet_trainees_support import (
    audit_count,
    date_field,
    emails,
    make_scene,
    text_of,
)


@pytest.fixture
def scene(app):
    return make_scene()


def _refer_url(scene) -> str:
    return f"/courses/{scene.course.id}/trainees/new"


def _trainee_url(scene, trainee, suffix: str = "") -> str:
    return f"/courses/{scene.course.id}/trainees/{trainee.id}{suffix}"


def _as(app, user):
    return sign_in(app.test_client(), user)


def _referral_of(scene, customer) -> CourseReferral | None:
    return db.session.scalar(
        select(CourseReferral).where(
            CourseReferral.course_id == scene.course.id, CourseReferral.customer_id == customer.id
        )
    )


# --- referring --------------------------------------------------------------------------------


def test_a_referral_goes_to_the_provider_as_a_ref2_copied_to_the_tppm(app, scene):
    customer = scene.customer(first_name="Amira", last_name="Shah")
    client = _as(app, scene.adviser)
    html = get_page(client, _refer_url(scene), title="Refer a customer to Retail routeway")
    assert "Amira Shah" in html
    assert "Eligible for pre-employment training (priority group 1)" in text_of(html)

    response = post_form(
        client,
        _refer_url(scene),
        {"customer_id": str(customer.id), "owning_provider": "Pathways to Work (A4e)"},
        status=302,
    )
    assert response.headers["Location"].endswith(f"/courses/{scene.course.id}/trainees")
    referral = _referral_of(scene, customer)
    assert referral.status is TraineeStatus.REFERRED
    assert referral.owning_provider == "Pathways to Work (A4e)"
    assert referral.referred_by_id == scene.adviser.id
    assert referral.tppm_id == scene.tppm.id

    sent = emails("pet_ref2")
    assert sorted(message.recipient for message in sent) == sorted(
        [scene.provider.contact_email, scene.provider_user.email, scene.tppm.email]
    )
    copy = next(message for message in sent if message.recipient == scene.tppm.email)
    assert "Copy for the TPPM" in copy.text_body
    to_provider = next(m for m in sent if m.recipient == scene.provider.contact_email)
    assert "Copy for the TPPM" not in to_provider.text_body
    for message in sent:
        assert "Amira Shah" in message.text_body
        assert "Pathways to Work (A4e)" in message.text_body
        assert f"/courses/{scene.course.id}/trainees/{referral.id}" in message.text_body
    # Sharing the person with the provider is audited.
    assert audit_count("referred_to_course", customer_id=customer.id) == 1

    listed = get_page(_as(app, scene.adviser), f"/courses/{scene.course.id}/trainees")
    assert "Amira Shah" in listed


def test_the_copy_goes_to_the_course_creator_when_a_tppm_designed_it(app, scene):
    designer = StaffFactory(role=Role.TPPM, office=scene.adviser.office, name="Aaron Designer")
    scene.course.created_by = designer
    db.session.flush()
    customer = scene.customer()
    post_form(
        _as(app, scene.adviser),
        _refer_url(scene),
        {"customer_id": str(customer.id), "owning_provider": "Jobcentre Plus"},
        status=302,
    )
    assert _referral_of(scene, customer).tppm_id == designer.id
    assert designer.email in {message.recipient for message in emails("pet_ref2")}
    assert scene.tppm.email not in {message.recipient for message in emails("pet_ref2")}


def _refused(app, scene, customer, message: str) -> None:
    html = post_form(
        _as(app, scene.adviser),
        _refer_url(scene),
        {"customer_id": str(customer.id), "owning_provider": "Jobcentre Plus"},
        status=200,
    ).get_data(as_text=True)
    assert message in text_of(html).replace("&#39;", "'")
    assert "Error:" in html
    assert _referral_of(scene, customer) is None
    assert emails() == []


def test_a_customer_without_consent_is_refused(app, scene):
    customer = scene.customer(first_name="Nia", consent_given=False)
    _refused(
        app,
        scene,
        customer,
        "cannot be referred: they have not given consent to share their details",
    )
    # Nor are they offered.
    assert "Nia" not in get_page(_as(app, scene.adviser), _refer_url(scene))


def test_a_priority_group_3_customer_outside_a_disadvantaged_ward_is_refused(app, scene):
    customer = scene.jsa_customer(
        first_name="Pat", claim_start=today() - dt.timedelta(days=60), disadvantaged_ward=False
    )
    page = text_of(get_page(_as(app, scene.adviser), _refer_url(scene)))
    assert "Not eligible for pre-employment training (priority group 3)" in page
    _refused(app, scene, customer, "They are in priority group 3")


@pytest.mark.parametrize(
    "details",
    [
        {"disadvantaged_ward": True},  # PG3 in a disadvantaged ward
        {"nddp_eligible": True},  # eligible for New Deal for Disabled People
        {"claim_start": None, "benefit": None, "disadvantaged_ward": True},  # PG4 in a DAW
    ],
)
def test_priority_group_3_and_4_in_a_disadvantaged_ward_or_nddp_may_be_referred(
    app, scene, details
):
    values = {"claim_start": today() - dt.timedelta(days=60), **details}
    customer = scene.jsa_customer(**values)
    post_form(
        _as(app, scene.adviser),
        _refer_url(scene),
        {"customer_id": str(customer.id), "owning_provider": "Jobcentre Plus"},
        status=302,
    )
    assert _referral_of(scene, customer) is not None


def test_the_refer_page_lists_consenting_customers_of_the_district_not_yet_referred(app, scene):
    scene.customer(first_name="Ready", last_name="Rao")
    scene.customer(first_name="Hidden", last_name="Nolan", consent_given=False)
    scene.trainee(customer=scene.customer(first_name="Already", last_name="Ali"))
    elsewhere = make_scene()
    elsewhere.customer(first_name="Faraway", last_name="Fox")
    client = _as(app, scene.adviser)
    page = get_page(client, _refer_url(scene))
    assert "Ready Rao" in page
    for name in ("Hidden Nolan", "Already Ali", "Faraway Fox"):
        assert name not in page
    searched = get_page(client, _refer_url(scene) + "?q=rao")
    assert "Ready Rao" in searched
    assert "No consenting customers" in get_page(client, _refer_url(scene) + "?q=zzz")


def test_another_districts_customer_cannot_be_referred(app, scene):
    stranger = make_scene().customer()
    _refused(app, scene, stranger, "Select a customer of this course’s district")


def test_a_customer_referred_twice_is_refused(app, scene):
    customer = scene.customer()
    scene.trainee(customer=customer)
    html = post_form(
        _as(app, scene.adviser),
        _refer_url(scene),
        {"customer_id": str(customer.id), "owning_provider": "Jobcentre Plus"},
        status=200,
    ).get_data(as_text=True)
    assert "has already been referred to this course" in html


def test_the_referral_form_needs_a_customer_and_an_owning_provider(app, scene):
    html = post_form(
        _as(app, scene.adviser), _refer_url(scene), {"customer_id": "not-an-id"}, status=200
    ).get_data(as_text=True)
    assert "Select the customer you are referring" in html
    assert "Enter the customer’s owning provider" in html
    assert html.count('href="#customer_id"') == 1


def test_nobody_can_be_referred_to_a_cancelled_course_or_one_without_a_provider(app, scene):
    from app.pet.models import CourseStatus

    customer = scene.customer()
    scene.course.status = CourseStatus.CANCELLED
    db.session.flush()
    client = _as(app, scene.adviser)
    assert "no longer taking referrals" in get_page(client, _refer_url(scene))
    post_form(
        client,
        _refer_url(scene),
        {"customer_id": str(customer.id), "owning_provider": "Jobcentre Plus"},
        status=200,
    )
    assert _referral_of(scene, customer) is None
    no_provider = CourseFactory(district=scene.district, provider=None, employers=[])
    html = get_page(client, f"/courses/{no_provider.id}/trainees/new")
    assert "no training provider yet" in html


# --- the JSA 16-hour rule ---------------------------------------------------------------------


def _past_course(scene, customer, weeks_ago: int, hours: tuple[float, ...]) -> None:
    """A course the customer finished before, with attendance recorded."""
    earlier = CourseFactory(
        district=scene.district,
        provider=scene.provider,
        employers=[],
        start_date=today() - dt.timedelta(weeks=weeks_ago),
        weekly_hours=[30.0] * len(hours),
    )
    trainee = scene.trainee(TraineeStatus.COMPLETED, customer=customer, course=earlier)
    scene.attend(trainee, *hours)


def test_a_jsa_customer_with_two_full_time_weeks_used_does_not_fit_a_two_week_course(app, scene):
    used_up = scene.jsa_customer(first_name="Used", last_name="Up")
    _past_course(scene, used_up, weeks_ago=20, hours=(30, 28))
    fresh = scene.jsa_customer(first_name="Fresh", last_name="Start")
    _past_course(scene, fresh, weeks_ago=60, hours=(30, 30))  # over 52 weeks ago
    not_jsa = scene.customer(first_name="Lone", last_name="Parent")
    for customer in (used_up, fresh, not_jsa):
        scene.trainee(TraineeStatus.ACCEPTED, customer=customer)

    for user in (scene.adviser, scene.provider_user):
        page = text_of(get_page(_as(app, user), f"/courses/{scene.course.id}/trainees"))
        used_row = page[page.index("Used Up") : page.index("Used Up") + 300]
        assert "Does not fit 2 full-time weeks used in the past 52 weeks" in used_row
        fresh_row = page[page.index("Fresh Start") : page.index("Fresh Start") + 300]
        assert "Fits 0 full-time weeks used" in fresh_row
        lone_row = page[page.index("Lone Parent") : page.index("Lone Parent") + 300]
        assert "Not claiming JSA" in lone_row


def test_the_refer_page_shows_whether_the_course_fits_each_jsa_claimant(app, scene):
    used = scene.jsa_customer(first_name="One", last_name="Week")
    _past_course(scene, used, weeks_ago=10, hours=(20, 10))  # one full-time week
    page = text_of(get_page(_as(app, scene.adviser), _refer_url(scene)))
    assert "16-hour rule: Does not fit 1 full-time week used in the past 52 weeks" in page


def test_a_part_time_course_always_fits(app, scene):
    scene.course.weekly_hours = [16.0, 16.0, 16.0]
    db.session.flush()
    used = scene.jsa_customer(first_name="Part", last_name="Timer")
    _past_course(scene, used, weeks_ago=5, hours=(30, 30))
    scene.trainee(TraineeStatus.ACCEPTED, customer=used)
    page = text_of(get_page(_as(app, scene.adviser), f"/courses/{scene.course.id}/trainees"))
    assert "Fits 2 full-time weeks used" in page


# --- the provider's steps ---------------------------------------------------------------------


def test_the_provider_accepts_a_referral_and_the_ref2_goes_back(app, scene):
    trainee = scene.trainee()
    client = _as(app, scene.provider_user)
    html = get_page(client, _trainee_url(scene, trainee), title=trainee.customer.name)
    assert "Accept or decline the referral" in html
    post_form(client, _trainee_url(scene, trainee, "/decision"), {"decision": "accept"}, status=302)
    db.session.refresh(trainee)
    assert trainee.status is TraineeStatus.ACCEPTED
    assert trainee.decided_at is not None
    sent = emails("pet_ref2_decision")
    assert {message.recipient for message in sent} == {scene.adviser.email, scene.tppm.email}
    assert "has accepted" in sent[0].text_body


def test_declining_needs_a_reason(app, scene):
    trainee = scene.trainee()
    client = _as(app, scene.provider_user)
    html = post_form(
        client, _trainee_url(scene, trainee, "/decision"), {"decision": "decline"}, status=200
    ).get_data(as_text=True)
    assert "Enter the reason for declining the referral" in html
    assert 'href="#decline_reason"' in html
    post_form(
        client,
        _trainee_url(scene, trainee, "/decision"),
        {"decision": "decline", "decline_reason": "Cannot stand for long periods"},
        status=302,
    )
    db.session.refresh(trainee)
    assert trainee.status is TraineeStatus.DECLINED
    assert trainee.decline_reason == "Cannot stand for long periods"
    assert "Cannot stand for long periods" in emails("pet_ref2_decision")[0].text_body
    # Final: no second decision.
    post_form(client, _trainee_url(scene, trainee, "/decision"), {"decision": "accept"}, status=302)
    db.session.refresh(trainee)
    assert trainee.status is TraineeStatus.DECLINED


def test_a_referral_cannot_be_accepted_when_the_places_are_taken(app, scene):
    scene.course.places = 1
    db.session.flush()
    scene.trainee(TraineeStatus.STARTED)
    trainee = scene.trainee()
    html = post_form(
        _as(app, scene.provider_user),
        _trainee_url(scene, trainee, "/decision"),
        {"decision": "accept"},
        status=200,
    ).get_data(as_text=True)
    assert "All 1 places on this course are taken" in html
    db.session.refresh(trainee)
    assert trainee.status is TraineeStatus.REFERRED


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (None, "Enter the date they started the course"),
        (today() + dt.timedelta(days=1), "The date must be today or in the past"),
        (today() - dt.timedelta(days=400), "The start date cannot be before the referral"),
    ],
)
def test_a_start_needs_a_real_date_since_the_referral(app, scene, day, message):
    trainee = scene.trainee(TraineeStatus.ACCEPTED)
    data = {"started_on": date_field(day) if day else ["", "", ""]}
    html = post_form(
        _as(app, scene.provider_user), _trainee_url(scene, trainee, "/start"), data, status=200
    ).get_data(as_text=True)
    assert message in html
    db.session.refresh(trainee)
    assert trainee.status is TraineeStatus.ACCEPTED


def test_the_provider_records_a_start_and_the_sl2_goes_out(app, scene):
    trainee = scene.trainee(TraineeStatus.ACCEPTED)
    post_form(
        _as(app, scene.provider_user),
        _trainee_url(scene, trainee, "/start"),
        {"started_on": date_field(today())},
        status=302,
    )
    db.session.refresh(trainee)
    assert trainee.status is TraineeStatus.STARTED
    assert trainee.started_on == today()
    sent = emails("pet_trainee_sl2")
    assert {message.recipient for message in sent} == {scene.adviser.email, scene.tppm.email}
    assert "Start notification (SL2)" in sent[0].text_body


def test_a_leaver_needs_a_date_after_the_start_and_a_reason(app, scene):
    trainee = scene.trainee(TraineeStatus.STARTED)
    client = _as(app, scene.provider_user)
    html = post_form(
        client,
        _trainee_url(scene, trainee, "/leaver"),
        {"left_on": date_field(trainee.started_on - dt.timedelta(days=1))},
        status=200,
    ).get_data(as_text=True)
    assert "Enter the reason they left the course" in html
    html = post_form(
        client,
        _trainee_url(scene, trainee, "/leaver"),
        {
            "left_on": date_field(trainee.started_on - dt.timedelta(days=1)),
            "leave_reason": "Ill health",
        },
        status=200,
    ).get_data(as_text=True)
    assert "The date cannot be before they started" in html
    post_form(
        client,
        _trainee_url(scene, trainee, "/leaver"),
        {"left_on": date_field(trainee.started_on), "leave_reason": "Ill health"},
        status=302,
    )
    db.session.refresh(trainee)
    assert (trainee.status, trainee.left_on, trainee.leave_reason) == (
        TraineeStatus.LEFT,
        trainee.started_on,
        "Ill health",
    )
    assert "Leaver notification (SL2)" in emails("pet_trainee_sl2")[0].text_body
    assert "Ill health" in emails("pet_trainee_sl2")[0].text_body


@pytest.mark.parametrize("reason", ["\r", "   ", "\x00"])
def test_a_leavers_reason_of_nothing_visible_is_no_reason(app, scene, reason):
    """Once cleaned it is empty: the form says so (it used to reach the service, a 500)."""
    trainee = scene.trainee(TraineeStatus.STARTED)
    html = post_form(
        _as(app, scene.provider_user),
        _trainee_url(scene, trainee, "/leaver"),
        {"left_on": date_field(trainee.started_on), "leave_reason": reason},
        status=200,
    ).get_data(as_text=True)
    assert "Enter the reason they left the course" in html
    db.session.refresh(trainee)
    assert trainee.status is TraineeStatus.STARTED


def test_the_provider_records_completion_and_a_finisher_without_a_job_returns(app, scene):
    trainee = scene.trainee(TraineeStatus.STARTED)
    client = _as(app, scene.provider_user)
    # Not finished yet: cannot be marked as returned.
    post_form(client, _trainee_url(scene, trainee, "/returned"), {}, status=302)
    db.session.refresh(trainee)
    assert trainee.returned_to_original is False

    post_form(
        client,
        _trainee_url(scene, trainee, "/completion"),
        {"completed_on": date_field(today())},
        status=302,
    )
    db.session.refresh(trainee)
    assert (trainee.status, trainee.completed_on) == (TraineeStatus.COMPLETED, today())
    html = get_page(client, _trainee_url(scene, trainee))
    assert "Finished without a job" in html

    post_form(client, _trainee_url(scene, trainee, "/returned"), {}, status=302)
    db.session.refresh(trainee)
    assert trainee.returned_to_original is True
    sent = emails("pet_trainee_returned")
    assert {message.recipient for message in sent} == {scene.adviser.email, scene.tppm.email}
    assert "return to their original provider or benefit regime" in sent[0].text_body
    page = text_of(get_page(_as(app, scene.adviser), f"/courses/{scene.course.id}/trainees"))
    assert "Returned to their original provider or benefit regime" in page


def test_someone_hired_is_never_marked_as_returned(app, scene):
    trainee = scene.trainee(TraineeStatus.COMPLETED, hired=True)
    post_form(
        _as(app, scene.provider_user), _trainee_url(scene, trainee, "/returned"), {}, status=302
    )
    db.session.refresh(trainee)
    assert trainee.returned_to_original is False


def test_a_step_that_no_longer_follows_the_status_changes_nothing(app, scene):
    trainee = scene.trainee(TraineeStatus.ACCEPTED)
    client = _as(app, scene.provider_user)
    for suffix, data in (
        ("/completion", {"completed_on": date_field(today())}),
        ("/leaver", {"left_on": date_field(today()), "leave_reason": "Moved away"}),
        ("/decision", {"decision": "decline", "decline_reason": "Changed our mind"}),
    ):
        response = post_form(client, _trainee_url(scene, trainee, suffix), data, status=302)
        assert response.headers["Location"].endswith(_trainee_url(scene, trainee))
    db.session.refresh(trainee)
    assert trainee.status is TraineeStatus.ACCEPTED


# --- attendance -------------------------------------------------------------------------------


def _attendance(app, scene, trainee, week, hours, **kwargs):
    return post_form(
        _as(app, scene.provider_user),
        _trainee_url(scene, trainee, "/attendance"),
        {"week": str(week), "hours": hours},
        **kwargs,
    )


def _hours(trainee) -> dict[int, float]:
    return {
        row.week: float(row.hours_attended)
        for row in db.session.scalars(
            select(Attendance).where(Attendance.course_referral_id == trainee.id)
        )
    }


def test_weekly_attendance_is_recorded_and_corrected_in_place(app, scene):
    trainee = scene.trainee(TraineeStatus.STARTED)
    row = _attendance(app, scene, trainee, 1, "27.5", status=200, headers={"HX-Request": "true"})
    html = row.get_data(as_text=True)
    assert html.lstrip().startswith('<tr class="govuk-table__row" id="week-1">')
    assert "Saved" in html
    assert 'value="27.5"' in html
    _attendance(app, scene, trainee, 1, "30", status=200, headers={"HX-Request": "true"})
    _attendance(app, scene, trainee, 2, "12", status=302)  # without JavaScript
    assert _hours(trainee) == {1: 30.0, 2: 12.0}
    page = text_of(get_page(_as(app, scene.adviser), f"/courses/{scene.course.id}/trainees"))
    assert "42 of 60 hours (70%)" in page


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        ("30.5", "Hours attended must be between 0 and 30, the hours of training in week 1"),
        ("-1", "Hours attended must be between 0 and 30"),
        ("lots", "Hours attended must be a number with at most one decimal place"),
        ("12.25", "Hours attended must be a number with at most one decimal place"),
        ("", "Enter the hours attended"),
    ],
)
def test_attendance_is_between_0_and_the_weeks_hours(app, scene, hours, message):
    trainee = scene.trainee(TraineeStatus.STARTED)
    row = _attendance(
        app, scene, trainee, 1, hours, status=200, headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert message in row
    assert "govuk-input--error" in row
    page = _attendance(app, scene, trainee, 1, hours, status=200).get_data(as_text=True)
    assert message in page
    assert 'href="#week-1-hours"' in page  # the error summary links to the week's box
    assert _hours(trainee) == {}


@pytest.mark.parametrize("week", ["0", "3", "x", ""])
def test_a_week_outside_the_course_is_a_malformed_request(app, scene, week):
    trainee = scene.trainee(TraineeStatus.STARTED)
    _attendance(app, scene, trainee, week, "10", status=400)


def test_attendance_waits_for_the_start(app, scene):
    trainee = scene.trainee(TraineeStatus.ACCEPTED)
    _attendance(app, scene, trainee, 1, "10", status=302)
    assert _hours(trainee) == {}


# --- isolation --------------------------------------------------------------------------------


def test_another_providers_users_see_nothing_of_the_course(app, scene):
    trainee = scene.trainee()
    other = ProviderUserFactory(provider=TrainingProviderFactory())
    client = _as(app, other)
    get_page(client, f"/courses/{scene.course.id}/trainees", status=404)
    get_page(client, _trainee_url(scene, trainee), status=404)
    post_form(client, _trainee_url(scene, trainee, "/decision"), {"decision": "accept"}, status=404)
    _attendance(app, scene, trainee, 1, "10")
    db.session.refresh(trainee)
    assert trainee.status is TraineeStatus.REFERRED


def test_staff_of_another_district_see_nothing_of_the_course(app, scene):
    trainee = scene.trainee()
    stranger = make_scene().adviser
    client = _as(app, stranger)
    get_page(client, f"/courses/{scene.course.id}/trainees", status=404)
    get_page(client, _trainee_url(scene, trainee), status=404)
    get_page(client, _refer_url(scene), status=404)
    get_page(client, f"/courses/{uuid.uuid4()}/trainees", status=404)


def test_the_provider_sees_only_consenting_customers_and_each_look_is_audited(app, scene):
    shown = scene.trainee(customer=scene.customer(first_name="Shown", last_name="Sharma"))
    withdrawn = scene.trainee(customer=scene.customer(first_name="Gone", last_name="Green"))
    set_consent(withdrawn.customer, False, scene.adviser, "Withdrew at the jobcentre")
    db.session.flush()
    client = _as(app, scene.provider_user)
    page = get_page(client, f"/courses/{scene.course.id}/trainees")
    assert "Shown Sharma" in page
    assert "Gone Green" not in page
    get_page(client, _trainee_url(scene, withdrawn), status=404)
    assert audit_count(VIEWED_TRAINEE_AUDIT, customer_id=shown.customer_id) == 1
    assert audit_count(VIEWED_TRAINEE_AUDIT, customer_id=withdrawn.customer_id) == 0
    get_page(client, _trainee_url(scene, shown))
    assert audit_count(VIEWED_TRAINEE_AUDIT, user_id=scene.provider_user.id) == 2
    # Staff still see them, marked, and their looks are not audited as a provider's.
    staff_page = text_of(get_page(_as(app, scene.adviser), f"/courses/{scene.course.id}/trainees"))
    assert "Gone Green Consent withdrawn" in staff_page
    assert audit_count(VIEWED_TRAINEE_AUDIT, user_id=scene.adviser.id) == 0


# --- bounded queries --------------------------------------------------------------------------


def _trainees_page_queries(app, scene, user, count: int) -> int:
    for number in range(count):
        customer = (scene.jsa_customer if number % 2 else scene.customer)(
            first_name=f"Trainee{number}"
        )
        trainee = scene.trainee(TraineeStatus.STARTED, customer=customer)
        scene.attend(trainee, 30, 20)
    client = _as(app, user)
    get_page(client, f"/courses/{scene.course.id}/trainees")  # warm up
    with count_queries() as statements:
        get_page(client, f"/courses/{scene.course.id}/trainees")
    return len(statements)


@pytest.mark.parametrize("role", ["adviser", "provider"])
def test_the_trainees_page_runs_the_same_queries_for_2_and_12_trainees(app, role):
    few, many = make_scene(), make_scene()
    user_of = {"adviser": lambda s: s.adviser, "provider": lambda s: s.provider_user}[role]
    assert _trainees_page_queries(app, few, user_of(few), 2) == _trainees_page_queries(
        app, many, user_of(many), 12
    )


def test_benefit_names_never_reach_the_provider_list_beyond_the_jsa_rule(app, scene):
    customer = scene.customer(benefit=Benefit.IS, first_name="Ivy")
    scene.trainee(customer=customer)
    page = get_page(_as(app, scene.provider_user), f"/courses/{scene.course.id}/trainees")
    assert "Income Support" not in page
    assert "priority group" not in page.lower()
