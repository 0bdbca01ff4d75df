"""JSON in, the portal's own forms to check it: the API refuses exactly what the pages refuse,
with the same message on the same field (no second copy of any rule)."""

from __future__ import annotations

import datetime as dt
import re

from app.api.problems import ApiProblem

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def json_body() -> dict:
    from flask import request

    if not request.is_json:
        raise ApiProblem(415, "Send the body as application/json.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ApiProblem(400, "The body must be a JSON object.")
    return body


def text(value) -> str:
    """A JSON scalar as the text a person would have typed; anything else is a bad request."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float | str):
        return str(value)
    raise ApiProblem(400, "Each field must be a string, a number, a boolean or null.")


def date_parts(value) -> list[str]:
    """An ISO date as the three boxes of a GOV.UK date input (day, month, year); anything else
    as a date the form calls not real."""
    if value in (None, ""):
        return ["", "", ""]
    match = ISO_DATE.match(str(value)) if isinstance(value, str) else None
    if match is None:
        return ["x", "x", "xxxx"]
    year, month, day = match.groups()
    return [day, month, year]


def form_errors(form, names: dict[str, str] | None = None) -> list[dict]:
    """The form's errors as `{"field", "message"}`, fields named as the API names them."""
    names = names or {}
    return [
        {"field": names.get(field, field), "message": str(message)}
        for field, messages in form.errors.items()
        for message in messages
    ]


def refuse(form, names: dict[str, str] | None = None) -> ApiProblem:
    return ApiProblem(422, "The request has errors: see errors.", form_errors(form, names))


def iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
