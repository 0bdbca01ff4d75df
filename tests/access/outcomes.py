"""Access rows for job outcomes: recording a start, the employer's confirmation and
sustainment answers, the coordinator's validation queue and decisions, the staff view."""

from __future__ import annotations

import datetime as dt

from app.outcomes.services import today
from tests.access.core import EMPLOYER, STAFF, Route, World, fixed
from tests.outcome_factories import OfferedReferralFactory, customer_in, record

RECORDERS = frozenset({"lmra", "dam", "adviser"})
DECIDERS = frozenset({"coordinator", "admin"})


def _outcome(world: World) -> str:
    return f"/outcomes/{world.records['outcome'].id}"


ROUTES: dict[str, Route] = {
    "outcomes.record": Route(
        "GET", lambda w: f"/referrals/{w.records['outcome_referral'].id}/start", RECORDERS
    ),
    "outcomes.mine": Route("GET", fixed("/outcomes"), EMPLOYER),
    "outcomes.confirm": Route("GET", lambda w: f"{_outcome(w)}/confirm", EMPLOYER),
    "outcomes.sustainment": Route("GET", lambda w: f"{_outcome(w)}/sustainment/13", EMPLOYER),
    # Any id: a request that is not the adviser's own is refused with a message (302).
    "outcomes.aftercare_done": Route(
        "POST",
        lambda w: "/aftercare/00000000-0000-4000-8000-000000000000/done",
        frozenset({"adviser"}),
    ),
    "outcomes.validation_queue": Route("GET", fixed("/outcomes/validation"), DECIDERS),
    "outcomes.decide": Route("GET", lambda w: f"{_outcome(w)}/decide", DECIDERS),
    "outcomes.show": Route("GET", _outcome, STAFF),
}


def build(world: World) -> None:
    """A referral with no start yet (to record one), and a start staff recorded 100 days ago,
    waiting for the employer, whose 13-week question is due; the staff who work with them are
    put in the employer's district."""
    district = world.organisation.district
    for role in ("lmra", "dam", "adviser", "coordinator"):
        world.users[role].district = district
    started = today() - dt.timedelta(days=100)
    recorded = OfferedReferralFactory(
        vacancy__organisation=world.organisation,
        customer=customer_in(district, claim_start=started - dt.timedelta(days=200)),
    )
    world.records["outcome"] = record(recorded, world.users["lmra"], start=started)
    world.records["outcome_referral"] = OfferedReferralFactory(
        vacancy=recorded.vacancy, customer=customer_in(district)
    )
