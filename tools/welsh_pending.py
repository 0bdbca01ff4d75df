"""Fill the Welsh catalogue from translations/pending/*.json, so parallel branches never edit it.

Each pending file maps an English msgid to its Welsh: a string, or for a plural message (keyed
by its singular) a list of Welsh's six plural forms. After `make messages` has merged the new
msgids into the catalogue, `python -m tools.welsh_pending` fills every empty entry it has a
translation for, prints what it could not fill, and removes the pending files it used up.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).parent.parent
WELSH = ROOT / "translations/cy/LC_MESSAGES/messages.po"
PENDING = ROOT / "translations/pending"


def main() -> int:
    pending_files = sorted(PENDING.glob("*.json"))
    welsh_by_msgid: dict[str, str | list[str]] = {}
    for pending in pending_files:
        welsh_by_msgid.update(json.loads(pending.read_text(encoding="utf-8")))
    with WELSH.open("rb") as source:
        catalog = read_po(source, locale="cy")
    filled = 0
    empty: list[str] = []
    for message in catalog:
        if not message.id:
            continue
        singular = message.id if isinstance(message.id, str) else message.id[0]
        current = message.string
        is_empty = not current or (isinstance(current, (list, tuple)) and not all(current))
        if not is_empty and "fuzzy" not in message.flags:
            continue
        welsh = welsh_by_msgid.get(singular)
        if welsh is None:
            empty.append(singular)
            continue
        if isinstance(message.id, (list, tuple)):
            forms = [welsh] * 6 if isinstance(welsh, str) else list(welsh)
            message.string = tuple(forms)
        else:
            message.string = welsh if isinstance(welsh, str) else welsh[0]
        message.flags.discard("fuzzy")
        filled += 1
    with WELSH.open("wb") as target:
        write_po(target, catalog, ignore_obsolete=True)
    print(f"filled {filled} Welsh messages; {len(empty)} still empty")
    for msgid in empty:
        print(f"  {msgid!r}")
    if not empty:
        for pending in pending_files:
            pending.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
