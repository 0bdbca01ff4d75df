"""Staff accounts: invitations (web and command line), demo data, and changing an account's
single point of contact."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.accounts.models import ContactChange, Organisation
from app.auth.models import STAFF_ROLES, Role, User
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import (
    DistrictFactory,
    OfficeFactory,
    OrganisationFactory,
    StaffFactory,
    employer_user,
)
from tests.helpers import check_html, count_queries, get_page, page_title, post_form, sign_in

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

NEW_PASSWORD = "gravel teapot orbit"


def outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def user_with_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email))


def invitation_link(message: OutboxMessage) -> str:
    match = re.search(r"http://localhost(/accept-invitation/[A-Za-z0-9_.\-]+)", message.text_body)
    assert match, message.text_body
    return match.group(1)


@pytest.fixture
def admin() -> User:
    return StaffFactory(role=Role.ADMIN, name="Alex Morgan")


@pytest.fixture
def office():
    return OfficeFactory(name="Leeds City", district=DistrictFactory(name="West Yorkshire"))


def invitation(at_office, **changes: str) -> dict[str, str]:
    data = {
        "name": "Priya Shah",
        "email": "Priya.Shah@DWP.example",
        "phone": "0113 496 0001",
        "role": "lmra",
        "office": str(at_office.id),
    }
    data.update(changes)
    return data


# Inviting staff on the web


def test_the_invitation_form_lists_every_staff_role_and_office(client, admin, office):
    html = get_page(sign_in(client, admin), "/admin/staff/invite", title="Invite a staff member")
    for role in STAFF_ROLES:
        assert f'value="{role.value}"' in html
    assert 'value="employer"' not in html
    assert f'value="{office.id}"' in html and "Leeds City (West Yorkshire)" in html


@pytest.mark.parametrize("role", [role.value for role in STAFF_ROLES])
def test_admin_invites_staff_with_a_role_office_and_district_and_no_password(
    client, admin, office, role
):
    response = post_form(
        sign_in(client, admin), "/admin/staff/invite", invitation(office, role=role), status=302
    )

    assert response.headers["Location"] == "/admin/staff"
    person = user_with_email("priya.shah@dwp.example")
    assert (person.name, person.phone, person.role) == ("Priya Shah", "0113 496 0001", Role(role))
    assert (person.office_id, person.district_id) == (office.id, office.district_id)
    assert person.password_hash is None
    assert person.email_verified_at is None
    assert person.membership is None
    [message] = outbox("staff_invitation")
    assert message.recipient == "priya.shah@dwp.example"
    assert "Priya Shah" in message.text_body
    invitation_link(message)
    html = get_page(client, "/admin/staff", title="Staff accounts")
    assert "We have emailed an invitation to priya.shah@dwp.example." in html
    assert "Invited" in html


@pytest.mark.parametrize(
    "email", ["priya.shah@dwp.example", "PRIYA.SHAH@dwp.example", " Priya.Shah@DWP.example "]
)
def test_inviting_an_email_that_already_has_an_account_is_refused_on_the_field(
    client, admin, office, email
):
    StaffFactory(email="priya.shah@dwp.example")
    people_before = db.session.scalar(select(func.count()).select_from(User))

    response = post_form(
        sign_in(client, admin), "/admin/staff/invite", invitation(office, email=email), status=200
    )

    html = response.get_data(as_text=True)
    check_html(html)
    assert page_title(html).startswith("Error: Invite a staff member")
    assert 'class="govuk-error-summary"' in html
    assert 'href="#email">There is already an account with this email address' in html
    assert 'value="Priya Shah"' in html  # the rest of the answers are kept
    assert db.session.scalar(select(func.count()).select_from(User)) == people_before
    assert outbox("staff_invitation") == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter the person’s full name"),
        ({"email": ""}, "Enter an email address"),
        ({"email": "not-an-email"}, "Enter an email address in the correct format"),
        ({"role": ""}, "Select a role"),
        ({"role": "employer"}, "Not a valid choice"),
        ({"office": ""}, "Select an office"),
        ({"office": "00000000-0000-0000-0000-000000000000"}, "Not a valid choice"),
        ({"office": "not-a-uuid"}, "Not a valid choice"),
    ],
)
def test_an_invitation_with_a_bad_answer_says_what_to_fix(client, admin, office, changes, message):
    response = post_form(
        sign_in(client, admin), "/admin/staff/invite", invitation(office, **changes), status=200
    )
    html = response.get_data(as_text=True)
    assert page_title(html).startswith("Error: Invite a staff member")
    assert message in html
    assert user_with_email("priya.shah@dwp.example") is None


def test_the_invitation_link_sets_the_password_once_and_the_person_can_sign_in(
    client, app, admin, office
):
    post_form(sign_in(client, admin), "/admin/staff/invite", invitation(office), status=302)
    link = invitation_link(outbox("staff_invitation")[0])
    newcomer = app.test_client()

    html = get_page(newcomer, link, title="Set your password")
    assert "priya.shah@dwp.example" in html
    response = post_form(
        newcomer, link, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, status=302
    )
    assert response.headers["Location"] == "/sign-in"

    person = user_with_email("priya.shah@dwp.example")
    assert person.check_password(NEW_PASSWORD)
    assert person.email_verified_at is not None
    get_page(newcomer, link, status=400, title="This link has expired or has already been used")
    signed_in = post_form(
        newcomer, "/sign-in", {"email": "priya.shah@dwp.example", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in.headers["Location"] == "/"
    assert newcomer.get("/accounts").status_code == 200  # a staff page opens
    assert "Active" in get_page(client, "/admin/staff")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("password123", "This password is too common"),
        ("short", "Password must be 10 characters or more"),
        ("xx priya.shah yy", "Password must not contain your name or email address"),
        ("Priya Shah 2009!", "Password must not contain your name or email address"),
    ],
)
def test_an_invitation_refuses_a_weak_password_and_stays_usable(
    client, admin, office, password, message
):
    post_form(sign_in(client, admin), "/admin/staff/invite", invitation(office), status=302)
    link = invitation_link(outbox("staff_invitation")[0])
    newcomer = client.application.test_client()

    html = post_form(
        newcomer, link, {"password": password, "confirm_password": password}, status=200
    ).get_data(as_text=True)

    assert page_title(html).startswith("Error: Set your password")
    assert message in html
    assert user_with_email("priya.shah@dwp.example").password_hash is None
    get_page(newcomer, link, title="Set your password")


def test_an_expired_invitation_link_fails(client, app, admin, office, monkeypatch):
    post_form(sign_in(client, admin), "/admin/staff/invite", invitation(office), status=302)
    link = invitation_link(outbox("staff_invitation")[0])
    monkeypatch.setitem(app.config, "INVITATION_TOKEN_MAX_AGE", -1)

    get_page(app.test_client(), link, status=400)
    assert user_with_email("priya.shah@dwp.example").password_hash is None


# Inviting staff from the command line


def create_staff(app, *args: str):
    return app.test_cli_runner().invoke(args=["users", "create-staff", *args])


def test_create_staff_command_creates_and_invites(app, office):
    result = create_staff(
        app,
        "--email",
        "Rhys.Evans@DWP.example",
        "--name",
        "Rhys Evans",
        "--role",
        "dam",
        "--office",
        "Leeds City",
        "--phone",
        "029 2018 0002",
    )

    assert result.exit_code == 0, result.output
    assert "Invited Rhys Evans <rhys.evans@dwp.example> as dam" in result.output
    person = user_with_email("rhys.evans@dwp.example")
    assert (person.role, person.office_id, person.district_id, person.phone) == (
        Role.DAM,
        office.id,
        office.district_id,
        "029 2018 0002",
    )
    assert person.password_hash is None
    [message] = outbox("staff_invitation")
    assert message.recipient == "rhys.evans@dwp.example"
    assert invitation_link(message).startswith("/accept-invitation/")


def test_create_staff_command_refuses_an_unknown_office(app, office):
    result = create_staff(
        app, "--email", "a@dwp.example", "--name", "A B", "--role", "lmra", "--office", "Atlantis"
    )
    assert result.exit_code == 1
    assert "No office is called 'Atlantis'" in result.output
    assert user_with_email("a@dwp.example") is None
    assert outbox("staff_invitation") == []


def test_create_staff_command_refuses_an_email_that_already_has_an_account(app, office):
    StaffFactory(email="taken@dwp.example", name="First Holder")
    result = create_staff(
        app,
        "--email",
        "Taken@DWP.example",
        "--name",
        "Second",
        "--role",
        "lmra",
        "--office",
        "Leeds City",
    )
    assert result.exit_code == 1
    assert "There is already an account for Taken@DWP.example" in result.output
    assert user_with_email("taken@dwp.example").name == "First Holder"
    assert outbox("staff_invitation") == []


@pytest.mark.parametrize("role", ["employer", "superuser"])
def test_create_staff_command_accepts_only_staff_roles(app, office, role):
    result = create_staff(
        app, "--email", "a@dwp.example", "--name", "A B", "--role", role, "--office", "Leeds City"
    )
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output
    assert user_with_email("a@dwp.example") is None


# Demonstration data


def row_counts() -> dict[str, int]:
    with db.session.no_autoflush:
        return {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }


def test_demo_seed_run_twice_creates_nothing_twice_and_prints_the_logins(app):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo", "seed"])
    after_first = row_counts()
    second = runner.invoke(args=["demo", "seed"])

    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert row_counts() == after_first
    assert after_first["user_account"] > 0 and after_first["organisation"] > 0
    assert "Demo logins (password for all: demo-portal-password)" in first.output
    emails = re.findall(r"^\s+(\S+@\S+)\s", first.output, re.MULTILINE)
    assert len(emails) == after_first["user_account"]  # every login is printed
    assert re.findall(r"^\s+(\S+@\S+)\s", second.output, re.MULTILINE) == emails
    for role in Role:
        assert db.session.scalar(select(User).where(User.role == role)) is not None, role
    for email in emails:
        person = user_with_email(email)
        assert person.check_password("demo-portal-password")
        assert person.email_verified_at is not None
    assert (
        db.session.scalar(
            select(func.count()).select_from(Organisation).where(Organisation.contact_id.is_(None))
        )
        == 0
    )


def test_demo_logins_can_sign_in(app, client):
    app.test_cli_runner().invoke(args=["demo", "seed"])
    response = post_form(
        client,
        "/sign-in",
        {"email": "admin@demo.lep.example", "password": "demo-portal-password"},
    )
    assert response.status_code == 302
    get_page(client, "/admin/staff", title="Staff accounts")


# Changing an account's single point of contact


@pytest.fixture
def account():
    district = DistrictFactory(name="West Yorkshire")
    office = OfficeFactory(district=district)
    old = StaffFactory(role=Role.LMRA, name="Old Contact", office=office)
    new = StaffFactory(
        role=Role.LMRA,
        name="New Contact",
        email="new.contact@dwp.example",
        phone="0113 496 0999",
        office=office,
    )
    organisation = OrganisationFactory(district=district, contact=old, name="Kirkgate Bakery")
    owner = employer_user(organisation)
    return {"organisation": organisation, "old": old, "new": new, "owner": owner}


@pytest.mark.parametrize("role", [Role.DAM, Role.ADMIN])
def test_dam_and_admin_can_change_the_single_point_of_contact(client, app, account, role):
    organisation, old, new = account["organisation"], account["old"], account["new"]
    # Staff see the accounts of their own district (admins every district's).
    changer = StaffFactory(role=role, office=old.office, district=organisation.district)
    sign_in(client, changer)
    url = f"/accounts/{organisation.id}/change-contact"
    html = get_page(client, url, title="Change the single point of contact")
    assert f'value="{new.id}"' in html
    assert f'value="{old.id}"' not in html  # the current contact is not offered

    response = post_form(
        client, url, {"contact": str(new.id), "reason": "Old Contact has moved office"}, status=302
    )

    assert response.headers["Location"] == f"/accounts/{organisation.id}"
    assert organisation.contact_id == new.id
    change = db.session.scalar(
        select(ContactChange)
        .where(ContactChange.organisation_id == organisation.id)
        .order_by(ContactChange.changed_at.desc())
    )
    assert (change.from_contact_id, change.to_contact_id, change.changed_by_id) == (
        old.id,
        new.id,
        changer.id,
    )
    assert change.reason == "Old Contact has moved office"
    assert "New Contact is now the single point of contact." in get_page(
        client, response.headers["Location"]
    )

    employer = sign_in(app.test_client(), account["owner"])
    home = get_page(employer, "/")
    assert "New Contact" in home
    assert "new.contact@dwp.example" in home
    assert "0113 496 0999" in home
    assert "Old Contact" not in home


def test_an_lmra_cannot_change_the_single_point_of_contact(client, account):
    organisation, old, new = account["organisation"], account["old"], account["new"]
    sign_in(client, StaffFactory(role=Role.LMRA))
    url = f"/accounts/{organisation.id}/change-contact"

    get_page(client, url, status=403)
    post_form(client, url, {"contact": str(new.id), "reason": "Taking it over"}, status=403)

    assert organisation.contact_id == old.id
    assert (
        db.session.scalar(
            select(func.count())
            .select_from(ContactChange)
            .where(ContactChange.changed_by_id.is_not(None))
        )
        == 0
    )


def test_the_change_link_is_shown_only_to_those_who_may_change_the_contact(client, account):
    organisation = account["organisation"]
    change_link = "/change-contact"
    district = organisation.district
    for role, shown in [(Role.LMRA, False), (Role.DAM, True), (Role.ADMIN, True)]:
        person = StaffFactory(role=role, office=account["old"].office, district=district)
        html = get_page(sign_in(client, person), f"/accounts/{organisation.id}")
        assert (change_link in html) is shown, role


@pytest.mark.parametrize(
    ("contact", "reason", "message"),
    [
        ("new", "", "Enter the reason for the change"),
        ("", "A reason", "Select a person"),
        ("old", "A reason", "Not a valid choice"),  # already the contact
        ("coordinator", "A reason", "Not a valid choice"),  # not a DAM or LMRA
        ("inactive", "A reason", "Not a valid choice"),
        ("00000000-0000-0000-0000-000000000000", "A reason", "Not a valid choice"),
    ],
)
def test_a_bad_contact_change_says_what_to_fix_and_changes_nothing(
    client, account, contact, reason, message
):
    organisation, old = account["organisation"], account["old"]
    people = {
        "new": account["new"],
        "old": old,
        "coordinator": StaffFactory(role=Role.COORDINATOR),
        "inactive": StaffFactory(role=Role.LMRA, active=False),
    }
    value = str(people[contact].id) if contact in people else contact
    sign_in(client, StaffFactory(role=Role.DAM, office=old.office, district=organisation.district))

    response = post_form(
        client,
        f"/accounts/{organisation.id}/change-contact",
        {"contact": value, "reason": reason},
        status=200,
    )

    html = response.get_data(as_text=True)
    assert page_title(html).startswith("Error: Change the single point of contact")
    assert message in html
    assert organisation.contact_id == old.id


def test_changing_the_contact_of_an_unknown_account_is_404(client):
    sign_in(client, StaffFactory(role=Role.DAM))
    get_page(client, "/accounts/00000000-0000-0000-0000-000000000000/change-contact", status=404)


# The staff list


def staff_page_queries(client) -> int:
    with count_queries() as statements:
        get_page(client, "/admin/staff", title="Staff accounts")
    return len(statements)


def test_the_staff_list_runs_the_same_number_of_queries_for_3_and_30_staff(client, admin):
    # Each person in their own office and district, so lazy loading would show.
    StaffFactory.create_batch(2)
    sign_in(client, admin)
    few = staff_page_queries(client)

    people = StaffFactory.create_batch(27)
    many = staff_page_queries(client)

    assert many == few
    html = get_page(client, "/admin/staff")
    for person in people[:3]:
        assert person.name in html and person.office.name in html


def test_the_staff_list_leaves_out_employers(client, admin):
    employer = employer_user(name="Employer Person")
    html = get_page(sign_in(client, admin), "/admin/staff")
    assert employer.name not in html
    assert admin.name in html
