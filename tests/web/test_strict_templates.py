"""The nearly strict Jinja Undefined: a variable the view never passed fails the render,
while the ways templates mean to test for one still work."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string
from jinja2 import UndefinedError


@pytest.mark.parametrize(
    "source",
    [
        "{{ missing }}",
        "{{ missing.name }}",
        "{% for x in missing %}{% endfor %}",
        "{{ missing | length }}",
        "{{ missing == 'a' }}",
        "{{ missing() }}",
        "{{ user.nickname }}",
    ],
)
def test_using_a_variable_the_view_never_passed_fails_the_render(app: Flask, source):
    with app.test_request_context(), pytest.raises(UndefinedError):
        render_template_string(source, user=object())


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{% if missing is defined %}yes{% else %}no{% endif %}", "no"),
        ("{{ missing | default('none') }}", "none"),
        ("{% if missing %}yes{% else %}no{% endif %}", "no"),
        ("[{{ params.hint }}]{% if params.hint %}hint{% endif %}", "[]"),
        ("{{ params.classes in [undefined, null, None] }}", "True"),
        ("{% for item in params.rows %}{{ item }}{% endfor %}.", "."),
        ("[{{ form.csrf_token }}]", "[]"),
    ],
)
def test_the_checks_templates_and_the_govuk_macros_make_still_work(app: Flask, source, expected):
    with app.test_request_context():
        rendered = render_template_string(source, params={}, form=object())
    assert rendered == expected
