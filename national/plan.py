"""The shape of the national data: how many of each thing at a scale, deterministic ids, and
fast clocks for dates, minimum wages and the call-back deadline.

Millions of rows are made in Python, so the helpers here trade a little memory (tables of
precomputed strings and rates) for speed, and are checked against the portal's own rules in
the tests.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Final

from app.callbacks.rules import LONDON, is_working_day
from app.vacancies.rules import minimum_hourly_wage

DAY: Final = 86_400
HOUR: Final = 3_600
#: How far back the activity goes: three years (DOMAIN.md: "over three years").
YEARS_OF_ACTIVITY: Final = 3


def scaled(value: float, scale: float, minimum: int = 0) -> int:
    return max(minimum, round(value * scale))


@dataclass(frozen=True)
class Plan:
    """How many rows of each kind to make at a scale; at 1 the national picture of
    DOMAIN.md (190,000 workplaces, 600,000 open vacancies, 750,000 job outcomes)."""

    scale: float
    districts: int
    offices: int
    staff: int
    admins: int
    providers: int
    organisations: int
    nationals: int
    branches: int
    large: int
    smes: int
    sites: int
    employer_users: int
    vacancies: int
    open_vacancies: int
    agreements: int
    customers: int
    referrals: int
    outcomes: int
    courses: int
    trainees: int
    contact_log: int

    @classmethod
    def at(cls, scale: float) -> Plan:
        if scale <= 0:
            raise ValueError("the scale must be more than 0")
        districts = min(50, scaled(50, scale, 3))
        organisations = scaled(190_000, scale, 24)
        nationals = scaled(120, scale, 2)
        branches = scaled(10_000, scale, 4)
        large = scaled(15_000, scale, 4)
        smes = max(8, organisations - nationals - branches - large)
        organisations = nationals + branches + large + smes
        return cls(
            scale=scale,
            districts=districts,
            offices=max(districts, scaled(750, scale)),
            staff=scaled(10_000, scale),
            admins=scaled(20, scale, 1),
            providers=max(districts, scaled(400, scale)),
            organisations=organisations,
            nationals=nationals,
            branches=branches,
            large=large,
            smes=smes,
            sites=max(organisations + nationals * 2, scaled(250_000, scale)),
            employer_users=max(organisations + 2, scaled(300_000, scale)),
            vacancies=scaled(2_000_000, scale, 40),
            open_vacancies=scaled(600_000, scale, 12),
            agreements=scaled(150_000, scale, 12),
            customers=scaled(1_500_000, scale, 150 * districts),
            referrals=scaled(4_000_000, scale, 80),
            outcomes=scaled(750_000, scale, 15),
            courses=max(districts + 1, scaled(20_000, scale)),
            trainees=scaled(300_000, scale, 40),
            contact_log=scaled(1_000_000, scale, 20),
        )


# --- ids -------------------------------------------------------------------------------------

_MASK60: Final = (1 << 60) - 1
_K1: Final = 0x9E3779B97F4A7C1
_K2: Final = 0xBF58476D1CE4E5B


def _mix60(value: int) -> int:
    """A bijection of 60-bit numbers that scatters consecutive ones (two multiply and
    xor-shift rounds of a SplitMix finaliser, cut to 60 bits): ids look random, so indexes
    are as scattered as with uuid4, yet each id follows from its row number and foreign keys
    need no lookup table."""
    value = (value * _K1) & _MASK60
    value ^= value >> 29
    value = (value * _K2) & _MASK60
    return value ^ (value >> 32)


class IdSpace:
    """The UUIDs of one kind of row: the row number scattered into the first 60 bits, and a
    tail fixed by (seed, kind) so that kinds never share an id. Written as 32 hex digits
    without hyphens, which PostgreSQL reads as a uuid (the app shows them hyphenated).

    Calling it is the hot path of the whole load (tens of millions of calls), hence the
    closure with everything in local variables and one formatting operation."""

    def __init__(self, seed: int, kind: str) -> None:
        digest = hashlib.blake2b(f"{seed}:{kind}".encode(), digest_size=16).hexdigest()
        self.key = int(digest[:15], 16)
        self.tail = digest[15:32]

        def make(
            index: int, key: int = self.key, mask: int = _MASK60, tail: str = self.tail
        ) -> str:
            value = ((index ^ key) * _K1) & mask
            value ^= value >> 29
            value = (value * _K2) & mask
            value ^= value >> 32
            return "%015x" % value + tail  # noqa: UP031 - faster than an f-string here

        self.make = make

    def __call__(self, index: int) -> str:
        return self.make(index)


class Ids:
    """Every kind of id, keyed by table (users have one space per kind of user)."""

    KINDS: Final = (
        "district", "office", "staff", "provider_user", "employer_user", "training_provider",
        "outcome_target", "organisation", "site", "employer_membership", "contact_change",
        "contact_log_entry", "next_action", "jobs_pledge", "agreement", "agreement_version",
        "agreed_measure", "agreement_request", "vacancy", "callback", "call_attempt",
        "customer", "consent", "referral", "referral_event", "job_outcome", "job_outcome_check",
        "pet_outcome", "pet_outcome_check",
        "course", "course_employer", "course_module", "course_comment", "delivery_plan",
        "action_point", "course_referral", "attendance",
    )  # fmt: skip

    def __init__(self, seed: int) -> None:
        self.spaces = {kind: IdSpace(seed, kind) for kind in self.KINDS}
        tails = {space.tail for space in self.spaces.values()}
        if len(tails) != len(self.spaces):  # astronomically unlikely; then change the seed
            raise ValueError(f"seed {seed} gives two kinds of row the same id tail")

    def __getitem__(self, kind: str) -> Callable[[int], str]:
        return self.spaces[kind].make


# --- time ------------------------------------------------------------------------------------


class Clock:
    """Days and instants as integers: days since `base`, seconds since its midnight (UTC).
    Text for COPY comes from tables of precomputed strings."""

    def __init__(self, today: dt.date) -> None:
        self.today_date = today
        # Far enough back for the claims of customers who registered long ago.
        self.base = today - dt.timedelta(days=366 * (YEARS_OF_ACTIVITY + 7))
        self.today = (today - self.base).days
        #: The moment the data stands at: midnight (UTC) at the start of `today`.
        self.now = self.today * DAY
        self.start = self.today - 365 * YEARS_OF_ACTIVITY - 1
        span = self.today + 800
        self.dates = [self.base + dt.timedelta(days=d) for d in range(span)]
        self._dates = dates = [day.isoformat() for day in self.dates]
        times = [f" {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(DAY)]
        self._offsets: dict[int, int] = {}
        self._far: dict[int, str] = {}

        # The two hot formatters, as closures over their tables.
        def ts(seconds: int, dates: list[str] = dates, times: list[str] = times) -> str:
            return dates[seconds // 86_400] + times[seconds % 86_400]

        self.ts = ts
        self.date = dates.__getitem__

    def any_date(self, day: int) -> str:
        """A date of any day, however far back (a date of birth)."""
        if 0 <= day < len(self._dates):
            return self._dates[day]
        text = self._far.get(day)
        if text is None:
            text = self._far[day] = (self.base + dt.timedelta(days=day)).isoformat()
        return text

    def as_date(self, day: int) -> dt.date:
        if 0 <= day < len(self.dates):
            return self.dates[day]
        return self.base + dt.timedelta(days=day)

    def day_of(self, value: dt.date) -> int:
        return (value - self.base).days

    def london_offset(self, seconds: int) -> int:
        """Seconds London is ahead of UTC at an instant (0 or 3,600)."""
        hour = seconds // HOUR
        offset = self._offsets.get(hour)
        if offset is None:
            moment = dt.datetime.combine(self.base, dt.time(), tzinfo=dt.UTC) + dt.timedelta(
                hours=hour
            )
            offset = int(moment.astimezone(LONDON).utcoffset().total_seconds())
            self._offsets[hour] = offset
        return offset

    def as_datetime(self, seconds: int) -> dt.datetime:
        return dt.datetime.combine(self.base, dt.time(), tzinfo=dt.UTC) + dt.timedelta(
            seconds=seconds
        )

    def day_sampler(self, rng: random.Random, growth: float = 1.8) -> Callable[[], int]:
        """Draws days of the last three years: fewer at weekends and bank holidays, and more
        recently than long ago (the service grew: the last year has about `growth` times
        the first year's activity)."""
        days = range(self.start, self.today)
        rate = math.log(growth) / 365
        weights = []
        for day in days:
            weekday = (self.base + dt.timedelta(days=day)).weekday()
            weight = math.exp(rate * (day - self.start)) * (0.12 if weekday >= 5 else 1.0)
            weights.append(weight)
        cumulative = []
        total = 0.0
        for weight in weights:
            total += weight
            cumulative.append(total)
        first = self.start
        last = len(cumulative) - 1
        random_ = rng.random
        bisect_ = bisect.bisect

        def draw() -> int:
            return first + min(last, bisect_(cumulative, random_() * total))

        self.day_shares = [weight / total for weight in weights]  # for calibrations
        return draw


# --- pay -------------------------------------------------------------------------------------


class Wages:
    """The National Minimum Wage in pence for a day and an age, from the portal's table."""

    OLDEST: Final = 30

    def __init__(self, clock: Clock) -> None:
        self._rates: dict[dt.date, list[int]] = {}
        self._by_day: list[list[int]] = []
        for day in range(clock.today + 400):
            on = clock.as_date(day)
            if on < dt.date(2007, 10, 1):
                self._by_day.append([0] * (self.OLDEST + 1))
                continue
            key = self._effective(on)
            rates = self._rates.get(key)
            if rates is None:
                rates = [0] * 16 + [
                    int(minimum_hourly_wage(on, age) * 100) for age in range(16, self.OLDEST + 1)
                ]
                self._rates[key] = rates
            self._by_day.append(rates)

    @staticmethod
    def _effective(on: dt.date) -> dt.date:
        from app.vacancies.rules import _EFFECTIVE_DATES

        return _EFFECTIVE_DATES[bisect.bisect_right(_EFFECTIVE_DATES, on) - 1]

    def pence(self, day: int, age: int) -> int:
        return self._by_day[day][min(age, self.OLDEST)]


def pounds(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


# --- the call-back deadline ------------------------------------------------------------------


class CallbackClock:
    """`app.callbacks.rules.callback_due` on integer instants, with the working days of each
    nation cached: 48 hours of clock that runs on working days only, on London wall time."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    @cache  # noqa: B019 - one instance per load, and the cache is the point
    def _working(self, day: int, nation: str) -> bool:
        return is_working_day(self.clock.as_date(day), nation)

    @cache  # noqa: B019
    def _next_working(self, day: int, nation: str) -> int:
        day += 1
        while not self._working(day, nation):
            day += 1
        return day

    def due(self, placed: int, nation: str) -> int:
        local = placed + self.clock.london_offset(placed)
        day, elapsed = divmod(local, DAY)
        if self._working(day, nation) and elapsed:
            # The rest of today, the whole next working day, then the same wall time on the
            # working day after.
            last = self._next_working(self._next_working(day, nation), nation)
            wall = last * DAY + elapsed
        else:
            # From the start of a working day (the next one, placed on a day off): two whole
            # working days, so midnight at the end of the second.
            first = day if self._working(day, nation) else self._next_working(day, nation)
            last = self._next_working(first, nation)
            wall = (last + 1) * DAY
        # Clocks change at 01:00 UTC on Sundays, so a working day's noon has its offset.
        return wall - self.clock.london_offset(last * DAY + DAY // 2)
