"""Fair-shot advice: requirements that can needlessly exclude disadvantaged jobseekers.

The LEP measure being implemented: employers "review their application processes to ensure
that local benefit claimants are not inadvertently excluded by, for example, requirements for
qualifications, or overly complicated procedures" (seed 001; DOMAIN.md).
"""

from __future__ import annotations

import dataclasses
import threading

import pytest
from flask import Flask, has_app_context
from flask_babel import Babel
from flask_babel.speaklater import LazyString

from app.vacancies.rules import FairShotAdvice, fair_shot_advice

ALL_CODES = [
    "degree_for_entry_level",
    "school_qualifications_for_entry_level",
    "experience_for_entry_level",
    "must_be_in_work",
    "no_gaps",
    "driving_licence_not_needed",
    "long_application",
]


def advise(
    essential: str = "",
    desirable: str = "",
    how_to_apply: str = "",
    *,
    entry_level: bool = True,
    involves_driving: bool = False,
) -> list[FairShotAdvice]:
    return fair_shot_advice(
        essential,
        desirable,
        how_to_apply,
        entry_level=entry_level,
        involves_driving=involves_driving,
    )


def found(advice: list[FairShotAdvice]) -> dict[str, str]:
    return {item.code: item.requirement for item in advice}


# --- what each rule finds -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("essential", "requirement"),
    [
        ("Degree essential", "Degree"),
        ("Must have a degree in any subject", "degree"),
        ("A university degree", "university degree"),
        ("Honours degree (2:1 or above)", "Honours degree"),
        ("Foundation degree or equivalent", "Foundation degree"),
        ("Bachelor's degree in business", "Bachelor's degree"),
        ("Bachelor\u2019s degree", "Bachelor\u2019s degree"),
        ("Educated to degree level", "degree"),
        ("HND in hospitality management", "HND"),
        ("HNC or equivalent", "HNC"),
        ("BSc in a science subject", "BSc"),
        ("BA (Hons) preferred", "BA (Hons)"),
        ("Must be a graduate", "be a graduate"),
        ("Graduate of a UK university", "Graduate of"),
        ("Graduate-level education", "Graduate-level"),
        ("Postgraduate qualification", "Postgraduate"),
        ("NVQ Level 4 in Care", "NVQ Level 4"),
        ("Level 5 diploma in management", "Level 5 diploma"),
        ("Higher National Diploma", "Higher National Diploma"),
        ("DEGREE ESSENTIAL", "DEGREE"),
    ],
)
def test_degree_requirement_for_entry_level_work_is_found(essential: str, requirement: str) -> None:
    assert found(advise(essential)) == {"degree_for_entry_level": requirement}


@pytest.mark.parametrize(
    ("essential", "requirement"),
    [
        ("5 GCSEs including English and Maths", "5 GCSEs including English and Maths"),
        ("Five GCSEs at grade C or above", "Five GCSEs"),
        ("GCSE English and Maths grade 4 or above", "GCSE"),
        ("GCSEs in English and maths at grade C or above.", "GCSEs in English and maths"),
        ("3 A levels", "3 A levels"),
        ("O-levels or equivalent", "O-levels"),
        ("Standard Grades in English and Maths", "Standard Grades in English and Maths"),
        ("Two Highers", "Two Highers"),
    ],
)
def test_school_exam_passes_for_entry_level_work_are_found(
    essential: str, requirement: str
) -> None:
    assert found(advise(essential)) == {"school_qualifications_for_entry_level": requirement}


@pytest.mark.parametrize(
    "essential",
    [
        "No GCSEs needed",
        "GCSEs not required",
        "A level head in a busy shop",
        "Food hygiene at a level 2 standard",
        "A higher standard of customer care",
    ],
)
def test_school_exam_passes_not_asked_for_are_not_flagged(essential: str) -> None:
    assert "school_qualifications_for_entry_level" not in found(advise(essential))


def test_school_exam_passes_are_fine_for_work_that_is_not_entry_level() -> None:
    assert advise("5 GCSEs including English and Maths", entry_level=False) == []


