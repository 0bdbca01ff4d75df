"""Rollups: figures counted ahead, by day, place and key, so management information reads a
few hundred rows instead of every record of the period (see `app/reports/rollups.py`)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import BigInteger, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db

#: Measures a rollup may count per row (`value_1` to `value_8`, in its declaration's order).
MEASURE_SLOTS = 8


class RollupCount(db.Model):
    """The counts of one rollup for one day, district, office and key: one column per
    measure, in the order the rollup declares them (unused columns hold 0)."""

    __tablename__ = "rollup_count"
    __table_args__ = (
        # Reading a period of one rollup, in a place; the refresh deletes days of one rollup.
        Index("ix_rollup_count_rollup_day", "rollup", "day", "district_id", "office_id"),
        # An employer's figures: a period of one rollup for an organisation and its branches.
        Index("ix_rollup_count_organisation", "rollup", "organisation_id", "day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rollup: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date] = mapped_column(Date)
    district_id: Mapped[uuid.UUID | None] = mapped_column()
    office_id: Mapped[uuid.UUID | None] = mapped_column()
    # Set by the rollups counted per employer (`Rollup.by_organisation`), else empty.
    organisation_id: Mapped[uuid.UUID | None] = mapped_column()
    # The rollup's dimensions, joined with "|" (empty when it has none).
    key: Mapped[str] = mapped_column(String(200), default="")
    value_1: Mapped[int] = mapped_column(Integer, default=0)
    value_2: Mapped[int] = mapped_column(Integer, default=0)
    value_3: Mapped[int] = mapped_column(Integer, default=0)
    value_4: Mapped[int] = mapped_column(Integer, default=0)
    value_5: Mapped[int] = mapped_column(Integer, default=0)
    value_6: Mapped[int] = mapped_column(Integer, default=0)
    value_7: Mapped[int] = mapped_column(Integer, default=0)
    value_8: Mapped[int] = mapped_column(Integer, default=0)


class RollupDirty(db.Model):
    """A day of a rollup that a write changed since the last refresh: written in the same
    transaction as the change, removed by the refresh that recounts the day."""

    __tablename__ = "rollup_dirty"
    __table_args__ = (Index("ix_rollup_dirty_rollup_day", "rollup", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rollup: Mapped[str] = mapped_column(String(40))
    day: Mapped[dt.date] = mapped_column(Date)


class RollupState(db.Model):
    """When each rollup was last brought up to date (seconds since the epoch, UTC)."""

    __tablename__ = "rollup_state"

    rollup: Mapped[str] = mapped_column(String(40), primary_key=True)
    refreshed_epoch: Mapped[int] = mapped_column(BigInteger)
    # The declaration's `Rollup.version` the stored counts were made by: a refresh recounts
    # in full a rollup whose version differs (its key gained a dimension, say).
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
