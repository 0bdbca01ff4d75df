"""The portal's one clock: every "now" and "today", in UTC and in UK time.

Deadlines, minimum-wage bands and sustainment checks all turn on the UK day, whatever the
server's time zone, so nothing else calls `datetime.now()` or `date.today()`. Tests stop the
clock here (`freeze`), once, and every area sees the same moment: a test that froze one
area's copy of "today" while another area read the wall clock failed near midnight.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# Set only by `freeze`; a module global rather than a context variable, so a live server
# thread in the browser tests sees the moment the test froze.
_frozen: dt.datetime | None = None


def now() -> dt.datetime:
    """The current instant, timezone-aware, in UTC."""
    return _frozen if _frozen is not None else dt.datetime.now(dt.UTC)


def today() -> dt.date:
    """The current day in the UK (Europe/London), whatever the server's time zone."""
    return now().astimezone(LONDON).date()


def set_frozen(moment: dt.datetime | None) -> None:
    """Stop the clock at `moment` (aware), or start it again with None."""
    global _frozen
    if moment is not None and moment.tzinfo is None:
        raise ValueError("the clock is frozen at an aware datetime, not a naive one")
    _frozen = moment.astimezone(dt.UTC) if moment is not None else None


@contextmanager
def freeze(moment: dt.datetime) -> Iterator[dt.datetime]:
    """Stop the clock at `moment` for the block, then restore what was there before."""
    before = _frozen
    set_frozen(moment)
    try:
        yield now()
    finally:
        set_frozen(before)
