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
from jinja2 import Template
from jinja2.environment import TemplateModule
from jinja2.runtime import Context, new_context


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


def register(app: Flask) -> None:
    """Before any template is loaded: a loaded template keeps the class it was made with."""
    app.jinja_env.template_class = PortalTemplate
