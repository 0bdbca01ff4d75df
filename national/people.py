"""Jobseekers ("customers") and their consent; referrals of customers to vacancies; job
outcomes with their sustainment questions.

Customers are made district by district in the order they registered, so that each
district's pool of customers who may be referred (consenting, not red) is a sorted run of
registration days: a referral made on a day picks someone registered before it by bisection.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable
from typing import Final

from app.auth.models import Role
from app.customers.rules import lep_eligible, priority_group, subsidy_eligible
from app.outcomes.rules import SUSTAINMENT_WEEKS
from national.data import (
    AVAILABILITY,
    EXPERIENCE,
    FIRST_NAMES,
    JOBS,
    NOT_SELECTED_REASONS,
    SKILLS,
    SUITABILITY_REASONS,
    SURNAMES,
)
from national.employers import (
    FILLED,
    LIVE,
    OFFERS_INTERVIEW,
    OFFERS_TRIAL,
    SECTORS,
    WITHDRAWN,
)
from national.parallel import chunk_ranges
from national.plan import DAY, HOUR, pounds
from national.world import (
    FALSE,
    NULL,
    TRUE,
    Out,
    World,
    _shares,
    boolean,
    json_text,
)

MINUTE: Final = 60
BENEFITS: Final = (None, "jsa", "esa", "ib", "is")
# Customer flags in the compact arrays.
LONE_PARENT, EMPLOYED, OTHER_DISADVANTAGE, DISABLED, REDUNDANCY, WARD, NDDP = (
    1, 2, 4, 8, 16, 32, 64,
)  # fmt: skip
NO_CLAIM: Final = -1_000_000
#: Most referrals one vacancy gets (a bulk recruitment).
MOST_REFERRALS: Final = 250
#: The benchmark vacancy's referrals by status: fifty, every status.
BENCH_PLAN: Final = (
    ("referred", 12), ("shortlisted", 8), ("interview_arranged", 8), ("work_trial", 4),
    ("offered", 3), ("started", 3), ("not_selected", 8), ("withdrawn", 4),
)  # fmt: skip
# Statuses at which the candidate has been met (an interview), or may have had a trial.
MET: Final = frozenset({"interview_arranged", "work_trial", "offered", "started"})
TRIALLED: Final = frozenset({"offered", "started"})
# Statuses the employer moved the referral to some days after it was made.
MOVED: Final = frozenset({"not_selected", "withdrawn", "offered", "shortlisted", "started"})
PATHS: Final = {
    "referred": ("referred",),
    "shortlisted": ("referred", "shortlisted"),
    "interview_arranged": ("referred", "shortlisted", "interview_arranged"),
    "work_trial": ("referred", "interview_arranged", "work_trial"),
    "offered": ("referred", "interview_arranged", "offered"),
    "started": ("referred", "interview_arranged", "offered", "started"),
    "not_selected": ("referred", "interview_arranged", "not_selected"),
    "withdrawn": ("referred", "withdrawn"),
}

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "customer": (
        "id", "reference", "first_name", "last_name", "email", "phone", "date_of_birth",
        "postcode", "disadvantaged_ward", "benefit", "claim_start", "lone_parent", "disabled",
        "nddp_eligible", "employed", "under_redundancy_notice", "other_disadvantage",
        "goal_sectors", "goal_occupations", "min_hours", "max_hours", "travel_miles",
        "experience", "skills", "availability", "readiness", "readiness_set_at",
        "readiness_set_by_id", "consent_given", "adviser_id", "office_id", "district_id",
        "updated_at", "created_at",
    ),
    "consent": ("id", "customer_id", "given", "recorded_at", "recorded_by_id", "note"),
    "referral": (
        "id", "customer_id", "vacancy_id", "organisation_id", "referred_by_id", "district_id",
        "office_id", "note", "status", "interview_at", "interview_place",
        "guaranteed_interview", "work_trial_start", "work_trial_end", "not_selected_reason",
        "suitability", "suitability_reason", "rated_at", "rated_by_id", "updated_at",
        "created_at",
    ),
    "referral_event": ("id", "referral_id", "status", "at", "by_id", "detail"),
    "job_outcome": (
        "id", "referral_id", "customer_id", "organisation_id", "vacancy_id", "district_id",
        "start_date", "hours_per_week", "hourly_pay", "priority_group", "lep_eligible",
        "counts_as_lep", "subsidy_eligible", "recorded_by_id", "recorded_by_employer",
        "validation_status", "validated_at", "validated_by_id", "disputed_at",
        "disputed_by_id", "dispute_reason", "rejected_at", "rejected_by_id",
        "rejection_reason", "course_referral_id", "created_at",
    ),
    "sustainment_check": (
        "id", "outcome_id", "weeks", "due_on", "asked_at", "answered_at", "still_employed",
        "answered_by_id",
    ),
}  # fmt: skip


# --- customers -------------------------------------------------------------------------------


class CustomersPass:
    """Customers of each district in the order they registered, with their consent; made in
    chunks of consecutive customers."""

    def __init__(self, world: World) -> None:
        self.world = world
        world.reseed("customers", -1)
        clock, random_ = world.clock, world.rng.random
        weights = [d.weight for d in world.districts]
        self.districts = array("H")
        self.days = array("H")
        for district, count in zip(
            world.districts, _shares(world.plan.customers, weights, 150), strict=True
        ):
            self.districts.extend([district.index] * count)
            self.days.extend(
                sorted(
                    clock.start - int(random_() * 730) if random_() < 0.4 else world.draw_day()
                    for _ in range(count)
                )
            )

    def chunks(self, pieces: int) -> list[tuple[int, int]]:
        return chunk_ranges([1] * len(self.days), pieces)

    def run_chunk(self, number: int, chunk: tuple[int, int], out: Out) -> dict:
        start, stop = chunk
        world = self.world
        world.reseed("customers", start)
        clock, ids = world.clock, world.ids
        random_ = world.rng.random
        customer_space, consent_space = ids["customer"], ids["consent"]
        write, write_consent = out["customer"].write, out["consent"].write
        ts, date = clock.ts, clock.date
        dob_array, benefit_array, claim_array = array("i"), array("B"), array("i")
        flags_array, adviser_array = array("B"), array("i")
        pools: dict[int, tuple[array, array]] = {}
        goal_titles = {sector: ", ".join(t for t, _ in jobs[:2]) for sector, jobs in JOBS.items()}
        consent_index = number << 36
        now = clock.now
        names, surnames = len(FIRST_NAMES), len(SURNAMES)
        staff_ids = world.staff_ids
        adviser_offices = [world.office_ids[member.office] for member in world.staff]
        customer_ids: list[str] = []
        goal_texts: dict[tuple[str, ...], str] = {}
        flag_texts: dict[int, str] = {}
        max_hours = ("37", "40", NULL, "30")
        miles = ("5", "10", "10", "15", "20")
        districts, days = self.districts, self.days
        for index in range(start, stop):
            day = days[index]
            district_index = districts[index]
            district_id = world.district_ids[district_index]
            created = day * DAY + 28_800 + int(random_() * 36_000)
            first = FIRST_NAMES[int(random_() * names)]
            last = SURNAMES[int(random_() * surnames)]
            age = 16 + int(48 * random_() ** 1.5)
            dob = day - int(age * 365.25) - int(random_() * 364)
            r = random_()
            benefit = 1 if r < 0.55 else 2 if r < 0.67 else 3 if r < 0.72 else 4 if r < 0.8 else 0
            flags = 0
            if benefit == 0:
                if random_() < 0.25:
                    flags |= EMPLOYED | (REDUNDANCY if random_() < 0.6 else 0)
                claim = NO_CLAIM
            elif benefit == 1:
                claim = day - int(300 * random_() ** 2)
            else:
                claim = day - int(1500 * random_())
            if random_() < (0.5 if benefit == 4 else 0.05):
                flags |= LONE_PARENT
            if random_() < (0.6 if benefit in (2, 3) else 0.05):
                flags |= DISABLED
                if random_() < 0.5:
                    flags |= NDDP
            if random_() < 0.06:
                flags |= OTHER_DISADVANTAGE
            if random_() < 0.25:
                flags |= WARD
            r = random_()
            readiness = "green" if r < 0.55 else "amber" if r < 0.85 else "red"
            consent = random_() < (0.6 if readiness == "red" else 0.9)
            adviser = world.pick_staff(district_index, Role.ADVISER)
            adviser_id = staff_ids[adviser]
            office_id = adviser_offices[adviser]
            readiness_at = ts(min(created + int((1 + random_() * 13) * DAY), now - HOUR))
            goals = tuple(
                dict.fromkeys(SECTORS[int(random_() * 13)] for _ in range(1 + int(random_() * 3)))
            )
            goal_text = goal_texts.get(goals)
            if goal_text is None:
                goal_text = goal_texts[goals] = f"{json_text(list(goals))}\t{goal_titles[goals[0]]}"
            flag_text = flag_texts.get(flags)
            if flag_text is None:
                flag_text = flag_texts[flags] = "\t".join(
                    boolean(flags & flag)
                    for flag in (
                        LONE_PARENT,
                        DISABLED,
                        NDDP,
                        EMPLOYED,
                        REDUNDANCY,
                        OTHER_DISADVANTAGE,
                    )
                )
            customer_id = customer_space(index)
            customer_ids.append(customer_id)
            write(
                f"{customer_id}\tC{index + 1:08d}\t{first}\t{last}"
                f"\t{f'{first}.{last}{index}@example.net'.lower() if random_() < 0.6 else NULL}"
                f"\t{f'07700 9{index % 100000:05d}' if random_() < 0.75 else NULL}"
                f"\t{clock.any_date(dob)}\t{world.postcode(district_index)}"
                f"\t{TRUE if flags & WARD else FALSE}"
                f"\t{BENEFITS[benefit] or NULL}\t{date(claim) if claim != NO_CLAIM else NULL}"
                f"\t{flag_text}\t{goal_text}"
                f"\t{'16' if random_() < 0.5 else NULL}\t{max_hours[int(random_() * 4)]}"
                f"\t{miles[int(random_() * 5)]}"
                f"\t{EXPERIENCE[int(random_() * len(EXPERIENCE))]}"
                f"\t{SKILLS[int(random_() * len(SKILLS))]}"
                f"\t{AVAILABILITY[int(random_() * len(AVAILABILITY))]}\t{readiness}"
                f"\t{readiness_at}\t{adviser_id}\t{TRUE if consent else FALSE}\t{adviser_id}"
                f"\t{office_id}\t{district_id}\t{readiness_at}\t{ts(created)}\n"
            )
            if consent or random_() < 0.5:
                write_consent(
                    f"{consent_space(consent_index)}\t{customer_id}\t{TRUE}"
                    f"\t{ts(created + HOUR)}\t{adviser_id}\tSigned form\n"
                )
                consent_index += 1
                if not consent:
                    withdrawn = min(created + int((2 + random_() * 60) * DAY), now - HOUR)
                    write_consent(
                        f"{consent_space(consent_index)}\t{customer_id}\t{FALSE}"
                        f"\t{ts(withdrawn)}\t{adviser_id}\tWithdrew consent by phone\n"
                    )
                    consent_index += 1
            dob_array.append(dob)
            benefit_array.append(benefit)
            claim_array.append(claim)
            flags_array.append(flags)
            adviser_array.append(adviser)
            if consent and readiness != "red":
                pool = pools.get(district_index)
                if pool is None:
                    pool = pools[district_index] = (array("i"), array("H"))
                pool[0].append(index)
                pool[1].append(day)
            out.tick(1)
        return {
            "ids": customer_ids,
            "pools": pools,
            "arrays": {
                "cust_dob": dob_array,
                "cust_benefit": benefit_array,
                "cust_claim": claim_array,
                "cust_flags": flags_array,
                "cust_adviser": adviser_array,
            },
        }

    def merge(self, results: list[dict]) -> None:
        world = self.world
        world.arrays["cust_created"] = self.days
        for name in results[0]["arrays"]:
            joined = array(results[0]["arrays"][name].typecode)
            for result in results:
                joined.extend(result["arrays"][name])
            world.arrays[name] = joined
        world.customer_ids = [value for result in results for value in result["ids"]]
        world.pools = [(array("i"), array("H")) for _ in world.districts]
        for result in results:
            for district, (indexes, days) in result["pools"].items():
                world.pools[district][0].extend(indexes)
                world.pools[district][1].extend(days)


class Customers:
    """What the referral and training passes ask about a customer, from the compact arrays."""

    def __init__(self, world: World) -> None:
        arrays = world.arrays
        self.clock = world.clock
        self.dob = arrays["cust_dob"]
        self.benefit = arrays["cust_benefit"]
        self.claim = arrays["cust_claim"]
        self.flags = arrays["cust_flags"]
        self.pools = world.pools

    def group(self, customer: int, day: int) -> int:
        """The priority group on a day, by the portal's own rule."""
        claim = self.claim[customer]
        flags = self.flags[customer]
        return priority_group(
            self.clock.as_date(day),
            benefit=BENEFITS[self.benefit[customer]],
            claim_start=self.clock.as_date(claim) if claim != NO_CLAIM else None,
            lone_parent=bool(flags & LONE_PARENT),
            employed=bool(flags & EMPLOYED),
            other_disadvantage=bool(flags & (OTHER_DISADVANTAGE | DISABLED)),
        )

    def age(self, customer: int, day: int) -> int:
        born = self.clock.as_date(self.dob[customer])
        on = self.clock.as_date(day)
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))

    def pick(self, district: int, day: int, random_: Callable[[], float], window: int = 540) -> int:
        """A referable customer of the district registered before `day`, within `window`
        days of it (most referrals are of people recently on the register); -1 if none."""
        indexes, days = self.pools[district]
        high = bisect.bisect_left(days, day)
        if high == 0:
            return -1
        low = bisect.bisect_left(days, day - window)
        if high - low < 3:
            low = 0
        return indexes[low + int(random_() * (high - low))]

    def pet_eligible(self, customer: int, day: int) -> bool:
        flags = self.flags[customer]
        group = self.group(customer, day)
        return bool(flags & NDDP) or group in (1, 2) or (group in (3, 4) and bool(flags & WARD))


