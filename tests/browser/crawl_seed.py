"""The crawl's data: at least one record of every kind, so every page is reachable.

It is the demo data (`seed_demo`, which the journeys use) plus the access matrix's world
(`build_world`: a user of every role and a record behind every URL), built twice: once for an
SME and once for a large employer in the same district, with the same staff. Nothing here
duplicates either: a new kind of record that the matrix needs reaches the crawl too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from app.accounts.models import SizeBand
from app.agreements.services import request_agreement
from app.extensions import db
from app.models_base import utcnow
from tests.access.core import World
from tests.factories import PASSWORD, OrganisationFactory, employer_user
from tests.test_access_matrix import AREAS, build_world

#: The roles the crawl signs in as, in the order it reports them.
ROLES = (
    "sme",
    "large",
    "lmra",
    "dam",
    "coordinator",
    "tppm",
    "adviser",
    "provider",
    "admin",
)


#: Areas whose records the large employer goes without, so that the pages for an employer
#: without them are reached too: no agreement (the employer asks for one, staff record one)
#: and no branches (staff link it to a head office).
LEFT_OUT_OF_THE_LARGE_WORLD = {"tests.access.agreements", "tests.access.accounts"}


@dataclass(frozen=True)
class Login:
    email: str
    password: str = PASSWORD


def seed_crawl() -> dict[str, Login]:
    """Demo data and both worlds; returns the login of each role in `ROLES`."""
    from app.demo.seed import seed_demo

    seed_demo()
    sme = build_world()
    large_employer = OrganisationFactory(
        size_band=SizeBand.LARGE, sector="health", district=sme.organisation.district
    )
    large = World(
        users={**sme.users, "employer": employer_user(large_employer)},
        organisation=large_employer,
    )
    for area in AREAS:
        if area.__name__ in LEFT_OUT_OF_THE_LARGE_WORLD:
            continue
        try:
            with db.session.begin_nested():
                area.build(large)
        except IntegrityError:
            # A district's own record (its month's target, say), which the SME's world has.
            print(f"crawl seed: the large employer's world has no {area.__name__}")
    large_employer.contact = sme.users["dam"]
    # Recorded by staff three weeks ago and not confirmed: in the coordinator's queue.
    sme.records["outcome"].created_at = utcnow() - dt.timedelta(days=21)
    # An employer without an agreement that has asked for one: staff record it from the queue.
    asking = OrganisationFactory(district=sme.organisation.district, contact=sme.users["lmra"])
    request_agreement(asking, employer_user(asking), "We take on two a year.", ["work_trials"])
    users = {**sme.users, "sme": sme.users["employer"], "large": large.users["employer"]}
    return {role: Login(users[role].email) for role in ROLES}
