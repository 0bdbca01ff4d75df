"""Jinja set up to render the portal's pages with less Python per request.

A page's CPU time is mostly its templates (bench/README.md), and most of that is the GOV.UK
macros. Nothing here changes what a page says: each piece gives the same HTML for less work,
and `tests/web/test_templating.py` holds it to that.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, MutableMapping
from typing import Any

from flask import Flask
from flask.templating import Environment
from jinja2 import Template
from jinja2.environment import TemplateModule
from jinja2.filters import do_indent
from jinja2.runtime import Context, new_context
from markupsafe import Markup


def _flat(template_globals: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    """A template's globals (a ChainMap of its own over the environment's) as one dict."""
    if not isinstance(template_globals, ChainMap):
        return template_globals
    flat: dict[str, Any] = {}
    for mapping in reversed(template_globals.maps):
        flat.update(mapping)
    return flat


class PortalTemplate(Template):
    """Jinja's template, without looking its globals up one name at a time in Python.

    A template's globals are a ChainMap, which Jinja reads name by name in Python: when it
    makes a context (`dict(globals, **vars)`, then `set(globals)`) and, worse, at every
    `{% from ... import %}`, where it asks whether the importing template has globals the
    imported one lacks by testing each name against the ChainMap. The GOV.UK macros import
    their parts inside each macro, so a form page runs some 270 imports and 7,000 of those
    tests: 15 % of the call screen's CPU. Here the same questions are put to the ChainMap's
    dicts in C, with the same answers. (Jinja pull request #2185 does the first part.)
    """

    def new_context(
        self,
        vars: dict[str, Any] | None = None,
        shared: bool = False,
        locals: Mapping[str, Any] | None = None,
    ) -> Context:
        return new_context(
            self.environment, self.name, self.blocks, vars, shared, _flat(self.globals), locals
        )

    def _get_default_module(self, ctx: Context | None = None) -> TemplateModule:
        if ctx is not None:
            maps = self.globals.maps if isinstance(self.globals, ChainMap) else [self.globals]
            if ctx.globals_keys.difference(*maps):
                # Globals this template lacks: Jinja makes a module of its own for them.
                return super()._get_default_module(ctx)
        return super()._get_default_module()


#: What `getattr` finds on a plain dict: its class's attributes (a dict has no others).
DICT_ATTRIBUTES = frozenset(dir(dict))


class PortalEnvironment(Environment):
    """Flask's Jinja environment, reading `params.text` from a dict without an exception.

    Jinja reads `a.b` by trying the attribute first and the item after it, so on a dict,
    which has no such attribute, every `params.text` raised and caught an AttributeError:
    the GOV.UK macros do it 4,000 times for a form page. A plain dict's attributes are its
    class's, so a name that is not one of them goes straight to the item."""

    template_class = PortalTemplate

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


def indent(s: str, width: int | str = 4, first: bool = False, blank: bool = False) -> str:
    """Jinja's `indent` filter, on the markup's text and marked safe once at the end.

    The GOV.UK macros indent every nested component's HTML, level after level; on markup
    Jinja's filter made and escaped a new Markup for each line (its indent is not escaped
    either: the same text, for a fraction of the work)."""
    if isinstance(s, Markup):
        return Markup(do_indent(str(s), width, first, blank))
    return do_indent(s, width, first, blank)


def register(app: Flask) -> None:
    """Before anything renders: the environment is made when first used, and a template
    keeps the class it was loaded with."""
    if "jinja_env" in app.__dict__:
        raise RuntimeError("templating.register must run before the Jinja environment is made")
    app.jinja_environment = PortalEnvironment
    # The portal's few hundred templates stay loaded: Jinja's default, a 400-entry LRU
    # cache, reorders a queue of every template on each of a page's 300 look-ups.
    app.jinja_options = {**app.jinja_options, "cache_size": -1}
    app.jinja_env.filters["indent"] = indent
