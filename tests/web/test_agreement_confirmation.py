"""The employer confirms its agreement, or says what is wrong, on its agreement page; staff
are told; the history keeps each answer; an unanswered agreement is chased once."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.accounts.models import Organisation
from app.agreements.models import Agreement, AgreementQuery, AgreementVersion, Channel, Measure
from app.agreements.services import (
    AgreementTerms,
    AlreadyAnswered,
    MeasureTerms,
    amend_agreement,
    chase_unconfirmed,
    employer_confirms,
    record_agreement,
)
from app.auth.models import Role, User
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import (
    OfficeFactory,
    OrganisationFactory,
    StaffFactory,
    nation,
)
from tests.factories import employer_user as make_employer
from tests.helpers import count_queries, get_page, sign_in


def staff(role: Role, district, **kwargs):
    person = StaffFactory(
        role=role, office=OfficeFactory(district=district), district=district, **kwargs
    )
    db.session.flush()
    return person


@pytest.fixture
def lmra(district):
    return staff(Role.LMRA, district, name="Lena Marsh", email="lena@dwp.example")


@pytest.fixture
def dam(district):
    return staff(Role.DAM, district, name="Dev Anand", email="dev@dwp.example")


@pytest.fixture
def organisation(district, dam):
    return OrganisationFactory(name="Harrow Bakery Ltd", district=district, contact=dam)


@pytest.fixture
def owner(organisation):
    return make_employer(organisation, name="Olu Adebayo", email="olu@harrow.example")


def terms(places: int = 3) -> AgreementTerms:
    return AgreementTerms(
        agreed_on=dt.date(2026, 11, 2),
        channel=Channel.PHONE,
        measures=[MeasureTerms(Measure.WORK_TRIALS, places=places)],
    )


@pytest.fixture
def version(organisation, lmra, owner) -> AgreementVersion:
    version = record_agreement(organisation, terms(), lmra)
    db.session.flush()
    return version


def outbox(kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.recipient)
        )
    )


def test_the_written_confirmation_asks_the_employer_to_confirm_in_the_portal(version):
    (email,) = outbox("agreement_confirmation")
    assert "Please confirm your agreement, or tell us what is wrong with it" in email.text_body
    assert "/agreement" in email.text_body


def test_an_unconfirmed_agreement_offers_confirm_and_what_is_wrong(client, owner, version):
    html = get_page(sign_in(client, owner), "/agreement", title="Your LEP agreement")
    assert "Is this agreement right?" in html
    assert 'action="/agreement/confirm"' in html
    assert 'action="/agreement/query"' in html
    assert "Not yet" in html


def test_employer_confirms_and_the_lmra_and_contact_are_told(client, owner, version):
    response = sign_in(client, owner).post("/agreement/confirm", data={"version": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert version.confirmed_by_id == owner.id
    assert version.confirmed_at is not None
    emails = outbox("agreement_confirmed")
    assert [e.recipient for e in emails] == ["dev@dwp.example", "lena@dwp.example"]
    assert "Harrow Bakery Ltd has confirmed version 1" in emails[0].text_body
    assert "Olu Adebayo" in emails[0].text_body

    html = get_page(client, "/agreement")
    assert "Thank you. You have confirmed your LEP agreement." in html
    assert "Is this agreement right?" not in html
    assert "Confirmed by Olu Adebayo on" in html


def test_lmra_and_contact_being_one_person_get_one_email(client, organisation, lmra, owner):
    organisation.contact = lmra
    record_agreement(organisation, terms(), lmra)
    sign_in(client, owner).post("/agreement/confirm", data={"version": "1"})
    assert [e.recipient for e in outbox("agreement_confirmed")] == ["lena@dwp.example"]


def test_confirming_a_version_that_has_since_changed_confirms_nothing(client, owner, version, lmra):
    amend_agreement(version.agreement, terms(places=5), lmra)
    db.session.flush()
    response = sign_in(client, owner).post(
        "/agreement/confirm", data={"version": "1"}, follow_redirects=True
    )
    assert "has been confirmed or changed since you opened this page" in response.get_data(
        as_text=True
    )
    db.session.expire_all()
    assert all(v.confirmed_at is None for v in version.agreement.versions)
    assert outbox("agreement_confirmed") == []


def test_a_second_confirmation_is_refused_so_there_is_one_answer(owner, version, organisation):
    colleague = make_employer(organisation, name="Cai Jones", email="cai@harrow.example")
    employer_confirms(version, owner)
    with pytest.raises(AlreadyAnswered):
        employer_confirms(version, colleague)
    db.session.expire_all()
    assert version.confirmed_by_id == owner.id
    assert len(outbox("agreement_confirmed")) == 2  # the first confirmation's two emails


def test_employer_says_what_is_wrong_and_staff_are_told_what(client, owner, version):
    response = sign_in(client, owner).post(
        "/agreement/query", data={"query_version": "1", "message": "We agreed 2 work trials, not 3"}
    )
    assert response.status_code == 302
    (query,) = db.session.scalars(select(AgreementQuery))
    assert query.raised_by_id == owner.id
    assert query.message == "We agreed 2 work trials, not 3"
    emails = outbox("agreement_queried")
    assert [e.recipient for e in emails] == ["dev@dwp.example", "lena@dwp.example"]
    assert "We agreed 2 work trials, not 3" in emails[1].text_body
    assert "/agreement/amend" in emails[1].text_body

    html = get_page(client, "/agreement")
    assert "We have told Dev Anand what is wrong" in html
    assert "Olu Adebayo said something is wrong" in html
    assert "Something is wrong" in html


def test_saying_nothing_is_wrong_is_an_error_and_saves_nothing(client, owner, version):
    response = sign_in(client, owner).post(
        "/agreement/query", data={"query_version": "1", "message": " "}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "Enter what is wrong with the agreement" in html
    assert "<title>Error:" in html
    assert db.session.scalars(select(AgreementQuery)).all() == []
    assert outbox("agreement_queried") == []


def test_staff_see_the_query_and_then_the_corrected_versions_confirmation(
    client, owner, version, lmra
):
    sign_in(client, owner).post(
        "/agreement/query", data={"query_version": "1", "message": "Only 2"}
    )
    html = get_page(
        sign_in(client, lmra), f"/accounts/{version.agreement.organisation_id}/agreement"
    )
    assert "The employer said: “Only 2”" in html

    amend_agreement(version.agreement, terms(places=2), lmra)
    db.session.flush()
    sign_in(client, owner).post("/agreement/confirm", data={"version": "2"})
    html = get_page(
        sign_in(client, lmra), f"/accounts/{version.agreement.organisation_id}/agreement"
    )
    # The history keeps the query on version 1 and the confirmation on version 2.
    assert html.index("Confirmed by Olu Adebayo") < html.index("said something is wrong")
    assert "Yes, by Olu Adebayo" in html


def test_the_agreement_page_costs_the_same_queries_for_one_answer_or_many(
    client, owner, version, lmra, organisation
):
    def answered_page_queries() -> int:
        db.session.expunge_all()
        with count_queries() as statements:
            get_page(client, "/agreement")
        return len(statements)

    agreement_id, lmra_id, organisation_id = version.agreement_id, lmra.id, organisation.id
    sign_in(client, owner)
    client.post("/agreement/query", data={"query_version": "1", "message": "Only 2"})
    client.post("/agreement/confirm", data={"version": "1"})
    one = answered_page_queries()

    amend_agreement(
        db.session.get(Agreement, agreement_id), terms(places=2), db.session.get(User, lmra_id)
    )
    for number in range(3):
        colleague = make_employer(
            db.session.get(Organisation, organisation_id),
            email=f"colleague{number}@harrow.example",
        )
        db.session.flush()
        sign_in(client, colleague).post(
            "/agreement/query", data={"query_version": "2", "message": f"Wrong {number}"}
        )
    client.post("/agreement/confirm", data={"version": "2"})
    assert answered_page_queries() == one


# --- the chase -------------------------------------------------------------------------------


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


@pytest.fixture
def sent_friday(version) -> AgreementVersion:
    """Sent on Friday 4 December 2026: five working days on is Friday 11 December."""
    version.created_at = at(dt.date(2026, 12, 4))
    db.session.flush()
    return version


def test_an_unconfirmed_agreement_is_not_chased_before_five_working_days(sent_friday):
    assert chase_unconfirmed(at(dt.date(2026, 12, 10), 23)) == 0
    assert outbox("agreement_chase") == []


def test_an_unconfirmed_agreement_is_chased_once_after_five_working_days(sent_friday, owner):
    assert chase_unconfirmed(at(dt.date(2026, 12, 11))) == 1
    assert chase_unconfirmed(at(dt.date(2026, 12, 14))) == 0
    (email,) = outbox("agreement_chase")
    assert email.recipient == "olu@harrow.example"
    assert "You have not yet confirmed it" in email.text_body
    db.session.expire_all()
    assert sent_friday.chased_at == at(dt.date(2026, 12, 11))


def test_the_chase_counts_the_nations_bank_holidays(organisation, lmra, owner):
    organisation.district.nation_code = nation("scotland").code
    version = record_agreement(organisation, terms(), lmra)
    version.created_at = at(dt.date(2026, 12, 24))
    db.session.flush()
    # England would chase on 5 January; Scotland's 4 January is a bank holiday.
    assert chase_unconfirmed(at(dt.date(2027, 1, 5))) == 0
    assert chase_unconfirmed(at(dt.date(2027, 1, 6))) == 1


def test_confirmed_or_queried_agreements_are_not_chased(
    client, sent_friday, owner, organisation, lmra
):
    sign_in(client, owner).post(
        "/agreement/query", data={"query_version": "1", "message": "Only 2"}
    )
    assert chase_unconfirmed(at(dt.date(2026, 12, 14))) == 0


def test_a_superseded_version_is_not_chased_only_the_current_one(sent_friday, lmra):
    newer = amend_agreement(sent_friday.agreement, terms(places=5), lmra)
    newer.created_at = at(dt.date(2026, 12, 7))
    db.session.flush()
    assert chase_unconfirmed(at(dt.date(2026, 12, 11))) == 0
    assert chase_unconfirmed(at(dt.date(2026, 12, 14))) == 1
    db.session.expire_all()
    assert sent_friday.chased_at is None and newer.chased_at is not None


def test_the_chase_command_reports_what_it_did(app, sent_friday, monkeypatch):
    from app.agreements import services

    monkeypatch.setattr(services, "utcnow", lambda: at(dt.date(2026, 12, 11)))
    result = app.test_cli_runner().invoke(args=["agreements", "chase"])
    assert result.exit_code == 0, result.output
    assert "Unconfirmed agreements chased: 1." in result.output


def test_a_run_that_read_the_version_before_another_run_chased_it_sends_nothing(
    sent_friday, monkeypatch
):
    from app.agreements import services

    read_earlier = services.unanswered_versions_to_chase(at(dt.date(2026, 12, 11)))
    assert chase_unconfirmed(at(dt.date(2026, 12, 11))) == 1
    # The second run's read happened before the first's UPDATE: its UPDATE must find nothing.
    monkeypatch.setattr(services, "unanswered_versions_to_chase", lambda now: read_earlier)
    assert chase_unconfirmed(at(dt.date(2026, 12, 11), 11)) == 0
    assert len(outbox("agreement_chase")) == 1
