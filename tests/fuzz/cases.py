"""Which page shows each form, who fills it in, the few records some forms need, and what
counts as a form accepting a submission.

Every route comes from the URL map and every role from the access matrix
(`tests/access/<area>.py`), so a new route is fuzzed without a line here; a POST-only route
needs its page named in `FORM_PAGES`, or its test fails saying so. A form shown only in one
state of its record (a trainee who has started, a plan that is final) gets a `FormCase` that
adds such a record to the matrix's world.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from app import clock, create_app
from app.accounts.models import Organisation, SizeBand
from app.auth.tokens import make_token
from app.extensions import db
from app.models_base import utcnow
from app.outcomes.services import dispute
from app.pet.models import CourseReferral, CourseStatus, TraineeStatus
from app.policy import API_KEY
from config import TestConfig
from tests.access.core import World
from tests.callback_factories import callback
from tests.customer_factories import CustomerFactory
from tests.factories import PASSWORD, OrganisationFactory, employer_user
from tests.fuzz.form_shapes import FormShape, forms_on
from tests.fuzz.harness import client_as
from tests.outcome_factories import OfferedReferralFactory, customer_in, record
from tests.referral_factories import fitting_customer
from tests.test_access_matrix import ROUTES

# The roles tried in turn for each route: the first allowed one that gets the page is used.
ROLE_PREFERENCE = (
    "anonymous",
    "employer",
    "provider",
    "adviser",
    "lmra",
    "dam",
    "tppm",
    "coordinator",
    "admin",
)

_APP = create_app(TestConfig)
URL_MAP: Map = _APP.url_map
# The API's routes are fuzzed from their OpenAPI document by Schemathesis (tests/api_fuzz/):
# they answer problem details to a key, not pages to a role.
RULES: dict[str, Rule] = {
    rule.endpoint: rule
    for rule in URL_MAP.iter_rules()
    if rule.endpoint != "static"
    and API_KEY not in getattr(_APP.view_functions[rule.endpoint], "allowed_roles", ())
}
POST_ENDPOINTS = sorted(endpoint for endpoint, rule in RULES.items() if "POST" in rule.methods)
GET_ENDPOINTS = sorted(endpoint for endpoint, rule in RULES.items() if "GET" in rule.methods)
ARGUMENT_ENDPOINTS = sorted(endpoint for endpoint, rule in RULES.items() if rule.arguments)

# POST-only routes: the page (a row of the access matrix) that shows their form.
FORM_PAGES: dict[str, str] = {
    "agreements.confirm": "agreements.mine",
    "agreements.query": "agreements.mine",
    "accounts.log_contact_entry": "accounts.contact_log",
    "accounts.next_action_done": "accounts.contact_log",
    "auth.keep_alive": "main.home",
    "auth.resend_verification": "auth.check_email",
    "auth.sign_out": "main.home",
    "callbacks.attempt": "callbacks.call",
    "callbacks.claim": "callbacks.call",
    "callbacks.release": "callbacks.call",
    "partnerships.add_subcontractor": "partnerships.mine",
    "partnerships.consent": "partnerships.customer",
    "partnerships.put_forward": "partnerships.vacancy",
    "partnerships.remove_subcontractor": "partnerships.mine",
    "pet.add_action": "pet.plan",
    "pet.add_module": "pet.course",
    "pet.attendance": "pet.trainee",
    "pet.book_interviews": "pet.cohort",
    "pet.comment": "pet.course",
    "pet.complete_action": "pet.plan",
    "pet.decide_trainee": "pet.trainee",
    "pet.finalise_plan": "pet.plan",
    "pet.move_module": "pet.course",
    "pet.remove_module": "pet.course",
    "pet.reopen_plan": "pet.plan",
    "pet.resolve_comment": "pet.course",
    "pet.trainee_completion": "pet.trainee",
    "pet.trainee_leaver": "pet.trainee",
    "pet.trainee_returned": "pet.trainee",
    "pet.trainee_start": "pet.trainee",
    "referrals.move": "referrals.candidate",
    "referrals.rate": "referrals.candidate",
    "referrals.refer": "referrals.suggestions",
    "vacancies.copy": "vacancies.show",
    "vouchers.approve": "vouchers.claims",
    "vouchers.claim": "vouchers.show",
}


@dataclass(frozen=True)
class FormCase:
    """How to reach a form that the matrix's world does not show as it stands."""

    # Adds records to the world; returns the URL of the page that shows the form.
    page: Callable[[World], str]
    role: str | None = None
    # Answers the guesses in `plausible.py` get wrong, by field name (after `page` ran).
    answers: Callable[[World], dict[str, list[str]]] = lambda world: {}


