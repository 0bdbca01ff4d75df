"""Customers (jobseekers): advisers record them, their consent and their readiness; staff of
the customer's district see them and their audit trail; nobody else does."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from app import clock
from app.auth.models import Role
from app.customers.models import AuditEntry, Benefit, Consent, Customer, Readiness
from app.customers.rules import PRIORITY_GROUP_LABELS, add_months
from app.extensions import db
from tests.customer_factories import AdviserFactory, CustomerFactory
from tests.factories import OfficeFactory, StaffFactory, employer_user
from tests.helpers import (
    check_html,
    count_queries,
    get_page,
    keep_day,
    page_title,
    post_form,
    sign_in,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


@pytest.fixture
def adviser():
    return AdviserFactory(name="Ada Adviser")


@pytest.fixture
def as_adviser(app, adviser):
    return sign_in(app.test_client(), adviser)


@pytest.fixture
def as_coordinator(app, adviser):
    """The LEP coordinator of the adviser's district: who reads the audit trail."""
    coordinator = StaffFactory(
        role=Role.COORDINATOR, district=adviser.district, office=adviser.office, name="Cora"
    )
    return sign_in(app.test_client(), coordinator)


def changes(entries: list[AuditEntry]) -> list[AuditEntry]:
    """The entries that record a change, leaving out the looks (each page view writes one)."""
    return [entry for entry in entries if not entry.action.startswith("viewed")]


def date_parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


TODAY = clock.today()


@pytest.fixture(autouse=True)
def same_day_throughout(monkeypatch):
    keep_day(monkeypatch, TODAY)


def valid(**overrides) -> dict:
    data = {
        "reference": "ab 123456c",
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "priya@example.net",
        "phone": "07700 900123",
        "date_of_birth": ["14", "3", "1990"],
        "postcode": "ls9  8ab",
        "benefit": "jsa",
        "claim_start": date_parts(TODAY - dt.timedelta(days=60)),
        "circumstances": ["lone_parent", "disadvantaged_ward"],
        "goal_sectors": ["retail", "hospitality"],
        "goal_occupations": "Barista, shop assistant",
        "min_hours": "16",
        "max_hours": "30",
        "travel_miles": "5",
        "experience": "Café work",
        "skills": "Food hygiene certificate",
        "availability": "Weekdays",
        "readiness": "green",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def audit_entries(customer: Customer) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry).where(AuditEntry.customer_id == customer.id).order_by(AuditEntry.at)
        )
    )


def error_summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


# Recording a customer


def test_adviser_records_a_customer_on_their_caseload_in_their_district(as_adviser, adviser):
    html = get_page(as_adviser, "/customers/new", title="Add a customer")
    assert re.findall(r"<legend[^>]*>\s*(.*?)\s*</legend>", html, re.S) == [
        "Date of birth",
        "Which benefit does the customer claim?",
        "Date the claim started",
        "Circumstances",
        "Sectors the customer wants to work in",
        "How ready for work is the customer?",
    ]
    response = post_form(as_adviser, "/customers/new", valid(), status=302)

    customer = db.session.scalar(select(Customer).where(Customer.reference == "AB123456C"))
    assert response.headers["Location"].endswith(f"/customers/{customer.id}")
    assert (customer.first_name, customer.last_name, customer.postcode) == (
        "Priya",
        "Shah",
        "LS9 8AB",
    )
    assert customer.date_of_birth == dt.date(1990, 3, 14)
    assert customer.benefit is Benefit.JSA
    assert customer.claim_start == TODAY - dt.timedelta(days=60)
    assert customer.lone_parent and customer.disadvantaged_ward and not customer.employed
    assert customer.goal_sectors == ["retail", "hospitality"]
    assert (customer.min_hours, customer.max_hours, customer.travel_miles) == (16, 30, 5)
    assert (customer.adviser_id, customer.office_id, customer.district_id) == (
        adviser.id,
        adviser.office_id,
        adviser.district_id,
    )
    assert customer.readiness is Readiness.GREEN
    assert customer.readiness_set_by_id == adviser.id and customer.readiness_set_at is not None
    assert customer.consent_given is False  # consent is recorded on its own
    assert [(e.action, e.user_id) for e in audit_entries(customer)] == [("created", adviser.id)]

    html = get_page(as_adviser, f"/customers/{customer.id}", title="Priya Shah")
    assert "Customer record created for Priya Shah." in html
    assert "No consent to share details" in html


