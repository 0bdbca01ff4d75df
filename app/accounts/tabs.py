"""The staff account page's tabs, in order, as `app/main/panels.py` lists the home page's
panels.

The accounts area reads its own tabs (`app.accounts.queries`); every other tab is supplied
by its area: `account_tab(organisation_ids) -> dict` in the area's queries, drawn by the
area's `templates/<area>/_account_tab.html`. Each tab is a URL of its own under the
account's (`accounts.<endpoint>`) and an HTMX target (the page's `tab_panel` block).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.accounts import queries
from app.accounts.models import Organisation
from app.agreements.rules import may_see_account
from app.outcomes import queries as outcomes
from app.partnerships import queries as partnerships
from app.pet.courses import queries as pet_courses
from app.referrals import queries as referrals
from app.vacancies import queries as vacancies


@dataclass(frozen=True)
class Tab:
    #: The URL's last part; the summary is the account's own URL.
    slug: str
    #: The view's endpoint in the accounts blueprint.
    endpoint: str
    label: str
    #: The partial drawn in the tab panel.
    template: str
    #: What the partial reads: a few bounded statements, whatever the number of records.
    read: Callable[[Organisation], dict]


def _summary(organisation: Organisation) -> dict:
    return {
        **queries.summary(organisation),
        **partnerships.on_account_context(organisation.id),
        # A coordinator may open any account but only its own district's agreements.
        "may_see_agreement": may_see_account(
            current_user.role.value, current_user.district_id, organisation.district_id
        ),
    }


TABS: tuple[Tab, ...] = (
    Tab("", "account", _l("Summary"), "accounts/_tab_account.html", _summary),
    Tab(
        "sites",
        "sites",
        _l("Sites"),
        "accounts/_tab_sites.html",
        lambda organisation: {"sites": organisation.sites},
    ),
    Tab(
        "employer-users",
        "employer_users",
        _l("Employer users"),
        "accounts/_tab_employer_users.html",
        lambda organisation: {"people": organisation.memberships},
    ),
    Tab(
        "vacancies",
        "vacancies",
        _l("Vacancies"),
        "vacancies/_account_tab.html",
        lambda organisation: vacancies.account_tab([organisation.id]),
    ),
    Tab(
        "referrals",
        "referrals",
        _l("Referrals and candidates"),
        "referrals/_account_tab.html",
        lambda organisation: referrals.account_tab([organisation.id]),
    ),
    Tab(
        "pet-courses",
        "pet_courses",
        _l("PET courses"),
        "pet/_account_tab.html",
        lambda organisation: pet_courses.account_tab([organisation.id]),
    ),
    Tab(
        "job-outcomes",
        "job_outcomes",
        _l("Job outcomes"),
        "outcomes/_account_tab.html",
        lambda organisation: outcomes.account_tab([organisation.id]),
    ),
    Tab(
        "contact-log",
        "contact_log",
        _l("Contact log"),
        "accounts/_tab_contact_log.html",
        lambda organisation: queries.contact_log(organisation.id),
    ),
    Tab(
        "timeline",
        "timeline",
        _l("Timeline"),
        "accounts/_tab_timeline.html",
        lambda organisation: {"events": queries.timeline([organisation.id])},
    ),
)

BY_ENDPOINT: dict[str, Tab] = {tab.endpoint: tab for tab in TABS}
