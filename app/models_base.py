"""Column helpers shared by every model: UUID keys and timezone-aware timestamps."""

from __future__ import annotations

import datetime as dt
import enum
import uuid

from sqlalchemy import DateTime, Enum, TypeDecorator
from sqlalchemy.orm import Mapped, mapped_column

from app import clock


def utcnow() -> dt.datetime:
    # Through the one clock, so a frozen test moment reaches column defaults too.
    return clock.now()


class UTCDateTime(TypeDecorator):
    """Stores aware datetimes in UTC and gives them back aware, on SQLite too.

    SQLite has no time zones, so without this a value read back would be naive and compare
    unequal to the value written.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: dt.datetime | None, dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def str_enum(cls: type[enum.Enum], length: int = 20) -> Enum:
    """A string-valued enum column stored as its values (no native type: easy to extend)."""
    return Enum(
        cls, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class UUIDPrimaryKey:
    """A random UUID primary key, so URLs never reveal or invite guessing record numbers."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)


class Timestamps:
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
