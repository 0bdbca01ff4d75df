"""Writes for training providers: adding one, and inviting its users."""

from __future__ import annotations

import uuid

from flask_babel import lazy_gettext as _l

from app.auth.models import Role, User
from app.auth.rules import normalise_email
from app.auth.services import invite_user
from app.extensions import db
from app.pet.models import TrainingProvider

# --- training providers and their users -------------------------------------------------------


def create_provider(name: str, contact_email: str, district_id: uuid.UUID | None):
    provider = TrainingProvider(
        id=uuid.uuid4(),
        name=name.strip(),
        contact_email=normalise_email(contact_email),
        district_id=district_id,
    )
    db.session.add(provider)
    return provider


def invite_provider_user(provider: TrainingProvider, *, name: str, email: str) -> User:
    """A user of the training provider, invited by email to set a password (as staff are)."""
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=Role.PROVIDER,
        provider_id=provider.id,
    )
    db.session.add(user)
    db.session.flush()
    invite_user(user, _l("You have been invited to the LEP Employer Portal"), "staff_invitation")
    return user
