"""Who sees which course: staff of its district, the employers on it (who comment and propose
changes, never edit) and its provider's users; everyone else gets a 404. Pages' queries do
not grow with modules or courses."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.mail.models import OutboxMessage
from app.pet.models import CourseComment, CourseModel, CourseModule, CourseStatus, ModuleKind
from tests.factories import (
    DistrictFactory,
    OrganisationFactory,
    ProviderUserFactory,
    employer_user,
)
from tests.helpers import count_queries, get_page, post_form, sign_in
from tests.pet_factories import (
    ActionPointFactory,
    CourseFactory,
    DeliveryPlanFactory,
    district_staff,
)

READING_STAFF = (Role.DAM, Role.TPPM, Role.COORDINATOR, Role.ADVISER, Role.LMRA)


@pytest.fixture
def district():
    return DistrictFactory()


@pytest.fixture
def dam(district):
    return district_staff(district, Role.DAM, name="Dana DAM", email="dana@jobcentre.example")


@pytest.fixture
def employer_org(district):
    return OrganisationFactory(district=district, name="Northgate Stores")


@pytest.fixture
def course(district, dam, employer_org):
    return CourseFactory(
        district=district, created_by=dam, employers=[employer_org], title="Retail routeway"
    )


def outbox(kind: str) -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def error_summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return html_module.unescape(match.group(0))


# --- who sees a course -----------------------------------------------------------------------


@pytest.mark.parametrize("role", READING_STAFF)
def test_staff_of_the_courses_district_see_it_and_others_do_not(app, course, district, role):
    own = sign_in(app.test_client(), district_staff(district, role))
    html = get_page(own, f"/courses/{course.id}", title="Retail routeway")
    assert "JSA customers can attend" in html
    assert "Retail routeway" in get_page(own, "/courses")

    elsewhere = sign_in(app.test_client(), district_staff(DistrictFactory(), role))
    assert elsewhere.get(f"/courses/{course.id}").status_code == 404
    assert elsewhere.get(f"/courses/{course.id}/delivery-plan/print").status_code == 404
    assert "Retail routeway" not in get_page(elsewhere, "/courses")


def test_district_staff_who_do_not_design_see_no_design_controls(app, course, district):
    client = sign_in(app.test_client(), district_staff(district, Role.COORDINATOR))
    html = get_page(client, f"/courses/{course.id}")
    assert "Add a module" not in html and "/edit" not in html and "/move" not in html
    assert client.post(f"/courses/{course.id}/modules").status_code == 403


def test_another_districts_dam_cannot_change_the_course(app, course):
    other = sign_in(app.test_client(), district_staff(DistrictFactory(), Role.DAM))
    module = course.modules[0]
    assert other.get(f"/courses/{course.id}/edit").status_code == 404
    assert other.post(f"/courses/{course.id}/modules/{module.id}/remove").status_code == 404
    assert other.post(f"/courses/{course.id}/delivery-plan/finalise").status_code == 404
    assert len(course.modules) == 6


def test_the_employer_on_the_course_reads_it_and_never_edits(app, course, employer_org):
    client = sign_in(app.test_client(), employer_user(employer_org))
    html = get_page(client, f"/courses/{course.id}", title="Retail routeway")
    assert "Retail routeway: the shop floor" in html
    assert "Your comment" in html
    assert "Add a module" not in html and "Change the course details" not in html
    assert "Retail routeway" in get_page(client, "/courses")
    assert client.get(f"/courses/{course.id}/edit").status_code == 403
    assert client.post(f"/courses/{course.id}/modules").status_code == 403


def test_an_employer_not_on_the_course_gets_404(app, course, district):
    stranger = employer_user(OrganisationFactory(district=district))
    client = sign_in(app.test_client(), stranger)
    assert client.get(f"/courses/{course.id}").status_code == 404
    assert (
        client.post(
            f"/courses/{course.id}/comments", data={"comment-body": "Let me in"}
        ).status_code
        == 404
    )
    assert client.get(f"/courses/{course.id}/delivery-plan/print").status_code == 404
    assert "Retail routeway" not in get_page(client, "/courses")
    assert db.session.scalar(select(CourseComment.id)) is None


def test_providers_see_only_their_own_courses(app, course, district):
    own = ProviderUserFactory(provider=course.provider)
    client = sign_in(app.test_client(), own)
    html = get_page(client, f"/courses/{course.id}")
    assert "Your comment" not in html and "Add a module" not in html
    assert "Retail routeway" in get_page(client, "/courses")

    other = sign_in(app.test_client(), ProviderUserFactory())
    assert other.get(f"/courses/{course.id}").status_code == 404
    assert "Retail routeway" not in get_page(other, "/courses")
    # A course with no provider yet is no provider's.
    orphan = CourseFactory(district=district, provider=None, title="No provider yet")
    assert other.get(f"/courses/{orphan.id}").status_code == 404


def test_a_provider_user_without_a_provider_sees_nothing(app, course):
    user = ProviderUserFactory(provider=None)
    client = sign_in(app.test_client(), user)
    assert client.get(f"/courses/{course.id}").status_code == 404
    assert "There are no courses here yet." in get_page(client, "/courses")


# --- comments and proposals ------------------------------------------------------------------


def test_an_employer_comments_and_proposes_and_the_course_owners_are_emailed(
    app, course, employer_org, dam, district
):
    tppm = district_staff(district, Role.TPPM, email="tariq@jobcentre.example")
    DeliveryPlanFactory(course=course, single_point_of_contact=tppm)
    erin = employer_user(employer_org, name="Erin Employer")
    client = sign_in(app.test_client(), erin)

    post_form(
        client,
        f"/courses/{course.id}/comments",
        {"comment-body": "Please add our till training.", "comment-proposes_change": "y"},
        status=302,
    )
    post_form(client, f"/courses/{course.id}/comments", {"comment-body": "Looks good."}, status=302)
    comments = list(db.session.scalars(select(CourseComment).order_by(CourseComment.created_at)))
    assert [(c.body, c.proposes_change) for c in comments] == [
        ("Please add our till training.", True),
        ("Looks good.", False),
    ]
    messages = outbox("pet_course_comment")
    assert sorted(m.recipient for m in messages) == sorted(
        ["dana@jobcentre.example", "tariq@jobcentre.example"] * 2
    )
    proposal = next(m for m in messages if "proposes a change" in m.subject)
    assert proposal.subject == "Northgate Stores proposes a change to Retail routeway"
    assert "Please add our till training." in proposal.text_body
    assert f"/courses/{course.id}#comments" in proposal.text_body

    html = get_page(client, f"/courses/{course.id}")
    assert "Proposed change" in html and "Mark as resolved" not in html


def test_an_empty_comment_shows_an_error(app, course, employer_org):
    client = sign_in(app.test_client(), employer_user(employer_org))
    response = post_form(
        client,
        f"/courses/{course.id}/comments",
        {"comment-body": "  ", "comment-proposes_change": "y"},
        status=200,
    )
    assert "Enter your comment" in error_summary(response.get_data(as_text=True))


def test_staff_mark_a_proposal_resolved(app, course, employer_org, dam):
    comment = CourseComment(
        course_id=course.id,
        author_id=employer_user(employer_org).id,
        body="Shorter days please.",
        proposes_change=True,
    )
    db.session.add(comment)
    db.session.flush()
    client = sign_in(app.test_client(), dam)
    html = get_page(client, f"/courses/{course.id}")
    assert "Mark as resolved" in html
    post_form(client, f"/courses/{course.id}/comments/{comment.id}/resolve", {}, status=302)
    db.session.refresh(comment)
    assert comment.resolved_at is not None
    html = get_page(client, f"/courses/{course.id}")
    assert "Proposal resolved" in html and "Mark as resolved" not in html


def test_employers_on_a_sector_course_see_only_their_own_comments(app, district, dam):
    first, second = (OrganisationFactory(district=district) for _ in range(2))
    course = CourseFactory(
        district=district, created_by=dam, model=CourseModel.SECTOR, employers=[first, second]
    )
    for organisation, body in ((first, "First's idea"), (second, "Second's idea")):
        db.session.add(
            CourseComment(course_id=course.id, author_id=employer_user(organisation).id, body=body)
        )
    db.session.flush()
    first_user = employer_user(first)
    html = html_module.unescape(
        get_page(sign_in(app.test_client(), first_user), f"/courses/{course.id}")
    )
    assert "First's idea" in html and "Second's idea" not in html
    staff_html = html_module.unescape(
        get_page(sign_in(app.test_client(), dam), f"/courses/{course.id}")
    )
    assert "First's idea" in staff_html and "Second's idea" in staff_html


# --- the list --------------------------------------------------------------------------------


def test_course_list_filters_by_status(app, district, dam):
    CourseFactory(district=district, created_by=dam, title="Being designed")
    CourseFactory(district=district, created_by=dam, title="All agreed", status=CourseStatus.AGREED)
    client = sign_in(app.test_client(), dam)
    html = get_page(client, "/courses?status=agreed", title="Training courses")
    assert ">All agreed</a>" in html and ">Being designed</a>" not in html
    assert ">Being designed</a>" in get_page(client, "/courses")
    assert client.get("/courses?status=lost").status_code == 400
    assert client.get("/courses?page=0").status_code == 400


def test_course_list_is_paged(app, district, dam):
    for number in range(27):
        CourseFactory(
            district=district,
            created_by=dam,
            title=f"Course {number:02d}",
            start_date=dt.date(2027, 1, 1) + dt.timedelta(days=number),
        )
    client = sign_in(app.test_client(), dam)
    first = get_page(client, "/courses")
    assert first.count('data-testid="courses"') == 1
    assert "Course 26" in first and "Course 01" not in first
    assert "Course 01" in get_page(client, "/courses?page=2")


# --- queries do not grow ---------------------------------------------------------------------


def _add_modules(course, count: int) -> None:
    for number in range(count):
        db.session.add(
            CourseModule(
                course_id=course.id,
                position=100 + number,
                week=1 + number % 2,
                title=f"Extra module {number}",
                kind=ModuleKind.SKILLS,
                hours=Decimal("0.5"),
            )
        )
    db.session.flush()


@pytest.mark.parametrize("viewer", ["dam", "employer", "provider"])
def test_course_page_queries_do_not_grow_with_modules_comments_or_actions(
    app, district, dam, employer_org, viewer
):
    def make_course():
        course = CourseFactory(
            district=district,
            created_by=dam,
            model=CourseModel.SECTOR,
            employers=[employer_org, OrganisationFactory(district=district)],
            modules=False,
        )
        DeliveryPlanFactory(course=course)
        return course

    users = {
        "dam": dam,
        "employer": employer_user(employer_org),
        "provider": None,
    }
    small, large = make_course(), make_course()
    users["provider"] = ProviderUserFactory(provider=small.provider)
    large.provider = small.provider
    _add_modules(small, 2)
    _add_modules(large, 12)
    author = employer_user(employer_org)
    for course, count in ((small, 1), (large, 8)):
        for number in range(count):
            db.session.add(
                CourseComment(course_id=course.id, author_id=author.id, body=f"Note {number}")
            )
            ActionPointFactory(plan=course_plan(course), owner=dam)
    db.session.flush()
    client = sign_in(app.test_client(), users[viewer])

    urls = {course: f"/courses/{course.id}" for course in (small, large)}

    def queries(course) -> int:
        with count_queries() as statements:
            get_page(client, urls[course])
        return len(statements)

    assert queries(small) == queries(large)


def course_plan(course):
    from app.pet.models import DeliveryPlan

    return db.session.scalar(select(DeliveryPlan).where(DeliveryPlan.course_id == course.id))


@pytest.mark.parametrize("viewer", ["dam", "employer", "provider"])
def test_course_list_queries_do_not_grow_with_courses(app, district, dam, employer_org, viewer):
    provider_user = ProviderUserFactory()
    users = {"dam": dam, "employer": employer_user(employer_org), "provider": provider_user}
    client = sign_in(app.test_client(), users[viewer])

    def add(count: int) -> None:
        for _ in range(count):
            CourseFactory(
                district=district,
                created_by=dam,
                provider=provider_user.provider,
                employers=[employer_org, OrganisationFactory(district=district)],
            )

    def queries() -> int:
        with count_queries() as statements:
            html = get_page(client, "/courses")
        return len(statements), html.count('class="govuk-link" href="/courses/')

    add(2)
    few, shown = queries()
    assert shown == 2
    add(10)
    many, shown = queries()
    assert shown == 12
    assert many == few