@pytest.mark.parametrize(
    ("essential", "requirement"),
    [
        ("2 years' experience in retail", "2 years' experience"),
        ("2 years\u2019 experience", "2 years\u2019 experience"),
        ("3+ years experience", "3+ years experience"),
        ("Minimum of two years' retail experience", "Minimum of two years' retail experience"),
        ("At least 1 year of experience in a kitchen", "At least 1 year of experience"),
        ("12 months' experience of warehouse work", "12 months' experience"),
        ("5 years or more experience", "5 years or more experience"),
        ("Several years' catering experience", "Several years' catering experience"),
        ("Experience in a care setting for 2 years", "Experience in a care setting for 2 years"),
        ("Experience: minimum 3 years", "Experience: minimum 3 years"),
        ("Experience (at least 2 years)", "Experience (at least 2 years"),
        ("Two yrs experience", "Two yrs experience"),
        ("Not less than 2 years' experience", "Not less than 2 years' experience"),
        ("No fewer than six months' experience", "No fewer than six months' experience"),
    ],
)
def test_years_of_experience_for_entry_level_work_is_found(
    essential: str, requirement: str
) -> None:
    assert found(advise(essential)) == {"experience_for_entry_level": requirement}


@pytest.mark.parametrize(
    ("essential", "requirement"),
    [
        ("Must be in work now", "Must be in work"),
        ("Applicants must be currently employed", "must be currently employed"),
        ("Must already be employed", "Must already be employed"),
        ("Currently employed", "Currently employed"),
        ("Currently in employment", "Currently in employment"),
        ("Presently working in a similar role", "Presently working"),
        ("You should be in current employment", "in current employment"),
        ("Unemployed need not apply", "Unemployed need not apply"),
        ("Unemployed applicants need not apply", "Unemployed applicants need not apply"),
        ("CURRENTLY WORKING", "CURRENTLY WORKING"),
    ],
)
def test_requirement_to_be_in_work_already_is_found(essential: str, requirement: str) -> None:
    assert found(advise(essential, entry_level=False)) == {"must_be_in_work": requirement}


@pytest.mark.parametrize(
    ("essential", "requirement"),
    [
        ("No gaps in employment", "No gaps in employment"),
        ("No gaps in your employment history", "No gaps in your employment history"),
        ("There must be no unexplained gaps in your CV", "no unexplained gaps in your CV"),
        ("No breaks in work history", "No breaks in work history"),
        ("Continuous employment history", "Continuous employment history"),
        ("An unbroken work record", "unbroken work record"),
        ("Uninterrupted employment", "Uninterrupted employment"),
        ("Gap-free employment history", "Gap-free employment history"),
        ("A career without any gaps in employment", "without any gaps in employment"),
        ("Must not have gaps in work history", "Must not have gaps in work history"),
    ],
)
def test_no_gaps_in_employment_requirement_is_found(essential: str, requirement: str) -> None:
    assert found(advise(essential, entry_level=False)) == {"no_gaps": requirement}


@pytest.mark.parametrize(
    ("essential", "requirement"),
    [
        ("Full UK driving licence", "Full UK driving licence"),
        ("Clean driving license", "Clean driving license"),
        ("Driver's licence essential", "Driver's licence"),
        ("Drivers licence", "Drivers licence"),
        ("Must hold a full clean licence", "full clean licence"),
        ("Must be able to drive", "Must be able to drive"),
        ("Ability to drive", "Ability to drive"),
        ("Own car", "Own car"),
        ("Access to a vehicle", "Access to a vehicle"),
        ("FULL DRIVING LICENCE", "FULL DRIVING LICENCE"),
    ],
)
def test_driving_licence_for_a_job_without_driving_is_found(
    essential: str, requirement: str
) -> None:
    assert found(advise(essential, entry_level=False)) == {
        "driving_licence_not_needed": requirement
    }


