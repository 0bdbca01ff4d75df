"""Access rows for the 48-hour call-back: the queue, the call screen and timeliness."""

from tests.access.core import Route, World, fixed

LMRA_AND_COORDINATOR = frozenset({"lmra", "coordinator"})


def _callback_url(suffix: str = ""):
    return lambda world: f"/call-backs/{world.records['callback'].id}{suffix}"


ROUTES: dict[str, Route] = {
    "callbacks.queue": Route("GET", fixed("/call-backs"), LMRA_AND_COORDINATOR),
    "callbacks.claim": Route("POST", _callback_url("/claim"), frozenset({"lmra"})),
    "callbacks.release": Route("POST", _callback_url("/release"), LMRA_AND_COORDINATOR),
    "callbacks.call": Route("GET", _callback_url(), LMRA_AND_COORDINATOR),
    # No fields: the LMRA who claimed it gets the form back with errors (200).
    "callbacks.attempt": Route("POST", _callback_url("/attempts"), frozenset({"lmra"})),
    "callbacks.complete": Route("GET", _callback_url("/complete"), LMRA_AND_COORDINATOR),
    "callbacks.timeliness": Route(
        "GET", fixed("/call-backs/timeliness"), frozenset({"coordinator", "admin"})
    ),
}


def build(world: World) -> None:
    """A submitted vacancy of the world's organisation with a call-back in its district,
    claimed by the world's LMRA; the LMRA and coordinator work in that district."""
    from tests.callback_factories import callback

    district_id = world.organisation.district_id
    for role in ("lmra", "coordinator"):
        world.users[role].district_id = district_id
    world.records["callback"] = callback(world.organisation, claimed_by=world.users["lmra"])
