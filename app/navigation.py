"""The service navigation for each role, in one list.

`tests/web/test_navigation.py` checks that every entry names a real endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l

from app.policy import roles_named


@dataclass(frozen=True)
class NavItem:
    endpoint: str
    label: object
    roles: frozenset[str]
    # Other endpoint prefixes that count as being in this section.
    section: str = ""


NAVIGATION = [
    NavItem("main.home", _l("Home"), roles_named("signed_in")),
    NavItem("vacancies.list", _l("Vacancies"), roles_named("employer"), "vacancies."),
    NavItem("agreements.mine", _l("LEP agreement"), roles_named("employer"), "agreements."),
    # Always there, not only when a start waits for an answer: employers look back at who
    # started and whether they are still in work.
    NavItem("outcomes.mine", _l("Job outcomes"), roles_named("employer"), "outcomes."),
    NavItem("vouchers.mine", _l("Recruitment subsidy"), roles_named("employer"), "vouchers."),
    NavItem("accounts.organisation", _l("Your organisation"), roles_named("employer")),
    NavItem("accounts.team_page", _l("Your team"), roles_named("employer"), "accounts.team"),
    NavItem("callbacks.queue", _l("Call-backs"), roles_named("lmra", "coordinator"), "callbacks."),
    NavItem(
        "callbacks.timeliness",
        _l("Call-back timeliness"),
        roles_named("coordinator", "admin"),
        "callbacks.timeliness",
    ),
    NavItem(
        "agreements.requests", _l("Agreement requests"), roles_named("lmra", "dam"), "agreements."
    ),
    NavItem("vacancies.live", _l("Live vacancies"), roles_named("adviser", "lmra", "dam")),
    # Coordinators too: they answer "who saw this person's record" from the customer's page.
    NavItem(
        "customers.list",
        _l("Customers"),
        roles_named("adviser", "lmra", "dam", "coordinator"),
        "customers.",
    ),
    NavItem(
        "outcomes.validation_queue",
        _l("Outcomes to validate"),
        roles_named("coordinator"),
        "outcomes.",
    ),
    NavItem(
        "vouchers.claims", _l("Subsidy claims"), roles_named("dam", "coordinator"), "vouchers."
    ),
    NavItem(
        "pet.courses",
        _l("Training courses"),
        roles_named("dam", "tppm", "adviser", "lmra", "coordinator", "employer", "provider"),
        "pet.",
    ),
    NavItem(
        "accounts.portfolio",
        _l("My accounts"),
        roles_named("dam", "lmra", "coordinator", "admin"),
        "accounts.portfolio",
    ),
    # A provider's LEP Partnership Agreement: the offer, and under it its own agreements,
    # LEP vacancies, customers and placements (each page links on from the agreement's).
    NavItem("partnerships.mine", _l("LEP partnership"), roles_named("provider"), "partnerships."),
    NavItem(
        "pet.providers", _l("Training providers"), roles_named("admin", "tppm"), "pet.provider"
    ),
    NavItem("pet.cohort_summary", _l("Training results"), roles_named("employer"), "pet.cohort"),
    NavItem("accounts.search", _l("Employer accounts"), roles_named("staff"), "accounts."),
    NavItem(
        "referrals.quality",
        _l("Referral quality"),
        roles_named("coordinator", "admin"),
        "referrals.quality",
    ),
    NavItem(
        "reports.overview",
        _l("Management information"),
        roles_named("coordinator", "admin", "dam"),
        "reports.",
    ),
    # Partnered providers reach it from their LEP partnership page: the navigation cannot
    # tell a provider with an accepted agreement without a query on every page.
    NavItem(
        "lmi.labour_market",
        _l("Local labour market"),
        roles_named("coordinator", "admin", "dam"),
        "lmi.",
    ),
    NavItem("admin.staff", _l("Staff"), roles_named("admin"), "admin."),
]


SIGNED_OUT = [
    NavItem("auth.sign_in", _l("Sign in"), frozenset()),
    NavItem("auth.register", _l("Register your organisation"), frozenset()),
]


def entries(role: str | None) -> list[NavItem]:
    """The entries a role sees (None: someone not signed in)."""
    if role is None:
        return SIGNED_OUT
    return [item for item in NAVIGATION if role in item.roles]


def current_section(role: str | None, endpoint: str | None) -> str | None:
    """The endpoint of the entry a page at `endpoint` belongs to, if any."""
    active = _active_item(entries(role), endpoint or "")
    return active.endpoint if active is not None else None


def navigation_items(role: str | None, section: str | None) -> list[dict]:
    """The GOV.UK service navigation's items for `role`, `section`'s entry the current one."""
    return [
        {"href": url_for(item.endpoint), "text": item.label, "active": item.endpoint == section}
        for item in entries(role)
    ]


def _active_item(items: list[NavItem], endpoint: str) -> NavItem | None:
    """The one section the page belongs to: its own entry, else the longest matching
    section prefix (so "My accounts" and "Employer accounts" are never both current)."""
    best, best_score = None, 0
    for item in items:
        if endpoint == item.endpoint:
            return item
        if item.section and endpoint.startswith(item.section) and len(item.section) > best_score:
            best, best_score = item, len(item.section)
    return best
