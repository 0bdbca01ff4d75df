"""'My accounts': filters (with and without HTMX), counts per filter value, keyset pages,
bookmarkable URLs, what coordinators see, bulk reassignment and flat query counts."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlparse

import pytest
from sqlalchemy import func, select

from app.accounts.models import ContactChange, NextAction, SizeBand
from app.agreements.models import Agreement, AgreementStatus
from app.agreements.services import today
from app.auth.models import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.account_factories import account, contact_entry, staff_in
from tests.factories import DistrictFactory
from tests.helpers import count_queries, get_page, post_form, sign_in

pytestmark = pytest.mark.usefixtures("fresh_request_globals")

ACCOUNT_ROW = re.compile(r'data-account="([0-9a-f-]+)"')


def ids_on(html: str) -> list[str]:
    return ACCOUNT_ROW.findall(html)


@pytest.fixture
def patch():
    """A DAM with six accounts, one of each kind the filters tell apart, and a colleague's
    account in the same district that is not theirs."""
    district = DistrictFactory(name="Leeds and Bradford")
    dam = staff_in(district, Role.DAM, name="Dana Adams")
    colleague = staff_in(district, Role.DAM, name="Colin Brown")
    day = today()
    accounts = {
        "overdue": account(dam, name="Acorn Bakery", sector="retail"),
        "due": account(dam, name="Birch Hotels", sector="hospitality", size_band=SizeBand.LARGE),
        "active": account(dam, name="Cedar Care", sector="social_care"),
        "ended": account(dam, name="Damson Logistics", sector="warehousing"),
        "stale": account(dam, name="Elm Security", sector="security"),
        "never": account(dam, name="Fir Cleaning", sector="cleaning"),
    }
    contact_entry(
        accounts["overdue"],
        dam,
        on=day - dt.timedelta(days=10),
        next_action=True,
        due=day - dt.timedelta(days=2),
    )
    contact_entry(
        accounts["due"],
        dam,
        on=day - dt.timedelta(days=40),
        next_action=True,
        due=day + dt.timedelta(days=5),
    )
    contact_entry(accounts["stale"], dam, on=day - dt.timedelta(days=200))
    contact_entry(accounts["active"], dam, on=day)
    db.session.add_all(
        [
            Agreement(organisation_id=accounts["active"].id, started_on=day),
            Agreement(
                organisation_id=accounts["ended"].id,
                started_on=day - dt.timedelta(days=400),
                status=AgreementStatus.ENDED,
                ended_on=day - dt.timedelta(days=10),
            ),
        ]
    )
    other = account(colleague, name="Gorse Garden Centre")
    db.session.flush()
    return {"dam": dam, "colleague": colleague, "district": district, "other": other, **accounts}


EXPECTED = {
    ("next_action", "overdue"): {"overdue"},
    ("next_action", "due"): {"due"},
    ("next_action", "none"): {"active", "ended", "stale", "never"},
    ("agreement", "active"): {"active"},
    ("agreement", "ended"): {"ended"},
    ("agreement", "none"): {"overdue", "due", "stale", "never"},
    ("last_contact", "within_30"): {"overdue", "active"},
    ("last_contact", "31_to_90"): {"due"},
    ("last_contact", "over_90"): {"stale"},
    ("last_contact", "never"): {"ended", "never"},
    ("sector", "retail"): {"overdue"},
    ("size", "large"): {"due"},
    ("size", "sme"): {"overdue", "active", "ended", "stale", "never"},
    ("q", "cedar"): {"active"},
    ("q", "ls1"): {"overdue", "due", "active", "ended", "stale", "never"},
}


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "htmx"])
@pytest.mark.parametrize(("name", "value"), sorted(EXPECTED))
def test_each_filter_shows_only_matching_accounts(client, patch, name, value, htmx):
    sign_in(client, patch["dam"])
    url = f"/my-accounts?{name}={value}"
    if htmx:
        html = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    else:
        html = get_page(client, url, title="My accounts")
    expected = {str(patch[key].id) for key in EXPECTED[(name, value)]}
    assert set(ids_on(html)) == expected
    assert str(patch["other"].id) not in html
    if htmx:
        assert "<html" not in html and 'id="portfolio"' in html
    else:
        assert "<html" in html


def test_district_and_office_filters(client, patch):
    sign_in(client, patch["dam"])
    html = get_page(client, f"/my-accounts?district={patch['district'].id}")
    assert len(ids_on(html)) == 6
    html = get_page(client, f"/my-accounts?office={patch['dam'].office_id}")
    assert len(ids_on(html)) == 6
    html = get_page(client, f"/my-accounts?district={DistrictFactory().id}")
    assert ids_on(html) == []


def option_count(html: str, name: str, value: str) -> int:
    select_html = re.search(rf'name="{name}".*?</select>', html, re.S).group(0)
    match = re.search(rf'value="{re.escape(value)}"[^>]*>[^<]*\((\d+)\)', select_html)
    return int(match.group(1)) if match else 0


def test_counts_per_filter_value_match_an_independent_count(client, patch):
    sign_in(client, patch["dam"])
    html = get_page(client, "/my-accounts")
    for (name, value), keys in EXPECTED.items():
        if name != "q":
            assert option_count(html, name, value) == len(keys), (name, value)
    # With a filter chosen, other filters count within it; its own still counts them all.
    html = get_page(client, "/my-accounts?agreement=none")
    assert option_count(html, "next_action", "overdue") == 1
    assert option_count(html, "next_action", "none") == 2  # stale and never
    assert option_count(html, "agreement", "active") == 1
    assert "4 accounts" in html


def test_accounts_are_sorted_by_next_action_due_then_name(client, patch):
    sign_in(client, patch["dam"])
    order = ids_on(get_page(client, "/my-accounts"))
    names = ["overdue", "due", "active", "ended", "stale", "never"]
    assert order == [str(patch[key].id) for key in names]


def test_overdue_next_actions_are_flagged_in_the_portfolio(client, patch):
    sign_in(client, patch["dam"])
    html = get_page(client, "/my-accounts?next_action=overdue")
    assert 'data-testid="overdue"' in html
    html = get_page(client, "/my-accounts?next_action=due")
    assert 'data-testid="overdue"' not in html


def test_an_unknown_filter_value_is_a_bad_request(client, patch):
    sign_in(client, patch["dam"])
    get_page(client, "/my-accounts?next_action=soon", status=400)
    get_page(client, "/my-accounts?district=not-a-uuid", status=400)


def test_keyset_pages_cover_every_account_once(client):
    district = DistrictFactory()
    dam = staff_in(district)
    day = today()
    made = []
    for n in range(57):
        organisation = account(dam, name=f"Employer {n % 7:02d}")  # repeated names
        if n % 3 == 0:
            contact_entry(organisation, dam, next_action=True, due=day + dt.timedelta(days=n % 5))
        made.append(str(organisation.id))
    sign_in(client, dam)
    seen, url, pages = [], "/my-accounts?size=sme", 0
    while url:
        html = get_page(client, url)
        seen.extend(ids_on(html))
        pages += 1
        found = re.search(r'href="([^"]+)" rel="next"', html)
        url = found.group(1).replace("&amp;", "&") if found else None
        if url:
            assert parse_qs(urlparse(url).query)["size"] == ["sme"]  # filters kept
    assert pages == 3
    assert len(seen) == len(set(seen)) == 57
    assert set(seen) == set(made)


def test_a_filtered_url_can_be_bookmarked(client, patch):
    sign_in(client, patch["dam"])
    url = "/my-accounts?agreement=none&next_action=overdue&q=acorn"
    first = ids_on(get_page(client, url))
    again = ids_on(get_page(client, url))
    htmx = ids_on(client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True))
    assert first == again == htmx == [str(patch["overdue"].id)]
    html = get_page(client, url)
    assert 'value="acorn"' in html and 'value="overdue" selected' in html


def test_a_dam_sees_only_their_own_accounts_whatever_the_url_says(client, patch):
    sign_in(client, patch["dam"])
    html = get_page(client, f"/my-accounts?staff={patch['colleague'].id}")
    assert str(patch["other"].id) not in html
    assert len(ids_on(html)) == 6


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.ADMIN])
def test_a_coordinator_sees_any_persons_or_a_districts_accounts(client, patch, role):
    sign_in(client, staff_in(patch["district"], role))
    html = get_page(client, f"/my-accounts?staff={patch['colleague'].id}", title="Accounts of")
    assert ids_on(html) == [str(patch["other"].id)]
    html = get_page(client, f"/my-accounts?district={patch['district'].id}")
    assert len(ids_on(html)) == 7
    get_page(client, f"/my-accounts?staff={account().id}", status=404)


def portfolio_queries(client, url="/my-accounts") -> int:
    with count_queries() as statements:
        get_page(client, url)
    return len(statements)


def test_the_portfolio_runs_the_same_number_of_queries_for_3_and_30_accounts(client):
    district = DistrictFactory()
    dam = staff_in(district)
    for _ in range(3):
        organisation = account(dam, district=DistrictFactory())
        contact_entry(organisation, dam, next_action=True)
    sign_in(client, dam)
    few = portfolio_queries(client)
    for _ in range(27):
        organisation = account(dam, district=DistrictFactory())
        contact_entry(organisation, dam, next_action=True)
    many = portfolio_queries(client)
    # The user, every filter's counts in one, the page (contacts' and districts' names joined
    # in), the filters' district and office names, and the overdue guaranteed interviews.
    assert many == few == 6
    coordinator = staff_in(district, Role.COORDINATOR)
    sign_in(client, coordinator)
    assert portfolio_queries(client, f"/my-accounts?staff={dam.id}") == portfolio_queries(
        client, f"/my-accounts?staff={dam.id}&next_action=due"
    )


# Bulk reassignment


def test_a_coordinator_reassigns_selected_accounts_to_one_colleague(client, patch):
    coordinator = staff_in(patch["district"], Role.COORDINATOR)
    sign_in(client, coordinator)
    url = f"/my-accounts/reassign?staff={patch['dam'].id}"
    html = get_page(client, url, title="Reassign accounts of Dana Adams")
    assert "Acorn Bakery" in html
    post_form(
        client,
        url,
        {
            "which": "selected",
            "accounts": [str(patch["overdue"].id), str(patch["due"].id)],
            "colleagues": [str(patch["colleague"].id)],
            "reason": "Dana is leaving",
        },
        status=302,
    )
    assert patch["overdue"].contact_id == patch["colleague"].id
    assert patch["due"].contact_id == patch["colleague"].id
    assert patch["active"].contact_id == patch["dam"].id
    moved = db.session.scalars(
        select(NextAction).where(NextAction.organisation_id == patch["overdue"].id)
    ).all()
    assert {action.owner_id for action in moved} == {patch["colleague"].id}
    changes = db.session.scalars(
        select(ContactChange).where(ContactChange.changed_by_id == coordinator.id)
    ).all()
    assert len(changes) == 2 and {c.reason for c in changes} == {"Dana is leaving"}
    emails = db.session.scalar(
        select(func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.kind == "account_handover")
    )
    assert emails == 2


def test_all_of_a_leavers_accounts_are_shared_among_several_colleagues_in_turn(client, patch):
    third = staff_in(patch["district"], Role.LMRA, name="Zara Young")
    sign_in(client, staff_in(patch["district"], Role.ADMIN))
    post_form(
        client,
        f"/my-accounts/reassign?staff={patch['dam'].id}",
        {
            "which": "all",
            "colleagues": [str(patch["colleague"].id), str(third.id)],
            "reason": "Leaver",
        },
        status=302,
    )
    names = ["overdue", "due", "active", "ended", "stale", "never"]  # alphabetical too
    owners = [patch[key].contact_id for key in names]
    assert owners == [patch["colleague"].id, third.id] * 3
    assert (
        db.session.scalar(
            select(func.count()).select_from(ContactChange).where(ContactChange.reason == "Leaver")
        )
        == 6
    )


def test_reassigning_without_colleagues_or_accounts_says_what_to_fix(client, patch):
    sign_in(client, staff_in(patch["district"], Role.COORDINATOR))
    response = post_form(
        client,
        f"/my-accounts/reassign?staff={patch['dam'].id}",
        {"which": "selected", "reason": "Leaver"},
        status=200,
    )
    html = response.get_data(as_text=True)
    assert "Select at least one colleague" in html and "Select at least one account" in html
    assert patch["overdue"].contact_id == patch["dam"].id


def test_dams_cannot_reassign(client, patch):
    sign_in(client, patch["dam"])
    get_page(client, f"/my-accounts/reassign?staff={patch['dam'].id}", status=403)
