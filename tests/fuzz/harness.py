"""What every fuzz test shares: its Hypothesis settings, a client signed in as any user of the
access matrix's world, and each generated example rolled back so that the next one meets the
same world."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, settings

from app.extensions import db
from app.policy import ANONYMOUS
from tests.access.core import World
from tests.helpers import sign_in


def fuzz_settings(max_examples: int) -> settings:
    """Deterministic and small: every route and form gets a handful of examples, the whole
    run stays well under two minutes, and a failure reproduces on the next run."""
    return settings(
        max_examples=max_examples * int(os.environ.get("DEEP", "1")),
        derandomize=not os.environ.get("DEEP"),
        database=None,
        deadline=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
        ],
        phases=[Phase.explicit, Phase.reuse, Phase.generate]
        if os.environ.get("NOSHRINK")
        else list(Phase),
    )


# Each form's submissions; each route's arguments and query strings (fewer: a page's
# queries mostly meet one or two parsing functions, a form many fields).
SUBMISSIONS = fuzz_settings(12)
ADDRESSES = fuzz_settings(8)


def client_as(app: Flask, world: World, role: str) -> FlaskClient:
    client = app.test_client()
    if role != ANONYMOUS:
        sign_in(client, world.users[role])
    return client


@contextmanager
def rolled_back() -> Iterator[None]:
    """Whatever the requests in the block commit (savepoints of the test's transaction) is
    undone afterwards."""
    savepoint = db.session.begin_nested()
    db.session.connection()  # the SAVEPOINT is emitted lazily: now, before any request
    try:
        yield
    finally:
        savepoint.rollback()
        db.session.expire_all()
