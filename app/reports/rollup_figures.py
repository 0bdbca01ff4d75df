"""Management information read from rollups (`app/reports/rollups.py`): job outcomes
against target, by priority group, sector and size, subsidy-eligible starts, sustainment,
progression and aftercare, and outcomes by sector and district.

One statement (`_rollup_rows`) reads every rollup for the scope, already added up over the
period and place, with each district's outcomes target and the rollups' age; it runs once
per request (`queries._shared`) and each figure slices its rows. The other figures are
counted live in `app/reports/queries.py`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from functools import lru_cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, bindparam, case, func, literal, select, union_all
from sqlalchemy.sql import Select

from app import clock
from app.accounts.models import District, Office, OutcomeTarget
from app.clock import LONDON, today
from app.extensions import db
from app.formatting import london
from app.referrals.models import Referral, interview_held
from app.reports import rollups
from app.reports.models import MEASURE_SLOTS, RollupCount, RollupState
from app.reports.queries import Scope, _districts_in_scope, _in_place, _shared


def scope_today(scope: Scope) -> dt.date:
    """The UK day the scope's "now" falls on (today's when it has none)."""
    return london(scope.now).date() if scope.now else today()


#: The rows of guaranteed interviews held today so far, counted live in the same statement.
INTERVIEWS_TODAY = "interviews_today"


def _rollup_rows(scope: Scope) -> list[dict]:
    """Every rollup's counts in the scope's period and place, added up the way its figures
    read it, with each district's outcomes target and the rollups' age: one statement.
    Each row: rollup, district, office, key and `value_1`… in the rollup's measures' order."""
    place = replace(scope, now=None)
    statement = _rollup_statement(place, scope_today(scope))
    now = scope.now or clock.now()
    return [dict(row._mapping) for row in db.session.execute(statement, {"held_by": now})]


def _interviews_today(scope: Scope, before: dt.date) -> Select:
    """Guaranteed interviews held today so far, per district (`measures_delivered` keeps
    them by day, and counts a day's as held once it has passed): a few rows through
    `ix_referral_district_interview`. "Now" is a parameter, so the statement is kept."""
    midnight = dt.datetime.combine(before, dt.time(), tzinfo=LONDON).astimezone(dt.UTC)
    held_by = bindparam("held_by", type_=Referral.interview_at.type)
    return (
        select(
            literal(INTERVIEWS_TODAY, String),
            District.name,
            literal("", String),
            literal("", String),
            func.count(Referral.id),
            *[literal(0) for _slot in range(MEASURE_SLOTS - 1)],
        )
        .join(District, District.id == Referral.district_id)
        .where(
            Referral.guaranteed_interview.is_(True),
            Referral.interview_at >= midnight,
            interview_held(held_by),
            *_in_place(scope, Referral.district_id, Referral.office_id),
        )
        .group_by(District.name)
    )


@lru_cache(maxsize=256)
def _rollup_statement(scope: Scope, before: dt.date):
    """The statement of `_rollup_rows`, built once per period, place and day: some 150
    expressions, whose building and cache key were a tenth of the MI page's CPU (SQLAlchemy
    keeps a statement's cache key with it, so a statement used again costs neither)."""
    period = scope.period
    nothing = literal("", String)
    zeros = [literal(0) for _slot in range(MEASURE_SLOTS - 1)]
    branches = []
    for rollup in rollups.ROLLUPS:
        if rollup.by_organisation:
            continue  # the employer's pages read those (`app/accounts/queries.py`)
        if not rollup.read_by_mi:
            continue
        district = District.name if "district" in rollup.read_by else nothing
        office = func.coalesce(Office.name, nothing) if "office" in rollup.read_by else nothing
        keys = (
            literal(rollup.name, String).label("rollup"),
            district.label("district"),
            office.label("office"),
            RollupCount.key.label("key"),
        )
        sums = []
        for slot in range(1, MEASURE_SLOTS + 1):
            value = getattr(RollupCount, f"value_{slot}")
            if slot <= len(rollup.measures) and rollup.measures[slot - 1] in rollup.before_today:
                value = case((RollupCount.day < before, value), else_=0)
            sums.append(func.sum(value).label(f"value_{slot}"))
        office_column = RollupCount.office_id if rollup.office_filter else None
        branches.append(
            select(*keys, *sums)
            .outerjoin(District, District.id == RollupCount.district_id)
            .outerjoin(Office, Office.id == RollupCount.office_id)
            .where(
                RollupCount.rollup == rollup.name,
                RollupCount.day >= period.first,
                RollupCount.day <= period.last,
                *_in_place(scope, RollupCount.district_id, office_column),
            )
            .group_by(*keys)
        )
    if period.first <= before <= period.last:
        branches.append(_interviews_today(scope, before))
    target = (
        select(func.coalesce(func.sum(OutcomeTarget.outcomes), 0))
        .where(
            OutcomeTarget.district_id == District.id,
            OutcomeTarget.period_start >= period.first,
            OutcomeTarget.period_end <= period.last,
        )
        .correlate(District)
    ).scalar_subquery()
    branches.append(
        select(literal("targets", String), District.name, nothing, nothing, target, *zeros).where(
            *_districts_in_scope(scope)
        )
    )
    branches.append(
        select(
            literal("as_of", String),
            nothing,
            nothing,
            nothing,
            func.min(RollupState.refreshed_epoch),
            *zeros,
        )
    )
    return union_all(*branches)


def _refreshed_rollup_rows(scope: Scope) -> list[dict]:
    rollups.refresh_on_read(db.session)
    return _rollup_rows(scope)


def _rollup(scope: Scope, name: str) -> list[dict]:
    """The rows of one rollup (or "targets", "as_of"), each measure under its name. Rows
    whose key has another shape than the declaration's (stored before the rollup gained or
    lost a dimension, until the refresh recounts it: `Rollup.version`) are left out rather
    than misread."""
    rollup = rollups.BY_NAME.get(name)
    measures = rollup.measures if rollup else ("value",)
    parts = len(rollup.dimensions) if rollup else 0
    return [
        {
            "district": row["district"],
            "office": row["office"],
            "key": row["key"],
            **{
                measure: int(row[f"value_{slot}"] or 0)
                for slot, measure in enumerate(measures, start=1)
            },
        }
        for row in _shared(_refreshed_rollup_rows, scope)
        if row["rollup"] == name and _key_fits(row["key"] or "", parts)
    ]


def _key_fits(key: str, dimensions: int) -> bool:
    """Whether a stored key holds `dimensions` values: none is the empty key, n are n - 1
    separators (a single empty value is the empty key too)."""
    if dimensions == 0:
        return key == ""
    return key.count(rollups.KEY_SEPARATOR) == dimensions - 1


def figures_as_of(scope: Scope) -> dt.datetime | None:
    """When the rollups the figures read were last brought up to date."""
    epochs = [row["value"] for row in _rollup(scope, "as_of") if row["value"]]
    return dt.datetime.fromtimestamp(epochs[0], dt.UTC) if epochs else None


def _district_outcomes(scope: Scope) -> list[dict]:
    """Per district in scope: the outcomes target, LEP outcomes, those validated and the
    starts eligible for the subsidy (rollup `outcomes_by_district`), which two figures share."""
    rows = {
        row["district"]: {
            "district": row["district"],
            "target": row["value"],
            "outcomes": 0,
            "validated": 0,
            "starts": 0,
        }
        for row in _rollup(scope, "targets")
    }
    for row in _rollup(scope, "outcomes_by_district"):
        if row["district"] in rows:
            for measure in ("outcomes", "validated", "starts"):
                rows[row["district"]][measure] += row[measure]
    return [rows[name] for name in sorted(rows)]


def outcomes_against_target(scope: Scope) -> list[dict]:
    """Per district: the outcomes target for the period, LEP outcomes and those validated.

    The target is the sum of the district's targets whose periods lie wholly inside the
    chosen period (a year shows its months' or quarters' targets added up)."""
    keys = ("district", "target", "outcomes", "validated")
    return [{key: row[key] for key in keys} for row in _shared(_district_outcomes, scope)]


def subsidy_eligible_starts(scope: Scope) -> list[dict]:
    """Per district with any: starts in the period eligible for the £1,000 recruitment
    subsidy (any start, LEP or not, unless rejected)."""
    return [
        {"district": row["district"], "starts": row["starts"]}
        for row in _shared(_district_outcomes, scope)
        if row["starts"]
    ]


def _outcome_groups(scope: Scope) -> list[dict]:
    """LEP outcomes counted by priority group, sector, employer size and source together
    (rollup `outcome_groups`): four figures each add it up along their own key."""
    rows = []
    for row in _rollup(scope, "outcome_groups"):
        priority, sector, size, source = row["key"].split(rollups.KEY_SEPARATOR)
        rows.append(
            {
                "priority": priority,
                "sector": sector,
                "size": size,
                "source": source,
                "outcomes": row["outcomes"],
            }
        )
    return rows


def _outcomes_split(scope: Scope, key: str) -> list[dict]:
    totals: dict = {}
    for row in _outcome_groups(scope):
        totals[row[key]] = totals.get(row[key], 0) + row["outcomes"]
    return [
        {"group": group, "outcomes": outcomes}
        for group, outcomes in sorted(totals.items(), key=lambda item: (item[0] is None, item[0]))
    ]


def outcomes_by_priority_group(scope: Scope) -> list[dict]:
    """LEP outcomes split into PG1 and 2 (disadvantaged), newly unemployed (PG3), others."""
    return _outcomes_split(scope, "priority")


def outcomes_by_sector(scope: Scope) -> list[dict]:
    return _outcomes_split(scope, "sector")


def outcomes_by_size(scope: Scope) -> list[dict]:
    return _outcomes_split(scope, "size")


def outcomes_by_source(scope: Scope) -> list[dict]:
    """LEP outcomes through Jobcentre Plus (its vacancies and PET) and through partnered
    training providers' own LEP agreements."""
    return _outcomes_split(scope, "source")


_SUSTAINMENT_COUNTS = (
    "due",
    "answered",
    "still_employed",
    "more_hours",
    "higher_pay",
    "new_role",
    "progressed",
    "aftercare",
)


def _sustainment_groups(scope: Scope) -> list[dict]:
    """Sustainment checks falling due in the period, counted by weeks, district and the
    customer's office together (rollup `sustainment`): the sustainment figure adds them up
    by weeks, the progression and aftercare figure by district and office."""
    rows: dict[tuple, dict] = {}
    for row in _rollup(scope, "sustainment"):
        key = (int(row["key"]), row["district"], row["office"])
        group = rows.setdefault(
            key,
            {
                "weeks": key[0],
                "district": key[1],
                "office": key[2],
                **dict.fromkeys(_SUSTAINMENT_COUNTS, 0),
            },
        )
        for name in _SUSTAINMENT_COUNTS:
            group[name] += row[name]
    return list(rows.values())


def _sustainment_split(scope: Scope, *keys: str) -> list[dict]:
    rows: dict[tuple, dict] = {}
    for group in _shared(_sustainment_groups, scope):
        key = tuple(group[name] for name in keys)
        row = rows.setdefault(
            key, {**dict(zip(keys, key, strict=True)), **dict.fromkeys(_SUSTAINMENT_COUNTS, 0)}
        )
        for name in _SUSTAINMENT_COUNTS:
            row[name] += int(group[name] or 0)
    return [rows[key] for key in sorted(rows)]


def sustainment(scope: Scope) -> list[dict]:
    """Sustainment checks at 13 and 26 weeks falling due in the period: answered, and still
    in work."""
    return _sustainment_split(scope, "weeks")


def progression_and_aftercare(scope: Scope) -> list[dict]:
    """Per district and office: checks falling due in the period, those still in work, those
    who moved on (more hours, higher pay, a new role) and the aftercare asked for."""
    return _sustainment_split(scope, "district", "office")


def guarantees_kept(scope: Scope) -> list[dict]:
    """Guaranteed interviews whose day fell in the period, by district, sector and size
    (rollup `guarantees`): kept, not offered, and overdue (open with the day before today;
    open ones still in time are not counted). The three guarantee figures add them up."""
    rows = []
    for row in _rollup(scope, "guarantees"):
        sector, size = row["key"].split(rollups.KEY_SEPARATOR)
        if not (row["kept"] or row["not_offered"] or row["open"]):
            continue
        rows.append(
            {
                "district": row["district"],
                "sector": sector or None,
                "size": size or None,
                "kept": row["kept"],
                "not_offered": row["not_offered"],
                "overdue": row["open"],
            }
        )
    return rows


def sector_outcomes(scope: Scope) -> list[dict]:
    """Per sector and district: LEP outcomes in the period (rollup `sector_outcomes`)."""
    rows = [
        {"sector": row["key"], "district": row["district"], "outcomes": row["outcomes"]}
        for row in _rollup(scope, "sector_outcomes")
    ]
    return sorted(rows, key=lambda row: (row["sector"], row["district"]))


_PET_COURSE_COUNTS = ("courses", "places", "employers", "interviews")
#: Employers the PET outcomes figure names, most starts first; the rest share one row.
MOST_PET_EMPLOYERS = 50


def pet_courses(scope: Scope) -> list[dict]:
    """Per model (bespoke, sector): PET courses that started in the period, not cancelled,
    each counted once however many employers it has; their places, the employers that
    joined them and the guaranteed interviews those offer (rollup `pet_courses`)."""
    rows: dict[str, dict] = {}
    for row in _rollup(scope, "pet_courses"):
        entry = rows.setdefault(
            row["key"], {"model": row["key"], **dict.fromkeys(_PET_COURSE_COUNTS, 0)}
        )
        for name in _PET_COURSE_COUNTS:
            entry[name] += row[name]
    return list(rows.values())


def pet_outcomes_by_employer(scope: Scope) -> list[dict]:
    """Per employer that hired (with its district, as a national employer's branches are
    several) and model of course: job starts in the period of people hired from a PET course
    (not rejected), and those that count as LEP outcomes (rollup `pet_outcomes`, whose key
    holds the employer's name). The `MOST_PET_EMPLOYERS` employers with most starts are
    named; the others are added up in one row."""
    counts: dict[tuple[str, str, str], list] = {}
    for row in _rollup(scope, "pet_outcomes"):
        model, organisation, name = row["key"].split(rollups.KEY_SEPARATOR)
        entry = counts.setdefault((organisation, row["district"], model), [name, 0, 0])
        entry[1] += row["starts"]
        entry[2] += row["outcomes"]
    ranked = sorted(counts.items(), key=lambda item: (-item[1][1], item[1][0], item[0]))
    shown, rest = ranked[:MOST_PET_EMPLOYERS], ranked[MOST_PET_EMPLOYERS:]
    rows = [
        {
            "employer": name,
            "district": district,
            "model": model,
            "starts": starts,
            "outcomes": outcomes,
        }
        for (_organisation, district, model), (name, starts, outcomes) in shown
    ]
    if rest:
        rows.append(
            {
                "employer": _l("%(num)s other employers", num=len(rest)),
                "district": _l("Various"),
                "model": "",
                "starts": sum(starts for _key, (_n, starts, _o) in rest),
                "outcomes": sum(outcomes for _key, (_n, _s, outcomes) in rest),
            }
        )
    return rows


def agreements_confirmed(scope: Scope) -> list[dict]:
    """Per district: agreement versions staff recorded in the period (each one emailed to the
    employer to confirm), how many the employer has confirmed in the portal, and how many it
    said something was wrong with (rollup `agreements_confirmed`)."""
    rows: dict[str, dict] = {}
    for row in _rollup(scope, "agreements_confirmed"):
        entry = rows.setdefault(
            row["district"],
            {"district": row["district"], "sent": 0, "confirmed": 0, "queried": 0},
        )
        for name in ("sent", "confirmed", "queried"):
            entry[name] += row[name]
    return [rows[name] for name in sorted(rows)]


def measures_delivered(scope: Scope) -> list[dict]:
    """Per district: work trials started, guaranteed interviews held and job placements
    (starts recorded against a referral) in the period (rollup `measures_delivered`, whose
    interviews count on days before today, and today's held so far, counted live)."""
    rows: dict[str, dict] = {}

    def entry(district: str) -> dict:
        return rows.setdefault(
            district,
            {"district": district, "work_trials": 0, "guaranteed_interviews": 0, "placements": 0},
        )

    for row in _rollup(scope, "measures_delivered"):
        counted = entry(row["district"])
        counted["work_trials"] += row["work_trials"]
        counted["guaranteed_interviews"] += row["interviews"]
        counted["placements"] += row["placements"]
    for row in _rollup(scope, INTERVIEWS_TODAY):
        entry(row["district"])["guaranteed_interviews"] += row["value"]
    return [
        rows[name]
        for name in sorted(rows)
        if any(rows[name][key] for key in ("work_trials", "guaranteed_interviews", "placements"))
    ]
