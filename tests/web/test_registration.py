"""Registering an organisation, confirming the email address, and the links that do it."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from app.accounts.models import (
    ContactChange,
    MembershipRole,
    Organisation,
    Ownership,
    Site,
    SizeBand,
)
from app.auth import models as auth_models
from app.auth.models import Role, User
from app.auth.tokens import make_token
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import (
    PASSWORD,
    DistrictFactory,
    OfficeFactory,
    OrganisationFactory,
    StaffFactory,
    UserFactory,
)
from tests.helpers import check_html, get_page, page_title, post_form, without_tokens

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

NEW_PASSWORD = "gravel teapot orbit"


def registration(**changes: str) -> dict[str, str]:
    data = {
        "organisation_name": "Kirkgate Bakery",
        "size_band": "sme",
        "sector": "hospitality",
        "ownership": "private",
        "site_name": "Kirkgate shop",
        "address_line_1": "12 Kirkgate",
        "town": "Leeds",
        "postcode": "ls2  7dj",
        "contact_name": "Jo Fletcher",
        "phone": "0113 496 0123",
        "email": "Jo.Fletcher@Example.org",
        "password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    data.update(changes)
    return data


def messages(kind: str | None = None) -> list[OutboxMessage]:
    statement = select(OutboxMessage).order_by(OutboxMessage.created_at)
    if kind is not None:
        statement = statement.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(statement))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def link_in(message: OutboxMessage, path: str) -> str:
    match = re.search(rf"http://localhost(/{path}/[A-Za-z0-9_.\-]+)", message.text_body)
    assert match, message.text_body
    return match.group(1)


def staff_with_accounts(district, role: Role, name: str, accounts: int) -> User:
    person = StaffFactory(role=role, name=name, office=OfficeFactory(district=district))
    for _ in range(accounts):
        OrganisationFactory(district=district, contact=person)
    return person


@pytest.fixture
def district():
    return DistrictFactory(name="West Yorkshire", postcode_areas="LS BD WF")


def register(client, **changes: str):
    return post_form(client, "/register", registration(**changes))


def test_registration_page_renders_with_its_form(client):
    html = get_page(client, "/register", title="Register your organisation")
    for field in ("organisation_name", "size_band", "postcode", "email", "confirm_password"):
        assert f'name="{field}"' in html


def test_registering_creates_the_organisation_its_owner_and_its_first_site(client, district):
    response = register(client)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/register/check-your-email")
    organisation = db.session.scalar(select(Organisation))
    assert (organisation.name, organisation.size_band, organisation.sector) == (
        "Kirkgate Bakery",
        SizeBand.SME,
        "hospitality",
    )
    assert organisation.ownership is Ownership.PRIVATE
    assert organisation.district_id == district.id
    [site] = organisation.sites
    assert (site.name, site.address_line_1, site.town, site.postcode) == (
        "Kirkgate shop",
        "12 Kirkgate",
        "Leeds",
        "LS2 7DJ",
    )
    [membership] = organisation.memberships
    owner = membership.user
    assert membership.role is MembershipRole.OWNER
    assert owner.email == "jo.fletcher@example.org"  # stored normalised
    assert (owner.name, owner.phone, owner.role) == ("Jo Fletcher", "0113 496 0123", Role.EMPLOYER)
    assert owner.check_password(NEW_PASSWORD)
    assert owner.password_hash != NEW_PASSWORD
    assert owner.email_verified_at is None


def test_a_workplace_without_a_name_takes_the_organisations_name(client, district):
    register(client, site_name="")
    assert db.session.scalar(select(Site.name)) == "Kirkgate Bakery"


@pytest.mark.parametrize(
    ("postcode", "district_name"),
    [
        ("BD1 1AA", "Bradford and Leeds"),
        ("wf11qx", "Bradford and Leeds"),
        ("LS1 4AP", "Bradford and Leeds"),
        ("S1 2HH", "Sheffield"),  # "S" is inside "LS", but it is a different area
        ("M1 1AE", "Manchester"),
        ("G5 0PW", "Glasgow"),
    ],
)
def test_the_district_is_the_one_serving_the_postcode_area(client, postcode, district_name):
    for name, areas in [
        ("Bradford and Leeds", "LS BD WF"),
        ("Glasgow", "G PA"),
        ("Manchester", "M OL"),
        ("Sheffield", "S DN"),
    ]:
        DistrictFactory(name=name, postcode_areas=areas)

    assert register(client, postcode=postcode).status_code == 302

    organisation = db.session.scalar(select(Organisation))
    assert organisation.district.name == district_name


@pytest.mark.parametrize("postcode", ["B1 1AA", "D1 1AA", "L1 8JQ", "BT1 1AA"])
def test_a_postcode_area_that_is_only_part_of_a_served_area_is_not_served(client, postcode):
    DistrictFactory(name="Bradford and Leeds", postcode_areas="LS BD WF")
    response = register(client, postcode=postcode)
    assert response.status_code == 200
    assert "Enter a full postcode in England, Scotland or Wales" in response.text
    assert count(Organisation) == 0


def test_an_sme_gets_the_lmra_with_fewest_accounts_in_its_district(client, district):
    staff_with_accounts(district, Role.LMRA, "Busy Lmra", 3)
    free = staff_with_accounts(district, Role.LMRA, "Free Lmra", 1)
    staff_with_accounts(district, Role.DAM, "Idle Dam", 0)
    elsewhere = DistrictFactory(name="Elsewhere", postcode_areas="M")
    staff_with_accounts(elsewhere, Role.LMRA, "Idle Lmra Elsewhere", 0)

    register(client, size_band="sme")

    organisation = db.session.scalar(
        select(Organisation).where(Organisation.name == "Kirkgate Bakery")
    )
    assert organisation.contact_id == free.id
    change = db.session.scalar(
        select(ContactChange).where(ContactChange.organisation_id == organisation.id)
    )
    assert (change.from_contact_id, change.to_contact_id, change.changed_by_id) == (
        None,
        free.id,
        None,
    )


def test_a_large_employer_gets_the_dam_with_fewest_accounts_in_its_district(client, district):
    staff_with_accounts(district, Role.LMRA, "Idle Lmra", 0)
    staff_with_accounts(district, Role.DAM, "Busy Dam", 4)
    free = staff_with_accounts(district, Role.DAM, "Free Dam", 2)

    register(client, size_band="large")

    contact_id = db.session.scalar(
        select(Organisation.contact_id).where(Organisation.name == "Kirkgate Bakery")
    )
    assert contact_id == free.id


def test_an_inactive_adviser_is_never_made_the_contact(client, district):
    inactive = staff_with_accounts(district, Role.LMRA, "Away Lmra", 0)
    inactive.active = False
    active = staff_with_accounts(district, Role.LMRA, "Here Lmra", 5)
    db.session.flush()

    register(client)

    contact_id = db.session.scalar(
        select(Organisation.contact_id).where(Organisation.name == "Kirkgate Bakery")
    )
    assert contact_id == active.id


def test_a_district_with_nobody_to_be_the_contact_still_registers(client, district):
    assert register(client).status_code == 302
    assert db.session.scalar(select(Organisation)).contact_id is None


def test_registering_queues_exactly_one_verification_email_with_a_token_link(client, district):
    register(client)

    [message] = messages()
    assert message.kind == "verify_email"
    assert message.recipient == "jo.fletcher@example.org"
    assert message.subject == "Confirm your email address"
    assert "Jo Fletcher" in message.text_body
    link = link_in(message, "verify-email")
    assert len(link) > len("/verify-email/") + 20


def test_check_your_email_page_names_the_address(client, district):
    response = register(client)
    html = get_page(client, response.headers["Location"], title="Check your email")
    assert "Jo.Fletcher@Example.org" in html


def test_check_your_email_names_the_address_without_characters_nobody_types(client):
    """The address comes from the query string, so anyone can put a NUL byte in it: the page
    names it cleaned, as valid HTML."""
    html = get_page(
        client, "/register/check-your-email?email=jo%00.fletcher%07@example.org", title="Check"
    )
    assert "We have sent a link to jo.fletcher@example.org." in html


REQUIRED = [
    ("organisation_name", "Enter your organisation’s name"),
    ("size_band", "Select how many people your organisation employs"),
    ("sector", "Select your sector"),
    ("ownership", "Select the type of organisation"),
    ("address_line_1", "Enter the first line of the workplace address"),
    ("town", "Enter the town or city"),
    ("postcode", "Enter the postcode"),
    ("contact_name", "Enter your full name"),
    ("email", "Enter an email address"),
    ("password", "Enter a password"),
    ("confirm_password", "Confirm your password"),
]

INVALID = [
    ("organisation_name", "x" * 201, "Organisation name must be 200 characters or fewer"),
    ("size_band", "huge", "Not a valid choice"),
    ("sector", "astrology", "Not a valid choice"),
    ("ownership", "pirate", "Not a valid choice"),
    ("postcode", "LS1", "Enter a full postcode, like LS1 4AP"),
    ("postcode", "not a postcode", "Enter a full postcode, like LS1 4AP"),
    ("phone", "0" * 41, "Phone number must be 40 characters or fewer"),
    ("email", "jo.example.org", "Enter an email address in the correct format"),
    ("password", "too short", "Password must be 10 characters or more"),
    ("password", "password123", "This password is too common"),
    ("password", "jo fletcher bakes", "Password must not contain your name or email address"),
    ("confirm_password", "gravel teapot orbiter", "Passwords must match"),
]


def assert_error_page(response, message: str) -> str:
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_html(html)
    assert page_title(html).startswith("Error: Register your organisation")
    assert 'class="govuk-error-summary"' in html
    assert "There is a problem" in html
    assert message in html
    assert 'class="govuk-error-message"' in html
    assert NEW_PASSWORD not in html
    password_inputs = re.findall(r"<input[^>]*type=\"password\"[^>]*>", html)
    assert len(password_inputs) == 2
    assert not any("value=" in tag for tag in password_inputs), "a password was sent back"
    return html


@pytest.mark.parametrize(("field", "message"), REQUIRED, ids=[f for f, _ in REQUIRED])
def test_a_missing_answer_re_renders_the_form_with_an_error_summary(
    client, district, field, message
):
    data = registration()
    del data[field]
    html = assert_error_page(post_form(client, "/register", data), message)
    assert count(Organisation) == 0 and count(User) == 0 and messages() == []
    if field != "organisation_name":
        assert 'value="Kirkgate Bakery"' in html


@pytest.mark.parametrize(
    ("field", "value", "message"), INVALID, ids=[f"{f}-{i}" for i, (f, _, _) in enumerate(INVALID)]
)
def test_an_invalid_answer_re_renders_the_form_keeping_the_input_but_not_the_password(
    client, district, field, value, message
):
    html = assert_error_page(register(client, **{field: value}), message)
    assert count(Organisation) == 0 and count(User) == 0 and messages() == []
    assert 'value="12 Kirkgate"' in html
    assert 'value="Jo.Fletcher@Example.org"' in html or field == "email"


def test_a_postcode_outside_every_district_gets_a_clear_error(client, district):
    html = assert_error_page(
        register(client, postcode="BT1 1AA"),
        "Enter a full postcode in England, Scotland or Wales, like LS1 4AP",
    )
    assert 'value="BT1 1AA"' in html
    assert 'href="#postcode"' in html  # the summary links to the field
    assert count(Organisation) == 0 and count(User) == 0 and messages() == []


def test_registering_an_existing_email_looks_the_same_and_tells_the_owner_by_email(
    client, district
):
    owner = UserFactory(email="jo.fletcher@example.org", name="Jo Fletcher")
    organisations_before = count(Organisation)

    existing = register(client)
    fresh = register(client, email="new.person@example.org")

    assert existing.status_code == fresh.status_code == 302
    assert (
        existing.headers["Location"] == "/register/check-your-email?email=Jo.Fletcher@Example.org"
    )
    assert fresh.headers["Location"] == "/register/check-your-email?email=new.person@example.org"
    existing_page = get_page(client, existing.headers["Location"], title="Check your email")
    fresh_page = get_page(client, fresh.headers["Location"], title="Check your email")
    # Byte for byte but for the CSRF tokens, whose timestamps differ across a second.
    assert "CSRF-TOKEN" in without_tokens(existing_page)
    assert without_tokens(existing_page).replace("Jo.Fletcher@Example.org", "X") == (
        without_tokens(fresh_page).replace("new.person@example.org", "X")
    )
    [warning] = messages("already_registered")
    assert warning.recipient == owner.email
    assert "http://localhost/sign-in" in warning.text_body
    assert "http://localhost/forgot-password" in warning.text_body
    assert [m.recipient for m in messages("verify_email")] == ["new.person@example.org"]
    assert count(Organisation) == organisations_before + 1
    assert (
        db.session.scalar(select(func.count()).select_from(User).where(User.email == owner.email))
        == 1
    )
    assert owner.check_password(PASSWORD)  # the existing password is untouched


def test_registering_an_existing_email_hashes_the_password_as_a_new_one_does(
    client, district, monkeypatch
):
    """Hashing is most of a registration's time: doing it in both cases keeps the time from
    telling who has an account."""
    UserFactory(email="jo.fletcher@example.org")
    hashed: list[str] = []
    real = auth_models.generate_password_hash

    def counting(password: str, **options: object) -> str:
        hashed.append(password)
        return real(password, **options)

    monkeypatch.setattr(auth_models, "generate_password_hash", counting)

    register(client)
    register(client, email="new.person@example.org")

    assert hashed == [NEW_PASSWORD, NEW_PASSWORD]


def test_registering_a_known_and_an_unknown_address_take_about_the_same_time(
    app, client, district, monkeypatch
):
    """With the production hash (scrypt): the outside probe measured 11-18 ms for a known
    address and 131-232 ms for a new one. The fastest of four of each, within a factor of
    two of each other."""
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    UserFactory(email="jo.fletcher@example.org")

    def took(email: str) -> float:
        started = time.perf_counter()
        register(client, email=email)
        return time.perf_counter() - started

    # Taken in turns, after one of each to warm up, so that a busy moment on a shared
    # machine slows both alike.
    took("jo.fletcher@example.org"), took("warm.up@example.org")
    rounds = [
        (took("jo.fletcher@example.org"), took(f"new.person{number}@example.org"))
        for number in range(4)
    ]
    known = min(pair[0] for pair in rounds)
    unknown = min(pair[1] for pair in rounds)

    assert 0.5 < known / unknown < 2, (known, unknown)


def test_registering_an_existing_email_in_another_case_is_still_the_same_account(client, district):
    UserFactory(email="jo.fletcher@example.org")
    register(client, email="  JO.FLETCHER@EXAMPLE.ORG ")
    assert count(Organisation) == 0
    assert len(messages("already_registered")) == 1


def test_the_verification_link_works_once(client, district):
    register(client)
    link = link_in(messages("verify_email")[0], "verify-email")

    first = client.get(link)
    assert first.status_code == 302
    assert first.headers["Location"] == "/sign-in"
    user = db.session.scalar(select(User).where(User.email == "jo.fletcher@example.org"))
    assert user.email_verified_at is not None
    get_page(client, "/sign-in", title="Sign in")  # shows the flash once
    html = get_page(
        client, link, status=400, title="This link has expired or has already been used"
    )
    assert "Links in our emails work once" in html


def test_an_expired_verification_link_fails(app, client, district, monkeypatch):
    register(client)
    link = link_in(messages("verify_email")[0], "verify-email")
    monkeypatch.setitem(app.config, "EMAIL_TOKEN_MAX_AGE", -1)

    get_page(client, link, status=400, title="This link has expired or has already been used")
    user = db.session.scalar(select(User).where(User.email == "jo.fletcher@example.org"))
    assert user.email_verified_at is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: ("A" if token[0] != "A" else "B") + token[1:],
        lambda token: token[:-5],
        lambda token: token + "x",
        lambda token: "not-a-token",
    ],
    ids=["changed", "truncated", "extended", "garbage"],
)
def test_a_tampered_verification_link_fails(client, district, tamper):
    register(client)
    token = link_in(messages("verify_email")[0], "verify-email").removeprefix("/verify-email/")

    get_page(
        client,
        f"/verify-email/{tamper(token)}",
        status=400,
        title="This link has expired or has already been used",
    )
    user = db.session.scalar(select(User).where(User.email == "jo.fletcher@example.org"))
    assert user.email_verified_at is None


def test_a_password_reset_token_does_not_verify_an_email_address(app, client):
    user = UserFactory(email_verified_at=None)
    token = make_token(user, "reset-password")
    get_page(client, f"/verify-email/{token}", status=400)
    assert user.email_verified_at is None


def test_an_unverified_user_cannot_sign_in_and_is_told_to_confirm(client, district):
    register(client)

    response = post_form(
        client, "/sign-in", {"email": "jo.fletcher@example.org", "password": NEW_PASSWORD}
    )

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    check_html(html)
    assert "You need to confirm your email address first" in html
    assert "/register/check-your-email?email=jo.fletcher@example.org" in html
    assert client.get("/organisation").status_code == 302  # still signed out


def test_after_verifying_the_new_employer_signs_in_and_sees_its_organisation(client, district):
    contact = staff_with_accounts(district, Role.LMRA, "Priya Shah", 0)
    register(client)
    client.get(link_in(messages("verify_email")[0], "verify-email"))

    response = post_form(
        client, "/sign-in", {"email": "jo.fletcher@example.org", "password": NEW_PASSWORD}
    )

    assert response.status_code == 302
    html = get_page(client, "/", title="Kirkgate Bakery")
    assert contact.name in html and contact.email in html


def test_resending_the_link_queues_a_new_one_only_for_an_unverified_account(client, district):
    register(client)
    UserFactory(email="verified@example.org")

    for email in ("jo.fletcher@example.org", "verified@example.org", "nobody@example.org"):
        response = post_form(client, "/register/resend-link", {"email": email}, status=302)
        assert response.headers["Location"].startswith("/register/check-your-email")

    assert [m.recipient for m in messages("verify_email")] == ["jo.fletcher@example.org"] * 2


def test_using_one_verification_link_retires_every_other(client, district):
    register(client)
    post_form(client, "/register/resend-link", {"email": "jo.fletcher@example.org"}, status=302)
    first, second = (link_in(m, "verify-email") for m in messages("verify_email"))

    assert client.get(second).status_code == 302
    assert client.get(first).status_code == 400