def test_claim_start_is_optional_for_benefits_other_than_jsa(as_adviser):
    post_form(as_adviser, "/customers/new", valid(benefit="esa", claim_start=None), status=302)
    post_form(
        as_adviser,
        "/customers/new",
        valid(reference="X2", benefit="none", claim_start=None),
        status=302,
    )
    esa, none = (
        db.session.scalar(select(Customer).where(Customer.reference == reference))
        for reference in ("AB123456C", "X2")
    )
    assert (esa.benefit, esa.claim_start) == (Benefit.ESA, None)
    assert (none.benefit, none.claim_start) == (None, None)


INVALID = [
    ({"reference": ""}, "reference", "Enter the customer reference number"),
    ({"reference": "AB*12"}, "reference", "must only include letters, numbers"),
    ({"first_name": " "}, "first_name", "Enter the customer’s first name"),
    ({"last_name": ""}, "last_name", "Enter the customer’s last name"),
    ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
    ({"date_of_birth": ["", "", ""]}, "date_of_birth", "Enter the customer’s date of birth"),
    ({"date_of_birth": ["14", "", "1990"]}, "date_of_birth", "Date of birth must include a month"),
    ({"date_of_birth": ["31", "2", "1990"]}, "date_of_birth", "Date of birth must be a real date"),
    ({"date_of_birth": ["1", "1", "90"]}, "date_of_birth", "Date of birth must be a real date"),
    ({"date_of_birth": "1990-03-14"}, "date_of_birth", "Enter the customer’s date of birth"),
    (
        {"date_of_birth": date_parts(TODAY + dt.timedelta(days=1))},
        "date_of_birth",
        "Date of birth must be in the past",
    ),
    (
        {"date_of_birth": date_parts(add_months(TODAY, -12 * 16) + dt.timedelta(days=1))},
        "date_of_birth",
        "The customer must be 16 or over",
    ),
    ({"postcode": ""}, "postcode", "Enter the customer’s home postcode"),
    ({"postcode": "LS1 4A"}, "postcode", "Enter a real postcode, like LS1 4AP"),
    ({"benefit": None}, "benefit", "Select the benefit the customer claims"),
    (
        {"claim_start": ["", "", ""]},
        "claim_start",
        "Enter the date the Jobseeker’s Allowance claim started",
    ),
    (
        {"benefit": "none"},
        "claim_start",
        "Remove the claim start date, or select the benefit the customer claims",
    ),
    (
        {"claim_start": date_parts(TODAY + dt.timedelta(days=1))},
        "claim_start",
        "The date the claim started must be today or in the past",
    ),
    (
        {"claim_start": ["1", "13", "2024"]},
        "claim_start",
        "The date the claim started must be a real date",
    ),
    ({"min_hours": "sixteen"}, "min_hours", "Minimum hours must be a whole number"),
    ({"max_hours": "0"}, "max_hours", "Maximum hours must be between 1 and 80"),
    (
        {"min_hours": "30", "max_hours": "16"},
        "max_hours",
        "Maximum hours must be the same as or more than the minimum hours",
    ),
    ({"travel_miles": ""}, "travel_miles", "Enter how far the customer can travel, in miles"),
    ({"travel_miles": "500"}, "travel_miles", "Travel distance must be between 0 and 200 miles"),
    (
        {"circumstances": ["under_redundancy_notice"]},
        "circumstances",
        "Select ‘In work’ too, or untick ‘Under threat or notice of redundancy’",
    ),
    ({"readiness": None}, "readiness", "Select how ready for work the customer is"),
    ({"readiness": "purple"}, "readiness", "Not a valid choice"),
]


