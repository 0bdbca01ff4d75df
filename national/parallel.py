"""Making rows on every core: a pass is cut into chunks, each made by a forked worker process
that sends its COPY text back to this process, which alone writes to PostgreSQL (one COPY
stream per table, so each table still loads frozen in one transaction).

A chunk's rows depend only on the seed and the chunk (its own random generator, its own
range of row numbers), never on which worker made it or when: one worker or many, the rows
are the same.
"""

from __future__ import annotations

import multiprocessing
import os
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection, wait
from typing import Any, Final, Protocol

#: Lines buffered per table in a worker before they travel to the writer in one message.
LINES_PER_MESSAGE: Final = 4000
#: Units of work a worker counts before it reports them for the progress line.
TICKS_PER_MESSAGE: Final = 2000


class Sink(Protocol):
    def write_text(self, table: str, text: str | bytes, rows: int) -> None: ...


class _Buffer:
    __slots__ = ("lines", "out", "rows", "table")

    def __init__(self, out: ChunkOut, table: str) -> None:
        self.out = out
        self.table = table
        self.lines: list[str] = []
        self.rows = 0

    def write(self, line: str) -> None:
        lines = self.lines
        lines.append(line)
        if len(lines) >= LINES_PER_MESSAGE:
            self.out.flush(self)


class ChunkOut:
    """Where a chunk writes its rows: a buffer per table, handed on in batches."""

    def __init__(
        self,
        send_rows: Callable[[str, str | bytes, int], None],
        send_ticks: Callable[[int], None],
    ) -> None:
        self._send_rows = send_rows
        self._send_ticks = send_ticks
        self._buffers: dict[str, _Buffer] = {}
        self._ticks = 0

    def __getitem__(self, table: str) -> _Buffer:
        buffer = self._buffers.get(table)
        if buffer is None:
            buffer = self._buffers[table] = _Buffer(self, table)
        return buffer

    def flush(self, buffer: _Buffer) -> None:
        if buffer.lines:
            buffer.rows += len(buffer.lines)
            self._send_rows(buffer.table, "".join(buffer.lines), len(buffer.lines))
            buffer.lines.clear()

    def tick(self, count: int = 1) -> None:
        self._ticks += count
        if self._ticks >= TICKS_PER_MESSAGE:
            self._send_ticks(self._ticks)
            self._ticks = 0

    def close(self) -> None:
        for buffer in self._buffers.values():
            self.flush(buffer)
        if self._ticks:
            self._send_ticks(self._ticks)
            self._ticks = 0


Work = Callable[[int, Any, ChunkOut], Any]


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


def run_chunks(
    chunks: Sequence[Any],
    work: Work,
    sink: Sink,
    tick: Callable[[int], None],
    workers: int,
) -> list[Any]:
    """`work(number, chunk, out)` for every chunk; returns the results in chunk order."""
    if workers <= 1 or len(chunks) <= 1:
        results = []
        for number, chunk in enumerate(chunks):
            out = ChunkOut(sink.write_text, tick)
            results.append(work(number, chunk, out))
            out.close()
        return results
    return _in_workers(chunks, work, sink, tick, min(workers, len(chunks)))


def _worker(connection: Connection, chunks: Sequence[Any], work: Work) -> None:
    def send_rows(table: str, text: str | bytes, rows: int) -> None:
        # As UTF-8 bytes: they cross the pipe and go to PostgreSQL without decoding again.
        connection.send(("rows", table, text.encode() if isinstance(text, str) else text, rows))

    def send_ticks(count: int) -> None:
        connection.send(("tick", count))

    try:
        while (number := connection.recv()) is not None:
            out = ChunkOut(send_rows, send_ticks)
            result = work(number, chunks[number], out)
            out.close()
            connection.send(("done", number, result))
    except BaseException:
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()


def _in_workers(
    chunks: Sequence[Any],
    work: Work,
    sink: Sink,
    tick: Callable[[int], None],
    workers: int,
) -> list[Any]:
    # fork: the workers start with everything this process has made so far (the plan, the
    # compact arrays) without copying it. They never touch its database connections, and
    # leave through os._exit (multiprocessing's), so none of those are closed under it.
    context = multiprocessing.get_context("fork")
    processes = []
    ends: list[Connection] = []
    for _ in range(workers):
        here, there = context.Pipe()
        process = context.Process(target=_worker, args=(there, chunks, work), daemon=True)
        process.start()
        there.close()
        processes.append(process)
        ends.append(here)
    results: list[Any] = [None] * len(chunks)
    next_chunk = 0
    for end in ends:
        end.send(next_chunk if next_chunk < len(chunks) else None)
        next_chunk += 1
    busy = set(ends)
    try:
        while busy:
            for end in wait(list(busy)):
                try:
                    message = end.recv()
                except EOFError:
                    raise RuntimeError("a worker making rows stopped without a word") from None
                kind = message[0]
                if kind == "rows":
                    sink.write_text(message[1], message[2], message[3])
                elif kind == "tick":
                    tick(message[1])
                elif kind == "done":
                    results[message[1]] = message[2]
                    if next_chunk < len(chunks):
                        end.send(next_chunk)
                        next_chunk += 1
                    else:
                        end.send(None)
                        busy.discard(end)
                else:
                    raise RuntimeError(f"a worker making rows failed:\n{message[1]}")
    finally:
        for process in processes:
            if process.is_alive() and busy:
                process.terminate()
            process.join()
        for end in ends:
            end.close()
    return results


def chunk_ranges(weights: Sequence[int | float], pieces: int) -> list[tuple[int, int]]:
    """[start, stop) ranges of about equal total weight, in order (at most `pieces`)."""
    total = float(sum(weights)) or 1.0
    target = total / max(1, pieces)
    ranges = []
    start = 0
    running = 0.0
    for index, weight in enumerate(weights):
        running += weight
        if running >= target and index + 1 < len(weights):
            ranges.append((start, index + 1))
            start = index + 1
            running = 0.0
    if start < len(weights):
        ranges.append((start, len(weights)))
    return ranges
