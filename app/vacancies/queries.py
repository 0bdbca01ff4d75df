"""Vacancies: reads (SELECTs, eager loads, paging). The changes are in services.py."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.accounts.models import EmployerMembership, MembershipRole, Organisation
from app.auth.models import User
from app.callbacks.models import CallBack
from app.extensions import db
from app.vacancies.models import Vacancy, VacancyStatus

PAGE_SIZE = 25
MAX_PAGE = 1000


def organisation_for(user: User) -> Organisation:
    """The signed-in employer's organisation with its sites; 404 if they have none."""
    return db.one_or_404(
        select(Organisation)
        .join(EmployerMembership)
        .where(EmployerMembership.user_id == user.id)
        .options(selectinload(Organisation.sites))
    )


def organisation_with_sites(organisation_id: uuid.UUID) -> Organisation:
    """An organisation staff act for (already checked they may see it), with its sites."""
    return db.one_or_404(
        select(Organisation)
        .where(Organisation.id == organisation_id)
        .options(selectinload(Organisation.sites))
    )


def employer_user_of(organisation: Organisation) -> User | None:
    """Who speaks for the organisation when staff act for it: an owner, else any user."""
    return db.session.scalar(
        select(User)
        .join(EmployerMembership, EmployerMembership.user_id == User.id)
        .where(EmployerMembership.organisation_id == organisation.id, User.active.is_(True))
        .order_by((EmployerMembership.role != MembershipRole.OWNER), EmployerMembership.created_at)
        .limit(1)
    )


def vacancy_for_employer(user: User, vacancy_id: uuid.UUID) -> Vacancy:
    """One of the employer's organisation's vacancies; 404 for anyone else's."""
    return db.one_or_404(
        select(Vacancy)
        .join(EmployerMembership, EmployerMembership.organisation_id == Vacancy.organisation_id)
        .where(EmployerMembership.user_id == user.id, Vacancy.id == vacancy_id)
        .options(joinedload(Vacancy.site), joinedload(Vacancy.district))
    )


def vacancy_of_organisation(organisation: Organisation, vacancy_id: uuid.UUID) -> Vacancy:
    """A vacancy of the organisation staff act for; 404 for any other."""
    return db.one_or_404(
        select(Vacancy)
        .where(Vacancy.id == vacancy_id, Vacancy.organisation_id == organisation.id)
        .options(
            joinedload(Vacancy.site),
            joinedload(Vacancy.district),
            joinedload(Vacancy.organisation).selectinload(Organisation.sites),
        )
    )


def vacancy_for_staff(user: User, vacancy_id: uuid.UUID) -> Vacancy:
    """A vacancy of the staff member's own district; 404 for any other."""
    if user.district_id is None:
        abort(404)
    return db.one_or_404(
        select(Vacancy)
        .where(Vacancy.id == vacancy_id, Vacancy.district_id == user.district_id)
        .options(
            joinedload(Vacancy.site),
            joinedload(Vacancy.district),
            joinedload(Vacancy.organisation).selectinload(Organisation.sites),
        )
    )


@dataclass(frozen=True)
class VacancyPage:
    vacancies: list[Vacancy]
    page: int
    has_next: bool


def find_vacancies(
    organisation_id: uuid.UUID,
    *,
    statuses: list[VacancyStatus] | None = None,
    query: str = "",
    page: int = 1,
) -> VacancyPage:
    """A page of the organisation's vacancies, newest first, in one query."""
    statement = (
        select(Vacancy)
        .where(Vacancy.organisation_id == organisation_id)
        .options(joinedload(Vacancy.site))
    )
    if statuses:
        statement = statement.where(Vacancy.status.in_(statuses))
    if query:
        statement = statement.where(
            func.lower(Vacancy.job_title).contains(query.lower(), autoescape=True)
        )
    page = max(1, min(page, MAX_PAGE))
    rows = list(
        db.session.scalars(
            statement.order_by(Vacancy.created_at.desc(), Vacancy.id.desc())
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return VacancyPage(rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE)


def status_counts(organisation_id: uuid.UUID) -> dict[VacancyStatus, int]:
    """How many of the organisation's vacancies are in each status, in one grouped query."""
    counts = dict.fromkeys(VacancyStatus, 0)
    rows = db.session.execute(
        select(Vacancy.status, func.count())
        .where(Vacancy.organisation_id == organisation_id)
        .group_by(Vacancy.status)
    )
    for status, count in rows:
        counts[VacancyStatus(status)] = count
    return counts


def callback_due_at(vacancy: Vacancy) -> dt.datetime | None:
    return db.session.scalar(select(CallBack.due_at).where(CallBack.vacancy_id == vacancy.id))


def find_live_vacancies(district_id: uuid.UUID, *, query: str = "", page: int = 1) -> VacancyPage:
    """The district's live vacancies, newest first, for staff choosing where to refer."""
    page = max(1, min(page, MAX_PAGE))
    statement = (
        select(Vacancy)
        .where(Vacancy.district_id == district_id, Vacancy.status == VacancyStatus.LIVE)
        .options(joinedload(Vacancy.organisation), joinedload(Vacancy.site))
    )
    if query:
        statement = statement.where(
            func.lower(Vacancy.job_title).contains(query.lower(), autoescape=True)
        )
    rows = list(
        db.session.scalars(
            statement.order_by(Vacancy.live_at.desc(), Vacancy.id)
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    return VacancyPage(rows[:PAGE_SIZE], page, len(rows) > PAGE_SIZE)
