"""People who sign in: employer users and Jobcentre Plus staff."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey
from app.roles import STAFF_ROLES, Role  # noqa: F401  (re-exported: the User's role)

if TYPE_CHECKING:
    from app.accounts.models import District, EmployerMembership, Office
    from app.pet.models import TrainingProvider


def new_security_stamp() -> str:
    return uuid.uuid4().hex


class User(UUIDPrimaryKey, Timestamps, UserMixin, db.Model):
    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(40))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=20, values_callable=lambda e: [m.value for m in e]),
        index=True,
    )
    # None until the person sets one (a staff invitation not yet taken up).
    password_hash: Mapped[str | None] = mapped_column(String(256))
    email_verified_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(default=True)
    # "en" or "cy" once the person chooses (the language toggle, or registration); their
    # pages and emails are then in it. None: the browser's language decides.
    preferred_language: Mapped[str | None] = mapped_column(String(2))
    # Changes whenever the password changes or an emailed link is used: that makes every
    # link single use and signs out sessions elsewhere after a password change.
    security_stamp: Mapped[str] = mapped_column(String(32), default=new_security_stamp)
    # Goes up by one at every sign-out: each session names the generation it began in, so
    # signing out ends every copy of every session of this person, however copied.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")
    office_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("office.id"), index=True)
    district_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("district.id"), index=True)
    provider_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("training_provider.id"), index=True
    )

    office: Mapped[Office | None] = relationship()
    district: Mapped[District | None] = relationship()
    provider: Mapped[TrainingProvider | None] = relationship()
    membership: Mapped[EmployerMembership | None] = relationship(
        back_populates="user", uselist=False
    )

    @staticmethod
    def hash_password(password: str) -> str:
        method = (
            current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if current_app else "scrypt"
        )
        return generate_password_hash(password, method=method)

    def set_password(self, password: str) -> None:
        self.password_hash = self.hash_password(password)
        self.security_stamp = new_security_stamp()

    def check_password(self, password: str) -> bool:
        return self.password_hash is not None and check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """What a session holds: checked against the user on every request (load_user)."""
        return f"{self.id}:{self.security_stamp}:{self.session_generation}"

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def is_staff(self) -> bool:
        return self.role.is_staff

    @property
    def organisation(self):
        return self.membership.organisation if self.membership else None
