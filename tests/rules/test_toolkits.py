"""Sector Employability Toolkits: nine two-week plans a JSA customer may follow."""

import pytest

from app.accounts.sectors import SECTORS
from app.pet.courses.rules import (
    FULL_TIME_HOURS,
    course_length_allowed,
    full_time_weeks,
    jsa_schedule_allowed,
)
from app.pet.models import ModuleKind
from app.pet.toolkits import TOOLKIT_CHOICES, TOOLKITS, hours_by_week

NINE_SECTORS = [
    "retail",
    "hospitality",
    "warehousing",
    "health",
    "social_care",
    "construction",
    "security",
    "contact_centres",
    "passenger_transport",
]


def test_there_is_one_toolkit_for_each_of_the_nine_routeway_sectors():
    assert list(TOOLKITS) == NINE_SECTORS
    assert set(TOOLKITS) <= set(SECTORS)
    assert [key for key, _ in TOOLKIT_CHOICES] == NINE_SECTORS


@pytest.mark.parametrize("key", NINE_SECTORS)
def test_toolkit_is_two_full_time_weeks_a_jsa_customer_may_attend(key):
    toolkit = TOOLKITS[key]
    schedule = toolkit.weekly_hours()
    assert toolkit.modules, "a toolkit has modules"
    assert len(schedule) == 2
    assert all(hours > FULL_TIME_HOURS for hours in schedule)
    assert full_time_weeks(schedule) == 2
    assert jsa_schedule_allowed(schedule)
    assert not jsa_schedule_allowed(schedule, full_time_weeks_already_used=1)
    assert course_length_allowed(len(schedule))


@pytest.mark.parametrize("key", NINE_SECTORS)
def test_toolkit_covers_the_routeway_job_search_and_induction_every_week(key):
    toolkit = TOOLKITS[key]
    for week in (1, 2):
        kinds = {module.kind for module in toolkit.modules if module.week == week}
        assert ModuleKind.SECTOR in kinds
        assert ModuleKind.JOB_SEARCH in kinds
    assert ModuleKind.INDUCTION in {module.kind for module in toolkit.modules}
    assert all(module.hours > 0 and str(module.title) for module in toolkit.modules)
    assert ModuleKind.WORK_TRIAL not in {module.kind for module in toolkit.modules}


@pytest.mark.parametrize("key", NINE_SECTORS)
def test_the_optional_work_trial_is_a_part_time_third_week_so_jsa_customers_keep_it(key):
    toolkit = TOOLKITS[key]
    assert toolkit.work_trial.kind is ModuleKind.WORK_TRIAL
    with_trial = toolkit.weekly_hours(work_trial=True)
    assert len(with_trial) == 3
    assert with_trial[2] <= FULL_TIME_HOURS
    assert full_time_weeks(with_trial) == 2
    assert jsa_schedule_allowed(with_trial)
    assert course_length_allowed(len(with_trial))
    assert toolkit.modules_with(work_trial=False) == toolkit.modules


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([], []),
        ([(1, 6), (1, 6.5)], [12.5]),
        ([(2, 10), (1, 4)], [4.0, 10.0]),
        ([(3, 16)], [0.0, 0.0, 16.0]),  # weeks with no module are weeks off
    ],
)
def test_hours_by_week_totals_each_week_in_order(pairs, expected):
    assert hours_by_week(pairs) == expected


def test_hours_by_week_refuses_a_week_before_the_course():
    with pytest.raises(ValueError):
        hours_by_week([(0, 5)])
