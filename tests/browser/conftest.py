"""A live portal on a real port, driven by the system Chromium through Playwright.

The app here is separate from the root conftest's in-memory `app`: a real browser needs a
real server, so each run (each xdist worker) gets its own SQLite file with demo reference
data, and what a test writes is committed for the server thread to see. No fixture here is
called `app`, so the root conftest's rolled-back `db_session` leaves these tests alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.demo.seed import seed_demo
from app.extensions import db
from config import TestConfig
from tests.browser.axe import assert_accessible, scripts_off
from tests.conftest import skip_or_fail
from tests.factories import FACTORY_POSTCODE_AREAS

CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium, headless; the networking switches keep it from reaching for updates
# and other services on a machine without outside network.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous enough for a loaded CI machine, short enough that a wrong selector fails fast.
TIMEOUT_MS = 10_000

T = TypeVar("T")


@dataclass
class LiveServer:
    app: Flask
    url: str

    def query(self, work: Callable[[], T]) -> T:
        """Run `work` in the live app's context (to read its database), then let go."""
        with self.app.app_context():
            try:
                return work()
            finally:
                db.session.remove()


@contextmanager
def serve(database: Path, seed: Callable[[], Any]) -> Iterator[LiveServer]:
    """A portal on a free port over the SQLite file `database`, filled by `seed` (called in
    the app's context; what it leaves in the session is committed)."""
    # Bind the port first, with a placeholder app swapped out below: the portal's emailed
    # links need the address in its configuration before it is built.
    server = make_server("127.0.0.1", 0, Flask(__name__), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"

    class LiveConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{database}"
        WTF_CSRF_ENABLED = True  # a real browser posts the real forms, token and all
        RATELIMIT_ENABLED = False
        MAIL_BACKEND = "memory"
        PORTAL_BASE_URL = url
        SERVER_NAME = None  # answer on 127.0.0.1:<port>, not "localhost"
        # Browsers sign in for real, so use the production setting, not TestConfig's.
        SESSION_PROTECTION = "strong"

    app = create_app(LiveConfig)
    with app.app_context():
        db.create_all()
        seed()
        db.session.commit()
        db.session.remove()
    server.app = app
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app=app, url=url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session", autouse=True)
def factory_districts_apart() -> Iterator[None]:
    """Districts the journeys make claim no demo district's postcodes (tests/factories.py)."""
    before = FACTORY_POSTCODE_AREAS["areas"]
    FACTORY_POSTCODE_AREAS["areas"] = "GY"
    yield
    FACTORY_POSTCODE_AREAS["areas"] = before


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    database = Path(tmp_path_factory.mktemp("browser")) / "portal.sqlite"
    with serve(database, seed_demo) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@dataclass
class ConsoleLog:
    """Error-level console messages and uncaught errors. A CSP refusal or a script that
    failed to load shows up only here, so tests check it after every page."""

    errors: list[str] = field(default_factory=list)
    # Pages navigated to: Chromium logs a 4xx page itself as a failed load, but a test
    # that expects a 400 or 404 checks the status itself.
    documents: set[str] = field(default_factory=set)

    def watch(self, page: Any) -> None:
        def on_request(request: Any) -> None:
            if request.is_navigation_request():
                self.documents.add(request.url)

        def on_console(message: Any) -> None:
            if message.type != "error":
                return
            url = message.location.get("url", "")
            if message.text.startswith("Failed to load resource") and url in self.documents:
                return
            self.errors.append(f"{message.text} at {url}")

        page.on("request", on_request)
        page.on("console", on_console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def assert_clean(self) -> None:
        errors, self.errors = self.errors, []
        assert not errors, "browser console errors:\n" + "\n".join(errors)


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


def _new_page(browser: Any, live_server: LiveServer, console: ConsoleLog, **options: Any):
    # bypass_csp stays False: the browser must enforce the policy users get.
    context = browser.new_context(base_url=live_server.url, bypass_csp=False, **options)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    console.watch(page)
    try:
        yield page
    finally:
        context.close()
    # Anything logged after the test's last check (a late htmx request, say).
    console.assert_clean()


@pytest.fixture
def page(browser: Any, live_server: LiveServer, console: ConsoleLog) -> Iterator[Any]:
    """A fresh browser context (no cookies) for each test, JavaScript on."""
    yield from _new_page(browser, live_server, console)


@pytest.fixture
def page_without_js(browser: Any, live_server: LiveServer, console: ConsoleLog) -> Iterator[Any]:
    """The same with JavaScript off: the service must work without it."""
    for page in _new_page(browser, live_server, console, java_script_enabled=False):
        yield scripts_off(page)


@pytest.fixture
def check(console: ConsoleLog) -> Callable[[Any], None]:
    """Check the page now shown: no axe violations and nothing in the console."""

    def run(page: Any) -> None:
        page.wait_for_load_state("load")
        assert_accessible(page)
        console.assert_clean()

    return run