def _page_of(endpoint: str) -> Callable[[World], str]:
    return ROUTES[endpoint].url


def _trainee_in(world: World, status: TraineeStatus, **fields) -> str:
    """The trainee page of a new trainee in `status` on the matrix's course."""
    course = world.records["trainee_course"]
    adviser = world.users["adviser"]
    trainee = CourseReferral(
        course=course,
        customer=CustomerFactory(adviser=adviser, district=course.district, lone_parent=True),
        referred_by=adviser,
        owning_provider="Jobcentre Plus",
        status=status,
        **fields,
    )
    db.session.add(trainee)
    db.session.flush()
    return f"/courses/{course.id}/trainees/{trainee.id}"


def _started_trainee(world: World) -> str:
    return _trainee_in(world, TraineeStatus.STARTED, started_on=days_from_today(-7))


def _completed_trainee(world: World) -> str:
    trainee = world.records["trainee_completed"]
    return f"/courses/{trainee.course_id}/trainees/{trainee.id}"


def _account_without_agreement(world: World) -> Organisation:
    organisation = OrganisationFactory(district=world.organisation.district)
    world.users["employer_without_agreement"] = employer_user(organisation)
    return organisation


def _date_answer(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _course_with_an_sme_to_invite(world: World) -> str:
    """The invitation page of the matrix's sector course, with an SME of its sector and
    district that is not on it yet."""
    course = world.records["course"]
    world.records["sme_to_invite"] = OrganisationFactory(
        district=course.district, size_band=SizeBand.SME, sector=course.sector
    )
    return f"/courses/{course.id}/invitations"


def _referral_of_an_eligible_customer(world: World) -> str:
    """A lone parent (priority group 1) on the adviser's caseload: PET is for them."""
    course = world.records["trainee_course"]
    world.records["eligible_customer"] = CustomerFactory(
        adviser=world.users["adviser"], district=course.district, lone_parent=True
    )
    return f"/courses/{course.id}/trainees/new"


def _new_agreement(world: World) -> str:
    return f"/accounts/{_account_without_agreement(world).id}/agreement/new"


def _agreement_request(world: World) -> str:
    _account_without_agreement(world)
    return "/agreement/request"


def _token_page(purpose: str, path: str) -> Callable[[World], str]:
    def page(world: World) -> str:
        return f"/{path}/{make_token(world.users['lmra'], purpose)}"

    return page


def _unclaimed_callback(world: World) -> str:
    return f"/call-backs/{callback(world.organisation).id}"


def _outcome_to_decide(world: World) -> str:
    district = world.organisation.district
    offered = OfferedReferralFactory(
        vacancy__organisation=world.organisation,
        customer=customer_in(district, claim_start=days_from_today(-400)),
    )
    outcome = record(offered, world.users["lmra"], start=days_from_today(-20))
    dispute(outcome, world.users["employer"], "They never started")  # the coordinator decides
    db.session.flush()
    return f"/outcomes/{outcome.id}/decide"


def _finalised_plan(world: World) -> str:
    plan = world.records["course_plan"]
    world.records["course"].status = CourseStatus.AGREED
    plan.finalised_at = utcnow()
    plan.finalised_by_id = world.users["tppm"].id
    db.session.flush()
    return f"/courses/{plan.course_id}/delivery-plan"


def _suggestions_with_a_fitting_customer(world: World) -> str:
    vacancy = world.records["vacancy_for_referrals"]
    fitting_customer(vacancy, adviser=world.users["adviser"])
    return f"/vacancies/{vacancy.id}/suggestions"


def _a_recruiters(suffix: str) -> Callable[[World], str]:
    """A page about a recruiter on the world's team: the world's owner is the only owner,
    whom the team must keep."""

    def page(world: World) -> str:
        from app.accounts.models import MembershipRole

        recruiter = employer_user(world.organisation, membership_role=MembershipRole.RECRUITER)
        return f"/your-team/{recruiter.membership.id}{suffix}"

    return page


def _jsa_customer_reference(world: World) -> dict[str, list[str]]:
    from app.customers.models import Benefit

    course = world.records["trainee_course"]
    customer = CustomerFactory(
        district=course.district, benefit=Benefit.JSA, claim_start=days_from_today(-400)
    )
    return {"reference": [customer.reference]}


def _an_aftercare_request(world: World) -> str:
    """The adviser's home page, with an aftercare request for one of their customers."""
    from app.outcomes.models import SustainmentCheck
    from tests.outcome_factories import ShopVacancyFactory, staff_in

    adviser = world.users["adviser"]
    vacancy = ShopVacancyFactory()
    customer = customer_in(vacancy.district)
    customer.adviser = adviser
    made = record(
        OfferedReferralFactory(vacancy=vacancy, customer=customer), staff_in(vacancy.district)
    )
    check = db.session.query(SustainmentCheck).filter_by(outcome_id=made.id).first()
    check.aftercare_wanted, check.answered_at = True, utcnow()
    db.session.flush()
    return "/"


def _a_provider_without_an_agreement(world: World) -> str:
    """The TPPM's page for a provider of their district not yet offered the agreement (the
    world's provider has accepted one)."""
    import uuid

    from app.pet.models import TrainingProvider

    provider = TrainingProvider(
        id=uuid.uuid4(),
        name="Fresh Start Training",
        contact_email="fresh.start@example.org",
        district_id=world.users["tppm"].district_id,
    )
    db.session.add(provider)
    db.session.flush()
    return f"/training-providers/{provider.id}/partnership"


def _an_offered_partnership(world: World) -> str:
    """The provider's page while its agreement is offered, not yet accepted."""
    from app.statuses import PartnershipStatus

    offered = world.records["partnership"]
    offered.status = PartnershipStatus.OFFERED
    offered.accepted_by_id, offered.accepted_at = None, None
    db.session.flush()
    return "/partnership"


FORM_CASES: dict[str, FormCase] = {
    "partnerships.offer": FormCase(page=_a_provider_without_an_agreement, role="tppm"),
    "partnerships.accept": FormCase(page=_an_offered_partnership, role="provider"),
    "outcomes.aftercare_done": FormCase(page=_an_aftercare_request, role="adviser"),
    "pet.jsa_exceptions": FormCase(
        page=_page_of("pet.jsa_exceptions"), answers=_jsa_customer_reference
    ),
    "accounts.team_remove": FormCase(page=_a_recruiters("/remove")),
    "accounts.team_role": FormCase(page=_a_recruiters("/role")),
    "auth.sign_in": FormCase(
        page=_page_of("auth.sign_in"),
        role="anonymous",
        answers=lambda world: {
            "email": [world.users["employer"].email],
            "password": [PASSWORD],
        },
    ),
    "pet.invite_employer": FormCase(
        page=_course_with_an_sme_to_invite,
        answers=lambda world: {"organisation_id": [str(world.records["sme_to_invite"].id)]},
    ),
    # A course starts in the future; the guess for a start date is a recent one.
    "pet.new_course": FormCase(
        page=_page_of("pet.new_course"),
        answers=lambda world: {"start_date": _date_answer(days_from_today(14))},
    ),
    "pet.refer_trainee": FormCase(
        page=_referral_of_an_eligible_customer,
        answers=lambda world: {"customer_id": [str(world.records["eligible_customer"].id)]},
    ),
    # Not before the referral, which the world made today.
    "pet.trainee_start": FormCase(
        page=_page_of("pet.trainee"),
        answers=lambda world: {"started_on": _date_answer(clock.today())},
    ),
    # The branch searches for its head office by name: every world organisation is "Employer".
    "accounts.head_office": FormCase(
        page=lambda world: f"/accounts/{world.records['account_branch'].id}/head-office?q=employer"
    ),
    # Reassigning starts from the person whose accounts move: the DAM, the world's contact.
    "accounts.reassign": FormCase(
        page=lambda world: f"/my-accounts/reassign?staff={world.users['dam'].id}"
    ),
    "agreements.new": FormCase(page=_new_agreement),
    "agreements.request": FormCase(page=_agreement_request, role="employer_without_agreement"),
    "auth.accept_invitation": FormCase(page=_token_page("invitation", "accept-invitation")),
    "auth.reset_password": FormCase(page=_token_page("reset-password", "reset-password")),
    "callbacks.claim": FormCase(page=_unclaimed_callback, role="lmra"),
    "outcomes.decide": FormCase(page=_outcome_to_decide),
    "pet.attendance": FormCase(page=_completed_trainee, role="provider"),
    "pet.decide_trainee": FormCase(
        page=lambda world: _trainee_in(world, TraineeStatus.REFERRED), role="provider"
    ),
    "pet.trainee_completion": FormCase(page=_started_trainee, role="provider"),
    "pet.trainee_leaver": FormCase(page=_started_trainee, role="provider"),
    "pet.trainee_returned": FormCase(page=_completed_trainee, role="provider"),
    "pet.reopen_plan": FormCase(page=_finalised_plan),
    "referrals.refer": FormCase(page=_suggestions_with_a_fitting_customer),
}


def form_case(endpoint: str) -> FormCase:
    """The case for a POST route: its own, or its GET page, or the page named for it."""
    if endpoint in FORM_CASES:
        return FORM_CASES[endpoint]
    if ROUTES[endpoint].method == "GET":
        return FormCase(page=_page_of(endpoint))
    if endpoint in FORM_PAGES:
        return FormCase(page=_page_of(FORM_PAGES[endpoint]))
    raise AssertionError(
        f"{endpoint} takes POST only: name the page that shows its form in FORM_PAGES"
    )


def roles_for(endpoint: str, page_endpoint: str | None = None) -> list[str]:
    """The roles the matrix allows on the route (and on the page showing its form), in the
    order they are tried."""
    allowed = ROUTES[endpoint].allowed
    if page_endpoint is not None:
        allowed = allowed & ROUTES[page_endpoint].allowed
    return [role for role in ROLE_PREFERENCE if role in allowed]


def days_from_today(days: int) -> dt.date:
    return clock.today() + dt.timedelta(days=days)


ACCEPTED = frozenset({301, 302, 303})
# Refusals a form may give besides showing itself again: a malformed request, a record that
# is not there (or not the user's), a role refused, a stale record, too many attempts.
REFUSED = frozenset({400, 403, 404, 409, 413, 429})
# Routes that answer an accepted submission with a page rather than a redirect.
ANSWERED_WITH_A_PAGE = frozenset(
    {
        # "Check your email" whether or not the address has an account: nobody learns from
        # it who has one.
        "auth.forgot_password",
        # A new API key is shown once, on the page that made it: a redirect would have to
        # carry it in the session cookie, which is signed but not encrypted.
        "api_keys.index",
        # Approving ticked claims answers first with the page that confirms them and their
        # total; only its own form (with `confirmed`) approves.
        "vouchers.approve",
    }
)


def posts_to(form: FormShape, endpoint: str) -> bool:
    if form.method != "post":
        return False
    try:
        matched, _arguments = URL_MAP.bind("localhost").match(form.path, method="POST")
    except HTTPException:
        return False
    return matched == endpoint


@dataclass(frozen=True)
class FormPage:
    """A page showing a route's forms, as one signed-in user (`client`) got it."""

    role: str
    url: str
    forms: list[FormShape]
    client: FlaskClient


def find_forms(app: Flask, world: World, endpoint: str) -> FormPage:
    """The page's forms that post to the route, for the first allowed role whose page shows
    one."""
    case = form_case(endpoint)
    page_url = case.page(world)
    page_endpoint = FORM_PAGES.get(endpoint) if endpoint not in FORM_CASES else None
    roles = [case.role] if case.role else roles_for(endpoint, page_endpoint)
    seen = []
    for role in roles:
        client = client_as(app, world, role)
        response = client.get(page_url)
        seen.append(f"{role}: {response.status_code}")
        if response.status_code != 200:
            continue
        forms = [
            form
            for form in forms_on(response.get_data(as_text=True), page_url)
            if posts_to(form, endpoint)
        ]
        if forms:
            return FormPage(role, page_url, forms, client)
    raise AssertionError(f"no form posting to {endpoint} on {page_url} ({', '.join(seen)})")


def accepted(endpoint: str, response) -> bool:
    if response.status_code in ACCEPTED:
        return True
    return (
        response.status_code == 200
        and endpoint in ANSWERED_WITH_A_PAGE
        and "govuk-error-summary" not in response.get_data(as_text=True)
    )
