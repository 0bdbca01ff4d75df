import datetime as dt

from flask import render_template_string
from werkzeug.datastructures import MultiDict

from app.agreements.forms import AgreementForm
from app.agreements.models import Channel, Measure

VALID = {
    "agreed_on": ["2", "11", "2026"],
    "channel": "phone",
    "priority_groups": ["1", "2"],
    "work_trials_agreed": "y",
    "work_trials_places": "4",
    "open_days_agreed": "y",
    "open_days_details": "Spring recruitment day",
}


def _form(app, fields: dict) -> AgreementForm:
    data = MultiDict()
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(key, item)
    with app.test_request_context(method="POST", data=data):
        form = AgreementForm()
        form.validate()
        return form


def test_agreement_form_turns_ticked_measures_into_terms(app):
    form = _form(app, VALID)
    assert form.errors == {}
    terms = form.to_terms()
    assert terms.agreed_on == dt.date(2026, 11, 2)
    assert terms.channel is Channel.PHONE
    assert terms.priority_groups == [1, 2]
    assert [(m.measure, m.places, m.details) for m in terms.measures] == [
        (Measure.WORK_TRIALS, 4, ""),
        (Measure.OPEN_DAYS, None, "Spring recruitment day"),
    ]


def test_agreement_form_needs_a_measure_and_places_for_counted_measures(app):
    form = _form(app, {**VALID, "open_days_agreed": "", "work_trials_places": ""})
    assert "Enter how many places were agreed" in str(form.errors["work_trials_places"])
    none_ticked = _form(app, {k: v for k, v in VALID.items() if not k.endswith("_agreed")})
    assert "Select at least one measure" in str(none_ticked.errors["work_trials_agreed"])


def test_agreement_fields_render_every_measure(app):
    with app.test_request_context():
        html = render_template_string(
            '{% include "agreements/_agreement_fields.html" %}', form=AgreementForm()
        )
    for measure in Measure:
        assert f'name="{measure.value}_agreed"' in html
    assert 'id="agreed_on"' in html


def test_an_impossible_date_gets_a_gov_uk_message(app):
    form = _form(app, {**VALID, "agreed_on": ["31", "2", "2026"]})
    assert [str(e) for e in form.errors["agreed_on"]] == ["Enter a real date, like 23 11 2026"]


def test_a_date_with_missing_boxes_still_renders(app):
    form = _form(app, {**VALID, "agreed_on": ["2"]})
    with app.test_request_context():
        html = render_template_string(
            '{% include "agreements/_agreement_fields.html" %}', form=form
        )
    assert 'id="agreed_on"' in html, html[:1500]
    assert 'id="agreed_on-group"' in html
