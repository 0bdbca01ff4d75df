"""Factories for call-back tests: submitted vacancies, their call-backs, and district staff."""

from __future__ import annotations

import datetime as dt

from app.accounts.models import District, Office, Organisation
from app.auth.models import Role, User
from app.callbacks.models import CallBack, CallBackStatus
from app.extensions import db
from app.models_base import utcnow
from app.vacancies.models import Vacancy
from tests.factories import OfficeFactory, OrganisationFactory, StaffFactory
from tests.factories import employer_user as make_employer_user
from tests.helpers import freeze_clock, sign_in
from tests.vacancy_factories import SubmittedVacancyFactory


def submitted_vacancy(organisation: Organisation | None = None, **kwargs) -> Vacancy:
    """A submitted vacancy of `organisation` (a new one by default) with an employer owner."""
    organisation = organisation or OrganisationFactory()
    if not organisation.memberships:
        make_employer_user(organisation, phone=kwargs.pop("owner_phone", "0113 496 0001"))
        db.session.refresh(organisation)
    kwargs.pop("owner_phone", None)
    return SubmittedVacancyFactory(organisation=organisation, **kwargs)


def callback(
    organisation: Organisation | None = None,
    *,
    due_in: dt.timedelta = dt.timedelta(hours=24),
    now: dt.datetime | None = None,
    claimed_by: User | None = None,
    status: CallBackStatus | None = None,
    **vacancy_fields,
) -> CallBack:
    """A call-back on a freshly submitted vacancy, due `due_in` after `now`."""
    now = now or utcnow()
    vacancy = submitted_vacancy(organisation, **vacancy_fields)
    task = CallBack(
        vacancy=vacancy,
        organisation_id=vacancy.organisation_id,
        district_id=vacancy.district_id,
        placed_at=now - dt.timedelta(hours=1),
        due_at=now + due_in,
        status=CallBackStatus.OPEN,
    )
    if claimed_by is not None:
        task.status = CallBackStatus.CLAIMED
        task.claimed_by_id = claimed_by.id
        task.claimed_at = now
        task.office_id = claimed_by.office_id
    if status is not None:
        task.status = status
    db.session.add(task)
    db.session.flush()
    return task


def staff(role: Role, district: District, office: Office | None = None, **kwargs) -> User:
    """A member of staff working in `district` (at `office`, or a new office there)."""
    office = office or OfficeFactory(district=district)
    return StaffFactory(role=role, office=office, district=district, **kwargs)


def lmra(district: District, office: Office | None = None, **kwargs) -> User:
    return staff(Role.LMRA, district, office, **kwargs)


def coordinator(district: District, office: Office | None = None, **kwargs) -> User:
    return staff(Role.COORDINATOR, district, office, **kwargs)


def signed_in_as(client, user: User):
    """Sign `client` in as `user`, also when the test already made requests as someone else.

    Requests in a test share the test's app context, so Flask-Login's user cached on `g`
    by an earlier request would otherwise answer for the new one.
    """
    from flask import g

    g.pop("_login_user", None)
    return sign_in(client, user)


def freeze_now(monkeypatch, moment: dt.datetime | None = None) -> dt.datetime:
    """Stop the call-back clock at `moment` (default: now, to the second)."""
    moment = moment or utcnow().replace(microsecond=0)
    freeze_clock(monkeypatch, moment)
    return moment
