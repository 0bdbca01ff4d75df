"""Redis stops in the middle of a run of sign-ins: the portal keeps signing people in (and
sending reset emails), counting rate limits in each process and saying so in its log, and
goes back to Redis by itself when Redis returns.

The Redis server is the test's own, started on a free port and killed by the test, never
the shared one at 6379: stopping that would break every other test run.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
import requests

from app.demo.seed import DEMO_PASSWORD
from tests.conftest import skip_or_fail
from tests.system.servers import free_port
from tests.system.visitors import Visitor

pytestmark = pytest.mark.system

PEOPLE = ("sme@demo.lep.example", "lmra@demo.lep.example", "adviser@demo.lep.example")
UNREACHABLE = "Rate limit storage unreachable"
RECOVERY_SECONDS = 60  # Flask-Limiter retries Redis with a backoff of up to 32 seconds


class ThrowawayRedis:
    """A redis-server of the test's own, with nothing saved to disk."""

    def __init__(self, directory: Path) -> None:
        self.port = free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        client.close()

    def kill(self) -> None:
        """As a crash would: no goodbye to the clients."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def key_count(self) -> int:
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        try:
            return client.dbsize()
        finally:
            client.close()


@pytest.fixture(scope="module")
def throwaway_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThrowawayRedis]:
    if shutil.which("redis-server") is None:
        skip_or_fail("needs redis-server for a throwaway Redis (apt-get install redis-server)")
    server = ThrowawayRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture(scope="module")
def portal(portal_database, throwaway_redis, start_gunicorn):
    [instance] = start_gunicorn(
        portal_database,
        RATELIMIT_STORAGE_URI=throwaway_redis.url,
        # Every visitor here is 127.0.0.1: the per-address limit must not be what refuses.
        SIGN_IN_RATE_LIMIT="10000 per minute",
    )
    return instance


class SignIns:
    """People signing in one after another, each in a fresh browser, until stopped."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.answers: list[tuple[float, int | str]] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, name="sign-ins")

    def run(self) -> None:
        number = 0
        while not self.stopping.is_set():
            visitor = Visitor(self.base_url)
            try:
                status: int | str = visitor.sign_in(PEOPLE[number % len(PEOPLE)], DEMO_PASSWORD)
                status = status.status_code
            except (requests.RequestException, LookupError) as error:
                status = repr(error)[:300]  # LookupError: the page had no sign-in form
            self.answers.append((time.monotonic(), status))
            number += 1

    def since(self, moment: float) -> Counter:
        """How many of each answer from `moment` on."""
        return Counter(status for at, status in self.answers if at >= moment)

    def count_since(self, moment: float) -> int:
        return sum(self.since(moment).values())

    def __enter__(self) -> SignIns:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join(timeout=60)


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    return False


def test_sign_in_and_reset_carry_on_through_a_redis_outage_and_recover(portal, throwaway_redis):
    with SignIns(portal.url) as sign_ins:
        assert wait_for(lambda: len(sign_ins.answers) >= 5, 30)
        assert throwaway_redis.key_count() > 0  # the counters are in Redis

        throwaway_redis.kill()
        down_at = time.monotonic()
        assert wait_for(lambda: sign_ins.count_since(down_at) >= 10, 60)
        reset = Visitor(portal.url)
        reset_page = reset.get("/forgot-password")
        reset_answer = reset.submit(reset_page, "forgot-password", {"email": PEOPLE[0]})

        throwaway_redis.start()  # empty, on the same port
        back_at = time.monotonic()
        recovered = wait_for(lambda: throwaway_redis.key_count() > 0, RECOVERY_SECONDS)
        recovered_at = time.monotonic()
        assert wait_for(lambda: sign_ins.count_since(recovered_at) >= 3, 30)

    everything = sign_ins.since(0)
    assert set(everything) == {302}, everything  # every sign-in worked: no 500, no error
    assert sign_ins.since(down_at) - sign_ins.since(back_at), "no sign-in while Redis was down"
    assert reset_answer.status_code == 200
    log = portal.log_path.read_text(errors="replace")
    assert UNREACHABLE in log
    assert "Exception on" not in log  # Flask's record of a 500
    assert recovered, "the portal never went back to Redis"
    assert "Rate limit storage recovered" in log
