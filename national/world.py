"""What every pass of the national data shares: the plan, the random generator, ids, clocks,
the structure (nations, districts, offices, staff, training providers) and the compact arrays
later passes read (a few bytes per row, never an object per row).

Rows leave as lines of PostgreSQL COPY text through `Out`, one writer per table.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Final, Protocol

from app.auth.models import Role
from national.data import (
    DISTRICTS,
    FIRST_NAMES,
    NATIONS,
    OFFICE_SUFFIXES,
    POSTCODE_LETTERS,
    SURNAMES,
    TRAINING_PROVIDER_KINDS,
)
from national.plan import DAY, HOUR, CallbackClock, Clock, Ids, Plan, Wages

NULL: Final = "\\N"
TRUE: Final = "t"
FALSE: Final = "f"

#: The benchmark's well-known users (the demo password is app.demo.seed.DEMO_PASSWORD).
BENCH_EMPLOYER: Final = "bench.employer@national.example"
BENCH_LMRA: Final = "bench.lmra@national.example"
BENCH_DAM: Final = "bench.dam@national.example"
BENCH_COORDINATOR: Final = "bench.coordinator@national.example"
BENCH_ADMIN: Final = "bench.admin@national.example"
#: The benchmark's district: the first of DISTRICTS, always kept.
BENCH_DISTRICT: Final = 0

# Staff roles a district has, each a share of its staff (at least one of each).
STAFF_SHARES: Final = (
    (Role.ADVISER, 0.58),
    (Role.LMRA, 0.20),
    (Role.DAM, 0.09),
    (Role.COORDINATOR, 0.05),
    (Role.TPPM, 0.08),
)

COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "nation": ("code", "name"),
    "district": ("id", "name", "nation_code", "postcode_areas"),
    "office": ("id", "name", "district_id", "postcode"),
    "user_account": (
        "id", "email", "name", "phone", "role", "password_hash", "email_verified_at", "active",
        "security_stamp", "office_id", "district_id", "provider_id", "created_at",
    ),
    "training_provider": ("id", "name", "district_id", "contact_email", "created_at"),
    "outcome_target": (
        "id", "district_id", "period_start", "period_end", "outcomes", "set_by_id", "created_at",
    ),
}  # fmt: skip


def copy_text(value: str) -> str:
    """A value as COPY text: backslash, tab and line breaks escaped."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def json_text(value: object) -> str:
    return copy_text(json.dumps(value, ensure_ascii=False))


def boolean(value: bool) -> str:
    return TRUE if value else FALSE


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


class Writer(Protocol):
    rows: int

    def write(self, line: str) -> None: ...


class Out(Protocol):
    def __getitem__(self, table: str) -> Writer: ...


@dataclass
class StaffMember:
    index: int
    role: Role
    district: int
    office: int
    name: str
    email: str
    active: bool = True


@dataclass
class District:
    index: int
    name: str
    nation: str
    areas: list[str]
    towns: tuple[str, ...]
    weight: float
    offices: list[int] = field(default_factory=list)
    staff: dict[Role, list[int]] = field(default_factory=dict)
    providers: list[int] = field(default_factory=list)


class Picker:
    """Weighted choice among a fixed list, by bisecting cumulative weights."""

    def __init__(self, rng: random.Random, items: list, weights: Iterable[float]) -> None:
        import bisect

        self.items = items
        self.cumulative: list[float] = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)
        self.total = total
        self._random = rng.random
        self._bisect = bisect.bisect

    def __call__(self):
        index = self._bisect(self.cumulative, self._random() * self.total)
        return self.items[min(index, len(self.items) - 1)]


