"""A process freezes its warm heap out of the garbage collector once, after its first
requests, when the configuration asks (production does)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from app import create_app
from config import TestConfig


@pytest.fixture
def unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def _portal(after: int):
    config = type("WarmUpConfig", (TestConfig,), {"GC_FREEZE_AFTER_REQUESTS": after})
    return create_app(config).test_client()


@pytest.mark.usefixtures("unfrozen")
def test_the_heap_is_frozen_once_after_the_configured_requests():
    client = _portal(3)
    for _ in range(2):
        assert client.get("/sign-in").status_code == 200
    assert gc.get_freeze_count() == 0
    client.get("/sign-in")
    frozen = gc.get_freeze_count()
    assert frozen > 0
    gc.unfreeze()
    client.get("/sign-in")  # the fourth request freezes nothing more
    assert gc.get_freeze_count() == 0


@pytest.mark.usefixtures("unfrozen")
def test_without_the_setting_nothing_is_frozen():
    client = _portal(0)
    for _ in range(5):
        client.get("/sign-in")
    assert gc.get_freeze_count() == 0
