"""The service navigation: one current section per page, entries by role."""

import re

from app.auth.models import Role
from tests.factories import StaffFactory, employer_user
from tests.helpers import get_page, sign_in


def _current(html: str) -> list[str]:
    return re.findall(
        r'govuk-service-navigation__item--active">\s*<a[^>]*>\s*(?:<strong[^>]*>)?\s*([^<]+?)\s*<',
        html,
    )


def test_exactly_one_section_is_current_for_a_dam_on_the_portfolio(client):
    dam = StaffFactory(role=Role.DAM)
    html = get_page(sign_in(client, dam), "/my-accounts")
    assert _current(html) == ["My accounts"]
    html = get_page(client, "/accounts")
    assert _current(html) == ["Employer accounts"]


def test_employers_and_staff_get_their_own_entries(client):
    employer = employer_user()
    html = get_page(sign_in(client, employer), "/")
    assert "Vacancies" in html and "LEP agreement" in html
    assert "Management information" not in html and "Call-backs" not in html
    assert _current(html) == ["Home"]


def test_every_navigation_entry_is_a_real_route_its_roles_may_use(app):
    from app.navigation import NAVIGATION

    for item in NAVIGATION:
        view = app.view_functions[item.endpoint]
        assert item.roles <= view.allowed_roles, item.endpoint


def test_an_employer_with_nothing_waiting_has_job_outcomes_in_the_navigation(client):
    employer = employer_user()
    html = get_page(sign_in(client, employer), "/")
    assert '<a class="govuk-service-navigation__link" href="/outcomes"' in html
    html = get_page(client, "/outcomes")
    assert _current(html) == ["Job outcomes"]
