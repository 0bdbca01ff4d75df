"""A nearly strict Jinja `Undefined`: a template that uses a variable the view never passed
fails loudly in the tests instead of rendering an empty string.

Still allowed, because templates and the GOV.UK macros mean them: `is defined` and
`|default(...)`; `{% if x %}` (an undefined value is false); and reading a missing key of a
dict (the GOV.UK macros' `params.hint`), which behaves as Jinja's lenient default does.
Printing, iterating, measuring, comparing or calling a missing variable raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jinja2

# Lenient, as Jinja's default is, besides a missing key of a dict (the GOV.UK macros'
# params): `undefined` and `null`, which the GOV.UK macros compare values with as if they
# were JavaScript's, and a form's csrf_token where CSRF is turned off (the tests).
LENIENT_NAMES = frozenset({"undefined", "null", "csrf_token"})


class PortalUndefined(jinja2.Undefined):
    """Jinja's `Undefined` made strict where `StrictUndefined` is (printing, iterating,
    measuring, comparing, `in`), but for the lenient cases above. Reading an attribute of
    a missing value, calling it or doing arithmetic with it raises in `Undefined` already."""

    __slots__ = ()

    def _lenient(self) -> bool:
        return isinstance(self._undefined_obj, dict) or self._undefined_name in LENIENT_NAMES

    def __str__(self) -> str:
        if self._lenient():
            return ""
        self._fail_with_undefined_error()

    def __iter__(self) -> Iterator[Any]:
        if self._lenient():
            return iter(())
        self._fail_with_undefined_error()

    def __len__(self) -> int:
        if self._lenient():
            return 0
        self._fail_with_undefined_error()

    def __contains__(self, item: object) -> bool:
        if self._lenient():
            return False
        self._fail_with_undefined_error()

    def __eq__(self, other: object) -> bool:
        if self._lenient() or isinstance(other, jinja2.Undefined):
            return type(self) is type(other)
        self._fail_with_undefined_error()

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return id(type(self))
