"""Bulk loading into PostgreSQL: checks before anything is touched, keys, indexes and foreign
keys taken off for the load and put back after it (so integrity is checked once, in bulk),
one COPY stream per table, a progress line, and ANALYZE.

Each table is emptied and filled in one transaction on its own connection (`COPY ...
FREEZE`): the rows are written frozen and all-visible, so the database is ready for index-only
scans without a VACUUM, and several tables load at once (PostgreSQL parses each stream in its
own backend while Python makes the rows).
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Final, TextIO

import psycopg
import sqlalchemy as sa
from psycopg import sql

#: Where the definitions of what the load takes off are kept until it is put back, so a
#: load that dies half way is repaired by the next one.
SAVED_DDL: Final = "national_load_saved_ddl"
#: Lines buffered per table before they go to PostgreSQL in one write.
BATCH: Final = 2000


class Refused(Exception):
    """The database is not one to load into; the message says why in plain English."""


def psycopg_conninfo(url: str | sa.URL) -> str:
    """A libpq connection string for a SQLAlchemy URL (postgresql+psycopg://...)."""
    parsed = sa.make_url(url) if isinstance(url, str) else url
    return parsed.set(drivername="postgresql").render_as_string(hide_password=False)


def _connect(conninfo: str, **kwargs) -> psycopg.Connection:
    # Load work must not wait on disk flushes; the end result is committed normally.
    connection = psycopg.connect(conninfo, **kwargs)
    connection.execute("SET synchronous_commit = off")
    return connection


# --- checks ----------------------------------------------------------------------------------


def check_database(conninfo: str, tables: list[str], *, replace: bool) -> None:
    """Refuse a database that is not migrated, or that holds data (unless `replace`)."""
    with _connect(conninfo, autocommit=True) as connection:
        present = {
            name
            for (name,) in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        }
        if "alembic_version" not in present or not set(tables) <= present:
            missing = sorted(set(tables) - present)
            raise Refused(
                "The database is not migrated (missing: "
                + (", ".join(missing[:5]) or "alembic_version")
                + "). Run `flask db upgrade` first."
            )
        if replace:
            return
        if SAVED_DDL in present:
            raise Refused(
                "An earlier load did not finish (its indexes are still off). Run again with "
                "--replace to empty the tables and load afresh."
            )
        holding = [
            table
            for table in tables
            if connection.execute(
                sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(table))
            ).fetchone()[0]
        ]
        if holding:
            raise Refused(
                f"The database already holds data (in {', '.join(holding[:5])}"
                f"{' and more' if len(holding) > 5 else ''}). Use --replace to empty every "
                "table first, or load into an empty, migrated database."
            )


def empty_tables(conninfo: str, tables: list[str]) -> None:
    """TRUNCATE every app table (alembic_version stays)."""
    with _connect(conninfo) as connection:
        connection.execute(
            sql.SQL("TRUNCATE {} CASCADE").format(
                sql.SQL(", ").join(sql.Identifier(t) for t in tables)
            )
        )


# --- keys, indexes and foreign keys ----------------------------------------------------------

# What is taken off, in this order; it goes back in the reverse order (keys before the
# indexes, foreign keys last, once the keys they point at exist).
_FOREIGN_KEYS, _INDEXES, _KEYS = "foreign_key", "index", "key"


def _current_ddl(
    connection: psycopg.Connection, tables: list[str]
) -> list[tuple[str, str, str, str]]:
    """(kind, table, name, definition) of every key, unique constraint, index and foreign key
    of the app's tables."""
    rows: list[tuple[str, str, str, str]] = []
    for kind, table, name, definition in connection.execute(
        """
        SELECT CASE c.contype WHEN 'f' THEN 'foreign_key' ELSE 'key' END,
               t.relname, c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint c
        JOIN pg_class t ON t.oid = c.conrelid
        JOIN pg_namespace n ON n.oid = t.relnamespace
        WHERE n.nspname = current_schema() AND c.contype IN ('p', 'u', 'f')
        ORDER BY c.contype DESC, t.relname, c.conname
        """
    ):
        if table in tables:
            rows.append((kind, table, name, definition))
    backing = {name for kind, _table, name, _definition in rows if kind == _KEYS}
    for table, name, definition in connection.execute(
        "SELECT tablename, indexname, indexdef FROM pg_indexes "
        "WHERE schemaname = current_schema() ORDER BY tablename, indexname"
    ):
        if table in tables and name not in backing:
            rows.append((_INDEXES, table, name, definition))
    return rows


