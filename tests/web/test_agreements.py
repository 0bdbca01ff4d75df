"""LEP agreements through the browser's eyes: the employer's page and request, the staff pages
that record, change and end an agreement, who may see which account, and the emails."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from sqlalchemy import func, select

from app.agreements.models import (
    Agreement,
    AgreementRequest,
    AgreementRequestStatus,
    AgreementStatus,
    AgreementVersion,
    Channel,
    Measure,
)
from app.agreements.services import (
    AgreementTerms,
    MeasureTerms,
    active_agreement,
    amend_agreement,
    end_agreement,
    record_agreement,
    request_agreement,
)
from app.auth.models import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import DistrictFactory, OfficeFactory, OrganisationFactory, StaffFactory
from tests.factories import employer_user as make_employer
from tests.helpers import check_html, count_queries, get_page, page_title, sign_in


def staff(role: Role, district, **kwargs):
    office = OfficeFactory(district=district) if district else None
    person = StaffFactory(role=role, office=office, district=district, **kwargs)
    db.session.flush()  # the password's security stamp, set after the factory's own flush
    return person


def fresh() -> None:
    """Forget what this test's session holds, to read what the requests committed."""
    db.session.expire_all()


@pytest.fixture
def lmra(district):
    return staff(Role.LMRA, district, name="Lena Marsh", email="lena.marsh@dwp.example")


@pytest.fixture
def dam(district):
    return staff(Role.DAM, district, name="Dev Anand")


@pytest.fixture
def coordinator(district):
    return staff(Role.COORDINATOR, district, name="Cora Owusu")


@pytest.fixture
def organisation(district, lmra):
    return OrganisationFactory(name="Harrow Bakery Ltd", district=district, contact=lmra)


@pytest.fixture
def owner(organisation):
    return make_employer(organisation, name="Olu Adebayo", email="olu@harrow.example")


def terms(*measures: MeasureTerms, groups=(1, 2, 3, 4), summary="", on=dt.date(2026, 11, 2)):
    return AgreementTerms(
        agreed_on=on,
        channel=Channel.PHONE,
        measures=list(measures),
        priority_groups=list(groups),
        change_summary=summary,
    )


TRIALS_3 = MeasureTerms(Measure.WORK_TRIALS, places=3)
INTERVIEWS = MeasureTerms(Measure.GUARANTEED_INTERVIEWS, details="Everyone who completes PET")
OPEN_DAY = MeasureTerms(Measure.OPEN_DAYS, details="Spring recruitment day")


def form_data(**changes) -> dict:
    data = {
        "agreed_on": ["2", "11", "2026"],
        "channel": "meeting",
        "priority_groups": ["1", "2", "3"],
        "work_trials_agreed": "y",
        "work_trials_places": "4",
        "guaranteed_interviews_agreed": "y",
        "guaranteed_interviews_details": "PET completers",
        "change_summary": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def outbox(kind: str) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.created_at)
        )
    )


def account_url(organisation, suffix: str = "") -> str:
    return f"/accounts/{organisation.id}/agreement{suffix}"


# --- the employer's page ---------------------------------------------------------------------


def test_employer_without_an_agreement_is_offered_one_and_sees_their_contact(client, owner, lmra):
    html = get_page(sign_in(client, owner), "/agreement", title="Your LEP agreement")
    assert "You do not have a LEP agreement yet." in html
    assert 'href="/agreement/request"' in html
    assert "Lena Marsh" in html
    assert "mailto:lena.marsh@dwp.example" in html
    assert lmra.phone in html


def test_employer_sees_measures_who_agreed_them_when_how_and_the_groups_covered(
    client, owner, organisation, lmra
):
    record_agreement(organisation, terms(TRIALS_3, INTERVIEWS, groups=(1, 2, 3)), lmra)
    html = get_page(sign_in(client, owner), "/agreement", title="Your LEP agreement")
    assert "Agreed by phone with Lena Marsh of Jobcentre Plus on 2 November 2026." in html
    assert "Work trials" in html and "3 places" in html
    assert "Guaranteed interviews" in html and "Everyone who completes PET" in html
    assert "Disadvantaged jobseekers, such as lone parents" in html
    assert "Allowance for under 6 months" in html
    assert "Unemployed people who are not claiming benefits" not in html
    assert "Version 1, 2 November 2026" in html
    assert "The agreement started." in html