@pytest.mark.parametrize(("overrides", "field", "message"), INVALID)
def test_new_customer_form_explains_each_problem(as_adviser, overrides, field, message):
    response = post_form(as_adviser, "/customers/new", valid(**overrides), status=200)
    html = response.get_data(as_text=True)
    check_html(html)
    assert page_title(html).startswith("Error: Add a customer")
    summary = error_summary(html)
    assert message in summary
    assert f'href="#{field}"' in summary
    assert db.session.scalar(select(Customer.id)) is None


def test_new_customer_form_keeps_every_answer_when_it_has_errors(as_adviser):
    response = post_form(
        as_adviser,
        "/customers/new",
        valid(postcode="nowhere", min_hours="lots", date_of_birth=["31", "2", "1990"]),
        status=200,
    )
    html = response.get_data(as_text=True)
    for kept in (
        'value="ab 123456c"',
        'value="Priya"',
        'value="Shah"',
        'value="priya@example.net"',
        'value="nowhere"',
        'value="lots"',
        'value="31"',
        'value="1990"',
        'value="30"',
        'value="5"',
        "Food hygiene certificate",
    ):
        assert kept in html, kept
    for checked in ("lone_parent", "retail", "hospitality", "jsa", "green"):
        assert re.search(rf'value="{checked}"[^>]*checked', html), checked


def test_an_empty_form_lists_every_required_answer(as_adviser):
    response = post_form(as_adviser, "/customers/new", {}, status=200)
    summary = error_summary(response.get_data(as_text=True))
    for message in (
        "Enter the customer reference number",
        "Enter the customer’s first name",
        "Enter the customer’s last name",
        "Enter the customer’s date of birth",
        "Enter the customer’s home postcode",
        "Select the benefit the customer claims",
        "Enter how far the customer can travel, in miles",
        "Select how ready for work the customer is",
    ):
        assert message in summary, message


def test_a_reference_already_taken_is_refused_whatever_its_spacing_or_case(as_adviser):
    CustomerFactory(reference="AB123456C")
    response = post_form(as_adviser, "/customers/new", valid(reference="ab 1234 56c"), status=200)
    assert "There is already a customer with this reference number" in error_summary(
        response.get_data(as_text=True)
    )


def test_a_reference_taken_between_check_and_save_is_a_form_error(as_adviser, monkeypatch):
    CustomerFactory(reference="AB123456C")
    db.session.commit()  # saved before the form's save, as another adviser's would be
    monkeypatch.setattr("app.customers.forms.reference_taken", lambda *a, **k: False)
    response = post_form(as_adviser, "/customers/new", valid(), status=200)
    html = response.get_data(as_text=True)
    check_html(html)
    assert "There is already a customer with this reference number" in html
    assert db.session.scalar(select(Customer).where(Customer.first_name == "Priya")) is None


# Changing a customer


def test_edit_starts_from_the_record_and_audits_only_the_names_of_changed_fields(
    as_adviser, adviser, as_coordinator
):
    customer = CustomerFactory(adviser=adviser, first_name="Sam", postcode="LS9 8AB")
    before = len(audit_entries(customer))
    html = get_page(as_adviser, f"/customers/{customer.id}/edit", title="Change customer details")
    assert 'value="Sam"' in html and 'value="LS9 8AB"' in html and 'value="1985"' in html

    data = valid(
        reference=customer.reference,
        first_name="Samira",
        last_name=customer.last_name,
        email=customer.email,
        phone=customer.phone,
        date_of_birth=date_parts(customer.date_of_birth),
        postcode="bd1 1aa",
        claim_start=date_parts(customer.claim_start),
        circumstances=[],
        goal_sectors=customer.goal_sectors,
        goal_occupations=customer.goal_occupations,
        min_hours=str(customer.min_hours),
        max_hours=str(customer.max_hours),
        travel_miles=str(customer.travel_miles),
        experience=customer.experience,
        skills=customer.skills,
        availability=customer.availability,
        readiness=None,
        adviser=str(adviser.id),
    )
    post_form(as_adviser, f"/customers/{customer.id}/edit", data, status=302)

    assert (customer.first_name, customer.postcode) == ("Samira", "BD1 1AA")
    entries = audit_entries(customer)[before:]
    assert [(e.action, e.detail, e.user_id) for e in entries] == [
        ("viewed_to_change", "", adviser.id),  # the form showed every detail
        ("changed", "first_name, postcode", adviser.id),
    ]
    trail = get_page(as_coordinator, f"/customers/{customer.id}/audit", title="Who has seen")
    assert "First name, Home postcode" in trail
    assert "BD1 1AA" not in trail and "LS9 8AB" not in trail  # names, never values

    # Saving again with nothing changed writes no change.
    post_form(as_adviser, f"/customers/{customer.id}/edit", data, status=302)
    assert changes(audit_entries(customer)) == changes(entries)


