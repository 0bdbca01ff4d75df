"""Pre-employment training: courses (bespoke for one large employer, or for a sector and
several SMEs) built from the Sector Employability Toolkits, their delivery plans, trainees
referred REF2-style with starts, leavers and completions, attendance, and hires from the
cohorts (job outcomes)."""

from __future__ import annotations

from array import array
from collections.abc import Callable
from typing import Final

from app.auth.models import Role
from app.pet.courses.rules import DWP_ROUTE_ORDER, NATION_FIRST_ROUTE
from app.pet.models import ModuleKind
from app.pet.toolkits import TOOLKITS
from national.data import (
    ACTION_POINTS,
    COMMENTS,
    DECLINE_REASONS,
    LEAVE_REASONS,
    STREETS,
)
from national.employers import NATIONAL, SECTORS, SME
from national.parallel import chunk_ranges
from national.people import Outcomes
from national.plan import DAY, HOUR
from national.world import (
    BENCH_DISTRICT,
    FALSE,
    NULL,
    TRUE,
    Out,
    World,
    _shares,
    boolean,
    copy_text,
    json_text,
)

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "course": (
        "id", "title", "model", "sector", "toolkit", "district_id", "provider_id",
        "created_by_id", "status", "venue", "venue_address", "start_date", "weekly_hours",
        "places", "suitability_criteria", "follow_on", "funding_route",
        "funding_passed_over_reason", "travel_paid_by", "childcare_paid_by", "created_at",
    ),
    "course_employer": ("id", "course_id", "organisation_id"),
    "course_module": (
        "id", "course_id", "position", "week", "title", "kind", "hours", "description",
    ),
    "course_comment": (
        "id", "course_id", "author_id", "body", "proposes_change", "resolved_at", "created_at",
    ),
    "delivery_plan": (
        "id", "course_id", "meeting_date", "attendees", "measures_agreed",
        "roles_and_responsibilities", "suitability_criteria", "single_point_of_contact_id",
        "update_frequency", "finalised_at", "finalised_by_id", "created_at",
    ),
    "action_point": ("id", "plan_id", "description", "owner_id", "due_on", "done_at", "created_at"),
    "course_referral": (
        "id", "course_id", "customer_id", "referred_by_id", "owning_provider", "tppm_id",
        "status", "decided_at", "decline_reason", "started_on", "left_on", "leave_reason",
        "completed_on", "returned_to_original", "interview_at", "interview_organisation_id",
        "hired", "updated_at", "created_at",
    ),
    "attendance": (
        "id", "course_referral_id", "week", "hours_attended", "recorded_by_id", "recorded_at",
    ),
}  # fmt: skip

SECTOR_NAMES: Final = {
    "retail": "Retail", "hospitality": "Hospitality", "warehousing": "Warehousing",
    "health": "Health", "social_care": "Social care", "construction": "Construction",
    "security": "Security", "contact_centres": "Contact centre",
    "passenger_transport": "Passenger transport", "manufacturing": "Manufacturing",
    "public_administration": "Public services", "cleaning": "Cleaning", "other": "Employability",
}  # fmt: skip
# Modules for a course in a sector without a toolkit: (week, kind, title, hours).
GENERAL_MODULES: Final = (
    (1, ModuleKind.INDUCTION, "Workplace induction", 6),
    (1, ModuleKind.SKILLS, "Health and safety at work", 12),
    (1, ModuleKind.JOB_SEARCH, "Confidence building and motivation", 12),
    (2, ModuleKind.SKILLS, "Manual handling", 12),
    (2, ModuleKind.JOB_SEARCH, "CV preparation and application forms", 6),
    (2, ModuleKind.JOB_SEARCH, "Interview skills", 6),
    (2, ModuleKind.JOB_SEARCH, "Mock interviews", 6),
)
OWNING_PROVIDERS: Final = ("Jobcentre Plus", "New Deal prime contractor", "Pathways provider")
COST_PAYERS: Final = ("delivering_provider", "owning_provider", "jobcentre_plus")
#: The benchmark course: trainees by status (a cohort of 22 the employer sees).
BENCH_TRAINEES: Final = (("completed", 18), ("left", 4), ("declined", 2))


def _modules(sector: str, work_trial: bool) -> list[tuple[int, str, str, int, str]]:
    toolkit = TOOLKITS.get(sector)
    if toolkit is None:
        return [
            (week, kind.value, title, hours, "") for week, kind, title, hours in GENERAL_MODULES
        ]
    return [
        (m.week, m.kind.value, str(m.title), m.hours, str(m.description))
        for m in toolkit.modules_with(work_trial)
    ]


