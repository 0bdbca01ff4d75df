"""People using the portal at once, each in a thread with a browser of their own.

Employers post vacancies (create, then submit) and look at their lists and candidates; LMRAs
work the call-back queue (claim, log an attempt, complete); DAMs, coordinators and advisers
read portfolios, account pages and management information. Every write the portal
acknowledged (a redirect after the POST) goes in the `Ledger`, for the test to find in the
database afterwards; every answer nobody should get goes in `problems`.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import requests

from tests.system.visitors import Hit, Visitor, location_path, page_title

UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# Between two clicks: quick readers, so that fifty of them keep two cores busy.
THINK_SECONDS = (0.2, 1.0)


@dataclass(frozen=True)
class Person:
    email: str
    role: str  # employer, lmra, dam, coordinator, adviser


@dataclass
class Ledger:
    """What the portal told people it had saved."""

    drafts: dict[str, str] = field(default_factory=dict)  # vacancy id: job title
    submitted: set[str] = field(default_factory=set)
    claimed: dict[str, str] = field(default_factory=dict)  # call-back id: LMRA's email
    attempts: Counter[str] = field(default_factory=Counter)
    completed: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def writes(self) -> int:
        return (
            len(self.drafts)
            + len(self.submitted)
            + len(self.claimed)
            + sum(self.attempts.values())
            + len(self.completed)
        )


class Unexpected(Exception):
    """An answer the person should never have had; the run records it and carries on."""


class TimeUp(Exception):
    """The run is over: no new request is started, whatever step the person is on."""


def route_of(path: str) -> str:
    """The route a path belongs to, for figures by page: ids and queries dropped."""
    return re.sub(UUID, "<id>", path.split("?")[0])


class SimulatedUser(threading.Thread):
    def __init__(
        self,
        person: Person,
        password: str,
        base_url: str,
        ledger: Ledger,
        start: threading.Barrier,
        seconds: float,
        seed: int,
    ) -> None:
        super().__init__(name=person.email, daemon=True)
        self.person = person
        self.password = password
        self.visitor = Visitor(base_url)
        self.ledger = ledger
        self.start_together = start
        self.seconds = seconds
        self.random = random.Random(seed)
        self.steps = 0
        self.ends = float("inf")  # set when everyone has signed in

    @property
    def hits(self) -> list[Hit]:
        return self.visitor.hits

    def run(self) -> None:
        try:
            self.work()
        finally:
            # Closed keep-alive connections let gunicorn stop at once rather than wait.
            self.visitor.http.close()

    def work(self) -> None:
        try:
            signed_in = self.visitor.sign_in(self.person.email, self.password)
            if signed_in.status_code != 302:
                raise Unexpected(f"sign-in answered {signed_in.status_code}")
        except (Unexpected, requests.RequestException) as error:
            self.problem(f"sign-in: {error!r}")
        try:
            self.start_together.wait(timeout=120)
        except threading.BrokenBarrierError:
            self.problem("the run started without this person")
            return
        self.ends = time.monotonic() + self.seconds
        step = getattr(self, self.person.role)
        while True:
            try:
                step()
            except TimeUp:
                return
            except (Unexpected, LookupError, requests.RequestException) as error:
                self.problem(repr(error))
            self.steps += 1
            time.sleep(self.random.uniform(*THINK_SECONDS))

    def problem(self, what: str) -> None:
        with self.ledger.lock:
            self.ledger.problems.append(f"{self.person.email}: {what}")

    # --- requests that must get the answer a person expects ----------------------------------

    def on_time(self) -> None:
        if time.monotonic() >= self.ends:
            raise TimeUp

    def page(self, path: str) -> requests.Response:
        self.on_time()
        response = self.visitor.get(path, route_of(path))
        if response.status_code != 200:
            raise Unexpected(f"GET {path}: {response.status_code} {page_title(response.text)!r}")
        return response

    def send(self, page: requests.Response, action: str, answers: dict) -> str:
        """Post a form of `page`; the path the portal redirected to (its acknowledgement)."""
        form = self.visitor.form(page, action)
        self.on_time()
        response = self.visitor.post(form.action, {**form.hidden, **answers}, route_of(form.action))
        if response.status_code != 302:
            raise Unexpected(
                f"POST {form.action}: {response.status_code} {page_title(response.text)!r}"
            )
        return location_path(response)

    # --- each role -------------------------------------------------------------------------

    def employer(self) -> None:
        new = self.page("/vacancies/new")
        sites = self.visitor.form(new, r"^/vacancies/new$").radios["site"]
        site = next(value for value in sites if value != "new")
        title = f"Load {self.person.email.split('@')[0]} {self.steps}"
        saved = self.send(new, r"^/vacancies/new$", vacancy_answers(title, site))
        vacancy_id = re.fullmatch(rf"/vacancies/({UUID})", saved).group(1)
        with self.ledger.lock:
            self.ledger.drafts[vacancy_id] = title
        self.page(saved)
        if self.random.random() < 0.8:
            check = self.page(f"/vacancies/{vacancy_id}/submit")
            submitted = self.send(check, r"/submit$", {})
            if submitted != f"/vacancies/{vacancy_id}/submitted":
                raise Unexpected(f"submitting {vacancy_id} went to {submitted}")
            with self.ledger.lock:
                self.ledger.submitted.add(vacancy_id)
            self.page(submitted)
            self.page(f"/vacancies/{vacancy_id}/candidates")
        self.page(self.random.choice(["/vacancies", "/vacancies?status=submitted", "/"]))

    def lmra(self) -> None:
        queue = self.page(self.random.choice(["/call-backs", "/call-backs?show=mine"]))
        claims = [
            form
            for form in self.visitor.forms(queue)
            if re.fullmatch(rf"/call-backs/{UUID}/claim", form.action)
        ]
        if not claims:
            self.page("/live-vacancies")
            return
        claim = self.random.choice(claims)
        callback_id = claim.action.split("/")[2]
        self.on_time()
        response = self.visitor.post(claim.action, claim.hidden, route_of(claim.action))
        if response.status_code != 302:
            raise Unexpected(f"claim {callback_id}: {response.status_code}")
        if location_path(response) != f"/call-backs/{callback_id}":
            return  # another LMRA claimed it first: back to the queue, as the portal said
        with self.ledger.lock:
            self.ledger.claimed[callback_id] = self.person.email
        call = self.page(f"/call-backs/{callback_id}")
        self.send(call, r"/attempts$", {"attempt-result": "no_answer", "attempt-note": "Load"})
        with self.ledger.lock:
            self.ledger.attempts[callback_id] += 1
        if self.random.random() < 0.7:
            call = self.page(f"/call-backs/{callback_id}")
            done = self.send(call, r"/complete$", {"complete-decision": "declined"})
            if done != "/call-backs":
                raise Unexpected(f"completing {callback_id} went to {done}")
            with self.ledger.lock:
                self.ledger.completed[callback_id] = self.person.email

    def dam(self) -> None:
        portfolio = self.page("/my-accounts")
        accounts = [
            link
            for link in self.visitor.links(portfolio)
            if re.fullmatch(rf"/accounts/{UUID}", link)
        ]
        if accounts:
            self.page(self.random.choice(accounts))
        self.page(self.random.choice(["/reports", "/accounts?q=Load", "/live-vacancies"]))

    def coordinator(self) -> None:
        self.page(
            self.random.choice(
                ["/call-backs", "/call-backs/timeliness", "/reports", "/my-accounts", "/"]
            )
        )

    def adviser(self) -> None:
        self.page(self.random.choice(["/live-vacancies", "/customers", "/"]))


def vacancy_answers(title: str, site_id: str) -> dict:
    """A complete, lawful vacancy as an employer types it in."""
    closing = time.gmtime(time.time() + 28 * 24 * 3600)
    return {
        "site": site_id,
        "job_title": title,
        "sector": "retail",
        "occupation": "Sales assistant",
        "description": "Serving customers and keeping the shelves stocked.",
        "positions": "2",
        "hours_per_week": "37.5",
        "contract_type": "permanent",
        "work_kind": "paid",
        "pay_amount": "13.00",
        "pay_period": "hourly",
        "youngest_age": "18",
        "entry_level": "yes",
        "involves_driving": "no",
        "how_to_apply": "Phone the store manager.",
        "closing_date": [str(closing.tm_mday), str(closing.tm_mon), str(closing.tm_year)],
        "offers": ["work_trial"],
    }
