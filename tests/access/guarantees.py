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
        lambda w: _acting(w, f"candidates/{w.records['referral'].id}/decision"),
        ACTING,
    ),
}


def build(world) -> None:
    """Two completers of a course the organisation guarantees interviews after, and so two
    guarantees: one in time, one overdue (so the crawl reaches the work to chase). No new
    referrals: the crawl opens two candidates of a kind, and the referrals area's must stay
    the ones it opens. The LMRA and DAM work in the organisation's district."""
    import datetime as dt

    from app.clock import today
    from app.extensions import db
    from app.guarantees import services
    from app.pet.models import CourseReferral
    from app.statuses import TraineeStatus
    from tests.customer_factories import CustomerFactory
    from tests.pet_factories import CourseFactory

    world.users["lmra"].district_id = world.organisation.district_id
    world.users["dam"].district_id = world.organisation.district_id
    course = CourseFactory(district=world.organisation.district, employers=[world.organisation])
    trainees = []
    for _ in range(2):
        customer = CustomerFactory(district=world.organisation.district)
        trainee = CourseReferral(
            course=course,
            customer=customer,
            referred_by=customer.adviser,
            status=TraineeStatus.COMPLETED,
            completed_on=today(),
        )
        db.session.add(trainee)
        trainees.append(trainee)
    db.session.flush()
    (world.records["guarantee"],) = services.open_for_completers([trainees[0].id], today())
    services.open_for_completers([trainees[1].id], today() - dt.timedelta(days=30))