def test_edit_can_move_a_customer_to_another_adviser_in_the_district_only(as_adviser, adviser):
    customer = CustomerFactory(adviser=adviser)
    colleague = AdviserFactory(office=OfficeFactory(district=adviser.district))
    elsewhere = AdviserFactory()
    html = get_page(as_adviser, f"/customers/{customer.id}/edit")
    assert str(colleague.id) in html and str(elsewhere.id) not in html

    form = valid(
        reference=customer.reference,
        claim_start=date_parts(customer.claim_start),
        readiness=None,
    )
    response = post_form(
        as_adviser, f"/customers/{customer.id}/edit", {**form, "adviser": str(elsewhere.id)}
    )
    assert response.status_code == 200 and customer.adviser_id == adviser.id
    post_form(
        as_adviser,
        f"/customers/{customer.id}/edit",
        {**form, "adviser": str(colleague.id)},
        status=302,
    )
    assert (customer.adviser_id, customer.office_id) == (colleague.id, colleague.office_id)
    assert "adviser_id, office_id" in audit_entries(customer)[-1].detail


# Consent and readiness


def test_consent_given_then_withdrawn_is_kept_as_history(as_adviser, adviser):
    customer = CustomerFactory(adviser=adviser, consent_given=False)
    get_page(as_adviser, f"/customers/{customer.id}/consent", title="Record consent")

    response = post_form(as_adviser, f"/customers/{customer.id}/consent", {}, status=200)
    assert "Select whether the customer has given consent" in response.get_data(as_text=True)

    post_form(
        as_adviser,
        f"/customers/{customer.id}/consent",
        {"given": "yes", "note": "Signed the consent form"},
        status=302,
    )
    assert customer.consent_given is True
    html = get_page(as_adviser, f"/customers/{customer.id}")
    assert "Consent recorded" in html and "No consent to share details" not in html

    post_form(
        as_adviser,
        f"/customers/{customer.id}/consent",
        {"given": "no", "note": "Asked by phone to stop"},
        status=302,
    )
    assert customer.consent_given is False
    consents = db.session.scalars(
        select(Consent).where(Consent.customer_id == customer.id).order_by(Consent.recorded_at)
    ).all()
    assert [(c.given, c.note, c.recorded_by_id) for c in consents] == [
        (True, "Signed the consent form", adviser.id),
        (False, "Asked by phone to stop", adviser.id),
    ]
    html = get_page(as_adviser, f"/customers/{customer.id}")
    assert "Consent withdrawn" in html and "No consent to share details" in html
    assert html.index("Asked by phone to stop") < html.index("Signed the consent form")
    assert [e.action for e in changes(audit_entries(customer))] == [
        "consent given",
        "consent withdrawn",
    ]


