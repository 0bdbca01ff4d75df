"""Staff suggest customers for a live vacancy, best fit first with the reasons, and refer one
or several; the employer is told candidates are waiting without being told who."""

from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import select

from app import clock
from app.accounts.models import MembershipRole
from app.auth.models import Role
from app.customers.models import AuditEntry, Benefit, Readiness
from app.extensions import db
from app.mail.models import OutboxMessage
from app.referrals.models import Referral, ReferralEvent, ReferralStatus
from app.vacancies.models import VacancyStatus
from tests.customer_factories import CustomerFactory
from tests.factories import DistrictFactory, employer_user
from tests.helpers import count_queries, get_page, keep_day, post_form, sign_in
from tests.referral_factories import (
    adviser_in,
    fitting_customer,
    live_vacancy,
    referral,
    staff,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

TODAY = clock.today()


@pytest.fixture(autouse=True)
def same_day_throughout(monkeypatch):
    keep_day(monkeypatch, TODAY)


@pytest.fixture
def vacancy():
    return live_vacancy()


@pytest.fixture
def adviser(vacancy):
    return adviser_in(vacancy.district, name="Ada Adviser")


@pytest.fixture
def as_adviser(app, adviser):
    return sign_in(app.test_client(), adviser)


def suggestions_url(vacancy) -> str:
    return f"/vacancies/{vacancy.id}/suggestions"


def refer_url(vacancy) -> str:
    return f"/vacancies/{vacancy.id}/referrals"


def suggested_names(html: str) -> list[str]:
    return re.findall(
        r'class="govuk-label govuk-checkboxes__label" for="[^"]+">([^<]+)</label>', html
    )


def emails(kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.recipient)
        )
    )


def referrals_of(vacancy) -> list[Referral]:
    return list(db.session.scalars(select(Referral).where(Referral.vacancy_id == vacancy.id)))


# --- suggestions -------------------------------------------------------------------------------


def test_suggestions_come_best_fit_first_with_the_reasons(as_adviser, vacancy, adviser):
    # Same postcode district as the site (LS1), priority group 1 (a lone parent on JSA).
    fitting_customer(
        vacancy, adviser, first_name="Alice", last_name="Best", postcode="LS1 6AA", lone_parent=True
    )
    # The same postcode area (LS): counted as nearby, 5 miles.
    fitting_customer(vacancy, adviser, first_name="Bilal", last_name="Next", postcode="LS9 8AB")
    # Bradford, about 10 miles away; will travel 15.
    fitting_customer(
        vacancy, adviser, first_name="Cara", last_name="Far", postcode="BD1 1AA", travel_miles=15
    )
    # No sector chosen: open to any, so a lower score.
    fitting_customer(vacancy, adviser, first_name="Dev", last_name="Open", goal_sectors=[])

    html = get_page(
        as_adviser, suggestions_url(vacancy), title=f"Suggested customers for {vacancy.job_title}"
    )

    assert suggested_names(html) == ["Alice Best", "Bilal Next", "Cara Far", "Dev Open"]
    assert "100 out of 100" in html
    assert "Lives in the same postcode district (LS1)" in html
    assert "Priority group 1: LEP vacancies are for them first" in html
    assert "Lives in the same postcode area (LS), counted as nearby: about 5 miles" in html
    assert "About 10 miles away, within the 15 miles they will travel" in html
    assert "Wants to work in Warehousing and logistics" in html
    assert "37.5 hours a week is within the 16 to 40 hours a week they want" in html
    assert "No sector chosen: open to any sector" in html


def test_suggestions_leave_out_everyone_who_should_not_be_matched(as_adviser, vacancy, adviser):
    fitting_customer(vacancy, adviser, first_name="Fits", last_name="Well")
    fitting_customer(vacancy, adviser, first_name="No", last_name="Consent", consent_given=False)
    fitting_customer(
        vacancy, adviser, first_name="Amber", last_name="Ready", readiness=Readiness.AMBER
    )
    fitting_customer(vacancy, adviser, first_name="Red", last_name="Ready", readiness=Readiness.RED)
    # In work and not under notice of redundancy: priority group 5, not eligible.
    fitting_customer(
        vacancy,
        adviser,
        first_name="In",
        last_name="Work",
        benefit=None,
        claim_start=None,
        employed=True,
    )
    # Manchester: about 35 miles, further than they will travel.
    fitting_customer(vacancy, adviser, first_name="Too", last_name="Far", postcode="M1 1AA")
    fitting_customer(
        vacancy, adviser, first_name="Wrong", last_name="Sector", goal_sectors=["retail"]
    )
    fitting_customer(vacancy, adviser, first_name="Part", last_name="Time", max_hours=20)
    fitting_customer(vacancy, adviser, first_name="Full", last_name="Time", min_hours=38)
    # A JSA claim with no start date: the priority group cannot be worked out.
    fitting_customer(vacancy, adviser, first_name="Bad", last_name="Record", claim_start=None)
    referral(
        vacancy, fitting_customer(vacancy, adviser, first_name="Already", last_name="Referred")
    )
    elsewhere = adviser_in(DistrictFactory())
    CustomerFactory(
        adviser=elsewhere,
        first_name="Other",
        last_name="District",
        goal_sectors=["warehousing"],
        max_hours=40,
    )

    html = get_page(as_adviser, suggestions_url(vacancy))

    assert suggested_names(html) == ["Fits Well"]


