"""National employers and the employer's service record: head-office users see branches
and the pledge, branch users only their branch; figures match independent counts."""

from __future__ import annotations

import datetime as dt

import pytest

from app import clock
from app.accounts.models import ContactKind, JobsPledge, SizeBand
from app.accounts.rules import quarter_of
from app.agreements.services import today
from app.auth.models import Role
from app.callbacks.models import CallBack, CallBackStatus
from app.extensions import db
from app.reports import rollups
from tests.account_factories import account, branch_of, contact_entry, pledge, staff_in, start_at
from tests.factories import DistrictFactory, employer_user
from tests.helpers import count_queries, get_page, post_form, sign_in
from tests.referral_factories import live_vacancy, referral

pytestmark = pytest.mark.usefixtures("fresh_request_globals")


@pytest.fixture
def national():
    north, south = DistrictFactory(name="North"), DistrictFactory(name="South")
    manager = staff_in(north, Role.DAM, name="Nadia National")
    head = account(manager, name="Hallam Stores")
    leeds = branch_of(
        head, name="Hallam Stores Leeds", district=north, contact=staff_in(north, Role.LMRA)
    )
    york = branch_of(head, name="Hallam Stores York", district=north)
    bristol = branch_of(head, name="Hallam Stores Bristol", district=south)
    made = pledge(head, by=manager, jobs=10)
    day = made.starts_on + dt.timedelta(days=5)
    start_at(leeds, day)
    start_at(leeds, day)
    start_at(bristol, day)
    start_at(bristol, day, lep_eligible=False)  # not a priority customer
    start_at(york, made.starts_on - dt.timedelta(days=1))  # before the pledge
    return {
        "manager": manager,
        "head": head,
        "leeds": leeds,
        "york": york,
        "bristol": bristol,
        "pledge": made,
    }


def test_head_office_users_see_branches_and_pledge_progress(client, national):
    owner = national["head"].memberships[0].user
    sign_in(client, owner)
    html = get_page(client, "/organisation")
    for key in ("leeds", "york", "bristol"):
        assert national[key].name in html
    assert "3 of 10 jobs pledged filled" in html
    branch_html = get_page(
        client, f"/organisation/branches/{national['leeds'].id}", title="Hallam Stores Leeds"
    )
    assert "People who started" in branch_html


def test_a_branch_user_sees_only_their_own_branch(client, national):
    sign_in(client, national["leeds"].memberships[0].user)
    html = get_page(client, "/organisation")
    assert "This is a branch of Hallam Stores." in html
    assert "Hallam Stores York" not in html and "jobs pledged" not in html
    get_page(client, f"/organisation/branches/{national['york'].id}", status=404)
    get_page(client, f"/organisation/branches/{national['leeds'].id}", status=404)


def test_another_employer_cannot_see_the_branches(client, national):
    sign_in(client, employer_user())
    get_page(client, f"/organisation/branches/{national['leeds'].id}", status=404)


def test_the_national_account_manager_sees_progress_by_branch_and_district(client, national):
    sign_in(client, national["manager"])
    html = get_page(client, f"/accounts/{national['head'].id}")
    assert "3 of 10 jobs pledged filled" in html
    by_branch = html.split('data-testid="pledge-by-branch"')[1].split("</table>")[0]
    numeric = '<td class="govuk-table__cell govuk-table__cell--numeric">'
    leeds = '<td class="govuk-table__cell">Hallam Stores Leeds</td>'
    assert f'{leeds}<td class="govuk-table__cell">North</td>{numeric}2' in by_branch
    by_district = html.split('data-testid="pledge-by-district"')[1].split("</table>")[0]
    assert f"North</td>{numeric}2" in by_district
    assert f"South</td>{numeric}1" in by_district


