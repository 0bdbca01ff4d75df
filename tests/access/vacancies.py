"""Access rows for vacancies: the employer's own pages, and the LMRA's corrections."""

from tests.access.core import EMPLOYER, Route
from tests.vacancy_factories import VacancyFactory, submitted_vacancy


def _vacancy(world) -> str:
    return f"/vacancies/{world.records['vacancy'].id}"


def _draft(world) -> str:
    return f"/vacancies/{world.records['draft_vacancy'].id}"


ROUTES: dict[str, Route] = {
    "vacancies.list": Route("GET", lambda w: "/vacancies", EMPLOYER),
    "vacancies.new": Route("GET", lambda w: "/vacancies/new", EMPLOYER),
    "vacancies.show": Route("GET", _vacancy, EMPLOYER),
    "vacancies.edit": Route(
        "GET", lambda w: f"{_vacancy(w)}/edit", frozenset({"employer", "lmra"})
    ),
    "vacancies.submit": Route("GET", lambda w: f"{_draft(w)}/submit", EMPLOYER),
    "vacancies.submitted": Route("GET", lambda w: f"{_vacancy(w)}/submitted", EMPLOYER),
    "vacancies.close": Route("GET", lambda w: f"{_vacancy(w)}/close", EMPLOYER),
    "vacancies.copy": Route("POST", lambda w: f"{_vacancy(w)}/copy", EMPLOYER),
    "vacancies.live": Route(
        "GET", lambda w: "/live-vacancies", frozenset({"adviser", "lmra", "dam", "coordinator"})
    ),
}


def build(world) -> None:
    """A submitted vacancy (an LMRA of its district may correct it) and a draft."""
    world.users["lmra"].district_id = world.organisation.district_id
    vacancy, _callback = submitted_vacancy(world.users["employer"])
    world.records["vacancy"] = vacancy
    world.records["draft_vacancy"] = VacancyFactory(organisation=world.organisation)
