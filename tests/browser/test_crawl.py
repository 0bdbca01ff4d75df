"""Every page as every role sees it, in a real browser: the crawl.

For each role (signed out, then each in `crawl_seed.ROLES`) the crawl signs in through the
real sign-in form and follows every same-origin link and GET form breadth first, at 320 px
wide. On every page it checks:

- status: the page answers 200;
- axe: axe-core (WCAG 2.2 A and AA and the best-practice rules) finds nothing;
- vnu: the Nu HTML Checker finds no error in the HTML the server sent (one run over every
  page at the end: the JVM starts once);
- reflow: the page does not scroll sideways at 320 px (WCAG 1.4.10);
- images: every `<img>` (the MI charts) loads, and drawn as the browser decoded it, it has
  more than one colour (a solid black chart fails);
- escaped: no markup escaped into the text (`&lt;a `), which reads as code to a person;
- console: nothing in the browser console (a CSP refusal shows only there);
- forms: every POST form with a field to fill, submitted with its fields emptied, is
  answered with the GOV.UK error summary, focus inside it and "Error:" in the title, HTMX
  forms included. A form with nothing to fill (sign out, confirm buttons) is not submitted:
  empty is all it can be, so it would change data. Neither is a form that is valid empty,
  listed in `VALID_WHEN_EMPTY` with the reason. (GOV.UK radios carry no `required`, so
  "has a required input" would miss the call screen's and candidate page's forms.)

Downloads (`DOWNLOADS`) are fetched for their status only. The crawl is bounded: URLs are
grouped by pattern (record ids and query values collapsed) and at most `PER_PATTERN` URLs of
a pattern are opened per role; a form is submitted once per page pattern, action pattern and
button.
A GET route that no role reaches fails the test, unless `UNCRAWLED` says why it cannot be.
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.async_api import Error as PlaywrightError
from werkzeug.exceptions import HTTPException

from config import BASE_DIR
from tests.browser.axe import BEST_PRACTICE_TAGS, RUN_AXE, _axe_source
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer, serve
from tests.browser.crawl_seed import ROLES, Login, seed_crawl
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.browser

VNU_JAR = BASE_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
VIEWPORT = {"width": 320, "height": 720}
# Up to two URLs of a pattern are opened, and so followed, per role (rows of a table are
# not all alike); the slow checks (axe, images) run on the first only.
PER_PATTERN = 2
# Pages open at once: the browser and the server (in this process) share two cores.
CONCURRENCY = 4
TIMEOUT_MS = 15_000
SIGNED_OUT = "signed-out"

#: GET routes the crawl cannot reach, and why.
UNCRAWLED = {
    "static": "the assets, not pages",
    "auth.accept_invitation": "reached only from an emailed, signed link",
    "auth.reset_password": "reached only from an emailed, signed link",
    "auth.verify_email": "reached only from an emailed, signed link",
    "auth.check_email": "shown after registering (the registration journey opens it)",
    "vacancies.submitted": "shown after submitting a vacancy (the vacancy journey opens it)",
    "partnerships.accepted": "shown after accepting the agreement (the partnership journey)",
    "auth.signed_out": "shown after signing out, which the crawl never does (test_sessions.py)",
    "auth.session_remaining": "JSON the timeout warning polls, not a page (test_sessions.py)",
    "api.list_vacancies": "JSON for an API key, not a page (test_api_vacancies.py, Schemathesis)",
    "api.read_vacancy": "JSON for an API key, not a page (test_api_vacancies.py, Schemathesis)",
    "api.list_candidates": "JSON for an API key, not a page (test_api_candidates.py, Schemathesis)",
    "api.read_candidate": "JSON for an API key, not a page (test_api_candidates.py, Schemathesis)",
    "api.list_sites": "JSON for an API key, not a page (test_api_vacancies.py, Schemathesis)",
    "api_keys.revoke": "listed only once a key exists, and the seed makes none (test_api_keys.py)",
    "api_keys.account_revoke": "listed only once a key exists (test_api_keys.py)",
}
#: Files, not pages: fetched, and their status checked.
DOWNLOADS = {
    "reports.csv",
    "reports.chart",
    "lmi.csv",
    "lmi.chart",
    "customers.audit_download",
    "api.openapi",
}

#: POST forms (by the endpoint they post to) that are valid with every field empty, so the
#: crawl does not submit them empty: that would change data, not show an error.
VALID_WHEN_EMPTY = {
    "pet.attendance": "a week's hours left empty clears what was recorded for that week",
}

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)
ESCAPED_MARKUP = re.compile(r"&lt;/?(a|p|span|strong|div|br)\b")

EXTRACT = """
() => {
  const absolute = (href) => new URL(href, location.href).href;
  const links = [...document.querySelectorAll("a[href]")].map((a) => ({
    url: absolute(a.getAttribute("href")), download: a.hasAttribute("download"),
  }));
  const forms = [...document.querySelectorAll("form")].map((form, index) => {
    const method = (form.getAttribute("method") || "get").toLowerCase();
    const action = absolute(form.getAttribute("action") || location.href);
    // A GET form as it stands, and with each select or radio group left blank set to its
    // first choice (a filter by member of staff, say, shows links that the unfiltered page
    // does not).
    const urls = [];
    if (method === "get") {
      const query = (data) => {
        const target = new URL(action);
        target.search = new URLSearchParams(data).toString();
        return target.href;
      };
      urls.push(query(new FormData(form)));
      const data = new FormData(form);
      let chosen = false;
      for (const select of form.querySelectorAll("select[name]")) {
        const choice = [...select.options].find((option) => option.value !== "");
        if (select.value === "" && choice) {
          data.set(select.name, choice.value);
          chosen = true;
        }
      }
      for (const radio of form.querySelectorAll("input[type=radio][name]")) {
        if (!data.has(radio.name)) {
          data.set(radio.name, radio.value);
          chosen = true;
        }
      }
      if (chosen) urls.push(query(data));
    }
    const fillable = [...form.elements].some((field) => !field.disabled && (
      ["SELECT", "TEXTAREA"].includes(field.tagName) || (field.tagName === "INPUT"
        && !["hidden", "submit", "button", "image", "reset"].includes(field.type))));
    // Several forms may post to one URL (a candidate's interview, work trial, not selected):
    // told apart by their button.
    const button = form.querySelector("button:not([type=button]), input[type=submit]");
    return {
      index, method, action, urls, fillable,
      button: button ? (button.name || button.textContent.trim()) : "",
    };
  });
  return {links, forms, images: document.querySelectorAll("img").length};
}
"""

EMPTY_THE_FORM = """
(form) => {
  for (let open = form.closest("details"); open; open = open.parentElement.closest("details")) {
    open.open = true;
  }
  for (const field of form.elements) {
    if (field.disabled) continue;
    if (field.type === "checkbox" || field.type === "radio") field.checked = false;
    else if (field.tagName === "SELECT") {
      const blank = [...field.options].findIndex((o) => o.value === "");
      if (blank >= 0) field.selectedIndex = blank;
    } else if (field.tagName === "TEXTAREA" || (field.tagName === "INPUT"
        && !["hidden", "submit", "button", "file", "image", "reset"].includes(field.type))) {
      field.value = "";
    }
  }
}
"""

ERROR_SHOWN = """
() => !!document.activeElement && !!document.activeElement.closest(".govuk-error-summary")
  && document.title.startsWith("Error:")
