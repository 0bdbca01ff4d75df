"""The rollup property tests' one check: every rollup's stored counts equal a live count."""

from __future__ import annotations

from app.extensions import db
from app.reports import rollups


def assert_rollups_match_live_counts() -> None:
    for rollup in rollups.ROLLUPS:
        assert rollups.stored_counts(db.session, rollup) == rollups.live_counts(
            db.session, rollup
        ), rollup.name
