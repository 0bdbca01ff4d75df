"""Every row of every table, read in the test's transaction, to tell what a request changed.

A refused submission must change nothing; an accepted one must store only clean values.
SQLite stores whatever it is given, so `unclean_values` holds it to what PostgreSQL would
refuse (NUL bytes, text longer than its column, integers out of range) and to what no person
means to store (control characters, a date thousands of years away).
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import re
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from app.extensions import db

Rows = dict[str, dict[tuple, dict[str, Any]]]

# C0 controls but tab, line feed and carriage return; DEL; C1 controls.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
INTEGER_LIMITS = {
    sa.SmallInteger: 2**15,
    sa.Integer: 2**31,
    sa.BigInteger: 2**63,
}
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


@dataclass(frozen=True)
class RowChange:
    table: str
    key: tuple
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def __str__(self) -> str:
        kind = "added" if self.before is None else "deleted" if self.after is None else "changed"
        return f"{self.table} {kind} {self.key}"


def capture() -> Rows:
    """Each table's rows by primary key, as the database driver returns them.

    Read through the driver's own cursor: an example reads every table once, and SQL
    compiling and result processing for forty tables would cost more than the request.
    `typed` turns the few changed rows into Python values.
    """
    connection = db.session.connection()
    quote = connection.dialect.identifier_preparer.quote
    cursor = connection.connection.cursor()
    state: Rows = {}
    try:
        for table in db.metadata.sorted_tables:
            names = [column.name for column in table.columns]
            keys = [names.index(column.name) for column in table.primary_key.columns]
            cursor.execute(f"SELECT {', '.join(map(quote, names))} FROM {quote(table.name)}")
            state[table.name] = {
                tuple(row[index] for index in keys): dict(zip(names, row, strict=True))
                for row in cursor.fetchall()
            }
    finally:
        cursor.close()
    return state


def typed(table_name: str, row: dict[str, Any]) -> dict[str, Any]:
    """The row's values as the models see them (dates, UUIDs, decimals, documents)."""
    dialect = db.session.connection().dialect
    columns = db.metadata.tables[table_name].columns
    values = {}
    for name, value in row.items():
        try:
            process = columns[name].type._cached_result_processor(dialect, None)
        except (TypeError, sa.exc.InvalidRequestError):
            # psycopg's numerics want the column's type code: psycopg returns Decimal already.
            process = None
        values[name] = process(value) if process is not None and value is not None else value
    return values


def changes(before: Rows, after: Rows, ignore: frozenset[str] = frozenset()) -> list[RowChange]:
    found: list[RowChange] = []
    for table, rows in after.items():
        if table in ignore:
            continue
        earlier = before.get(table, {})
        for key, row in rows.items():
            if earlier.get(key) != row:
                found.append(RowChange(table, key, earlier.get(key), row))
        for key, row in earlier.items():
            if key not in rows:
                found.append(RowChange(table, key, row, None))
    return found


def is_a_look(change: RowChange) -> bool:
    """An audit entry of someone looking at a customer: a page that shows a customer's
    details records it, also when it shows a form again."""
    return (
        change.table == "audit_entry"
        and change.before is None
        and change.after is not None
        and change.after["action"].startswith("viewed")
    )


def unclean_values(found: list[RowChange]) -> list[str]:
    """What an accepted request stored that it should have cleaned or refused."""
    problems: list[str] = []
    for change in found:
        if change.after is None:
            continue
        table = db.metadata.tables[change.table]
        for name, value in typed(change.table, change.after).items():
            if change.before is not None and change.before.get(name) == change.after[name]:
                continue  # unchanged: not this request's doing
            problem = _unclean(table.columns[name], value)
            if problem:
                problems.append(f"{change.table}.{name}: {problem}: {value!r:.120}")
    return problems


def _unclean(column: sa.Column, value: Any) -> str | None:
    if value is None:
        return None
    column_type = column.type
    if isinstance(value, str):
        if CONTROL.search(value):
            return "control character"
        length = getattr(column_type, "length", None)
        if length is not None and len(value) > length:
            return f"{len(value)} characters in a column of {length}"
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        for kind, limit in INTEGER_LIMITS.items():
            if type(column_type) is kind and not -limit <= value < limit:
                return "out of the column's range"
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return "not a finite number"
    if isinstance(value, decimal.Decimal):
        return _unclean_decimal(column_type, value)
    if isinstance(value, dt.date) and not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return "a date no person means"
    if isinstance(value, dict | list):
        return _unclean_document(value)
    return None


def _unclean_decimal(column_type: Any, value: decimal.Decimal) -> str | None:
    if not value.is_finite():
        return "not a finite number"
    precision = getattr(column_type, "precision", None)
    scale = getattr(column_type, "scale", None) or 0
    if precision is not None and abs(value) >= decimal.Decimal(10) ** (precision - scale):
        return "too many digits for the column"
    return None


def _unclean_document(value: Any) -> str | None:
    """JSON: PostgreSQL refuses \\u0000 in jsonb; no other control character belongs there."""
    if isinstance(value, str):
        return "control character in a document" if CONTROL.search(value) else None
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    for item in items:
        problem = _unclean_document(item)
        if problem:
            return problem
    return None
