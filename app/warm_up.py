"""After a process's first requests, move what they left alive out of the garbage
collector's sight.

A warm process holds a large, long-lived heap (compiled templates, the kept chrome and form
fields, SQLAlchemy's mappers and statement cache, both translation catalogues). CPython's
full collection walks all of it: at `SCALE=1` the account page paid about 120 ms for it about
every eleventh request, its whole p95. `gc.freeze()` after warm-up puts those objects in a
permanent generation the collector skips; what requests allocate later is collected as
before. A collection first, so no garbage is frozen.
"""

from __future__ import annotations

import gc

from flask import Flask


def register(app: Flask) -> None:
    after = app.config.get("GC_FREEZE_AFTER_REQUESTS", 0)
    if not after:
        return
    served = {"requests": 0}

    @app.teardown_request
    def _freeze_once_warm(_error: BaseException | None) -> None:
        served["requests"] += 1
        # Equality, not >=: it happens once per process (a second freeze under a race
        # between threads would only freeze the few objects made in between).
        if served["requests"] == after:
            gc.collect()
            gc.freeze()
