"""The processes a system test runs: the portal's own commands, gunicorn, an SMTP server.

Everything here starts a real process (or, for SMTP, a real server on a socket) and stops
it again; the fixtures in conftest.py make sure that happens even when a test fails.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email import message_from_bytes
from pathlib import Path

import requests
from aiosmtpd.controller import Controller

REPO = Path(__file__).resolve().parents[2]
# Signs the sessions of every instance of one test, as one production secret would.
SECRET_KEY = "system-test-secret-not-for-production"
STARTUP_SECONDS = 90  # a loaded two-core machine imports the app slowly


def free_port() -> int:
    """A loopback port nobody listens on just now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def portal_environment(database_url: str, **settings: str) -> dict[str, str]:
    """The environment of a production process: what a deployer sets, and nothing of the
    test run's own (no TEST_DATABASE_URL, no stray DATABASE_URL)."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TEST_", "DATABASE_", "RATELIMIT_", "MAIL_", "FLASK_"))
    }
    environment.update(
        APP_ENV="production",
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
        **settings,
    )
    return environment


def flask_command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "flask", "--app", "wsgi", *arguments]


# `flask db upgrade` then `flask demo seed`, the commands a new deployment runs, through the
# flask command's own entry point but in one process: the app is imported once, not twice.
MIGRATE_AND_SEED = """
from flask.cli import cli
for command in (["db", "upgrade"], ["demo", "seed"]):
    cli.main(["--app", "wsgi", *command], prog_name="flask", standalone_mode=False)
"""


def migrate_and_seed(database_url: str) -> None:
    finished = subprocess.run(
        [sys.executable, "-c", MIGRATE_AND_SEED],
        cwd=REPO,
        env=portal_environment(database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if finished.returncode != 0:
        raise RuntimeError(
            f"migrating and seeding failed ({finished.returncode}):\n"
            f"{finished.stdout[-3000:]}\n{finished.stderr[-3000:]}"
        )


@dataclass
class Gunicorn:
    """One instance of the portal: a gunicorn master and its workers on a loopback port."""

    environment: dict[str, str]
    log_path: Path
    workers: int = 2
    threads: int = 2
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def launch(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "wsgi:app",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            f"--threads={self.threads}",
            # The app is imported once and the workers forked from it: quicker to start on
            # two cores. Nothing connects to the database at import, so no connection is
            # shared between workers.
            "--preload",
            "--graceful-timeout=5",
            # Every master would otherwise take the one control socket in ~/.gunicorn.
            "--no-control-socket",
            f"--error-logfile={self.log_path}",
        ]
        with self.log_path.open("ab") as log:
            # A session of its own, so that stopping it can reach every worker.
            self.process = subprocess.Popen(
                command,
                cwd=REPO,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def wait_until_answering(self) -> None:
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"gunicorn on {self.url} exited:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/sign-in", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn on {self.url} did not answer in time:\n{self.log_tail()}")

    def worker_pids(self) -> set[int]:
        """The master's children: a worker that died and was replaced changes this set."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return {int(pid) for pid in children.read_text().split()}

    def log_tail(self, characters: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-characters:]
        except FileNotFoundError:
            return "(no log)"

    def begin_stopping(self) -> None:
        """TERM lets the workers finish their requests (gunicorn takes a few seconds, so
        several instances are best stopped together)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def finish_stopping(self) -> None:
        """Wait for the master; KILL its whole group if it does not end."""
        process, self.process = self.process, None
        if process is None:
            return
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


# --- SMTP --------------------------------------------------------------------------------------


class Inbox:
    """An SMTP server's record: each message's Message-ID, and which connection brought it.

    The server holds every message until `senders` connections have delivered one, so that
    several senders are sure to overlap however unevenly their processes start (for at most
    `hold_seconds`, less than the senders' 30-second SMTP timeout).
    """

    def __init__(self, senders: int = 1, hold_seconds: float = 20, delay: float = 0) -> None:
        self.senders = senders
        self.hold_seconds = hold_seconds
        self.delay = delay
        self.message_ids: Counter[str] = Counter()
        self.by_connection: Counter[tuple] = Counter()
        self._lock = threading.Lock()
        self._all_connected: asyncio.Event | None = None

    async def handle_DATA(self, server, session, envelope) -> str:
        if self._all_connected is None:
            self._all_connected = asyncio.Event()
        message = message_from_bytes(envelope.content)
        with self._lock:
            self.message_ids[message["Message-ID"]] += 1
            self.by_connection[session.peer] += 1
            if len(self.by_connection) >= self.senders:
                self._all_connected.set()
        # On time-out the message goes through: the test's assertions report the senders
        # that never overlapped.
        with suppress(TimeoutError):
            await asyncio.wait_for(self._all_connected.wait(), self.hold_seconds)
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted for delivery"


@contextmanager
def smtp_server(inbox: Inbox) -> Iterator[int]:
    """An SMTP server on a free loopback port; yields the port."""
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller.port
    finally:
        controller.stop()
