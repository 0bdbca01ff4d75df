"""Steps the browser journeys share: a candidate to work on, signing in and out, and reading
emailed links."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from tests.referral_factories import adviser_in, fitting_customer, live_vacancy, referral

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


def one_candidate(tag: str) -> dict:
    """An employer's live vacancy with one customer referred by an adviser, committed for the
    live portal; names carry `tag`, so journeys sharing the portal find only their own."""
    vacancy = live_vacancy(job_title=f"Picker {tag}")
    employer = vacancy.organisation.memberships[0].user
    employer.email = f"employer{tag}@example.org"
    adviser = adviser_in(vacancy.district, email=f"adviser{tag}@jcp.example")
    customer = fitting_customer(vacancy, adviser, first_name="Grace", last_name=f"Okafor {tag}")
    referral(vacancy, customer)
    db.session.commit()
    return {
        "employer": employer.email,
        "adviser": adviser.email,
        "job": vacancy.job_title,
        "customer": customer.name,
    }
