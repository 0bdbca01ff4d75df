"""The recruitment subsidy end to end through the test client: a voucher issued on an
eligible start, the employer's one-step claim, the DAM's bulk approval with its confirmation
page, the coordinator's approvals and rejections, the payment run, and who may see what."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from app.auth.models import Role
from app.customers.models import AuditEntry
from app.extensions import db
from app.mail.models import OutboxMessage
from app.outcomes import services as outcome_services
from app.vouchers import services
from app.vouchers.cli import pay_command
from app.vouchers.models import Voucher, VoucherEvent, VoucherStatus
from tests.factories import OrganisationFactory, employer_user
from tests.helpers import count_queries, freeze_today, get_page, post_form, sign_in, visible_text
from tests.outcome_factories import OfferedReferralFactory, customer_in, record, staff_in
from tests.voucher_factories import claimed, large_account, voucher_for

TODAY = dt.date(2026, 6, 10)


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    freeze_today(monkeypatch, TODAY)


@pytest.fixture
def sme():
    return OrganisationFactory()


@pytest.fixture
def owner(sme):
    return employer_user(sme, email="owner@sme.example")


@pytest.fixture
def coordinator(sme):
    return staff_in(sme.district, Role.COORDINATOR)


def _reload(voucher: Voucher) -> Voucher:
    return db.session.scalars(
        select(Voucher).where(Voucher.id == voucher.id).execution_options(populate_existing=True)
    ).one()


def _emails(recipient: str, kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.recipient == recipient, OutboxMessage.kind == kind
            )
        )
    )


def _events(voucher: Voucher) -> list[VoucherStatus]:
    return list(
        db.session.scalars(
            select(VoucherEvent.status)
            .where(VoucherEvent.voucher_id == voucher.id)
            .order_by(VoucherEvent.at)
        )
    )


# --- issuing ---------------------------------------------------------------------------------


def test_an_eligible_start_issues_a_voucher_and_emails_the_employer(sme, owner):
    voucher = voucher_for(sme, owner)
    assert voucher.status is VoucherStatus.ISSUED
    assert voucher.amount == 1000
    assert voucher.claimable_from == voucher.outcome.start_date + dt.timedelta(weeks=13)
    assert _events(voucher) == [VoucherStatus.ISSUED]
    (email,) = _emails(owner.email, "voucher_issued")
    assert f"/vouchers/{voucher.id}" in email.text_body
    assert "£1,000" in email.subject


def test_a_start_after_under_six_months_of_jsa_issues_none(sme, owner):
    assert voucher_for(sme, owner, long_term=False) is None
    assert db.session.scalar(select(func.count(Voucher.id))) == 0


def test_a_staff_recorded_start_has_a_voucher_claimable_only_once_confirmed(client, sme, owner):
    referral = OfferedReferralFactory(
        vacancy__organisation=sme,
        customer=customer_in(sme.district, claim_start=dt.date(2024, 1, 1)),
    )
    outcome = record(referral, staff_in(sme.district), start=TODAY - dt.timedelta(weeks=20))
    sign_in(client, owner)
    html = get_page(client, f"/vouchers/{outcome.voucher.id}")
    assert "once you have confirmed" in visible_text(html)
    assert "Claim £1,000" not in html


def test_rejecting_the_start_cancels_its_voucher(sme, owner, coordinator):
    referral = OfferedReferralFactory(
        vacancy__organisation=sme,
        customer=customer_in(sme.district, claim_start=dt.date(2024, 1, 1)),
    )
    outcome = record(referral, staff_in(sme.district), start=TODAY - dt.timedelta(weeks=20))
    voucher = outcome.voucher
    assert outcome_services.reject(outcome, coordinator, "Never started")
    db.session.flush()
    assert _reload(voucher).status is VoucherStatus.CANCELLED
    assert _events(voucher) == [VoucherStatus.ISSUED, VoucherStatus.CANCELLED]


# --- the employer ----------------------------------------------------------------------------


def test_the_employer_sees_its_vouchers_and_the_voucher_on_the_outcome(client, sme, owner):
    voucher = voucher_for(sme, owner, name="Grace")
    not_yet = voucher_for(sme, owner, weeks_ago=2, name="Henry")
    sign_in(client, owner)
    html = visible_text(get_page(client, "/vouchers", title="Recruitment subsidy"))
    assert "Grace" in html and "Henry" in html
    assert "£1,000" in html
    assert "Claim now" in html  # Grace's only
    assert html.count("Claim now") == 1
    outcomes = visible_text(get_page(client, "/outcomes"))
    assert f"Voucher: claim from {not_yet.claimable_from:%-d %B %Y}" in outcomes
    assert f"/vouchers/{voucher.id}" in get_page(client, "/outcomes")


def test_the_employer_claims_in_one_step_on_the_data_held(client, sme, owner):
    organisation, dam = large_account(sme.district)
    big_owner = employer_user(organisation, email="owner@large.example")
    voucher = voucher_for(organisation, big_owner, name="Grace")
    sign_in(client, big_owner)
    html = get_page(client, f"/vouchers/{voucher.id}", title="Recruitment subsidy voucher")
    text = visible_text(html)
    for held in ("Grace", organisation.name, "Start date", "Hours a week", "Pay per hour"):
        assert held in text
    assert "<input" in html and 'type="text"' not in html  # nothing to type

    # Without the declaration: the page again with an error summary.
    response = post_form(client, f"/vouchers/{voucher.id}/claim", {}, status=200)
    page = response.get_data(as_text=True)
    assert "govuk-error-summary" in page
    assert "Tick the box to declare" in page
    assert _reload(voucher).status is VoucherStatus.ISSUED

    post_form(client, f"/vouchers/{voucher.id}/claim", {"declaration": "y"}, status=302)
    voucher = _reload(voucher)
    assert voucher.status is VoucherStatus.CLAIMED
    assert voucher.claimed_by_id == big_owner.id
    assert voucher.approver_id == dam.id  # a large account its DAM manages
    assert len(_emails(big_owner.email, "voucher_claimed")) == 1

    # A second click (or a second tab) changes nothing.
    post_form(client, f"/vouchers/{voucher.id}/claim", {"declaration": "y"}, status=302)
    assert _events(voucher) == [VoucherStatus.ISSUED, VoucherStatus.CLAIMED]
    assert len(_emails(big_owner.email, "voucher_claimed")) == 1


def test_the_claim_service_is_compare_and_set(sme, owner):
    voucher = voucher_for(sme, owner)
    assert services.claim(voucher, owner) is True
    assert services.claim(voucher, owner) is False
    assert _reload(voucher).approver_id is None  # an SME: the coordinator approves


def test_a_voucher_not_yet_claimable_cannot_be_claimed(client, sme, owner):
    voucher = voucher_for(sme, owner, weeks_ago=12)
    sign_in(client, owner)
    html = get_page(client, f"/vouchers/{voucher.id}")
    assert "Claim £1,000" not in html
    response = post_form(client, f"/vouchers/{voucher.id}/claim", {"declaration": "y"}, status=302)
    assert response.headers["Location"].endswith(f"/vouchers/{voucher.id}")
    assert _reload(voucher).status is VoucherStatus.ISSUED


def test_another_employers_voucher_is_not_found(client, sme, owner):
    voucher = voucher_for(sme, owner)
    stranger = employer_user(OrganisationFactory(district=sme.district))
    sign_in(client, stranger)
    get_page(client, f"/vouchers/{voucher.id}", status=404)
    post_form(client, f"/vouchers/{voucher.id}/claim", {"declaration": "y"}, status=404)
    get_page(client, f"/vouchers/{uuid.uuid4()}", status=404)
    assert "Ada" not in visible_text(get_page(client, "/vouchers"))
    assert _reload(voucher).status is VoucherStatus.ISSUED


def test_a_page_number_that_is_not_one_is_a_bad_request(client, owner):
    sign_in(client, owner)
    get_page(client, "/vouchers?page=nope", status=400)
    get_page(client, "/vouchers?page=0", status=400)


# --- the DAM and the coordinator -------------------------------------------------------------


@pytest.fixture
def dam_claims(sme):
    """Three claims of a large account its DAM manages, and one of an SME."""
    organisation, dam = large_account(sme.district)
    big_owner = employer_user(organisation, email="owner@large.example")
    claims = [
        claimed(voucher_for(organisation, big_owner, name=name), big_owner)
        for name in ("Grace", "Henry", "Ivy")
    ]
    return dam, big_owner, claims


def test_the_dam_approves_in_bulk_with_a_confirmation_page(client, dam_claims, owner, sme):
    dam, big_owner, claims = dam_claims
    sme_claim = claimed(voucher_for(sme, owner, name="Zed"), owner)
    sign_in(client, dam)
    html = visible_text(get_page(client, "/vouchers/claims", title="Recruitment subsidy claims"))
    assert all(name in html for name in ("Grace", "Henry", "Ivy"))
    assert "Zed" not in html  # the SME's claim is the coordinator's
    # A page of people's names: one audit entry for each person it showed.
    assert (
        db.session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.action == "viewed_in_voucher_claims", AuditEntry.user_id == dam.id
            )
        )
        == 3
    )

    # Select all: every box ticked, without JavaScript.
    assert get_page(client, "/vouchers/claims?select=all").count(" checked") == 3

    # Nothing ticked: the list again, with an error.
    response = post_form(client, "/vouchers/claims/approve", {}, status=200)
    assert "Select at least one claim to approve" in response.get_data(as_text=True)

    chosen = [str(claims[0].id), str(claims[1].id)]
    response = post_form(client, "/vouchers/claims/approve", {"voucher": chosen}, status=200)
    page = visible_text(response.get_data(as_text=True))
    assert "Approve 2 claims?" in page and "£2,000" in page
    assert all(_reload(claim).status is VoucherStatus.CLAIMED for claim in claims)

    post_form(
        client,
        "/vouchers/claims/approve",
        {"voucher": chosen, "confirmed": "yes"},
        status=302,
    )
    assert [_reload(claim).status for claim in claims] == [
        VoucherStatus.APPROVED,
        VoucherStatus.APPROVED,
        VoucherStatus.CLAIMED,
    ]
    assert _reload(claims[0]).decided_by_id == dam.id
    assert len(_emails(big_owner.email, "voucher_approved")) == 2
    assert _events(claims[0])[-1] is VoucherStatus.APPROVED

    # The same form sent again (Back, then resubmit): nothing approved twice.
    post_form(
        client, "/vouchers/claims/approve", {"voucher": chosen, "confirmed": "yes"}, status=302
    )
    assert len(_emails(big_owner.email, "voucher_approved")) == 2
    assert _events(claims[0]).count(VoucherStatus.APPROVED) == 1

    # The SME's claim cannot be approved by the DAM, even by posting its id.
    post_form(
        client,
        "/vouchers/claims/approve",
        {"voucher": [str(sme_claim.id)], "confirmed": "yes"},
        status=302,
    )
    assert _reload(sme_claim).status is VoucherStatus.CLAIMED


def test_a_malformed_id_in_the_bulk_form_is_a_bad_request(client, dam_claims):
    dam, _, _ = dam_claims
    sign_in(client, dam)
    post_form(client, "/vouchers/claims/approve", {"voucher": ["not-a-uuid"]}, status=400)


def test_another_dam_sees_none_of_them(client, dam_claims, sme):
    _, _, claims = dam_claims
    other_dam = staff_in(sme.district, Role.DAM)
    sign_in(client, other_dam)
    assert "Grace" not in visible_text(get_page(client, "/vouchers/claims"))
    get_page(client, f"/vouchers/claims/{claims[0].id}", status=404)
    post_form(
        client,
        "/vouchers/claims/approve",
        {"voucher": [str(claims[0].id)], "confirmed": "yes"},
        status=302,
    )
    assert _reload(claims[0]).status is VoucherStatus.CLAIMED


def test_the_coordinator_approves_the_rest_and_rejects_with_a_reason(
    client, sme, owner, coordinator, dam_claims
):
    first = claimed(voucher_for(sme, owner, name="Zed"), owner)
    second = claimed(voucher_for(sme, owner, name="Yan"), owner)
    sign_in(client, coordinator)
    html = visible_text(get_page(client, "/vouchers/claims"))
    assert "Zed" in html and "Yan" in html
    assert "Grace" not in html  # the DAM's

    page = get_page(client, f"/vouchers/claims/{first.id}", title="Recruitment subsidy claim")
    assert "Zed" in visible_text(page)
    # Opening a claim is a look at the person's data: audited.
    assert db.session.scalar(
        select(func.count(AuditEntry.id)).where(AuditEntry.action == "viewed_voucher_claim")
    )

    response = post_form(client, f"/vouchers/claims/{first.id}", {"decision": "reject"}, status=200)
    assert "Enter the reason for rejecting the claim" in response.get_data(as_text=True)
    post_form(
        client,
        f"/vouchers/claims/{first.id}",
        {"decision": "reject", "reason": "The person left after a week"},
        status=302,
    )
    first = _reload(first)
    assert first.status is VoucherStatus.REJECTED
    assert first.rejection_reason == "The person left after a week"
    (email,) = _emails(owner.email, "voucher_rejected")
    assert "The person left after a week" in email.text_body

    post_form(client, f"/vouchers/claims/{second.id}", {"decision": "approve"}, status=302)
    assert _reload(second).status is VoucherStatus.APPROVED
    # Deciding again: nothing changes.
    post_form(client, f"/vouchers/claims/{second.id}", {"decision": "reject", "reason": "x"})
    assert _reload(second).status is VoucherStatus.APPROVED


def test_a_coordinator_of_another_district_gets_not_found(client, sme, owner):
    voucher = claimed(voucher_for(sme, owner), owner)
    elsewhere = staff_in(OrganisationFactory().district, Role.COORDINATOR)
    sign_in(client, elsewhere)
    get_page(client, f"/vouchers/claims/{voucher.id}", status=404)
    assert "Ada" not in visible_text(get_page(client, "/vouchers/claims"))


def test_the_claims_list_takes_as_many_queries_for_one_claim_as_for_many(client, sme):
    organisation, dam = large_account(sme.district)
    big_owner = employer_user(organisation)
    claimed(voucher_for(organisation, big_owner, name="One"), big_owner)
    sign_in(client, dam)
    get_page(client, "/vouchers/claims")
    with count_queries() as few:
        get_page(client, "/vouchers/claims")
    for name in ("Two", "Three", "Four", "Five"):
        claimed(voucher_for(organisation, big_owner, name=name), big_owner)
    with count_queries() as many:
        get_page(client, "/vouchers/claims")
    assert len(many) == len(few)


def test_the_employer_list_takes_as_many_queries_for_one_voucher_as_for_many(client, sme, owner):
    voucher_for(sme, owner, name="One")
    sign_in(client, owner)
    get_page(client, "/vouchers")
    with count_queries() as few:
        get_page(client, "/vouchers")
    for name in ("Two", "Three", "Four"):
        voucher_for(sme, owner, name=name)
    with count_queries() as many:
        get_page(client, "/vouchers")
    assert len(many) == len(few)


# --- the payment run -------------------------------------------------------------------------


def test_the_payment_run_pays_each_approved_claim_once(app, sme, owner, coordinator, tmp_path):
    approved = claimed(voucher_for(sme, owner, name="Zed"), owner)
    waiting = claimed(voucher_for(sme, owner, name="Yan"), owner)
    assert services.approve([approved.id], coordinator, Voucher.district_id == sme.district_id)
    db.session.flush()
    payment_file = tmp_path / "run.csv"
    result = app.test_cli_runner().invoke(pay_command, [str(payment_file)])
    assert result.exit_code == 0, result.output
    assert "1 claims paid, £1,000.00" in result.output
    assert _reload(approved).status is VoucherStatus.PAID
    assert _reload(approved).payment_run.startswith("PR-20260610")
    assert _reload(waiting).status is VoucherStatus.CLAIMED
    lines = payment_file.read_text().splitlines()
    assert lines[0] == "reference,employer,amount,approved_on,payment_run"
    assert lines[1].startswith(f"{approved.reference},{sme.name},1000.00,2026-06-10,PR-")
    assert len(_emails(owner.email, "voucher_paid")) == 1

    again = app.test_cli_runner().invoke(pay_command, [str(payment_file)])
    assert "0 claims paid" in again.output
    assert len(_emails(owner.email, "voucher_paid")) == 1


# --- the home page ---------------------------------------------------------------------------


def test_the_home_page_tells_the_employer_and_the_dam_what_waits(client, dam_claims, sme, owner):
    dam, big_owner, _ = dam_claims
    voucher_for(sme, owner, name="Zed")  # claimable
    voucher_for(sme, owner, weeks_ago=2, name="Yan")  # not yet
    sign_in(client, owner)
    assert "You can claim 1 recruitment subsidy voucher" in visible_text(get_page(client, "/"))
    sign_in(client, big_owner)
    assert "recruitment subsidy voucher" not in visible_text(get_page(client, "/"))
    sign_in(client, dam)
    assert "3 recruitment subsidy claims are waiting for you" in visible_text(get_page(client, "/"))