def test_history_keeps_every_version_and_says_what_each_changed(
    client, owner, organisation, lmra, dam
):
    first = record_agreement(organisation, terms(TRIALS_3, OPEN_DAY), lmra)
    amend_agreement(
        first.agreement,
        terms(
            MeasureTerms(Measure.WORK_TRIALS, places=5),
            MeasureTerms(Measure.MENTORING, places=2),
            groups=(1, 2, 3, 4, 5),
            summary="More trials for the new shop",
            on=dt.date(2026, 12, 1),
        ),
        dam,
    )
    html = get_page(sign_in(client, owner), "/agreement")
    assert html.index("Version 2, 1 December 2026") < html.index("Version 1, 2 November 2026")
    assert "Agreed by phone with Dev Anand" in html
    assert "Agreed by phone with Lena Marsh" in html
    assert "Added: Employee volunteers mentoring jobseekers (2 volunteer mentors)" in html
    assert "Removed: Open days or recruitment days" in html
    assert "Work trials: from 3 places to 5 places" in html
    assert "Now also covers: Employed people under threat or notice of redundancy" in html
    assert "More trials for the new shop" in html
    versions = db.session.scalars(
        select(AgreementVersion).where(AgreementVersion.agreement_id == first.agreement_id)
    ).all()
    assert sorted(v.number for v in versions) == [1, 2]


def test_ended_agreements_stay_in_view_with_who_ended_them_and_why(
    client, owner, organisation, lmra, coordinator
):
    version = record_agreement(organisation, terms(TRIALS_3), lmra)
    end_agreement(version.agreement, ended_by=coordinator, reason="The branch has closed")
    html = get_page(sign_in(client, owner), "/agreement")
    assert "You do not have a LEP agreement yet." in html
    assert "Agreements that have ended" in html
    assert "Ended by Cora Owusu: The branch has closed" in html
    assert "3 places" in html  # what was agreed, inside the details


def test_an_employer_never_sees_another_employers_agreement(client, owner, organisation, lmra):
    other = OrganisationFactory(name="Quarry Logistics", district=organisation.district)
    other_lmra = staff(Role.LMRA, organisation.district, name="Quentin Blake")
    record_agreement(
        other,
        terms(MeasureTerms(Measure.SUBSIDISED_EMPLOYMENT, places=7)),
        other_lmra,
    )
    html = get_page(sign_in(client, owner), "/agreement")
    assert "Quarry Logistics" not in html
    assert "Quentin Blake" not in html
    assert "7 places" not in html
    assert "You do not have a LEP agreement yet." in html


def test_the_agreement_page_runs_the_same_queries_for_one_version_or_ten(client, district, lmra):
    counts = []
    for versions in (1, 10):
        organisation = OrganisationFactory(district=district, contact=lmra)
        owner = make_employer(organisation)
        first = record_agreement(organisation, terms(TRIALS_3), lmra)
        ended = record_agreement(organisation, terms(OPEN_DAY), lmra)
        end_agreement(ended.agreement, ended_by=lmra, reason="Test")
        current = record_agreement(organisation, terms(TRIALS_3), lmra).agreement
        for number in range(2, versions + 1):
            taken_by = staff(Role.DAM, district)
            amend_agreement(
                current, terms(MeasureTerms(Measure.WORK_TRIALS, places=number)), taken_by
            )
        assert first.agreement.status is AgreementStatus.ENDED
        db.session.flush()
        db.session.expunge_all()
        sign_in(client, owner)
        with count_queries() as statements:
            html = get_page(client, "/agreement")
        assert f"Version {versions}," in html
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


# --- asking for an agreement -----------------------------------------------------------------