def test_staff_link_a_branch_to_a_head_office(client, national):
    loose = account(national["manager"], name="Hallam Stores Hull")
    sign_in(client, national["manager"])
    url = f"/accounts/{loose.id}/head-office"
    html = get_page(client, url + "?q=hallam", title="Link to a head office")
    assert str(national["head"].id) in html and str(national["leeds"].id) not in html
    post_form(client, url, {"q": "hallam", "head_office": str(national["head"].id)}, status=302)
    assert loose.parent_id == national["head"].id
    # A head office with branches cannot become a branch.
    other = account(national["manager"], name="Other Hallam", size_band=SizeBand.LARGE)
    response = post_form(
        client,
        f"/accounts/{national['head'].id}/head-office",
        {"q": "other", "head_office": str(other.id)},
        status=200,
    )
    assert "a head office with branches of its own" in response.get_data(as_text=True)


def test_a_dam_records_a_jobs_pledge_on_a_head_office_only(client, national):
    sign_in(client, national["manager"])
    url = f"/accounts/{national['head'].id}/jobs-pledge"
    get_page(client, url, title="Record a jobs pledge")
    response = post_form(
        client,
        url,
        {"jobs": "50", "starts_on": ["1", "4", "2026"], "ends_on": ["1", "3", "2026"]},
        status=200,
    )
    assert "The pledge must end after it starts" in response.get_data(as_text=True)
    post_form(
        client,
        url,
        {"jobs": "50", "starts_on": ["1", "4", "2026"], "ends_on": ["31", "3", "2027"]},
        status=302,
    )
    assert db.session.query(JobsPledge).filter_by(jobs=50).count() == 1
    get_page(client, f"/accounts/{national['leeds'].id}/jobs-pledge", status=404)


# The employer's service record


def test_the_service_record_figures_match_independent_counts(client):
    district = DistrictFactory()
    dam = staff_in(district)
    organisation = account(dam, name="Quarter Ltd")
    start, _end = quarter_of(today())
    now = clock.now()
    in_quarter = start
    before_quarter = start - dt.timedelta(days=1)
    vacancy = live_vacancy(organisation)
    referrals = [referral(vacancy) for _ in range(4)]
    referrals[0].interview_at = dt.datetime.combine(in_quarter, dt.time(10), tzinfo=dt.UTC)
    referrals[1].work_trial_start = in_quarter
    referrals[2].created_at = dt.datetime.combine(before_quarter, dt.time(10), tzinfo=dt.UTC)
    start_at(organisation, in_quarter)
    start_at(organisation, before_quarter)
    contact_entry(organisation, dam, kind=ContactKind.VISIT, on=in_quarter)
    contact_entry(organisation, dam, kind=ContactKind.CALL, on=in_quarter)
    contact_entry(organisation, dam, kind=ContactKind.CALL, on=before_quarter)
    for breached in (False, True):
        db.session.add(
            CallBack(
                vacancy_id=live_vacancy(organisation).id,
                organisation_id=organisation.id,
                district_id=district.id,
                status=CallBackStatus.COMPLETED,
                placed_at=now - dt.timedelta(hours=1),
                due_at=now,
                completed_at=now,
                breached=breached,
            )
        )
    db.session.flush()
    # Independent counts from what was made above: two starts' referrals are in the quarter
    # too (start_at makes a referral each, the one before the quarter included).
    expected_referrals = 3 + 2
    sign_in(client, organisation.memberships[0].user)
    html = get_page(client, "/service-record", title="What the service did for you")
    assert f"{expected_referrals} referrals, 1 interview, 1 start this quarter" in html
    assert "2, 1 within 48 hours" in html
    home = get_page(client, "/")
    assert f"{expected_referrals} referrals, 1 interview, 1 start this quarter" in home
    assert "Talked about the Christmas recruitment." not in html  # staff notes stay private
    assert "Visit" in html and "Call-back made within 48 hours" in html


@pytest.fixture
def scheduled_refresh(app, monkeypatch):
    """Rollups brought up to date as the scheduler does, not by the page: its statements
    are the page's own."""
    monkeypatch.setitem(app.config, "ROLLUPS_REFRESH_ON_READ", False)
    rollups.refresh(db.session)


