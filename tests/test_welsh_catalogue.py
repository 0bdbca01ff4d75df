"""The Welsh catalogue covers every message of a freshly extracted template, correctly.

When this fails after a merge, its message lists the msgids to translate: run
`make messages`, translate the empty and fuzzy entries in
translations/cy/LC_MESSAGES/messages.po (terms in docs/welsh-glossary.md), run this again.
"""

from __future__ import annotations

import gettext
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).parent.parent
WELSH = ROOT / "translations/cy/LC_MESSAGES/messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|%%")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)\b")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    pot = tmp_path_factory.mktemp("messages") / "messages.pot"
    pybabel = Path(sys.executable).parent / "pybabel"
    subprocess.run(
        [str(pybabel), "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(pot), "."],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as source:
        return read_po(source)


@pytest.fixture(scope="module")
def welsh() -> Catalog:
    with WELSH.open("rb") as source:
        return read_po(source, locale="cy")


def _key(message) -> tuple:
    return (message.context, message.id if isinstance(message.id, str) else message.id[0])


def _show(ids: list) -> str:
    return "\n".join(f"  {message_id!r}" for message_id in ids)


def _forms(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def test_every_message_of_the_template_is_in_the_welsh_catalogue(template, welsh):
    missing = [m.id for m in template if m.id and welsh.get(m.id, context=m.context) is None]
    assert not missing, (
        f"{len(missing)} messages are not in the Welsh catalogue; run `make messages` and "
        f"translate them:\n{_show(missing)}"
    )


def test_every_message_is_translated_and_none_is_fuzzy(template, welsh):
    untranslated, fuzzy = [], []
    for entry in template:
        message = welsh.get(entry.id, context=entry.context) if entry.id else None
        if message is None:
            continue  # reported by the test above
        if not all(form.strip() for form in _forms(message)):
            untranslated.append(entry.id)
        elif message.fuzzy:
            fuzzy.append(entry.id)
    assert not untranslated, f"{len(untranslated)} untranslated:\n{_show(untranslated)}"
    assert not fuzzy, f"{len(fuzzy)} fuzzy (check, then remove the flag):\n{_show(fuzzy)}"


def test_plurals_have_every_welsh_plural_form(welsh):
    assert welsh.num_plurals == 6
    short = [m.id for m in welsh if m.id and m.pluralizable and len(_forms(m)) != 6]
    assert not short, _show(short)


def test_translations_keep_the_placeholders_and_markup_exactly(welsh):
    wrong = []
    for message in welsh:
        if not message.id or not message.string:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        # Every plural form carries the plural msgid's placeholders (Welsh says the number
        # in every form); the English singular may leave it out.
        source = sources[-1]
        expected = Counter(PLACEHOLDER.findall(source))
        tags = Counter(TAG.findall(source))
        for form in _forms(message):
            if not form:
                continue
            if (
                set(PLACEHOLDER.findall(form)) != set(expected)
                or Counter(TAG.findall(form)) != tags
            ):
                wrong.append(message.id)
                break
    assert not wrong, f"placeholders or markup differ from the English:\n{_show(wrong)}"


def test_babels_checkers_pass(welsh):
    problems = [f"{message.id!r}: {errors}" for message, errors in welsh.check()]
    assert not problems, "\n".join(problems)


def test_the_catalogue_carries_the_welsh_plural_rule(welsh):
    # Evaluated as gettext evaluates it, when the compiled catalogue picks a form.
    plural = gettext.c2py(welsh.plural_expr)
    assert welsh.num_plurals == 6
    assert [plural(n) for n in (0, 1, 2, 3, 4, 6, 10)] == [0, 1, 2, 3, 5, 4, 5]