def take_off_schema(conninfo: str, tables: list[str], echo: Callable[[str], None]) -> int:
    """Save, then drop, every foreign key, key and index of the app's tables; returns how
    many. If a saved set is there already (an earlier load died), it is kept: what it holds
    is what must come back."""
    with _connect(conninfo) as connection:
        exists = connection.execute("SELECT to_regclass(%s) IS NOT NULL", (SAVED_DDL,)).fetchone()[
            0
        ]
        if not exists:
            connection.execute(
                sql.SQL(
                    "CREATE TABLE {} (position integer PRIMARY KEY, kind text, table_name text, "
                    "name text, definition text)"
                ).format(sql.Identifier(SAVED_DDL))
            )
            rows = _current_ddl(connection, tables)
            with connection.cursor() as cursor:
                cursor.executemany(
                    sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s)").format(
                        sql.Identifier(SAVED_DDL)
                    ),
                    [(position, *row) for position, row in enumerate(rows)],
                )
            connection.commit()
        else:
            echo("An earlier load did not finish: its saved indexes come back after this one.\n")
        current = _current_ddl(connection, tables)
        for kind in (_FOREIGN_KEYS, _KEYS):
            for _kind, table, name, _definition in (row for row in current if row[0] == kind):
                connection.execute(
                    sql.SQL("ALTER TABLE {} DROP CONSTRAINT IF EXISTS {}").format(
                        sql.Identifier(table), sql.Identifier(name)
                    )
                )
        for _kind, _table, name, _definition in (row for row in current if row[0] == _INDEXES):
            connection.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(sql.Identifier(name)))
        connection.commit()
        return connection.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(SAVED_DDL))
        ).fetchone()[0]


def put_back_schema(conninfo: str, echo: Callable[[str], None], workers: int = 2) -> None:
    """Build the keys, then the indexes, then the foreign keys from the saved definitions,
    several at once, and forget them. Foreign keys are added NOT VALID, then validated (every
    row checked) a table at a time: validation locks only its own table, so tables validate
    side by side. Anything already there is skipped, so this can run again after a failure."""
    with _connect(conninfo, autocommit=True) as connection:
        saved = connection.execute(
            sql.SQL("SELECT kind, table_name, name, definition FROM {} ORDER BY position").format(
                sql.Identifier(SAVED_DDL)
            )
        ).fetchall()
        present = dict(
            connection.execute(
                "SELECT conname, convalidated FROM pg_constraint c "
                "JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = current_schema()"
            ).fetchall()
        )
        present.update(
            (name, True)
            for (name,) in connection.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()"
            )
        )
        sizes = dict(
            connection.execute(
                "SELECT relname, pg_relation_size(c.oid) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind = 'r'"
            ).fetchall()
        )
    started = time.monotonic()
    runner = _Runner(conninfo, echo, workers)
    try:
        # Keys: one task per table (they share its lock), the biggest tables first.
        keys: dict[str, list[tuple[str, str]]] = {}
        for kind, table, name, definition in saved:
            if kind == _KEYS and name not in present:
                keys.setdefault(table, []).append((name, definition))
        runner.run(
            "key",
            [
                (table, [_add(table, name, definition) for name, definition in items])
                for table, items in sorted(keys.items(), key=lambda item: -sizes.get(item[0], 0))
            ],
        )
        indexes = [
            (table, [sql.SQL(definition)], name)
            for kind, table, name, definition in saved
            if kind == _INDEXES and name not in present
        ]
        indexes.sort(key=lambda task: -sizes.get(task[0], 0))
        runner.run("index", [(name, statements) for _table, statements, name in indexes])
        # Foreign keys: added unchecked one after another (a moment each), then checked.
        foreign = [row for row in saved if row[0] == _FOREIGN_KEYS]
        runner.run(
            "foreign key",
            [
                (
                    "added",
                    [
                        _add(table, name, definition + " NOT VALID")
                        for _k, table, name, definition in foreign
                        if name not in present
                    ],
                ),
            ],
            one_by_one=True,
        )
        checks: dict[str, list[sql.Composable]] = {}
        for _kind, table, name, _definition in foreign:
            if not present.get(name, False):
                checks.setdefault(table, []).append(
                    sql.SQL("ALTER TABLE {} VALIDATE CONSTRAINT {}").format(
                        sql.Identifier(table), sql.Identifier(name)
                    )
                )
        runner.run(
            "check",
            sorted(checks.items(), key=lambda item: -sizes.get(item[0], 0)),
        )
    finally:
        runner.close()
    echo(f"\r  keys, indexes and foreign keys back in {time.monotonic() - started:.0f} s\033[K\n")
    with _connect(conninfo, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP TABLE {}").format(sql.Identifier(SAVED_DDL)))


def _add(table: str, name: str, definition: str) -> sql.Composable:
    return sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} ").format(
        sql.Identifier(table), sql.Identifier(name)
    ) + sql.SQL(definition)