# --- job outcomes ----------------------------------------------------------------------------


class Outcomes:
    """Job outcomes and their two sustainment questions, from a referral or a PET hire."""

    def __init__(self, world: World, out: Out, kind: str = "job_outcome") -> None:
        """`kind` names the id space: outcomes of referrals are numbered by their referral,
        hires from PET cohorts ("pet_outcome") by their course referral."""
        self.world = world
        self.customers = Customers(world)
        self.write = out["job_outcome"].write
        self.write_check = out["sustainment_check"].write
        self.count = 0
        self.outcome_space = world.ids[kind]
        self.check_space = world.ids[f"{kind}_check"]
        self.agreements = world.arrays["org_agreement"]

    def agreement_on(self, organisation: int, day: int) -> bool:
        slots = self.agreements
        base = 4 * organisation
        return (0 <= slots[base] <= day <= slots[base + 1]) or (
            0 <= slots[base + 2] <= day <= slots[base + 3]
        )

    def record(
        self,
        *,
        index: int,
        customer: int,
        organisation: int,
        district: int,
        start: int,
        hours: int,
        pay: int,
        employer_user: str,
        staff_user: str,
        coordinator: str,
        referral_id: str = NULL,
        vacancy_id: str = NULL,
        course_referral_id: str = NULL,
        by_employer: bool | None = None,
        status: str | None = None,
        recorded_day: int | None = None,
    ) -> None:
        world, clock = self.world, self.world.clock
        random_ = world.rng.random
        today, now, ts = clock.today, clock.now, clock.ts
        people = self.customers
        age = people.age(customer, start)
        pay = max(pay, world.wages.pence(start, age))
        group = people.group(customer, start)
        flags = people.flags[customer]
        on = clock.as_date(start)
        eligible = lep_eligible(group, on, bool(flags & REDUNDANCY))
        claim = people.claim[customer]
        subsidy = subsidy_eligible(
            BENEFITS[people.benefit[customer]],
            clock.as_date(claim) if claim != NO_CLAIM else None,
            on,
        )
        counts = eligible and self.agreement_on(organisation, start)
        if recorded_day is None:
            recorded_day = min(today - 1, start + int(random_() * random_() * 10))
        recorded = world.work_moment(recorded_day)
        if by_employer is None:
            by_employer = random_() < 0.6
        age_days = today - recorded_day
        validated_at = validated_by = disputed_at = disputed_by = NULL
        rejected_at = rejected_by = NULL
        dispute_reason = rejection_reason = ""
        if status is None:
            if by_employer:
                status = "validated"
            elif age_days <= 7:
                status = "awaiting_employer"
            else:
                r = random_()
                if r < 0.86 or (r >= 0.92 and age_days > 60):
                    status = "validated"
                elif r < 0.89:
                    status = "disputed"
                elif r < 0.92:
                    status = "rejected"
                else:
                    status = "awaiting_employer"
        if status == "validated":
            if by_employer:
                validated_at, validated_by = ts(recorded), employer_user
            else:
                when = min(recorded + int((1 + random_() * 5) * DAY), now - HOUR)
                validated_at, validated_by = ts(when), employer_user
        elif status == "disputed":
            when = min(recorded + int((2 + random_() * 3) * DAY), now - HOUR)
            disputed_at, disputed_by = ts(when), employer_user
            dispute_reason = "They did not start on that date."
        elif status == "rejected":
            when = min(recorded + int((8 + random_() * 12) * DAY), now - HOUR)
            rejected_at, rejected_by = ts(when), coordinator
            rejection_reason = "Not a start with this employer."
        outcome_id = self.outcome_space(index)
        self.count += 1
        self.write(
            f"{outcome_id}\t{referral_id}\t{world.customer_ids[customer]}"
            f"\t{world.org_ids[organisation]}\t{vacancy_id}\t{world.district_ids[district]}"
            f"\t{clock.date(start)}\t{hours // 100}.{hours % 100:02d}\t{pounds(pay)}\t{group}"
            f"\t{boolean(eligible)}\t{boolean(counts)}\t{boolean(subsidy)}"
            f"\t{employer_user if by_employer else staff_user}\t{boolean(by_employer)}\t{status}"
            f"\t{validated_at}\t{validated_by}\t{disputed_at}\t{disputed_by}\t{dispute_reason}"
            f"\t{rejected_at}\t{rejected_by}\t{rejection_reason}\t{course_referral_id}"
            f"\t{ts(recorded)}\n"
        )
        asked_about = status in ("validated", "awaiting_employer")
        still = True
        for number, weeks in enumerate(SUSTAINMENT_WEEKS):
            due = start + 7 * weeks
            asked = due * DAY + 7 * HOUR
            answered_at = answer = answered_by = NULL
            if asked_about and asked < now:
                asked_text = ts(asked)
                if status == "validated" and random_() < 0.75:
                    when = asked + int(random_() * 14 * DAY)
                    if when < now:
                        still = still and random_() < (0.82 if weeks == 13 else 0.85)
                        answered_at, answer, answered_by = ts(when), boolean(still), employer_user
            else:
                asked_text = NULL
            self.write_check(
                f"{self.check_space(2 * index + number)}\t{outcome_id}\t{weeks}"
                f"\t{clock.date(due)}\t{asked_text}\t{answered_at}\t{answer}\t{answered_by}\n"
            )


