"""The shape of each <form> on a page: where it posts and which fields a person can send.

The fuzz tests start from what the page offers (its hidden values, its choices, the answers
already filled in) and then make it hostile, so a form's fields never need listing by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import html5lib

TEXT_TYPES = frozenset(
    {"text", "email", "tel", "number", "password", "search", "url", "date", "time", "hidden"}
)


@dataclass
class FieldShape:
    """One name in a form: its kind, the inputs that send it (a GOV.UK date sends the same
    name three times) and, for choices, the values offered."""

    name: str
    kind: str  # text, textarea, hidden, password, radio, checkbox, select, button
    values: list[str] = field(default_factory=list)  # what the page filled in, one per input
    options: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    multiple: bool = False
    input_ids: list[str] = field(default_factory=list)

    @property
    def is_choice(self) -> bool:
        return self.kind in ("radio", "checkbox", "select", "button")

    @property
    def is_csrf_token(self) -> bool:
        """`csrf_token`, or `<prefix>-csrf_token` in a form with a prefix."""
        return self.name.endswith("csrf_token")

    @property
    def is_date(self) -> bool:
        return len(self.values) == 3 and any(i.endswith("-year") for i in self.input_ids)


@dataclass
class FormShape:
    action: str  # path and query, resolved against the page's URL
    method: str
    fields: dict[str, FieldShape]

    @property
    def csrf_token(self) -> FieldShape | None:
        return next((shape for shape in self.fields.values() if shape.is_csrf_token), None)

    @property
    def path(self) -> str:
        return urlsplit(self.action).path


def parse(html: str):
    return html5lib.HTMLParser(namespaceHTMLElements=False).parse(html)


def forms_on(html: str, page_url: str, document=None) -> list[FormShape]:
    """The page's forms; pass `document` when the page is parsed already (html5lib is slow)."""
    document = parse(html) if document is None else document
    return [_shape(form, page_url) for form in document.iter("form")]


def _shape(form, page_url: str) -> FormShape:
    action = urljoin(page_url, form.get("action") or page_url)
    parts = urlsplit(action)
    fields: dict[str, FieldShape] = {}

    def shape_for(name: str, kind: str) -> FieldShape:
        return fields.setdefault(name, FieldShape(name=name, kind=kind))

    for element in form.iter():
        name = element.get("name")
        if not name or element.get("disabled") is not None:
            continue
        if element.tag == "input":
            kind = (element.get("type") or "text").lower()
            value = element.get("value") or ""
            if kind in ("radio", "checkbox"):
                shape = shape_for(name, kind)
                shape.options.append(value or "on")
                if element.get("checked") is not None:
                    shape.checked.append(value or "on")
                shape.multiple = shape.multiple or kind == "checkbox"
            elif kind in ("submit", "image"):
                shape_for(name, "button").options.append(value)
            elif kind in TEXT_TYPES:
                shape = shape_for(name, "hidden" if kind == "hidden" else "text")
                if kind == "password":
                    shape.kind = "password"
                shape.values.append(value)
                shape.input_ids.append(element.get("id") or "")
        elif element.tag == "textarea":
            shape_for(name, "textarea").values.append(element.text or "")
        elif element.tag == "select":
            shape = shape_for(name, "select")
            shape.multiple = element.get("multiple") is not None
            for option in element.iter("option"):
                value = option.get("value")
                value = option.text or "" if value is None else value
                shape.options.append(value)
                if option.get("selected") is not None:
                    shape.checked.append(value)
            if not shape.checked and shape.options and not shape.multiple:
                shape.checked.append(shape.options[0])
        elif element.tag == "button" and (element.get("type") or "submit") == "submit":
            shape_for(name, "button").options.append(element.get("value") or "")
    return FormShape(
        action=parts.path + (f"?{parts.query}" if parts.query else ""),
        method=(form.get("method") or "get").lower(),
        fields=fields,
    )
