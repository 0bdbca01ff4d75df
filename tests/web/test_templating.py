"""The cheaper ways of rendering (app/templating.py, app/i18n.py's catalogue per request,
app/forms.py's kept fields) give exactly what Jinja, Flask-Babel and the GOV.UK macros give."""

from __future__ import annotations

import pytest
from flask import g, render_template_string
from flask_babel import force_locale, gettext, refresh
from flask_babel import lazy_gettext as _l
from jinja2 import DictLoader, Environment
from markupsafe import Markup
from wtforms import Form

from app.forms import checkboxes, kept_widget_html, text_input
from app.templating import PortalEnvironment, indent

MACROS = {
    "macros.html": "{% macro shout(params) %}{{ params.text | upper }}{{ extra }}{% endmacro %}",
    "page.html": (
        '{% from "macros.html" import shout %}'
        "{{ shout(params) }}|{{ params.items is defined }}|{{ params.missing is defined }}"
        "|{{ thing.name }}|{{ thing.size }}|{{ words | indent(2) }}|{{ markup | indent(3, true) }}"
    ),
}


class Thing:
    name = "widget"

    def __getitem__(self, key):
        return f"item {key}"


@pytest.mark.parametrize("template_globals", [None, {"extra": "!"}])
def test_the_portal_environment_renders_as_jinja_does(app, template_globals):
    def render(environment_class) -> str:
        environment = environment_class(loader=DictLoader(MACROS), autoescape=True)
        if environment_class is PortalEnvironment:
            environment.filters["indent"] = indent
        template = environment.get_template("page.html", globals=template_globals)
        return template.render(
            params={"text": "hello", "items": 3},
            thing=Thing(),
            words="one\ntwo\n\nthree",
            markup=Markup("<p>\n<b>x</b>\n\n</p>"),
        )

    with app.app_context():
        portal = render(lambda **options: PortalEnvironment(app, **options))
    assert portal == render(Environment)
    assert portal.startswith("HELLO")


@pytest.mark.parametrize("width", [4, "\t", "<i>"])
@pytest.mark.parametrize("first", [False, True])
@pytest.mark.parametrize("blank", [False, True])
def test_indent_gives_jinjas_markup_for_a_fraction_of_the_work(width, first, blank):
    from jinja2.filters import do_indent

    for value in (Markup("<a>\n  <b>&amp;</b>\n\n</a>"), "a <b>\nc\n"):
        assert indent(value, width, first, blank) == do_indent(value, width, first, blank)
        assert type(indent(value, width, first, blank)) is type(
            do_indent(value, width, first, blank)
        )


def test_the_catalogue_found_once_still_follows_force_locale_and_refresh(app):
    with app.test_request_context("/?lang=cy"):
        g.pop("_flask_babel", None)
        welsh = gettext("Sign out")
        assert welsh != "Sign out"
        with force_locale("en"):
            assert gettext("Sign out") == "Sign out"
        assert gettext("Sign out") == welsh
        g._flask_babel.babel_locale = None  # as if the locale were chosen again
        refresh()
        assert gettext("Sign out") == welsh
    with app.test_request_context("/?lang=en"):
        g.pop("_flask_babel", None)
        assert gettext("Sign out") == "Sign out"


class MeasuresForm(Form):
    measures = checkboxes(_l("Measures agreed"), [("trials", "Work trials"), ("days", "Open days")])
    note = text_input("What was agreed")


def _fields(form: MeasuresForm) -> tuple[str, str]:
    return str(form.measures()), str(form.note())


def test_a_field_drawn_again_is_the_field_drawn_afresh(app):
    with app.test_request_context("/?lang=en"):
        g.pop("_flask_babel", None)
        app.extensions.pop("kept_widget_html", None)
        fresh = _fields(MeasuresForm())
        assert len(app.extensions["kept_widget_html"]) == 2
        assert _fields(MeasuresForm()) == fresh
        chosen = _fields(MeasuresForm(data={"measures": ["days"]}))
        assert chosen[0] != fresh[0] and 'value="days" checked' in chosen[0]
        app.extensions.pop("kept_widget_html")
        assert _fields(MeasuresForm(data={"measures": ["days"]})) == chosen
    with app.test_request_context("/?lang=cy"):
        g.pop("_flask_babel", None)
        welsh = _fields(MeasuresForm())
        assert welsh != fresh


def test_what_someone_typed_and_errors_are_never_kept(app):
    with app.test_request_context("/?lang=en"):
        g.pop("_flask_babel", None)
        app.extensions.pop("kept_widget_html", None)
        form = MeasuresForm(data={"note": "Ms Jones agreed two trials"})
        assert "Ms Jones" in str(form.note())
        form.measures.errors = ["Select a measure"]
        assert "Select a measure" in str(form.measures())
        assert app.extensions.get("kept_widget_html", {}) == {}

        drawn = []

        def render():
            drawn.append(1)
            return Markup("<input>")

        typed = {"id": "x", "name": "x", "value": "typed"}
        assert kept_widget_html("govuk_frontend_wtf/input.html", typed, render) == "<input>"
        assert kept_widget_html("govuk_frontend_wtf/input.html", typed, render) == "<input>"
        assert kept_widget_html("govuk_frontend_wtf/password.html", {"id": "p"}, render)
        assert len(drawn) == 3


@pytest.mark.parametrize("language", ["en", "cy"])
@pytest.mark.parametrize("status", ["draft", "submitted", "live", "filled", "withdrawn"])
def test_a_vacancys_written_out_tag_is_the_govuk_tag(app, status, language):
    with app.test_request_context(f"/?lang={language}"):
        g.pop("_flask_babel", None)
        written = render_template_string(
            '{% from "vacancies/_macros.html" import status_tag %}{{ status_tag(status) }}',
            status=status,
        )
        govuk = render_template_string(
            '{% from "govuk_frontend_jinja/components/tag/macro.html" import govukTag %}'
            '{% from "vacancies/_macros.html" import status_text %}'
            '{% set colours = {"draft": "govuk-tag--grey", "submitted": "govuk-tag--light-blue",'
            ' "live": "govuk-tag--green", "filled": "govuk-tag--purple",'
            ' "withdrawn": "govuk-tag--orange"} %}'
            '{{ govukTag({"text": status_text(status), "classes": colours[status]}) }}',
            status=status,
        )
    assert written == govuk
