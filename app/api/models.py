"""API keys: an employer organisation's recruitment system speaks for it with one."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import Organisation
from app.auth.models import User
from app.extensions import db
from app.models_base import UTCDateTime, UUIDPrimaryKey, utcnow


class ApiKey(UUIDPrimaryKey, db.Model):
    """A key is shown once, when it is made; only its SHA-256 is kept. The key is 256 random
    bits, so a fast hash is enough: there is nothing to guess, unlike a password."""

    __tablename__ = "api_key"

    organisation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("user_account.id"))

    organisation: Mapped[Organisation] = relationship()
    created_by: Mapped[User] = relationship(foreign_keys=[created_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None


class ApiKeyUse(UUIDPrimaryKey, db.Model):
    """Every request a key made: which key (so its name), when, and what it asked for."""

    __tablename__ = "api_key_use"
    __table_args__ = (Index("ix_api_key_use_key_at", "api_key_id", "at"),)

    api_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_key.id"))
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    method: Mapped[str] = mapped_column(String(10))
    path: Mapped[str] = mapped_column(String(300))

    api_key: Mapped[ApiKey] = relationship()


class IdempotentRequest(UUIDPrimaryKey, db.Model):
    """A POST sent with an `Idempotency-Key`, and the answer it got: a retry with the same key
    gets the same answer and changes nothing. `status` is None while the first is running."""

    __tablename__ = "api_idempotent_request"
    __table_args__ = (UniqueConstraint("api_key_id", "key"),)

    api_key_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("api_key.id"))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    status: Mapped[int | None] = mapped_column()
    body: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
