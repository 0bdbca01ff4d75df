"""Access rows for vacancies: the employer's own pages, the LMRA's corrections, and staff
with the account acting for the employer (assisted digital)."""

from tests.access.core import EMPLOYER, Route
from tests.vacancy_factories import VacancyFactory, submitted_vacancy


def _vacancy(world) -> str:
    return f"/vacancies/{world.records['vacancy'].id}"


def _draft(world) -> str:
    return f"/vacancies/{world.records['draft_vacancy'].id}"


def _for_employer(world) -> str:
    """Staff act for the world's organisation; the parameters mean nothing to an employer."""
    return f"for_employer={world.organisation.id}&channel=phone"


ASSISTING = frozenset({"employer", "lmra", "dam"})

ROUTES: dict[str, Route] = {
    "vacancies.list": Route("GET", lambda w: "/vacancies", EMPLOYER),
    "vacancies.new": Route("GET", lambda w: f"/vacancies/new?{_for_employer(w)}", ASSISTING),
    "vacancies.show": Route("GET", _vacancy, EMPLOYER),
    "vacancies.edit": Route("GET", lambda w: f"{_vacancy(w)}/edit?{_for_employer(w)}", ASSISTING),
    "vacancies.submit": Route("GET", lambda w: f"{_draft(w)}/submit?{_for_employer(w)}", ASSISTING),
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
