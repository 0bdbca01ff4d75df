"""The LEP Partnership Agreement through the pages: offered by a TPPM, accepted by the
provider (who and when), the subcontractors, the provider's own agreements with employers
(the SPOC told), LEP vacancies and putting customers forward under the adviser's rules,
placements through the outcome validation, and a provider without an agreement seeing none
of it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.customers import labels as audit_actions
from app.customers.models import AuditEntry, Customer, Readiness
from app.extensions import db
from app.mail.models import OutboxMessage
from app.outcomes.models import JobOutcome, OutcomeSource, ValidationStatus
from app.partnerships.models import (
    Partnership,
    PartnershipStatus,
    ProviderAgreement,
    ProviderCustomer,
    Subcontractor,
)
from app.referrals.models import Referral
from tests.factories import (
    DistrictFactory,
    OrganisationFactory,
    ProviderUserFactory,
    StaffFactory,
    employer_user,
)
from tests.helpers import count_queries, freeze_today, get_page, post_form, sign_in
from tests.partnership_factories import (
    employer_agreement,
    partnered_user,
    partnership,
    provider_customer,
    tppm_in,
)
from tests.referral_factories import active_agreement, live_vacancy, referral

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

TODAY = dt.date(2026, 12, 4)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


def _mail(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def _lep_vacancy(district, **kwargs):
    organisation = OrganisationFactory(district=district)
    active_agreement(organisation)
    return live_vacancy(organisation, **kwargs)


# --- offer and acceptance --------------------------------------------------------------------


def test_a_tppm_offers_and_the_provider_accepts_with_who_and_when_recorded(client):
    district = DistrictFactory()
    tppm = tppm_in(district)
    user = ProviderUserFactory()
    sign_in(client, tppm)
    url = f"/training-providers/{user.provider_id}/partnership"
    html = get_page(client, url, title="LEP Partnership Agreement")
    assert "Offer the LEP Partnership Agreement" in html
    post_form(client, url, {}, status=302)
    offered = db.session.scalar(
        select(Partnership).where(Partnership.provider_id == user.provider_id)
    )
    assert offered.status is PartnershipStatus.OFFERED and offered.district_id == district.id
    assert user.email in {message.recipient for message in _mail("partnership_offered")}
    # Offering twice changes nothing.
    post_form(client, url, {}, status=302)
    assert db.session.scalar(select(func.count(Partnership.id))) == 1

    sign_in(client, user)
    html = get_page(client, "/partnership", title="LEP partnership")
    assert "Waiting for you to accept" in html
    # Not ticked: the page again with the error summary.
    html = get_page(client, "/partnership", title="LEP partnership")
    response = post_form(client, f"/partnership/{offered.id}/accept", {}, status=200)
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html and "Confirm that you accept" in html
    response = post_form(client, f"/partnership/{offered.id}/accept", {"confirm": "y"}, status=302)
    assert response.headers["Location"].endswith(f"/partnership/{offered.id}/accepted")
    html = get_page(client, f"/partnership/{offered.id}/accepted", title="Agreement accepted")
    assert "LEP Partnership Agreement accepted" in html and user.name in html
    db.session.refresh(offered)
    assert offered.status is PartnershipStatus.ACCEPTED
    assert offered.accepted_by_id == user.id and offered.accepted_at is not None
    assert [m.recipient for m in _mail("partnership_accepted")] == [tppm.email]
    # Accepting again records nothing new.
    post_form(client, f"/partnership/{offered.id}/accept", {"confirm": "y"}, status=302)
    assert len(_mail("partnership_accepted")) == 1

    sign_in(client, tppm)
    assert "Accepted" in get_page(client, url)


def test_a_provider_cannot_accept_another_provider_s_offer(client):
    district = DistrictFactory()
    theirs = partnership(ProviderUserFactory().provider, district, accepted=False)
    sign_in(client, ProviderUserFactory())
    assert client.post(f"/partnership/{theirs.id}/accept", data={"confirm": "y"}).status_code == 404
    assert client.get(f"/partnership/{theirs.id}/accepted").status_code == 404


def test_a_tppm_of_another_district_cannot_offer_a_provider_of_this_one(client):
    provider_user = ProviderUserFactory(provider__district=DistrictFactory())
    sign_in(client, tppm_in(DistrictFactory()))
    assert (
        client.get(f"/training-providers/{provider_user.provider_id}/partnership").status_code
        == 404
    )


def test_an_administrator_reads_but_does_not_offer(client):
    user = ProviderUserFactory()
    sign_in(client, StaffFactory(role="admin"))
    url = f"/training-providers/{user.provider_id}/partnership"
    get_page(client, url, title="LEP Partnership Agreement")
    assert client.post(url).status_code == 403


def test_the_provider_keeps_its_subcontractors(client):
    user = partnered_user(DistrictFactory())
    sign_in(client, user)
    post_form(client, "/partnership/subcontractors", {"name": "  North  Skills Ltd "}, status=302)
    response = post_form(
        client, "/partnership/subcontractors", {"name": "north skills ltd"}, status=200
    )
    assert "already on your list" in response.get_data(as_text=True)
    response = post_form(client, "/partnership/subcontractors", {"name": ""}, status=200)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    added = db.session.scalar(select(Subcontractor))
    assert added.name == "North Skills Ltd"
    assert "North Skills Ltd" in get_page(client, "/partnership")
    post_form(client, f"/partnership/subcontractors/{added.id}/remove", {}, status=302)
    assert 'data-testid="subcontractors"' not in get_page(client, "/partnership")
    assert client.post(f"/partnership/subcontractors/{added.id}/remove").status_code == 404


# --- no agreement, no access -----------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/partnership/employer-agreements",
        "/partnership/employer-agreements/new",
        "/partnership/vacancies",
        "/partnership/customers",
        "/partnership/customers/new",
        "/partnership/placements",
    ],
)
def test_without_an_accepted_agreement_a_provider_sees_none_of_it(client, path):
    user = ProviderUserFactory()
    partnership(user.provider, DistrictFactory(), accepted=False)
    sign_in(client, user)
    assert client.get(path).status_code == 404
    html = get_page(client, "/partnership", title="LEP partnership")
    assert "Live LEP vacancies" not in html


def test_records_outside_the_agreement_are_not_found(client):
    district, elsewhere = DistrictFactory(), DistrictFactory()
    user = partnered_user(district)
    other = partnered_user(district)
    theirs = provider_customer(other, district)
    vacancy_elsewhere = _lep_vacancy(elsewhere)
    their_agreement = employer_agreement(other, OrganisationFactory(district=district))
    not_lep = live_vacancy(OrganisationFactory(district=district))
    sign_in(client, user)
    assert client.get(f"/partnership/customers/{theirs.id}").status_code == 404
    assert client.get(f"/partnership/customers/{theirs.id}/placement").status_code == 404
    assert client.get(f"/partnership/vacancies/{vacancy_elsewhere.id}").status_code == 404
    assert client.get(f"/partnership/vacancies/{not_lep.id}").status_code == 404
    assert client.get(f"/partnership/employer-agreements/{their_agreement.id}").status_code == 404
    listed = get_page(client, "/partnership/vacancies", title="Live LEP vacancies")
    assert vacancy_elsewhere.job_title not in listed or "There are no live" in listed


# --- the provider's own agreements -----------------------------------------------------------


def _agreement_form(organisation, **changes) -> dict:
    data = {
        "employer": str(organisation.id),
        "agreed_on": ["2", "12", "2026"],
        "channel": "meeting",
        "priority_groups": ["1", "2", "3", "4"],
        "work_trials_agreed": "y",
        "work_trials_places": "3",
        "open_days_agreed": "y",
        "open_days_details": "Twice a year",
    }
    data.update(changes)
    return data


def test_an_employer_with_a_spoc_keeps_it_the_spoc_is_told_and_sees_the_agreement(client):
    district = DistrictFactory()
    user = partnered_user(district)
    spoc = StaffFactory(role="dam", district=district)
    organisation = OrganisationFactory(district=district, contact=spoc)
    sign_in(client, user)
    html = get_page(client, "/partnership/employer-agreements/new", title="Record a LEP agreement")
    assert organisation.name in html
    response = post_form(
        client, "/partnership/employer-agreements/new", _agreement_form(organisation), status=302
    )
    agreement = db.session.scalar(select(ProviderAgreement))
    assert response.headers["Location"].endswith(f"/partnership/employer-agreements/{agreement.id}")
    assert agreement.contact_id == spoc.id and agreement.priority_groups == [1, 2, 3, 4]
    assert {item["measure"] for item in agreement.measures} == {"work_trials", "open_days"}
    db.session.refresh(organisation)
    assert organisation.contact_id == spoc.id  # no second point of contact
    assert [m.recipient for m in _mail("partnership_employer_agreement")] == [spoc.email]
    html = get_page(client, f"/partnership/employer-agreements/{agreement.id}")
    assert spoc.name in html and "3 places" in html
    assert organisation.name in get_page(client, "/partnership/employer-agreements")

    sign_in(client, spoc)
    html = get_page(client, f"/accounts/{organisation.id}")
    assert (
        "Training providers&#39; LEP agreements" in html
        or "Training providers’ LEP agreements" in html
        or "Training providers' LEP agreements" in html
    )
    assert user.provider.name in html


def test_an_employer_without_a_spoc_is_nobody_s_to_tell(client):
    district = DistrictFactory()
    user = partnered_user(district)
    organisation = OrganisationFactory(district=district, contact=None)
    sign_in(client, user)
    post_form(
        client, "/partnership/employer-agreements/new", _agreement_form(organisation), status=302
    )
    assert _mail("partnership_employer_agreement") == []
    agreement = db.session.scalar(select(ProviderAgreement))
    assert "you are the employer" in get_page(
        client, f"/partnership/employer-agreements/{agreement.id}"
    )


def test_the_agreement_form_keeps_input_and_shows_errors(client):
    district = DistrictFactory()
    user = partnered_user(district)
    organisation = OrganisationFactory(district=district)
    sign_in(client, user)
    data = _agreement_form(organisation, work_trials_places="", open_days_agreed="")
    response = post_form(client, "/partnership/employer-agreements/new", data, status=200)
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html and "Enter how many places were agreed" in html
    assert 'value="Twice a year"' in html
    # An employer of a district the agreement does not cover is refused.
    outside = OrganisationFactory(district=DistrictFactory())
    response = post_form(
        client, "/partnership/employer-agreements/new", _agreement_form(outside), status=200
    )
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(ProviderAgreement.id))) == 0


# --- customers, vacancies and putting forward ------------------------------------------------


def _customer_form(district, **changes) -> dict:
    data = {
        "district": str(district.id),
        "reference": "PR 12 34",
        "first_name": "Jo",
        "last_name": "Provided",
        "date_of_birth": ["14", "3", "1990"],
        "postcode": "LS9 8AB",
        "benefit": "jsa",
        "claim_start": ["1", "1", "2026"],
        "goal_sectors": ["retail"],
        "travel_miles": "10",
        "readiness": "green",
        "consent": "yes",
    }
    data.update(changes)
    return data


def test_a_provider_enters_a_customer_with_consent_and_audit(client):
    district = DistrictFactory()
    user = partnered_user(district)
    sign_in(client, user)
    get_page(client, "/partnership/customers/new", title="Add a customer")
    response = post_form(client, "/partnership/customers/new", _customer_form(district), status=302)
    customer = db.session.scalar(select(Customer))
    assert response.headers["Location"].endswith(f"/partnership/customers/{customer.id}")
    assert customer.reference == "PR1234" and customer.consent_given
    assert customer.adviser_id is None and customer.district_id == district.id
    assert customer.readiness is Readiness.GREEN
    assert db.session.scalar(select(ProviderCustomer.provider_id)) == user.provider_id
    actions = set(
        db.session.scalars(select(AuditEntry.action).where(AuditEntry.customer_id == customer.id))
    )
    assert {audit_actions.CREATED, audit_actions.CONSENT_GIVEN} <= actions
    get_page(client, f"/partnership/customers/{customer.id}", title="Jo Provided")
    get_page(client, "/partnership/customers", title="Your customers")
    looks = db.session.scalars(
        select(AuditEntry.action).where(
            AuditEntry.customer_id == customer.id, AuditEntry.user_id == user.id
        )
    ).all()
    assert audit_actions.VIEWED_RECORD in looks and audit_actions.VIEWED_IN_LIST in looks
    # The same reference again: the form with the error, the input kept.
    response = post_form(client, "/partnership/customers/new", _customer_form(district), status=200)
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html and "already a customer" in html and 'value="Jo"' in html
    # Consent withdrawn.
    post_form(client, f"/partnership/customers/{customer.id}/consent", {"given": "no"}, status=302)
    db.session.refresh(customer)
    assert not customer.consent_given


def test_a_provider_puts_its_customer_forward_under_the_adviser_s_rules(client):
    district = DistrictFactory()
    user = partnered_user(district)
    vacancy = _lep_vacancy(district)
    mine = provider_customer(user, district)
    sign_in(client, user)
    assert vacancy.job_title in get_page(
        client, "/partnership/vacancies", title="Live LEP vacancies"
    )
    html = get_page(client, f"/partnership/vacancies/{vacancy.id}", title="Put customers forward")
    assert mine.name in html
    # Nobody chosen: the error summary.
    response = post_form(client, f"/partnership/vacancies/{vacancy.id}/put-forward", {}, status=200)
    assert "govuk-error-summary" in response.get_data(as_text=True)
    post_form(
        client,
        f"/partnership/vacancies/{vacancy.id}/put-forward",
        {"customer_ids": [str(mine.id)], "note": "Keen"},
        status=302,
    )
    made = db.session.scalar(select(Referral))
    assert made.customer_id == mine.id and made.referred_by_id == user.id
    assert made.organisation_id == vacancy.organisation_id
    audit = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.customer_id == mine.id, AuditEntry.action == audit_actions.REFERRED
        )
    )
    assert audit.organisation_id == vacancy.organisation_id
    assert _mail("referral_waiting")
    # Twice: refused as an adviser's would be.
    response = post_form(
        client,
        f"/partnership/vacancies/{vacancy.id}/put-forward",
        {"customer_ids": [str(mine.id)]},
        status=200,
    )
    assert "already been referred" in response.get_data(as_text=True)


def test_without_consent_or_not_theirs_a_customer_is_not_put_forward(client):
    district = DistrictFactory()
    user = partnered_user(district)
    vacancy = _lep_vacancy(district)
    unconsented = provider_customer(user, district, consent_given=False)
    staff_customer = referral(vacancy).customer  # an adviser's customer of the district
    sign_in(client, user)
    assert unconsented.name not in get_page(client, f"/partnership/vacancies/{vacancy.id}")
    for chosen, message in (
        (unconsented, "have not given consent"),
        (staff_customer, "not one of yours"),
    ):
        response = post_form(
            client,
            f"/partnership/vacancies/{vacancy.id}/put-forward",
            {"customer_ids": [str(chosen.id)]},
            status=200,
        )
        html = response.get_data(as_text=True)
        assert "govuk-error-summary" in html and message in html
    assert db.session.scalar(select(func.count(Referral.id))) == 1


def test_the_lists_do_not_grow_their_queries_with_the_rows(client):
    district = DistrictFactory()
    user = partnered_user(district)
    sign_in(client, user)

    def costs() -> list[int]:
        counted = []
        for path in (
            "/partnership/vacancies",
            "/partnership/customers",
            "/partnership/employer-agreements",
            "/partnership/placements",
        ):
            with count_queries() as statements:
                get_page(client, path)
            counted.append(len(statements))
        return counted

    def add_rows() -> None:
        vacancy = _lep_vacancy(district)
        customer = provider_customer(user, district)
        agreement = employer_agreement(user, vacancy.organisation)
        _report(client, user, customer, f"agreement:{agreement.id}")
        sign_in(client, user)

    add_rows()
    few = costs()
    for _ in range(3):
        add_rows()
    assert costs() == few


# --- placements ------------------------------------------------------------------------------


def _placement(where: str, **changes) -> dict:
    data = {
        "where": where,
        "start_date": ["1", "12", "2026"],
        "hours_per_week": "37.5",
        "hourly_pay": "13.00",
    }
    data.update(changes)
    return data


def _report(client, user, customer, where: str, **changes):
    sign_in(client, user)
    return post_form(
        client, f"/partnership/customers/{customer.id}/placement", _placement(where, **changes)
    )


def test_a_placement_through_a_jobcentre_plus_vacancy_waits_for_the_employer(client):
    district = DistrictFactory()
    user = partnered_user(district)
    vacancy = _lep_vacancy(district)
    owner = vacancy.organisation.memberships[0].user
    customer = provider_customer(user, district)
    made = referral(vacancy, customer, by=user)
    sign_in(client, user)
    html = get_page(
        client, f"/partnership/customers/{customer.id}/placement", title="Report a placement"
    )
    assert vacancy.job_title in html
    response = _report(client, user, customer, f"vacancy:{made.id}")
    assert response.status_code == 302
    outcome = db.session.scalar(select(JobOutcome))
    assert (
        outcome.source is OutcomeSource.JOBCENTRE_PLUS and outcome.provider_id == user.provider_id
    )
    assert outcome.validation_status is ValidationStatus.AWAITING_EMPLOYER
    assert outcome.referral_id == made.id and outcome.counts_as_lep
    assert owner.email in {m.recipient for m in _mail("outcome_confirm")}
    assert "Jobcentre Plus LEP vacancy" in get_page(client, "/partnership/placements")


def test_a_placement_through_the_provider_s_own_agreement_counts_as_a_provider_outcome(client):
    district = DistrictFactory()
    user = partnered_user(district)
    organisation = OrganisationFactory(district=district)
    owner = employer_user(organisation)
    agreement = employer_agreement(user, organisation, agreed_on=dt.date(2026, 11, 2))
    customer = provider_customer(user, district)
    assert _report(client, user, customer, f"agreement:{agreement.id}").status_code == 302
    outcome = db.session.scalar(select(JobOutcome))
    assert outcome.source is OutcomeSource.PROVIDER and outcome.provider_id == user.provider_id
    assert outcome.referral_id is None and outcome.organisation_id == organisation.id
    assert outcome.counts_as_lep  # no Jobcentre Plus agreement: the provider's counts
    assert outcome.validation_status is ValidationStatus.AWAITING_EMPLOYER
    assert owner.email in {m.recipient for m in _mail("outcome_confirm")}
    # The employer confirms it like any other.
    sign_in(client, owner)
    get_page(client, f"/outcomes/{outcome.id}/confirm", title="Did ")
    post_form(client, f"/outcomes/{outcome.id}/confirm", {"answer": "confirm"}, status=302)
    db.session.refresh(outcome)
    assert outcome.validation_status is ValidationStatus.VALIDATED


def test_a_job_before_the_provider_s_agreement_is_not_a_lep_outcome(client):
    district = DistrictFactory()
    user = partnered_user(district)
    organisation = OrganisationFactory(district=district)
    agreement = employer_agreement(user, organisation, agreed_on=dt.date(2026, 12, 3))
    customer = provider_customer(user, district)
    _report(client, user, customer, f"agreement:{agreement.id}")
    assert db.session.scalar(select(JobOutcome.counts_as_lep)) is False


def test_a_placement_goes_through_the_same_validation_as_any_other(client):
    district = DistrictFactory()
    user = partnered_user(district)
    organisation = OrganisationFactory(district=district)
    agreement = employer_agreement(user, organisation)
    customer = provider_customer(user, district)
    response = _report(client, user, customer, f"agreement:{agreement.id}", hourly_pay="2.00")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html and "National Minimum Wage" in html
    assert 'value="37.5"' in html
    response = _report(
        client, user, customer, f"agreement:{agreement.id}", start_date=["1", "12", "2027"]
    )
    assert "today or in the past" in response.get_data(as_text=True)
    assert _report(client, user, customer, "vacancy:not-an-id").status_code == 200  # not a choice
    assert db.session.scalar(select(func.count(JobOutcome.id))) == 0


def test_mi_counts_outcomes_by_source_against_an_independent_count(client):
    """The by-source figure's CSV equals counts made here from the outcome rows."""
    district = DistrictFactory()
    user = partnered_user(district)
    organisation = OrganisationFactory(district=district)
    employer_user(organisation)
    agreement = employer_agreement(user, organisation)
    vacancy = _lep_vacancy(district)
    for _number in range(3):
        _report(client, user, provider_customer(user, district), f"agreement:{agreement.id}")
    for _number in range(2):
        customer = provider_customer(user, district)
        _report(client, user, customer, f"vacancy:{referral(vacancy, customer, by=user).id}")
    outcomes = db.session.scalars(select(JobOutcome)).all()
    counted = [
        o
        for o in outcomes
        if o.counts_as_lep
        and o.validation_status is not ValidationStatus.REJECTED
        and dt.date(2026, 12, 1) <= o.start_date <= dt.date(2026, 12, 31)
    ]
    by_source = {"Jobcentre Plus": 0, "Training provider's own agreement": 0}
    for o in counted:
        by_source[
            "Jobcentre Plus"
            if o.source is OutcomeSource.JOBCENTRE_PLUS
            else "Training provider's own agreement"
        ] += 1
    assert by_source == {"Jobcentre Plus": 2, "Training provider's own agreement": 3}
    sign_in(client, StaffFactory(role="coordinator", district=district))
    response = client.get(
        f"/reports/outcomes-by-source.csv?period=month&start=1&start=12&start=2026&district={district.id}"
    )
    assert response.status_code == 200
    lines = response.get_data(as_text=True).strip().splitlines()
    rows = dict(line.rsplit(",", 1) for line in lines[1:])
    assert int(rows["Jobcentre Plus"]) == by_source["Jobcentre Plus"]
    assert (
        int(
            rows['"Training provider\'s own agreement"']
            if '"Training provider\'s own agreement"' in rows
            else rows["Training provider's own agreement"]
        )
        == 3
    )
    assert int(rows["Total"]) == 5


def test_the_provider_s_home_page_points_to_its_offer_then_to_what_it_covers(client):
    district = DistrictFactory()
    user = ProviderUserFactory()
    sign_in(client, user)
    assert "LEP partnership" not in get_page(client, "/").split("<main", 1)[1]
    offered = partnership(user.provider, district, accepted=False)
    assert "Read and accept it" in get_page(client, "/")
    offered.status, offered.accepted_by, offered.accepted_at = (
        PartnershipStatus.ACCEPTED,
        user,
        dt.datetime(2026, 12, 4, 12, tzinfo=dt.UTC),
    )
    db.session.flush()
    html = get_page(client, "/")
    assert "Read and accept it" not in html and "/partnership/vacancies" in html