"""

ERROR_STATE = """
() => ({
  summary: !!document.querySelector(".govuk-error-summary"),
  focus: document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : null,
  title: document.title,
})
"""

# Each image not seen before, drawn as the browser decoded it onto a canvas: does it load,
# and has it more than one colour? (A screenshot of the element shows the same pixels, but
# takes ten times as long, and there is no image library here to read it.)
IMAGES = """
(seen) => [...document.images].filter((img) => !seen.includes(img.currentSrc || img.src))
  .map((img) => {
    const src = img.currentSrc || img.src;
    if (!img.complete || !img.naturalWidth) return {src, loaded: false, colours: 0};
    const width = img.width || img.naturalWidth, height = img.height || img.naturalHeight;
    const context = new OffscreenCanvas(width, height).getContext("2d");
    context.drawImage(img, 0, 0, width, height);
    const pixels = new Uint32Array(context.getImageData(0, 0, width, height).data.buffer);
    const colours = new Set();
    for (const pixel of pixels) { colours.add(pixel); if (colours.size > 1) break; }
    return {src, loaded: true, colours: colours.size};
  })
"""


def pattern(url: str) -> str:
    """A URL with its record ids and query values collapsed: pages of one kind."""
    parts = urlsplit(url)
    keys = sorted({key for key, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return UUID.sub("{id}", parts.path) + ("?" + "&".join(keys) if keys else "")


@dataclass
class Finding:
    check: str
    role: str
    url: str
    endpoint: str
    detail: str


@dataclass
class Crawl:
    live: LiveServer
    html_dir: Path
    findings: list[Finding] = field(default_factory=list)
    loads: int = 0
    urls: set[str] = field(default_factory=set)
    forms: int = 0
    downloads: int = 0
    images: int = 0
    reached: set[str] = field(default_factory=set)
    pages: dict[str, tuple[str, str]] = field(default_factory=dict)  # file -> (role, url)
    images_seen: set[str] = field(default_factory=set)
    seconds: collections.Counter[str] = field(default_factory=collections.Counter)

    def endpoint(self, url: str, method: str = "GET") -> str:
        parts = urlsplit(url)
        adapter = self.live.app.url_map.bind("127.0.0.1")
        try:
            endpoint, _ = adapter.match(parts.path, method=method)
        except HTTPException:
            return "?"
        return endpoint

    def answers_get(self, url: str) -> bool:
        adapter = self.live.app.url_map.bind("127.0.0.1")
        try:
            adapter.match(urlsplit(url).path, method="GET")
        except HTTPException:
            return False
        return True

    def find(self, check: str, role: str, url: str, detail: str, endpoint: str = "") -> None:
        self.findings.append(Finding(check, role, url, endpoint or self.endpoint(url), detail))


class RoleCrawl:
    def __init__(self, crawl: Crawl, role: str, login: Login | None, gate: asyncio.Semaphore):
        self.crawl, self.role, self.login, self.gate = crawl, role, login, gate
        self.origin = crawl.live.url
        self.per_pattern: collections.Counter[str] = collections.Counter()
        self.queued: set[str] = set()
        self.forms: dict[tuple[str, str, str], tuple[str, int]] = {}
        self.console: list[str] = []

    async def run(self, browser: Any) -> None:
        context = await browser.new_context(base_url=self.origin, viewport=VIEWPORT)
        context.set_default_timeout(TIMEOUT_MS)
        page = await context.new_page()
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))
        try:
            async with self.gate:
                start = await self._sign_in(page)
            queue = collections.deque([start])
            self.queued.add(start)
            while queue:
                url = queue.popleft()
                async with self.gate:
                    found = await self._visit(page, url, context)
                for link in found:
                    if link not in self.queued:
                        self.queued.add(link)
                        queue.append(link)
            for page_url, index in self.forms.values():
                async with self.gate:
                    began = time.monotonic()
                    await self._submit_empty(page, page_url, index)
                    self.crawl.seconds["forms"] += time.monotonic() - began
        finally:
            await context.close()

    def _on_console(self, message: Any) -> None:
        url = message.location.get("url", "")
        # Chromium logs a page that answered 4xx or 5xx itself; the status check reports it.
        if message.type == "error" and not (
            message.text.startswith("Failed to load resource") and url in self.queued
        ):
            self.console.append(f"{message.text} at {url}")

    async def _sign_in(self, page: Any) -> str:
        if self.login is None:
            return self.origin + "/"
        await page.goto("/sign-in")
        await page.get_by_label("Email address").fill(self.login.email)
        await page.get_by_label("Password", exact=True).fill(self.login.password)
        await page.get_by_role("button", name="Sign in", exact=True).click()
        await page.wait_for_url(lambda url: "/sign-in" not in url)
        return page.url

    def _wanted(self, url: str) -> bool:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != self.origin:
            return False
        # The language toggle (`?lang=cy`) is the same page again in Welsh, and switches the
        # rest of the visit to it: the Welsh pages have their own tests (test_welsh*.py).
        if "lang" in dict(parse_qsl(parts.query)):
            return False
        return parts.path != "/sign-out" and not parts.path.startswith("/static/")

    async def _visit(self, page: Any, url: str, context: Any) -> list[str]:
        crawl = self.crawl
        endpoint = crawl.endpoint(url)
        crawl.reached.add(endpoint)
        if endpoint in DOWNLOADS:
            response = await context.request.get(url)
            crawl.downloads += 1
            if response.status != 200:
                crawl.find("status", self.role, url, f"download answered {response.status}")
            return []
        key = pattern(url)
        self.per_pattern[key] += 1
        if self.per_pattern[key] > PER_PATTERN:
            return []
        began = time.monotonic()
        response = await page.goto(url)
        crawl.seconds["load"] += time.monotonic() - began
        crawl.loads += 1
        crawl.urls.add(url)
        if response is None or response.status != 200:
            status = response.status if response else "no response"
            crawl.find("status", self.role, url, f"answered {status}")
            return []
        if page.url != url:
            crawl.reached.add(crawl.endpoint(page.url))
        html = await response.text()
        name = f"{len(crawl.pages):05d}.html"
        (crawl.html_dir / name).write_text(html, encoding="utf-8")
        crawl.pages[name] = (self.role, page.url)
        if match := ESCAPED_MARKUP.search(html):
            start = max(match.start() - 60, 0)
            crawl.find("escaped", self.role, url, html[start : match.end() + 60])

        width = await page.evaluate("() => document.documentElement.scrollWidth")
        if width > VIEWPORT["width"]:
            crawl.find("reflow", self.role, url, f"{width} px wide at {VIEWPORT['width']} px")
        if self.per_pattern[key] == 1:
            began = time.monotonic()
            await self._axe(page, url)
            crawl.seconds["axe"] += time.monotonic() - began
            began = time.monotonic()
            await self._images(page, url)
            crawl.seconds["images"] += time.monotonic() - began
        if self.console:
            crawl.find("console", self.role, url, "\n".join(self.console))
            self.console.clear()

        found = await page.evaluate(EXTRACT)
        links: list[str] = []
        for link in found["links"]:
            target = link["url"].split("#")[0]
            if self._wanted(target):
                links.append(target)
        for form in found["forms"]:
            if form["method"] == "get":
                links += [url for url in form["urls"] if self._wanted(url)]
                continue
            # Where the form posts to may be a page as well (the step without JavaScript).
            if self._wanted(form["action"]) and crawl.answers_get(form["action"]):
                links.append(form["action"])
            if form["fillable"] and crawl.endpoint(form["action"], "POST") not in VALID_WHEN_EMPTY:
                form_key = (key, pattern(form["action"]), form["button"])
                self.forms.setdefault(form_key, (page.url, form["index"]))
        return links

    async def _axe(self, page: Any, url: str) -> None:
        if not await page.evaluate("() => typeof window.axe === 'object'"):
            await page.evaluate(_axe_source())
        for violation in await page.evaluate(RUN_AXE, BEST_PRACTICE_TAGS):
            targets = "; ".join(", ".join(map(str, n["target"])) for n in violation["nodes"])
            self.crawl.find("axe", self.role, url, f"{violation['id']}: {targets}"[:300])

    async def _images(self, page: Any, url: str) -> None:
        crawl = self.crawl
        for image in await page.evaluate(IMAGES, sorted(crawl.images_seen)):
            src = image["src"]
            if src in crawl.images_seen:
                continue
            crawl.images_seen.add(src)
            crawl.images += 1
            endpoint = crawl.endpoint(src)
            crawl.reached.add(endpoint)
            if not image["loaded"]:
                crawl.find("images", self.role, url, f"{src} did not load", endpoint)
            elif image["colours"] < 2:
                crawl.find("images", self.role, url, f"{src} is one colour", endpoint)

    async def _submit_empty(self, page: Any, url: str, index: int) -> None:
        crawl = self.crawl
        crawl.forms += 1
        where = f"{url} form {index}"
        try:
            response = await page.goto(url)
            if response is None or response.status != 200:
                crawl.find("forms", self.role, where, "the page did not answer 200 again")
                return
            form = page.locator("form").nth(index)
            # getAttribute: a field named "action" hides the form's own `action` property.
            action = await form.evaluate(
                "(f) => f.getAttribute('action') || location.pathname", timeout=2_000
            )
            where += f" to {action}"
            await form.evaluate(EMPTY_THE_FORM)
            await form.locator("button:not([type=button]), input[type=submit]").first.click()
            await page.wait_for_function(ERROR_SHOWN, timeout=5_000)
        except PlaywrightError as error:  # not answered with the error summary: say what was
            try:
                state = json.dumps(await page.evaluate(ERROR_STATE))
            except PlaywrightError:
                state = ""
            detail = f"{state} {str(error).splitlines()[0]}"
            crawl.find("forms", self.role, where, detail, crawl.endpoint(url))
        self.console.clear()


def run_vnu(crawl: Crawl) -> None:
    """The Nu HTML Checker over every page at once, errors only."""
    files = sorted(crawl.pages)
    if not files:
        return
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
        cwd=crawl.html_dir,
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout or '{"messages": []}')["messages"]
    for message in messages:
        if message.get("type") != "error":
            continue
        name = Path(urlsplit(message.get("url", "")).path).name
        role, url = crawl.pages.get(name, ("?", name))
        line = message.get("lastLine", "?")
        crawl.find("vnu", role, url, f"line {line}: {message['message']}"[:300])


async def crawl_everything(live: LiveServer, logins: dict[str, Login], html_dir: Path) -> Crawl:
    from playwright.async_api import async_playwright

    began = time.monotonic()
    crawl = Crawl(live=live, html_dir=html_dir)
    gate = asyncio.Semaphore(CONCURRENCY)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            roles = [RoleCrawl(crawl, SIGNED_OUT, None, gate)]
            roles += [RoleCrawl(crawl, role, logins[role], gate) for role in ROLES]
            await asyncio.gather(*(role.run(browser) for role in roles))
            print(f"\ncrawl: the browser took {time.monotonic() - began:.0f} s")
        finally:
            await browser.close()
    return crawl


def report(crawl: Crawl, seconds: float, routes: set[str]) -> str:
    checks = ["status", "axe", "vnu", "reflow", "images", "escaped", "console", "forms"]
    counted = collections.Counter(finding.check for finding in crawl.findings)
    lines = [
        f"crawl: {crawl.loads} page loads, {len(crawl.urls)} distinct URLs, "
        f"{len({pattern(u) for u in crawl.urls})} URL patterns, {crawl.forms} empty form "
        f"submissions, {crawl.downloads} downloads, {crawl.images} images, "
        f"{len(crawl.reached & routes)} of {len(routes)} GET routes reached, {seconds:.0f} s",
        "time in: " + ", ".join(f"{k} {v:.0f} s" for k, v in crawl.seconds.items()),
        "violations: " + ", ".join(f"{check} {counted[check]}" for check in checks),
    ]
    return "\n".join(lines)


def test_every_page_as_every_role_is_accessible_valid_and_reflows(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} is missing: run `make chromium` (apt-get install chromium)")
    if not VNU_JAR.exists():
        skip_or_fail(f"{VNU_JAR} is missing: run `npm ci --ignore-scripts`")
    started = time.monotonic()
    root = tmp_path_factory.mktemp("crawl")
    html_dir = root / "pages"
    html_dir.mkdir()
    logins: dict[str, Login] = {}
    with serve(root / "portal.sqlite", lambda: logins.update(seed_crawl())) as live:
        # In a thread of its own: a sync Playwright journey that ran earlier in this worker
        # (the order is random) leaves its event loop running in the main thread.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            crawl = pool.submit(asyncio.run, crawl_everything(live, logins, html_dir)).result()
        get_routes = {
            rule.endpoint for rule in live.app.url_map.iter_rules() if "GET" in rule.methods
        }
    began = time.monotonic()
    run_vnu(crawl)
    crawl.seconds["vnu"] = time.monotonic() - began
    seconds = time.monotonic() - started
    print("\n" + report(crawl, seconds, get_routes))
    findings = Path(os.environ.get("CRAWL_FINDINGS", root / "findings.json"))
    findings.write_text(json.dumps([f.__dict__ for f in crawl.findings], indent=1))
    print(f"every finding: {findings}")

    unreached = get_routes - crawl.reached - UNCRAWLED.keys()
    lines = [f"{f.check} [{f.role}] {f.url} ({f.endpoint}): {f.detail}" for f in crawl.findings]
    assert not unreached, f"GET routes no role's crawl reaches: {sorted(unreached)}"
    assert not lines, f"{len(lines)} problems:\n" + "\n".join(lines)
