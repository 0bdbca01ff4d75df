"""Security headers on every response, and the development mail flush."""

from __future__ import annotations

from flask import Flask, Response, current_app

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


def add_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    # Emailed links carry tokens in their path: never send them to another site.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
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


def register(app: Flask) -> None:
    app.after_request(add_headers)
    if app.config.get("MAIL_SEND_AFTER_REQUEST"):
        app.after_request(flush_outbox_after)
