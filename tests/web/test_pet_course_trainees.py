"""The course page's "Trainees" section: for staff and the course's provider, the referred
customers with their status and whether the course fits their past 52 weeks (the JSA 16-hour
rule), counts by status and links to the trainee pages; for the course's employers only a link
to their cohort, never anything about benefits. Bounded queries, however many trainees."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.auth.models import Role
from app.clock import today
from app.customers.services import set_consent
from app.extensions import db
from app.pet.models import CourseStatus, TraineeStatus
from app.pet.trainees.services import VIEWED_TRAINEE_AUDIT
from tests.factories import StaffFactory
from tests.helpers import count_queries, get_page, sign_in
from tests.pet_factories import CourseFactory
from tests.web.test_pet_trainees_support import audit_count, make_scene, text_of

# What an employer must never read on the course page: the JSA rule says who claims what.
JSA_WORDS = re.compile(r"JSA|16-hour|full-time week|Jobseeker|claiming|benefit", re.IGNORECASE)


@pytest.fixture
def scene(app):
    return make_scene()


def _as(app, user):
    return sign_in(app.test_client(), user)


def _course_url(scene) -> str:
    return f"/courses/{scene.course.id}"


def _past_course(scene, customer, weeks_ago: int, hours: tuple[float, ...]) -> None:
    """A course the customer finished before, with attendance recorded."""
    earlier = CourseFactory(
        district=scene.district,
        provider=scene.provider,
        employers=[],
        start_date=today() - dt.timedelta(weeks=weeks_ago),
        weekly_hours=[30.0] * len(hours),
    )
    scene.attend(scene.trainee(TraineeStatus.COMPLETED, customer=customer, course=earlier), *hours)


def _trainees_section(html: str) -> str:
    """The words of the page from the "Trainees" heading on."""
    return text_of(html[html.index('id="trainees"') :])


@pytest.fixture
def trainees(scene):
    used_up = scene.jsa_customer(first_name="Used", last_name="Up")
    _past_course(scene, used_up, weeks_ago=20, hours=(30, 28))
    fresh = scene.jsa_customer(first_name="Fresh", last_name="Start")
    lone = scene.customer(first_name="Lone", last_name="Parent")
    return {
        "used": scene.trainee(TraineeStatus.REFERRED, customer=used_up),
        "fresh": scene.trainee(TraineeStatus.COMPLETED, customer=fresh),
        "lone": scene.trainee(TraineeStatus.STARTED, customer=lone),
    }


def _row(section: str, name: str) -> str:
    start = section.index(name)
    return section[start : start + 160]


@pytest.mark.parametrize("role", ["adviser", "dam", "tppm", "lmra", "coordinator"])
def test_staff_see_each_trainee_with_status_and_jsa_fit_and_every_link(app, scene, trainees, role):
    html = get_page(_as(app, scene.staff[role]), _course_url(scene), title="Retail routeway")
    section = _trainees_section(html)
    assert "Referred 1 Started 1 Completed 1 Referred in all 3" in section
    assert "Referred Does not fit 2 full-time weeks used in the past 52 weeks" in _row(
        section, "Used Up"
    )
    assert "Completed Fits 0 full-time weeks used in the past 52 weeks" in _row(
        section, "Fresh Start"
    )
    assert "Started Not claiming JSA: the 16-hour rule does not apply" in _row(
        section, "Lone Parent"
    )
    course = scene.course.id
    assert f'href="/courses/{course}/trainees"' in html
    assert f'href="/courses/{course}/cohort"' in html
    assert f'href="/courses/{course}/trainees/{trainees["used"].id}"' in html
    may_refer = role != "coordinator"
    assert (f'href="/courses/{course}/trainees/new"' in html) is may_refer
    # Staff looks are not audited (they see their district's customers anyway).
    assert audit_count(VIEWED_TRAINEE_AUDIT, user_id=scene.staff[role].id) == 0


def test_the_provider_sees_consenting_trainees_and_its_look_is_audited(app, scene, trainees):
    withdrawn = scene.customer(first_name="Gone", last_name="Quiet")
    scene.trainee(TraineeStatus.ACCEPTED, customer=withdrawn)
    set_consent(withdrawn, False, scene.adviser, "Changed their mind")
    db.session.flush()

    html = get_page(_as(app, scene.provider_user), _course_url(scene))
    section = _trainees_section(html)
    assert "Gone Quiet" not in section
    assert "Accepted" not in section  # nor counted
    assert "Referred in all 3" in section
    assert "Does not fit 2 full-time weeks used" in _row(section, "Used Up")
    course = scene.course.id
    assert f'href="/courses/{course}/trainees"' in html
    assert f'href="/courses/{course}/trainees/new"' not in html
    assert f'href="/courses/{course}/cohort"' not in html
    assert audit_count(VIEWED_TRAINEE_AUDIT, user_id=scene.provider_user.id) == 3
    for trainee in trainees.values():
        assert (
            audit_count(
                VIEWED_TRAINEE_AUDIT,
                user_id=scene.provider_user.id,
                customer_id=trainee.customer_id,
            )
            == 1
        )


def test_the_employer_gets_the_cohort_link_and_nothing_about_benefits(app, scene, trainees):
    html = get_page(_as(app, scene.employer), _course_url(scene), title="Retail routeway")
    main = text_of(html[html.index("<main") : html.index("</main>")])
    # The course design says what the JSA rule allows of the course itself (the same for
    # everyone); nothing in the trainees section speaks of anyone's benefit.
    section = _trainees_section(html)
    found = JSA_WORDS.findall(section)
    assert not found, f"the employer can read {found} in the trainees section"
    for words in ("Used Up", "Fresh Start", "Lone Parent", "Does not fit", "Fits", "Referred"):
        assert words not in main
    course = scene.course.id
    assert f'href="/courses/{course}/cohort"' in html
    assert f'href="/courses/{course}/trainees"' not in html
    assert f'href="/courses/{course}/trainees/new"' not in html
    assert 'id="course-trainees"' not in html
    assert audit_count(VIEWED_TRAINEE_AUDIT, user_id=scene.employer.id) == 0


def test_a_course_nobody_is_referred_to_says_so(app, scene):
    section = _trainees_section(get_page(_as(app, scene.adviser), _course_url(scene)))
    assert "Nobody has been referred to this course yet." in section
    assert "Refer a customer to this course" in section


def test_no_referral_link_on_a_closed_course(app, scene, trainees):
    scene.course.status = CourseStatus.FINISHED
    db.session.flush()
    html = get_page(_as(app, scene.adviser), _course_url(scene))
    assert f'href="/courses/{scene.course.id}/trainees/new"' not in html
    assert "Used Up" in _trainees_section(html)


def test_staff_of_another_district_do_not_reach_the_course(app, scene, trainees):
    other = make_scene()
    stranger = StaffFactory(role=Role.ADVISER, office=other.adviser.office)
    get_page(_as(app, stranger), _course_url(scene), status=404)


# --- bounded queries --------------------------------------------------------------------------


def _course_page_queries(app, scene, user, count: int) -> int:
    for number in range(count):
        customer = (scene.jsa_customer if number % 2 else scene.customer)(
            first_name=f"Trainee{number}"
        )
        if number % 3 == 0:
            _past_course(scene, customer, weeks_ago=10, hours=(30,))
        scene.trainee(
            [TraineeStatus.REFERRED, TraineeStatus.STARTED, TraineeStatus.COMPLETED][number % 3],
            customer=customer,
        )
    client = _as(app, user)
    get_page(client, f"/courses/{scene.course.id}")  # warm up
    with count_queries() as statements:
        html = get_page(client, f"/courses/{scene.course.id}")
    assert html.count('id="course-trainee-') == count
    return len(statements)


@pytest.mark.parametrize("role", ["adviser", "dam", "provider"])
def test_the_course_page_runs_the_same_queries_for_2_and_12_trainees(app, role):
    few, many = make_scene(), make_scene()
    user_of = {
        "adviser": lambda s: s.adviser,
        "dam": lambda s: s.staff["dam"],
        "provider": lambda s: s.provider_user,
    }[role]
    assert _course_page_queries(app, few, user_of(few), 2) == _course_page_queries(
        app, many, user_of(many), 12
    )
