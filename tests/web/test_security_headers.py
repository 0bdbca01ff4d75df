"""The security headers on pages and on static files, and the trusted-proxy setting."""

from __future__ import annotations

import pytest

from app.assets import load_manifest
from tests.web.test_pages import production_app  # noqa: F401 - a fixture
from tests.web.test_sign_in import separate_app, sign_in_form

# The OWASP Secure Headers Project's recommended Permissions-Policy (ci/headers_add.json).
OWASP_FEATURES = [
    "accelerometer",
    "autoplay",
    "camera",
    "cross-origin-isolated",
    "display-capture",
    "encrypted-media",
    "fullscreen",
    "geolocation",
    "gyroscope",
    "keyboard-map",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "publickey-credentials-get",
    "screen-wake-lock",
    "usb",
    "web-share",
    "xr-spatial-tracking",
    "clipboard-read",
    "clipboard-write",
    "gamepad",
    "hid",
    "idle-detection",
    "interest-cohort",
    "serial",
    "unload",
]

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Permissions-Policy",
    "Cross-Origin-Opener-Policy",
    "Cross-Origin-Resource-Policy",
)


def permissions(response) -> dict[str, str]:
    policy = response.headers["Permissions-Policy"]
    return dict(part.strip().split("=", 1) for part in policy.split(","))


def static_file(client, name: str = "app.css"):
    response = client.get("/static/dist/" + load_manifest()[name])
    response.close()
    assert response.status_code == 200
    return response


def test_pages_may_be_loaded_only_by_this_site(client):
    assert client.get("/sign-in").headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_every_feature_owasp_lists_is_turned_off(client):
    policy = permissions(client.get("/sign-in"))
    for feature in OWASP_FEATURES:
        assert policy.get(feature) == "()", feature
    assert policy["sync-xhr"] == "(self)"


@pytest.mark.parametrize("name", ["app.css", "app.mjs"])
def test_static_files_carry_the_same_security_headers_as_pages(client, name):
    page = client.get("/sign-in")
    response = static_file(client, name)
    for header in SECURITY_HEADERS:
        assert response.headers.get(header) == page.headers[header], header


def test_static_files_carry_hsts_in_production(production_app):  # noqa: F811
    response = static_file(production_app.test_client())
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


# Behind a load balancer


def attempt(application, forwarded_for: str) -> int:
    client = application.test_client()
    client.environ_base["REMOTE_ADDR"] = "10.0.0.1"  # the load balancer
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    email = f"{forwarded_for}@example.org".replace(" ", "")
    return sign_in_form(client, email, "a guess").status_code


def test_behind_a_trusted_proxy_each_visitor_has_their_own_sign_in_limit():
    with separate_app(
        RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=1
    ) as application:
        assert [attempt(application, "198.51.100.7") for _ in range(3)] == [200, 200, 429]
        assert attempt(application, "203.0.113.9") == 200
        # A client cannot pose as someone else: the proxy appends the real address.
        assert attempt(application, "203.0.113.9, 198.51.100.7") == 429


def test_without_trusted_proxies_the_forwarded_address_is_ignored():
    with separate_app(RATELIMIT_ENABLED=True, SIGN_IN_RATE_LIMIT="2 per minute") as application:
        assert [attempt(application, "198.51.100.7") for _ in range(2)] == [200, 200]
        assert attempt(application, "203.0.113.9") == 429
