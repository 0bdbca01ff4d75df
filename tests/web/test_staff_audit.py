"""Every staff look at a customer's personal data is audited, one entry per person a page
showed; coordinators and admins read the trail in words and download it for a subject
access request (issue 13)."""

from __future__ import annotations

import csv
import io
import re

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.customers import labels
from app.customers.models import AuditEntry
from app.customers.services import record_access
from app.extensions import db
from app.pet.trainees import services as trainee_services
from app.referrals import services as referral_services
from tests.customer_factories import CustomerFactory
from tests.factories import OrganisationFactory, employer_user
from tests.helpers import get_page, sign_in
from tests.outcome_factories import OfferedReferralFactory, record
from tests.referral_factories import (
    adviser_in,
    fitting_customer,
    live_vacancy,
    referral,
    staff,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


def looks(customer, action: str | None = None) -> list[AuditEntry]:
    statement = select(AuditEntry).where(
        AuditEntry.customer_id == customer.id, AuditEntry.action.startswith("viewed")
    )
    if action:
        statement = statement.where(AuditEntry.action == action)
    return list(db.session.scalars(statement.order_by(AuditEntry.at)))


@pytest.fixture
def vacancy():
    return live_vacancy(job_title="Warehouse operative")


@pytest.fixture
def lmra(vacancy):
    return staff(Role.LMRA, vacancy.district, name="Lee LMRA")


@pytest.fixture
def coordinator(vacancy):
    return staff(Role.COORDINATOR, vacancy.district, name="Cora Coordinator")


def test_an_lmra_opening_a_full_customer_record_leaves_a_trace(client, vacancy, lmra):
    customer = fitting_customer(vacancy)
    sign_in(client, lmra)
    html = get_page(client, f"/customers/{customer.id}")
    assert customer.reference in html  # reference, date of birth, benefit, disability
    (entry,) = looks(customer)
    assert (entry.action, entry.user_id, entry.organisation_id) == (
        labels.VIEWED_RECORD,
        lmra.id,
        None,
    )
    get_page(client, f"/customers/{customer.id}")
    assert len(looks(customer)) == 2  # each look, not only the first


def test_the_customer_list_writes_one_entry_per_person_it_shows(client, vacancy, lmra):
    shown = [fitting_customer(vacancy) for _ in range(3)]
    sign_in(client, lmra)
    get_page(client, "/customers?scope=district")
    for customer in shown:
        assert [e.action for e in looks(customer)] == [labels.VIEWED_IN_LIST]
    searched = get_page(client, f"/customers?scope=district&q={shown[0].reference}")
    assert shown[0].reference in searched and shown[1].reference not in searched
    assert len(looks(shown[0])) == 2 and len(looks(shown[1])) == 1


def test_suggestions_for_a_vacancy_are_audited_with_the_vacancy(client, vacancy, lmra):
    customer = fitting_customer(vacancy)
    sign_in(client, lmra)
    html = get_page(client, f"/vacancies/{vacancy.id}/suggestions")
    assert customer.reference in html
    (entry,) = looks(customer, labels.VIEWED_IN_SUGGESTIONS)
    assert "Warehouse operative" in entry.detail


def test_an_account_s_referrals_tab_is_audited_once_per_person(client, vacancy, lmra):
    customer = fitting_customer(vacancy)
    referral(vacancy, customer)
    referral(live_vacancy(vacancy.organisation), customer)  # two rows, one person
    sign_in(client, lmra)
    html = get_page(client, f"/accounts/{vacancy.organisation_id}/referrals")
    assert customer.reference in html
    (entry,) = looks(customer, labels.VIEWED_IN_ACCOUNT)
    assert vacancy.organisation.name in entry.detail


def test_a_job_outcome_page_is_audited(client, coordinator):
    offered = OfferedReferralFactory()
    outcome = record(offered, coordinator)
    sign_in(client, staff(Role.COORDINATOR, offered.vacancy.district))
    get_page(client, f"/outcomes/{outcome.id}")
    (entry,) = looks(offered.customer, labels.VIEWED_OUTCOME)
    assert offered.organisation.name in entry.detail


def test_every_action_the_code_writes_is_in_words():
    written = [
        *(
            value
            for name, value in vars(labels).items()
            if name.isupper() and isinstance(value, str)
        ),
        referral_services.REFERRED_AUDIT,
        referral_services.VIEWED_CANDIDATE_AUDIT,
        trainee_services.REFERRED_AUDIT,
        trainee_services.VIEWED_TRAINEE_AUDIT,
    ]
    written = [value for value in written if value != labels.NO_BENEFIT]
    assert written and all(action in labels.ACTION_LABELS for action in written), [
        action for action in written if action not in labels.ACTION_LABELS
    ]


# --- the trail --------------------------------------------------------------------------------


@pytest.fixture
def trail(vacancy, lmra):
    """A customer an LMRA opened and an employer saw as a candidate."""
    customer = fitting_customer(vacancy)
    record_access(customer, lmra, labels.VIEWED_RECORD)
    made = referral(vacancy, customer)
    referral_services.record_viewed(made, vacancy.organisation.memberships[0].user)
    db.session.flush()
    return customer


def test_coordinators_read_who_saw_the_record_in_words(client, trail, coordinator):
    sign_in(client, coordinator)
    html = get_page(client, f"/customers/{trail.id}")
    assert f'href="/customers/{trail.id}/audit"' in html  # reachable from the record
    html = get_page(client, f"/customers/{trail.id}/audit", title="Who has seen")
    main = html.split("<main")[1]
    assert "Lee LMRA" in main and "Opened the customer record" in main
    assert "Employer opened their candidate details" in main
    assert "Candidate details for the vacancy Warehouse operative" in main
    assert vacancy_owner_organisation(trail) in main
    for code in ("viewed_candidate", "viewed_record", "viewed_"):
        assert code not in main


def vacancy_owner_organisation(customer) -> str:
    entry = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.customer_id == customer.id, AuditEntry.organisation_id.is_not(None)
        )
    )
    return entry.organisation.name