# --- referrals -------------------------------------------------------------------------------


class ReferralsPass:
    """Referrals of customers to vacancies that went live, and the starts among them."""

    def __init__(self, world: World, pet_outcomes: int) -> None:
        self.world = world
        world.reseed("referrals", -1)
        self.counts, self.fill = self._plan(pet_outcomes)
        self.starts = array("q", [0])
        total = 0
        for count in self.counts:
            total += count
            self.starts.append(total)

    def _plan(self, pet_outcomes: int) -> tuple[array, float]:
        """How many referrals each vacancy gets, and the chance a filled place was filled
        through a referral, so the totals come out as planned."""
        world = self.world
        plan, arrays = world.plan, world.arrays
        random_ = world.rng.random
        weights = arrays["vac_weight"]
        status = arrays["vac_status"]
        positions = arrays["vac_positions"]
        live_days = arrays["vac_live"]
        bench = world.bench["vacancy"]
        factor = max(0, plan.referrals - 50) / max(1e-9, sum(weights))
        counts = array("H", bytes(2 * len(weights)))
        places = 0.0
        today = world.clock.today
        for gi, weight in enumerate(weights):
            if weight <= 0 or gi == bench:
                continue
            count = min(MOST_REFERRALS, _stochastic(weight * factor, random_))
            counts[gi] = count
            if status[gi] == FILLED:
                places += min(positions[gi], count)
            elif status[gi] == LIVE and today - live_days[gi] > 21:
                places += 0.3 * min(positions[gi], count)
        counts[bench] = sum(count for _status, count in BENCH_PLAN)
        wanted = max(0, plan.outcomes - pet_outcomes - 3)
        return counts, min(1.0, wanted / max(1.0, places))

    def chunks(self, pieces: int) -> list[tuple[int, int]]:
        return chunk_ranges([1 + count for count in self.counts], pieces)

    def run_chunk(self, number: int, chunk: tuple[int, int], out: Out) -> int:
        start, stop = chunk
        world = self.world
        world.reseed("referrals", start)
        self.out = out
        self.outcomes = Outcomes(world, out)
        self.people = self.outcomes.customers
        # Referrals are numbered by vacancy (a skipped one leaves a gap), events by chunk.
        self.index = self.starts[start]
        self.event_index = number << 36
        # The hot loop's lookups, held as attributes of their own.
        self.random = world.rng.random
        self.ts, self.date = world.clock.ts, world.clock.date
        self.today, self.now = world.clock.today, world.clock.now
        self.staff_ids = world.staff_ids
        self.staff_offices = [world.office_ids[member.office] for member in world.staff]
        self.advisers = world.arrays["cust_adviser"]
        self.customer_ids = world.customer_ids
        self.user_ids = world.employer_user_ids
        self.write_referral = out["referral"].write
        self.referral_space = world.ids["referral"]
        statuses = world.arrays["vac_status"]
        bench = world.bench["vacancy"]
        counts = self.counts
        for gi in range(start, stop):
            count = counts[gi]
            if count:
                self.index = self.starts[gi]
                if gi == bench:
                    self._bench_vacancy(gi)
                else:
                    self._vacancy(gi, count, statuses[gi])
            out.tick(1)
        return self.outcomes.count

    def _context(self, gi: int) -> dict:
        world = self.world
        arrays = world.arrays
        o = arrays["vac_org"][gi]
        users = arrays["org_users"][o]
        return {
            "o": o,
            "org_id": world.org_ids[o],
            "vacancy_id": world.ids["vacancy"](gi),
            "district": arrays["vac_district"][gi],
            "district_id": world.district_ids[arrays["vac_district"][gi]],
            "live": arrays["vac_live"][gi],
            "end": arrays["vac_end"][gi],
            "positions": arrays["vac_positions"][gi],
            "pay": arrays["vac_pay"][gi],
            "hours": arrays["vac_hours"][gi],
            "flags": arrays["vac_flags"][gi],
            "youngest": arrays["vac_youngest"][gi],
            "user0": arrays["org_user0"][o],
            "users": users,
        }

    def _vacancy(self, gi: int, count: int, status: int) -> None:
        world = self.world
        rng = world.rng
        random_ = rng.random
        clock = world.clock
        today = clock.today
        c = self._context(gi)
        live, end, district = c["live"], min(c["end"], today), c["district"]
        people = self.people
        dob = people.dob
        chosen: dict[int, int] = {}
        for _ in range(count):
            day = live + int((end - live) * random_() ** 1.5)
            for _attempt in range(4):
                customer = people.pick(district, day, random_)
                if customer < 0 or customer in chosen:
                    continue
                if (day - dob[customer]) < c["youngest"] * 365.25 + 1:
                    continue
                chosen[customer] = day
                break
        if not chosen:
            return
        starts = 0
        if status == FILLED:
            starts = sum(random_() < self.fill for _ in range(min(c["positions"], len(chosen))))
        elif status == LIVE and today - live > 21:
            starts = sum(
                random_() < 0.3 * self.fill for _ in range(min(c["positions"], len(chosen)))
            )
        # The earliest referrals are the ones who started.
        for k, (customer, day) in enumerate(sorted(chosen.items(), key=lambda item: item[1])):
            if k < starts and day + 7 < today:
                referral_status = "started"
            else:
                referral_status = self._status(status, today - day, random_)
            self._referral(gi, c, customer, day, referral_status)

    @staticmethod
    def _status(vacancy_status: int, age: int, random_: Callable[[], float]) -> str:
        r = random_()
        if vacancy_status == FILLED:
            return (
                "not_selected" if r < 0.65 else "withdrawn" if r < 0.85
                else "referred" if r < 0.95 else "shortlisted"
            )  # fmt: skip
        if vacancy_status == WITHDRAWN:
            return "not_selected" if r < 0.5 else "withdrawn" if r < 0.8 else "referred"
        if age < 14:
            return (
                "referred" if r < 0.55 else "shortlisted" if r < 0.75
                else "interview_arranged" if r < 0.9 else "work_trial" if r < 0.95 else "offered"
            )  # fmt: skip
        return (
            "referred" if r < 0.2 else "shortlisted" if r < 0.3 else "interview_arranged"
            if r < 0.4 else "work_trial" if r < 0.45 else "offered" if r < 0.5
            else "not_selected" if r < 0.85 else "withdrawn"
        )  # fmt: skip

    def _referral(
        self,
        gi: int,
        c: dict,
        customer: int,
        day: int,
        status: str,
        *,
        outcome_status: str | None = None,
        by_employer: bool | None = None,
        recorded_day: int | None = None,
        start: int | None = None,
    ) -> tuple[str, int, str, str]:
        random_ = self.random
        ts = self.ts
        today, now = self.today, self.now
        district = c["district"]
        created = day * DAY + 28_800 + int(random_() * 36_000)
        if random_() < 0.85:
            referrer = self.advisers[customer]
        else:
            referrer = self.world.pick_staff(district, Role.LMRA)
        referrer_id = self.staff_ids[referrer]
        employer_user = self.user_ids[c["user0"] + int(random_() * c["users"])]
        interview_at = trial_start = trial_end = rating = rated_at = rated_by = NULL
        place = reason = rating_reason = ""
        updated = created
        if status in MET or (status == "not_selected" and random_() < 0.5):
            when = (day + 3 + int(random_() * 11)) * DAY + (9 if random_() < 0.5 else 13) * HOUR
            if status != "interview_arranged":
                when = min(when, now - DAY)
            interview_at = ts(when)
            place = "At the site: ask for the manager"
            updated = min(max(updated, when - 2 * DAY), now - HOUR)
        if status == "work_trial" or (status in TRIALLED and c["flags"] & OFFERS_TRIAL):
            first = day + 5 + int(random_() * 10)
            if status != "work_trial":
                first = min(first, today - 10)
            trial_start, trial_end = self.date(first), self.date(first + 5)
        guaranteed = TRUE if c["flags"] & OFFERS_INTERVIEW and random_() < 0.6 else FALSE
        if status == "not_selected":
            reason = NOT_SELECTED_REASONS[int(random_() * 4)]
        if status != "referred" and random_() < 0.45:
            when = created + int((2 + random_() * 8) * DAY)
            if when < now:
                r = random_()
                rating = "1" if r < 0.1 else "2" if r < 0.3 else "3" if r < 0.75 else "4"
                rated_at, rated_by = ts(when), employer_user
                rating_reason = SUITABILITY_REASONS[int(random_() * 4)]
                if when > updated:
                    updated = when
        if status in MOVED:
            moved = min(created + int((1 + random_() * 20) * DAY), now - HOUR)
            if moved > updated:
                updated = moved
        referral_id = self.referral_space(self.index)
        self.index += 1
        vacancy_id = c["vacancy_id"]
        self.write_referral(
            f"{referral_id}\t{self.customer_ids[customer]}\t{vacancy_id}\t{c['org_id']}"
            f"\t{referrer_id}\t{c['district_id']}\t{self.staff_offices[referrer]}\t\t{status}"
            f"\t{interview_at}\t{place}\t{guaranteed}\t{trial_start}\t{trial_end}"
            f"\t{reason}\t{rating}\t{rating_reason}\t{rated_at}\t{rated_by}\t{ts(updated)}"
            f"\t{ts(created)}\n"
        )
        if status == "started":
            if start is None:
                start = min(today - 1, day + 7 + int(random_() * 28))
            world = self.world
            coordinator = world.staff_ids[world.districts[district].staff[Role.COORDINATOR][0]]
            self.outcomes.record(
                index=self.index - 1,
                customer=customer,
                organisation=c["o"],
                district=district,
                start=start,
                hours=c["hours"],
                pay=c["pay"],
                employer_user=employer_user,
                staff_user=referrer_id,
                coordinator=coordinator,
                referral_id=referral_id,
                vacancy_id=vacancy_id,
                by_employer=by_employer,
                status=outcome_status,
                recorded_day=recorded_day,
            )
        return referral_id, created, referrer_id, employer_user

    def _bench_vacancy(self, gi: int) -> None:
        """Fifty referrals at every status, of consenting customers the employer can see,
        each with its history; of the three starts, one validated, one left unconfirmed in
        the coordinator's queue and one disputed."""
        world = self.world
        random_ = world.rng.random
        clock = world.clock
        c = self._context(gi)
        live, district = c["live"], c["district"]
        people = self.people
        chosen: set[int] = set()
        starts = 0
        for status, count in BENCH_PLAN:
            for _ in range(count):
                day = (
                    live
                    if status == "started"
                    else min(live + int(random_() * 6), clock.today - 12)
                )
                customer = -1
                for _attempt in range(200):
                    customer = people.pick(district, day, random_, window=100_000)
                    if customer >= 0 and customer not in chosen and people.age(customer, day) >= 18:
                        break
                if customer < 0 or customer in chosen:
                    raise RuntimeError("too few customers for the benchmark vacancy")
                chosen.add(customer)
                extra: dict = {}
                if status == "started":
                    extra = (
                        {"by_employer": True, "outcome_status": "validated"},
                        {
                            "by_employer": False,
                            "outcome_status": "awaiting_employer",
                            "recorded_day": clock.today - 11,
                        },
                        {"by_employer": False, "outcome_status": "disputed"},
                    )[starts]
                    extra["start"] = day + 5
                    starts += 1
                referral_id, created, referrer_id, employer_user = self._referral(
                    gi, c, customer, day, status, **extra
                )
                self._events(referral_id, created, status, referrer_id, employer_user)

    def _events(
        self, referral_id: str, created: int, status: str, referrer_id: str, employer_user: str
    ) -> None:
        clock = self.world.clock
        ids = self.world.ids
        write = self.out["referral_event"].write
        for step, moved_to in enumerate(PATHS[status]):
            by = referrer_id if step == 0 else employer_user
            at = min(created + step * DAY, clock.now - HOUR)
            detail = (
                json_text({"start_date": clock.date(at // DAY)}) if moved_to == "started" else "{}"
            )
            write(
                f"{ids['referral_event'](self.event_index)}\t{referral_id}\t{moved_to}"
                f"\t{clock.ts(at)}\t{by}\t{detail}\n"
            )
            self.event_index += 1


def _stochastic(value: float, random_: Callable[[], float]) -> int:
    whole = int(value)
    return whole + (1 if random_() < value - whole else 0)