class World:
    """The plan, generators and the compact state passes hand on to each other."""

    def __init__(self, plan: Plan, seed: int, clock: Clock, password_hash: str) -> None:
        self.plan = plan
        self.seed = seed
        self.rng = random.Random(seed)
        self.ids = Ids(seed)
        self.clock = clock
        self.wages = Wages(clock)
        self.callback_clock = CallbackClock(clock)
        self.password_hash = copy_text(password_hash)
        self.draw_day = clock.day_sampler(self.rng)
        self.districts: list[District] = []
        self.district_ids: list[str] = []
        self.office_ids: list[str] = []
        self.office_district: list[int] = []
        self.staff: list[StaffMember] = []
        self.staff_ids: list[str] = []
        self.provider_ids: list[str] = []
        self.provider_users: list[list[int]] = []  # employer-user-like ids per provider
        self.district_picker: Picker | None = None
        # Filled by later passes (see each pass for what it adds).
        self._postcodes: dict[int, list[str]] = {}
        self.arrays: dict[str, array] = {}
        self.bench: dict[str, int] = {}
        self.org_ids: list[str] = []
        # Ids of rows referred to again and again, kept rather than made each time.
        self.employer_user_ids: list[str] = []
        self.customer_ids: list[str] = []
        self.org_names: list[str] = []
        self.pools: list[tuple[array, array]] = []

    def reseed(self, name: str, start: int) -> None:
        """Start a pass's planning (start -1) or one of its chunks on a generator of its own,
        so no chunk's rows depend on another's or on the order they are made in."""
        self.rng.seed(f"{self.seed}:{name}:{start}")

    # --- small helpers used by every pass --------------------------------------------------

    def name(self) -> tuple[str, str]:
        rng = self.rng.random
        return (
            FIRST_NAMES[int(rng() * len(FIRST_NAMES))],
            SURNAMES[int(rng() * len(SURNAMES))],
        )

    def postcode(self, district: int) -> str:
        """A postcode in the district: one of a few thousand made for it (many addresses
        share a postcode, and drawing from a list is much faster than making one)."""
        pool = self._postcodes.get(district)
        if pool is None:
            pool = self._postcodes[district] = [self._new_postcode(district) for _ in range(2000)]
        return pool[int(self.rng.random() * 2000)]

    def _new_postcode(self, district: int) -> str:
        rng = self.rng.random
        areas = self.districts[district].areas
        area = areas[int(rng() * len(areas))]
        letters = POSTCODE_LETTERS
        return (
            f"{area}{1 + int(rng() * 20)} {1 + int(rng() * 9)}"
            f"{letters[int(rng() * 20)]}{letters[int(rng() * 20)]}"
        )

    def work_moment(self, day: int) -> int:
        """An instant in the working day (08:00 to 18:00 UTC) of `day`."""
        return day * DAY + 8 * HOUR + int(self.rng.random() * 10 * HOUR)

    def stamp(self) -> str:
        return f"{self.rng.getrandbits(128):032x}"

    def pick_staff(self, district: int, role: Role) -> int:
        """An active member of staff of the district in the role (skewed: some carry more)."""
        members = self.districts[district].staff[role]
        r = self.rng.random()
        return members[int(r * r * len(members))]

    def org_name(self, organisation: int) -> str:
        return self.org_names[organisation]

    def staff_id(self, district: int, role: Role) -> str:
        return self.staff_ids[self.pick_staff(district, role)]


# --- the structure ---------------------------------------------------------------------------


def _chosen_districts(count: int) -> list[tuple[str, str, list[str], tuple[str, ...], float]]:
    """`count` of the fifty districts: the benchmark's, the biggest of each nation, then by
    size; each dropped district's postcode areas go to the nearest kept one of its nation,
    so every postcode still finds a district."""
    order = sorted(range(len(DISTRICTS)), key=lambda i: (-DISTRICTS[i][4], i))
    kept: list[int] = [BENCH_DISTRICT]
    for nation in NATIONS:
        biggest = next(i for i in order if DISTRICTS[i][1] == nation)
        if biggest not in kept:
            kept.append(biggest)
    for index in order:
        if len(kept) >= count:
            break
        if index not in kept:
            kept.append(index)
    kept.sort()
    areas = {index: DISTRICTS[index][2].split() for index in kept}
    for index, (_name, nation, area_text, _towns, _weight) in enumerate(DISTRICTS):
        if index in kept:
            continue
        same_nation = [k for k in kept if DISTRICTS[k][1] == nation]
        nearest = min(same_nation, key=lambda k: (abs(k - index), k))
        areas[nearest].extend(area_text.split())
    return [
        (DISTRICTS[i][0], DISTRICTS[i][1], areas[i], DISTRICTS[i][3], DISTRICTS[i][4]) for i in kept
    ]