class TrainingPass:
    def __init__(self, world: World) -> None:
        self.world = world
        world.reseed("training", -1)
        self.ids = world.ids
        self.clock = world.clock
        self.random = world.rng.random
        self.module_cache: dict[tuple[str, bool], list[tuple[int, str, str, float, str]]] = {}
        self.counters = dict.fromkeys(
            (
                "course_employer", "course_module", "course_comment", "delivery_plan",
                "action_point", "course_referral", "attendance",
            ),
            0,
        )  # fmt: skip
        arrays = world.arrays
        kinds, districts, sectors = arrays["org_kind"], arrays["org_district"], arrays["org_sector"]
        self.large: list[list[int]] = [[] for _ in world.districts]
        self.smes: list[dict[int, list[int]]] = [{} for _ in world.districts]
        for o, kind in enumerate(kinds):
            if kind == SME:
                self.smes[districts[o]].setdefault(sectors[o], []).append(o)
            elif kind != NATIONAL or o == 0:
                self.large[districts[o]].append(o)
        self._plan_courses()

    def _next(self, kind: str) -> str:
        index = self.counters[kind]
        self.counters[kind] = index + 1
        return self.ids[kind](index)

    def _plan_courses(self) -> None:
        world = self.world
        plan = world.plan
        weights = [d.weight for d in world.districts]
        per_district = _shares(plan.courses - 1, weights, 0)
        # Trainees per course by status, scaled so that the total is about as planned.
        expected = {
            "finished": 15.0,
            "cancelled": 3.0,
            "running": 15.0,
            "agreed": 8.0,
            "design": 2.0,
        }
        shares = {
            "finished": 0.75,
            "cancelled": 0.04,
            "running": 0.08,
            "agreed": 0.08,
            "design": 0.05,
        }
        per_course = sum(expected[s] * shares[s] for s in expected)
        self.trainee_factor = max(0.0, plan.trainees - 24) / max(1, plan.courses - 1) / per_course
        # Course 0 is the benchmark's; the rest district by district.
        self.course_districts = array("H", [BENCH_DISTRICT])
        for district, count in enumerate(per_district):
            self.course_districts.extend([district] * count)

    def chunks(self, pieces: int) -> list[tuple[int, int]]:
        return chunk_ranges([1] * len(self.course_districts), pieces)

    def run_chunk(self, number: int, chunk: tuple[int, int], out: Out) -> int:
        """Make courses [start, stop); returns how many trainees were hired."""
        start, stop = chunk
        world = self.world
        world.reseed("training", start)
        self.out = out
        self.outcomes = Outcomes(world, out, kind="pet_outcome")
        self.people = self.outcomes.customers
        base = number << 36
        self.counters = dict.fromkeys(self.counters, base)
        for index in range(start, stop):
            self._course(index, self.course_districts[index], bench=index == 0)
            out.tick(1)
        return self.outcomes.count

    def _course(self, index: int, district: int, bench: bool = False) -> None:
        world, clock, out = self.world, self.clock, self.out
        random_ = self.random
        today = clock.today
        course_id = self.ids["course"](index)
        info = world.districts[district]
        arrays = world.arrays
        # Who it is for: one large employer (bespoke) or a few SMEs of a sector.
        bespoke = bench or random_() < 0.6 or not self.smes[district]
        if bespoke:
            pool = self.large[district] or [0]
            employers = [0] if bench else [pool[int(random_() * len(pool))]]
            sector = SECTORS[arrays["org_sector"][employers[0]]]
        else:
            by_sector = self.smes[district]
            keys = sorted(by_sector)
            key = keys[int(random_() * len(keys))]
            members = by_sector[key]
            employers = sorted({members[int(random_() * len(members))] for _ in range(4)})[
                : 2 + int(random_() * 3)
            ]
            sector = SECTORS[key]
        work_trial = random_() < 0.4 and not bench
        modules = self._modules(sector, work_trial)
        weeks: dict[int, float] = {}
        for week, _kind, _title, hours, _description in modules:
            weeks[week] = weeks.get(week, 0.0) + hours
        weekly = [weeks.get(w, 0.0) for w in range(1, max(weeks) + 1)]
        length = 7 * len(weekly)
        # When: most courses have run; some are running, agreed or still being designed.
        r = random_()
        if bench:
            status, start = "finished", today - 40
        elif r < 0.79:
            start = clock.start + int(random_() * max(1, today - length - 1 - clock.start))
            status = "cancelled" if random_() < 0.05 else "finished"
        elif r < 0.87:
            start = today - int(random_() * (length - 1))
            status = "running"
        elif r < 0.95:
            start = today + 7 + int(random_() * 53)
            status = "agreed"
        else:
            start = today + 14 + int(random_() * 90) if random_() < 0.6 else -1
            status = "design"
        designed = (start if start >= 0 else today) - 30 - int(random_() * 60)
        designed = min(designed, today - 1)
        created_by = world.pick_staff(district, Role.DAM if bespoke else Role.TPPM)
        creator_id = world.staff_ids[created_by]
        providers = info.providers
        provider = providers[int(random_() * len(providers))]
        has_provider = status != "design" or random_() < 0.7
        provider_id = world.provider_ids[provider] if has_provider else NULL
        town = info.towns[int(random_() * len(info.towns))]
        venue = "employer" if bespoke and random_() < 0.3 else "provider"
        address = f"{1 + int(random_() * 90)} {STREETS[int(random_() * len(STREETS))]}, {town}"
        route, passed_over, travel, childcare = NULL, "", NULL, NULL
        if status != "design" or random_() < 0.5:
            if random_() < 0.75:
                route = NATION_FIRST_ROUTE[info.nation]
            else:
                route = DWP_ROUTE_ORDER[int(random_() * len(DWP_ROUTE_ORDER))]
                passed_over = "No provision from the nation's skills programme in time."
            travel = COST_PAYERS[int(random_() * 3)]
            childcare = COST_PAYERS[int(random_() * 3)]
        places = 24 if bench else 10 + int(random_() * 11)
        if bespoke:
            title = f"{SECTOR_NAMES[sector]} routeway for {world.org_name(employers[0])}"
        else:
            title = f"{SECTOR_NAMES[sector]} routeway, {town}"
        follow_on = ("guaranteed_interview", "work_trial", "both")[int(random_() * random_() * 3)]
        criteria = "Keen to work in the sector; able to attend every day of the course."
        out["course"].write(
            f"{course_id}\t{copy_text(title[:200])}\t{'bespoke' if bespoke else 'sector'}\t{sector}"
            f"\t{sector if sector in TOOLKITS else NULL}\t{world.district_ids[district]}"
            f"\t{provider_id}\t{creator_id}\t{status}\t{venue}\t{copy_text(address)}"
            f"\t{clock.date(start) if start >= 0 else NULL}"
            f"\t{json_text(weekly)}\t{places}\t{criteria}\t{follow_on}\t{route}"
            f"\t{passed_over}\t{travel}\t{childcare}\t{clock.ts(world.work_moment(designed))}\n"
        )
        for o in employers:
            out["course_employer"].write(
                f"{self._next('course_employer')}\t{course_id}\t{world.org_ids[o]}\n"
            )
        write_module = out["course_module"].write
        for position, (week, kind, module_title, hours, description) in enumerate(modules, 1):
            write_module(
                f"{self._next('course_module')}\t{course_id}\t{position}\t{week}"
                f"\t{copy_text(module_title)}\t{kind}\t{hours:.1f}\t{copy_text(description)}\n"
            )
        if status in ("design", "agreed") and random_() < 0.5:
            author = world.employer_user_ids[arrays["org_user0"][employers[0]]]
            when = world.work_moment(min(today - 1, designed + 3))
            resolved = clock.ts(when + DAY) if status == "agreed" else NULL
            out["course_comment"].write(
                f"{self._next('course_comment')}\t{course_id}\t{author}"
                f"\t{COMMENTS[int(random_() * len(COMMENTS))]}\t{boolean(random_() < 0.5)}"
                f"\t{resolved}\t{clock.ts(when)}\n"
            )
        if status != "design" or random_() < 0.5:
            self._plan(course_id, status, start, designed, district, created_by, employers)
        self._trainees(
            course_id, status, start, weekly, district, provider if has_provider else -1,
            employers, bench, places,
        )  # fmt: skip

    def _modules(self, sector: str, work_trial: bool) -> list:
        key = (sector, work_trial)
        found = self.module_cache.get(key)
        if found is None:
            found = self.module_cache[key] = [
                (week, kind, title, float(hours), description)
                for week, kind, title, hours, description in _modules(sector, work_trial)
            ]
        return found

    def _plan(
        self,
        course_id: str,
        status: str,
        start: int,
        designed: int,
        district: int,
        created_by: int,
        employers: list[int],
    ) -> None:
        world, clock, out = self.world, self.clock, self.out
        random_ = self.random
        today = clock.today
        meeting = min(today - 1, (start if start >= 0 else today) - 14 - int(random_() * 14))
        meeting = max(meeting, designed)
        finalised = status != "design"
        creator_id = world.staff_ids[created_by]
        attendees = []
        for party in ("employer", "district", "provider", "commissioning"):
            first, last = world.name()
            domain = {
                "employer": "employer.example", "district": "jobcentreplus.example",
                "provider": "provider.example", "commissioning": "dwp.example",
            }[party]  # fmt: skip
            attendees.append(
                {
                    "name": f"{first} {last}",
                    "email": f"{first}.{last}@{domain}".lower(),
                    "party": party,
                }
            )
        plan_id = self._next("delivery_plan")
        out["delivery_plan"].write(
            f"{plan_id}\t{course_id}\t{clock.date(meeting)}\t{json_text(attendees)}"
            f"\tA guaranteed interview for everyone who completes the course."
            f"\tThe provider delivers the course; the district refers; the employer interviews."
            f"\tKeen to work in the sector.\t{creator_id}\tEvery Friday by email"
            f"\t{clock.ts(world.work_moment(meeting + 1)) if finalised else NULL}"
            f"\t{creator_id if finalised else NULL}\t{clock.ts(world.work_moment(meeting))}\n"
        )
        tppm = world.staff_id(district, Role.TPPM)
        for k in range(2 + int(random_() * 2)):
            due = meeting + 3 + 4 * k + int(random_() * 5)
            done = clock.ts(world.work_moment(due - 1)) if due < today and random_() < 0.8 else NULL
            owner = creator_id if k % 2 == 0 else tppm
            out["action_point"].write(
                f"{self._next('action_point')}\t{plan_id}"
                f"\t{ACTION_POINTS[(k + int(random_() * 5)) % len(ACTION_POINTS)]}\t{owner}"
                f"\t{clock.date(due)}\t{done}\t{clock.ts(world.work_moment(meeting))}\n"
            )

    def _trainees(
        self,
        course_id: str,
        status: str,
        start: int,
        weekly: list[float],
        district: int,
        provider: int,
        employers: list[int],
        bench: bool,
        places: int,
    ) -> None:
        world, clock, out, ids = self.world, self.clock, self.out, self.ids
        random_ = self.random
        today, now = clock.today, clock.now
        people = self.people
        arrays = world.arrays
        if bench:
            plan = [s for s, n in BENCH_TRAINEES for _ in range(n)]
        else:
            base = {
                "finished": places * (0.85 + 0.5 * random_()),
                "running": places * (0.85 + 0.5 * random_()),
                "agreed": places * 0.6 * random_(),
                "design": 3 * random_(),
                "cancelled": 5 * random_(),
            }[status]  # fmt: skip
            count = int(base * self.trainee_factor + random_())
            plan = [self._trainee_status(status, random_) for _ in range(count)]
        if not plan:
            return
        length = 7 * len(weekly)
        first_day = start if start >= 0 else today
        recorders = world.provider_users[provider] if provider >= 0 else []
        tppm = world.pick_staff(district, Role.TPPM)
        tppm_id = world.staff_ids[tppm]
        coordinator = world.staff_ids[world.districts[district].staff[Role.COORDINATOR][0]]
        chosen: set[int] = set()
        write = out["course_referral"].write
        write_attendance = out["attendance"].write
        provider_user = ids["provider_user"]
        hires = 0
        for k, trainee_status in enumerate(plan):
            referred = min(today - 1, first_day - 5 - int(random_() * 25))
            customer = -1
            for _attempt in range(8 if not bench else 400):
                candidate = people.pick(district, referred, random_, 100_000 if bench else 540)
                if candidate < 0 or candidate in chosen:
                    continue
                if people.age(candidate, referred) < 18 or not people.pet_eligible(
                    candidate, referred
                ):
                    continue
                customer = candidate
                break
            if customer < 0:
                if bench:
                    raise RuntimeError("too few customers for the benchmark course")
                continue
            chosen.add(customer)
            referrer = world.arrays["cust_adviser"][customer]
            created = world.work_moment(referred)
            decided = started = left = completed = NULL
            decline_reason = leave_reason = ""
            returned = False
            interview = NULL
            interview_org = -1
            hired = False
            updated = created
            attended_weeks = 0
            if trainee_status != "referred":
                decided_at = min(created + int((1 + random_() * 3) * DAY), now - HOUR)
                decided = clock.ts(decided_at)
                updated = decided_at
            if trainee_status == "declined":
                decline_reason = DECLINE_REASONS[int(random_() * len(DECLINE_REASONS))]
            if trainee_status in ("started", "left", "completed"):
                started = clock.date(first_day)
                attended_weeks = min(len(weekly), max(0, (today - first_day) // 7))
            if trainee_status == "left":
                leave_day = (
                    first_day + 1 + int(random_() * max(1, min(length, today - first_day) - 1))
                )
                left = clock.date(min(leave_day, today - 1))
                leave_reason = LEAVE_REASONS[int(random_() * len(LEAVE_REASONS))]
                attended_weeks = min(attended_weeks, 1 + (leave_day - first_day) // 7)
                returned = random_() < 0.5
                updated = world.work_moment(min(leave_day, today - 1))
            if trainee_status == "completed":
                finish = first_day + length - 3
                completed = clock.date(finish)
                attended_weeks = len(weekly)
                updated = world.work_moment(finish)
                if random_() < (0.5 if bench else 0.55):
                    meet = finish + 3 + int(random_() * 7)
                    if meet < today:
                        interview = clock.ts(meet * DAY + 10 * HOUR)
                        interview_org = employers[int(random_() * len(employers))]
                        hire_day = meet + 7 + int(random_() * 14)
                        hired = hire_day < today and (hires < 2 if bench else random_() < 0.55)
                        if hired:
                            hires += 1
                        updated = meet * DAY + 10 * HOUR
                if not hired:
                    returned = random_() < 0.5
            referral_id = self._next("course_referral")
            write(
                f"{referral_id}\t{course_id}\t{world.customer_ids[customer]}"
                f"\t{world.staff_ids[referrer]}\t{OWNING_PROVIDERS[k % 3]}\t{tppm_id}"
                f"\t{trainee_status}\t{decided}\t{decline_reason}\t{started}\t{left}"
                f"\t{leave_reason}\t{completed}\t{boolean(returned)}\t{interview}"
                f"\t{world.org_ids[interview_org] if interview_org >= 0 else NULL}"
                f"\t{TRUE if hired else FALSE}\t{clock.ts(updated)}\t{clock.ts(created)}\n"
            )
            for week in range(1, attended_weeks + 1):
                scheduled = weekly[week - 1]
                hours = round(scheduled * (0.7 + 0.3 * random_()) * 2) / 2
                recorded = (first_day + 7 * week - 2) * DAY + 16 * HOUR
                by = provider_user(recorders[week % len(recorders)]) if recorders else tppm_id
                write_attendance(
                    f"{self._next('attendance')}\t{referral_id}\t{week}\t{hours:.1f}\t{by}"
                    f"\t{clock.ts(min(recorded, now - HOUR))}\n"
                )
            if hired:
                o = interview_org
                employer_user = world.employer_user_ids[arrays["org_user0"][o]]
                self.outcomes.record(
                    index=self.counters["course_referral"] - 1,
                    customer=customer,
                    organisation=o,
                    district=district,
                    start=hire_day,
                    hours=(1600, 2500, 3000, 3750)[int(random_() * 4)],
                    pay=int(
                        world.wages.pence(hire_day, people.age(customer, hire_day))
                        * (1.0 + 0.2 * random_())
                    ),
                    employer_user=employer_user,
                    staff_user=tppm_id,
                    coordinator=coordinator,
                    course_referral_id=referral_id,
                    by_employer=True if bench else None,
                )

    @staticmethod
    def _trainee_status(course_status: str, random_: Callable[[], float]) -> str:
        r = random_()
        if course_status == "finished":
            return "completed" if r < 0.72 else "left" if r < 0.88 else "declined"
        if course_status == "running":
            return "started" if r < 0.82 else "left" if r < 0.9 else "declined"
        if course_status == "agreed":
            return "referred" if r < 0.45 else "accepted" if r < 0.9 else "declined"
        if course_status == "cancelled":
            return "referred" if r < 0.5 else "declined"
        return "referred"
