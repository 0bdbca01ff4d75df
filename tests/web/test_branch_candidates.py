"""A head office sees a branch's candidates as the branch sees its own: names of consenting
candidates, never their customer reference numbers, and each look is audited (issue 13)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import SizeBand
from app.auth.models import Role
from app.customers.labels import VIEWED_BRANCH_CANDIDATES
from app.customers.models import AuditEntry
from app.extensions import db
from tests.account_factories import account, staff_in
from tests.factories import DistrictFactory
from tests.helpers import get_page, post_form, sign_in, sign_out
from tests.referral_factories import (
    adviser_in,
    fitting_customer,
    live_vacancy,
)

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


def audit_entries(customer, action=None) -> list[AuditEntry]:
    statement = select(AuditEntry).where(AuditEntry.customer_id == customer.id)
    if action:
        statement = statement.where(AuditEntry.action == action)
    return list(db.session.scalars(statement))


@pytest.fixture
def branch_with_candidates(client):
    """The issue's reproduction, through the pages: an adviser refers two consenting customers
    to a live branch vacancy, a coordinator links the branch to its head office, then the
    adviser withdraws one customer's consent."""
    district = DistrictFactory(name="Leeds")
    head = account(staff_in(district, Role.DAM), name="Hallam Stores", size_band=SizeBand.LARGE)
    branch = account(staff_in(district, Role.DAM), name="Hallam Stores Leeds")
    vacancy = live_vacancy(branch, job_title="Warehouse operative")
    adviser = adviser_in(vacancy.district)
    stays = fitting_customer(vacancy, adviser, reference="QQ194088C", first_name="Stella")
    leaves = fitting_customer(vacancy, adviser, reference="QQ194089C", first_name="Walter")

    sign_in(client, adviser)
    post_form(
        client,
        f"/vacancies/{vacancy.id}/referrals",
        {"customer_ids": [str(stays.id), str(leaves.id)]},
        status=302,
    )
    sign_in(client, staff_in(vacancy.district, Role.COORDINATOR))
    post_form(
        client,
        f"/accounts/{branch.id}/head-office",
        {"q": "hallam", "head_office": str(head.id)},
        status=302,
    )
    sign_in(client, adviser)
    post_form(client, f"/customers/{leaves.id}/consent", {"given": "no"}, status=302)
    sign_out(client)  # and the adviser's flashed message with them
    sign_in(client, head.memberships[0].user)
    return {"head": head, "branch": branch, "stays": stays, "leaves": leaves}


def test_the_branch_page_never_shows_customer_references(client, branch_with_candidates):
    world = branch_with_candidates
    html = get_page(client, f"/organisation/branches/{world['branch'].id}")
    assert world["stays"].name in html
    assert "QQ194088C" not in html and "QQ194089C" not in html


def test_the_branch_page_hides_a_candidate_once_consent_is_withdrawn(
    client, branch_with_candidates
):
    world = branch_with_candidates
    html = get_page(client, f"/organisation/branches/{world['branch'].id}")
    assert world["leaves"].name not in html
    # The counts above the table leave them out too: one candidate, not two.
    assert "Referred: 1" in html


def test_each_look_at_the_branch_page_is_audited_for_the_consenting_candidates_only(
    client, branch_with_candidates
):
    world = branch_with_candidates
    head = world["head"]
    get_page(client, f"/organisation/branches/{world['branch'].id}")
    (entry,) = audit_entries(world["stays"], VIEWED_BRANCH_CANDIDATES)
    assert entry.user_id == head.memberships[0].user.id
    assert entry.organisation_id == head.id
    assert "Hallam Stores Leeds" in entry.detail
    assert audit_entries(world["leaves"], VIEWED_BRANCH_CANDIDATES) == []
    get_page(client, f"/organisation/branches/{world['branch'].id}")
    assert len(audit_entries(world["stays"], VIEWED_BRANCH_CANDIDATES)) == 2