class _Runner:
    """Runs DDL tasks (each a list of statements, in order) on a few connections at once."""

    def __init__(self, conninfo: str, echo: Callable[[str], None], workers: int) -> None:
        self.conninfo = conninfo
        self.echo = echo
        self.workers = max(1, workers)
        self.local = threading.local()
        self.connections: list[psycopg.Connection] = []
        self.lock = threading.Lock()
        self.shown = 0.0

    def _connection(self) -> psycopg.Connection:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = _connect(self.conninfo, autocommit=True)
            # Sorting for an index build: plenty, but shared by the builds running at once.
            connection.execute("SET maintenance_work_mem = '384MB'")
            self.local.connection = connection
            with self.lock:
                self.connections.append(connection)
        return connection

    def run(
        self, what: str, tasks: list[tuple[str, list[sql.Composable]]], one_by_one: bool = False
    ) -> None:
        done = 0

        def task(item: tuple[str, list[sql.Composable]]) -> None:
            nonlocal done
            name, statements = item
            began = time.monotonic()
            connection = self._connection()
            for statement in statements:
                connection.execute(statement)
            took = time.monotonic() - began
            with self.lock:
                done += 1
                line = f"  {what:<11} {done:>3}/{len(tasks)} {name[:50]:<50} {took:6.1f} s"
                # The slow ones stay on the screen; the rest share one line.
                if took >= 5:
                    self.echo(f"\r{line}\033[K\n")
                elif time.monotonic() - self.shown > 0.25:
                    self.echo(f"\r{line}\033[K")
                    self.shown = time.monotonic()

        if one_by_one or self.workers == 1:
            for item in tasks:
                task(item)
            return
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for future in [pool.submit(task, item) for item in tasks]:
                future.result()

    def close(self) -> None:
        for connection in self.connections:
            with contextlib.suppress(Exception):
                connection.close()


def analyze(conninfo: str, tables: Iterable[str]) -> None:
    with _connect(conninfo, autocommit=True) as connection:
        for table in tables:
            connection.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(table)))


# --- COPY streams ----------------------------------------------------------------------------


