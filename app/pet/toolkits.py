"""Sector Employability Toolkits: the two-week course templates a PET course starts from.

Reference data, no database. One toolkit for each of the nine routeway sectors (the keys of
`app.accounts.sectors.SECTORS`), each a two-week plan of modules followed by an optional
work trial. A course copies the modules it starts from; they can then be added, removed,
reordered and rewritten for the employer.

Sources (in /work/shared/seeds/):
- 002: DWP Provider Guidance, Chapter 18, Part B, "Design and Content of LEP Pre-employment
  Training": the relevant Sector Employability Toolkit "is based on two weeks training in the
  sector specific skills required by employers followed by a Work Trial if necessary";
  toolkits "are intended to provide a guide only, and their use will be dependent upon
  employer choice"; their materials were developed "in consultation with the nine Sector
  Skills Councils". "Short modular courses with sector skills routeways will be at the core,
  but districts and providers will have the flexibility to add additional modules like
  Jobsearch, work skills" (Part A).
- 002: "Jobseekers Allowance (JSA) Customers undertaking Pre-employment training": two
  weeks' full-time training in 52 weeks; part-time training of 16 hours or less is always
  allowed. So each toolkit has two full-time (30-hour) weeks and the work trial week is
  16 hours, which keeps a JSA customer within the rule.
- 003: IES evaluation, section 4.4 "The content of Pre-Employment Training": sector skills
  routeways (retail, hospitality, warehousing, health and social care, construction);
  job-search modules (confidence building and motivation, CV preparation, interview skills,
  mock interviews, help with the application process); induction into workplace culture
  (understanding the employer, timekeeping, team working); general or employer-specific
  skills (IT, customer care, manual handling, health and safety). Section 3.7: courses for
  health employers covered first aid, health and safety, food hygiene and infection
  control; a call-centre course covered customer service. Section 5.2.1: NHS courses
  included health and safety, food hygiene and manual handling; retail courses focused on
  customer service skills.

The seeds do not reproduce the toolkits' own materials, so the module titles and hours here
are the portal's illustration of that content, to be agreed with each employer. Security,
customer contact centres and passenger transport complete the nine with the other
routeways in `SECTORS` (seed 003 mentions security and call-centre courses).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.accounts.sectors import SECTORS
from app.pet.models import ModuleKind

WEEKS = 2
# A full-time week of training, well above the 16 hours that make a week full time.
FULL_TIME_WEEK_HOURS = 30
# The optional work trial follows the training part time, so a JSA customer can take it
# after two full-time weeks (seed 002: part time is 16 hours or less).
WORK_TRIAL_HOURS = 16


@dataclass(frozen=True)
class ToolkitModule:
    week: int
    kind: ModuleKind
    title: object  # a lazy string: translated when copied into a course
    hours: int
    description: object = ""


@dataclass(frozen=True)
class Toolkit:
    key: str  # the sector's key in SECTORS
    modules: tuple[ToolkitModule, ...]
    work_trial: ToolkitModule

    @property
    def name(self) -> object:
        return SECTORS[self.key]

    def modules_with(self, work_trial: bool) -> tuple[ToolkitModule, ...]:
        return (*self.modules, self.work_trial) if work_trial else self.modules

    def weekly_hours(self, work_trial: bool = False) -> list[float]:
        return hours_by_week((m.week, m.hours) for m in self.modules_with(work_trial))


def hours_by_week(week_hours: Iterable[tuple[int, float]]) -> list[float]:
    """The hours of each week, week 1 first, from (week, hours) pairs; a week with no
    module has 0 hours, and the schedule ends with the last week that has one."""
    totals: dict[int, float] = {}
    for week, hours in week_hours:
        if week < 1:
            raise ValueError(f"week {week} is before the course starts")
        totals[week] = totals.get(week, 0.0) + float(hours)
    if not totals:
        return []
    return [totals.get(week, 0.0) for week in range(1, max(totals) + 1)]


def _job_search_week_two() -> tuple[ToolkitModule, ...]:
    return (
        ToolkitModule(
            2,
            ModuleKind.JOB_SEARCH,
            _l("CV preparation and application forms"),
            6,
            _l("A CV for the sector, and help with the employer's application process."),
        ),
        ToolkitModule(2, ModuleKind.JOB_SEARCH, _l("Interview skills"), 5),
        ToolkitModule(
            2,
            ModuleKind.JOB_SEARCH,
            _l("Mock interviews"),
            4,
            _l("Practice interviews, ideally with the employer's own managers."),
        ),
    )


def _induction() -> ToolkitModule:
    return ToolkitModule(
        1,
        ModuleKind.INDUCTION,
        _l("Workplace induction"),
        6,
        _l("Understanding the employer, good timekeeping and working in a team."),
    )


def _confidence() -> ToolkitModule:
    return ToolkitModule(1, ModuleKind.JOB_SEARCH, _l("Confidence building and motivation"), 6)


def _work_trial(sector_work: object) -> ToolkitModule:
    return ToolkitModule(
        3,
        ModuleKind.WORK_TRIAL,
        _l("Work trial with the employer"),
        WORK_TRIAL_HOURS,
        sector_work,
    )


def _toolkit(
    key: str,
    *,
    routeway: tuple[object, object],
    week_one_skill: object,
    sector_week_two: object,
    week_two_skills: tuple[object, object],
    work_trial: object,
) -> Toolkit:
    """A toolkit of the common shape: 30 hours in each of the two weeks.

    Week 1: the sector routeway (12 hours), workplace induction (6), a sector skill (6),
    confidence building (6). Week 2: more of the routeway (9), two skills (3 each),
    then CV and applications (6), interview skills (5) and mock interviews (4).
    """
    routeway_title, routeway_description = routeway
    modules = (
        ToolkitModule(1, ModuleKind.SECTOR, routeway_title, 12, routeway_description),
        _induction(),
        ToolkitModule(1, ModuleKind.SKILLS, week_one_skill, 6),
        _confidence(),
        ToolkitModule(2, ModuleKind.SECTOR, sector_week_two, 9),
        ToolkitModule(2, ModuleKind.SKILLS, week_two_skills[0], 3),
        ToolkitModule(2, ModuleKind.SKILLS, week_two_skills[1], 3),
        *_job_search_week_two(),
    )
    return Toolkit(key=key, modules=modules, work_trial=_work_trial(work_trial))


TOOLKITS: dict[str, Toolkit] = {
    toolkit.key: toolkit
    for toolkit in (
        _toolkit(
            "retail",
            routeway=(
                _l("Introduction to retail"),
                _l("Working on the shop floor, stock and the till."),
            ),
            week_one_skill=_l("Customer care"),
            sector_week_two=_l("Stock handling, merchandising and till practice"),
            week_two_skills=(_l("Manual handling"), _l("Health and safety at work")),
            work_trial=_l("Shifts on the shop floor of one of the employer's stores."),
        ),
        _toolkit(
            "hospitality",
            routeway=(
                _l("Introduction to hospitality"),
                _l("Front of house, the kitchen and housekeeping."),
            ),
            week_one_skill=_l("Food hygiene"),
            sector_week_two=_l("Food and drink service"),
            week_two_skills=(_l("Customer care"), _l("Health and safety in the kitchen")),
            work_trial=_l("Shifts in the employer's restaurant, hotel or kitchen."),
        ),
        _toolkit(
            "warehousing",
            routeway=(
                _l("Introduction to warehousing and logistics"),
                _l("Goods in, picking, packing and dispatch."),
            ),
            week_one_skill=_l("Manual handling"),
            sector_week_two=_l("Stock control and handheld scanners"),
            week_two_skills=(_l("Health and safety in the warehouse"), _l("First aid")),
            work_trial=_l("Shifts in the employer's warehouse or distribution centre."),
        ),
        _toolkit(
            "health",
            routeway=(
                _l("Introduction to working in health services"),
                _l("Roles in hospitals and the NHS, and working with patients."),
            ),
            week_one_skill=_l("Infection control"),
            sector_week_two=_l("Supporting patients: communication and dignity"),
            week_two_skills=(_l("First aid"), _l("Food hygiene")),
            work_trial=_l("Shifts on a ward or in a support department of the employer."),
        ),
        _toolkit(
            "social_care",
            routeway=(
                _l("Introduction to social care"),
                _l("The role of a care worker at home and in residential care."),
            ),
            week_one_skill=_l("Manual handling: moving people safely"),
            sector_week_two=_l("Person-centred care, safeguarding and confidentiality"),
            week_two_skills=(_l("Infection control"), _l("First aid")),
            work_trial=_l("Shadowing care workers of the employer."),
        ),
        _toolkit(
            "construction",
            routeway=(
                _l("Introduction to construction"),
                _l("The building site, its trades and entry-level roles."),
            ),
            week_one_skill=_l("Health and safety on site"),
            sector_week_two=_l("Working safely with tools and materials"),
            week_two_skills=(_l("Manual handling"), _l("First aid")),
            work_trial=_l("Labouring shifts on one of the employer's sites."),
        ),
        _toolkit(
            "security",
            routeway=(
                _l("Introduction to the security industry"),
                _l("Security roles, the law and working with the public."),
            ),
            week_one_skill=_l("Customer care"),
            sector_week_two=_l("Patrolling, access control and reporting incidents"),
            week_two_skills=(_l("Managing conflict"), _l("First aid")),
            work_trial=_l("Shifts alongside the employer's security officers."),
        ),
        _toolkit(
            "contact_centres",
            routeway=(
                _l("Introduction to contact centres"),
                _l("Handling calls, emails and chats, and meeting service standards."),
            ),
            week_one_skill=_l("Customer care on the telephone"),
            sector_week_two=_l("Contact centre systems and keyboard skills"),
            week_two_skills=(_l("IT skills"), _l("Handling complaints")),
            work_trial=_l("Listening in and taking calls in the employer's contact centre."),
        ),
        _toolkit(
            "passenger_transport",
            routeway=(
                _l("Introduction to passenger transport"),
                _l("Bus, coach and rail roles, and serving passengers."),
            ),
            week_one_skill=_l("Customer care"),
            sector_week_two=_l("Passenger safety, accessibility and tickets"),
            week_two_skills=(_l("Health and safety at work"), _l("First aid")),
            work_trial=_l("Shifts at one of the employer's depots or stations."),
        ),
    )
}

TOOLKIT_CHOICES: list[tuple[str, object]] = [(key, SECTORS[key]) for key in TOOLKITS]
