"""Hypothesis strategies for what a careless or malicious client may send.

Each catalogue holds the values that have broken web forms before (NUL bytes that PostgreSQL
refuses, numbers that overflow a column, dates that do not exist, ids that are not ids); the
generated text adds whatever Unicode Hypothesis comes up with.
"""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from hypothesis import strategies as st

from tests.fuzz.form_shapes import FieldShape

# A value as sent on the wire: text, or raw bytes that need not be valid UTF-8.
WireValue = str | bytes

LONG_TEXT = [
    "x" * 10_001,
    "Zoë " * 2_600,  # long and not ASCII
    "😀" * 4_000,  # four bytes a character in UTF-8
    "a\n" * 6_000,
]
CONTROL_CHARACTERS = [
    "\x00",
    "Ada\x00Lovelace",
    "\x00" * 50,
    "\x07\x08\x0b\x0c",
    "\x1b[2Jcleared",
    "\x7f",
    "tab\there",
    "line\r\nbreak",
    "\r",
    "\u0085next line",
    "\u2028separator",
    "\ufeffbyte order mark",
    "zero\u200bwidth",
    "\u202eright-to-left override",
    "\ud7ff\ue000\uffff",
]
UNICODE_TEXT = [
    "Zoë Ødegård-Łukasiewicz",
    "山田 太郎",
    "👩🏽‍💻🏳️‍🌈",
    "שלום עולם",
    "مرحبا بالعالم",
    "Ｆｕｌｌ ｗｉｄｔｈ",
    "Z̸̢̛̩a̵̗͝l̷̰̐g̶̙̈́o̴͈̕",
    "𝓜𝓪𝓽𝓱 𝓼𝓬𝓻𝓲𝓹𝓽",
    "İstanbul ǅ ß ﬁ",
    " ",
    "\u00a0\u2003\u3000",
]
MARKUP_AND_FORMATS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{ 7 * 7 }}",
    "%(name)s %s %d",
    "{0} {__class__}",
    "' OR '1'='1",
    "%",
    "_",
    "\\",
    "../../../../etc/passwd",
    "%00",
    "${jndi:ldap://example.invalid/a}",
]
NUMBERS = [
    "-1",
    "0",
    "-0",
    "1.5",
    "0.001",
    "1e3",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "2147483648",
    "-2147483649",
    "9223372036854775808",
    "9" * 40,
    "1" + "0" * 4_400,  # longer than Python's int() limit for decimal strings
    "1,000",
    "1_000",
    "١٢",  # Arabic-Indic digits, which int() accepts
    "１２",  # full-width digits
    "0x10",
    "+5",
    " 7 ",
    "12abc",
    "abc",
    "£13.50",
    "13.505",
    "0.00",
]
DATE_PARTS = ["0", "00", "31", "32", "29", "02", "13", "-1", "1", "99", "0000", "10000", "99999"]
IMPOSSIBLE_DATES = [
    ("31", "2", "2027"),
    ("29", "2", "2027"),
    ("30", "2", "2028"),
    ("31", "4", "2027"),
    ("0", "1", "2027"),
    ("1", "13", "2027"),
    ("1", "1", "0"),
    ("1", "1", "10000"),
    ("1", "1", "99999999999999999999"),
    ("-1", "-1", "-1"),
    ("1", "1", "1"),
    ("31", "12", "9999"),
    ("1.5", "1", "2027"),
    ("a", "b", "c"),
    ("٣", "١", "٢٠٢٧"),
    ("31/02/2027", "", ""),
]
IDS = [
    "not-a-uuid",
    "00000000-0000-0000-0000-000000000000",
    str(uuid.UUID(int=1)),
    "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "{12345678-1234-5678-1234-567812345678}",
    "12345678123456781234567812345678",
    "urn:uuid:12345678-1234-5678-1234-567812345678",
    "1",
    "-1",
    "1 OR 1=1",
]
TIMES = ["25:00", "12:60", "9", "09:30:00", "noon", "-1:00", "99:99", "12.30", "12:30pm"]
# White space alone in place of a radio's or select's value: WTForms' Optional took a lone
# carriage return for "no answer" and wiped the "not a valid choice" error, so it reached
# the contact log as a user id (a 500).
BLANK_CHOICES = ["\r", "\n", "\r\n", " ", "\t", "\u00a0"]
# Bytes that are not UTF-8: the server must decode them without falling over.
INVALID_UTF8: list[bytes] = [
    b"\xff\xfe",
    b"caf\xe9",
    b"\xc3(",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
]

