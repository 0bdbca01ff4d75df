"""Who may see the labour market figures of which places, and the figures that exist.

Staff who read the MI (coordinators, DAMs, administrators) may choose any nation or district:
the figures are counts, with nobody's personal data. A training provider sees only the
districts its accepted LEP Partnership Agreements cover; without one the pages are not found
(404), as every partnership page but the offer is.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort

from app.auth.models import Role, User
from app.lmi import queries
from app.lmi.figures import BUILDERS
from app.lmi.queries import Place, Scope
from app.partnerships.access import covered
from app.reports.figures import Table


def places_or_404(user: User) -> list[Place]:
    if user.role is Role.PROVIDER:
        districts = covered(user)
        if not districts:
            abort(404)
        places = queries.district_places(districts)
    else:
        places = queries.staff_places()
    if not places:
        abort(404)
    return places


def builder_or_404(name: str) -> Callable[[Scope], Table]:
    builder = BUILDERS.get(name)
    if builder is None:
        abort(404)
    return builder
