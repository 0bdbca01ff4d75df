"""Access rows for guaranteed interviews: the employer's list and reasons, staff's work to
chase, and staff acting for the employer on its candidates and guarantees (only those who
may see the account: another district's staff get 404, tested in tests/web/test_guarantees.py)."""

from tests.access.core import EMPLOYER, Route, fixed

ACTING = frozenset({"lmra", "dam", "admin"})


def _guarantee(world) -> str:
    return str(world.records["guarantee"].id)


def _acting(world, tail: str) -> str:
    return f"/accounts/{world.organisation.id}/act-for-employer/{tail}?channel=phone"


ROUTES: dict[str, Route] = {
    "guarantees.list": Route("GET", fixed("/guarantees"), EMPLOYER),
    "guarantees.not_offered": Route(
        "GET", lambda w: f"/guarantees/{_guarantee(w)}/not-offered", EMPLOYER
    ),
    "guarantees.to_chase": Route(
        "GET", fixed("/guarantees/to-chase"), frozenset({"lmra", "dam", "coordinator", "admin"})
    ),
    "guarantees.act_not_offered": Route(
        "GET", lambda w: _acting(w, f"guarantees/{_guarantee(w)}/not-offered"), ACTING
    ),
    "guarantees.act_on_candidate": Route(
        "GET",
        lambda w: _acting(w, f"candidates/{w.records['guarantee'].referral_id}/decision"),
        ACTING,
    ),
}


def build(world) -> None:
    """Referrals of eligible customers to the organisation's vacancy offering guaranteed
    interviews, and so guarantees: one in time, one overdue (so the crawl reaches the work to
    chase); the LMRA and DAM work in the organisation's district."""
    import datetime as dt

    from app.clock import today
    from app.guarantees import services
    from tests.referral_factories import live_vacancy, referral

    world.users["lmra"].district_id = world.organisation.district_id
    world.users["dam"].district_id = world.organisation.district_id
    vacancy = live_vacancy(world.organisation, offers_guaranteed_interview=True)
    made = referral(vacancy)
    world.records["guarantee"] = services.open_for_referral(made)
    services.open_for_referral(referral(vacancy), on=today() - dt.timedelta(days=30))
