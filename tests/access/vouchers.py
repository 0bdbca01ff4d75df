"""Access rows for the recruitment subsidy: the employer's vouchers and one-step claim; the
DAM's and coordinator's claims to approve, the bulk approval and one claim's decision."""

from __future__ import annotations

from tests.access.core import EMPLOYER, Route, World, fixed
from tests.voucher_factories import claimed, large_account, voucher_for

APPROVERS = frozenset({"dam", "coordinator"})


def _voucher(world: World) -> str:
    return f"/vouchers/{world.records['voucher'].id}"


ROUTES: dict[str, Route] = {
    "vouchers.mine": Route("GET", fixed("/vouchers"), EMPLOYER),
    "vouchers.show": Route("GET", _voucher, EMPLOYER),
    # Nothing declared: the voucher page again with an error.
    "vouchers.claim": Route("POST", lambda w: f"{_voucher(w)}/claim", EMPLOYER),
    "vouchers.claims": Route("GET", fixed("/vouchers/claims"), APPROVERS),
    # Nothing ticked: the list again with an error.
    "vouchers.approve": Route("POST", fixed("/vouchers/claims/approve"), APPROVERS),
    "vouchers.decide": Route(
        "GET", lambda w: f"/vouchers/claims/{w.records['voucher_claim'].id}", APPROVERS
    ),
}


def build(world: World) -> None:
    """The employer's own voucher (on a start of its own 14 weeks ago, not yet claimed), and
    a claim of a large account the world's DAM manages, in the coordinator's district."""
    district = world.organisation.district
    for role in ("dam", "coordinator"):
        world.users[role].district = district
    world.records["voucher"] = voucher_for(world.organisation, world.users["employer"])
    organisation, _dam = large_account(district, world.users["dam"])
    world.records["voucher_claim"] = claimed(voucher_for(organisation), _owner(organisation))


def _owner(organisation):
    return organisation.memberships[0].user
