"""Staff search the employer accounts of their own district and the accounts they look after;
coordinators and admins may ask for every district (issue 13: a Cardiff LMRA listed every
organisation in England, Scotland and Wales)."""

from __future__ import annotations

import pytest

from app.auth.models import Role
from tests.account_factories import account, branch_of, staff_in
from tests.factories import DistrictFactory, nation
from tests.helpers import count_queries, get_page, sign_in


@pytest.fixture
def country():
    leeds = DistrictFactory(name="Leeds")
    bristol = DistrictFactory(name="Bristol")
    cardiff = DistrictFactory(name="Cardiff", nation_code=nation("wales").code)
    national_manager = staff_in(leeds, Role.DAM, name="Nadia National")
    head = account(national_manager, name="Hallam Stores")
    return {
        "leeds": leeds,
        "cardiff": cardiff,
        "national_manager": national_manager,
        "head": head,
        "bristol_branch": branch_of(head, name="Hallam Stores Bristol", district=bristol),
        "bristol_other": account(name="Avon Bakery", district=bristol),
        "leeds_other": account(name="Kirkgate Bakery", district=leeds),
        "cardiff_own": account(name="Taff Valley Garage", district=cardiff),
    }


def listed(client, url: str = "/accounts") -> str:
    html = get_page(client, url, title="Employer accounts")
    return html.split("<main")[1]


def test_a_cardiff_lmra_lists_only_cardiff_accounts(client, country):
    sign_in(client, staff_in(country["cardiff"], Role.LMRA))
    html = listed(client)
    assert "Taff Valley Garage" in html
    for name in ("Kirkgate Bakery", "Hallam Stores", "Avon Bakery"):
        assert name not in html
    assert "Showing accounts in Cardiff" in html
    # Searching for an English employer by name finds nothing either.
    assert "Kirkgate" not in listed(client, "/accounts?q=kirkgate")


@pytest.mark.parametrize("role", [Role.LMRA, Role.DAM, Role.ADVISER, Role.TPPM])
def test_only_coordinators_and_admins_may_search_every_district(client, country, role):
    sign_in(client, staff_in(country["cardiff"], role))
    get_page(client, "/accounts?scope=everywhere", status=400)
    assert 'name="scope"' not in listed(client)


def test_a_national_account_manager_finds_their_branches_in_every_district(client, country):
    sign_in(client, country["national_manager"])
    html = listed(client)
    assert "Hallam Stores Bristol" in html  # a branch of their head office, in Bristol
    assert "Kirkgate Bakery" in html  # their own district
    assert "Avon Bakery" not in html and "Taff Valley Garage" not in html


def test_a_coordinator_starts_in_their_district_and_may_search_every_district(client, country):
    sign_in(client, staff_in(country["leeds"], Role.COORDINATOR))
    html = listed(client)
    assert "Kirkgate Bakery" in html and "Taff Valley Garage" not in html
    everywhere = listed(client, "/accounts?scope=everywhere&q=a")
    for name in ("Kirkgate Bakery", "Avon Bakery", "Taff Valley Garage", "Hallam Stores Bristol"):
        assert name in everywhere
    assert "Showing accounts in every district." in everywhere


def test_an_admin_without_a_district_searches_every_district(client, country):
    admin = staff_in(country["leeds"], Role.ADMIN)
    admin.district_id = None
    sign_in(client, admin)
    assert "Taff Valley Garage" in listed(client)


def test_the_scope_survives_paging(client, country):
    for number in range(26):
        account(name=f"Cardiff Firm {number:02d}", district=country["cardiff"])
    sign_in(client, staff_in(country["leeds"], Role.COORDINATOR))
    html = listed(client, "/accounts?scope=everywhere&q=cardiff")
    assert "scope=everywhere" in html and "page=2" in html


def test_the_district_search_runs_a_fixed_number_of_queries(client, country):
    sign_in(client, country["national_manager"])
    with count_queries() as few:
        listed(client)
    for number in range(10):
        branch_of(country["head"], name=f"Hallam Stores {number}", district=country["cardiff"])
    with count_queries() as more:
        html = listed(client)
    assert "Hallam Stores 9" in html
    assert len(more) == len(few)


def test_each_account_is_a_link_to_its_page(client, country):
    sign_in(client, staff_in(country["cardiff"], Role.LMRA))
    html = listed(client)
    link = (
        f'<a class="govuk-link" href="/accounts/{country["cardiff_own"].id}">Taff Valley Garage</a>'
    )
    assert link in html
    assert "&lt;a" not in html
