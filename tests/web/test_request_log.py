"""Request ids and log lines: JSON in production, plain text in development, and every line
of a request carries the id the response echoes in X-Request-Id."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask import Flask

from config import configure_logging, logging_config

GENERATED = re.compile(r"[0-9a-f]{32}")


def test_a_sane_incoming_request_id_is_echoed(client):
    response = client.get("/accessibility", headers={"X-Request-Id": "Root=1-67a2b3c4-abc.def"})
    assert response.headers["X-Request-Id"] == "Root=1-67a2b3c4-abc.def"


@pytest.mark.parametrize(
    "incoming",
    [None, "", "two words", "x" * 129, "naïve", "<script>", "id;drop"],
)
def test_a_missing_or_insane_request_id_is_replaced_by_a_new_one(client, incoming):
    headers = {} if incoming is None else {"X-Request-Id": incoming}
    first = client.get("/accessibility", headers=headers).headers["X-Request-Id"]
    second = client.get("/accessibility", headers=headers).headers["X-Request-Id"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second)
    assert first != second


def test_the_request_id_is_echoed_on_a_not_found_page_too(client):
    response = client.get("/no-such-page", headers={"X-Request-Id": "abc-123"})
    assert response.status_code == 404
    assert response.headers["X-Request-Id"] == "abc-123"


@contextmanager
def portal_logging(monkeypatch, log_format: str) -> Iterator[io.StringIO]:
    """Logging configured as the portal configures it, writing to a buffer, inside the test;
    pytest's own handlers put back before the test ends."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    buffer = io.StringIO()
    monkeypatch.setattr("sys.stderr", buffer)
    root.handlers.clear()
    try:
        configure_logging({"LOG_FORMAT": log_format, "LOG_LEVEL": "INFO"})
        yield buffer
    finally:
        for handler in root.handlers:
            handler.close()
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def test_production_logs_one_json_object_per_line_with_the_request_id(app: Flask, monkeypatch):
    log = logging.getLogger("app.example")
    with portal_logging(monkeypatch, "json") as stderr:
        with app.test_request_context(headers={"X-Request-Id": "req-42"}):
            log.info("Sent %s emails", 3)
            try:
                raise ValueError("boom")
            except ValueError:
                log.exception("It failed")
        log.warning("Outside a request")

    lines = [json.loads(line) for line in stderr.getvalue().splitlines()]
    assert [line["message"] for line in lines] == [
        "Sent 3 emails",
        "It failed",
        "Outside a request",
    ]
    assert [line["request_id"] for line in lines] == ["req-42", "req-42", "-"]
    assert lines[0]["level"] == "INFO" and lines[0]["logger"] == "app.example"
    assert lines[0]["time"].endswith("+00:00")
    assert "ValueError: boom" in lines[1]["exception"]
    assert "exception" not in lines[0]


def test_development_logs_plain_text_with_the_request_id(app: Flask, monkeypatch):
    with (
        portal_logging(monkeypatch, "text") as stderr,
        app.test_request_context(headers={"X-Request-Id": "req-7"}),
    ):
        logging.getLogger("app.example").info("Hello")
    line = stderr.getvalue().strip()
    assert line.endswith("INFO app.example [req-7] Hello")
    assert not line.startswith("{")


def test_logging_is_left_alone_when_the_process_configured_its_own():
    # Under pytest the root logger has pytest's capture handlers, as a host's would be.
    before = logging.getLogger().handlers[:]
    assert before
    configure_logging({"LOG_FORMAT": "json", "LOG_LEVEL": "INFO"})
    assert logging.getLogger().handlers == before


def test_each_environment_chooses_its_log_format():
    from config import DevelopmentConfig, ProductionConfig

    assert ProductionConfig.LOG_FORMAT == "json"
    assert DevelopmentConfig.LOG_FORMAT == "text"
    for log_format in ("json", "text"):
        assert logging_config(log_format)["handlers"]["stderr"]["formatter"] == log_format
