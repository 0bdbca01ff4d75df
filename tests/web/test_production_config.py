"""Production configuration for several processes: shared rate limits and bounded waits."""

from __future__ import annotations

import logging

import pytest

from config import ProductionConfig, production_engine_options


@pytest.fixture
def production_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("DATABASE_URL", "postgresql://portal@db/portal")


def test_memory_rate_limits_in_production_are_warned_about(
    production_environment, monkeypatch, caplog
):
    monkeypatch.setattr(ProductionConfig, "RATELIMIT_STORAGE_URI", "memory://")
    with caplog.at_level(logging.WARNING, logger="config"):
        ProductionConfig.check()
    assert "redis://" in caplog.text


def test_redis_rate_limits_in_production_are_not_warned_about(
    production_environment, monkeypatch, caplog
):
    monkeypatch.setattr(ProductionConfig, "RATELIMIT_STORAGE_URI", "redis://cache:6379/0")
    with caplog.at_level(logging.WARNING, logger="config"):
        ProductionConfig.check()
    assert caplog.text == ""


def test_a_database_that_does_not_answer_is_given_up_on_before_gunicorn_gives_up():
    options = production_engine_options("postgresql+psycopg://portal@db/portal")
    assert options["pool_pre_ping"] is True
    assert options["connect_args"]["connect_timeout"] < 30
    assert options["pool_timeout"] < 30
    # SQLite's driver has no connect_timeout; it must not be given one.
    assert "connect_args" not in production_engine_options("sqlite:////srv/portal.sqlite")
