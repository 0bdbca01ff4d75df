"""Access rows for account management: the portfolio and reassignment, the account page's
tabs, the contact log, national employers, assisted digital and the service record."""

from __future__ import annotations

from tests.access.core import EMPLOYER, STAFF, Route, World, fixed

PORTFOLIO = frozenset({"dam", "lmra", "coordinator", "admin"})
MANAGERS = frozenset({"coordinator", "admin"})


def _account(suffix: str = ""):
    return lambda world: f"/accounts/{world.organisation.id}{suffix}"


ROUTES: dict[str, Route] = {
    "accounts.portfolio": Route("GET", fixed("/my-accounts"), PORTFOLIO),
    "accounts.reassign": Route("GET", fixed("/my-accounts/reassign"), MANAGERS),
    "accounts.sites": Route("GET", _account("/sites"), STAFF),
    "accounts.employer_users": Route("GET", _account("/employer-users"), STAFF),
    "accounts.vacancies": Route("GET", _account("/vacancies"), STAFF),
    "accounts.referrals": Route("GET", _account("/referrals"), STAFF),
    "accounts.pet_courses": Route("GET", _account("/pet-courses"), STAFF),
    "accounts.job_outcomes": Route("GET", _account("/job-outcomes"), STAFF),
    "accounts.contact_log": Route("GET", _account("/contact-log"), STAFF),
    "accounts.timeline": Route("GET", _account("/timeline"), STAFF),
    # Nothing filled in: the contact log again with errors (200).
    "accounts.log_contact_entry": Route("POST", _account("/contact-log"), STAFF),
    "accounts.next_action_done": Route(
        "POST",
        lambda w: (
            f"/accounts/{w.organisation.id}/next-actions/{w.records['account_next_action'].id}/done"
        ),
        STAFF,
    ),
    "accounts.jobs_pledge": Route("GET", _account("/jobs-pledge"), frozenset({"dam", "admin"})),
    "accounts.head_office": Route(
        "GET",
        lambda w: f"/accounts/{w.records['account_branch'].id}/head-office",
        frozenset({"dam", "coordinator", "admin"}),
    ),
    "accounts.act_for_employer": Route(
        "GET", _account("/act-for-employer"), frozenset({"lmra", "dam", "admin"})
    ),
    "accounts.branch": Route(
        "GET", lambda w: f"/organisation/branches/{w.records['account_branch'].id}", EMPLOYER
    ),
    "accounts.service_record": Route("GET", fixed("/service-record"), EMPLOYER),
    "accounts.language": Route("GET", _account("/language"), STAFF),
}


def build(world: World) -> None:
    """The organisation becomes a head office with one branch and a jobs pledge, and has a
    contact log entry whose next action the DAM owns; the DAM, LMRA and coordinator work in
    its district."""
    from tests.account_factories import branch_of, contact_entry, pledge

    district = world.organisation.district
    for role in ("dam", "lmra", "coordinator"):
        world.users[role].district = district
    world.organisation.contact = world.users["dam"]
    world.records["account_branch"] = branch_of(world.organisation)
    world.records["account_pledge"] = pledge(world.organisation, by=world.users["dam"])
    _entry, action = contact_entry(world.organisation, world.users["dam"], next_action=True)
    world.records["account_next_action"] = action
