from tests.factories import employer_user
from tests.helpers import get_page, sign_in


def test_start_page_invites_employers_to_register(client):
    html = get_page(client, "/", title="Recruit through a Local Employment Partnership")
    assert "Register your organisation" in html


def test_employer_home_shows_the_named_contact(client):
    user = employer_user()
    html = get_page(sign_in(client, user), "/")
    assert user.organisation.name in html
