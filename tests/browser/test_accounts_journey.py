"""Account management in a real browser.

A DAM filters the portfolio to accounts with an overdue next action, opens one, logs a visit
with a next action and hands the account to another DAM (the employer's home page shows the
new contact; the email is in the outbox). A head-office user of a national employer sees its
branches and pledge progress; a branch user sees only its own branch. A coordinator sets a
district target, opens the MI page (charts and tables) and downloads a CSV whose totals equal
the raw counts. Every page visited is checked with axe and for console errors.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from app.accounts.models import NextAction, Organisation
from app.agreements.services import today
from app.auth.models import Role, User
from app.demo.seed import DEMO_PASSWORD
from app.extensions import db
from app.mail.models import OutboxMessage
from app.outcomes.models import JobOutcome, ValidationStatus
from tests.account_factories import contact_entry, pledge, staff_in, start_at
from tests.browser.conftest import LiveServer
from tests.browser.journeys import sign_in, sign_out
from tests.factories import PASSWORD, OrganisationFactory, employer_user

pytestmark = pytest.mark.browser

Check = Callable[[Any], None]

DAM = "dam@demo.lep.example"  # David Brennan, Leeds City, West Yorkshire
COORDINATOR = "coordinator@demo.lep.example"  # Helen Walsh, West Yorkshire


@dataclass(frozen=True)
class World:
    account: str
    owner_email: str
    new_dam: str
    head_office: str
    head_office_email: str
    branches: tuple[str, str]
    branch_ids: tuple[uuid.UUID, uuid.UUID]
    branch_email: str
    district_id: uuid.UUID
    district: str


def _prepare(tag: str) -> World:
    """What the demo data lacks: an account of the DAM's with an overdue next action, a
    second DAM in the district, and a national employer (head office, two branches, a jobs
    pledge, users for the head office and one branch) with starts this month."""
    dam = db.session.scalar(select(User).where(User.email == DAM))
    district = dam.district
    new_dam = staff_in(
        district,
        Role.DAM,
        office=dam.office,
        name=f"Nadia Rahman {tag}",
        email=f"nr{tag}@jcp.example",
    )
    account = OrganisationFactory(name=f"Aire Valley Foods {tag}", district=district, contact=dam)
    owner = employer_user(account, email=f"owner{tag}@example.org", name="Owen Ashby")
    contact_entry(account, dam, next_action=True, due=today() - dt.timedelta(days=5))

    head_office = OrganisationFactory(
        name=f"Pennine Stores {tag}", district=district, contact=dam, sector="retail"
    )
    ho_user = employer_user(head_office, email=f"ho{tag}@example.org", name="Hana Osei")
    branches = [
        OrganisationFactory(
            name=f"Pennine Stores {name} {tag}", district=district, parent=head_office
        )
        for name in ("Bradford", "Halifax")
    ]
    branch_user = employer_user(branches[0], email=f"br{tag}@example.org", name="Bilal Reid")
    employer_user(branches[1], email=f"br2{tag}@example.org")
    pledge(head_office, by=dam, jobs=10)
    start_at(branches[0], today())
    start_at(branches[0], today())
    start_at(branches[1], today())
    db.session.commit()
    return World(
        account=account.name,
        owner_email=owner.email,
        new_dam=new_dam.name,
        head_office=head_office.name,
        head_office_email=ho_user.email,
        branches=(branches[0].name, branches[1].name),
        branch_ids=(branches[0].id, branches[1].id),
        branch_email=branch_user.email,
        district_id=district.id,
        district=district.name,
    )


def _fill_date(page: Any, group: str, day: dt.date) -> None:
    fieldset = page.get_by_role("group", name=group, exact=True)
    fieldset.get_by_label("Day").fill(str(day.day))
    fieldset.get_by_label("Month").fill(str(day.month))
    fieldset.get_by_label("Year").fill(str(day.year))


def test_account_management_journey(page: Any, live_server: LiveServer, check: Check) -> None:
    tag = uuid.uuid4().hex[:6]
    world = live_server.query(lambda: _prepare(tag))

    # A DAM filters the portfolio to accounts with an overdue next action and opens one.
    sign_in(page, DAM, DEMO_PASSWORD, check)
    check(page)
    page.goto("/my-accounts")
    check(page)
    page.get_by_label("Next action", exact=True).select_option("overdue")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**next_action=overdue**")
    check(page)
    page.get_by_role("link", name=world.account).click()
    expect(page.locator("h1")).to_contain_text(world.account)
    check(page)

    # Logs a visit with a next action.
    page.get_by_role("link", name="Contact log").click()
    page.wait_for_url("**/contact-log")
    check(page)
    page.get_by_role("radio", name="Visit").check()
    _fill_date(page, "Date", today())
    page.get_by_label("Summary").fill(f"Visited the depot {tag}: eight pickers needed.")
    page.get_by_label("Next action (optional)").fill("Send the warehousing PET outline")
    _fill_date(page, "By when", today() + dt.timedelta(days=7))
    page.get_by_role("button", name="Save to the contact log").click()
    expect(page.get_by_test_id("contact-log")).to_contain_text(f"Visited the depot {tag}")
    check(page)

    # Hands the account to another DAM.
    page.get_by_role("link", name="Summary", exact=True).click()
    page.get_by_role("link", name="Hand over").wait_for()
    check(page)
    page.get_by_role("link", name="Hand over").click()
    check(page)
    page.get_by_label("New single point of contact").select_option(
        label=f"{world.new_dam} (DAM, {world.district})"
    )
    page.get_by_label("Reason for the change").fill("David is moving to the Leeds north patch.")
    page.get_by_role("button", name="Change contact").click()
    expect(page.get_by_text(f"{world.new_dam} is now the single point of contact.")).to_be_visible()
    check(page)
    sign_out(page)

    def handover_mail() -> int:
        return db.session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.recipient == world.owner_email,
                OutboxMessage.kind == "account_handover",
            )
        )

    assert live_server.query(handover_mail) == 1

    def open_actions() -> list[str]:
        return list(
            db.session.scalars(
                select(User.name)
                .join(NextAction, NextAction.owner_id == User.id)
                .join(Organisation, Organisation.id == NextAction.organisation_id)
                .where(Organisation.name == world.account, NextAction.done_at.is_(None))
            )
        )

    assert set(live_server.query(open_actions)) == {world.new_dam}

    # The employer's home page shows the new contact.
    sign_in(page, world.owner_email, PASSWORD, check)
    expect(page.get_by_test_id("contact-name")).to_have_text(world.new_dam)
    check(page)
    sign_out(page)

    # A head-office user sees its branches and pledge progress.
    sign_in(page, world.head_office_email, PASSWORD, check)
    page.goto("/organisation")
    branches = page.get_by_test_id("branches")
    for name in world.branches:
        expect(branches).to_contain_text(name)
    expect(page.get_by_test_id("pledge-progress")).to_contain_text("3 of 10 jobs pledged filled")
    check(page)
    branches.get_by_role("link", name=world.branches[1]).click()
    expect(page.locator("h1")).to_contain_text(world.branches[1])
    check(page)
    sign_out(page)

    # A branch user sees only its own branch.
    sign_in(page, world.branch_email, PASSWORD, check)
    page.goto("/organisation")
    expect(page.get_by_test_id("branch-of")).to_contain_text(world.head_office)
    expect(page.get_by_test_id("branches")).to_have_count(0)
    expect(page.get_by_test_id("pledge-progress")).to_have_count(0)
    check(page)
    for branch_id in world.branch_ids:
        response = page.goto(f"/organisation/branches/{branch_id}")
        assert response.status == 404
    check(page)
    sign_out(page)

    # A coordinator sets a district target, opens the MI and downloads a CSV.
    first = today().replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    sign_in(page, COORDINATOR, DEMO_PASSWORD, check)
    page.goto("/reports/targets")
    check(page)
    expect(page.get_by_label("District")).to_have_value(str(world.district_id))
    _fill_date(page, "First day of the period", first)
    _fill_date(page, "Last day of the period", last)
    page.get_by_label("Job outcomes target").fill("40")
    page.get_by_role("button", name="Save target").click()
    expect(page.get_by_text(f"Target saved: 40 job outcomes for {world.district}.")).to_be_visible()
    check(page)

    page.goto("/reports")
    expect(page.locator("h1")).to_have_text("Management information")
    chart = page.locator("img[src*='/reports/charts/outcomes-against-target.svg']")
    expect(chart).to_have_count(1)
    assert chart.evaluate("img => img.complete && img.naturalWidth > 0")
    table = page.locator(
        "table", has=page.locator("caption", has_text="Job outcomes against target")
    )
    expect(table).to_contain_text(world.district)
    check(page)

    link = page.locator("a[href*='/reports/outcomes-against-target.csv']")
    expect(link).to_contain_text("Download this table (CSV)")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text())))
    by_district = {row["District"]: row for row in rows}
    totals = rows[-1]

    def counted(validated_only: bool) -> int:
        conditions = [
            JobOutcome.district_id == world.district_id,
            JobOutcome.counts_as_lep.is_(True),
            JobOutcome.validation_status != ValidationStatus.REJECTED,
            JobOutcome.start_date.between(first, last),
        ]
        if validated_only:
            conditions.append(JobOutcome.validation_status == ValidationStatus.VALIDATED)
        return db.session.scalar(select(func.count()).select_from(JobOutcome).where(*conditions))

    outcomes = live_server.query(lambda: counted(False))
    validated = live_server.query(lambda: counted(True))
    assert outcomes >= 3
    row = by_district[world.district]
    assert (int(row["Target"]), int(row["Outcomes"]), int(row["Validated"])) == (
        40,
        outcomes,
        validated,
    )
    assert int(totals["Outcomes"]) == sum(int(r["Outcomes"]) for r in rows[:-1]) == outcomes
    assert int(totals["Target"]) == 40