def test_suggestions_show_at_most_25(as_adviser, vacancy, adviser):
    for number in range(27):
        fitting_customer(vacancy, adviser, first_name=f"Person{number:02d}")
    html = get_page(as_adviser, suggestions_url(vacancy))
    assert len(suggested_names(html)) == 25


def test_suggestions_take_the_same_queries_for_3_and_30_customers(as_adviser, vacancy, adviser):
    def queries_for(customers: int) -> int:
        for _ in range(customers):
            fitting_customer(vacancy, adviser)
        with count_queries() as statements:
            get_page(as_adviser, suggestions_url(vacancy))
        return len(statements)

    assert queries_for(3) == queries_for(27)


def test_a_vacancy_that_is_not_live_takes_no_referrals(as_adviser, adviser, vacancy):
    vacancy = live_vacancy(vacancy.organisation, status=VacancyStatus.FILLED)
    fitting_customer(vacancy, adviser)
    html = get_page(as_adviser, suggestions_url(vacancy))
    assert "This vacancy is not live" in html
    assert 'name="customer_ids"' not in html


def test_staff_of_another_district_get_404(app, vacancy):
    outsider = staff(Role.LMRA, DistrictFactory())
    client = sign_in(app.test_client(), outsider)
    get_page(client, suggestions_url(vacancy), status=404)
    post_form(client, refer_url(vacancy), {"customer_ids": []}, status=404)


def test_an_unknown_vacancy_is_404(as_adviser):
    get_page(as_adviser, f"/vacancies/{uuid.uuid4()}/suggestions", status=404)


@pytest.mark.parametrize("role", [Role.LMRA, Role.DAM])
def test_lmras_and_dams_of_the_district_see_suggestions_too(app, vacancy, role):
    fitting_customer(vacancy, first_name="Seen", last_name="Bystaff")
    client = sign_in(app.test_client(), staff(role, vacancy.district))
    assert suggested_names(get_page(client, suggestions_url(vacancy))) == ["Seen Bystaff"]


# --- referring -------------------------------------------------------------------------------


def test_staff_refer_several_customers_with_a_note(as_adviser, vacancy, adviser):
    first = fitting_customer(vacancy, adviser, first_name="Zara", last_name="Quinn")
    second = fitting_customer(vacancy, adviser, first_name="Yusuf", last_name="Patel")
    fitting_customer(vacancy, adviser, first_name="Not", last_name="Chosen")

    response = post_form(
        as_adviser,
        refer_url(vacancy),
        {"customer_ids": [str(first.id), str(second.id)], "note": "Both keen on early shifts."},
        status=302,
    )
    assert response.headers["Location"].endswith(suggestions_url(vacancy))

    made = {r.customer_id: r for r in referrals_of(vacancy)}
    assert set(made) == {first.id, second.id}
    for made_referral in made.values():
        assert made_referral.status is ReferralStatus.REFERRED
        assert made_referral.note == "Both keen on early shifts."
        assert made_referral.referred_by_id == adviser.id
        assert made_referral.organisation_id == vacancy.organisation_id
        assert made_referral.district_id == vacancy.district_id
        assert made_referral.office_id == adviser.office_id
        events = list(
            db.session.scalars(
                select(ReferralEvent).where(ReferralEvent.referral_id == made_referral.id)
            )
        )
        assert [(e.status, e.by_id) for e in events] == [(ReferralStatus.REFERRED, adviser.id)]
        assert events[0].at is not None
    # Sharing their details with the employer is on each customer's audit trail.
    audits = list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == "referred")))
    assert {(a.customer_id, a.user_id, a.organisation_id) for a in audits} == {
        (first.id, adviser.id, vacancy.organisation_id),
        (second.id, adviser.id, vacancy.organisation_id),
    }

    html = get_page(as_adviser, suggestions_url(vacancy))
    assert "2 customers referred" in html
    assert suggested_names(html) == ["Not Chosen"]  # the referred are no longer suggested


def test_the_employer_owners_get_one_email_each_with_no_personal_data(as_adviser, vacancy, adviser):
    organisation = vacancy.organisation
    owner = organisation.memberships[0].user
    second_owner = employer_user(organisation, email="boss@employer.example")
    employer_user(
        organisation, email="recruiter@employer.example", membership_role=MembershipRole.RECRUITER
    )
    chosen = [
        fitting_customer(
            vacancy,
            adviser,
            first_name=name,
            last_name="Kowalczyk",
            email=f"{name.lower()}@jobseeker.example",
            phone="07700 900456",
        )
        for name in ("Marta", "Tomasz", "Ewa")
    ]
    post_form(
        as_adviser,
        refer_url(vacancy),
        {"customer_ids": [str(c.id) for c in chosen], "note": "Marta has a forklift licence."},
        status=302,
    )

    sent = emails("referral_waiting")
    assert sorted(m.recipient for m in sent) == sorted([owner.email, second_owner.email])
    for message in sent:
        body = message.subject + message.text_body + (message.html_body or "")
        assert "3 new candidates" in body
        assert f"http://localhost/vacancies/{vacancy.id}/candidates" in message.text_body
        for customer in chosen:
            for personal in (
                customer.first_name,
                customer.last_name,
                customer.reference,
                customer.email,
                customer.phone,
                customer.postcode,
            ):
                assert personal not in body
        assert "forklift" not in body  # nor the note, which may name someone