def test_staff_who_are_not_coordinators_see_no_link_to_the_trail(client, trail, lmra):
    sign_in(client, lmra)
    html = get_page(client, f"/customers/{trail.id}")
    assert f"/customers/{trail.id}/audit" not in html
    get_page(client, f"/customers/{trail.id}/audit", status=403)
    get_page(client, f"/customers/{trail.id}/audit/download", status=403)


def test_admins_read_the_trail_of_a_customer_in_any_district(client, trail):
    admin = staff(Role.ADMIN, OrganisationFactory().district)
    sign_in(client, admin)
    assert "Lee LMRA" in get_page(client, f"/customers/{trail.id}/audit")


def download(client, customer) -> list[list[str]]:
    response = client.get(f"/customers/{customer.id}/audit/download")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert customer.reference in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "private, no-store"
    return list(csv.reader(io.StringIO(response.get_data(as_text=True))))


def test_the_trail_downloads_as_a_csv_for_a_subject_access_request(client, trail, coordinator):
    sign_in(client, coordinator)
    rows = download(client, trail)
    assert rows[0] == [
        "When (UK time)",
        "Who",
        "Organisation",
        "What happened",
        "In connection with",
    ]
    body = rows[1:]
    assert [row[3] for row in body] == [
        "Opened the customer record",
        "Employer opened their candidate details",
    ]
    assert body[0][1:3] == ["Lee LMRA", "Jobcentre Plus"]
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[0]) for row in body)
    # The download is itself on the trail.
    (entry,) = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.customer_id == trail.id, AuditEntry.action == labels.DOWNLOADED_AUDIT
        )
    )
    assert entry.user_id == coordinator.id
    assert download(client, trail)[-1][3] == "Downloaded this record’s audit trail"


def test_the_csv_never_carries_a_formula(client, vacancy, coordinator):
    customer = fitting_customer(vacancy)
    hostile = employer_user(OrganisationFactory(name='=HYPERLINK("http://evil")'), name="+Eve")
    record_access(customer, hostile, labels.VIEWED, "@SUM(A1)")
    db.session.flush()
    sign_in(client, coordinator)
    (row,) = download(client, customer)[1:2]
    assert row[1:3] == ["'+Eve", '\'=HYPERLINK("http://evil")']
    assert row[4] == "'@SUM(A1)"


def test_the_trail_of_a_customer_with_no_looks_says_so(client, vacancy, coordinator):
    customer = CustomerFactory(adviser=adviser_in(vacancy.district))
    sign_in(client, coordinator)
    assert "Nobody has seen or changed this record yet." in get_page(
        client, f"/customers/{customer.id}/audit"
    )
