"""Security headers on every response (pages from Flask, files from WhiteNoise), the
trusted-proxy setting, and the development mail flush."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, Response, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

# The one inline script GOV.UK Frontend's page template carries (it marks the body as
# JavaScript-enabled); allowed by its hash so that no other inline script can run.
GOVUK_INLINE_SCRIPT_HASH = "'sha256-GUQ5ad8JK5KmEWmROf3LZd9ge94daqNvd8xy9YS1iDw='"

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        f"script-src 'self' {GOVUK_INLINE_SCRIPT_HASH}",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


# Every feature the OWASP Secure Headers Project's recommended policy turns off (its
# ci/headers_add.json, 2024-07-19): the portal uses none of them. Synchronous XHR stays
# allowed for the portal's own scripts, as that policy has it.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()" if feature != "sync-xhr" else "sync-xhr=(self)"
    for feature in (
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
        "sync-xhr",
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
    )
)

HSTS = "max-age=31536000; includeSubDomains"


def security_headers(config: Mapping) -> dict[str, str]:
    """The headers every response carries, pages and static files alike."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        # Emailed links carry tokens in their path: never send them to another site.
        "Referrer-Policy": "same-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        "Cross-Origin-Opener-Policy": "same-origin",
        # No other site may load the portal's pages or files into its own (Spectre-style
        # reads of a response loaded as an image or script).
        "Cross-Origin-Resource-Policy": "same-origin",
    }
    if config.get("HSTS"):
        headers["Strict-Transport-Security"] = HSTS
    return headers


def add_headers(response: Response) -> Response:
    headers = response.headers
    for name, value in security_headers(current_app.config).items():
        headers.setdefault(name, value)
    if response.mimetype == "text/html":
        headers.setdefault("Cache-Control", "no-store")
    return response


def flush_outbox_after(response: Response) -> Response:
    """Development only: deliver queued email once the response is done."""
    app = current_app._get_current_object()

    def deliver() -> None:
        from app.mail.services import deliver_pending

        with app.app_context():
            deliver_pending()

    response.call_on_close(deliver)
    return response


def trust_proxies(app: Flask) -> None:
    """Behind TRUSTED_PROXIES proxies, take the client's address and scheme from the
    X-Forwarded-For and X-Forwarded-Proto entries they added, and only those: an entry a
    client wrote itself sits further left and is ignored. The sign-in limits count by
    address, so without this every visitor shares the load balancer's one limit."""
    count = app.config.get("TRUSTED_PROXIES", 0)
    if count:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def register(app: Flask) -> None:
    app.after_request(add_headers)
    trust_proxies(app)
    if app.config.get("MAIL_SEND_AFTER_REQUEST"):
        app.after_request(flush_outbox_after)
