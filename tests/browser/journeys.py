"""Steps the browser journeys share: signing in and out, and reading emailed links."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage

if TYPE_CHECKING:
    from tests.browser.conftest import LiveServer


def sign_in(page: Any, email: str, password: str, check: Callable[[Any], None]) -> None:
    page.goto("/sign-in")
    check(page)
    page.get_by_label("Email address").fill(email)
    # exact: with JavaScript on, GOV.UK's password input adds a "Show password" button.
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()


def sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/signed-out")


def emailed_link(live_server: LiveServer, recipient: str, kind: str, path: str) -> str:
    """The `path` link in the newest `kind` email to `recipient` in the live app's outbox."""

    def newest_body() -> str | None:
        return db.session.scalar(
            select(OutboxMessage.text_body)
            .where(OutboxMessage.recipient == recipient, OutboxMessage.kind == kind)
            .order_by(OutboxMessage.created_at.desc())
            .limit(1)
        )

    body = live_server.query(newest_body)
    assert body is not None, f"no {kind} email to {recipient} in the outbox"
    match = re.search(rf"{re.escape(live_server.url)}{re.escape(path)}/\S+", body)
    assert match, f"no {path} link in the {kind} email:\n{body}"
    return match.group(0)
