"""Reads for training providers: the page of those the signed-in user manages, how many users
each has and who they are, the districts to choose from, and whether a name is taken."""

from __future__ import annotations

import uuid

from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import District
from app.auth.models import Role, User
from app.extensions import db
from app.pet.access import managed_providers
from app.pet.models import TrainingProvider


def provider_name_taken(name: str) -> bool:
    found = db.session.scalar(
        select(TrainingProvider.id).where(TrainingProvider.name == name.strip()).limit(1)
    )
    return found is not None


def managed_providers_page(page: int, page_size: int) -> tuple[list[TrainingProvider], bool]:
    """One page of the providers the signed-in user manages, by name: (providers, has_next)."""
    statement = select(TrainingProvider).options(joinedload(TrainingProvider.district))
    managed = managed_providers()
    if managed is not None:
        statement = statement.where(managed)
    listed = list(
        db.session.scalars(
            statement.order_by(TrainingProvider.name, TrainingProvider.id)
            .limit(page_size + 1)
            .offset((page - 1) * page_size)
        )
    )
    return listed[:page_size], len(listed) > page_size


def user_counts(providers: list[TrainingProvider]) -> dict[uuid.UUID | None, int]:
    """How many users each provider has, in one query."""
    rows = db.session.execute(
        select(User.provider_id, func.count(User.id))
        .where(User.provider_id.in_([provider.id for provider in providers]))
        .group_by(User.provider_id)
    )
    return {provider_id: count for provider_id, count in rows}


def users_of(provider: TrainingProvider, limit: int) -> list[User]:
    """The provider's users by name, at most `limit`."""
    return list(
        db.session.scalars(
            select(User)
            .where(User.provider_id == provider.id)
            .order_by(User.name, User.id)
            .limit(limit)
        )
    )


def districts_to_choose() -> list[District]:
    """The districts a new provider may belong to: an administrator any, a TPPM their own."""
    statement = select(District).order_by(District.name, District.id)
    if current_user.role is not Role.ADMIN:
        statement = statement.where(District.id == current_user.district_id)
    return list(db.session.scalars(statement))
