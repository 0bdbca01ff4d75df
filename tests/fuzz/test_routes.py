"""Every route receives hostile addresses: never a 500, never a traceback.

Its arguments first: each in turn gets hostile values while the others stay those of the
access matrix's records, so the view really runs. An id that is not a UUID matches no route
(404); a UUID of no record is a 404 from the view (another record's id gets whatever the
view makes of it, never a 500); a token or a figure name that means nothing is a 400 or a
404.

Then, for a page, its query string. The keys the page reads are found by watching it: a
plain visit records every key the view asks `request.args` for, and the page's GET forms
(filters) and links (pages, sorting) add theirs. Each key in turn gets the values that
break most parsers, then Hypothesis sends those keys and some the page never heard of,
with hostile values, repeated, sometimes as an HTMX request. The page answers 200 (the
filter ignored, or shown again with a message), 400 or 404, or sends the visitor elsewhere.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit

import pytest
from flask import Flask, Request
from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from tests.access.core import World
from tests.fuzz import table_state
from tests.fuzz.cases import (
    ARGUMENT_ENDPOINTS,
    GET_ENDPOINTS,
    ROLE_PREFERENCE,
    RULES,
    URL_MAP,
    roles_for,
)
from tests.fuzz.form_shapes import forms_on, parse
from tests.fuzz.harness import ADDRESSES, client_as, rolled_back
from tests.fuzz.hostile import DATE_PARTS, IDS, NUMBERS, WireValue, hostile_text
from tests.test_access_matrix import ROUTES

pytestmark = pytest.mark.fuzz

ROUTE_ENDPOINTS = sorted(set(ARGUMENT_ENDPOINTS) | set(GET_ENDPOINTS))
# What a page may answer an address it cannot use: itself with the nonsense ignored or a
# message, elsewhere, a malformed request, nothing there.
ANSWERS = frozenset({200, 302, 303, 400, 404})

# Path segments sent as they are: traversal, encoded NUL and slash, a query or fragment mark.
RAW_SEGMENTS = ["..", "../..", "%2e%2e", "%00", "%2F", "a%2Fb", ".", "%20", "+", "%25", "%3F", "~"]
# A NUL byte (PostgreSQL refuses it in text) among LIKE wildcards, and a number too large
# for any column (an offset, a year).
SWEEP = ["Zoë\x00%_'", "9" * 30]
# Keys pages commonly read, and one too long for any.
UNKNOWN_KEYS = ["page", "sort", "order", "q", "status", "next", "format", "id", "x" * 200]


def route_arguments(endpoint: str, world: World) -> tuple[str, dict[str, str]]:
    """The matrix row's method and its URL's arguments, as they appear in the path."""
    row = ROUTES[endpoint]
    path = row.url(world).split("?")[0]
    _matched, arguments = URL_MAP.bind("localhost").match(path, method=row.method)
    return row.method, {name: str(value) for name, value in arguments.items()}


def path_with(rule: Rule, arguments: dict[str, str]) -> str:
    """The rule's path with each argument's segment (already encoded) put in."""
    return re.sub(
        r"<(?:[^<>]*:)?(\w+)>", lambda placeholder: arguments[placeholder.group(1)], rule.rule
    )


def hostile_segment(valid: str, other_ids: list[str]) -> st.SearchStrategy[str]:
    encoded = hostile_text().map(lambda value: quote(value, safe=""))
    return st.one_of(
        st.sampled_from(RAW_SEGMENTS),
        st.sampled_from([quote(value, safe="") for value in IDS + NUMBERS[:20]]),
        encoded,
        st.uuids().map(str),
        st.sampled_from(other_ids),
        st.just(valid.upper()),  # the same UUID in capitals: the same record, or a 404
        st.just(valid + "0"),
        st.just(valid[:-1]),
    ).filter(lambda segment: segment != valid)


def converter_name(rule: Rule, argument: str) -> str:
    return type(rule._converters[argument]).__name__


def endpoint_at(url: str, method: str) -> str | None:
    """The route the URL reaches: a generated segment may spell a sibling's ("new")."""
    try:
        endpoint, _arguments = URL_MAP.bind("localhost").match(unquote(url), method=method)
    except HTTPException:
        return None
    return endpoint


class RecordingArgs(ImmutableMultiDict):
    """Query arguments that note every key a view asks for."""

    asked: set[str] = set()

    def __getitem__(self, key):
        RecordingArgs.asked.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None, type=None):
        RecordingArgs.asked.add(key)
        return super().get(key, default, type)

    def getlist(self, key, type=None):
        RecordingArgs.asked.add(key)
        return super().getlist(key, type)

    def __contains__(self, key) -> bool:
        RecordingArgs.asked.add(key)
        return super().__contains__(key)


def page_keys(app: Flask, world: World, endpoint: str, monkeypatch) -> tuple[str, str, dict]:
    """The first allowed role that gets the matrix row's page, its URL, and each query key
    the page uses with the values it offers for it (options, links)."""
    row = ROUTES[endpoint]
    url = row.url(world)
    allowed = [role for role in ROLE_PREFERENCE if role in row.allowed]
    for role in allowed:
        RecordingArgs.asked = set()
        with monkeypatch.context() as patch:
            patch.setattr(Request, "parameter_storage_class", RecordingArgs)
            response = client_as(app, world, role).get(url)
        if response.status_code == 200:
            break
    else:
        role = allowed[0]
    offered: dict[str, set[str]] = {key: set() for key in RecordingArgs.asked}
    for key, value in parse_qsl(urlsplit(url).query):
        offered.setdefault(key, set()).add(value)
    if response.mimetype == "text/html":
        html = response.get_data(as_text=True)
        document = parse(html)
        for form in forms_on(html, url, document):
            if form.method == "get":
                for shape in form.fields.values():
                    values = offered.setdefault(shape.name, set())
                    values.update(shape.options + [v for v in shape.values if v])
        path = urlsplit(url).path
        for link in document.iter("a"):
            target = urlsplit(urljoin(url, link.get("href") or ""))
            if target.path == path:
                for key, value in parse_qsl(target.query):
                    offered.setdefault(key, set()).add(value)
    return role, url, {key: sorted(values) for key, values in offered.items()}


