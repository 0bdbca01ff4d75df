"""What every form gets from `app.forms`: text answers cleaned of the characters nobody
types (search boxes' words too), a required answer that cleaning leaves empty refused like a
missing one, and dates that are real and in a year someone means."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.validators import Optional

from app.forms import (
    PortalForm,
    SingleLine,
    clean_text,
    date_input,
    is_single_line,
    password_input,
    radio_input,
    required,
    search_words,
    select_input,
    text_area,
    text_input,
)


class NoteForm(PortalForm):
    title = text_input("Title", required("Enter a title"))
    note = text_area("Note")
    due_on = date_input("Due")


def _form(app, **fields: str | list[str]) -> NoteForm:
    with app.test_request_context(method="POST", data=MultiDict(fields)):
        form = NoteForm()
        form.validate()
        return form


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("  Night shift  ", "Night shift"),
        ("Ada\x00Lovelace", "AdaLovelace"),  # PostgreSQL refuses NUL in text
        ("\x1b[2Jcleared\x07", "[2Jcleared"),
        ("first line\r\nsecond\tline", "first line\r\nsecond\tline"),
        ("\x85\x9fC1 controls\x7f", "C1 controls"),
        ("Zoë 山田 👩🏽‍💻", "Zoë 山田 👩🏽‍💻"),
    ],
)
def test_text_answers_lose_only_the_characters_nobody_types(sent, kept):
    assert clean_text(sent) == kept


def test_a_text_area_is_cleaned_too(app):
    form = _form(app, title="Shift", note="Bring\x00 boots\x0b")
    assert form.note.data == "Bring boots"


@pytest.mark.parametrize("sent", ["   ", "\r", "\x00", "\t\x07\n"])
def test_a_required_answer_that_cleaning_empties_is_no_answer(app, sent):
    form = _form(app, title=sent)
    assert form.errors == {"title": ["Enter a title"]}


def test_a_required_answer_is_kept_cleaned(app):
    form = _form(app, title=" Shift\x00 lead ")
    assert form.errors == {}
    assert form.title.data == "Shift lead"


@pytest.mark.parametrize(
    "parts",
    [
        ["1", "1", "1"],
        ["1", "1", "26"],
        ["31", "12", "9999"],
        ["1", "1", "1899"],
        ["31", "2", "2027"],
    ],
)
def test_a_date_in_no_year_anyone_means_is_not_a_real_date(app, parts):
    form = _form(app, title="Shift", due_on=parts)
    assert form.errors == {"due_on": ["Enter a real date, like 23 11 2026"]}
    assert form.due_on.data is None


def test_a_date_shown_back_has_no_characters_nobody_types(app):
    with app.test_request_context(method="POST", data=MultiDict({"due_on": ["3\x00", "1"]})):
        form = NoteForm()
        form.validate()
        html = str(form.due_on())
    assert "\x00" not in html
    assert 'value="3"' in html


def test_a_date_in_a_working_life_is_kept(app):
    form = _form(app, title="Shift", due_on=["23", "11", "2026"])
    assert form.errors == {}
    assert form.due_on.data.isoformat() == "2026-11-23"


@pytest.mark.parametrize(
    ("sent", "searched"),
    [(None, ""), ("  Zoë\x00 Ltd ", "Zoë Ltd"), ("\x00", ""), ("x" * 500, "x" * 100)],
)
def test_a_search_box_asks_for_cleaned_words(sent, searched):
    """A NUL byte in a search reached PostgreSQL, which refuses it: a 500."""
    assert search_words(sent) == searched


class ContactForm(PortalForm):
    phone = text_input("Phone number (optional)")
    password = password_input("Password")
    note = text_area("Note")


@pytest.mark.parametrize(
    "sent", ["X\r\nBcc: someone@example.com", "first\nsecond", "first\rsecond", "a\r\n\r\nb"]
)
def test_a_one_line_answer_with_a_line_break_is_refused_with_its_name(app, sent):
    form = _form(app, title=sent)
    assert form.errors == {"title": ["Title must be on one line: remove the line breaks"]}


def test_the_line_break_message_leaves_out_optional(app):
    with app.test_request_context(method="POST", data=MultiDict({"phone": "0113\n496"})):
        form = ContactForm()
        form.validate()
    assert form.errors == {"phone": ["Phone number must be on one line: remove the line breaks"]}


def test_text_areas_and_passwords_keep_their_line_breaks(app):
    data = {"note": "first\r\nsecond", "password": "pass\nword"}
    with app.test_request_context(method="POST", data=MultiDict(data)):
        form = ContactForm()
        assert form.validate()
    assert form.note.data == "first\r\nsecond"


def test_a_trailing_line_break_is_trimmed_not_refused(app):
    form = _form(app, title="Shift lead\r\n")
    assert form.errors == {}
    assert form.title.data == "Shift lead"


def _subclasses(cls: type) -> list[type]:
    return [sub for child in cls.__subclasses__() for sub in (child, *_subclasses(child))]


def test_every_one_line_field_of_every_form_refuses_line_breaks(app):
    """No form escapes: every text input of every form of the app carries the check."""
    forms = [cls for cls in _subclasses(PortalForm) if cls.__module__.startswith("app.")]
    assert len(forms) > 40  # the app's forms are all imported by now
    checked = 0
    with app.test_request_context():
        for form_class in forms:
            try:
                form = form_class(formdata=None)
            except TypeError:  # a form that needs arguments: its fields are bound the same way
                continue
            for field in form:
                if is_single_line(type(field)):
                    assert any(isinstance(v, SingleLine) for v in field.validators), field
                    checked += 1
    assert checked > 50


class OwnerForm(PortalForm):
    owner = select_input("Who does it", [("", "Me"), ("a1", "Ada")], Optional())
    channel = radio_input("How", [("phone", "Phone"), ("email", "Email")], Optional())


@pytest.mark.parametrize("sent", ["\r", "\n", " ", "\t", "nobody"])
def test_an_optional_choice_answered_with_anything_but_a_choice_is_refused(app, sent):
    for name in ("owner", "channel"):
        with app.test_request_context(method="POST", data=MultiDict({name: sent})):
            form = OwnerForm()
            form.validate()
        assert form.errors == {name: ["Select one of the options given"]}


def test_an_optional_choice_left_empty_or_missing_is_no_answer(app):
    for data in ({"owner": "", "channel": ""}, {}):
        with app.test_request_context(method="POST", data=MultiDict(data)):
            form = OwnerForm()
            assert form.validate(), form.errors
