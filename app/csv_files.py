"""CSV downloads that a spreadsheet opens safely: a cell that starts like a formula is
written as text, so a name such as `=HYPERLINK(...)` never runs."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask import Response


def csv_cell(value: object) -> str:
    # A value starting with = + - @ (or a tab or carriage return before one) would run as a
    # formula in a spreadsheet.
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_response(filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]):
    """A CSV attachment of `rows` under `header`, every cell made safe, never cached."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_cell(label) for label in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    response = Response(out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