CATALOGUE: list[str] = [
    *LONG_TEXT,
    *CONTROL_CHARACTERS,
    *UNICODE_TEXT,
    *MARKUP_AND_FORMATS,
    *NUMBERS,
    *DATE_PARTS,
    *IDS,
    *TIMES,
    "",
]


def hostile_text() -> st.SearchStrategy[WireValue]:
    """One hostile value: from the catalogue, generated Unicode (control characters
    included), or bytes that are not UTF-8."""
    return st.one_of(
        st.sampled_from(CATALOGUE),
        st.text(max_size=30),
        st.text(st.characters(max_codepoint=0x3F), min_size=1, max_size=8),  # control + ASCII
        st.sampled_from(INVALID_UTF8),
        st.integers().map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
    )


def hostile_date() -> st.SearchStrategy[tuple[str, str, str]]:
    part = st.one_of(st.sampled_from(DATE_PARTS), st.sampled_from(NUMBERS), st.text(max_size=6))
    return st.one_of(st.sampled_from(IMPOSSIBLE_DATES), st.tuples(part, part, part))


def hostile_id() -> st.SearchStrategy[str]:
    """Something in the place of a record's id or a choice's value."""
    return st.one_of(
        st.sampled_from(IDS), st.uuids().map(str), st.sampled_from(CATALOGUE), st.text(max_size=30)
    )


# What may happen to one field of an otherwise plausible submission.
MISSING, EMPTY, REPEATED, HOSTILE, LONG, CONTROL, NUMBER, DATE, CHOICE = (
    "missing",
    "empty",
    "repeated",
    "hostile",
    "long",
    "control",
    "number",
    "date",
    "choice",
)
# Names a form never had, or should not trust: mass assignment, internals, a huge name.
UNKNOWN_FIELDS = ["id", "organisation_id", "role", "status", "csrf_token", "__class__", "x" * 300]
OPERATIONS = [MISSING, EMPTY, REPEATED, HOSTILE, LONG, CONTROL, NUMBER, DATE, CHOICE]


@st.composite
def hostile_submission(
    draw: st.DrawFn, fields: dict[str, FieldShape], plausible: list[tuple[str, WireValue]]
) -> list[tuple[str, WireValue]]:
    """The plausible submission with one to three of its fields made hostile, and sometimes
    fields the form never had."""
    answers: dict[str, list[WireValue]] = {}
    for name, value in plausible:
        answers.setdefault(name, []).append(value)
    tokens = {name for name, shape in fields.items() if shape.is_csrf_token}
    names = sorted((set(answers) | set(fields)) - tokens)
    changes = st.tuples(st.sampled_from(names), st.sampled_from(OPERATIONS))
    for name, operation in draw(st.lists(changes, min_size=1, max_size=3)) if names else []:
        shape = fields.get(name)
        values = answers.get(name, [])
        answers[name] = _changed(draw, operation, shape, values)
        if not answers[name]:
            del answers[name]
    for _ in range(draw(st.integers(0, 2))):
        extra = draw(st.sampled_from(UNKNOWN_FIELDS))
        answers.setdefault(extra, []).append(draw(hostile_text()))
    return [(name, value) for name, values in answers.items() for value in values]


def _changed(
    draw: st.DrawFn, operation: str, shape: FieldShape | None, values: list[WireValue]
) -> list[WireValue]:
    count = max(1, len(values))
    if operation == MISSING:
        return []
    if operation == EMPTY:
        return [""] * count
    if operation == REPEATED:
        return [*values, *values, draw(hostile_text())]
    if operation == DATE or (shape is not None and shape.is_date and operation == HOSTILE):
        if shape is not None and shape.is_date:
            return list(draw(hostile_date()))
        return [draw(st.sampled_from(DATE_PARTS))]
    if operation == CHOICE:
        offered = shape.options if shape is not None and shape.is_choice else []
        unknown = draw(st.one_of(st.sampled_from(BLANK_CHOICES), hostile_id()))
        many = draw(st.lists(st.sampled_from(offered), max_size=3)) if offered else []
        return [*many, unknown]
    catalogue = {LONG: LONG_TEXT, CONTROL: CONTROL_CHARACTERS, NUMBER: NUMBERS}.get(operation)
    replaced = list(values) or [""]
    index = draw(st.integers(0, len(replaced) - 1))
    replaced[index] = draw(st.sampled_from(catalogue) if catalogue else hostile_text())
    return replaced


FORM_ENCODED = "application/x-www-form-urlencoded"


def form_body(pairs: list[tuple[str, WireValue]]) -> bytes:
    """The submission as a browser would encode it; bytes go through as they are."""
    return urlencode(pairs).encode("ascii")