def _shares(total: int, weights: list[float], minimum: int) -> list[int]:
    """`total` split in proportion to `weights`, each at least `minimum` (largest remainder)."""
    base = [minimum] * len(weights)
    rest = max(0, total - minimum * len(weights))
    whole = sum(weights)
    exact = [rest * weight / whole for weight in weights]
    counts = [b + int(e) for b, e in zip(base, exact, strict=True)]
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - int(exact[i])), i))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def structure(world: World, out: Out, tick: Callable[[int], None]) -> None:
    """Nations, districts, offices, staff, training providers and their users, and the
    districts' outcome targets."""
    world.reseed("structure", -1)
    plan, rng, ids, clock = world.plan, world.rng, world.ids, world.clock
    for code, name in NATIONS.items():
        out["nation"].write(f"{code}\t{name}\n")
    chosen = _chosen_districts(plan.districts)
    district_space = ids["district"]
    for index, (name, nation, areas, towns, weight) in enumerate(chosen):
        world.districts.append(District(index, name, nation, sorted(areas), towns, weight))
        world.district_ids.append(district_space(index))
        out["district"].write(
            f"{district_space(index)}\t{copy_text(name)}\t{nation}\t{' '.join(sorted(areas))}\n"
        )
    weights = [d.weight for d in world.districts]
    world.district_picker = Picker(rng, list(range(len(world.districts))), weights)
    for district in world.districts:
        world.postcode(district.index)  # each district's postcodes, made once, here

    office_space = ids["office"]
    office = 0
    for district, count in zip(world.districts, _shares(plan.offices, weights, 1), strict=True):
        used: dict[str, int] = {}
        for k in range(count):
            town = district.towns[k % len(district.towns)]
            n = used.get(town, 0)
            used[town] = n + 1
            suffix = OFFICE_SUFFIXES[n % len(OFFICE_SUFFIXES)]
            name = f"{town} {suffix}".strip() if n < len(OFFICE_SUFFIXES) else f"{town} {n}"
            district.offices.append(office)
            world.office_ids.append(office_space(office))
            world.office_district.append(district.index)
            out["office"].write(
                f"{office_space(office)}\t{copy_text(name)}\t{world.district_ids[district.index]}"
                f"\t{world.postcode(district.index)}\n"
            )
            office += 1

    created = clock.start * DAY - 400 * DAY
    staff_space = ids["staff"]
    per_district = _shares(plan.staff, weights, 0)
    for district, size in zip(world.districts, per_district, strict=True):
        for role, share in STAFF_SHARES:
            members = district.staff.setdefault(role, [])
            for _ in range(max(1, round(size * share))):
                office = district.offices[int(rng.random() * len(district.offices))]
                first, last = world.name()
                index = len(world.staff)
                email = f"{first}.{last}.{index}@jobcentreplus.example".lower()
                world.staff.append(
                    StaffMember(index, role, district.index, office, f"{first} {last}", email)
                )
                members.append(index)
    # Admins look after the whole service; each still has a desk in an office.
    admins: list[int] = []
    for _ in range(plan.admins):
        district = world.district_picker()
        office = world.districts[district].offices[0]
        first, last = world.name()
        index = len(world.staff)
        email = f"{first}.{last}.{index}@jobcentreplus.example".lower()
        world.staff.append(
            StaffMember(index, Role.ADMIN, district, office, f"{first} {last}", email)
        )
        admins.append(index)
    bench = world.districts[BENCH_DISTRICT].staff
    for key, email, index in (
        ("lmra", BENCH_LMRA, bench[Role.LMRA][0]),
        ("dam", BENCH_DAM, bench[Role.DAM][0]),
        ("coordinator", BENCH_COORDINATOR, bench[Role.COORDINATOR][0]),
        ("admin", BENCH_ADMIN, admins[0]),
    ):
        world.staff[index].email = email
        world.bench[key] = index
    # A few advisers have left: their customers and referrals keep their name.
    for member in world.staff:
        if member.role is Role.ADVISER and rng.random() < 0.02:
            members = world.districts[member.district].staff[Role.ADVISER]
            if len(members) > 1 and member.index != members[0]:
                member.active = False
                members.remove(member.index)
    world.staff_ids = [staff_space(member.index) for member in world.staff]
    users = out["user_account"]
    for member in world.staff:
        joined = created + int(rng.random() * 300 * DAY)
        users.write(
            f"{world.staff_ids[member.index]}\t{member.email}\t{copy_text(member.name)}"
            f"\t0{113 + member.district} 496 {member.index % 10000:04d}\t{member.role.value}"
            f"\t{world.password_hash}\t{clock.ts(joined + HOUR)}\t{boolean(member.active)}"
            f"\t{world.stamp()}\t{world.office_ids[member.office]}"
            f"\t{world.district_ids[member.district]}\t{NULL}\t{clock.ts(joined)}\n"
        )
        tick(1)

    provider_space = ids["training_provider"]
    provider_user_space = ids["provider_user"]
    names: set[str] = set()
    for district, count in zip(world.districts, _shares(plan.providers, weights, 1), strict=True):
        for k in range(count):
            town = district.towns[k % len(district.towns)]
            kind = TRAINING_PROVIDER_KINDS[int(rng.random() * len(TRAINING_PROVIDER_KINDS))]
            name = f"{town} {kind}"
            n = 2
            while name in names:
                name = f"{town} {kind} {n}"
                n += 1
            names.add(name)
            index = len(world.provider_ids)
            district.providers.append(index)
            world.provider_ids.append(provider_space(index))
            domain = slug(name) + ".example"
            since = created + int(rng.random() * 300 * DAY)
            out["training_provider"].write(
                f"{provider_space(index)}\t{copy_text(name)}\t{world.district_ids[district.index]}"
                f"\tcourses@{domain}\t{clock.ts(since)}\n"
            )
            user_ids = []
            for u in range(2):
                user = index * 2 + u
                first, last = world.name()
                user_ids.append(user)
                users.write(
                    f"{provider_user_space(user)}\t{first.lower()}.{last.lower()}.{user}@{domain}"
                    f"\t{first} {last}\t{NULL}\t{Role.PROVIDER.value}\t{world.password_hash}"
                    f"\t{clock.ts(since + DAY)}\t{TRUE}\t{world.stamp()}\t{NULL}\t{NULL}"
                    f"\t{provider_space(index)}\t{clock.ts(since + HOUR)}\n"
                )
            world.provider_users.append(user_ids)

    # Quarterly outcome targets for each district, the last three years and this quarter.
    target_space = ids["outcome_target"]
    quarters = []
    first_day = clock.as_date(clock.start)
    year, month = first_day.year, (first_day.month - 1) // 3 * 3 + 1
    today = clock.today_date
    while (year, month) <= (today.year, today.month):
        quarters.append((year, month))
        month += 3
        if month > 12:
            year, month = year + 1, 1
    whole = sum(weights)
    index = 0
    for district in world.districts:
        per_quarter = plan.outcomes / (4 * 3) * district.weight / whole
        setter = world.staff_ids[district.staff[Role.COORDINATOR][0]]
        for year, month in quarters:
            begin = dt.date(year, month, 1)
            end = (dt.date(year + (month + 2) // 12, (month + 2) % 12 + 1, 1)) - dt.timedelta(1)
            outcomes = max(1, round(per_quarter * (0.9 + 0.3 * rng.random())))
            set_at = max(clock.day_of(begin) - 20, 1) * DAY + 10 * HOUR
            out["outcome_target"].write(
                f"{target_space(index)}\t{world.district_ids[district.index]}\t{begin}\t{end}"
                f"\t{outcomes}\t{setter}\t{clock.ts(set_at)}\n"
            )
            index += 1
