"""Plausible answers for a form's empty fields, guessed from each field's name.

A hostile value is most telling in an otherwise acceptable submission: if the rest of the
form is fine, only that value stands between the request and a saved record. Most forms
accept these guesses; `cases.py` gives the few that need more exact answers.
"""

from __future__ import annotations

import datetime as dt
import re

from app import clock
from tests.fuzz.form_shapes import FieldShape, FormShape

Submission = list[tuple[str, str | bytes]]

# (pattern in the field's name, answer); the first match wins.
TEXT_GUESSES: list[tuple[str, str]] = [
    (r"email", "fuzz.person@example.org"),
    (r"phone", "0113 496 0000"),
    (r"postcode", "LS1 4AP"),
    (r"time", "2:30pm"),
    (r"hourly_pay|pay_amount|pay\b", "13.50"),
    (r"min_hours", "16"),
    (r"max_hours", "37"),
    (r"hours", "30"),
    (r"places|positions|jobs|outcomes|count|interviews", "2"),
    (r"week", "1"),
    (r"miles", "10"),
    (r"age", "18"),
    (r"reference", "AB123456C"),
    (r"password", "gravel teapot orbit lantern"),
    (r"name", "Fuzz Person"),
]
# Dates: (pattern, days from today); the first match wins, else a fortnight ahead.
DATE_GUESSES: list[tuple[str, int]] = [
    (r"birth", -365 * 30),
    (r"claim_start", -200),
    (r"agreed_on|occurred|started_on|start_date$|^start$|left_on|completed_on", -3),
    (r"period|starts_on", 0),
]


def guess_text(name: str) -> str:
    for pattern, answer in TEXT_GUESSES:
        if re.search(pattern, name):
            return answer
    return "Fuzz answer"


def guess_date(name: str, today: dt.date) -> tuple[str, str, str]:
    offset = 14
    for pattern, days in DATE_GUESSES:
        if re.search(pattern, name):
            offset = days
            break
    day = today + dt.timedelta(days=offset)
    return str(day.day), str(day.month), str(day.year)


def _first_real_option(shape: FieldShape) -> list[str]:
    real = [option for option in shape.options if option]
    return real[:1]


def plausible_submission(
    form: FormShape, overrides: dict[str, list[str]] | None = None, today: dt.date | None = None
) -> Submission:
    """The form as a person would fill it in: what the page filled in kept, every empty
    answer guessed, the first choice taken where none is made."""
    today = today or clock.today()
    overrides = overrides or {}
    pairs: Submission = []
    for shape in form.fields.values():
        if shape.name in overrides:
            pairs.extend((shape.name, value) for value in overrides[shape.name])
            continue
        if shape.kind == "button":
            continue
        if shape.kind in ("radio", "checkbox", "select"):
            chosen = [value for value in shape.checked if value] or _first_real_option(shape)
            pairs.extend((shape.name, value) for value in chosen)
        elif shape.is_date and not any(shape.values):
            pairs.extend((shape.name, part) for part in guess_date(shape.name, today))
        elif shape.kind == "hidden":
            pairs.extend((shape.name, value) for value in shape.values)
        else:
            for value in shape.values or [""]:
                pairs.append((shape.name, value or guess_text(shape.name)))
    buttons = [shape for shape in form.fields.values() if shape.kind == "button"]
    if buttons and buttons[0].options and buttons[0].name not in overrides:
        pairs.append((buttons[0].name, buttons[0].options[0]))
    return pairs
