"""Someone using the portal over HTTP: a cookie jar, the real forms, their CSRF tokens.

Production sets `__Host-` cookies with the Secure flag. A browser sends Secure cookies to a
loopback address over plain http (loopback counts as a secure context), but `requests` does
not; `LoopbackCookieJar` gives it the browser's rule, so the portal runs with its production
cookie settings untouched.
"""

from __future__ import annotations

import copy
import re
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import Cookie
from urllib.parse import urljoin, urlsplit

import requests
from requests.cookies import RequestsCookieJar

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})
REQUEST_TIMEOUT = 30


class LoopbackCookieJar(RequestsCookieJar):
    """Keeps a Secure cookie from a loopback host as one it may send back over http.

    (A cookie policy cannot do this: `requests` copies the cookies into a jar with the
    default policy for every request.)"""

    def set_cookie(self, cookie: Cookie, *args, **kwargs) -> None:
        if cookie.secure and cookie.domain in LOOPBACK_HOSTS:
            cookie = copy.copy(cookie)
            cookie.secure = False
        super().set_cookie(cookie, *args, **kwargs)


@dataclass
class Form:
    """A form on a page: where it posts, its hidden fields and the choices of its radios."""

    action: str
    hidden: dict[str, str] = field(default_factory=dict)
    radios: dict[str, list[str]] = field(default_factory=dict)


class FormParser(HTMLParser):
    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._form: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = urljoin(self.page_url, attributes.get("action") or self.page_url)
            self._form = Form(action=urlsplit(action).path + _query(action))
            self.forms.append(self._form)
        elif tag == "a" and attributes.get("href", "").startswith("/"):
            self.links.append(attributes["href"])
        elif tag == "input" and self._form is not None and "name" in attributes:
            kind = attributes.get("type", "text")
            if kind == "hidden":
                self._form.hidden[attributes["name"]] = attributes.get("value", "")
            elif kind == "radio":
                self._form.radios.setdefault(attributes["name"], []).append(
                    attributes.get("value", "")
                )

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def _query(url: str) -> str:
    query = urlsplit(url).query
    return f"?{query}" if query else ""


def page_title(html: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", html, re.S)
    return re.sub(r"\s+", " ", match.group(1)).strip() if match else ""


@dataclass(frozen=True)
class Hit:
    """One request and its answer, for the load test's figures."""

    method: str
    route: str
    status: int  # 0: no answer at all (connection refused, reset, timed out)
    seconds: float
    finished_at: float
    problem: str = ""


class Visitor:
    """One person's browser: its own cookies, pointed at one instance (`at` for another)."""

    def __init__(self, base_url: str, http: requests.Session | None = None) -> None:
        self.base_url = base_url
        if http is None:
            http = requests.Session()
            http.cookies = LoopbackCookieJar()
        self.http = http
        self.hits: list[Hit] = []

    def at(self, base_url: str) -> Visitor:
        """The same browser (same cookies) talking to another instance."""
        other = Visitor(base_url, self.http)
        other.hits = self.hits
        return other

    def request(self, method: str, path: str, route: str = "", **kwargs) -> requests.Response:
        """Send one request, never following a redirect (a test reads where it points)."""
        started = time.monotonic()
        try:
            response = self.http.request(
                method,
                self.base_url + path,
                allow_redirects=False,
                timeout=REQUEST_TIMEOUT,
                **kwargs,
            )
        except requests.RequestException as error:
            finished = time.monotonic()
            self.hits.append(
                Hit(method, route or path, 0, finished - started, finished, repr(error))
            )
            raise
        finished = time.monotonic()
        self.hits.append(
            Hit(method, route or path, response.status_code, finished - started, finished)
        )
        return response

    def get(self, path: str, route: str = "") -> requests.Response:
        return self.request("GET", path, route)

    def post(self, path: str, fields: dict, route: str = "") -> requests.Response:
        return self.request("POST", path, route, data=fields)

    def forms(self, response: requests.Response) -> list[Form]:
        parser = FormParser(response.url)
        parser.feed(response.text)
        return parser.forms

    def links(self, response: requests.Response) -> list[str]:
        parser = FormParser(response.url)
        parser.feed(response.text)
        return parser.links

    def form(self, response: requests.Response, action_pattern: str) -> Form:
        """The page's form whose action matches `action_pattern` (a regular expression)."""
        found = [form for form in self.forms(response) if re.search(action_pattern, form.action)]
        if not found:
            raise LookupError(f"no form posting to {action_pattern} on {response.url}")
        return found[0]

    def submit(
        self, response: requests.Response, action_pattern: str, answers: dict, route: str = ""
    ) -> requests.Response:
        """Fill in a form of the page just fetched and post it, CSRF token included."""
        form = self.form(response, action_pattern)
        return self.post(form.action, {**form.hidden, **answers}, route)

    def sign_in(self, email: str, password: str) -> requests.Response:
        """Through the real sign-in form; 302 when signed in, 200 with an error if not,
        429 when refused for too many attempts."""
        page = self.get("/sign-in", "/sign-in")
        return self.submit(page, r"^/sign-in", {"email": email, "password": password}, "/sign-in")


def location_path(response: requests.Response) -> str:
    """Where a redirect points, as a path on the same instance."""
    location = response.headers.get("Location", "")
    split = urlsplit(location)
    return split.path + (f"?{split.query}" if split.query else "")
