"""What every form gets from `app.forms`: text answers cleaned of the characters nobody
types (search boxes' words too), a required answer that cleaning leaves empty refused like a
missing one, and dates that are real and in a year someone means."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from app.forms import (
    PortalForm,
    clean_text,
    date_input,
    required,
    search_words,
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
