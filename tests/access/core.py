"""What every area's access rows are made of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.accounts.models import Organisation
from app.policy import ALL_ROLES, API_KEY, EVERYONE, GROUPS

STAFF = GROUPS["staff"]
SIGNED_IN = ALL_ROLES
EMPLOYER = frozenset({"employer"})


@dataclass
class World:
    """One user of every role, their organisation, and records each area adds in `build`.

    `users["employer"]` belongs to `organisation`; URLs point at records of that
    organisation, so the employer's row says whether an employer may use the route at all.
    Object-level isolation (another employer's records) is tested in each area's web tests.
    """

    users: dict
    organisation: Organisation
    records: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    method: str
    url: Callable[[World], str]
    allowed: frozenset[str]
    # Form fields to post, for a POST route that needs some to reach its view.
    data: dict = field(default_factory=dict)
    # A JSON body, for an API route.
    json: dict | None = None

    @property
    def is_api(self) -> bool:
        """Opened by an API key (`allow("api_key")`), never by a signed-in role."""
        return API_KEY in self.allowed


def fixed(path: str) -> Callable[[World], str]:
    return lambda world: path


__all__ = ["EMPLOYER", "EVERYONE", "SIGNED_IN", "STAFF", "Route", "World", "fixed"]
