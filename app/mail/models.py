"""The outbox: every email is a row written in the same transaction as the change behind it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Enum, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models_base import Timestamps, UTCDateTime, UUIDPrimaryKey, utcnow
from app.statuses import OutboxStatus


class OutboxMessage(UUIDPrimaryKey, Timestamps, db.Model):
    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_message_due", "status", "next_attempt_at"),)

    recipient: Mapped[str] = mapped_column(String(254), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    # The template name, so tests and support staff can tell messages apart.
    kind: Mapped[str] = mapped_column(String(80))
    # Text attachments, e.g. an iCalendar invitation: [{filename, content_type, content}].
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[OutboxStatus] = mapped_column(
        Enum(
            OutboxStatus,
            native_enum=False,
            length=10,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=OutboxStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # When a sender may next take the row: after the back-off while pending, and when the
    # claiming sender's lease runs out while sending (it died: someone must try again).
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
