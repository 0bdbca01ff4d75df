"""The compare-and-set status change: one conditional UPDATE that changes a row only while
its status is still the one the caller expects, so of two people acting at the same instant
exactly one wins (on PostgreSQL the second waits for the first to commit, then finds the
status moved on). The caller says what losing means: a flash, a 409, an exception.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import update
from sqlalchemy.sql.dml import Update

from app.extensions import db


def status_update(
    model: Any,
    record_id: uuid.UUID,
    expected: object | Collection[object],
    values: dict[str, Any],
    *,
    column: str = "status",
) -> Update:
    """The statement: set `values` on the `model` row `record_id` if its `column` is (one
    of) `expected`."""
    status = getattr(model, column)
    if isinstance(expected, (tuple, list, set, frozenset)):
        condition = status.in_(expected)
    else:
        condition = status == expected
    return (
        update(model)
        .where(model.id == record_id, condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def compare_and_set(
    model: Any,
    record_id: uuid.UUID,
    expected: object | Collection[object],
    values: dict[str, Any],
    *,
    column: str = "status",
) -> bool:
    """Run the conditional UPDATE in the caller's transaction; True if this caller won."""
    result = db.session.execute(status_update(model, record_id, expected, values, column=column))
    return result.rowcount == 1  # type: ignore[attr-defined]
