"""The employer's candidate review: its own vacancies' candidates only, only the details it
needs, every look at a candidate audited, and a customer who withdraws consent gone at once."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from app.customers.models import AuditEntry, Benefit
from app.customers.services import set_consent
from app.extensions import db
from app.referrals.models import ReferralStatus
from tests.factories import employer_user
from tests.helpers import count_queries, get_page, post_form, sign_in, visible_text
from tests.referral_factories import (
    adviser_in,
    fitting_customer,
    live_vacancy,
    referral,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


@pytest.fixture
def vacancy():
    return live_vacancy()


@pytest.fixture
def employer(vacancy):
    return vacancy.organisation.memberships[0].user


@pytest.fixture
def as_employer(app, employer):
    return sign_in(app.test_client(), employer)


@pytest.fixture
def adviser(vacancy):
    return adviser_in(vacancy.district, name="Ada Adviser", email="ada.adviser@jcp.example")


@pytest.fixture
def sensitive(vacancy, adviser):
    """A candidate with everything an employer must never see."""
    return fitting_customer(
        vacancy,
        adviser,
        first_name="Grace",
        last_name="Okafor",
        reference="QQ123456C",
        email="grace@jobseeker.example",
        phone="07700 900777",
        postcode="LS9 8AB",
        benefit=Benefit.ESA,
        claim_start=None,
        disabled=True,
        lone_parent=True,
        goal_occupations="Warehouse picker",
        experience="Three years picking at a parcel depot.",
        skills="Counterbalance forklift licence",
        availability="Early shifts, weekdays",
    )


def review_url(vacancy, **args) -> str:
    query = "&".join(f"{key}={value}" for key, value in args.items())
    return f"/vacancies/{vacancy.id}/candidates" + (f"?{query}" if query else "")


def candidate_url(made) -> str:
    return f"/candidates/{made.id}"


NEVER_SHOWN = (
    "Employment and Support Allowance",
    "ESA",
    "Priority group",
    "priority group",
    "isabilit",  # disability, Disability
    "lone parent",
    "Lone parent",
    "Benefit",
    "benefit",
    "QQ123456C",
    "grace@jobseeker.example",
    "07700 900777",
    "LS9 8AB",
    "14 March 1985",  # date of birth
)


def assert_nothing_sensitive(html: str) -> None:
    text = visible_text(html)
    for word in NEVER_SHOWN:
        assert word not in text, f"{word!r} shown to the employer"


def viewed_entries(customer) -> list[AuditEntry]:
    return list(
        db.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.customer_id == customer.id, AuditEntry.action == "viewed_candidate")
            .order_by(AuditEntry.at)
        )
    )


# --- the list --------------------------------------------------------------------------------


def test_the_employer_sees_its_candidates_grouped_by_status(as_employer, vacancy, sensitive):
    referral(vacancy, sensitive)
    referral(
        vacancy,
        fitting_customer(vacancy, first_name="Ivan", last_name="Short"),
        status=ReferralStatus.SHORTLISTED,
    )
    referral(
        vacancy,
        fitting_customer(vacancy, first_name="Nia", last_name="Gone"),
        status=ReferralStatus.NOT_SELECTED,
        not_selected_reason="Role filled internally",
    )

    html = get_page(as_employer, review_url(vacancy), title=f"Candidates for {vacancy.job_title}")

    captions = re.findall(r'<caption class="govuk-table__caption[^"]*">([^<]+)</caption>', html)
    assert captions == ["Referred (1)", "Shortlisted (1)", "Not selected (1)"]
    assert "Grace Okafor" in html and "Ivan Short" in html and "Nia Gone" in html
    assert "Decide whether to shortlist, interview or offer a work trial" in html
    assert "Arrange an interview or a work trial" in html
    assert_nothing_sensitive(html)
    for text in ("Warehouse picker", "forklift", "Early shifts"):
        assert text not in html  # the list shows name, status and next step only


def test_candidates_filter_by_status(as_employer, vacancy):
    referral(vacancy, fitting_customer(vacancy, first_name="Ann", last_name="Referred"))
    referral(
        vacancy,
        fitting_customer(vacancy, first_name="Bo", last_name="Offered"),
        status=ReferralStatus.OFFERED,
    )

    html = get_page(as_employer, review_url(vacancy, status="offered"))
    assert "Bo Offered" in html and "Ann Referred" not in html
    assert '<strong aria-current="page">Offered the job (1)</strong>' in html
    assert "All (2)" in html


def test_the_filter_as_an_htmx_request_returns_only_the_results(as_employer, vacancy):
    referral(
        vacancy,
        fitting_customer(vacancy, first_name="Bo", last_name="Offered"),
        status=ReferralStatus.OFFERED,
    )
    response = as_employer.get(
        review_url(vacancy, status="offered"), headers={"HX-Request": "true"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="candidate-results">')
    assert "<html" not in html and "Bo Offered" in html
    assert "HX-Request" in response.headers.get("Vary", "")


def test_an_unknown_status_filter_is_a_bad_request(as_employer, vacancy):
    get_page(as_employer, review_url(vacancy, status="hired"), status=400)


def test_a_vacancy_with_no_candidates_says_so(as_employer, vacancy):
    html = get_page(as_employer, review_url(vacancy))
    assert "No candidates have been referred to this vacancy yet" in html


def test_the_review_page_takes_the_same_queries_for_3_and_30_candidates(as_employer, vacancy):
    adviser = adviser_in(vacancy.district)
    statuses = list(ReferralStatus)

    def queries_for(total: int) -> int:
        for number in range(total):
            referral(
                vacancy,
                fitting_customer(vacancy, adviser),
                status=statuses[number % len(statuses)],
            )
        with count_queries() as statements:
            get_page(as_employer, review_url(vacancy))
        return len(statements)

    assert queries_for(3) == queries_for(27)


# --- the candidate ---------------------------------------------------------------------------


def test_the_candidate_page_shows_only_what_the_employer_needs(as_employer, vacancy, sensitive):
    made = referral(vacancy, sensitive, note="Very keen.")
    html = get_page(as_employer, candidate_url(made), title="Grace Okafor")

    for shown in (
        "Grace Okafor",
        "Warehousing and logistics",
        "Warehouse picker",
        "Three years picking at a parcel depot.",
        "Counterbalance forklift licence",
        "Early shifts, weekdays",
        "Pre-employment training (PET) completed",
        "None recorded",
        "Ada Adviser",
        "mailto:ada.adviser@jcp.example",
        "Very keen.",
    ):
        assert shown in html, shown
    assert_nothing_sensitive(html)


def test_every_look_at_a_candidate_is_audited(as_employer, employer, vacancy, sensitive):
    made = referral(vacancy, sensitive)
    get_page(as_employer, candidate_url(made))
    assert len(viewed_entries(sensitive)) == 1
    get_page(as_employer, candidate_url(made))
    entries = viewed_entries(sensitive)
    assert len(entries) == 2
    for entry in entries:
        assert entry.user_id == employer.id
        assert entry.organisation_id == vacancy.organisation_id
        assert entry.at is not None
        assert "Grace" not in entry.detail and "Okafor" not in entry.detail


def test_the_list_page_is_not_a_look_at_the_details(as_employer, vacancy, sensitive):
    referral(vacancy, sensitive)
    get_page(as_employer, review_url(vacancy))
    assert viewed_entries(sensitive) == []


def test_a_candidate_without_an_adviser_is_contacted_through_jobcentre_plus(as_employer, vacancy):
    customer = fitting_customer(vacancy)
    made = referral(vacancy, customer)
    customer.adviser = None
    db.session.flush()
    html = get_page(as_employer, candidate_url(made))
    assert "through your single point of contact at Jobcentre Plus" in html


# --- consent and other employers -------------------------------------------------------------


def test_a_customer_who_withdraws_consent_vanishes_at_once(
    as_employer, vacancy, sensitive, adviser
):
    made = referral(vacancy, sensitive)
    assert "Grace Okafor" in get_page(as_employer, review_url(vacancy))

    set_consent(sensitive, False, adviser, "Asked us to stop sharing")
    db.session.commit()

    html = get_page(as_employer, review_url(vacancy))
    assert "Grace Okafor" not in html and "All (0)" in html
    get_page(as_employer, candidate_url(made), status=404)
    post_form(as_employer, f"/candidates/{made.id}/status", {"action": "shortlist"}, status=404)
    post_form(as_employer, f"/candidates/{made.id}/rating", {"rating-suitability": "3"}, status=404)
    assert viewed_entries(sensitive) == []
    assert made.status is ReferralStatus.REFERRED


def test_another_employer_gets_404_everywhere(app, vacancy, sensitive):
    made = referral(vacancy, sensitive)
    other = live_vacancy().organisation.memberships[0].user
    client = sign_in(app.test_client(), other)
    get_page(client, review_url(vacancy), status=404)
    get_page(client, candidate_url(made), status=404)
    post_form(client, f"/candidates/{made.id}/status", {"action": "shortlist"}, status=404)
    post_form(client, f"/candidates/{made.id}/rating", {"rating-suitability": "3"}, status=404)
    assert viewed_entries(sensitive) == []


def test_a_colleague_at_the_same_employer_sees_the_candidates(app, vacancy, sensitive):
    made = referral(vacancy, sensitive)
    colleague = employer_user(vacancy.organisation)
    client = sign_in(app.test_client(), colleague)
    get_page(client, candidate_url(made))
    assert [entry.user_id for entry in viewed_entries(sensitive)] == [colleague.id]


def test_an_employer_user_without_an_organisation_gets_404(app, vacancy, sensitive):
    made = referral(vacancy, sensitive)
    from tests.factories import UserFactory

    client = sign_in(app.test_client(), UserFactory())
    get_page(client, review_url(vacancy), status=404)
    get_page(client, candidate_url(made), status=404)


def test_unknown_ids_are_404(as_employer):
    get_page(as_employer, f"/vacancies/{uuid.uuid4()}/candidates", status=404)
    get_page(as_employer, f"/candidates/{uuid.uuid4()}", status=404)


# --- the home page ---------------------------------------------------------------------------


def test_the_employer_home_page_shows_candidates_waiting_per_vacancy(as_employer, vacancy):
    second = live_vacancy(vacancy.organisation, job_title="Forklift driver")
    for _ in range(2):
        referral(vacancy, fitting_customer(vacancy))
    referral(second, fitting_customer(second), status=ReferralStatus.INTERVIEW_ARRANGED)
    referral(second, fitting_customer(second), status=ReferralStatus.STARTED)  # decided
    referral(second, fitting_customer(second, consent_given=False))  # not shared

    with count_queries() as statements:
        html = get_page(as_employer, "/")
    assert "Candidates waiting for a decision" in html
    assert f'href="/vacancies/{vacancy.id}/candidates">2 candidates' in html
    assert f'href="/vacancies/{second.id}/candidates">1 candidate<' in html
    # One grouped statement: the referrals counted per vacancy, the vacancies joined after.
    grouped = [s for s in statements if "GROUP BY referral.vacancy_id" in s]
    assert len(grouped) == 1


def test_no_panel_when_nobody_is_waiting(as_employer):
    assert "Candidates waiting for a decision" not in get_page(as_employer, "/")


def test_staff_home_pages_have_no_candidates_panel(app, vacancy, adviser):
    referral(vacancy, fitting_customer(vacancy, adviser))
    html = get_page(sign_in(app.test_client(), adviser), "/")
    assert "Candidates waiting for a decision" not in html


def test_counting_candidates_leaves_out_unconsented_customers(as_employer, vacancy):
    referral(vacancy, fitting_customer(vacancy, consent_given=False))
    html = get_page(as_employer, review_url(vacancy))
    assert "All (0)" in html


def test_the_vacancy_page_links_to_its_candidates(as_employer, vacancy):
    referral(vacancy)
    referral(vacancy)
    html = get_page(as_employer, f"/vacancies/{vacancy.id}", title=vacancy.job_title)
    assert (
        f'<a class="govuk-link" href="/vacancies/{vacancy.id}/candidates">'
        "2 candidates from Jobcentre Plus</a>"
    ) in html


def test_a_vacancy_with_one_candidate_says_candidate_not_candidates(as_employer, vacancy):
    referral(vacancy)
    html = get_page(as_employer, f"/vacancies/{vacancy.id}")
    assert "1 candidate from Jobcentre Plus</a>" in html


def test_the_vacancy_page_costs_the_same_queries_for_1_or_5_candidates(as_employer, vacancy):
    referral(vacancy)
    with count_queries() as one:
        get_page(as_employer, f"/vacancies/{vacancy.id}")
    for _ in range(4):
        referral(vacancy)
    with count_queries() as five:
        get_page(as_employer, f"/vacancies/{vacancy.id}")
    assert len(five) == len(one)