def test_readiness_records_who_set_it_and_when(as_adviser, adviser):
    customer = CustomerFactory(adviser=adviser, readiness=Readiness.GREEN)
    html = get_page(as_adviser, f"/customers/{customer.id}/readiness", title="Change readiness")
    assert re.search(r'value="green"[^>]*checked', html)
    post_form(as_adviser, f"/customers/{customer.id}/readiness", {"readiness": "red"}, status=302)
    assert customer.readiness is Readiness.RED
    assert customer.readiness_set_by_id == adviser.id
    assert clock.now() - customer.readiness_set_at < dt.timedelta(minutes=1)
    html = get_page(as_adviser, f"/customers/{customer.id}")
    assert "govuk-tag--red" in html and "Red: not ready for LEP vacancies yet" in html
    assert "Set by Ada Adviser" in html
    assert changes(audit_entries(customer))[-1].action == "readiness changed"

    response = post_form(
        as_adviser, f"/customers/{customer.id}/readiness", {"readiness": "blue"}, status=200
    )
    assert "Error:" in page_title(response.get_data(as_text=True))


# What staff see


@pytest.mark.parametrize(
    ("months", "group"), [(7, 2), (2, 3)], ids=["seven-months-pg2", "two-months-pg3"]
)
def test_show_gives_the_priority_group_today(as_adviser, adviser, months, group):
    customer = CustomerFactory(
        adviser=adviser, benefit=Benefit.JSA, claim_start=add_months(TODAY, -months)
    )
    html = get_page(as_adviser, f"/customers/{customer.id}", title=customer.name)
    assert str(PRIORITY_GROUP_LABELS[group]) in html
    assert str(PRIORITY_GROUP_LABELS[5 - group]) not in html


def test_show_says_when_the_priority_group_cannot_be_worked_out(as_adviser, adviser):
    customer = CustomerFactory(adviser=adviser, benefit=Benefit.JSA, claim_start=None)
    html = get_page(as_adviser, f"/customers/{customer.id}")
    assert "Cannot be worked out" in html


def test_show_gives_lep_and_pet_eligibility(as_adviser, adviser):
    customer = CustomerFactory(
        adviser=adviser,
        benefit=None,
        claim_start=None,
        employed=True,
        disadvantaged_ward=True,
    )
    html = get_page(as_adviser, f"/customers/{customer.id}")
    assert str(PRIORITY_GROUP_LABELS[5]) in html
    lep = re.search(r"Can be matched to LEP vacancies</dt>\s*<dd[^>]*>(\w+)", html).group(1)
    pet = re.search(r"Can go on pre-employment training \(PET\)</dt>\s*<dd[^>]*>(\w+)", html)
    assert (lep, pet.group(1)) == ("No", "No")


def test_staff_of_another_district_get_not_found(app, adviser):
    customer = CustomerFactory(adviser=adviser)
    for role in (Role.ADVISER, Role.LMRA, Role.DAM, Role.COORDINATOR):
        client = sign_in(app.test_client(), StaffFactory(role=role))
        get_page(client, f"/customers/{customer.id}", status=404)
        html = get_page(client, "/customers?scope=district")
        assert customer.reference not in html
    client = sign_in(app.test_client(), StaffFactory(role=Role.COORDINATOR))
    for suffix in ("/audit", "/audit/download"):
        get_page(client, f"/customers/{customer.id}{suffix}", status=404)
    client = sign_in(app.test_client(), AdviserFactory())
    for suffix in ("/edit", "/consent", "/readiness"):
        get_page(client, f"/customers/{customer.id}{suffix}", status=404)
        assert client.post(f"/customers/{customer.id}{suffix}", data={}).status_code == 404


def test_employers_never_reach_customers(app, adviser):
    customer = CustomerFactory(adviser=adviser)
    client = sign_in(app.test_client(), employer_user())
    for url in ("/customers", f"/customers/{customer.id}", f"/customers/{customer.id}/audit"):
        get_page(client, url, status=403)


# The list


@pytest.fixture
def caseloads(adviser):
    colleague = AdviserFactory(office=OfficeFactory(district=adviser.district))
    return {
        "mine_green": CustomerFactory(
            adviser=adviser, first_name="Alice", last_name="Green", reference="REF001"
        ),
        "mine_red_no_consent": CustomerFactory(
            adviser=adviser,
            first_name="Bob",
            last_name="Red",
            reference="REF002",
            readiness=Readiness.RED,
            consent_given=False,
        ),
        "colleague": CustomerFactory(
            adviser=colleague, first_name="Carol", last_name="Colleague", reference="REF003"
        ),
        "other_district": CustomerFactory(first_name="Dan", last_name="Away", reference="REF004"),
    }


