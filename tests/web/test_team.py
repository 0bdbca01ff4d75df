"""The employer's team: owners invite colleagues as owners or recruiters (by an expiring
emailed link), change roles and remove people, never the last owner; recruiters post
vacancies and review candidates but cannot manage the team; every change is in the audit
trail that owners and the employer's DAM read."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.accounts.models import EmployerAuditEntry, EmployerMembership, MembershipRole
from app.auth.models import Role, User
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import OfficeFactory, OrganisationFactory, StaffFactory
from tests.factories import employer_user as make_employer
from tests.helpers import get_page, post_form, sign_in
from tests.test_access_matrix import ROUTES, build_world

NEW_PASSWORD = "marmalade ferry lantern"


@pytest.fixture
def dam(district):
    person = StaffFactory(
        role=Role.DAM, district=district, office=OfficeFactory(district=district), name="Dee Amm"
    )
    db.session.flush()
    return person


@pytest.fixture
def organisation(district, dam):
    return OrganisationFactory(name="Harrow Bakery Ltd", district=district, contact=dam)


@pytest.fixture
def owner(organisation):
    return make_employer(organisation, name="Olu Adebayo", email="olu@harrow.example")


@pytest.fixture
def recruiter(organisation, owner):
    return make_employer(
        organisation,
        name="Rita Cole",
        email="rita@harrow.example",
        membership_role=MembershipRole.RECRUITER,
    )


def invite(client, **changes):
    data = {"name": "Cai Jones", "email": "cai@harrow.example", "role": "recruiter"}
    data.update(changes)
    return client.post("/your-team/invite", data=data)


def audit_actions(organisation) -> list[tuple[str, str, str]]:
    return [
        (entry.action, entry.subject, entry.detail)
        for entry in db.session.scalars(
            select(EmployerAuditEntry)
            .where(EmployerAuditEntry.organisation_id == organisation.id)
            .order_by(EmployerAuditEntry.at)
        )
    ]


def membership(user) -> EmployerMembership:
    db.session.expire_all()
    return db.session.scalar(
        select(EmployerMembership).where(EmployerMembership.user_id == user.id)
    )


# --- the page --------------------------------------------------------------------------------


def test_owner_sees_the_team_with_roles_and_can_invite(client, owner, recruiter):
    html = get_page(sign_in(client, owner), "/your-team", title="Your team")
    assert "Olu Adebayo" in html and "rita@harrow.example" in html
    assert "Recruiter" in html and "Owner" in html
    assert 'href="/your-team/invite"' in html
    assert f'href="/your-team/{recruiter.membership.id}/remove"' in html


def test_a_recruiter_sees_the_team_but_no_way_to_change_it(client, owner, recruiter):
    html = get_page(sign_in(client, recruiter), "/your-team")
    assert "Olu Adebayo" in html
    assert "/your-team/invite" not in html
    assert "/remove" not in html


def test_every_owner_only_route_refuses_a_recruiter(app):
    world = build_world()
    recruiter = make_employer(world.organisation, membership_role=MembershipRole.RECRUITER)
    owner_only = [
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "employer_membership", None) == "owner"
    ]
    assert {"accounts.team_invite", "accounts.team_remove", "agreements.confirm"} <= set(owner_only)
    for endpoint in owner_only:
        route = ROUTES[endpoint]
        client = sign_in(app.test_client(), recruiter)
        response = client.open(route.url(world), method=route.method, data=route.data)
        assert response.status_code == 403, endpoint
        owner_client = sign_in(app.test_client(), world.users["employer"])
        response = owner_client.open(route.url(world), method=route.method, data=route.data)
        assert response.status_code not in (401, 403), endpoint


def test_a_recruiter_posts_vacancies_and_reviews_candidates(client, recruiter):
    sign_in(client, recruiter)
    get_page(client, "/vacancies/new")
    get_page(client, "/vacancies")


# --- inviting --------------------------------------------------------------------------------


def test_owner_invites_a_colleague_who_sets_a_password_and_signs_in(
    app, client, owner, organisation
):
    response = invite(sign_in(client, owner), role="recruiter")
    assert response.status_code == 302
    cai = db.session.scalar(select(User).where(User.email == "cai@harrow.example"))
    assert cai.role is Role.EMPLOYER and cai.password_hash is None
    assert membership(cai).role is MembershipRole.RECRUITER
    assert membership(cai).organisation_id == organisation.id
    (email,) = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.kind == "employer_invitation")
    )
    assert email.recipient == "cai@harrow.example"
    assert "Olu Adebayo has invited you to join Harrow Bakery Ltd" in email.text_body
    assert "as a recruiter" in email.text_body
    assert "The link works once, for 7 days." in email.text_body
    assert audit_actions(organisation) == [
        ("team_invited", "Cai Jones (cai@harrow.example)", "recruiter")
    ]
    html = get_page(client, "/your-team")
    assert "Invited" in html

    link = re.search(r"https?://\S+(/accept-invitation/\S+)", email.text_body).group(1)
    fresh = app.test_client()
    get_page(fresh, link)
    post_form(fresh, link, {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD}, status=302)
    db.session.expire_all()
    assert cai.check_password(NEW_PASSWORD)
    # The link works once.
    assert fresh.get(link).status_code == 400


def test_an_invitation_link_expires(app, client, owner, monkeypatch):
    invite(sign_in(client, owner))
    body = db.session.scalar(
        select(OutboxMessage.text_body).where(OutboxMessage.kind == "employer_invitation")
    )
    link = re.search(r"https?://\S+(/accept-invitation/\S+)", body).group(1)
    # Through monkeypatch: the app is shared by every test in this worker, and a setting left
    # at -1 expired every invitation link the tests after this one made.
    monkeypatch.setitem(app.config, "INVITATION_TOKEN_MAX_AGE", -1)
    assert app.test_client().get(link).status_code == 400


def test_inviting_someone_who_already_has_an_account_saves_nothing(client, owner, organisation):
    make_employer(OrganisationFactory(), email="taken@example.org")
    response = invite(sign_in(client, owner), email="taken@example.org")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "taken@example.org already has an account on the portal" in html
    assert audit_actions(organisation) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": ""}, "Enter their full name"),
        ({"email": "not an email"}, "Enter an email address in the correct format"),
        ({"role": "boss"}, "Not a valid choice"),
    ],
)
def test_bad_invitations_are_refused_with_a_message(client, owner, changes, message):
    response = invite(sign_in(client, owner), **changes)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html and message in html
    assert db.session.scalar(select(User).where(User.email == "cai@harrow.example")) is None


# --- roles and removing ----------------------------------------------------------------------


def test_owner_makes_a_recruiter_an_owner(client, owner, recruiter, organisation):
    post_form(
        sign_in(client, owner),
        f"/your-team/{recruiter.membership.id}/role",
        {"role": "owner"},
        status=302,
    )
    assert membership(recruiter).role is MembershipRole.OWNER
    assert audit_actions(organisation) == [
        ("team_role_changed", "Rita Cole (rita@harrow.example)", "owner")
    ]


def test_the_last_owner_cannot_become_a_recruiter(client, owner, recruiter, organisation):
    response = post_form(
        sign_in(client, owner),
        f"/your-team/{owner.membership.id}/role",
        {"role": "recruiter"},
        status=200,
    )
    assert "Olu Adebayo is the only owner. Make someone else an owner first." in (
        response.get_data(as_text=True)
    )
    assert membership(owner).role is MembershipRole.OWNER
    assert audit_actions(organisation) == []


def test_owner_removes_a_recruiter_who_can_no_longer_sign_in(
    client, owner, recruiter, organisation
):
    post_form(
        sign_in(client, owner), f"/your-team/{recruiter.membership.id}/remove", {}, status=302
    )
    assert membership(recruiter) is None
    assert db.session.get(User, recruiter.id).active is False
    assert audit_actions(organisation) == [
        ("team_removed", "Rita Cole (rita@harrow.example)", "recruiter")
    ]
    assert "rita@harrow.example" not in get_page(client, "/your-team")


def test_the_last_owner_is_never_removed(client, owner, organisation):
    response = post_form(
        sign_in(client, owner), f"/your-team/{owner.membership.id}/remove", {}, status=200
    )
    assert "is the only owner" in response.get_data(as_text=True)
    assert membership(owner) is not None
    assert audit_actions(organisation) == []


def test_one_of_two_owners_may_leave(client, owner, organisation):
    second = make_employer(organisation, name="Sam Two", email="sam@harrow.example")
    post_form(sign_in(client, second), f"/your-team/{second.membership.id}/remove", {}, status=302)
    assert membership(second) is None
    assert membership(owner).role is MembershipRole.OWNER


def test_someone_removed_can_be_invited_again(client, owner, recruiter):
    sign_in(client, owner)
    post_form(client, f"/your-team/{recruiter.membership.id}/remove", {}, status=302)
    assert invite(client, name="Rita Cole", email="rita@harrow.example").status_code == 302
    again = db.session.get(User, recruiter.id)
    assert again.active and again.password_hash is None
    assert membership(again).role is MembershipRole.RECRUITER


def test_another_employers_people_are_not_found(client, owner):
    stranger = make_employer(OrganisationFactory())
    sign_in(client, owner)
    assert client.get(f"/your-team/{stranger.membership.id}/role").status_code == 404
    assert client.post(f"/your-team/{stranger.membership.id}/remove").status_code == 404
    assert membership(stranger) is not None


# --- the audit trail -------------------------------------------------------------------------


def test_owner_and_the_employers_dam_read_the_audit_trail(app, client, owner, recruiter, dam):
    sign_in(client, owner)
    post_form(client, f"/your-team/{recruiter.membership.id}/role", {"role": "owner"}, status=302)
    html = get_page(client, "/your-team/history", title="Changes to the team – Harrow Bakery Ltd")
    assert "Made Rita Cole (rita@harrow.example) owner" in html
    assert "Olu Adebayo" in html
    staff_html = get_page(
        sign_in(app.test_client(), dam),
        f"/accounts/{owner.membership.organisation_id}/team-history",
    )
    assert "Made Rita Cole (rita@harrow.example) owner" in staff_html


def test_a_dam_who_is_not_the_employers_contact_cannot_read_it(app, owner, district):
    other_dam = StaffFactory(
        role=Role.DAM, district=district, office=OfficeFactory(district=district)
    )
    db.session.flush()
    response = sign_in(app.test_client(), other_dam).get(
        f"/accounts/{owner.membership.organisation_id}/team-history"
    )
    assert response.status_code == 404


def test_a_recruiter_cannot_confirm_the_agreement(client, recruiter, organisation, dam):
    import datetime as dt

    from app.agreements.models import Channel, Measure
    from app.agreements.services import AgreementTerms, MeasureTerms, record_agreement

    record_agreement(
        organisation,
        AgreementTerms(dt.date(2026, 11, 2), Channel.PHONE, [MeasureTerms(Measure.OPEN_DAYS)]),
        dam,
    )
    html = get_page(sign_in(client, recruiter), "/agreement")
    assert "Confirm this agreement" not in html
    assert client.post("/agreement/confirm", data={"version": "1"}).status_code == 403


def test_only_owners_add_a_site_when_posting_a_vacancy(client, owner, recruiter):
    assert 'value="new"' in get_page(sign_in(client, owner), "/vacancies/new")
    assert 'value="new"' not in get_page(sign_in(client, recruiter), "/vacancies/new")


def test_the_employers_dam_finds_the_team_history_from_the_account(app, owner, dam):
    organisation_id = owner.membership.organisation_id
    html = get_page(sign_in(app.test_client(), dam), f"/accounts/{organisation_id}/employer-users")
    assert f'href="/accounts/{organisation_id}/team-history"' in html
