"""The employers pass: organisations (national employers with their branches, large
employers, SMEs), their sites, employer users, agreements, account management, and their
vacancies with the 48-hour call-back of each.

First a plan of every organisation (kind, district, sector, name, contact, how many sites,
users and vacancies, national employers' head-office agreements), then the organisations in
chunks. Within a chunk, one organisation at a time: its whole story (vacancies in date order,
call-backs, when it signed an agreement) is made together so that the rows agree with each
other. What later passes need comes back as compact arrays and goes onto the world.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Callable
from typing import Final

from app.agreements.models import MEASURES_WITH_PLACES, Measure
from app.auth.models import Role
from app.vacancies.rules import fair_shot_advice
from national.data import (
    CONTACT_SUMMARIES,
    DESCRIPTIONS,
    END_REASONS,
    HOW_TO_APPLY,
    JOBS,
    LARGE_PRIVATE_SUFFIXES,
    NATIONAL_KINDS,
    NATIONAL_SECTORS,
    NATIONAL_STEMS,
    NEXT_ACTIONS,
    REQUIREMENTS,
    SECTOR_WEIGHTS_LARGE,
    SECTOR_WEIGHTS_SME,
    SME_TRADES,
    STREETS,
    SURNAMES,
)
from national.parallel import chunk_ranges
from national.plan import DAY, HOUR, pounds
from national.world import (
    BENCH_DISTRICT,
    BENCH_EMPLOYER,
    FALSE,
    NULL,
    TRUE,
    Out,
    Picker,
    World,
    boolean,
    copy_text,
    json_text,
    slug,
)

NATIONAL, BRANCH, LARGE, SME = 0, 1, 2, 3
SECTORS: Final = tuple(JOBS)
# Vacancy statuses as stored in the compact arrays.
DRAFT, SUBMITTED, LIVE, FILLED, WITHDRAWN = 0, 1, 2, 3, 4
STATUS_TEXT: Final = ("draft", "submitted", "live", "filled", "withdrawn")
# Vacancy flags in the compact arrays.
OFFERS_INTERVIEW, OFFERS_TRIAL = 1, 2

MINUTE: Final = 60
#: Bench: call-backs waiting in the benchmark LMRA's queue, whatever the scale.
BENCH_QUEUE: Final = 30
#: Share of vacancies left as drafts.
DRAFTS: Final = 0.025
HOURS: Final = (1600, 2000, 2250, 3000, 3500, 3750, 3750, 3900, 4000)
MEASURES: Final = tuple(Measure)

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "organisation": (
        "id", "name", "size_band", "sector", "ownership", "district_id", "contact_id",
        "parent_id", "created_at",
    ),
    "site": ("id", "organisation_id", "name", "address_line_1", "town", "postcode", "created_at"),
    "employer_membership": ("id", "user_id", "organisation_id", "role", "created_at"),
    "contact_change": (
        "id", "organisation_id", "from_contact_id", "to_contact_id", "changed_by_id", "reason",
        "changed_at",
    ),
    "contact_log_entry": (
        "id", "organisation_id", "staff_id", "kind", "occurred_on", "people_met", "summary",
        "created_at",
    ),
    "next_action": (
        "id", "organisation_id", "contact_log_entry_id", "description", "owner_id", "due_on",
        "done_at", "created_at",
    ),
    "jobs_pledge": (
        "id", "organisation_id", "jobs", "starts_on", "ends_on", "recorded_by_id", "created_at",
    ),
    "agreement": (
        "id", "organisation_id", "status", "started_on", "ended_on", "ended_by_id", "end_reason",
        "created_at",
    ),
    "agreement_version": (
        "id", "agreement_id", "number", "taken_by_id", "agreed_on", "channel",
        "priority_groups", "change_summary", "created_at",
    ),
    "agreed_measure": ("id", "version_id", "measure", "places", "details"),
    "agreement_request": (
        "id", "organisation_id", "requested_by_id", "contact_id", "message",
        "measures_of_interest", "status", "handled_by_id", "handled_at", "created_at",
    ),
    "vacancy": (
        "id", "organisation_id", "site_id", "district_id", "created_by_id", "status",
        "job_title", "sector", "occupation", "description", "positions", "hours_per_week",
        "contract_type", "pay_amount", "pay_period", "hourly_pay", "youngest_age",
        "closing_date", "essential_requirements", "desirable_requirements", "how_to_apply",
        "entry_level", "involves_driving", "offers_work_trial", "offers_guaranteed_interview",
        "fair_shot_advice", "updated_at", "submitted_at", "live_at", "closed_at",
        "copied_from_id", "created_at",
    ),
    "callback": (
        "id", "vacancy_id", "organisation_id", "district_id", "office_id", "status",
        "placed_at", "due_at", "claimed_by_id", "claimed_at", "completed_by_id", "completed_at",
        "outcome", "breached", "breach_notified_at", "due_soon_notified_at", "notes",
        "created_at",
    ),
    "call_attempt": (
        "id", "callback_id", "made_by_id", "made_at", "result", "call_back_at", "note",
    ),
}  # fmt: skip

MEASURE_DETAILS: Final = {
    Measure.GUARANTEED_INTERVIEWS: "An interview for every PET completer who applies.",
    Measure.PET: "A two-week course before each recruitment round.",
    Measure.WORKFORCE_DEVELOPMENT: "Train to Gain for new starters after six months.",
    Measure.APPLICATION_REVIEW: "Application form shortened; no CV needed.",
    Measure.OPEN_DAYS: "A recruitment day at the Jobcentre each season.",
}
CALL_NOTES: Final = (
    "Asked to be called after 2pm.",
    "Spoke to the duty manager.",
    "Left a message with reception.",
)


class _Vacancy:
    """One vacancy's story while its organisation is being made (a few per organisation)."""

    __slots__ = (
        "bench", "breached", "claimed", "claimer", "closed", "completed", "created", "day",
        "district",
        "due", "index", "live", "outcome", "placed", "site", "status",
    )  # fmt: skip

    def __init__(self, index: int, day: int) -> None:
        self.index = index
        self.day = day
        self.bench = False
        self.site = self.district = self.created = self.due = self.status = 0
        self.placed = self.completed = self.live = self.closed = self.claimed = 0
        self.breached = False
        self.claimer = -1


