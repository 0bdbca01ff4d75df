"""Staff's "Employer accounts" search: each result opens the account."""

from __future__ import annotations

import pytest

from app.auth.models import Role
from tests.factories import OrganisationFactory, StaffFactory
from tests.helpers import get_page, sign_in


@pytest.mark.parametrize("role", [Role.LMRA, Role.DAM, Role.ADVISER, Role.TPPM])
def test_each_search_result_is_a_link_to_the_account(client, role):
    organisation = OrganisationFactory(name="Kirkgate Bakery")
    # Staff search their own district (see test_accounts_search_scope).
    sign_in(client, StaffFactory(role=role, office__district=organisation.district))
    html = get_page(client, "/accounts?q=kirkgate", title="Employer accounts")
    assert f'<a class="govuk-link" href="/accounts/{organisation.id}">Kirkgate Bakery</a>' in html
    assert "&lt;a" not in html


def test_a_name_with_markup_in_it_is_shown_as_text(client):
    organisation = OrganisationFactory(name='<script>alert("x")</script> & Sons')
    sign_in(client, StaffFactory(role=Role.LMRA, office__district=organisation.district))
    html = get_page(client, "/accounts?q=sons", title="Employer accounts")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Sons</a>" in html
