"""Who may use which page: declared beside each route, enforced here in one place.

`@allow("employer")` under a route marks its view with the roles that may use it. The
`before_request` hook in `enforce` refuses every other role, and refuses every view that was
never marked, so a forgotten decorator fails closed. `tests/test_access_matrix.py` walks the
URL map and checks each route, for every role, against the declarations.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from app.roles import STAFF_ROLES, Role

ANONYMOUS = "anonymous"
ALL_ROLES: frozenset[str] = frozenset(role.value for role in Role)
EVERYONE: frozenset[str] = ALL_ROLES | {ANONYMOUS}

# Names a route may use besides single roles.
GROUPS: dict[str, frozenset[str]] = {
    "everyone": EVERYONE,
    "signed_in": ALL_ROLES,
    "staff": frozenset(role.value for role in STAFF_ROLES),
    ANONYMOUS: frozenset({ANONYMOUS}),
}
#: The API's routes: a bearer API key, never a session (`app.api.auth`). No role of a signed-in
#: person opens them, and a key opens nothing else.
API_KEY = "api_key"
GROUPS[API_KEY] = frozenset({API_KEY})

F = TypeVar("F", bound=Callable)


def roles_named(*names: str) -> frozenset[str]:
    """The roles behind role and group names; an unknown name is a bug, so it raises."""
    roles: set[str] = set()
    for name in names:
        if name in GROUPS:
            roles |= GROUPS[name]
        elif name in ALL_ROLES:
            roles.add(name)
        else:
            raise ValueError(f"unknown role or group {name!r} in an access declaration")
    if not roles:
        raise ValueError("an access declaration needs at least one role")
    return frozenset(roles)


#: An employer's people are owners or recruiters (app.accounts.models.MembershipRole).
EMPLOYER_MEMBERSHIPS = frozenset({"owner", "recruiter"})


def allow(*names: str, membership: str | None = None) -> Callable[[F], F]:
    """Mark a view with the roles that may use it. `membership="owner"` narrows the
    employer role to the organisation's owners: recruiters post and manage vacancies and
    review candidates, but only owners manage the team and the organisation."""
    roles = roles_named(*names)
    if membership is not None:
        if membership not in EMPLOYER_MEMBERSHIPS:
            raise ValueError(f"unknown employer membership {membership!r}")
        if "employer" not in roles:
            raise ValueError("a membership narrows the employer role, which is not allowed")

    def mark(view: F) -> F:
        view.allowed_roles = roles  # type: ignore[attr-defined]
        view.employer_membership = membership  # type: ignore[attr-defined]
        return view

    return mark


def membership_of(user) -> str | None:
    membership = getattr(user, "membership", None)
    return membership.role.value if membership is not None else None


def current_role() -> str:
    if current_user.is_authenticated:
        return current_user.role.value
    return ANONYMOUS


def enforce() -> object | None:
    """The single access check, run before every view."""
    if request.endpoint is None or request.endpoint == "static":
        return None  # 404s and static files
    view = current_app.view_functions[request.endpoint]
    allowed = getattr(view, "allowed_roles", None)
    if allowed is None:
        current_app.logger.error("Route %s has no access declaration", request.endpoint)
        abort(403)
    if API_KEY in allowed:
        from app.api.auth import authenticate

        return authenticate()
    role = current_role()
    if role in allowed:
        wanted = getattr(view, "employer_membership", None)
        if role == "employer" and wanted is not None and membership_of(current_user) != wanted:
            abort(403)
        return None
    if role == ANONYMOUS:
        if request.method == "GET":
            return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
        abort(401)
    abort(403)