@st.composite
def hostile_query(draw: st.DrawFn, offered: dict[str, list[str]]) -> list[tuple[str, WireValue]]:
    keys = sorted(offered) + UNKNOWN_KEYS
    pairs: list[tuple[str, WireValue]] = []
    for key in draw(st.lists(st.sampled_from(keys), min_size=1, max_size=4)):
        value = st.one_of(
            hostile_text(),
            st.sampled_from(NUMBERS + IDS + DATE_PARTS),
            st.sampled_from(offered.get(key) or [""]),
        )
        pairs.extend((key, draw(value)) for _ in range(draw(st.integers(1, 3))))
    return pairs


def test_query_keys_are_found_by_watching_the_view(app, world, monkeypatch):
    """The discovery itself works: the vacancy list reads its filters and its page."""
    _role, _url, offered = page_keys(app, world, "vacancies.list", monkeypatch)
    assert {"q", "status", "page"} <= set(offered)


@pytest.mark.parametrize("endpoint", ROUTE_ENDPOINTS)
def test_hostile_addresses_get_400_or_404_never_500(app: Flask, world, endpoint, monkeypatch):
    if RULES[endpoint].arguments:
        fuzz_route_arguments(app, world, endpoint)
    if "GET" in RULES[endpoint].methods:
        fuzz_query_string(app, world, endpoint, monkeypatch)


def fuzz_route_arguments(app: Flask, world: World, endpoint: str) -> None:
    rule = RULES[endpoint]
    method, valid = route_arguments(endpoint, world)
    role = roles_for(endpoint)[0]
    other_ids = sorted(
        {str(record.id) for record in world.records.values()} - set(valid.values())
    ) or [str(uuid.uuid4())]

    posting = method == "POST"
    before = table_state.capture() if posting else {}  # each example is rolled back to it

    @ADDRESSES
    @given(data=st.data())
    def visit(data: st.DataObject) -> None:
        argument = data.draw(st.sampled_from(sorted(valid)), label="argument")
        segment = data.draw(hostile_segment(valid[argument], other_ids), label="segment")
        url = path_with(rule, {**valid, argument: segment})
        with rolled_back():
            response = client_as(app, world, role).open(
                url, method=method, data=ROUTES[endpoint].data
            )
            after = table_state.capture() if posting else {}
        status = response.status_code
        assert status < 500, f"{method} {url[:200]}: {status}"
        reached = endpoint_at(url, method)
        if reached not in (endpoint, None):
            return  # another route's URL: its own test fuzzes it
        kind = converter_name(rule, argument)
        unknown = segment.lower() not in (valid[argument], *other_ids)
        if reached is None or (kind == "UUIDConverter" and unknown):
            assert status == 404, f"{method} {url[:200]}: {status}, not 404"
        else:
            assert status in ANSWERS | {403}, f"{method} {url[:200]}: {status}"
        if posting and status not in (301, 302, 303):
            changed = [
                c for c in table_state.changes(before, after) if not table_state.is_a_look(c)
            ]
            assert not changed, f"{url[:200]} changed {[str(c) for c in changed]}"

    visit()


def fuzz_query_string(app: Flask, world: World, endpoint: str, monkeypatch) -> None:
    role, url, offered = page_keys(app, world, endpoint, monkeypatch)
    path = urlsplit(url).path
    kept = parse_qsl(urlsplit(url).query)  # the row's own arguments (acting for an employer)

    # Every key, in turn, with what breaks most parsers: the generated examples below pick a
    # few keys each, this misses none.
    for key in sorted(offered):
        for value in SWEEP:
            others = [(name, kept_value) for name, kept_value in kept if name != key]
            target = f"{path}?{urlencode([*others, (key, value)])}"
            response = client_as(app, world, role).get(target)
            assert response.status_code in ANSWERS, f"{target[:300]}: {response.status_code}"
            # Cleaned before use: a NUL byte shown back was also sent on to the database.
            assert "\x00" not in response.get_data(as_text=True), f"{target[:300]} shows a NUL"

    @ADDRESSES
    @given(data=st.data())
    def visit(data: st.DataObject) -> None:
        query = data.draw(hostile_query(offered), label="query")
        keep = data.draw(st.booleans(), label="keep the page's own arguments")
        htmx = data.draw(st.booleans(), label="as HTMX")
        target = f"{path}?{urlencode((kept if keep else []) + query)}"
        headers = {"HX-Request": "true"} if htmx else {}
        with rolled_back():
            response = client_as(app, world, role).get(target, headers=headers)
        assert response.status_code < 500, f"{target[:300]}: {response.status_code}"
        redirected_by_htmx = (
            htmx and response.status_code == 204 and "HX-Redirect" in response.headers
        )
        assert response.status_code in ANSWERS or redirected_by_htmx, (
            f"{target[:300]}: {response.status_code}"
        )

    visit()