@pytest.mark.parametrize(
    ("how_to_apply", "requirement"),
    [
        ("Complete our 12-page application form", "12-page application form"),
        ("Please fill in the lengthy application form", "lengthy application form"),
        ("A long online application", "long online application"),
        ("Full application form required", "Full application form"),
        ("The application form is 14 pages", "application form is 14 pages"),
        ("This is a multi-stage process", "multi-stage"),
        ("Multiple stage written applications", "Multiple stage"),
        ("There are three stages: form, test, essay", "three stages"),
        ("A 3-stage recruitment process", "3-stage"),
        ("Applications online only", "online only"),
        ("Online-only applications", "Online-only"),
        ("Online applications only", "Online applications only"),
        ("We only accept applications online", "only accept applications online"),
        ("Apply only online via our careers site", "only online"),
        ("You must apply online", "must apply online"),
        ("Applications must be submitted online", "must be submitted online"),
        ("Applications can only be made online", "can only be made online"),
        ("No paper applications", "No paper applications"),
        ("Include a supporting statement of 500 words", "supporting statement"),
        ("Send a personal statement with your CV", "personal statement"),
    ],
)
def test_long_or_online_only_application_process_is_found(
    how_to_apply: str, requirement: str
) -> None:
    assert found(advise(how_to_apply=how_to_apply, entry_level=False)) == {
        "long_application": requirement
    }


# --- what each rule leaves alone ------------------------------------------------------------


@pytest.mark.parametrize(
    "essential",
    [
        "No degree needed",
        "A degree is not required",
        "Degree not essential",
        "You don't need a degree",
        "You don\u2019t need a degree or any qualifications",
        "No experience or degree needed",
        "Without a degree? Apply anyway",
        "Works to a high degree of accuracy",
        "Gives 360-degree feedback",
        "Keeps the freezer at -18 degrees",
        "Graduates welcome",
        "Friendly, reliable and willing to learn",
        "No experience needed, full training given",
        "Experience is not essential",
        "Previous experience not required",
        "Must be 18 years old or over",
        "Over 18 years of age",
        "Experience with 16-18 year olds helpful",
        "Able to work 2 years on a fixed-term contract",
        "Registered nurse? Not needed",
    ],
)
def test_entry_level_wording_that_does_not_demand_a_degree_or_experience_is_left_alone(
    essential: str,
) -> None:
    assert advise(essential) == []


@pytest.mark.parametrize(
    "essential",
    [
        "You do not need to be currently employed",
        "You don't need to be in work now",
        "Unemployed people welcome",
        "Gaps in employment are fine",
        "We welcome people with gaps in their employment",
        "Driving licence not required",
        "A driving licence is not essential",
        "No driving licence needed",
        "Driving licence (not essential)",
        "Licensed premises: personal licence holder",
        "Valid SIA licence",
        "Currently working towards an NVQ would be useful",
        "",
    ],
)
def test_wording_that_welcomes_jobseekers_is_left_alone(essential: str) -> None:
    assert advise(essential, entry_level=False) == []


@pytest.mark.parametrize(
    "how_to_apply",
    [
        "Call Sam on 01234 567890",
        "Send your CV to jobs@example.org or post it to us",
        "Apply online or by phone, or pick up a paper form at reception",
        "Short application form: one page",
        "Apply in person at the store",
        "No long application forms: just call us",
        "",
    ],
)
def test_a_simple_application_process_is_left_alone(how_to_apply: str) -> None:
    assert advise(how_to_apply=how_to_apply) == []


# --- when each rule applies ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("essential", "code"),
    [
        ("Degree essential", "degree_for_entry_level"),
        ("HND in engineering", "degree_for_entry_level"),
        ("3 years' experience", "experience_for_entry_level"),
    ],
)
def test_degree_and_experience_are_not_flagged_when_the_job_is_not_entry_level(
    essential: str, code: str
) -> None:
    assert [item.code for item in advise(essential, entry_level=True)] == [code]
    assert advise(essential, entry_level=False) == []


@pytest.mark.parametrize(
    "essential", ["Full UK driving licence", "Must be able to drive", "Own vehicle"]
)
def test_driving_licence_is_not_flagged_when_the_job_involves_driving(essential: str) -> None:
    assert advise(essential, involves_driving=True) == []
    assert [item.code for item in advise(essential, involves_driving=False)] == [
        "driving_licence_not_needed"
    ]


