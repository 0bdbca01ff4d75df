"""Training providers and their users: administrators and TPPMs add providers and invite their
staff (who then sign in and see only their own provider's courses); a TPPM manages only their
own district's providers."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.auth.models import Role, User
from app.extensions import db
from app.pet.models import TrainingProvider
from tests.factories import (
    DistrictFactory,
    ProviderUserFactory,
    StaffFactory,
    TrainingProviderFactory,
)
from tests.helpers import get_page, post_form, sign_in
from tests.web.test_pet_trainees_support import emails, make_scene


def _as(app, user):
    return sign_in(app.test_client(), user)


def test_a_tppm_adds_a_provider_in_their_district(app):
    tppm = StaffFactory(role=Role.TPPM)
    client = _as(app, tppm)
    html = get_page(client, "/training-providers/new", title="Add a training provider")
    assert f'<option value="{tppm.district_id}" selected' in html
    response = post_form(
        client,
        "/training-providers/new",
        {
            "name": "Leeds Skills Centre",
            "contact_email": " Referrals@LeedsSkills.example ",
            "district": str(tppm.district_id),
        },
        status=302,
    )
    provider = db.session.scalar(
        select(TrainingProvider).where(TrainingProvider.name == "Leeds Skills Centre")
    )
    assert provider.contact_email == "referrals@leedsskills.example"
    assert provider.district_id == tppm.district_id
    assert response.headers["Location"].endswith(f"/training-providers/{provider.id}")
    assert "Leeds Skills Centre" in get_page(client, "/training-providers")


def test_a_provider_needs_a_unique_name_a_contact_email_and_a_district(app):
    TrainingProviderFactory(name="Taken Training")
    admin = StaffFactory(role=Role.ADMIN)
    html = post_form(
        _as(app, admin),
        "/training-providers/new",
        {"name": "Taken Training", "contact_email": "not an email", "district": ""},
        status=200,
    ).get_data(as_text=True)
    assert "There is already a training provider with this name" in html
    assert "Enter an email address in the correct format" in html
    assert "Select a district" in html


def test_a_tppm_cannot_add_a_provider_to_another_district(app):
    tppm = StaffFactory(role=Role.TPPM)
    elsewhere = DistrictFactory()
    html = post_form(
        _as(app, tppm),
        "/training-providers/new",
        {"name": "Far Away Ltd", "contact_email": "a@far.example", "district": str(elsewhere.id)},
        status=200,
    ).get_data(as_text=True)
    assert "Select a district" in html
    added = select(TrainingProvider).where(TrainingProvider.name == "Far Away Ltd")
    assert db.session.scalar(added) is None


def test_inviting_a_provider_user_creates_a_provider_account_and_emails_a_link(app):
    tppm = StaffFactory(role=Role.TPPM)
    provider = TrainingProviderFactory(district=tppm.district)
    client = _as(app, tppm)
    get_page(client, f"/training-providers/{provider.id}/users/new", title="Invite a user of")
    post_form(
        client,
        f"/training-providers/{provider.id}/users/new",
        {"name": "Priya Provider", "email": "Priya@Provider.example"},
        status=302,
    )
    user = db.session.scalar(select(User).where(User.email == "priya@provider.example"))
    assert user.role is Role.PROVIDER
    assert user.provider_id == provider.id
    assert user.password_hash is None
    (invitation,) = emails("staff_invitation")
    assert invitation.recipient == "priya@provider.example"
    assert re.search(r"/accept-invitation/\S+", invitation.text_body)
    page = get_page(client, f"/training-providers/{provider.id}")
    assert "Priya Provider" in page and "Invited" in page

    again = post_form(
        client,
        f"/training-providers/{provider.id}/users/new",
        {"name": "Priya Again", "email": "priya@provider.example"},
        status=200,
    ).get_data(as_text=True)
    assert "There is already an account with this email address" in again


def test_the_invitation_link_lets_the_provider_user_sign_in_to_their_courses(app):
    scene = make_scene()
    client = _as(app, scene.tppm)
    post_form(
        client,
        f"/training-providers/{scene.provider.id}/users/new",
        {"name": "New Starter", "email": "new.starter@provider.example"},
        status=302,
    )
    link = re.search(r"(/accept-invitation/\S+)", emails("staff_invitation")[0].text_body)[1]
    visitor = app.test_client()
    passphrase = "orange kettle marching softly 42"
    post_form(visitor, link, {"password": passphrase, "confirm_password": passphrase}, status=302)
    post_form(
        visitor,
        "/sign-in",
        {"email": "new.starter@provider.example", "password": passphrase},
        status=302,
    )
    page = get_page(visitor, f"/courses/{scene.course.id}/trainees")
    assert "Trainees on Retail routeway" in page
    get_page(visitor, f"/courses/{make_scene().course.id}/trainees", status=404)


def test_a_tppm_manages_only_their_districts_providers(app):
    tppm = StaffFactory(role=Role.TPPM)
    mine = TrainingProviderFactory(district=tppm.district, name="Mine Ltd")
    shared = TrainingProviderFactory(district=None, name="Anywhere Ltd")
    theirs = TrainingProviderFactory(district=DistrictFactory(), name="Theirs Ltd")
    client = _as(app, tppm)
    listed = get_page(client, "/training-providers", title="Training providers")
    assert "Mine Ltd" in listed and "Anywhere Ltd" in listed
    assert "Theirs Ltd" not in listed
    get_page(client, f"/training-providers/{mine.id}")
    get_page(client, f"/training-providers/{shared.id}")
    get_page(client, f"/training-providers/{theirs.id}", status=404)
    get_page(client, f"/training-providers/{theirs.id}/users/new", status=404)
    admin_list = get_page(_as(app, StaffFactory(role=Role.ADMIN)), "/training-providers")
    assert "Theirs Ltd" in admin_list


def test_provider_users_and_employers_cannot_manage_providers(app):
    provider_user = ProviderUserFactory()
    client = _as(app, provider_user)
    get_page(client, "/training-providers", status=403)
    get_page(client, f"/training-providers/{provider_user.provider_id}/users/new", status=403)