def names(html: str) -> list[str]:
    return re.findall(r'href="/customers/[0-9a-f-]{36}">([^<]+)</a>', html)


def test_an_adviser_sees_their_own_customers_first_and_can_widen_to_the_district(
    as_adviser, caseloads
):
    assert names(get_page(as_adviser, "/customers", title="Customers")) == [
        "Alice Green",
        "Bob Red",
    ]
    assert names(get_page(as_adviser, "/customers?scope=district")) == [
        "Carol Colleague",
        "Alice Green",
        "Bob Red",
    ]


def test_lmra_and_dam_see_the_district(app, adviser, caseloads):
    for role in (Role.LMRA, Role.DAM):
        staff = StaffFactory(role=role, office=adviser.office)
        html = get_page(sign_in(app.test_client(), staff), "/customers")
        assert names(html) == ["Carol Colleague", "Alice Green", "Bob Red"]
        assert 'value="mine"' not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("scope=district&q=ref00", ["Carol Colleague", "Alice Green", "Bob Red"]),
        ("scope=district&q=ref 002", ["Bob Red"]),
        ("scope=district&q=ALICE", ["Alice Green"]),
        ("scope=district&q=ce gr", ["Alice Green"]),
        ("scope=district&q=100%25", []),
        ("scope=district&readiness=red", ["Bob Red"]),
        ("scope=district&consent=none", ["Bob Red"]),
        ("scope=district&consent=given", ["Carol Colleague", "Alice Green"]),
        ("scope=mine&readiness=green&consent=given", ["Alice Green"]),
        ("scope=office", ["Alice Green", "Bob Red"]),
    ],
)
def test_list_search_and_filters(as_adviser, caseloads, query, expected):
    html = get_page(as_adviser, f"/customers?{query}")
    assert names(html) == expected
    if not expected:
        assert "No customers match these filters." in html


