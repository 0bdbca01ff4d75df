"""Reads for training providers."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.pet.models import TrainingProvider


def provider_name_taken(name: str) -> bool:
    found = db.session.scalar(
        select(TrainingProvider.id).where(TrainingProvider.name == name.strip()).limit(1)
    )
    return found is not None
