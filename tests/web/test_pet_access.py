"""The one rule for who sees which PET course (`app.pet.access`), role by role.

Course pages, trainee pages, cohorts and the PET summary all ask `visible_to` (or
`visible_course_ids`, built from it): staff of the course's district who work on PET, the
employers on the course and the course's provider see it; an administrator sees none, even
with a district set (the two copies this rule replaced disagreed there). Every user below
is given the course's district, so a rule that let any staff role or any district in would
fail here."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.auth.models import Role
from app.extensions import db
from app.pet import access
from app.pet.models import Course
from tests.factories import (
    DistrictFactory,
    OrganisationFactory,
    ProviderUserFactory,
    TrainingProviderFactory,
    employer_user,
)
from tests.pet_factories import CourseFactory, district_staff

# role -> (sees the course of their district / organisation / provider, sees every trainee)
RULE = {
    "tppm": (True, True),
    "dam": (True, True),
    "coordinator": (True, True),
    "adviser": (True, True),
    "lmra": (True, True),
    "admin": (False, False),
    "provider": (True, False),
    "employer": (True, False),
}


def test_the_table_names_every_role() -> None:
    assert set(RULE) == {role.value for role in Role}


@pytest.fixture
def scene(app):
    district = DistrictFactory()
    organisation = OrganisationFactory(district=district)
    provider = TrainingProviderFactory()
    here = CourseFactory(district=district, provider=provider, employers=[organisation])
    # Another district's course, another employer and another provider on it.
    elsewhere = CourseFactory(
        district=DistrictFactory(), employers=[OrganisationFactory()], provider=None
    )
    db.session.flush()
    return district, organisation, provider, here, elsewhere


def _user(role: str, district, organisation, provider):
    if role == "employer":
        user = employer_user(organisation)
        user.district = district  # an employer's district must not open courses either
    elif role == "provider":
        user = ProviderUserFactory(provider=provider, district=district)
    else:
        user = district_staff(district, Role(role))
    db.session.flush()
    return user


def _seen(user) -> set:
    return set(db.session.scalars(select(Course.id).where(access.visible_to(user))))


def _seen_by_id(user) -> set:
    ids = access.visible_course_ids(user)
    return set() if ids is None else set(db.session.scalars(ids))


@pytest.mark.parametrize("role", sorted(RULE))
def test_who_sees_which_course(scene, role: str) -> None:
    district, organisation, provider, here, elsewhere = scene
    user = _user(role, district, organisation, provider)
    sees, sees_every_trainee = RULE[role]
    expected = {here.id} if sees else set()

    assert _seen(user) == expected
    assert _seen_by_id(user) == expected  # the summary's form of the same rule
    assert (access.course_for(user, here.id) is not None) is sees
    assert access.course_for(user, elsewhere.id) is None
    assert access.sees_everyone(user) is sees_every_trainee


@pytest.mark.parametrize("role", ["tppm", "dam", "coordinator", "adviser", "lmra"])
def test_staff_of_another_district_see_none_of_its_courses(scene, role: str) -> None:
    _district, _organisation, _provider, here, _elsewhere = scene
    user = district_staff(DistrictFactory(), Role(role))
    db.session.flush()
    assert here.id not in _seen(user)
    assert here.id not in _seen_by_id(user)


@pytest.mark.parametrize("role", ["tppm", "lmra", "provider"])
def test_without_a_district_or_provider_nothing_is_seen(scene, role: str) -> None:
    district, organisation, provider, _here, _elsewhere = scene
    user = _user(role, district, organisation, provider)
    user.district = None
    user.district_id = None
    user.provider = None
    user.provider_id = None
    assert _seen(user) == set()
    assert access.visible_course_ids(user) is None


def test_an_employer_not_on_the_course_sees_none(scene) -> None:
    district, _organisation, _provider, here, _elsewhere = scene
    user = employer_user(OrganisationFactory(district=district))
    db.session.flush()
    assert here.id not in _seen(user)
    assert here.id not in _seen_by_id(user)