def _open_decay(world: World, vacancies: int, open_target: int) -> float:
    """The decay (days) of the chance a vacancy of a given age is still open, so that about
    `open_target` are open today; vacancies are open at most a year (the longest closing
    date the portal allows)."""
    shares = world.clock.day_shares
    today = world.clock.today
    start = world.clock.start
    placed = vacancies * (1 - DRAFTS)

    def expected(decay: float) -> float:
        return placed * sum(
            share * math.exp(-(today - (start + i)) / decay)
            for i, share in enumerate(shares)
            if today - (start + i) <= 360
        )

    if expected(1e9) <= open_target:
        return 1e9
    low, high = 1.0, 1e6
    for _ in range(60):
        middle = math.sqrt(low * high)
        if expected(middle) < open_target:
            low = middle
        else:
            high = middle
    return low


def _stochastic(value: float, random_: Callable[[], float]) -> int:
    whole = int(value)
    return whole + (1 if random_() < value - whole else 0)


class EmployersPass:
    def __init__(self, world: World) -> None:
        self.world = world
        world.reseed("employers", -1)
        self.rng = world.rng
        self.ids = world.ids
        self.clock = world.clock
        self._advice: dict[tuple[int, int, bool, bool], str] = {}
        self._plan_organisations()

    # --- planning ---------------------------------------------------------------------------

    def _plan_organisations(self) -> None:
        world, plan, rng = self.world, self.world.plan, self.rng
        random_ = rng.random
        pareto = rng.paretovariate
        n = plan.organisations
        kinds = array("B", [NATIONAL] * plan.nationals + [BRANCH] * plan.branches)
        kinds.extend([LARGE] * plan.large + [SME] * plan.smes)
        self.kinds = kinds
        parents = array("i", [-1]) * n
        # Branches of national employers: a few have hundreds, most a handful (Zipf).
        shares = [1 / (k + 1) ** 0.4 for k in range(plan.nationals)]
        whole = sum(shares)
        counts = [max(1, round(plan.branches * s / whole)) for s in shares]
        counts[0] += plan.branches - sum(counts)
        position = plan.nationals
        for parent, count in enumerate(counts):
            for _ in range(count):
                if position < plan.nationals + plan.branches:
                    parents[position] = parent
                    position += 1
        self.parents = parents
        picker = world.district_picker
        districts = array("H", [BENCH_DISTRICT if o == 0 else picker() for o in range(n)])
        sme_sector = Picker(rng, list(SECTOR_WEIGHTS_SME), SECTOR_WEIGHTS_SME.values())
        large_sector = Picker(rng, list(SECTOR_WEIGHTS_LARGE), SECTOR_WEIGHTS_LARGE.values())
        sectors = array("B")
        public = array("B")
        for o in range(n):
            kind = kinds[o]
            if kind == NATIONAL:
                sector = "retail" if o == 0 else NATIONAL_SECTORS[int(random_() * 12)]
                is_public = False
            elif kind == BRANCH:
                sector = SECTORS[sectors[parents[o]]]
                is_public = False
            elif kind == LARGE:
                is_public = random_() < 0.2
                sector = (
                    ("health", "public_administration", "social_care")[int(random_() * 3)]
                    if is_public
                    else large_sector()
                )
            else:
                sector = sme_sector()
                is_public = sector == "public_administration"
            sectors.append(SECTORS.index(sector))
            public.append(is_public)
        self.sectors, self.public = sectors, public

        # Sites: SMEs and branches one to three; large and national employers share the rest.
        sites = array("H")
        spread: list[float] = []
        for o in range(n):
            kind = kinds[o]
            r = random_()
            if kind == SME:
                sites.append(1 if r < 0.88 else 2 if r < 0.97 else 3)
            elif kind == BRANCH:
                sites.append(1 if r < 0.6 else 2 if r < 0.9 else 3)
            else:
                sites.append(5 if kind == NATIONAL else 2)
                spread.append((40.0 if kind == NATIONAL else 1.0) * min(pareto(1.3), 30.0))
        rest = plan.sites - sum(sites)
        if rest > 0:
            whole = sum(spread)
            k = 0
            for o in range(n):
                if kinds[o] in (NATIONAL, LARGE):
                    sites[o] = min(2000, sites[o] + _stochastic(rest * spread[k] / whole, random_))
                    k += 1
        self.site_counts = sites

        # Employer users: everyone has one; bigger organisations have more.
        extra_weight = {NATIONAL: 25.0, BRANCH: 1.0, LARGE: 4.0, SME: 0.35}
        weights = [extra_weight[kinds[o]] * (0.5 + random_()) for o in range(n)]
        factor = max(0, plan.employer_users - n) / sum(weights)
        self.user_counts = array("H", [1 + _stochastic(w * factor, random_) for w in weights])

        # Registration: large employers were mostly with the service before the three years;
        # many SMEs joined during them.
        clock = world.clock
        already = {NATIONAL: 0.95, BRANCH: 0.8, LARGE: 0.85, SME: 0.55}
        created_days = array("i")
        for o in range(n):
            if o == 0:
                created_days.append(clock.start - 500)
            elif random_() < already[kinds[o]]:
                created_days.append(clock.start - int(random_() * 730))
            else:
                created_days.append(clock.start + int(random_() * (clock.today - clock.start - 1)))
        self.created_days = created_days
        window = clock.today - clock.start

        # Vacancies: a few employers post thousands, many post one or two (Pareto), in
        # proportion to the part of the three years they were with the service.
        # (Pareto draws start at 1; SMEs' are moved down so that most post once or twice.)
        base = {NATIONAL: 150.0, BRANCH: 3.0, LARGE: 6.0, SME: 1.0}
        cap = {NATIONAL: 25.0, BRANCH: 40.0, LARGE: 60.0, SME: 60.0}
        alpha = {NATIONAL: 1.5, BRANCH: 1.3, LARGE: 1.2, SME: 1.05}
        floor = {NATIONAL: 0.0, BRANCH: 0.0, LARGE: 0.0, SME: 0.75}
        weights = [
            base[kinds[o]]
            * (min(pareto(alpha[kinds[o]]), cap[kinds[o]]) - floor[kinds[o]])
            * min(1.0, (clock.today - created_days[o]) / window)
            for o in range(n)
        ]
        weights[0] = max(weights) * 1.5  # the benchmark's employer posts the most
        bench_extra = 1 + BENCH_QUEUE
        factor = max(0, plan.vacancies - bench_extra) / sum(weights)
        self.vacancy_counts = array("i", [_stochastic(w * factor, random_) for w in weights])
        self.decay = _open_decay(world, plan.vacancies, plan.open_vacancies)
        queue_smes = [o for o in range(n) if kinds[o] == SME and districts[o] == BENCH_DISTRICT][
            :BENCH_QUEUE
        ]
        self.queue_extra = dict.fromkeys(queue_smes, 1)
        self.queue_extra[0] = BENCH_QUEUE - len(queue_smes)

        # Agreements: national employers all, branches often rely on the head office's.
        chance = {NATIONAL: 1.0, BRANCH: 0.35, LARGE: 0.8}
        others = sum(chance.get(kinds[o], 0.0) for o in range(n) if kinds[o] != SME)
        # About one in thirteen organisations that sign has a second agreement later.
        wanted = plan.agreements / 1.075 - others
        chance[SME] = min(0.95, max(0.05, wanted / max(1, plan.smes)))
        self.agreement_chance = chance

        # Contact log: large accounts are worked much more than SMEs.
        per_kind = {NATIONAL: 60.0, BRANCH: 8.0, LARGE: 15.0, SME: 3.0}
        whole = sum(per_kind[kinds[o]] for o in range(n))
        self.log_factor = plan.contact_log / whole
        self.log_per_kind = per_kind

        # Names, and the single point of contact: a DAM for large accounts (the head
        # office's national account manager for its branches too), an LMRA for SMEs.
        self.national_names = self._national_names()
        contacts = array("i")
        names = world.org_names
        for o in range(n):
            kind = kinds[o]
            towns = world.districts[districts[o]].towns
            town = towns[int(random_() * len(towns))]
            if kind == NATIONAL:
                names.append(self.national_names[o])
            elif kind == BRANCH:
                names.append(f"{self.national_names[parents[o]]} {town}")
            else:
                names.append(self._name(o, town))
            if o == 0 or (kind == BRANCH and parents[o] == 0):
                contacts.append(world.bench["dam"])
            elif kind == SME:
                contacts.append(world.pick_staff(districts[o], Role.LMRA))
            else:
                contacts.append(world.pick_staff(districts[o], Role.DAM))
        # National employers agree at head office, at a meeting, whatever their call-backs;
        # planned here because their branches' call-backs ask whether it covers them.
        self.national_agreements: dict[int, list[tuple[int, int]]] = {}
        today = clock.today
        for o in range(plan.nationals):
            first = max(created_days[o], clock.start - 365)
            start = first + int(random_() * (today - first) * 0.5)
            if o and random_() < 0.1 and today - start > 120:
                end = start + 60 + int(random_() * (today - start - 60))
                self.national_agreements[o] = [(start, end), (end + 1, 99_999)]
            else:
                self.national_agreements[o] = [(start, 99_999)]
        # Where each organisation's sites, users and vacancies start among all of them.
        extras = [self.queue_extra.get(o, 0) + (1 if o == 0 else 0) for o in range(n)]
        self.site_start = _starts(self.site_counts)
        self.user_start = _starts(self.user_counts)
        self.vacancy_start = _starts([self.vacancy_counts[o] + extras[o] for o in range(n)])
        self.claimed_org = min(o for o, count in self.queue_extra.items() if count)
        org_space = self.ids["organisation"]
        self.org_ids = world.org_ids = [org_space(o) for o in range(n)]
        user_space = self.ids["employer_user"]
        world.employer_user_ids = [user_space(u) for u in range(self.user_start[n])]

        # Compact state for later passes.
        world.arrays.update(
            org_kind=kinds,
            org_district=districts,
            org_sector=sectors,
            org_contact=contacts,
            org_user0=array("i", self.user_start[:n]),
            org_users=self.user_counts,
            org_agreement=array("i", [-1]) * (4 * n),  # start, end, second start, second end
        )

    # --- names ------------------------------------------------------------------------------

    def _national_names(self) -> list[str]:
        rng = self.rng
        names = ["Northway Stores"]
        seen = set(names)
        stems = list(NATIONAL_STEMS)
        for o in range(1, self.world.plan.nationals):
            sector = SECTORS[self.sectors[o]]
            words = NATIONAL_KINDS.get(sector, ("Group",))
            for attempt in range(1000):
                stem = stems[int(rng.random() * len(stems))]
                name = f"{stem} {words[int(rng.random() * len(words))]}"
                if attempt > 50:
                    name = f"{name} {attempt}"
                if name not in seen:
                    break
            seen.add(name)
            names.append(name)
        return names

    def _name(self, o: int, town: str) -> str:
        random_ = self.rng.random
        sector = SECTORS[self.sectors[o]]
        if self.kinds[o] == LARGE:
            if self.public[o]:
                if sector == "health":
                    return f"{town} Hospitals NHS Foundation Trust"
                if sector == "social_care":
                    return f"{town} Community Care Partnership"
                return f"{town} {('City', 'Borough', 'District')[int(random_() * 3)]} Council"
            trade = SME_TRADES[sector][int(random_() * len(SME_TRADES[sector]))]
            owner = SURNAMES[int(random_() * len(SURNAMES))]
            suffix = LARGE_PRIVATE_SUFFIXES[int(random_() * 4)]
            return f"{owner} {trade} {suffix}"
        trade = SME_TRADES[sector][int(random_() * len(SME_TRADES[sector]))]
        r = random_()
        owner = SURNAMES[int(random_() * len(SURNAMES))]
        if r < 0.4:
            return f"{owner}'s {trade}"
        if r < 0.7:
            return f"{town} {trade}"
        partner = SURNAMES[int(random_() * len(SURNAMES))]
        return f"{owner} and {partner} {trade}"

    def _advice_json(self, requirement: int, apply: int, entry: bool, driving: bool) -> str:
        key = (requirement, apply, entry, driving)
        found = self._advice.get(key)
        if found is None:
            essential, desirable = REQUIREMENTS[requirement]
            found = json_text(
                [
                    {"code": advice.code, "requirement": advice.requirement}
                    for advice in fair_shot_advice(
                        essential,
                        desirable,
                        HOW_TO_APPLY[apply],
                        entry_level=entry,
                        involves_driving=driving,
                    )
                ]
            )
            self._advice[key] = found
        return found

    # --- the pass ---------------------------------------------------------------------------

    def chunks(self, pieces: int) -> list[tuple[int, int]]:
        """Organisation ranges of about equal work (a vacancy is most of it)."""
        counts = self.vacancy_counts
        return chunk_ranges([4 + counts[o] for o in range(len(counts))], pieces)

    def run_chunk(self, number: int, chunk: tuple[int, int], out: Out) -> dict:
        """Make the organisations of [start, stop); return their compact state."""
        start, stop = chunk
        world = self.world
        world.reseed("employers", start)
        self.out = out
        self.tick = out.tick
        # Rows whose numbers are not planned count from this chunk's own base.
        base = number << 36
        self.change_index = self.agreement_index = self.version_index = base
        self.measure_index = self.attempt_index = self.log_index = base
        self.action_index = self.pledge_index = self.request_index = base
        self.vacancy_index = self.vacancy_start[start]
        self.agreements: list[tuple[int, int, int, int, int]] = []
        self.bench_vacancy = -1
        self.vac = {
            "vac_org": array("i"),
            "vac_district": array("H"),
            "vac_status": array("B"),
            "vac_live": array("H"),
            "vac_end": array("H"),
            "vac_positions": array("H"),
            "vac_pay": array("I"),
            "vac_hours": array("H"),
            "vac_flags": array("B"),
            "vac_youngest": array("B"),
            "vac_weight": array("f"),
        }
        districts = world.arrays["org_district"]
        created_days = self.created_days
        for o in range(start, stop):
            self._organisation(o, self.kinds[o], districts[o], created_days[o])
            out.tick(1)
        return {
            "arrays": self.vac,
            "agreements": self.agreements,
            "bench_vacancy": self.bench_vacancy,
        }

    def merge(self, results: list[dict]) -> None:
        """The chunks' compact state, in order, onto the world."""
        world = self.world
        arrays = world.arrays
        for name in results[0]["arrays"]:
            joined = array(results[0]["arrays"][name].typecode)
            for result in results:
                joined.extend(result["arrays"][name])
            arrays[name] = joined
        slots = arrays["org_agreement"]
        for result in results:
            for o, *ranges in result["agreements"]:
                slots[4 * o : 4 * o + 4] = array("i", ranges)
            if result["bench_vacancy"] >= 0:
                world.bench["vacancy"] = result["bench_vacancy"]

    def _organisation(self, o: int, kind: int, district: int, created_day: int) -> None:
        world, rng, clock, out, ids = self.world, self.rng, self.clock, self.out, self.ids
        random_ = rng.random
        arrays = world.arrays
        parent = self.parents[o]
        name = world.org_names[o]
        domain = slug(self.national_names[parent] if kind == BRANCH else name) + ".example"
        sector = SECTORS[self.sectors[o]]
        contact = arrays["org_contact"][o]
        contact_id = world.staff_ids[contact]
        created = world.work_moment(created_day)
        org_id = self.org_ids[o]
        size = "sme" if kind == SME else "large"
        ownership = (
            "public"
            if self.public[o]
            else "voluntary"
            if kind == SME and sector in ("social_care", "other") and random_() < 0.25
            else "private"
        )
        out["organisation"].write(
            f"{org_id}\t{copy_text(name)}\t{size}\t{sector}\t{ownership}"
            f"\t{world.district_ids[district]}\t{contact_id}"
            f"\t{self.org_ids[parent] if parent >= 0 else NULL}\t{clock.ts(created)}\n"
        )
        out["contact_change"].write(
            f"{self.ids['contact_change'](self.change_index)}\t{org_id}\t{NULL}\t{contact_id}"
            f"\t{NULL}\tAssigned on registration\t{clock.ts(created + MINUTE)}\n"
        )
        self.change_index += 1

        # Sites: the first in the organisation's district decides it.
        site_space = ids["site"]
        site_ids: list[str] = []
        site_districts: list[int] = []
        for s in range(self.site_counts[o]):
            if s == 0 or kind in (SME, BRANCH) or (kind == LARGE and random_() < 0.75):
                where = district
            else:
                where = world.district_picker()
            where_towns = world.districts[where].towns
            site_town = where_towns[int(random_() * len(where_towns))]
            street = STREETS[int(random_() * len(STREETS))]
            if kind in (NATIONAL, BRANCH):
                site_name = f"{site_town} {street}"
            elif s == 0:
                site_name = "Head office" if kind == LARGE else "Main site"
            else:
                site_name = f"{site_town} {street}"
            site_id = site_space(self.site_start[o] + s)
            since = created + s * 37 * DAY if s else created
            out["site"].write(
                f"{site_id}\t{org_id}\t{copy_text(site_name)}\t{1 + int(random_() * 180)} {street}"
                f"\t{copy_text(site_town)}\t{world.postcode(where)}"
                f"\t{clock.ts(min(since, clock.now - HOUR))}\n"
            )
            site_ids.append(site_id)
            site_districts.append(where)

        # Employer users: the first is an owner and speaks for the organisation.
        membership_space = ids["employer_membership"]
        first_user = self.user_start[o]
        owner_name = ""
        users = out["user_account"]
        user_ids = world.employer_user_ids
        for u in range(self.user_counts[o]):
            index = first_user + u
            first, last = world.name()
            if u == 0:
                owner_name = f"{first} {last}"
            email = (
                BENCH_EMPLOYER if o == 0 and u == 0 else f"{first}.{last}.{index}@{domain}".lower()
            )
            joined = created + (int(random_() * (clock.now - created) * 0.8) if u else 0)
            active = u == 0 or random_() < 0.97
            verified = clock.ts(joined + 10 * MINUTE) if u == 0 or random_() < 0.96 else NULL
            phone = f"07700 900{index % 1000:03d}" if random_() < 0.7 else NULL
            user_id = user_ids[index]
            users.write(
                f"{user_id}\t{email}\t{first} {last}\t{phone}\temployer\t{world.password_hash}"
                f"\t{verified}\t{boolean(active)}\t{world.stamp()}\t{NULL}\t{NULL}\t{NULL}"
                f"\t{clock.ts(joined)}\n"
            )
            role = "owner" if u == 0 or random_() < 0.15 else "recruiter"
            out["employer_membership"].write(
                f"{membership_space(index)}\t{user_id}\t{org_id}\t{role}\t{clock.ts(joined)}\n"
            )
        user_count = self.user_counts[o]

        vacancies = self._vacancies(o, kind, created_day, site_districts)
        agreements = self._agreement(o, kind, created_day, contact, vacancies)
        self._emit_vacancies(
            o, kind, vacancies, agreements, site_ids, first_user, user_count, contact
        )
        self._account_management(o, kind, created_day, contact, district, owner_name, first_user)

    # --- vacancies and call-backs -----------------------------------------------------------

    def _vacancies(
        self, o: int, kind: int, created_day: int, site_districts: list[int]
    ) -> list[_Vacancy]:
        """The organisation's vacancies in date order, each with its call-back's timeline."""
        world, clock = self.world, self.clock
        random_ = self.rng.random
        today, now = clock.today, clock.now
        draw = world.draw_day
        count = self.vacancy_counts[o]
        days = []
        first = max(created_day, clock.start)
        for _ in range(count):
            day = draw()
            if day < first:
                day = first + int(random_() * (today - first))
            days.append(day)
        days.sort()
        nations = [world.districts[d].nation for d in range(len(world.districts))]
        due = world.callback_clock.due
        result: list[_Vacancy] = []
        for day in days:
            v = _Vacancy(0, day)
            site = int(random_() * len(site_districts))
            v.site = site
            v.district = site_districts[site]
            v.created = world.work_moment(day)
            v.placed = v.completed = v.live = v.closed = v.claimed = 0
            v.breached = False
            v.claimer = -1
            if random_() < DRAFTS:
                v.status = DRAFT
                result.append(v)
                continue
            delay = int(random_() * 2 * HOUR) if random_() < 0.7 else int(random_() * 3 * DAY)
            v.placed = v.created + delay
            if v.placed >= now:
                v.status = DRAFT  # still being written
                result.append(v)
                continue
            self._callback_timeline(v, due(v.placed, nations[v.district]))
            result.append(v)
        if o == 0:
            # The benchmark's open vacancy with exactly fifty referrals.
            v = _Vacancy(0, today - 20)
            v.site, v.district = 0, site_districts[0]
            v.created = world.work_moment(today - 20)
            v.placed = v.created + 20 * MINUTE
            self._callback_timeline(v, due(v.placed, nations[v.district]), force_live=True)
            v.bench = True
            result.append(v)
        # Call-backs waiting in the benchmark LMRA's queue, whatever the scale.
        claimed = False
        for _ in range(self.queue_extra.get(o, 0)):
            v = _Vacancy(0, today - 1)
            v.site, v.district = 0, site_districts[0]
            v.placed = now - int((2 + random_() * 38) * HOUR)
            v.created = v.placed - 15 * MINUTE
            v.day = v.created // DAY
            v.due = due(v.placed, nations[v.district])
            v.status = SUBMITTED
            v.completed = v.live = v.closed = v.claimed = 0
            v.breached = False
            v.claimer = -1
            if o == self.claimed_org and not claimed:
                claimed = True
                v.claimer = world.bench["lmra"]
                v.claimed = now - HOUR
            result.append(v)
        return result

    def _callback_timeline(self, v: _Vacancy, due: int, force_live: bool = False) -> None:
        """When the call-back was claimed and completed (if it has been), and so the status."""
        world, clock = self.world, self.clock
        random_ = self.rng.random
        now, today = clock.now, clock.today
        v.due = due
        # Most are done in time; about one in eight is a breach.
        in_time = random_() < 0.87 or force_live
        share = 0.05 + 0.9 * random_() if in_time else 1.0 + 1.5 * random_()
        completed = v.placed + int(share * (due - v.placed))
        if completed >= now and not force_live:
            v.status = SUBMITTED
            if random_() < 0.3 and now - v.placed > HOUR:
                v.claimer = world.pick_staff(v.district, Role.LMRA)
                v.claimed = v.placed + int(random_() * (now - v.placed))
            return
        completed = min(completed, now - 10 * MINUTE)
        v.completed = completed
        v.breached = completed > due
        v.claimer = world.pick_staff(v.district, Role.LMRA)
        v.claimed = v.placed + int((completed - v.placed) * (0.1 + 0.5 * random_()))
        v.live = completed
        live_day = completed // DAY
        age = today - v.placed // DAY
        if force_live or (
            age <= 360 and random_() < math.exp(-age / self.decay) and live_day < today
        ):
            v.status = LIVE
            return
        if live_day >= today - 1:
            v.status = LIVE
            return
        close_day = min(today - 1, live_day + 1 + int(random_() * 150))
        v.closed = world.work_moment(close_day)
        if v.closed <= v.live:
            v.closed = v.live + HOUR
        v.status = FILLED if random_() < 0.68 else WITHDRAWN

    def _emit_vacancies(
        self,
        o: int,
        kind: int,
        vacancies: list[_Vacancy],
        agreements: list[tuple[int, int]],
        site_ids: list[str],
        first_user: int,
        user_count: int,
        contact: int,
    ) -> None:
        world, clock, ids = self.world, self.clock, self.ids
        random_ = self.rng.random
        wages = world.wages
        vacancy_space, callback_space = ids["vacancy"], ids["callback"]
        attempt_space = ids["call_attempt"]
        user_ids = world.employer_user_ids
        write_vacancy = self.out["vacancy"].write
        write_callback = self.out["callback"].write
        write_attempt = self.out["call_attempt"].write
        org_id = self.org_ids[o]
        today, now = clock.today, clock.now
        ts, date = clock.ts, clock.date
        sector_index = self.sectors[o]
        district_ids = world.district_ids
        parent = self.parents[o]
        covered = list(agreements)
        if parent >= 0:
            # A head-office agreement covers every branch.
            covered.extend(self.national_agreements[parent])
        signing = self._signing
        first_vacancy = self.vacancy_index
        vac = self.vac
        vac_org, vac_district, vac_status = vac["vac_org"], vac["vac_district"], vac["vac_status"]
        vac_live, vac_end, vac_positions = vac["vac_live"], vac["vac_end"], vac["vac_positions"]
        vac_pay, vac_hours, vac_flags = vac["vac_pay"], vac["vac_hours"], vac["vac_flags"]
        vac_youngest, vac_weight = vac["vac_youngest"], vac["vac_weight"]
        paretovariate = self.rng.paretovariate
        for v in vacancies:
            gi = self.vacancy_index
            self.vacancy_index += 1
            vacancy_id = vacancy_space(gi)
            bench = v.bench
            if bench:
                self.bench_vacancy = gi
            status = v.status
            # What the job is.
            sector = sector_index if random_() < 0.9 else int(random_() * len(SECTORS))
            sector_name = SECTORS[sector]
            jobs = JOBS[sector_name]
            title, occupation = jobs[int(random_() * len(jobs))]
            driving = "driver" in title.lower() or random_() < 0.03
            r = random_()
            youngest = 21 if driving else 16 if r < 0.08 else 18 if r < 0.95 else 21
            r = random_()
            positions = (
                1
                if r < 0.72
                else 2 + int(random_() * 2)
                if r < 0.88
                else 4 + int(random_() * 7)
                if r < 0.97
                else 11 + int(random_() * 40)
            )
            if bench:
                positions, youngest, driving = 5, 18, False
                title, occupation = "Customer assistant", "Sales and retail assistants"
                sector_name = "retail"
            hours = HOURS[int(random_() * len(HOURS))]
            # Pay: the minimum wage for the youngest age on the day it was placed (today's for
            # an open vacancy, as employers raise pay each April), often a little more.
            pay_day = today if status in (LIVE, SUBMITTED) else (v.placed or v.created) // DAY
            minimum = wages.pence(pay_day, youngest)
            hourly = (
                minimum
                if random_() < 0.3
                else -(-int(minimum * (1.02 + 0.43 * random_())) // 5) * 5
            )
            r = random_()
            if r < 0.7:
                period, amount, hourly_pay = "hourly", hourly, hourly
            elif r < 0.8:
                amount = -(-hourly * hours // 10_000) * 100  # whole pounds a week
                period = "weekly"
                hourly_pay = amount * 100 // hours
            else:
                period = "annual"
                amount = -(-hourly * hours * 52 // 1_000_000) * 10_000  # to the hundred pounds
                hourly_pay = amount * 100 // (52 * hours)
            r = random_()
            contract = (
                "permanent"
                if r < 0.6
                else "fixed_term"
                if r < 0.72
                else "temporary"
                if r < 0.9 or sector_name not in ("retail", "hospitality", "warehousing")
                else "seasonal"
            )
            requirement = 4 if driving else int(random_() * random_() * len(REQUIREMENTS))
            apply = int(random_() * len(HOW_TO_APPLY))
            entry = random_() < 0.8
            essential, desirable = REQUIREMENTS[requirement]
            offers_trial = random_() < 0.25
            offers_interview = bench or random_() < 0.3
            advice = (
                "[]" if status == DRAFT else self._advice_json(requirement, apply, entry, driving)
            )
            if random_() < 0.92:
                author = user_ids[first_user + int(random_() * user_count)]
            else:
                author = world.staff_id(v.district, Role.LMRA)
            copied = (
                vacancy_space(first_vacancy + int(random_() * (gi - first_vacancy)))
                if gi > first_vacancy and random_() < 0.06
                else NULL
            )
            # Dates (each instant formatted once: the call-back shares them).
            placed = v.placed
            created_at = ts(v.created)
            if status == DRAFT:
                closing = date(v.day + 30 + int(random_() * 60)) if random_() < 0.5 else NULL
                submitted_at = live_at = closed_at = NULL
                updated_at = created_at
            elif status == SUBMITTED:
                closing = date(today + 7 + int(random_() * 110))
                submitted_at, live_at, closed_at = ts(placed), NULL, NULL
                updated_at = submitted_at
            elif status == LIVE:
                placed_day = placed // DAY
                latest = placed_day + 365
                closing = (
                    date(today + int((latest - today) * random_() ** 2))
                    if latest > today
                    else date(today)
                )
                if bench:
                    closing = date(today + 30)
                submitted_at, live_at, closed_at = ts(placed), ts(v.live), NULL
                updated_at = live_at
            else:
                close_day = v.closed // DAY
                closing = date(max(placed // DAY + 7, close_day - 5 + int(random_() * 10)))
                submitted_at, live_at, closed_at = ts(placed), ts(v.live), ts(v.closed)
                updated_at = closed_at
            write_vacancy(
                f"{vacancy_id}\t{org_id}\t{site_ids[v.site]}\t{district_ids[v.district]}\t{author}"
                f"\t{STATUS_TEXT[status]}\t{title}\t{sector_name}\t{occupation}"
                f"\t{DESCRIPTIONS[int(random_() * len(DESCRIPTIONS))]}\t{positions}"
                f"\t{hours // 100}.{hours % 100:02d}\t{contract}\t{pounds(amount)}\t{period}"
                f"\t{pounds(hourly_pay)}\t{youngest}\t{closing}\t{essential}\t{desirable}"
                f"\t{HOW_TO_APPLY[apply]}\t{TRUE if entry else FALSE}\t{TRUE if driving else FALSE}"
                f"\t{TRUE if offers_trial else FALSE}\t{TRUE if offers_interview else FALSE}"
                f"\t{advice}\t{updated_at}\t{submitted_at}\t{live_at}\t{closed_at}\t{copied}"
                f"\t{created_at}\n"
            )
            # Compact state for referrals and job outcomes.
            vac_org.append(o)
            vac_district.append(v.district)
            vac_status.append(status)
            vac_live.append(v.live // DAY if v.live else 0)
            vac_end.append(v.closed // DAY if v.closed else today)
            vac_positions.append(positions)
            vac_pay.append(hourly_pay)
            vac_hours.append(hours)
            vac_flags.append(OFFERS_INTERVIEW * offers_interview + OFFERS_TRIAL * offers_trial)
            vac_youngest.append(youngest)
            vac_weight.append(
                min(paretovariate(1.6), 40.0) * (1 + math.log(positions))
                if status in (LIVE, FILLED, WITHDRAWN)
                else 0.0
            )
            if status == DRAFT:
                continue

            # The call-back.
            callback_id = callback_space(gi)
            due = v.due
            if v.completed:
                day = v.completed // DAY
                if any(start <= day <= end for start, end in covered):
                    outcome = "existing_confirmed"
                elif signing is not None and signing is v:
                    outcome = "new_agreement"
                else:
                    outcome = "declined" if random_() < 0.35 else "not_now"
            else:
                outcome = ""
            claimer = v.claimer
            claimer_id = world.staff_ids[claimer] if claimer >= 0 else NULL
            office_id = world.office_ids[world.staff[claimer].office] if claimer >= 0 else NULL
            done = v.completed
            late = done > due if done else now > due
            breach_notice = (
                ts(due + int(random_() * 900)) if late and (done or now) > due + 900 else NULL
            )
            soon = due - 4 * HOUR
            due_soon_notice = (
                ts(soon + int(random_() * 900))
                if (done or now) > soon + 900 and placed < soon
                else NULL
            )
            if done:
                cb_status = "completed"
            elif claimer >= 0:
                cb_status = "claimed"
            else:
                cb_status = "open"
            note = CALL_NOTES[int(random_() * 3)] if done and random_() < 0.1 else ""
            write_callback(
                f"{callback_id}\t{vacancy_id}\t{org_id}\t{district_ids[v.district]}\t{office_id}"
                f"\t{cb_status}\t{submitted_at}\t{ts(due)}\t{claimer_id}"
                f"\t{ts(v.claimed) if claimer >= 0 else NULL}\t{claimer_id if done else NULL}"
                f"\t{live_at if done else NULL}\t{outcome or NULL}"
                f"\t{(TRUE if v.breached else FALSE) if done else NULL}\t{breach_notice}"
                f"\t{due_soon_notice}\t{note}\t{submitted_at}\n"
            )
            # Call attempts: until someone answered (completed), or so far (claimed).
            if claimer < 0:
                continue
            if done:
                r = random_()
                tries = 1 if r < 0.6 else 2 if r < 0.88 else 3
                end = done - 2 * MINUTE
            else:
                r = random_()
                tries = 0 if r < 0.5 else 1 if r < 0.85 else 2
                end = now - MINUTE
            begin = v.claimed + MINUTE
            span = max(1, end - begin)
            moments = sorted(begin + int(random_() * span) for _ in range(tries))
            if done and moments:
                moments[-1] = end
            for k, made in enumerate(moments):
                reached = done and k == len(moments) - 1
                if reached:
                    result, call_back, note = "reached", NULL, ""
                else:
                    r = random_()
                    if r < 0.5:
                        result, call_back, note = "no_answer", NULL, ""
                    elif r < 0.8:
                        result, call_back, note = "voicemail", NULL, "Left a voicemail."
                    else:
                        later = moments[k + 1] if k + 1 < len(moments) else made + 2 * HOUR
                        result, call_back, note = "call_later", ts(later), "Asked us to call back."
                write_attempt(
                    f"{attempt_space(self.attempt_index)}\t{callback_id}\t{claimer_id}\t{ts(made)}"
                    f"\t{result}\t{call_back}\t{note}\n"
                )
                self.attempt_index += 1

    # --- agreements -------------------------------------------------------------------------

    def _agreement(
        self, o: int, kind: int, created_day: int, contact: int, vacancies: list[_Vacancy]
    ) -> list[tuple[int, int]]:
        """The organisation's agreements as (first day, last day) ranges; rows written."""
        clock = self.clock
        random_ = self.rng.random
        today = clock.today
        self._signing = None
        if kind == NATIONAL:
            return self._national_agreement(o, contact)
        if o != 0 and random_() >= self.agreement_chance[kind]:
            if random_() < 0.04:
                self._request(o, contact, created_day)
            return []
        completed = [v for v in vacancies if v.completed]
        taken_by = contact
        channel = None
        if completed and random_() < 0.6:
            signing = completed[int(random_() * random_() * len(completed))]
            self._signing = signing
            start = signing.completed // DAY
            taken_by = signing.claimer
            channel = "phone"
        else:
            first = max(created_day, clock.start - 365)
            start = first + int(random_() * max(1, today - first))
        ranges: list[tuple[int, int]] = []
        ended = o != 0 and random_() < 0.15 and today - start > 90
        end = start + 60 + int(random_() * (today - start - 60)) if ended else 99_999
        self._write_agreement(o, start, end if ended else None, taken_by, contact, channel)
        ranges.append((start, end))
        if ended and random_() < 0.5 and today - end > 45:
            again = end + 30 + int(random_() * (today - end - 30))
            self._write_agreement(o, again, None, contact, contact, None)
            ranges.append((again, 99_999))
        self._keep(o, ranges)
        return ranges

    def _national_agreement(self, o: int, contact: int) -> list[tuple[int, int]]:
        """A national employer's head-office agreement, as planned (its branches' call-backs
        depend on it, and may be made in another chunk)."""
        ranges = self.national_agreements[o]
        for start, end in ranges:
            self._write_agreement(o, start, None if end == 99_999 else end, contact, contact, None)
        self._keep(o, ranges)
        return ranges

    def _keep(self, o: int, ranges: list[tuple[int, int]]) -> None:
        """Agreement ranges for the compact state (only the first two count)."""
        flat = [value for pair in ranges[:2] for value in pair]
        self.agreements.append((o, *flat, *([-1] * (4 - len(flat)))))

    def _write_agreement(
        self,
        o: int,
        start: int,
        end: int | None,
        taken_by: int,
        contact: int,
        channel: str | None,
    ) -> None:
        world, clock, ids, out = self.world, self.clock, self.ids, self.out
        random_ = self.rng.random
        agreement_id = ids["agreement"](self.agreement_index)
        self.agreement_index += 1
        org_id = self.org_ids[o]
        created = world.work_moment(start)
        contact_id = world.staff_ids[contact]
        if end is None:
            out["agreement"].write(
                f"{agreement_id}\t{org_id}\tactive\t{clock.date(start)}\t{NULL}\t{NULL}\t"
                f"\t{clock.ts(created)}\n"
            )
        else:
            reason = END_REASONS[int(random_() * len(END_REASONS))]
            out["agreement"].write(
                f"{agreement_id}\t{org_id}\tended\t{clock.date(start)}\t{clock.date(end)}"
                f"\t{contact_id}\t{reason}\t{clock.ts(created)}\n"
            )
        last = end if end is not None else clock.today
        r = random_()
        versions = 1 if r < 0.7 else 2 if r < 0.9 else 3
        measures = self.rng.sample(MEASURES, 2 + int(random_() * 5))
        day = start
        for number in range(1, versions + 1):
            if number > 1:
                if last - day < 3:
                    break
                day = day + 1 + int(random_() * (last - day - 1))
                if random_() < 0.5 and len(measures) > 1:
                    measures = measures[:-1]
                else:
                    spare = [m for m in MEASURES if m not in measures]
                    if spare:
                        measures = [*measures, spare[int(random_() * len(spare))]]
            version_id = ids["agreement_version"](self.version_index)
            self.version_index += 1
            r = random_()
            groups = "[1, 2, 3, 4]" if r < 0.7 else "[1, 2]" if r < 0.8 else "[1, 2, 3, 4, 5]"
            r = random_()
            how = (
                "phone"
                if r < 0.55
                else "meeting"
                if r < 0.82
                else "email"
                if r < 0.95
                else "online"
            )
            if number == 1 and channel:
                how = channel
            taker = taken_by if number == 1 else contact
            summary = "" if number == 1 else "Measures changed at the review."
            out["agreement_version"].write(
                f"{version_id}\t{agreement_id}\t{number}\t{world.staff_ids[taker]}"
                f"\t{clock.date(day)}\t{how}\t{groups}\t{summary}"
                f"\t{clock.ts(world.work_moment(day))}\n"
            )
            write = out["agreed_measure"].write
            for measure in sorted(measures, key=MEASURES.index):
                if measure in MEASURES_WITH_PLACES:
                    places, details = str(1 + int(random_() * 10)), ""
                else:
                    places, details = NULL, MEASURE_DETAILS.get(measure, "")
                write(
                    f"{ids['agreed_measure'](self.measure_index)}\t{version_id}\t{measure.value}"
                    f"\t{places}\t{details}\n"
                )
                self.measure_index += 1

    def _request(self, o: int, contact: int, created_day: int) -> None:
        world, clock, ids = self.world, self.clock, self.ids
        random_ = self.rng.random
        first = max(created_day, clock.today - 200)
        day = first + int(random_() * max(1, clock.today - first))
        asked = world.work_moment(day)
        handled = random_() < 0.4 and clock.today - day > 3
        user0 = world.arrays["org_user0"][o]
        measures = self.rng.sample(MEASURES, 1 + int(random_() * 3))
        interest = json_text([m.value for m in sorted(measures, key=MEASURES.index)])
        contact_id = world.staff_ids[contact]
        self.out["agreement_request"].write(
            f"{ids['agreement_request'](self.request_index)}\t{self.org_ids[o]}"
            f"\t{world.employer_user_ids[user0]}\t{contact_id}"
            f"\tWe would like to hear about guaranteed interviews.\t{interest}"
            f"\t{'handled' if handled else 'open'}\t{contact_id if handled else NULL}"
            f"\t{clock.ts(asked + 2 * DAY) if handled else NULL}\t{clock.ts(asked)}\n"
        )
        self.request_index += 1

    # --- account management -----------------------------------------------------------------

    def _account_management(
        self,
        o: int,
        kind: int,
        created_day: int,
        contact: int,
        district: int,
        owner_name: str,
        first_user: int,
    ) -> None:
        """The contact log, next actions, handovers and (national employers) jobs pledges."""
        world, clock, ids, out = self.world, self.clock, self.ids, self.out
        rng = self.rng
        random_ = rng.random
        today = clock.today
        org_id = self.org_ids[o]
        contact_id = world.staff_ids[contact]
        mean = self.log_per_kind[kind] * self.log_factor
        entries = _stochastic(-math.log(1.0 - random_()) * mean, random_)
        first = max(created_day, clock.start)
        span = max(1, today - first)
        kinds = (
            "call",
            "call",
            "call",
            "call",
            "call",
            "email",
            "email",
            "meeting",
            "visit",
            "event",
        )
        write = out["contact_log_entry"].write
        days = sorted(today - 1 - int(span * random_() ** 1.7) for _ in range(entries))
        last_entry = None
        for day in days:
            entry_id = ids["contact_log_entry"](self.log_index)
            self.log_index += 1
            entry_kind = kinds[int(random_() * 10)]
            staff = contact_id if random_() < 0.85 else world.staff_id(district, Role.LMRA)
            met = copy_text(owner_name) if entry_kind in ("meeting", "visit", "event") else ""
            summaries = CONTACT_SUMMARIES[entry_kind]
            write(
                f"{entry_id}\t{org_id}\t{staff}\t{entry_kind}\t{clock.date(day)}\t{met}"
                f"\t{summaries[int(random_() * len(summaries))]}"
                f"\t{clock.ts(world.work_moment(day))}\n"
            )
            last_entry = (entry_id, day)
        if last_entry is not None:
            entry_id, day = last_entry
            if random_() < 0.4:
                due = day + 7 + int(random_() * 50)
                done = (
                    clock.ts(world.work_moment(due - 2))
                    if due - 2 < today and random_() < 0.5
                    else NULL
                )
                out["next_action"].write(
                    f"{ids['next_action'](self.action_index)}\t{org_id}\t{entry_id}"
                    f"\t{NEXT_ACTIONS[int(random_() * len(NEXT_ACTIONS))]}\t{contact_id}"
                    f"\t{clock.date(due)}\t{done}\t{clock.ts(world.work_moment(day))}\n"
                )
                self.action_index += 1
        if o != 0 and random_() < 0.06:
            # A handover: the account came to its contact from a colleague.
            role = Role.LMRA if kind == SME else Role.DAM
            before = world.staff_id(district, role)
            if before != contact_id:
                day = first + int(random_() * span)
                out["contact_change"].write(
                    f"{ids['contact_change'](self.change_index)}\t{org_id}\t{before}\t{contact_id}"
                    f"\t{world.staff_ids[world.districts[district].staff[Role.COORDINATOR][0]]}"
                    f"\tPortfolio rebalanced\t{clock.ts(world.work_moment(day))}\n"
                )
                self.change_index += 1
        if kind == NATIONAL:
            day = today - 100 - int(random_() * 500)
            out["jobs_pledge"].write(
                f"{ids['jobs_pledge'](self.pledge_index)}\t{org_id}"
                f"\t{50 * (1 + int(random_() * 40))}"
                f"\t{clock.date(day)}\t{clock.date(day + 365)}\t{contact_id}"
                f"\t{clock.ts(world.work_moment(day - 10))}\n"
            )
            self.pledge_index += 1


def _starts(counts) -> array:
    """Where each run starts when runs of these lengths follow each other (and the total)."""
    starts = array("i", [0])
    total = 0
    for count in counts:
        total += count
        starts.append(total)
    return starts