def test_list_filters_refresh_only_the_results_for_htmx(as_adviser, caseloads):
    response = as_adviser.get(
        "/customers?scope=district&readiness=red",
        headers={"HX-Request": "true", "HX-Target": "customer-results"},
    )
    fragment = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in fragment and "<h1" not in fragment
    assert names(fragment) == ["Bob Red"]
    assert "1 customer" in fragment
    assert "HX-Request" in response.headers["Vary"]

    # Back after a history-cache miss needs the whole page.
    restore = get_page(
        as_adviser,
        "/customers?scope=district&readiness=red",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<h1" in restore and names(restore) == ["Bob Red"]
    # Any other HTMX request (say, a boosted link) gets the whole page too.
    whole = get_page(as_adviser, "/customers", headers={"HX-Request": "true", "HX-Boosted": "true"})
    assert "<h1" in whole


@pytest.mark.parametrize(
    "query", ["scope=everyone", "readiness=blue", "consent=maybe", "page=0", "page=x", "page=401"]
)
def test_list_refuses_malformed_filters(as_adviser, query):
    get_page(as_adviser, f"/customers?{query}", status=400)


def test_list_pages_in_name_order(as_adviser, adviser):
    for number in range(27):
        CustomerFactory(adviser=adviser, first_name=f"P{number:02d}", last_name="Same")
    first = get_page(as_adviser, "/customers")
    assert len(names(first)) == 25 and "27 customers" in first
    assert "page=2" in first
    second = get_page(as_adviser, "/customers?page=2")
    assert names(second) == ["P25 Same", "P26 Same"]


def _list_queries(client) -> int:
    with count_queries() as statements:
        get_page(client, "/customers?scope=district")
    return len(statements)


def test_list_queries_do_not_grow_with_customers(as_adviser, adviser):
    advisers = [adviser, *(AdviserFactory(office=adviser.office) for _ in range(2))]
    for number in range(3):
        CustomerFactory(adviser=advisers[number % 3])
    few = _list_queries(as_adviser)
    for number in range(27):
        CustomerFactory(adviser=advisers[number % 3])
    assert _list_queries(as_adviser) == few


def test_show_and_audit_queries_do_not_grow_with_history(as_coordinator, adviser):
    from app.customers.services import record_access, set_consent

    customer = CustomerFactory(adviser=adviser)
    set_consent(customer, False, adviser)
    db.session.flush()

    def counts() -> tuple[int, int]:
        result = []
        for suffix in ("", "/audit"):
            with count_queries() as statements:
                get_page(as_coordinator, f"/customers/{customer.id}{suffix}")
            result.append(len(statements))
        return tuple(result)

    few = counts()
    for _ in range(10):
        set_consent(customer, True, AdviserFactory(office=adviser.office))
        record_access(customer, employer_user(), "viewed")
    db.session.flush()
    assert counts() == few


# The audit trail


def test_audit_trail_shows_who_from_which_organisation_newest_first(as_coordinator, adviser):
    from app.customers.services import record_access

    customer = CustomerFactory(adviser=adviser)
    employer = employer_user(name="Erin Employer")
    first = record_access(customer, adviser, "changed", "postcode")
    second = record_access(customer, employer, "viewed")
    first.at = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    second.at = dt.datetime(2026, 1, 6, 14, 30, tzinfo=dt.UTC)
    db.session.flush()
    assert second.organisation_id == employer.organisation.id

    html = get_page(as_coordinator, f"/customers/{customer.id}/audit", title="Who has seen")
    html = html.split("<main")[1]
    assert html.index("Erin Employer") < html.index("Ada Adviser")
    assert employer.organisation.name in html and "Jobcentre Plus" in html
    assert "Viewed details" in html and "Home postcode" in html
    assert "Tuesday 6 January 2026 at 2:30pm" in html


def test_audit_trail_is_bounded(as_coordinator, adviser):
    from app.customers.services import record_access

    customer = CustomerFactory(adviser=adviser)
    for _ in range(51):
        record_access(customer, adviser, "viewed")
    db.session.flush()
    html = get_page(as_coordinator, f"/customers/{customer.id}/audit")
    assert html.count("Viewed details") == 50
    assert "page=2" in html
    page_two = get_page(as_coordinator, f"/customers/{customer.id}/audit?page=2")
    assert page_two.count("Viewed details") == 1


# Services other areas use


def test_shareable_leaves_out_customers_without_current_consent(adviser):
    from app.customers.services import CONSENTED, set_consent, shareable

    given = CustomerFactory(adviser=adviser)
    withdrawn = CustomerFactory(adviser=adviser)
    never = CustomerFactory(adviser=adviser, consent_given=False)
    set_consent(withdrawn, False, adviser)
    db.session.flush()
    ids = {given.id, withdrawn.id, never.id}
    statement = select(Customer.id).where(Customer.id.in_(ids))
    assert set(db.session.scalars(shareable(statement))) == {given.id}
    assert set(db.session.scalars(statement.where(CONSENTED))) == {given.id}


def test_home_panel_counts_the_caseload_in_one_query(app, adviser):
    from app.customers.panels import home_panel

    CustomerFactory(adviser=adviser)
    CustomerFactory(adviser=adviser, readiness=Readiness.AMBER, consent_given=False)
    CustomerFactory(adviser=adviser, readiness=Readiness.AMBER)
    CustomerFactory()  # someone else's
    with count_queries() as statements:
        template, context = home_panel(adviser)
    assert len(statements) == 1
    assert context["by_readiness"] == {"green": 1, "amber": 2, "red": 0}
    assert context["without_consent"] == 1
    assert home_panel(StaffFactory(role=Role.LMRA)) is None

    with app.test_request_context():
        from flask import render_template

        html = render_template(template, panel=context)
    assert "1 customer has no consent recorded" in html
    assert "Amber: needs some help first" in html
