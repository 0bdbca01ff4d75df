"""Every page in a pseudo-Welsh where each message is wrapped in ⟦…⟧: whatever English is
left outside the brackets was written without gettext, so a Welsh reader would meet it.

Every GET route of the access matrix is fetched as its first allowed role, in a world with
a record of every kind, with the Welsh catalogue replaced by the bracketed one.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from app.extensions import db
from app.policy import ANONYMOUS
from tests.helpers import sign_in
from tests.test_access_matrix import ROUTES, build_world

WELSH = Path(__file__).parent.parent.parent / "translations/cy/LC_MESSAGES/messages.po"
OPEN, CLOSE = "⟦", "⟧"
INNERMOST = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
# Words of running English prose; the data the world's factories make (names, places,
# references, job titles) has none of them.
ENGLISH = re.compile(
    r"\b(the|and|your|you|to|of|for|with|is|are|not|this|has|have|was|will|can|"
    r"from|by|or|at|on|in|an|no|yes|all|see|back|next|previous|change|save|enter|select)\b",
    re.IGNORECASE,
)
# Deliberately not translated: each language's own name on the toggle and its question.
ALLOWED = {"English", "Cymraeg"}
# The API's reference is drawn from the OpenAPI document, which the code writes in English
# (as the JSON field names are): its own headings and notes are translated, the operations
# it describes are not.
ENGLISH_REFERENCE = {"api.docs"}


def pseudo_translations() -> Translations:
    with WELSH.open("rb") as source:
        welsh = read_po(source, locale="cy")
    pseudo = Catalog(locale="cy")
    for message in welsh:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            singular, plural = (f"{OPEN}{form}{CLOSE}" for form in message.id)
            string = tuple(singular if index == 1 else plural for index in range(6))
        else:
            string = f"{OPEN}{message.id}{CLOSE}"
        pseudo.add(message.id, string, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, pseudo)
    buffer.seek(0)
    return Translations(fp=buffer)


@pytest.fixture
def pseudo_welsh(app) -> Iterator[None]:
    cache = app.extensions["babel"].instance.domain_instance.cache
    saved = cache.get(("cy", "messages"))
    cache[("cy", "messages")] = pseudo_translations()
    try:
        yield
    finally:
        if saved is None:
            cache.pop(("cy", "messages"), None)
        else:
            cache[("cy", "messages")] = saved


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)


def data_in_the_database() -> list[str]:
    """Every text the world's records hold (what people typed), longest first: it is shown
    as typed, in whatever language it was typed in."""
    found = set()
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).all():
            found.update(text for value in row for text in _strings(value) if len(text) > 2)
    return sorted(found, key=len, reverse=True)


def english_outside_gettext(html: str, data: list[str]) -> list[str]:
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    # What a screen reader says is read too.
    labels = re.findall(r'(?:aria-label|alt|title)="([^"]*)"', body)
    body = re.sub(r"<[^>]+>", "\n", body) + "\n" + "\n".join(labels)
    body = body.replace("&#39;", "'").replace("&amp;", "&").replace("&quot;", '"')
    while INNERMOST.search(body):
        body = INNERMOST.sub(" ", body)
    for text in data:
        body = body.replace(text, " ")
    lines = (re.sub(r"\s+", " ", line).strip() for line in body.splitlines())
    return [line for line in lines if line and line not in ALLOWED and ENGLISH.search(line)]


def test_no_page_shows_english_outside_gettext(app, pseudo_welsh):
    world = build_world()
    data = data_in_the_database()
    leaks: dict[str, list[str]] = {}
    for endpoint, route in sorted(ROUTES.items()):
        if route.method != "GET" or endpoint in ENGLISH_REFERENCE:
            continue
        client = app.test_client()
        role = sorted(route.allowed)[0] if route.allowed else ANONYMOUS
        if role != ANONYMOUS and role in world.users:
            sign_in(client, world.users[role])
        url = route.url(world)
        response = client.get(url + ("&" if "?" in url else "?") + "lang=cy")
        if response.mimetype != "text/html" or response.status_code != 200:
            continue
        found = english_outside_gettext(response.get_data(as_text=True), data)
        if found:
            leaks[f"{endpoint} ({url})"] = found
    assert not leaks, "English outside gettext:\n" + "\n".join(
        f"{page}: {lines}" for page, lines in leaks.items()
    )