def test_employer_asks_for_an_agreement_and_it_lands_in_the_contacts_queue(
    client, owner, organisation, lmra
):
    sign_in(client, owner)
    html = get_page(client, "/agreement/request", title="Ask for a LEP agreement")
    assert 'name="measures"' in html
    response = client.post(
        "/agreement/request",
        data={"measures": ["work_trials", "open_days"], "message": "We open a shop in May"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/agreement/request")

    html = get_page(client, "/agreement/request", title="You have asked for a LEP agreement")
    assert "Lena Marsh, your contact at Jobcentre Plus, will call you" in html
    request = db.session.scalar(select(AgreementRequest))
    assert request.contact_id == lmra.id
    assert request.status is AgreementRequestStatus.OPEN
    assert request.measures_of_interest == ["work_trials", "open_days"]

    [email] = outbox("agreement_requested")
    assert email.recipient == lmra.email
    assert "Harrow Bakery Ltd" in email.subject
    assert "We open a shop in May" in email.text_body
    assert "- Work trials" in email.text_body
    assert f"http://localhost/accounts/{organisation.id}/agreement/new" in email.text_body

    html = get_page(client, "/agreement")
    assert "You asked for a LEP agreement on" in html

    html = get_page(sign_in(client, lmra), "/agreement-requests", title="Agreement requests")
    assert "Harrow Bakery Ltd" in html
    assert "Work trials, Open days or recruitment days" in html
    assert f'href="/accounts/{organisation.id}/agreement/new"' in html


def test_asking_twice_makes_one_request(client, owner, organisation):
    sign_in(client, owner)
    client.post("/agreement/request", data={"message": "Please call"})
    client.post("/agreement/request", data={"message": "Please call again"})
    count = db.session.scalar(select(func.count()).select_from(AgreementRequest))
    assert count == 1


def test_an_employer_with_an_agreement_is_told_so_rather_than_asking(
    client, owner, organisation, lmra
):
    record_agreement(organisation, terms(TRIALS_3), lmra)
    sign_in(client, owner)
    html = get_page(client, "/agreement/request", title="You already have a LEP agreement")
    assert "contact Lena Marsh" in html
    assert 'name="message"' not in html
    client.post("/agreement/request", data={"message": "Another one please"})
    assert db.session.scalar(select(func.count()).select_from(AgreementRequest)) == 0


def test_a_message_that_is_too_long_is_refused_with_the_input_kept(client, owner):
    sign_in(client, owner)
    response = client.post(
        "/agreement/request", data={"message": "x" * 2001, "measures": ["mentoring"]}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Error:" in html and "There is a problem" in html
    assert "Keep your message to 2000 characters or fewer" in html
    check_html(html)
    assert 'value="mentoring" checked' in html


# --- staff: record, amend, end ---------------------------------------------------------------


def test_lmra_records_an_agreement_and_the_employer_is_emailed_a_written_confirmation(
    client, owner, organisation, lmra
):
    request_agreement(organisation, owner, "Call me", ["open_days"])
    sign_in(client, lmra)
    html = get_page(client, account_url(organisation, "/new"), title="Record a LEP agreement")
    assert "Olu Adebayo asked for an agreement on" in html
    assert 'name="open_days_agreed" type="checkbox" value="y" checked' in html

    response = client.post(account_url(organisation, "/new"), data=form_data())
    assert response.status_code == 302
    fresh()
    agreement = active_agreement(organisation.id)
    assert [(m.measure, m.places, m.details) for m in agreement.current.measures_in_order] == [
        (Measure.WORK_TRIALS, 4, ""),
        (Measure.GUARANTEED_INTERVIEWS, None, "PET completers"),
    ]
    assert agreement.current.taken_by_id == lmra.id
    assert agreement.current.channel is Channel.MEETING
    assert db.session.scalar(select(AgreementRequest.status)) is AgreementRequestStatus.HANDLED

    [email] = outbox("agreement_confirmation")
    assert email.recipient == owner.email
    assert email.subject == "Your Local Employment Partnership agreement"
    text = email.text_body
    assert "made at a meeting on 2 November 2026 with Lena Marsh of Jobcentre Plus" in text
    assert "- Work trials: 4 places" in text
    assert "- Guaranteed interviews: PET completers" in text
    assert "Disadvantaged jobseekers, such as lone parents" in text
    assert "http://localhost/agreement" in text
    assert "contact Lena Marsh at lena.marsh@dwp.example" in text
    assert "What changed" not in text
    assert email.html_body is not None
    assert "4 places" in email.html_body
    assert 'href="http://localhost/agreement"' in email.html_body

    html = get_page(client, response.headers["Location"])
    assert "Agreement recorded. We have emailed Harrow Bakery Ltd a written confirmation." in html


def test_confirmation_links_use_the_portal_base_url(app, owner, organisation, lmra, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "https://lep.example.gov.uk/")
    record_agreement(organisation, terms(TRIALS_3), lmra)
    [email] = outbox("agreement_confirmation")
    assert "https://lep.example.gov.uk/agreement" in email.text_body
    assert 'href="https://lep.example.gov.uk/agreement"' in email.html_body


def test_what_staff_type_is_escaped_in_the_html_email(owner, organisation, lmra):
    record_agreement(
        organisation,
        terms(MeasureTerms(Measure.PET, details='<a href="https://evil.example">x</a>')),
        lmra,
    )
    [email] = outbox("agreement_confirmation")
    assert "evil.example" in email.html_body
    assert '<a href="https://evil.example">' not in email.html_body
    assert '<a href="https://evil.example">x</a>' in email.text_body


def test_invalid_agreement_shows_the_errors_and_keeps_what_was_typed(client, organisation, lmra):
    sign_in(client, lmra)
    response = client.post(
        account_url(organisation, "/new"),
        data=form_data(work_trials_places="", guaranteed_interviews_details="Our PET group"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Error: Record a LEP agreement" in html
    check_html(html)
    assert "Enter how many places were agreed" in html
    assert 'value="Our PET group"' in html
    assert active_agreement(organisation.id) is None
    assert outbox("agreement_confirmation") == []


def test_recording_when_an_agreement_exists_points_to_changing_it(client, organisation, lmra):
    record_agreement(organisation, terms(TRIALS_3), lmra)
    sign_in(client, lmra)
    html = get_page(client, account_url(organisation, "/new"), title="This employer already has")
    assert f'href="/accounts/{organisation.id}/agreement/amend"' in html
    client.post(account_url(organisation, "/new"), data=form_data())
    count = db.session.scalar(select(func.count()).select_from(Agreement))
    assert count == 1


def test_amending_starts_from_the_current_version_and_keeps_the_old_one(
    client, owner, organisation, lmra, dam
):
    record_agreement(organisation, terms(TRIALS_3, OPEN_DAY), lmra)
    sign_in(client, dam)
    html = get_page(client, account_url(organisation, "/amend"), title="Change the LEP agreement")
    assert 'name="work_trials_agreed" type="checkbox" value="y" checked' in html
    assert 'name="work_trials_places" type="text" value="3"' in html
    assert 'value="Spring recruitment day"' in html
    assert 'name="based_on" type="hidden" value="1"' in html

    response = client.post(
        account_url(organisation, "/amend"),
        data=form_data(
            based_on="1",
            work_trials_places="6",
            guaranteed_interviews_agreed=None,
            guaranteed_interviews_details=None,
            open_days_agreed="y",
            open_days_details="Spring recruitment day",
            priority_groups=["1", "2", "3", "4"],
            change_summary="Six trials from January",
        ),
    )
    assert response.status_code == 302
    fresh()
    agreement = active_agreement(organisation.id)
    assert [v.number for v in agreement.versions] == [1, 2]
    assert agreement.versions[0].measures_in_order[0].places == 3
    assert agreement.current.measures_in_order[0].places == 6
    assert agreement.current.taken_by_id == dam.id

    subjects = sorted(message.subject for message in outbox("agreement_confirmation"))
    assert subjects == [
        "Your Local Employment Partnership agreement",
        "Your Local Employment Partnership agreement has changed",
    ]
    [second] = [m for m in outbox("agreement_confirmation") if m.subject.endswith("changed")]
    assert "This confirms the change to your Local Employment Partnership agreement" in (
        second.text_body
    )
    assert "What changed:" in second.text_body
    assert "Work trials: from 3 places to 6 places" in second.text_body
    assert "Six trials from January" in second.text_body
    assert "What changed" in second.html_body


def test_an_amendment_that_changes_nothing_is_refused(client, organisation, lmra):
    record_agreement(organisation, terms(TRIALS_3, groups=(1, 2)), lmra)
    sign_in(client, lmra)
    response = client.post(
        account_url(organisation, "/amend"),
        data=form_data(
            based_on="1",
            work_trials_places="3",
            guaranteed_interviews_agreed=None,
            guaranteed_interviews_details=None,
            priority_groups=["1", "2"],
        ),
    )
    assert response.status_code == 200
    assert "Change a measure or the jobseekers covered" in response.get_data(as_text=True)
    fresh()
    assert len(active_agreement(organisation.id).versions) == 1


def test_an_amendment_from_a_stale_version_does_not_undo_a_newer_change(
    client, organisation, lmra, dam
):
    version = record_agreement(organisation, terms(TRIALS_3), lmra)
    amend_agreement(version.agreement, terms(MeasureTerms(Measure.WORK_TRIALS, places=9)), dam)
    sign_in(client, lmra)
    response = client.post(
        account_url(organisation, "/amend"),
        data=form_data(based_on="1", work_trials_places="4"),
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Dev Anand changed this agreement while you were editing it" in html
    check_html(html)
    assert 'name="based_on" type="hidden" value="2"' in html
    fresh()
    agreement = active_agreement(organisation.id)
    assert len(agreement.versions) == 2
    assert agreement.current.measures[0].places == 9


def test_ending_needs_a_reason_then_ends_it_and_emails_the_employer(
    client, owner, organisation, lmra, coordinator
):
    record_agreement(organisation, terms(TRIALS_3), lmra)
    sign_in(client, coordinator)
    html = get_page(client, account_url(organisation, "/end"), title="End the LEP agreement")
    assert "3 places" in html

    response = client.post(account_url(organisation, "/end"), data={"reason": "   "})
    assert response.status_code == 200
    assert "Enter why the agreement is ending" in response.get_data(as_text=True)
    assert active_agreement(organisation.id) is not None

    response = client.post(
        account_url(organisation, "/end"), data={"reason": "The employer has stopped hiring"}
    )
    assert response.status_code == 302
    fresh()
    agreement = db.session.scalar(select(Agreement))
    assert agreement.status is AgreementStatus.ENDED
    assert agreement.ended_by_id == coordinator.id
    assert agreement.end_reason == "The employer has stopped hiring"

    [email] = outbox("agreement_ended")
    assert email.recipient == owner.email
    assert "The employer has stopped hiring" in email.text_body
    assert "Cora Owusu" in email.text_body
    assert "- Work trials" in email.text_body
    assert "http://localhost/agreement/request" in email.text_body
    assert email.html_body is not None

    html = get_page(client, response.headers["Location"])
    assert "Agreement ended." in html
    assert "Ended by Cora Owusu: The employer has stopped hiring" in html
    assert f'href="/accounts/{organisation.id}/agreement/new"' not in html  # coordinator
    assert get_page(client, account_url(organisation, "/end"), status=404)


def test_staff_page_shows_the_agreement_with_actions_for_the_role(
    client, organisation, lmra, coordinator
):
    record_agreement(organisation, terms(TRIALS_3), lmra)
    html = get_page(sign_in(client, lmra), account_url(organisation), title="LEP agreement")
    assert "What the employer agreed to" in html
    assert f'href="/accounts/{organisation.id}/agreement/amend"' in html
    assert f'href="/accounts/{organisation.id}/agreement/end"' in html
    html = get_page(sign_in(client, coordinator), account_url(organisation))
    assert f'href="/accounts/{organisation.id}/agreement/amend"' not in html
    assert f'href="/accounts/{organisation.id}/agreement/end"' in html


# --- who may see which account ---------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.LMRA, Role.DAM, Role.COORDINATOR])
def test_staff_from_another_district_get_not_found(client, organisation, lmra, role):
    record_agreement(organisation, terms(TRIALS_3), lmra)
    outsider = staff(role, DistrictFactory(name="Tyneside"))
    sign_in(client, outsider)
    for suffix in ("", "/new", "/amend", "/end"):
        status = client.get(account_url(organisation, suffix)).status_code
        assert status in (403, 404), suffix
        if status == 403:  # the role may not use the page at all, wherever the account is
            assert suffix in ("/new", "/amend") and role is Role.COORDINATOR
    response = client.post(account_url(organisation, "/end"), data={"reason": "Not mine"})
    assert response.status_code == 404
    assert active_agreement(organisation.id) is not None


def test_admin_reads_any_district_but_changes_nothing(client, organisation, lmra):
    record_agreement(organisation, terms(TRIALS_3), lmra)
    admin = staff(Role.ADMIN, None)
    sign_in(client, admin)
    html = get_page(client, account_url(organisation))
    assert "3 places" in html
    assert 'data-testid="actions"' not in html
    for suffix in ("/new", "/amend", "/end"):
        assert client.get(account_url(organisation, suffix)).status_code == 403
    assert client.post(account_url(organisation, "/end"), data={"reason": "x"}).status_code == 403


def test_an_employer_cannot_reach_the_staff_pages(client, owner, organisation, lmra):
    record_agreement(organisation, terms(TRIALS_3), lmra)
    sign_in(client, owner)
    for suffix in ("", "/new", "/amend", "/end"):
        assert client.get(account_url(organisation, suffix)).status_code == 403
    assert client.get("/agreement-requests").status_code == 403
    assert client.post(account_url(organisation, "/end"), data={"reason": "x"}).status_code == 403
    assert active_agreement(organisation.id) is not None


def test_a_missing_account_is_not_found(client, lmra):
    sign_in(client, lmra)
    assert client.get(f"/accounts/{uuid.uuid4()}/agreement").status_code == 404


# --- the requests queue and the home panel ---------------------------------------------------


def test_each_contact_sees_their_own_requests_and_the_coordinator_the_districts(
    client, district, lmra, dam, coordinator
):
    mine = OrganisationFactory(name="Mine Ltd", district=district, contact=lmra)
    theirs = OrganisationFactory(name="Theirs Ltd", district=district, contact=dam)
    elsewhere = OrganisationFactory(name="Elsewhere Ltd", district=DistrictFactory())
    for organisation in (mine, theirs, elsewhere):
        request_agreement(organisation, make_employer(organisation), "", [])

    html = get_page(sign_in(client, lmra), "/agreement-requests")
    assert "Mine Ltd" in html and "Theirs Ltd" not in html and "Elsewhere Ltd" not in html
    html = get_page(sign_in(client, dam), "/agreement-requests")
    assert "Theirs Ltd" in html and "Mine Ltd" not in html
    html = get_page(sign_in(client, coordinator), "/agreement-requests")
    assert "Mine Ltd" in html and "Theirs Ltd" in html and "Elsewhere Ltd" not in html
    assert "Lena Marsh" in html and "Dev Anand" in html  # whose queue each is in

    assert client.get("/agreement-requests?page=two").status_code == 400


def test_requests_queue_runs_the_same_queries_for_one_request_or_many(client, district, lmra):
    counts = []
    for extra in (0, 5):
        for _ in range(1 if not counts else extra):
            organisation = OrganisationFactory(district=district, contact=lmra)
            request_agreement(organisation, make_employer(organisation), "Hello", ["pet"])
        db.session.flush()
        db.session.expunge_all()
        sign_in(client, lmra)
        with count_queries() as statements:
            get_page(client, "/agreement-requests")
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_home_panels(client, owner, organisation, lmra, coordinator):
    html = get_page(sign_in(client, owner), "/")
    assert "You do not have a LEP agreement yet." in html
    assert 'href="/agreement/request"' in html

    request_agreement(organisation, owner, "", [])
    html = get_page(sign_in(client, lmra), "/")
    assert "1 employer is waiting for you to call about a LEP agreement." in html
    html = get_page(sign_in(client, owner), "/")
    assert "You asked for a LEP agreement on" in html

    record_agreement(organisation, terms(TRIALS_3, on=dt.date(2026, 11, 2)), lmra)
    html = get_page(sign_in(client, owner), "/")
    assert "You have had a LEP agreement since 2 November 2026." in html
    html = get_page(sign_in(client, lmra), "/")
    assert "No employers are waiting for you" in html
    html = get_page(sign_in(client, coordinator), "/")
    assert 'data-testid="agreement-panel"' not in html


def test_each_home_panel_is_one_query(app, owner, lmra):
    from app.agreements.panels import home_panel

    for user in (owner, lmra):
        with count_queries() as statements:
            panel = home_panel(user)
        assert panel is not None
        assert len(statements) == 1, statements
    assert home_panel(staff(Role.ADVISER, None)) is None


@pytest.mark.parametrize("data", [{}, {"message": "   "}])
def test_an_empty_request_is_refused_with_the_error_summary(client, owner, data):
    sign_in(client, owner)
    response = client.post("/agreement/request", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page_title(html).startswith("Error: Ask for a LEP agreement")
    assert "govuk-error-summary" in html
    assert "Select the measures you are interested in, or tell us what you need" in html
    assert db.session.scalar(select(func.count()).select_from(AgreementRequest)) == 0


def test_a_request_with_only_measures_or_only_a_message_is_sent(client, owner):
    sign_in(client, owner)
    response = client.post("/agreement/request", data={"measures": ["mentoring"]})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AgreementRequest)) == 1
