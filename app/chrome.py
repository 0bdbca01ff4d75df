"""The page chrome (service navigation, phase banner, footer) rendered once per distinct
input and reused: the GOV.UK macros cost a few milliseconds a page, and their output
depends only on the words and links passed in.

`{% call cached_chrome("name", inputs...) %}…{% endcall %}` renders the block the first
time these inputs (resolved to plain strings, so the language is part of them) are seen in
this process and returns the stored HTML after. Anything per user or per request (a name, a
CSRF token) must stay outside the block.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

#: Most fragments kept: roles × languages × sections is a few hundred.
LIMIT = 2000

_fragments: dict[tuple, Markup] = {}


def _plain(value: Any) -> Any:
    """A hashable, fully resolved copy of a macro's inputs (lazy strings made str)."""
    if isinstance(value, dict):
        return tuple(sorted((str(key), _plain(item)) for key, item in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_plain(item) for item in value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def cached_chrome(name: str, *inputs: Any, caller: Callable[[], str]) -> Markup:
    key = (name, _plain(inputs))
    found = _fragments.get(key)
    if found is None:
        found = Markup(caller())
        if len(_fragments) >= LIMIT:
            _fragments.clear()
        _fragments[key] = found
    return found
