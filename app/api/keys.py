"""Making, finding and revoking API keys. Operations add what they change; the caller commits."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from typing import Any, cast

from sqlalchemy import CursorResult, select, update

from app.accounts.models import EmployerMembership, MembershipRole
from app.api.models import ApiKey, ApiKeyUse
from app.auth.models import User
from app.extensions import db
from app.models_base import utcnow

#: Keys start with this, so a key pasted into the wrong place (a log, a ticket) is recognisable.
PREFIX = "lep_"


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def is_owner(user: User) -> bool:
    return user.membership is not None and user.membership.role is MembershipRole.OWNER


def create_key(user: User, name: str) -> tuple[ApiKey, str]:
    """A new key for the user's organisation; returns the record and the key, shown once."""
    if user.membership is None:
        raise ValueError("only an employer user can create an API key")
    key = PREFIX + secrets.token_urlsafe(32)
    record = ApiKey(
        id=uuid.uuid4(),
        organisation_id=user.membership.organisation_id,
        name=name,
        key_hash=key_hash(key),
        created_by_id=user.id,
        created_at=utcnow(),
    )
    db.session.add(record)
    return record, key


def keys_of(organisation_id: uuid.UUID) -> list[ApiKey]:
    """The organisation's keys, in use first, newest first."""
    return list(
        db.session.scalars(
            select(ApiKey)
            .where(ApiKey.organisation_id == organisation_id)
            .order_by(ApiKey.revoked_at.is_not(None), ApiKey.created_at.desc())
        )
    )


def key_of(organisation_id: uuid.UUID, key_id: uuid.UUID) -> ApiKey | None:
    return db.session.scalar(
        select(ApiKey).where(ApiKey.id == key_id, ApiKey.organisation_id == organisation_id)
    )


def revoke(api_key: ApiKey, by: User) -> None:
    """A conditional UPDATE, so two people revoking at once record the first one only."""
    moment = utcnow()
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(ApiKey)
            .where(ApiKey.id == api_key.id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=moment, revoked_by_id=by.id)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount == 1:
        api_key.revoked_at, api_key.revoked_by_id = moment, by.id


def find_in_use(key: str) -> tuple[ApiKey, User] | None:
    """The key and the person it speaks for: its creator, while the key is not revoked and they
    are still an active member of its organisation. One query."""
    row = db.session.execute(
        select(ApiKey, User)
        .join(User, User.id == ApiKey.created_by_id)
        .join(
            EmployerMembership,
            (EmployerMembership.user_id == User.id)
            & (EmployerMembership.organisation_id == ApiKey.organisation_id),
        )
        .where(
            ApiKey.key_hash == key_hash(key),
            ApiKey.revoked_at.is_(None),
            User.active.is_(True),
        )
    ).first()
    return (row[0], row[1]) if row else None


def record_use(api_key: ApiKey, method: str, path: str) -> None:
    moment = utcnow()
    api_key.last_used_at = moment
    db.session.add(
        ApiKeyUse(id=uuid.uuid4(), api_key_id=api_key.id, at=moment, method=method, path=path[:300])
    )