def _queries(client, url: str) -> int:
    rollups.refresh(db.session)
    with count_queries() as statements:
        get_page(client, url)
    return len(statements)


def _home_queries(client) -> int:
    return _queries(client, "/")


@pytest.mark.usefixtures("scheduled_refresh")
def test_the_employer_home_runs_the_same_queries_for_few_and_many_records(client, national):
    """Every panel of a head office's home page within the national-scale budget of 12: the
    organisation and its contact loaded once for all of them, the service figures read from
    the employer rollup."""
    head = national["head"]
    sign_in(client, head.memberships[0].user)
    few = _home_queries(client)
    for branch in (national["leeds"], national["bristol"]):
        vacancy = live_vacancy(branch)
        for _ in range(3):
            referral(vacancy)
        start_at(branch, today())
        contact_entry(branch, national["manager"], kind=ContactKind.VISIT, on=today())
    db.session.flush()
    many = _home_queries(client)
    assert few == many <= 12


@pytest.mark.usefixtures("scheduled_refresh")
def test_the_service_record_runs_the_same_queries_for_few_and_many_records(client, national):
    head = national["head"]
    sign_in(client, head.memberships[0].user)
    few = _queries(client, "/service-record")
    for branch in (national["leeds"], national["bristol"]):
        vacancy = live_vacancy(branch)
        for _ in range(3):
            referral(vacancy)
        start_at(branch, today())
        contact_entry(branch, national["manager"], kind=ContactKind.CALL, on=today())
    db.session.flush()
    many = _queries(client, "/service-record")
    # The timeline's seven kinds of record, the figures, guarantees, the branches listed.
    assert few == many <= 13


def test_one_branch_and_one_pledged_job_are_singular(client):
    manager = staff_in(DistrictFactory(name="Solo"), Role.DAM, name="Sam Single")
    head = account(manager, name="Single Shop Ltd")
    branch_of(head, name="Single Shop Leeds")
    pledge(head, by=manager, jobs=1)
    html = get_page(sign_in(client, manager), f"/accounts/{head.id}")
    assert "Head office with 1 branch" in html and "1 branches" not in html
    assert "0 of 1 job pledged filled" in html
    owner = head.memberships[0].user
    html = get_page(sign_in(client, owner), "/organisation")
    assert "0 of 1 job pledged filled" in html


def _account_queries(client, organisation) -> tuple[int, str]:
    rollups.refresh(db.session)
    with count_queries() as statements:
        html = get_page(client, f"/accounts/{organisation.id}")
    return len(statements), html


@pytest.mark.usefixtures("scheduled_refresh")
def test_a_head_office_account_page_runs_at_most_12_queries_however_many_records(client, national):
    """The summary of a national employer: its agreement with progress, people, next
    actions, handovers, every branch once for the list and the pledge."""
    from app.agreements.models import AgreedMeasure, AgreementVersion, Channel, Measure
    from tests.referral_factories import active_agreement

    head, manager = national["head"], national["manager"]
    agreement = active_agreement(head)
    version = AgreementVersion(
        agreement_id=agreement.id,
        number=1,
        taken_by_id=manager.id,
        agreed_on=agreement.started_on,
        channel=Channel.PHONE,
        priority_groups=[1, 2],
    )
    db.session.add(version)
    db.session.flush()
    db.session.add(AgreedMeasure(version_id=version.id, measure=Measure.WORK_TRIALS, places=5))
    db.session.expire(agreement)
    employer_user(head)
    sign_in(client, manager)
    few, html = _account_queries(client, head)
    assert "3 of 10 jobs pledged filled" in html
    for number in range(6):
        branch = branch_of(head, name=f"Hallam Stores {number}", district=DistrictFactory())
        start_at(branch, national["pledge"].starts_on + dt.timedelta(days=2))
        employer_user(head)
        contact_entry(head, manager, next_action=True)
        referral(live_vacancy(head))
    db.session.flush()
    many, html = _account_queries(client, head)
    assert "9 of 10 jobs pledged filled" in html
    assert "Hallam Stores 5" in html
    assert few == many <= 12
