"""A database that cannot be reached gives the styled 503 page, never a 500, wherever the
failure comes: loading the signed-in user, in the view, at the commit, or in the rollback
after it. A write whose commit failed is not acknowledged. A real bug is still a 500.

The fault is simulated here; tests/system/test_faults.py stops a real PostgreSQL server.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

from app.extensions import db, login_manager
from app.vacancies.models import Vacancy
from tests.factories import employer_user
from tests.helpers import check_html, page_title, sign_in
from tests.vacancy_factories import vacancy_form

UNAVAILABLE = "Sorry, the service is unavailable"


def lost_connection(kind: type[DBAPIError] = OperationalError, **kwargs) -> DBAPIError:
    return kind("SELECT 1", {}, Exception("server closed the connection unexpectedly"), **kwargs)


def raising(error: BaseException):
    def fail(*args, **kwargs):
        raise error

    return fail


def assert_unavailable(response) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == 503, html[:500]
    assert response.headers["Retry-After"].isdigit()
    assert "Location" not in response.headers
    assert page_title(html).startswith(UNAVAILABLE)
    check_html(html)
    return html


@pytest.fixture
def employer(client):
    user = employer_user()
    sign_in(client, user)
    return user


def test_the_user_loader_failing_gives_the_503_page_without_anyones_navigation(
    client, employer, monkeypatch
):
    monkeypatch.setattr(login_manager, "_user_callback", raising(lost_connection()))
    html = assert_unavailable(client.get("/vacancies"))
    assert employer.name not in html
    assert "Sign out" not in html and "Sign in" not in html


@pytest.mark.parametrize(
    "error",
    [
        lost_connection(),
        lost_connection(InterfaceError),
        lost_connection(DBAPIError, connection_invalidated=True),
    ],
    ids=["operational", "interface", "invalidated"],
)
def test_a_commit_that_fails_is_not_acknowledged(client, employer, monkeypatch, error):
    site = employer.organisation.sites[0]
    monkeypatch.setattr(db.session, "commit", raising(error))
    form = vacancy_form(site, job_title="Never acknowledged")

    assert_unavailable(client.post("/vacancies/new", data=form))

    monkeypatch.undo()
    assert db.session.scalar(select(Vacancy).where(Vacancy.job_title == form["job_title"])) is None


def test_a_rollback_that_fails_too_still_gives_the_503_page(client, employer, monkeypatch):
    monkeypatch.setattr(db.session, "commit", raising(lost_connection()))
    monkeypatch.setattr(db.session, "rollback", raising(lost_connection()))
    assert_unavailable(
        client.post("/vacancies/new", data=vacancy_form(employer.organisation.sites[0]))
    )


def test_a_connection_lost_by_the_end_of_the_request_leaves_the_finished_page(
    client, employer, monkeypatch
):
    remove = db.session.remove
    failures = [lost_connection()]

    def remove_failing_once() -> None:
        if failures:
            raise failures.pop()
        remove()

    monkeypatch.setattr(db.session, "remove", remove_failing_once)
    response = client.get("/vacancies")
    assert response.status_code == 200
    assert failures == []  # the teardown did meet the lost connection


def test_an_htmx_request_gets_the_503_partial(client, employer, monkeypatch):
    monkeypatch.setattr(login_manager, "_user_callback", raising(lost_connection()))
    response = client.get("/vacancies", headers={"HX-Request": "true"})
    assert response.status_code == 503
    assert UNAVAILABLE in response.get_data(as_text=True)


def test_a_database_error_that_is_a_bug_is_still_a_500(client, employer, monkeypatch):
    duplicate = IntegrityError("INSERT", {}, Exception("duplicate key value"))
    monkeypatch.setattr(db.session, "commit", raising(duplicate))
    response = client.post("/vacancies/new", data=vacancy_form(employer.organisation.sites[0]))
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