class CopyStream:
    """One table's rows: emptied and filled in one transaction on its own connection."""

    def __init__(self, conninfo: str, table: str, columns: tuple[str, ...]) -> None:
        self.table = table
        self.rows = 0
        self.started = time.monotonic()
        self.finished: float | None = None
        self._buffer: list[str] = []
        self._connection = _connect(conninfo)
        self._connection.execute(sql.SQL("TRUNCATE {}").format(sql.Identifier(table)))
        self._cursor = self._connection.cursor()
        statement = sql.SQL("COPY {} ({}) FROM STDIN (FREEZE)").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
        )
        self._copy_context = self._cursor.copy(statement)
        self._copy = self._copy_context.__enter__()

    def write(self, line: str) -> None:
        buffer = self._buffer
        buffer.append(line)
        if len(buffer) >= BATCH:
            self._copy.write("".join(buffer))
            self.rows += len(buffer)
            buffer.clear()

    def write_text(self, text: str | bytes, rows: int) -> None:
        """Lines already joined (by a worker process, perhaps already encoded)."""
        if self._buffer:
            self._copy.write("".join(self._buffer))
            self.rows += len(self._buffer)
            self._buffer.clear()
        self._copy.write(text)
        self.rows += rows

    def close(self) -> None:
        if self._buffer:
            self._copy.write("".join(self._buffer))
            self.rows += len(self._buffer)
            self._buffer.clear()
        self._copy_context.__exit__(None, None, None)
        self._connection.commit()
        self._connection.close()
        self.finished = time.monotonic()

    def abort(self) -> None:
        # Tell the server the COPY failed (so nothing half-loaded is committed), then go.
        with contextlib.suppress(Exception):
            self._copy_context.__exit__(RuntimeError, RuntimeError("load stopped"), None)
        with contextlib.suppress(Exception):
            self._connection.close()

    @property
    def counted(self) -> int:
        return self.rows + len(self._buffer)

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started


class Streams:
    """The open COPY stream of each table, opened on first use."""

    def __init__(self, conninfo: str, columns: dict[str, tuple[str, ...]]) -> None:
        self.conninfo = conninfo
        self.columns = columns
        self.open: dict[str, CopyStream] = {}
        self.done: dict[str, CopyStream] = {}

    def __getitem__(self, table: str) -> CopyStream:
        stream = self.open.get(table)
        if stream is None:
            if table in self.done:
                raise RuntimeError(f"{table} was already loaded")
            stream = self.open[table] = CopyStream(self.conninfo, table, self.columns[table])
        return stream

    def write_text(self, table: str, text: str | bytes, rows: int) -> None:
        self[table].write_text(text, rows)

    def close(self, tables: Iterable[str]) -> None:
        for table in tables:
            stream = self.open.pop(table, None)
            if stream is not None:
                stream.close()
                self.done[table] = stream

    def abort(self) -> None:
        for stream in self.open.values():
            stream.abort()
        self.open.clear()

    def counts(self) -> dict[str, int]:
        return {table: s.counted for table, s in {**self.done, **self.open}.items()}


# --- progress --------------------------------------------------------------------------------


class Progress:
    """A carriage-return progress line per pass on stderr, then a line per table."""

    def __init__(self, streams: Streams, stream: TextIO | None = None, width: int = 24) -> None:
        self.streams = streams
        self.stream = stream or sys.stderr
        self.width = width
        self.name = ""
        self.total = 1
        self.done = 0
        self.started = time.monotonic()
        self.shown = 0.0
        self.before: dict[str, int] = {}

    def begin(self, name: str, total: int) -> None:
        self.name, self.total, self.done = name, max(1, total), 0
        self.started = time.monotonic()
        self.before = self.streams.counts()
        self._show(force=True)

    def tick(self, count: int = 1) -> None:
        # Workers report in batches, so every report may be the one to show.
        self.done += count
        if time.monotonic() - self.shown >= 0.25:
            self._show()

    def _show(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.shown < 0.25:
            return
        self.shown = now
        share = min(1.0, self.done / self.total)
        bar = "#" * int(share * self.width)
        elapsed = max(now - self.started, 1e-6)
        rows = {
            table: count - self.before.get(table, 0)
            for table, count in self.streams.counts().items()
        }
        busiest = sorted(rows.items(), key=lambda item: -item[1])[:2]
        tables = "  ".join(f"{t} {n:,} ({n / elapsed:,.0f}/s)" for t, n in busiest if n)
        self.stream.write(
            f"\r{self.name:<10} [{bar:<{self.width}}] {share:4.0%} {self.done:,}/{self.total:,}"
            f"  {tables}\033[K"
        )
        self.stream.flush()

    def end(self) -> None:
        self.done = self.total
        self._show(force=True)
        elapsed = time.monotonic() - self.started
        self.stream.write("\n")
        for table, count in self.streams.counts().items():
            made = count - self.before.get(table, 0)
            if made:
                self.stream.write(
                    f"  {table:<22} {made:>12,} rows  {made / max(elapsed, 1e-6):>10,.0f} rows/s\n"
                )
        self.stream.flush()
