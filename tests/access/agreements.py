"""Access rows for LEP agreements: the employer's page and request, the staff pages."""

import datetime as dt

from app.agreements.models import Channel, Measure
from app.agreements.services import AgreementTerms, MeasureTerms, record_agreement
from tests.access.core import EMPLOYER, STAFF, Route, fixed


def _account(suffix: str = ""):
    return lambda world: f"/accounts/{world.organisation.id}/agreement{suffix}"


ROUTES: dict[str, Route] = {
    "agreements.mine": Route("GET", fixed("/agreement"), EMPLOYER),
    "agreements.request": Route("GET", fixed("/agreement/request"), EMPLOYER),
    "agreements.confirm": Route("POST", fixed("/agreement/confirm"), EMPLOYER, {"version": "1"}),
    "agreements.query": Route(
        "POST", fixed("/agreement/query"), EMPLOYER, {"query_version": "1", "message": "Two places"}
    ),
    "agreements.requests": Route(
        "GET", fixed("/agreement-requests"), frozenset({"lmra", "dam", "coordinator"})
    ),
    "agreements.account": Route("GET", _account(), STAFF),
    "agreements.new": Route("GET", _account("/new"), frozenset({"lmra", "dam"})),
    "agreements.amend": Route("GET", _account("/amend"), frozenset({"lmra", "dam"})),
    "agreements.end": Route("GET", _account("/end"), frozenset({"lmra", "dam", "coordinator"})),
}


def build(world) -> None:
    """The organisation has an active agreement taken by the LMRA; the LMRA, the DAM and the
    coordinator work in its district (staff elsewhere get a 404, which the matrix allows)."""
    for role in ("lmra", "dam", "coordinator"):
        user = world.users[role]
        user.district = world.organisation.district
        user.district_id = world.organisation.district_id
    version = record_agreement(
        world.organisation,
        AgreementTerms(
            agreed_on=dt.date(2026, 11, 2),
            channel=Channel.PHONE,
            measures=[MeasureTerms(Measure.WORK_TRIALS, places=2)],
        ),
        world.users["lmra"],
    )
    world.records["agreement"] = version.agreement
