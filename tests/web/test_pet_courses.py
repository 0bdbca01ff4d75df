"""PET course design: a DAM or TPPM creates a course from a Sector Employability Toolkit,
changes its modules and details; the course page says whether JSA customers can attend."""

from __future__ import annotations

import datetime as dt
import html as html_module
import re
from decimal import Decimal

import pytest
from sqlalchemy import select

from app import clock
from app.auth.models import Role
from app.extensions import db
from app.pet.courses.rules import FUNDING_ROUTE_LABELS
from app.pet.models import (
    Course,
    CourseModel,
    CourseModule,
    CourseStatus,
    ModuleKind,
)
from app.pet.toolkits import TOOLKITS
from tests.factories import (
    DistrictFactory,
    OrganisationFactory,
    TrainingProviderFactory,
    nation,
)
from tests.helpers import get_page, keep_day, page_title, post_form, sign_in
from tests.pet_factories import CourseFactory, district_staff


def date_parts(day: dt.date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


TODAY_AT_IMPORT = clock.today()
START = TODAY_AT_IMPORT + dt.timedelta(days=21)


@pytest.fixture(autouse=True)
def same_day_throughout(monkeypatch):
    keep_day(monkeypatch, TODAY_AT_IMPORT)


@pytest.fixture
def district():
    return DistrictFactory()


@pytest.fixture
def dam(district):
    return district_staff(district, Role.DAM, name="Dana DAM")


@pytest.fixture
def as_dam(app, dam):
    return sign_in(app.test_client(), dam)


@pytest.fixture
def provider():
    return TrainingProviderFactory(name="Northern Skills Ltd")


def new_course_form(**changes) -> dict:
    data = {
        "model": "bespoke",
        "toolkit": "retail",
        "title": "Retail routeway for Northgate",
        "venue": "provider",
        "venue_address": "2 Park Row, Leeds",
        "start_date": date_parts(START),
        "places": "12",
        "follow_on": "both",
        "suitability_criteria": "Happy to work weekends.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def error_summary(html: str) -> str:
    match = re.search(r'<div class="govuk-error-summary".*?</ul>', html, re.S)
    assert match, "no error summary"
    return html_module.unescape(match.group(0))


def verdict(html: str) -> str:
    match = re.search(r'data-testid="jsa-verdict">(.*?)</p>\s*<p[^>]*>(.*?)</p>', html, re.S)
    assert match, "no JSA verdict"
    tag = re.sub(r"<[^>]+>", "", match.group(1)).strip()
    return f"{tag}: {match.group(2).strip()}"


def module_titles(course: Course) -> list[tuple[int, str]]:
    modules = db.session.scalars(
        select(CourseModule)
        .where(CourseModule.course_id == course.id)
        .order_by(CourseModule.position)
    )
    return [(module.week, module.title) for module in modules]


# --- creating a course -----------------------------------------------------------------------


def test_dam_creates_a_bespoke_course_from_a_toolkit_with_one_employer(
    as_dam, dam, district, provider
):
    employer = OrganisationFactory(district=district, name="Northgate Stores")
    OrganisationFactory(name="Elsewhere Ltd")  # another district: not offered
    html = get_page(as_dam, "/courses/new", title="Create a training course")
    assert "Northgate Stores" in html and "Elsewhere Ltd" not in html
    for label in ("Hospitality", "Warehousing and logistics", "Passenger transport"):
        assert label in html

    response = post_form(
        as_dam,
        "/courses/new",
        new_course_form(employers=[str(employer.id)], provider=str(provider.id)),
        status=302,
    )

    course = db.session.scalar(
        select(Course).where(Course.title == "Retail routeway for Northgate")
    )
    assert response.headers["Location"].endswith(f"/courses/{course.id}")
    assert course.model is CourseModel.BESPOKE
    assert (course.sector, course.toolkit, course.status) == (
        "retail",
        "retail",
        CourseStatus.DESIGN,
    )
    assert course.district_id == district.id and course.created_by_id == dam.id
    assert course.provider_id == provider.id
    assert [item.organisation_id for item in course.employers] == [employer.id]
    assert course.start_date == START and course.places == 12
    toolkit = TOOLKITS["retail"]
    assert module_titles(course) == [(m.week, str(m.title)) for m in toolkit.modules]
    assert course.weekly_hours == [30.0, 30.0]


def test_tppm_creates_a_sector_course_with_the_work_trial_then_invites_its_employers(
    app, district, provider
):
    tppm = district_staff(district, Role.TPPM)
    client = sign_in(app.test_client(), tppm)
    smes = [OrganisationFactory(district=district, sector="hospitality") for _ in range(3)]
    form = new_course_form(
        model="sector",
        toolkit="hospitality",
        title="Hospitality sector course",
        employers=[str(org.id) for org in smes],
        provider=str(provider.id),
        work_trial="y",
    )
    # Each employer of a sector course joins itself, with its interviews: none ticked here.
    refused = post_form(client, "/courses/new", form, status=200).get_data(as_text=True)
    assert "Select no employers for a sector course" in error_summary(refused)
    response = post_form(client, "/courses/new", {**form, "employers": []}, status=302)
    course = db.session.scalar(select(Course).where(Course.title == "Hospitality sector course"))
    assert response.headers["Location"].endswith(f"/courses/{course.id}/invitations")
    assert course.model is CourseModel.SECTOR and course.sector == "hospitality"
    assert course.employers == []
    assert module_titles(course)[-1] == (3, "Work trial with the employer")
    assert course.weekly_hours == [30.0, 30.0, 16.0]


def test_a_sector_course_may_start_with_no_employers(as_dam, provider):
    post_form(
        as_dam,
        "/courses/new",
        new_course_form(model="sector", title="Open sector course", provider=str(provider.id)),
        status=302,
    )
    course = db.session.scalar(select(Course).where(Course.title == "Open sector course"))
    assert course.employers == []


def test_new_course_errors_keep_what_was_typed(as_dam, district, provider):
    employers = [OrganisationFactory(district=district) for _ in range(2)]
    response = post_form(
        as_dam,
        "/courses/new",
        new_course_form(
            title="Keep this title",
            employers=[str(org.id) for org in employers],  # two on a bespoke course
            provider=str(provider.id),
            places="0",
            start_date=date_parts(clock.today() - dt.timedelta(days=1)),
            toolkit=None,
        ),
        status=200,
    )
    html = response.get_data(as_text=True)
    assert page_title(html).startswith("Error: Create a training course")
    summary = error_summary(html)
    assert "Select one employer for a bespoke course" in summary
    assert "Select the toolkit the course starts from" in summary
    assert "Enter a number from 1 to 100" in summary
    assert "The start date must be today or in the future" in summary
    # In the order the page asks: the toolkit comes before the employers and the title.
    assert summary.index("Select the toolkit") < summary.index("Select one employer")
    assert 'value="Keep this title"' in html
    assert 'value="2 Park Row, Leeds"' in html
    assert re.search(rf'value="{employers[0].id}"\s+checked', html)
    assert db.session.scalar(select(Course.id).where(Course.title == "Keep this title")) is None


def test_a_bespoke_course_needs_an_employer_and_a_provider(as_dam):
    response = post_form(as_dam, "/courses/new", new_course_form(), status=200)
    summary = error_summary(response.get_data(as_text=True))
    assert "Select one employer for a bespoke course" in summary
    assert "Select the training provider who will deliver the course" in summary


def test_only_a_dam_or_tppm_creates_courses(app, district):
    adviser = district_staff(district, Role.ADVISER)
    client = sign_in(app.test_client(), adviser)
    assert client.get("/courses/new").status_code == 403
    html = get_page(client, "/courses", title="Training courses")
    assert "Create a course" not in html


# --- the JSA verdict -------------------------------------------------------------------------


def _course_with_weeks(district, dam, hours_by_week: list[int]) -> Course:
    course = CourseFactory(district=district, created_by=dam, modules=False)
    for position, hours in enumerate(hours_by_week, start=1):
        db.session.add(
            CourseModule(
                course=course,
                position=position,
                week=position,
                title=f"Week {position} module",
                kind=ModuleKind.SECTOR,
                hours=Decimal(hours),
            )
        )
    course.weekly_hours = [float(hours) for hours in hours_by_week]
    db.session.flush()
    return course


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [
        ([30, 30], "Yes: 2 weeks are full time"),
        ([30], "Yes: 1 week is full time"),
        ([30, 30, 30], "No: 3 weeks are full time"),
        ([30, 30, 16, 16], "Yes: 2 weeks are full time"),
        ([16, 16, 16, 16, 16], "Yes: Every week is 16 hours or less"),
        ([12] * 13, "Yes: Every week is 16 hours or less"),
    ],
)
def test_course_page_says_whether_jsa_customers_can_attend(as_dam, dam, district, weeks, expected):
    course = _course_with_weeks(district, dam, weeks)
    html = get_page(as_dam, f"/courses/{course.id}", title=course.title)
    assert verdict(html).startswith(expected)
    assert f"{len(weeks)} week" in html
    assert "within the 13 weeks a course may last" in html


def test_course_without_modules_has_no_verdict_yet(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam, modules=False)
    html = get_page(as_dam, f"/courses/{course.id}", title=course.title)
    assert verdict(html).startswith("Not known: Not known yet: add modules")
    assert "No weeks yet" in html


def test_course_page_shows_the_modules_week_by_week_with_hours(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam)
    html = get_page(as_dam, f"/courses/{course.id}", title=course.title)
    assert "Week 1: 30 hours" in html and "Week 2: 30 hours" in html
    assert html.index("Retail routeway: the shop floor") < html.index("Mock interviews")
    # No button that would do nothing: the first module cannot go up, nor the last down.
    assert html.count(">Move up<") == 5 and html.count(">Move down<") == 5


# --- funding route ---------------------------------------------------------------------------


def _routes_offered(html: str) -> list[str]:
    return re.findall(r'name="funding_route" type="radio" value="([a-z_]+)"', html)


def edit_form(course: Course, **changes) -> dict:
    data = {
        "title": course.title,
        "provider": str(course.provider_id),
        "venue": "employer",
        "venue_address": "Northgate Stores, Briggate, Leeds",
        "start_date": date_parts(START),
        "places": "10",
        "follow_on": "guaranteed_interview",
        "suitability_criteria": "Likes people.",
        "travel_paid_by": "delivering_provider",
        "childcare_paid_by": "owning_provider",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.parametrize(
    ("nation_code", "first"),
    [("england", "lsc"), ("wales", "skill_build"), ("scotland", "training_for_work")],
)
def test_funding_routes_are_offered_in_the_nations_order(app, nation_code, first):
    district = DistrictFactory(nation_code=nation(nation_code).code)
    dam = district_staff(district, Role.DAM)
    course = CourseFactory(district=district, created_by=dam)
    client = sign_in(app.test_client(), dam)
    html = get_page(client, f"/courses/{course.id}/edit", title="Change the course details")
    assert _routes_offered(html) == [
        first,
        "programme_centre",
        "new_deal_prime",
        "alternative_funds",
        "local_procurement",
    ]


def test_wales_offers_skill_build_first_and_never_lsc(app):
    district = DistrictFactory(nation_code=nation("wales").code)
    dam = district_staff(district, Role.DAM)
    course = CourseFactory(district=district, created_by=dam)
    client = sign_in(app.test_client(), dam)
    html = get_page(client, f"/courses/{course.id}/edit")
    assert _routes_offered(html)[0] == "skill_build"
    assert "lsc" not in _routes_offered(html)
    assert str(FUNDING_ROUTE_LABELS["lsc"]) not in html
    response = post_form(
        client, f"/courses/{course.id}/edit", edit_form(course, funding_route="lsc"), status=200
    )
    # An optional choice answered with something not offered (a route Wales does not use).
    assert "Select one of the options given" in error_summary(response.get_data(as_text=True))
    db.session.refresh(course)
    assert course.funding_route is None


def test_a_later_funding_route_needs_the_reason_the_first_was_not_used(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam)
    response = post_form(
        as_dam,
        f"/courses/{course.id}/edit",
        edit_form(course, funding_route="new_deal_prime", title="Changed title"),
        status=200,
    )
    html = response.get_data(as_text=True)
    assert "Enter why Learning and Skills Council (England) was not used" in error_summary(html)
    assert 'value="Changed title"' in html
    assert re.search(r'value="new_deal_prime"\s+checked', html)

    post_form(
        as_dam,
        f"/courses/{course.id}/edit",
        edit_form(
            course,
            funding_route="new_deal_prime",
            funding_passed_over_reason="No LSC provision locally before March.",
        ),
        status=302,
    )
    db.session.refresh(course)
    assert course.funding_route == "new_deal_prime"
    assert course.funding_passed_over_reason == "No LSC provision locally before March."
    assert course.travel_paid_by.value == "delivering_provider"
    assert course.childcare_paid_by.value == "owning_provider"
    assert course.venue.value == "employer" and course.places == 10
    html = get_page(as_dam, f"/courses/{course.id}")
    assert "New Deal prime contract" in html
    assert "No LSC provision locally before March." in html
    assert "The customer's own provider" in html_module.unescape(html)


def test_the_first_route_needs_no_reason(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam)
    post_form(
        as_dam, f"/courses/{course.id}/edit", edit_form(course, funding_route="lsc"), status=302
    )
    db.session.refresh(course)
    assert course.funding_route == "lsc"


# --- modules ---------------------------------------------------------------------------------


def module_form(**changes) -> dict:
    data = {
        "module-title": "Our till system",
        "module-kind": "employer_specific",
        "module-week": "2",
        "module-hours": "3.5",
        "module-description": "Taught by the store's own trainers.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_dam_adds_an_employer_specific_module_at_the_end_of_its_week(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam)
    post_form(as_dam, f"/courses/{course.id}/modules", module_form(), status=302)
    db.session.refresh(course)
    titles = module_titles(course)
    assert titles[-1] == (2, "Our till system")
    assert course.weekly_hours == [30.0, 33.5]

    post_form(
        as_dam,
        f"/courses/{course.id}/modules",
        module_form(**{"module-title": "Store tour", "module-week": "1", "module-hours": "2"}),
        status=302,
    )
    db.session.refresh(course)
    titles = module_titles(course)
    assert titles[3] == (1, "Store tour")  # after week 1's three modules
    assert course.weekly_hours == [32.0, 33.5]


def test_module_errors_show_on_the_course_page_with_the_input_kept(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam)
    response = post_form(
        as_dam,
        f"/courses/{course.id}/modules",
        module_form(**{"module-week": "14", "module-hours": "lots"}),
        status=200,
    )
    html = response.get_data(as_text=True)
    assert page_title(html).startswith(f"Error: {course.title}")
    summary = error_summary(html)
    assert "Enter a week from 1 to 13" in summary
    assert "Enter the module's hours as a number, like 6 or 2.5" in summary
    assert 'value="Our till system"' in html and 'value="lots"' in html
    assert len(module_titles(course)) == 6


def test_removing_a_module_recomputes_the_schedule(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam)
    mock = course.modules[-1]
    response = post_form(as_dam, f"/courses/{course.id}/modules/{mock.id}/remove", {}, status=302)
    assert response.headers["Location"].endswith(f"/courses/{course.id}#course-design")
    db.session.refresh(course)
    assert "Mock interviews" not in [title for _, title in module_titles(course)]
    assert course.weekly_hours == [30.0, 18.0]


def test_modules_move_up_and_down_within_and_across_weeks(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam)
    modules = list(course.modules)
    induction, customer_care, cv = modules[1], modules[2], modules[3]

    post_form(as_dam, f"/courses/{course.id}/modules/{induction.id}/move", {"direction": "up"})
    assert [t for _, t in module_titles(course)][:2] == [
        "Workplace induction",
        "Retail routeway: the shop floor",
    ]
    # The last module of week 1 moves down to the start of week 2 ...
    post_form(
        as_dam, f"/courses/{course.id}/modules/{customer_care.id}/move", {"direction": "down"}
    )
    assert module_titles(course)[2] == (2, "Customer care")
    # ... and the first of week 2 moves back up to the end of week 1.
    post_form(as_dam, f"/courses/{course.id}/modules/{customer_care.id}/move", {"direction": "up"})
    assert module_titles(course)[2] == (1, "Customer care")
    db.session.refresh(course)
    assert course.weekly_hours == [30.0, 30.0]
    # Moving never makes the course longer, or earlier than week 1.
    last = modules[-1]
    post_form(as_dam, f"/courses/{course.id}/modules/{last.id}/move", {"direction": "down"})
    first = module_titles(course)[0]
    assert module_titles(course)[-1] == (2, "Mock interviews")
    assert cv.week == 2
    assert first[0] == 1


def test_moving_with_htmx_returns_only_the_design_block(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam)
    second = course.modules[1]
    response = as_dam.post(
        f"/courses/{course.id}/modules/{second.id}/move",
        data={"direction": "up"},
        headers={"HX-Request": "true", "HX-Target": "course-design"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith('<div id="course-design"')
    assert "<html" not in html and "<h1" not in html
    assert html.index("Workplace induction") < html.index("Retail routeway: the shop floor")
    assert "HX-Request" in response.headers.get("Vary", "")

    removed = as_dam.post(
        f"/courses/{course.id}/modules/{second.id}/remove",
        headers={"HX-Request": "true", "HX-Target": "course-design"},
    )
    block = removed.get_data(as_text=True)
    assert removed.status_code == 200 and "Workplace induction" not in block
    assert "Week 1: 24 hours" in block


def test_a_move_in_no_direction_is_a_bad_request(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam)
    module = course.modules[0]
    assert (
        as_dam.post(
            f"/courses/{course.id}/modules/{module.id}/move", data={"direction": "sideways"}
        ).status_code
        == 400
    )


def test_a_module_of_another_course_is_not_found(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam)
    other = CourseFactory(district=district, created_by=dam)
    module = other.modules[0]
    assert as_dam.post(f"/courses/{course.id}/modules/{module.id}/remove").status_code == 404
    assert as_dam.get(f"/courses/{course.id}/modules/{module.id}/edit").status_code == 404


@pytest.mark.parametrize("hours", ["9" * 32, "NaN", "1e309"])
def test_module_hours_no_decimal_can_hold_are_out_of_range_not_a_500(as_dam, dam, district, hours):
    course = CourseFactory(district=district, created_by=dam)
    module = course.modules[0]
    response = post_form(
        as_dam,
        f"/courses/{course.id}/modules/{module.id}/edit",
        {"title": "Retail routeway", "kind": "sector", "week": "2", "hours": hours},
        status=200,
    )
    assert "Enter hours from 0.5 to 40" in error_summary(response.get_data(as_text=True))


def test_dam_changes_a_modules_week_hours_and_title(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam)
    module = course.modules[0]
    html = get_page(
        as_dam, f"/courses/{course.id}/modules/{module.id}/edit", title="Change a module"
    )
    assert 'value="Retail routeway: the shop floor"' in html
    post_form(
        as_dam,
        f"/courses/{course.id}/modules/{module.id}/edit",
        {
            "title": "Retail routeway",
            "kind": "sector",
            "week": "2",
            "hours": "10",
            "description": "",
        },
        status=302,
    )
    db.session.refresh(course)
    assert module_titles(course)[-1] == (2, "Retail routeway")
    assert course.weekly_hours == [12.0, 40.0]
    response = post_form(
        as_dam,
        f"/courses/{course.id}/modules/{module.id}/edit",
        {"title": "", "kind": "sector", "week": "2", "hours": "0.3"},
        status=200,
    )
    summary = error_summary(response.get_data(as_text=True))
    assert "Enter the module's title" in summary
    assert "Enter hours from 0.5 to 40" in summary


def test_an_agreed_course_cannot_be_changed_until_its_plan_is_reopened(as_dam, dam, district):
    course = CourseFactory(district=district, created_by=dam, status=CourseStatus.AGREED)
    module = course.modules[0]
    html = get_page(as_dam, f"/courses/{course.id}")
    assert "Reopen the delivery plan to change it" in html
    assert "Add a module" not in html and "/modules/" not in html
    assert as_dam.post(f"/courses/{course.id}/modules", data=module_form()).status_code == 409
    assert (
        as_dam.post(
            f"/courses/{course.id}/modules/{module.id}/move", data={"direction": "down"}
        ).status_code
        == 409
    )
    assert as_dam.get(f"/courses/{course.id}/edit").status_code == 409
