"""The account page: tabs as full pages and HTMX blocks, district isolation, the contact
log and next actions, handover, assisted digital, and flat query counts per tab."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app import clock
from app.accounts.models import ContactChange, ContactLogEntry, NextAction
from app.accounts.queries import timeline
from app.accounts.services import done_for_you, record_assisted
from app.agreements.services import today
from app.auth.models import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.account_factories import account, branch_of, contact_entry, staff_in, start_at
from tests.factories import DistrictFactory
from tests.helpers import check_html, count_queries, get_page, post_form, sign_in
from tests.referral_factories import live_vacancy, referral

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

TABS = [
    ("", "Kirkgate Bakery"),
    ("/sites", "Sites"),
    ("/employer-users", "Employer users"),
    ("/vacancies", "Vacancies"),
    ("/referrals", "Referrals and candidates"),
    ("/pet-courses", "PET courses"),
    ("/job-outcomes", "Job outcomes"),
    ("/contact-log", "Contact log"),
    ("/timeline", "Timeline"),
]


@pytest.fixture
def desk():
    district = DistrictFactory(name="West Yorkshire")
    dam = staff_in(district, Role.DAM, name="Dana Adams")
    organisation = account(dam, name="Kirkgate Bakery")
    return {"district": district, "dam": dam, "organisation": organisation}


@pytest.mark.parametrize(("suffix", "title"), TABS)
def test_each_tab_is_a_full_page_and_an_htmx_block(client, desk, suffix, title):
    sign_in(client, desk["dam"])
    url = f"/accounts/{desk['organisation'].id}{suffix}"
    html = get_page(client, url, title=title)
    assert 'id="account-tabs"' in html and 'aria-current="page"' in html
    block = client.get(url, headers={"HX-Request": "true"})
    assert block.status_code == 200
    fragment = block.get_data(as_text=True)
    assert fragment.lstrip().startswith('<div class="govuk-tabs" id="account-tabs"')
    assert "<html" not in fragment and "<h1" not in fragment
    assert f'href="{url}" data-hx-get="{url}"' in fragment


def test_staff_of_another_district_get_404_but_coordinators_and_admins_see_it(client, desk):
    url = f"/accounts/{desk['organisation'].id}"
    elsewhere = DistrictFactory()
    for role in (Role.DAM, Role.LMRA, Role.ADVISER):
        sign_in(client, staff_in(elsewhere, role))
        get_page(client, url, status=404)
        get_page(client, url + "/contact-log", status=404)
    for role in (Role.COORDINATOR, Role.ADMIN):
        sign_in(client, staff_in(elsewhere, role))
        get_page(client, url)


def test_the_national_account_manager_sees_branches_in_other_districts(client, desk):
    branch = branch_of(desk["organisation"], district=DistrictFactory())
    sign_in(client, desk["dam"])
    get_page(client, f"/accounts/{branch.id}", title=branch.name)


def test_summary_shows_the_contact_agreement_progress_and_people(client, desk):
    from tests.referral_factories import active_agreement

    organisation = desk["organisation"]
    agreement = active_agreement(organisation, since=today() - dt.timedelta(days=30))
    from app.agreements.models import AgreedMeasure, AgreementVersion, Channel, Measure

    version = AgreementVersion(
        agreement_id=agreement.id,
        number=1,
        taken_by_id=desk["dam"].id,
        agreed_on=agreement.started_on,
        channel=Channel.PHONE,
        priority_groups=[1, 2],
    )
    db.session.add(version)
    db.session.flush()
    db.session.add_all(
        [
            AgreedMeasure(version_id=version.id, measure=Measure.WORK_TRIALS, places=5),
            AgreedMeasure(version_id=version.id, measure=Measure.GUARANTEED_INTERVIEWS),
        ]
    )
    vacancy = live_vacancy(organisation)
    referral(vacancy, work_trial_start=today())
    referral(
        vacancy,
        guaranteed_interview=True,
        interview_at=clock.now() - dt.timedelta(days=1),
    )
    referral(vacancy, guaranteed_interview=True)
    sign_in(client, desk["dam"])
    html = get_page(client, f"/accounts/{organisation.id}")
    assert "Dana Adams" in html
    assert "5 places" in html and "1 used" in html
    assert "1 held of 2 promised" in html
    assert organisation.memberships[0].user.email in html


def test_logging_a_visit_with_a_next_action(client, desk):
    organisation, dam = desk["organisation"], desk["dam"]
    lmra = staff_in(desk["district"], Role.LMRA, name="Lee Marsh")
    sign_in(client, dam)
    url = f"/accounts/{organisation.id}/contact-log"
    html = get_page(client, url, title="Contact log")
    assert f'value="{lmra.id}"' in html
    due = today() + dt.timedelta(days=3)
    response = post_form(
        client,
        url,
        {
            "kind": "visit",
            "occurred_on": [str(today().day), str(today().month), str(today().year)],
            "people_met": "Pat Jones",
            "summary": "Walked the new store.",
            "next_action": "Send vacancy templates",
            "next_action_owner": str(lmra.id),
            "next_action_due": [str(due.day), str(due.month), str(due.year)],
        },
        status=302,
    )
    assert response.headers["Location"] == url
    entry = db.session.scalar(
        select(ContactLogEntry).where(ContactLogEntry.organisation_id == organisation.id)
    )
    assert (entry.kind.value, entry.staff_id, entry.people_met) == ("visit", dam.id, "Pat Jones")
    action = db.session.scalar(
        select(NextAction).where(NextAction.contact_log_entry_id == entry.id)
    )
    assert (action.owner_id, action.due_on, action.description) == (
        lmra.id,
        due,
        "Send vacancy templates",
    )
    html = get_page(client, url)
    assert "Walked the new store." in html and "Send vacancy templates" in html
    # It is on its owner's home page.
    home = get_page(sign_in(client, lmra), "/")
    assert "Send vacancy templates" in home and 'data-testid="overdue"' not in home


def test_a_next_action_without_a_date_says_what_to_fix(client, desk):
    sign_in(client, desk["dam"])
    response = post_form(
        client,
        f"/accounts/{desk['organisation'].id}/contact-log",
        {
            "kind": "call",
            "occurred_on": ["1", "2", "2026"],
            "summary": "Rang",
            "next_action": "Call back",
        },
        status=200,
    )
    html = response.get_data(as_text=True)
    check_html(html)
    assert "Error:" in html and "Enter when the next action is due" in html
    assert db.session.scalar(select(ContactLogEntry)) is None


def test_overdue_next_actions_are_flagged_on_the_home_page_and_can_be_marked_done(client, desk):
    organisation, dam = desk["organisation"], desk["dam"]
    _, late = contact_entry(organisation, dam, next_action=True, due=today() - dt.timedelta(days=1))
    sign_in(client, dam)
    home = get_page(client, "/")
    assert 'data-testid="overdue"' in home and "1 next action is overdue" in home
    post_form(client, f"/accounts/{organisation.id}/next-actions/{late.id}/done", {}, status=302)
    assert late.done_at is not None
    assert 'data-testid="overdue"' not in get_page(client, "/")
    other = account(staff_in(DistrictFactory()))
    post_form(client, f"/accounts/{other.id}/next-actions/{late.id}/done", {}, status=404)


def test_handover_moves_open_actions_queues_the_email_and_shows_the_new_contact(client, app, desk):
    organisation, dam = desk["organisation"], desk["dam"]
    new = staff_in(
        desk["district"],
        Role.DAM,
        name="Nia Patel",
        email="nia.patel@dwp.example",
        phone="0113 496 0123",
    )
    _, open_action = contact_entry(organisation, dam, next_action=True)
    _, done_action = contact_entry(organisation, dam, next_action=True)
    done_action.done_at = clock.now()
    db.session.flush()
    sign_in(client, dam)
    post_form(
        client,
        f"/accounts/{organisation.id}/change-contact",
        {"contact": str(new.id), "reason": "Moving to the national accounts team"},
        status=302,
    )
    assert organisation.contact_id == new.id
    assert open_action.owner_id == new.id and done_action.owner_id == dam.id
    change = db.session.scalar(
        select(ContactChange).where(ContactChange.organisation_id == organisation.id)
    )
    assert (change.from_contact_id, change.to_contact_id, change.changed_by_id) == (
        dam.id,
        new.id,
        dam.id,
    )
    email = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "account_handover"))
    owner = organisation.memberships[0].user
    assert email.recipient == owner.email
    for detail in ("Nia Patel", "nia.patel@dwp.example", "0113 496 0123"):
        assert detail in email.text_body
    home = get_page(sign_in(app.test_client(), owner), "/")
    assert "Nia Patel" in home and "Dana Adams" not in home


def test_assisted_changes_are_recorded_and_looked_up_in_one_query(desk):
    organisation, dam = desk["organisation"], desk["dam"]
    vacancies = [live_vacancy(organisation) for _ in range(3)]
    record_assisted(organisation, dam, "phone", "vacancy", vacancies[0].id, "Posted by phone")
    record_assisted(organisation, dam, "visit", "vacancy", vacancies[1].id, "Edited")
    db.session.flush()
    with count_queries() as statements:
        found = done_for_you("vacancy", [v.id for v in vacancies])
    assert len(statements) == 1
    assert found == {
        vacancies[0].id: ("Dana Adams", "phone"),
        vacancies[1].id: ("Dana Adams", "visit"),
    }
    assert done_for_you("outcome", [v.id for v in vacancies]) == {}
    with pytest.raises(ValueError):
        record_assisted(organisation, dam, "pigeon", "vacancy", vacancies[2].id)
    events = timeline([organisation.id])
    assert any(event.kind == "assisted:phone" for event in events)


def test_the_vacancies_tab_says_done_for_you_by_whom_and_how(client, desk):
    organisation, dam = desk["organisation"], desk["dam"]
    vacancy = live_vacancy(organisation)
    record_assisted(organisation, dam, "phone", "vacancy", vacancy.id, "Taken by phone")
    sign_in(client, dam)
    html = get_page(client, f"/accounts/{organisation.id}/vacancies")
    assert "done for you by Dana Adams, by phone" in html


def test_the_act_for_employer_page_links_only_to_forms_open_to_staff(client, desk):
    organisation = desk["organisation"]
    vacancy = live_vacancy(organisation)
    sign_in(client, staff_in(desk["district"], Role.LMRA))
    url = f"/accounts/{organisation.id}/act-for-employer"
    html = get_page(client, url, title="Act for this employer")
    assert 'data-testid="assisted-links"' not in html
    html = get_page(client, url + "?channel=phone")
    assert f"/vacancies/{vacancy.id}/edit?for_employer={organisation.id}&amp;channel=phone" in html


def test_the_timeline_lists_everything_newest_first(client, desk):
    organisation, dam = desk["organisation"], desk["dam"]
    contact_entry(organisation, dam, on=today() - dt.timedelta(days=20))
    start_at(organisation, today() - dt.timedelta(days=5))
    sign_in(client, dam)
    html = get_page(client, f"/accounts/{organisation.id}/timeline")
    assert html.index("Person started") < html.index("Visit")


def tab_queries(client, url: str) -> int:
    with count_queries() as statements:
        get_page(client, url)
    return len(statements)


@pytest.mark.parametrize(("suffix", "title"), TABS)
def test_each_tab_runs_the_same_number_of_queries_for_3_and_30_records(client, desk, suffix, title):
    organisation, dam = desk["organisation"], desk["dam"]
    head_branches = []

    def add(n):
        for _ in range(n):
            vacancy = live_vacancy(organisation)
            referral(vacancy)
            start_at(organisation, today() - dt.timedelta(days=3))
            contact_entry(organisation, staff_in(DistrictFactory()), next_action=True)
            head_branches.append(branch_of(organisation, district=DistrictFactory()))

    add(3)
    sign_in(client, dam)
    url = f"/accounts/{organisation.id}{suffix}"
    few = tab_queries(client, url)
    add(27)
    assert tab_queries(client, url) == few


def test_the_pet_courses_tab_lists_the_employers_courses(client, desk):
    from tests.pet_factories import CourseFactory

    course = CourseFactory(employers=[desk["organisation"]], district=desk["district"])
    CourseFactory(employers=[account()], title="Someone else's course")
    sign_in(client, desk["dam"])
    html = get_page(client, f"/accounts/{desk['organisation'].id}/pet-courses")
    assert course.title in html and "Someone else's course" not in html


def test_the_summary_links_the_agreement_only_for_those_who_may_open_it(client, desk):
    """A coordinator may open any account but only its own district's agreements: another
    district's account summary must not link to a page that answers 404."""
    from app.agreements.models import AgreementVersion, Channel
    from tests.referral_factories import active_agreement

    organisation = desk["organisation"]
    agreement = active_agreement(organisation, since=today() - dt.timedelta(days=30))
    db.session.add(
        AgreementVersion(
            agreement_id=agreement.id,
            number=1,
            taken_by_id=desk["dam"].id,
            agreed_on=agreement.started_on,
            channel=Channel.PHONE,
            priority_groups=[1, 2],
        )
    )
    link = f'href="/accounts/{organisation.id}/agreement"'
    for user, linked in (
        (staff_in(desk["district"], Role.COORDINATOR), True),
        (staff_in(DistrictFactory(), Role.COORDINATOR), False),
        (staff_in(DistrictFactory(), Role.ADMIN), True),
    ):
        sign_in(client, user)
        assert (link in get_page(client, f"/accounts/{organisation.id}")) is linked
        get_page(client, f"/accounts/{organisation.id}/agreement", status=200 if linked else 404)
