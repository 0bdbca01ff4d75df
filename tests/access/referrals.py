"""Access rows for referrals: staff of the vacancy's district suggest and refer; the employer
reviews its candidates, records each step and rates them; managers see referral quality."""

import datetime as dt

from app.accounts.models import Office
from app.extensions import db
from app.models_base import utcnow
from app.referrals.models import ReferralEvent
from app.statuses import ReferralStatus
from tests.access.core import EMPLOYER, Route, fixed

REFERRING_STAFF = frozenset({"lmra", "dam", "adviser"})
QUALITY_READERS = frozenset({"coordinator", "lmra", "dam", "admin"})


def _vacancy_url(suffix: str):
    return lambda world: f"/vacancies/{world.records['vacancy_for_referrals'].id}{suffix}"


def _candidate_url(suffix: str = ""):
    return lambda world: f"/candidates/{world.records['referral'].id}{suffix}"


ROUTES: dict[str, Route] = {
    "referrals.suggestions": Route("GET", _vacancy_url("/suggestions"), REFERRING_STAFF),
    # Nobody chosen: the suggestions again with an error (200).
    "referrals.refer": Route("POST", _vacancy_url("/referrals"), REFERRING_STAFF),
    "referrals.quality": Route("GET", fixed("/referrals/quality"), QUALITY_READERS),
    "referrals.review": Route("GET", _vacancy_url("/candidates"), EMPLOYER),
    "referrals.candidate": Route("GET", _candidate_url(), EMPLOYER),
    "referrals.move": Route("POST", _candidate_url("/status"), EMPLOYER, {"action": "shortlist"}),
    # No rating chosen: the page again with an error (200).
    "referrals.rate": Route("POST", _candidate_url("/rating"), EMPLOYER),
    # The confirmation page for an interview next week (the crawl follows its link too).
    "referrals.cancel_interview": Route(
        "GET",
        lambda world: f"/candidates/{world.records['referral_to_interview'].id}/interview/cancel",
        EMPLOYER,
    ),
    "referrals.cancel_interview_for_customer": Route(
        "GET",
        lambda world: f"/referrals/{world.records['referral_to_interview'].id}/interview/cancel",
        REFERRING_STAFF,
    ),
}


def build(world) -> None:
    """A live vacancy of the organisation in its district, a consented green customer there,
    and that customer's referral to it; the referring staff and the coordinator work in the
    district."""
    from tests.referral_factories import fitting_customer, live_vacancy, referral

    district = world.organisation.district
    office = None
    for role in ("lmra", "dam", "adviser", "coordinator"):
        user = world.users[role]
        if user.district_id != district.id:
            user.district = district
        if user.office is None or user.office.district_id != district.id:
            if office is None:
                office = Office(name="Referrals access office", district=district)
                db.session.add(office)
            user.office = office
    db.session.flush()
    vacancy = live_vacancy(world.organisation)
    customer = fitting_customer(vacancy, adviser=world.users["adviser"])
    world.records["vacancy_for_referrals"] = vacancy
    world.records["referral"] = referral(vacancy, customer)
    # A second candidate with an interview next week, arranged by the employer.
    to_interview = referral(
        vacancy,
        # First by name in the adviser's list of customers, so the crawl opens their page
        # (it opens two of a kind) and follows its "Cancel interview" link.
        fitting_customer(
            vacancy, adviser=world.users["adviser"], first_name="Aaron", last_name="Aardvark"
        ),
        interview_at=utcnow() + dt.timedelta(days=7),
        interview_place="Unit 4, Thorpe Park, Leeds",
    )
    to_interview.status = ReferralStatus.INTERVIEW_ARRANGED
    db.session.add(
        ReferralEvent(
            referral=to_interview,
            status=ReferralStatus.INTERVIEW_ARRANGED,
            by_id=world.users["employer"].id,
        )
    )
    db.session.flush()
    world.records["referral_to_interview"] = to_interview
