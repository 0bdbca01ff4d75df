"""PET for SMEs grouped by sector, through the pages: a DAM or TPPM invites the district's
small and medium-sized employers to a sector course, each with the guaranteed interviews it
is asked to offer; each employer joins or declines; completers are allotted to the employers
in proportion to their offers; each employer sees its own share and its own candidates only;
the provider sees one course. Every step audited, bounded queries."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re

import pytest
from sqlalchemy import func, select, update

from app import clock
from app.accounts.models import MembershipRole, SizeBand
from app.clock import today
from app.extensions import db
from app.guarantees.models import Guarantee
from app.outcomes.models import JobOutcome
from app.pet.models import (
    CourseEmployer,
    CourseEmployerAction,
    CourseEmployerEvent,
    CourseEmployerStatus,
    CourseModel,
    CourseStatus,
    TraineeStatus,
)
from app.pet.trainees import services as trainee_services
from app.pet.trainees.services import VIEWED_TRAINEE_AUDIT
from tests.factories import OrganisationFactory, ProviderUserFactory, employer_user
from tests.helpers import count_queries, get_page, post_form, sign_in
from tests.pet_factories import CourseFactory, DeliveryPlanFactory
from tests.web.test_pet_trainees_support import (
    audit_count,
    date_field,
    emails,
    make_scene,
    text_of,
)


@pytest.fixture
def scene(app):
    """The trainee scene's district, staff and provider, with a sector hospitality course of
    12 places the TPPM designs, starting a fortnight ago, and no employers yet."""
    made = make_scene()
    made.course = CourseFactory(
        title="Hospitality sector course",
        model=CourseModel.SECTOR,
        sector="hospitality",
        district=made.district,
        provider=made.provider,
        created_by=made.tppm,
        employers=[],
        start_date=today() - dt.timedelta(days=14),
    )
    return made


def _sme(scene, name: str, **kwargs):
    kwargs.setdefault("sector", "hospitality")
    return OrganisationFactory(district=scene.district, name=name, size_band=SizeBand.SME, **kwargs)


def _as(app, user):
    return sign_in(app.test_client(), user)


def _invite(client, course, organisation, interviews="3", **kwargs):
    return post_form(
        client,
        f"/courses/{course.id}/invitations",
        {"organisation_id": str(organisation.id), "guaranteed_interviews": interviews},
        **kwargs,
    )


def _answer(client, course, answer="join", interviews="3", reason="", **kwargs):
    return post_form(
        client,
        f"/courses/{course.id}/invitation",
        {"answer": answer, "guaranteed_interviews": interviews, "reason": reason},
        **kwargs,
    )


def _place(course, organisation) -> CourseEmployer:
    return db.session.scalar(
        select(CourseEmployer).where(
            CourseEmployer.course_id == course.id,
            CourseEmployer.organisation_id == organisation.id,
        )
    )


def _joined(scene, organisation, interviews: int) -> CourseEmployer:
    place = CourseEmployer(
        course_id=scene.course.id,
        organisation_id=organisation.id,
        status=CourseEmployerStatus.JOINED,
        guaranteed_interviews=interviews,
        answered_at=clock.now(),
    )
    db.session.add(place)
    db.session.flush()
    return place


def _error_summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return html_module.unescape(match.group(0))


# --- inviting --------------------------------------------------------------------------------


def test_the_invitation_page_offers_the_districts_smes_of_the_courses_sector(app, scene):
    _sme(scene, "Corn Exchange Cafe")
    _sme(scene, "Headrow Kitchen")
    _sme(scene, "Briggate Builders", sector="construction")
    OrganisationFactory(district=scene.district, name="Grand Hotels plc", size_band="large")
    OrganisationFactory(name="Far Away Cafe", size_band="sme", sector="hospitality")
    client = _as(app, scene.tppm)
    html = get_page(
        client,
        f"/courses/{scene.course.id}/invitations",
        title="Invite employers to Hospitality sector course",
    )
    assert "Corn Exchange Cafe" in html and "Headrow Kitchen" in html
    for absent in ("Briggate Builders", "Grand Hotels plc", "Far Away Cafe"):
        assert absent not in html
    every = get_page(client, f"/courses/{scene.course.id}/invitations?every_sector=1")
    assert "Briggate Builders" in every and "Grand Hotels plc" not in every
    searched = get_page(client, f"/courses/{scene.course.id}/invitations?q=headrow")
    assert "Headrow Kitchen" in searched and "Corn Exchange Cafe" not in searched


def test_the_tppm_invites_an_sme_and_its_users_are_emailed(app, scene):
    cafe = _sme(scene, "Corn Exchange Cafe")
    owner = employer_user(cafe)
    recruiter = employer_user(cafe, membership_role=MembershipRole.RECRUITER)
    client = _as(app, scene.tppm)
    response = _invite(client, scene.course, cafe, "4", status=302)
    assert response.headers["Location"].endswith(f"/courses/{scene.course.id}/invitations")
    place = _place(scene.course, cafe)
    assert (place.status, place.guaranteed_interviews) == (CourseEmployerStatus.INVITED, 4)
    assert place.invited_at is not None and place.answered_at is None
    (event,) = place.events
    assert (event.action, event.actor_id, event.guaranteed_interviews) == (
        CourseEmployerAction.INVITED,
        scene.tppm.id,
        4,
    )
    sent = emails("pet_sector_invitation")
    assert sorted(message.recipient for message in sent) == sorted([owner.email, recruiter.email])
    assert f"/courses/{scene.course.id}/invitation" in sent[0].text_body
    assert "4 guaranteed interviews" in sent[0].text_body
    html = get_page(client, f"/courses/{scene.course.id}/invitations")
    assert "Invitation sent to Corn Exchange Cafe. We have emailed its 2 users." in html
    assert 'data-testid="invited-so-far"' in html
    # Invited now: not offered again.
    assert f'value="{cafe.id}"' not in html


@pytest.mark.parametrize(
    ("interviews", "message"),
    [
        ("", "Enter the number of guaranteed interviews, like 3"),
        ("0", "The number of guaranteed interviews must be 1 or more"),
        ("two", "Enter the number of guaranteed interviews as a whole number"),
        ("2.5", "Enter the number of guaranteed interviews as a whole number"),
        ("13", "The number of guaranteed interviews must be no more than the course’s 12 places"),
    ],
)
def test_a_wrong_number_of_interviews_is_refused_and_kept(app, scene, interviews, message):
    cafe = _sme(scene, "Corn Exchange Cafe")
    response = _invite(_as(app, scene.tppm), scene.course, cafe, interviews, status=200)
    html = response.get_data(as_text=True)
    assert message in _error_summary(html)
    assert re.search(rf'value="{cafe.id}"\s+checked', html)
    assert _place(scene.course, cafe) is None
    assert emails("pet_sector_invitation") == []


def test_only_an_sme_of_the_district_not_asked_yet_can_be_invited(app, scene):
    client = _as(app, scene.tppm)
    large = OrganisationFactory(district=scene.district, name="Grand Hotels", size_band="large")
    elsewhere = OrganisationFactory(name="Far Away Cafe", size_band="sme")
    joined = _sme(scene, "Joined Cafe")
    _joined(scene, joined, 2)
    for organisation, message in (
        (large, "Grand Hotels is not a small or medium-sized employer"),
        (elsewhere, "Select an employer of this course’s district"),
        (joined, "Joined Cafe has already joined this course"),
    ):
        html = _invite(client, scene.course, organisation, status=200).get_data(as_text=True)
        assert message in _error_summary(html)
    html = _invite(
        client, scene.course, type("Fake", (), {"id": "not-a-uuid"})(), status=200
    ).get_data(as_text=True)
    assert "Select the employer you are inviting" in _error_summary(html)
    assert _place(scene.course, large) is None and _place(scene.course, elsewhere) is None


def test_an_employer_that_declined_may_be_invited_again_its_history_kept(app, scene):
    cafe = _sme(scene, "Corn Exchange Cafe")
    employer = employer_user(cafe)
    tppm = _as(app, scene.tppm)
    _invite(tppm, scene.course, cafe, "2", status=302)
    _answer(_as(app, employer), scene.course, "decline", reason="Too busy in summer", status=302)
    html = get_page(tppm, f"/courses/{scene.course.id}/invitations")
    assert "Declined an earlier invitation to this course" in html
    _invite(tppm, scene.course, cafe, "1", status=302)
    place = _place(scene.course, cafe)
    assert (place.status, place.guaranteed_interviews) == (CourseEmployerStatus.INVITED, 1)
    assert [event.action.value for event in place.events] == ["invited", "declined", "invited"]
    page = text_of(get_page(tppm, f"/courses/{scene.course.id}"))
    assert "Declined by" in page and "Too busy in summer" in page


def test_a_bespoke_course_has_nobody_to_invite_and_an_agreed_design_is_locked(app, scene):
    client = _as(app, scene.tppm)
    bespoke = CourseFactory(district=scene.district, created_by=scene.tppm)
    assert client.get(f"/courses/{bespoke.id}/invitations").status_code == 404
    scene.course.status = CourseStatus.AGREED
    db.session.flush()
    assert client.get(f"/courses/{scene.course.id}/invitations").status_code == 409
    html = get_page(client, f"/courses/{scene.course.id}")
    assert f"/courses/{scene.course.id}/invitations" not in html


def test_staff_of_another_district_and_employers_cannot_invite(app, scene):
    other = make_scene()
    assert _as(app, other.tppm).get(f"/courses/{scene.course.id}/invitations").status_code == 404
    assert _as(app, scene.employer).get(f"/courses/{scene.course.id}/invitations").status_code == (
        403
    )


# --- answering -------------------------------------------------------------------------------


def test_an_invited_employer_sees_the_course_and_its_invitation_not_the_cohort(app, scene):
    cafe = _sme(scene, "Corn Exchange Cafe")
    employer = employer_user(cafe)
    _invite(_as(app, scene.tppm), scene.course, cafe, "3", status=302)
    client = _as(app, employer)
    home = get_page(client, "/")
    assert "Join Hospitality sector course? You are asked to offer 3 guaranteed interviews" in (
        html_module.unescape(home)
    )
    course = get_page(client, f"/courses/{scene.course.id}", title="Hospitality sector course")
    assert 'data-testid="invitation"' in course
    assert "Jobcentre Plus has invited you to join this course, offering 3 guaranteed" in course
    assert f"/courses/{scene.course.id}/cohort" not in course
    assert client.get(f"/courses/{scene.course.id}/cohort").status_code == 404
    page = get_page(
        client,
        f"/courses/{scene.course.id}/invitation",
        title="Join Hospitality sector course?",
    )
    assert re.search(r'name="guaranteed_interviews"[^>]*value="3"', page)
    assert "TPPM Person of Jobcentre Plus invited your organisation" in page


def test_an_employer_joins_with_its_own_number_of_interviews(app, scene):
    cafe = _sme(scene, "Corn Exchange Cafe")
    employer = employer_user(cafe, membership_role=MembershipRole.RECRUITER)
    _invite(_as(app, scene.tppm), scene.course, cafe, "3", status=302)
    client = _as(app, employer)
    response = _answer(client, scene.course, "join", "4", status=302)
    assert response.headers["Location"].endswith(f"/courses/{scene.course.id}")
    place = _place(scene.course, cafe)
    assert (place.status, place.guaranteed_interviews) == (CourseEmployerStatus.JOINED, 4)
    assert place.answered_at is not None
    assert [(e.action.value, e.actor_id, e.guaranteed_interviews) for e in place.events] == [
        ("invited", scene.tppm.id, 3),
        ("joined", employer.id, 4),
    ]
    (told,) = emails("pet_sector_answer")
    assert told.recipient == scene.tppm.email
    assert "Corn Exchange Cafe joined" in told.subject
    assert "offering 4 guaranteed interviews" in told.text_body
    page = get_page(client, f"/courses/{scene.course.id}")
    assert "You have joined Hospitality sector course, offering 4 guaranteed interviews." in page
    assert "4 of 12 places (33%)" in page
    # Answered once: the page now sends the employer back to the course.
    assert client.get(f"/courses/{scene.course.id}/invitation").status_code == 302
    _answer(client, scene.course, "decline", status=302)
    assert _place(scene.course, cafe).status is CourseEmployerStatus.JOINED


def test_an_employer_declines_and_no_longer_sees_the_course(app, scene):
    cafe = _sme(scene, "Corn Exchange Cafe")
    employer = employer_user(cafe)
    _invite(_as(app, scene.tppm), scene.course, cafe, "3", status=302)
    client = _as(app, employer)
    # Declining needs no number of interviews, whatever is typed there.
    response = _answer(client, scene.course, "decline", "", "No vacancies this spring", status=302)
    assert response.headers["Location"].endswith("/courses")
    place = _place(scene.course, cafe)
    assert place.status is CourseEmployerStatus.DECLINED
    assert place.events[-1].reason == "No vacancies this spring"
    (told,) = emails("pet_sector_answer")
    assert "declined" in told.subject and "No vacancies this spring" in told.text_body
    assert client.get(f"/courses/{scene.course.id}").status_code == 404
    assert "Hospitality sector course" not in get_page(client, "/courses")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"guaranteed_interviews": "3"}, "Select whether you will join the course"),
        ({"answer": "join", "guaranteed_interviews": ""}, "Enter the number of guaranteed"),
        ({"answer": "join", "guaranteed_interviews": "0"}, "must be 1 or more"),
        ({"answer": "join", "guaranteed_interviews": "40"}, "no more than the course’s 12"),
        ({"answer": "maybe", "guaranteed_interviews": "3"}, "Not a valid choice"),
        ({"answer": "decline", "reason": "x" * 501}, "500 characters or fewer"),
    ],
)
def test_a_wrong_answer_shows_the_form_again(app, scene, data, message):
    cafe = _sme(scene, "Corn Exchange Cafe")
    employer = employer_user(cafe)
    _invite(_as(app, scene.tppm), scene.course, cafe, "3", status=302)
    response = post_form(
        _as(app, employer), f"/courses/{scene.course.id}/invitation", data, status=200
    )
    html = response.get_data(as_text=True)
    assert "Error: Join Hospitality sector course?" in html
    assert message in _error_summary(html)
    assert _place(scene.course, cafe).status is CourseEmployerStatus.INVITED


def test_two_people_answering_at_once_change_the_invitation_once(app, scene, monkeypatch):
    from app.pet.employers import services

    cafe = _sme(scene, "Corn Exchange Cafe")
    employer = employer_user(cafe)
    _invite(_as(app, scene.tppm), scene.course, cafe, "3", status=302)
    place = _place(scene.course, cafe)
    # Someone else at the employer declines between this request's read and its write.
    real = services.compare_and_set

    def lost(model, record_id, expected, values, **kwargs):
        db.session.execute(
            update(CourseEmployer)
            .where(CourseEmployer.id == place.id)
            .values(status=CourseEmployerStatus.DECLINED)
            .execution_options(synchronize_session=False)
        )
        return real(model, record_id, expected, values, **kwargs)

    monkeypatch.setattr(services, "compare_and_set", lost)
    response = _answer(_as(app, employer), scene.course, "join", "3", status=302)
    assert response.headers["Location"].endswith(f"/courses/{scene.course.id}")
    db.session.expire_all()
    events = db.session.scalar(
        select(func.count(CourseEmployerEvent.id)).where(
            CourseEmployerEvent.course_employer_id == place.id,
            CourseEmployerEvent.action == CourseEmployerAction.JOINED,
        )
    )
    assert events == 0
    assert emails("pet_sector_answer") == []


def test_another_employer_cannot_answer_or_see_the_invitation(app, scene):
    cafe = _sme(scene, "Corn Exchange Cafe")
    _invite(_as(app, scene.tppm), scene.course, cafe, "3", status=302)
    stranger = employer_user(_sme(scene, "Stranger Cafe"))
    client = _as(app, stranger)
    assert client.get(f"/courses/{scene.course.id}/invitation").status_code == 404
    assert client.post(f"/courses/{scene.course.id}/invitation").status_code in (400, 404)
    assert _place(scene.course, cafe).status is CourseEmployerStatus.INVITED


# --- sharing the cohort ----------------------------------------------------------------------


@pytest.fixture
def three(scene):
    """Three SMEs joined, offering 2, 1 and 1 interviews, each with a user."""
    smes = {
        name: _sme(scene, name) for name in ("Corn Exchange Cafe", "Headrow Kitchen", "Kirkgate")
    }
    for (_name, organisation), interviews in zip(smes.items(), (2, 1, 1), strict=True):
        _joined(scene, organisation, interviews)
    users = {name: employer_user(organisation) for name, organisation in smes.items()}
    return smes, users


def _complete(scene, count: int, first_names=None):
    made = []
    for number in range(count):
        customer = scene.customer(
            first_name=(first_names or [f"Pat{n}" for n in range(count)])[number],
            last_name=f"Trainee{number}",
        )
        made.append(scene.trainee(TraineeStatus.STARTED, customer=customer))
    for trainee in made:
        trainee_services.complete(trainee, today(), scene.provider_user)
    db.session.flush()
    return made


def test_completers_are_allotted_to_the_employers_in_proportion_to_their_offers(app, scene, three):
    smes, _users = three
    trainees = _complete(scene, 5)
    owed = dict(
        db.session.execute(
            select(Guarantee.organisation_id, func.count(Guarantee.id)).group_by(
                Guarantee.organisation_id
            )
        ).all()
    )
    # 2 + 1 + 1 interviews for 5 completers: the fifth is owed none.
    assert owed == {
        smes["Corn Exchange Cafe"].id: 2,
        smes["Headrow Kitchen"].id: 1,
        smes["Kirkgate"].id: 1,
    }
    per_trainee = db.session.execute(
        select(Guarantee.course_referral_id, func.count(Guarantee.id)).group_by(
            Guarantee.course_referral_id
        )
    ).all()
    assert all(count == 1 for _trainee, count in per_trainee)
    assert len(per_trainee) == 4
    staff = text_of(get_page(_as(app, scene.tppm), f"/courses/{scene.course.id}/cohort"))
    assert "Guaranteed interview with" in staff
    assert staff.count("Corn Exchange Cafe") == 2 and trainees[0].customer.name in staff


def test_each_employer_sees_only_its_own_candidates_and_share(app, scene, three):
    smes, users = three
    trainees = _complete(scene, 4, ["Ann", "Ben", "Cal", "Dee"])
    allotted = {
        organisation_id: trainee_id
        for trainee_id, organisation_id in db.session.execute(
            select(Guarantee.course_referral_id, Guarantee.organisation_id)
        )
    }
    names = {trainee.id: trainee.customer.name for trainee in trainees}
    kitchen = smes["Headrow Kitchen"]
    client = _as(app, users["Headrow Kitchen"])
    html = get_page(client, f"/courses/{scene.course.id}/cohort")
    page = text_of(html)
    mine = names[allotted[kitchen.id]]
    assert mine in page
    for trainee_id, name in names.items():
        if trainee_id != allotted[kitchen.id]:
            assert name not in page, name
    assert "1 of 12 places (8%)" in page
    assert re.search(r'data-share="allotted">\s*1\s*<', html)
    assert re.search(r'data-share="others">\s*2\s*<', html)
    # The course page names none of the other employers.
    course_page = text_of(get_page(client, f"/courses/{scene.course.id}"))
    assert "Your organisation and 2 other employers" in course_page
    for other in ("Corn Exchange Cafe", "Kirkgate"):
        assert other not in course_page
    assert "Corn Exchange Cafe" not in text_of(get_page(client, "/courses"))
    # Only its own candidate's look is audited.
    assert audit_count(VIEWED_TRAINEE_AUDIT, user_id=users["Headrow Kitchen"].id) == 1


def test_an_employer_cannot_book_or_hire_another_employers_candidate(app, scene, three):
    smes, users = three
    _complete(scene, 4)
    theirs = db.session.scalar(
        select(Guarantee.course_referral_id).where(
            Guarantee.organisation_id == smes["Corn Exchange Cafe"].id
        )
    )
    client = _as(app, users["Headrow Kitchen"])
    assert client.get(f"/courses/{scene.course.id}/cohort/{theirs}/hire").status_code == 404
    response = post_form(
        client,
        f"/courses/{scene.course.id}/cohort/interviews",
        {
            "trainee_ids": [str(theirs)],
            "day": date_field(today() + dt.timedelta(days=7)),
            "time": "10am",
        },
        status=200,
    )
    assert "can no longer have an interview booked" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(JobOutcome.id))) == 0


def test_an_employer_books_and_hires_its_own_candidates(app, scene, three):
    smes, users = three
    _complete(scene, 4)
    cafe = smes["Corn Exchange Cafe"]
    mine = list(
        db.session.scalars(
            select(Guarantee.course_referral_id).where(Guarantee.organisation_id == cafe.id)
        )
    )
    client = _as(app, users["Corn Exchange Cafe"])
    post_form(
        client,
        f"/courses/{scene.course.id}/cohort/interviews",
        {
            "trainee_ids": [str(t) for t in mine],
            "day": date_field(today() + dt.timedelta(days=7)),
            "time": "10am",
        },
        status=302,
    )
    kept = db.session.scalars(select(Guarantee.outcome).where(Guarantee.organisation_id == cafe.id))
    assert [outcome.value for outcome in kept] == ["interviewed", "interviewed"]
    post_form(
        client,
        f"/courses/{scene.course.id}/cohort/{mine[0]}/hire",
        {"start_date": date_field(today()), "hours_per_week": "30", "hourly_pay": "13.00"},
        status=302,
    )
    outcome = db.session.scalar(select(JobOutcome))
    assert outcome.organisation_id == cafe.id and outcome.course_referral_id == mine[0]


def test_an_employer_joining_late_is_allotted_the_completers_waiting(app, scene):
    cafe = _sme(scene, "Corn Exchange Cafe")
    employer = employer_user(cafe)
    _complete(scene, 3)
    assert db.session.scalar(select(func.count(Guarantee.id))) == 0  # nobody had joined
    _invite(_as(app, scene.tppm), scene.course, cafe, "2", status=302)
    _answer(_as(app, employer), scene.course, "join", "2", status=302)
    assert (
        db.session.scalar(
            select(func.count(Guarantee.id)).where(Guarantee.organisation_id == cafe.id)
        )
        == 2
    )


def test_the_provider_and_staff_see_one_course_with_every_employer(app, scene, three):
    declined = _sme(scene, "Declined Diner")
    db.session.add(
        CourseEmployer(
            course_id=scene.course.id,
            organisation_id=declined.id,
            status=CourseEmployerStatus.DECLINED,
            guaranteed_interviews=2,
        )
    )
    db.session.flush()
    provider = _as(app, scene.provider_user)
    listed = get_page(provider, "/courses")
    assert listed.count(f'href="/courses/{scene.course.id}"') == 1
    row = text_of(listed)
    assert "Corn Exchange Cafe, Headrow Kitchen, Kirkgate" in row and "Declined Diner" not in row
    page = text_of(get_page(_as(app, scene.tppm), f"/courses/{scene.course.id}"))
    assert "3 employers have joined." in page
    assert "Guaranteed interviews offered: 4, for the course’s 12 places." in page
    assert "Declined Diner" in page  # staff see who declined


# --- bounded queries -------------------------------------------------------------------------


def test_the_invitation_page_queries_do_not_grow_with_employers(app, scene):
    client = _as(app, scene.tppm)

    def queries() -> int:
        with count_queries() as statements:
            get_page(client, f"/courses/{scene.course.id}/invitations")
        return len(statements)

    for number in range(2):
        _joined(scene, _sme(scene, f"Joined {number}"), 1)
        _sme(scene, f"Waiting {number}")
    few = queries()
    for number in range(2, 12):
        _joined(scene, _sme(scene, f"Joined {number}"), 1)
        _sme(scene, f"Waiting {number}")
    assert queries() == few


@pytest.mark.parametrize("viewer", ["tppm", "employer", "provider"])
def test_the_sector_course_page_queries_do_not_grow_with_employers(app, scene, viewer):
    DeliveryPlanFactory(course=scene.course)
    mine = _sme(scene, "Mine")
    _joined(scene, mine, 1)
    users = {
        "tppm": scene.tppm,
        "employer": employer_user(mine),
        "provider": ProviderUserFactory(provider=scene.provider),
    }
    client = _as(app, users[viewer])

    def queries() -> int:
        with count_queries() as statements:
            get_page(client, f"/courses/{scene.course.id}")
        return len(statements)

    _joined(scene, _sme(scene, "Other 0"), 1)
    few = queries()
    for number in range(1, 9):
        _joined(scene, _sme(scene, f"Other {number}"), 1)
    assert queries() == few


def test_the_sector_cohort_queries_do_not_grow_with_completers(app, scene, three):
    _smes, users = three
    client = _as(app, users["Corn Exchange Cafe"])
    _complete(scene, 2)

    def queries() -> int:
        with count_queries() as statements:
            get_page(client, f"/courses/{scene.course.id}/cohort")
        return len(statements)

    few = queries()
    for place in db.session.scalars(select(CourseEmployer)):
        place.guaranteed_interviews = 6
    _complete(scene, 8)
    assert queries() == few
