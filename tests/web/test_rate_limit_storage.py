"""Redis, where the rate-limit counters live, stops answering: sign-in, registration and
password reset carry on with counters in each process and a logged warning, instead of
answering 500. (tests/system/test_redis_outage.py stops a real Redis under gunicorn.)"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator

import pytest
from flask import Flask

from app.extensions import limiter
from config import ProductionConfig
from tests.factories import PASSWORD, UserFactory
from tests.helpers import post_form
from tests.web.test_sign_in import (
    assert_too_many_attempts,
    is_signed_in,
    separate_app,
    sign_in_form,
)

UNREACHABLE = "Rate limit storage unreachable"


def port_nobody_listens_on() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down_app() -> Iterator[Flask]:
    # Flask-Limiter keeps whether its storage is dead on the (shared) limiter object.
    saved = {name: getattr(limiter, name) for name in ("_storage_dead", "_fallback_limiter")}
    try:
        with separate_app(
            RATELIMIT_ENABLED=True,
            RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{port_nobody_listens_on()}/0",
            SIGN_IN_RATE_LIMIT="3 per minute",
            SIGN_IN_ACCOUNT_FAILURE_LIMIT="5 per minute",
        ) as application:
            yield application
    finally:
        for name, value in saved.items():
            setattr(limiter, name, value)


def test_production_falls_back_to_counting_in_each_process():
    assert ProductionConfig.RATELIMIT_IN_MEMORY_FALLBACK_ENABLED is True
    assert ProductionConfig.RATELIMIT_STORAGE_OPTIONS["socket_connect_timeout"] <= 2


def test_signing_in_works_while_redis_is_down_and_says_so_in_the_log(redis_down_app, caplog):
    user = UserFactory()
    client = redis_down_app.test_client()

    with caplog.at_level(logging.WARNING):
        response = sign_in_form(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)
    assert UNREACHABLE in caplog.text


def test_while_redis_is_down_the_limits_still_hold_within_the_process(redis_down_app):
    client = redis_down_app.test_client()
    for _ in range(3):
        assert sign_in_form(client, "someone@example.org", "not the password").status_code == 200
    assert_too_many_attempts(sign_in_form(client, "someone@example.org", "not the password"))


@pytest.mark.parametrize(
    ("url", "data", "status"),
    [
        ("/forgot-password", {"email": "someone@example.org"}, 200),
        ("/register/resend-link", {"email": "someone@example.org"}, 302),
        ("/register", {"organisation_name": "Kirkgate Bakery"}, 200),
    ],
)
def test_the_forms_that_send_email_work_while_redis_is_down(redis_down_app, url, data, status):
    client = redis_down_app.test_client()
    assert post_form(client, url, data).status_code == status