@pytest.mark.parametrize(
    ("essential", "code"),
    [
        ("Must be currently employed", "must_be_in_work"),
        ("No gaps in employment history", "no_gaps"),
        ("Complete our 12-page application form", None),
    ],
)
def test_being_in_work_and_no_gaps_are_flagged_whatever_the_level_or_driving(
    essential: str, code: str | None
) -> None:
    expected = [code] if code else []
    for entry_level in (True, False):
        for involves_driving in (True, False):
            result = advise(essential, entry_level=entry_level, involves_driving=involves_driving)
            assert [item.code for item in result] == expected


def test_requirements_in_the_desirable_criteria_are_flagged_too() -> None:
    result = advise(
        "Friendly and reliable",
        "Degree desirable; 5 GCSEs; 2 years' experience; currently employed; "
        "continuous employment history; full driving licence",
    )
    assert [item.code for item in result] == ALL_CODES[:6]


def test_the_application_process_is_only_read_from_how_to_apply() -> None:
    assert advise("Complete our 12-page application form", "Online only") == []
    assert [item.code for item in advise(how_to_apply="Online only")] == ["long_application"]


def test_person_specification_requirements_are_not_read_from_how_to_apply() -> None:
    how_to_apply = "Degree essential. Must be currently employed. Full driving licence."
    assert advise(how_to_apply=how_to_apply) == []


# --- shape of the result -------------------------------------------------------------------


def test_every_kind_of_advice_is_given_once_in_a_fixed_order() -> None:
    result = advise(
        "Degree essential. A second degree is a plus. 5 GCSEs. "
        "2 years' experience. 5 years' experience. "
        "Must be currently employed. Currently working. No gaps in employment. "
        "Continuous employment history. Full UK driving licence. Own car.",
        "Masters degree. Currently in employment.",
        "Complete our 12-page application form online only. Multi-stage process.",
    )
    assert [item.code for item in result] == ALL_CODES


def test_the_first_phrase_found_is_reported_with_whitespace_tidied() -> None:
    result = advise("Must   have a\n degree. Also an HND.", "BSc")
    assert [(item.code, item.requirement) for item in result] == [
        ("degree_for_entry_level", "degree")
    ]


def test_essential_criteria_are_reported_before_desirable_ones() -> None:
    result = advise("HND essential", "Degree desirable")
    assert result[0].requirement == "HND"


def test_a_negated_mention_does_not_hide_a_later_real_requirement() -> None:
    result = advise("No degree needed. Must have 2 years' experience and an HND.")
    assert found(result) == {
        "degree_for_entry_level": "HND",
        "experience_for_entry_level": "2 years' experience",
    }


def test_nothing_to_advise_gives_an_empty_list() -> None:
    assert advise("Reliable, good timekeeping", "Food hygiene certificate", "Call us") == []


def test_fair_shot_advice_is_frozen() -> None:
    (item,) = advise("Degree essential")
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.code = "other"  # type: ignore[misc]


@pytest.mark.parametrize("code", ALL_CODES)
def test_every_advice_has_distinct_translatable_advice_and_reason(code: str) -> None:
    everything = advise(
        "Degree. 5 GCSEs. 2 years' experience. Currently employed. No gaps in employment. Own car.",
        how_to_apply="Online only",
    )
    (item,) = [entry for entry in everything if entry.code == code]
    assert isinstance(item.advice, LazyString)
    assert isinstance(item.reason, LazyString)
    assert len(str(item.advice)) > 40
    assert len(str(item.reason)) > 40
    assert str(item.advice) != str(item.reason)


def test_advice_works_and_renders_without_a_flask_app_context() -> None:
    # A new thread starts with no Flask context whatever ran before it in this process.
    seen: dict = {}

    def run() -> None:
        seen["had_context"] = has_app_context()
        result = advise("Degree essential", how_to_apply="Online only")
        seen["codes"] = [item.code for item in result]
        seen["advice"] = str(result[0].advice)
        seen["reason"] = str(result[1].reason)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    assert seen["had_context"] is False
    assert seen["codes"] == ["degree_for_entry_level", "long_application"]
    assert "degree" in seen["advice"]
    assert "online" in seen["reason"]


def test_advice_renders_inside_a_flask_app_with_babel() -> None:
    app = Flask(__name__)
    Babel(app)
    (item,) = advise("Degree essential")
    with app.test_request_context():
        assert "degree" in str(item.advice)
        assert "degree" in f"{item.reason}"
