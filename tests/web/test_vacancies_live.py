"""Staff find the district's live vacancies and go on to suggested candidates."""

from app.auth.models import Role
from tests.factories import DistrictFactory, OrganisationFactory
from tests.helpers import count_queries, get_page, sign_in
from tests.referral_factories import live_vacancy, staff


def test_advisers_see_only_their_districts_live_vacancies_with_a_way_to_refer(client):
    mine = live_vacancy(job_title="Baker")
    other = live_vacancy(job_title="Welder")
    adviser = staff(Role.ADVISER, mine.district)
    html = get_page(sign_in(client, adviser), "/live-vacancies", title="Live vacancies")
    assert "Baker" in html and "Welder" not in html
    assert f"/vacancies/{mine.id}/suggestions" in html
    assert str(other.id) not in html


def test_live_vacancies_search_by_job_title_and_empty_state(client):
    vacancy = live_vacancy(job_title="Night baker")
    adviser = staff(Role.ADVISER, vacancy.district)
    sign_in(client, adviser)
    assert "Night baker" in get_page(client, "/live-vacancies?q=baker")
    html = get_page(client, "/live-vacancies?q=pilot")
    assert "No live vacancies match your search" in html


def test_live_vacancies_page_queries_do_not_grow_with_rows(client):
    district = DistrictFactory()
    adviser = staff(Role.ADVISER, district)
    sign_in(client, adviser)

    def queries() -> int:
        with count_queries() as statements:
            get_page(client, "/live-vacancies")
        return len(statements)

    live_vacancy(OrganisationFactory(district=district))
    few = queries()
    for _ in range(12):
        live_vacancy(OrganisationFactory(district=district))
    assert queries() == few