def test_referring_one_says_one_candidate(as_adviser, vacancy, adviser):
    one = fitting_customer(vacancy, adviser)
    post_form(as_adviser, refer_url(vacancy), {"customer_ids": [str(one.id)]}, status=302)
    [message] = emails("referral_waiting")
    assert message.subject == "1 new candidate for your vacancy"
    assert "referred 1 new candidate to your vacancy" in message.text_body


def test_choosing_nobody_is_an_error(as_adviser, vacancy, adviser):
    fitting_customer(vacancy, adviser)
    response = post_form(as_adviser, refer_url(vacancy), {"note": "x"}, status=200)
    html = response.get_data(as_text=True)
    assert "Error:" in html
    assert "Select at least one customer to refer" in html
    assert 'href="#customer_ids"' in html
    assert referrals_of(vacancy) == []


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"consent_given": False},
            "cannot be referred: they have not given consent to share their details",
        ),
        (
            {"benefit": None, "claim_start": None, "employed": True},
            "cannot be referred: they are not eligible for LEP vacancies (priority group 5)",
        ),
        ({"readiness": Readiness.RED}, "cannot be referred: they are not ready for LEP vacancies"),
        (
            {"benefit": Benefit.JSA, "claim_start": None},
            "cannot be referred: their priority group cannot be worked out",
        ),
    ],
)
def test_customers_who_may_not_be_referred_are_refused_and_nobody_is_referred(
    as_adviser, vacancy, adviser, fields, message
):
    good = fitting_customer(vacancy, adviser)
    bad = fitting_customer(vacancy, adviser, first_name="Refused", last_name="Person", **fields)
    response = post_form(
        as_adviser,
        refer_url(vacancy),
        {"customer_ids": [str(good.id), str(bad.id)]},
        status=200,
    )
    html = response.get_data(as_text=True)
    assert f"Refused Person {message}" in html
    assert 'href="#refusal-1"' in html and 'id="refusal-1"' in html
    assert referrals_of(vacancy) == []
    assert emails("referral_waiting") == []


def test_each_refusal_is_listed(as_adviser, vacancy, adviser):
    one = fitting_customer(vacancy, adviser, first_name="One", consent_given=False)
    two = fitting_customer(vacancy, adviser, first_name="Two", consent_given=False)
    html = post_form(
        as_adviser, refer_url(vacancy), {"customer_ids": [str(one.id), str(two.id)]}, status=200
    ).get_data(as_text=True)
    assert 'href="#refusal-1"' in html and 'href="#refusal-2"' in html


def test_a_customer_already_referred_is_refused(as_adviser, vacancy, adviser):
    customer = fitting_customer(vacancy, adviser, first_name="Twice", last_name="Over")
    referral(vacancy, customer)
    html = post_form(
        as_adviser, refer_url(vacancy), {"customer_ids": [str(customer.id)]}, status=200
    ).get_data(as_text=True)
    assert "Twice Over has already been referred to this vacancy" in html
    assert len(referrals_of(vacancy)) == 1


def test_a_customer_of_another_district_is_refused(as_adviser, vacancy):
    elsewhere = CustomerFactory(adviser=adviser_in(DistrictFactory()))
    html = post_form(
        as_adviser, refer_url(vacancy), {"customer_ids": [str(elsewhere.id)]}, status=200
    ).get_data(as_text=True)
    assert "A customer you chose is not in this vacancy’s district" in html
    assert referrals_of(vacancy) == []


def test_a_malformed_customer_id_is_a_bad_request(as_adviser, vacancy):
    post_form(as_adviser, refer_url(vacancy), {"customer_ids": ["not-an-id"]}, status=400)


def test_referring_to_a_vacancy_that_closed_meanwhile_is_refused(as_adviser, adviser, vacancy):
    vacancy = live_vacancy(vacancy.organisation, status=VacancyStatus.WITHDRAWN)
    customer = fitting_customer(vacancy, adviser)
    html = post_form(
        as_adviser, refer_url(vacancy), {"customer_ids": [str(customer.id)]}, status=200
    ).get_data(as_text=True)
    assert "This vacancy is no longer live" in html
    assert referrals_of(vacancy) == []


def test_referral_ids_stay_unique_per_customer_and_vacancy(as_adviser, vacancy, adviser):
    customer = fitting_customer(vacancy, adviser)
    post_form(
        as_adviser,
        refer_url(vacancy),
        {"customer_ids": [str(customer.id), str(customer.id)]},
        status=302,
    )
    assert len(referrals_of(vacancy)) == 1
