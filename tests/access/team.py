"""Access rows for the employer's team. Owner-only routes are open to the employer role here;
that a recruiter is refused them is tested in tests/web/test_team.py."""

from __future__ import annotations

from tests.access.core import EMPLOYER, Route, World, fixed


def _member(suffix: str):
    return lambda world: f"/your-team/{world.users['employer'].membership.id}{suffix}"


ROUTES: dict[str, Route] = {
    "accounts.team_page": Route("GET", fixed("/your-team"), EMPLOYER),
    "accounts.team_invite": Route("GET", fixed("/your-team/invite"), EMPLOYER),
    "accounts.team_role": Route("GET", _member("/role"), EMPLOYER),
    "accounts.team_remove": Route("GET", _member("/remove"), EMPLOYER),
    "accounts.team_history": Route("GET", fixed("/your-team/history"), EMPLOYER),
    "accounts.account_team_history": Route(
        "GET", lambda world: f"/accounts/{world.organisation.id}/team-history", frozenset({"dam"})
    ),
}


def build(world: World) -> None:
    """Nothing to add: the routes point at the world's organisation and its owner."""
