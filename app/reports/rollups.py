"""Rollups: management information counted ahead, by day, district, office and key.

How they stay current (the README says why this way):

1. **In the writing transaction, a mark.** A flush that adds, changes or deletes a record a
   rollup counts writes a `rollup_dirty` row per (rollup, day) it touches, old day and new,
   in the same transaction: the change and its mark are saved together or not at all. An
   UPDATE or DELETE statement run through the session (a compare-and-set) is marked the
   same way, from the days of the rows it matches. SQL run on a bare connection (the
   national loader's COPY) is not: follow it with a full refresh.
2. **On a schedule, the recount.** `flask rollups refresh` (every minute in production)
   takes the marks, recounts each marked day of each rollup from the records (delete the
   day's counts, insert the recount) and deletes exactly the marks it took, in one
   transaction under a PostgreSQL advisory lock. A day's counts are a function of the records,
   so a refresh is idempotent; two run at once queue on the lock; a mark written while a
   refresh runs is not among those it deletes, so the next refresh recounts that day.
3. **In full**, `flask rollups refresh --full` (also run by `flask demo seed` and
   `flask demo national`, whose bulk inserts bypass the flush) recounts every day.

Pages read the rollups and say "Figures as of 10:15": the oldest refresh among them.

Adding a figure is one declaration: a `Rollup` in `ROLLUPS` below (its source statement,
grouped by day, district, office and its dimensions, and what to watch), then read it with
`queries._rollup_rows` by its name. See docs/architecture.md.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from typing import Any

from flask import current_app
from sqlalchemy import (
    Integer,
    String,
    and_,
    case,
    cast,
    delete,
    event,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    union,
    union_all,
)
from sqlalchemy.orm import ORMExecuteState, Session, scoped_session
from sqlalchemy.sql import ColumnElement, Select

from app.accounts.models import Organisation
from app.clock import LONDON, today
from app.customers.models import Customer
from app.guarantees.models import Guarantee
from app.guarantees.rules import Outcome
from app.outcomes.models import JobOutcome, SustainmentCheck, ValidationStatus
from app.reports.agreement_rollups import AGREEMENT_ROLLUPS
from app.reports.employer_rollups import EMPLOYER_ROLLUPS
from app.reports.lmi_rollups import LMI_ROLLUPS
from app.reports.models import MEASURE_SLOTS, RollupCount, RollupDirty, RollupState
from app.reports.pet_rollups import PET_ROLLUPS
from app.reports.rollup_parts import (
    Rollup,
    Watch,
    count_if,
    days_of_months,
    month_start,
    own_day,
    own_moments,
    related_days,
    uk_day,
    uk_day_of,
)
from app.vouchers.models import Voucher, VoucherStatus

#: The advisory lock key refreshes queue on (PostgreSQL); any constant both sides agree on.
LOCK_KEY = 7_150_015
#: Days recounted per statement.
BATCH_DAYS = 200
KEY_SEPARATOR = "|"

#: The app's scoped session or a plain one.
AnySession = Session | scoped_session[Any]


def _priority_key() -> ColumnElement:
    return case(
        (JobOutcome.priority_group.in_((1, 2)), literal("a_pg1_2")),
        (JobOutcome.priority_group == 3, literal("b_newly_unemployed")),
        else_=literal("c_others"),
    )


def _outcome_source(
    dimensions: tuple[ColumnElement, ...], measures: tuple[ColumnElement, ...]
) -> Callable[[list[dt.date] | None], Select]:
    """Job outcomes not rejected, by start day, district, the customer's office and the
    dimensions (the organisation joined in for its sector and size)."""

    def source(days: list[dt.date] | None) -> Select:
        keys: list[ColumnElement[Any]] = [
            JobOutcome.start_date.label("day"),
            JobOutcome.district_id.label("district_id"),
            Customer.office_id.label("office_id"),
            *dimensions,
        ]
        statement = (
            select(*keys, *measures)
            .join(Organisation, Organisation.id == JobOutcome.organisation_id)
            .join(Customer, Customer.id == JobOutcome.customer_id)
            .where(JobOutcome.validation_status != ValidationStatus.REJECTED)
        )
        if days is not None:
            statement = statement.where(JobOutcome.start_date.in_(days))
        return statement.group_by(*keys)

    return source


def _is_lep() -> ColumnElement:
    return JobOutcome.counts_as_lep.is_(True)


def _outcome_days_of_customer(customer: Any) -> Select:
    return select(JobOutcome.start_date).where(JobOutcome.customer_id == customer.id).distinct()


def _outcome_days_of_organisation(organisation: Any) -> Select:
    return (
        select(JobOutcome.start_date)
        .where(JobOutcome.organisation_id == organisation.id)
        .distinct()
    )


OUTCOME_WATCHES = (
    Watch(
        JobOutcome,
        own_day("start_date"),
        bulk=lambda where: select(JobOutcome.start_date).where(*where).distinct(),
        day="start_date",
    ),
    Watch(Customer, related_days(("office_id",), _outcome_days_of_customer)),
)


def _sustainment_source(days: list[dt.date] | None) -> Select:
    """Sustainment checks of outcomes not rejected, by due day, the outcome's district, the
    customer's office and the weeks."""
    moved_on = or_(
        SustainmentCheck.more_hours.is_(True),
        SustainmentCheck.higher_pay.is_(True),
        SustainmentCheck.new_role.is_(True),
    )
    keys = (
        SustainmentCheck.due_on.label("day"),
        JobOutcome.district_id.label("district_id"),
        Customer.office_id.label("office_id"),
        SustainmentCheck.weeks.label("weeks"),
    )
    statement = (
        select(
            *keys,
            func.count(SustainmentCheck.id).label("due"),
            count_if(SustainmentCheck.answered_at.is_not(None)).label("answered"),
            count_if(SustainmentCheck.still_employed.is_(True)).label("still_employed"),
            count_if(SustainmentCheck.more_hours.is_(True)).label("more_hours"),
            count_if(SustainmentCheck.higher_pay.is_(True)).label("higher_pay"),
            count_if(SustainmentCheck.new_role.is_(True)).label("new_role"),
            count_if(moved_on).label("progressed"),
            count_if(SustainmentCheck.aftercare_wanted.is_(True)).label("aftercare"),
        )
        .join(JobOutcome, JobOutcome.id == SustainmentCheck.outcome_id)
        .join(Customer, Customer.id == JobOutcome.customer_id)
        .where(JobOutcome.validation_status != ValidationStatus.REJECTED)
    )
    if days is not None:
        statement = statement.where(SustainmentCheck.due_on.in_(days))
    return statement.group_by(*keys)


def _check_days_of_outcome(outcome: Any) -> Select:
    return select(SustainmentCheck.due_on).where(SustainmentCheck.outcome_id == outcome.id)


def _check_days_of_customer(customer: Any) -> Select:
    return (
        select(SustainmentCheck.due_on)
        .join(JobOutcome, JobOutcome.id == SustainmentCheck.outcome_id)
        .where(JobOutcome.customer_id == customer.id)
        .distinct()
    )


def _guarantee_source(days: list[dt.date] | None) -> Select:
    """Guaranteed interviews by due day, district, the customer's office, the employer's
    sector and size: kept, not offered, and still open (overdue once the day has passed)."""
    keys = (
        Guarantee.due_on.label("day"),
        Guarantee.district_id.label("district_id"),
        Customer.office_id.label("office_id"),
        Organisation.sector.label("sector"),
        Organisation.size_band.label("size"),
    )
    statement = (
        select(
            *keys,
            count_if(Guarantee.outcome == Outcome.INTERVIEWED).label("kept"),
            count_if(Guarantee.outcome == Outcome.NOT_OFFERED).label("not_offered"),
            count_if(Guarantee.outcome.is_(None)).label("open"),
        )
        .join(Organisation, Organisation.id == Guarantee.organisation_id)
        .join(Customer, Customer.id == Guarantee.customer_id)
    )
    if days is not None:
        statement = statement.where(Guarantee.due_on.in_(days))
    return statement.group_by(*keys)


def _guarantee_days_of_organisation(organisation: Any) -> Select:
    return select(Guarantee.due_on).where(Guarantee.organisation_id == organisation.id).distinct()


def _guarantee_days_of_customer(customer: Any) -> Select:
    return select(Guarantee.due_on).where(Guarantee.customer_id == customer.id).distinct()


#: The steps of a voucher the MI counts: the moment each happened, and a condition.
VOUCHER_STEPS = (
    ("issued", "issued_at"),
    ("claimed", "claimed_at"),
    ("approved", "decided_at"),
    ("paid", "paid_at"),
)
VOUCHER_MOMENTS = tuple(column for _step, column in VOUCHER_STEPS)


def _voucher_source(days: list[dt.date] | None) -> Select:
    """Each step of each voucher (issued, claimed, approved, paid) on the UK day it happened,
    by district: how many, and the pounds. Approved counts claims approved, paid since or
    not. Vouchers carry no office."""
    branches = []
    for step, name in VOUCHER_STEPS:
        moment = getattr(Voucher, name)
        branch = select(
            uk_day(moment).label("day"),
            Voucher.district_id.label("district_id"),
            literal(step, String).label("step"),
            Voucher.amount.label("amount"),
        ).where(moment.is_not(None))
        if step == "approved":
            branch = branch.where(Voucher.status.in_((VoucherStatus.APPROVED, VoucherStatus.PAID)))
        if days is not None:
            start = dt.datetime.combine(min(days), dt.time(), tzinfo=LONDON)
            end = dt.datetime.combine(max(days) + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
            branch = branch.where(
                moment >= start.astimezone(dt.UTC),
                moment < end.astimezone(dt.UTC),
                uk_day(moment).in_(days),
            )
        branches.append(branch)
    steps = union_all(*branches).subquery()
    keys = (
        steps.c.day.label("day"),
        steps.c.district_id.label("district_id"),
        cast(literal(None), Voucher.district_id.type).label("office_id"),
        steps.c.step.label("step"),
    )
    return select(
        *keys,
        func.count().label("vouchers"),
        cast(func.coalesce(func.sum(steps.c.amount), 0), Integer).label("pounds"),
    ).group_by(steps.c.day, steps.c.district_id, steps.c.step)


def _voucher_days(where: list[Any]) -> Any:
    return union(
        *(select(uk_day(getattr(Voucher, name))).where(*where) for name in VOUCHER_MOMENTS)
    )


GUARANTEE_FIELDS = ("due_on", "outcome", "district_id", "organisation_id", "customer_id")

ROLLUPS: tuple[Rollup, ...] = (
    # Outcomes against target and starts eligible for the subsidy, per district.
    Rollup(
        "outcomes_by_district",
        _outcome_source(
            (),
            (
                count_if(_is_lep()).label("outcomes"),
                count_if(
                    and_(_is_lep(), JobOutcome.validation_status == ValidationStatus.VALIDATED)
                ).label("validated"),
                count_if(JobOutcome.subsidy_eligible.is_(True)).label("starts"),
            ),
        ),
        dimensions=(),
        measures=("outcomes", "validated", "starts"),
        watches=OUTCOME_WATCHES,
    ),
    # LEP outcomes by priority group, sector, employer size and source, wherever they are.
    Rollup(
        "outcome_groups",
        _outcome_source(
            (
                _priority_key().label("priority"),
                Organisation.sector.label("sector"),
                Organisation.size_band.label("size"),
                JobOutcome.source.label("source"),
            ),
            (count_if(_is_lep()).label("outcomes"),),
        ),
        dimensions=("priority", "sector", "size", "source"),
        measures=("outcomes",),
        watches=(
            *OUTCOME_WATCHES,
            Watch(
                Organisation,
                related_days(("sector", "size_band"), _outcome_days_of_organisation),
            ),
        ),
        read_by=(),
    ),
    # LEP outcomes by sector and district (the sector view).
    Rollup(
        "sector_outcomes",
        _outcome_source(
            (Organisation.sector.label("sector"),), (count_if(_is_lep()).label("outcomes"),)
        ),
        dimensions=("sector",),
        measures=("outcomes",),
        watches=(
            *OUTCOME_WATCHES,
            Watch(Organisation, related_days(("sector",), _outcome_days_of_organisation)),
        ),
    ),
    # Sustainment checks falling due, by weeks, district and office.
    Rollup(
        "sustainment",
        _sustainment_source,
        dimensions=("weeks",),
        measures=(
            "due",
            "answered",
            "still_employed",
            "more_hours",
            "higher_pay",
            "new_role",
            "progressed",
            "aftercare",
        ),
        watches=(
            Watch(
                SustainmentCheck,
                own_day("due_on"),
                bulk=lambda where: select(SustainmentCheck.due_on).where(*where).distinct(),
                day="due_on",
            ),
            Watch(
                JobOutcome,
                related_days(
                    ("validation_status", "district_id", "customer_id"), _check_days_of_outcome
                ),
                bulk=lambda where: (
                    select(SustainmentCheck.due_on)
                    .join(JobOutcome, JobOutcome.id == SustainmentCheck.outcome_id)
                    .where(*where)
                    .distinct()
                ),
                fields=("validation_status", "district_id", "customer_id"),
            ),
            Watch(Customer, related_days(("office_id",), _check_days_of_customer)),
        ),
        read_by=("district", "office"),
    ),
    # Guaranteed interviews falling due: kept, not offered, open (overdue when read, for the
    # days before today), by district, sector and employer size.
    Rollup(
        "guarantees",
        _guarantee_source,
        dimensions=("sector", "size"),
        measures=("kept", "not_offered", "open"),
        watches=(
            Watch(
                Guarantee,
                own_day("due_on"),
                bulk=lambda where: select(Guarantee.due_on).where(*where).distinct(),
                fields=GUARANTEE_FIELDS,
                day="due_on",
            ),
            Watch(
                Organisation,
                related_days(("sector", "size_band"), _guarantee_days_of_organisation),
            ),
            Watch(Customer, related_days(("office_id",), _guarantee_days_of_customer)),
        ),
        before_today=("open",),
        office_filter=False,
    ),
    # Recruitment subsidy vouchers: each step on the UK day it happened, with the pounds.
    Rollup(
        "vouchers",
        _voucher_source,
        dimensions=("step",),
        measures=("vouchers", "pounds"),
        watches=(
            Watch(
                Voucher,
                own_moments(*VOUCHER_MOMENTS),
                bulk=_voucher_days,
                moments=VOUCHER_MOMENTS,
            ),
        ),
        office_filter=False,
    ),
    # Pre-employment training: courses counted once, job starts per employer.
    *PET_ROLLUPS,
    # Agreements confirmed and measures delivered (their own module: this one is near 700 lines).
    *AGREEMENT_ROLLUPS,
)

# The employer's figures, counted per organisation (their own module: this one is near 700 lines).
ROLLUPS += EMPLOYER_ROLLUPS

# The local labour market pages' rollups, declared in their own module.
ROLLUPS += LMI_ROLLUPS

BY_NAME = {rollup.name: rollup for rollup in ROLLUPS}


def _key(value: object) -> str:
    return "" if value is None else str(getattr(value, "value", value))


# Marking ------------------------------------------------------------------------------------


def _mark(session: Session, _context) -> None:
    """After each flush: the (rollup, day) pairs this flush touched, written as marks in the
    same transaction."""
    touched: set[tuple[str, dt.date]] = set()
    states = (("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted))
    connection = None
    for state, records in states:
        for record in records:
            for rollup in ROLLUPS:
                for watch in rollup.watches:
                    if not isinstance(record, watch.model):
                        continue
                    if connection is None:
                        connection = session.connection()
                    for day in watch.days(connection, record, state):
                        touched.add((rollup.name, day))
    if touched:
        session.connection().execute(
            insert(RollupDirty), [{"rollup": name, "day": day} for name, day in sorted(touched)]
        )


WATCHED = tuple({watch.model for rollup in ROLLUPS for watch in rollup.watches})


def _mark_if_watched(session: Session, context) -> None:
    if any(
        isinstance(record, WATCHED)
        for records in (session.new, session.dirty, session.deleted)
        for record in records
    ):
        _mark(session, context)


event.listen(Session, "after_flush", _mark_if_watched)


def _mark_statement(state: ORMExecuteState) -> None:
    """Before an UPDATE or DELETE of a watched model runs through the session: mark the days
    of the rows it matches (and a new day it sets), in the same transaction."""
    if not (state.is_update or state.is_delete):
        return
    statement: Any = state.statement
    entity = (getattr(statement, "entity_description", None) or {}).get("entity")
    if entity not in WATCHED:
        return
    values = {
        getattr(key, "key", str(key)): getattr(value, "value", value)
        for key, value in (getattr(statement, "_values", None) or {}).items()
    }
    where = list(statement._where_criteria)
    new_values = [values]
    parameters = state.parameters
    if not where and isinstance(parameters, list) and parameters and "id" in parameters[0]:
        # An ORM bulk UPDATE by primary key: the rows are the listed ids.
        where = [entity.id.in_([row["id"] for row in parameters])]
        new_values = [dict(row) for row in parameters]
        for row in parameters:
            values.update({key: value for key, value in row.items() if key != "id"})
    touched: set[tuple[str, dt.date]] = set()
    for rollup in ROLLUPS:
        for watch in rollup.watches:
            if watch.model is not entity or watch.bulk is None:
                continue
            if state.is_update and watch.fields is not None and not set(watch.fields) & set(values):
                continue
            for day in state.session.execute(watch.bulk(where)).scalars():
                if day is not None:
                    touched.add((rollup.name, day))
            for row in new_values:
                new_day = row.get(watch.day) if watch.day else None
                if isinstance(new_day, dt.date) and not isinstance(new_day, dt.datetime):
                    touched.add((rollup.name, new_day))
                for name in watch.moments:
                    moment = row.get(name)
                    if isinstance(moment, dt.datetime):
                        touched.add((rollup.name, uk_day_of(moment)))
    if touched:
        state.session.execute(
            insert(RollupDirty), [{"rollup": name, "day": day} for name, day in sorted(touched)]
        )


event.listen(Session, "do_orm_execute", _mark_statement)


# Refreshing ---------------------------------------------------------------------------------


def _lock(session: AnySession) -> None:
    """Queue behind any other refresh until this transaction ends (PostgreSQL); SQLite has a
    single writer, so the first write does the same."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


def _month_or_ahead(day: ColumnElement) -> ColumnElement:
    """The first of the day's month; a day after today its own (`Rollup.stored_on`)."""
    return case((day > today(), day), else_=month_start(day))


def _recount(session: AnySession, rollup: Rollup, periods: list[dt.date] | None) -> int:
    """Replace the rollup's counts for these days, or months by their first days (every one
    when None), by a recount."""
    monthly = rollup.grain == "month"
    days = days_of_months(periods) if monthly and periods is not None else periods
    removal = delete(RollupCount).where(RollupCount.rollup == rollup.name)
    if days is not None:
        removal = removal.where(RollupCount.day.in_(days))
    session.execute(removal)
    counted = rollup.source(days).subquery()
    key: ColumnElement = literal("", String)
    for position, name in enumerate(rollup.dimensions):
        part = func.coalesce(cast(counted.c[name], String), literal("", String))
        key = part if position == 0 else key + literal(KEY_SEPARATOR, String) + part
    slots = [counted.c[measure] for measure in rollup.measures]
    slots += [literal(0)] * (MEASURE_SLOTS - len(slots))
    columns = ["rollup", "day", "district_id", "office_id", "organisation_id", "key"]
    columns += [f"value_{slot}" for slot in range(1, MEASURE_SLOTS + 1)]
    organisation = (
        counted.c.organisation_id
        if rollup.by_organisation
        else cast(literal(None), RollupCount.organisation_id.type)
    )
    rows = select(
        literal(rollup.name, String).label("rollup"),
        (_month_or_ahead(counted.c.day) if monthly else counted.c.day).label("day"),
        counted.c.district_id.label("district_id"),
        counted.c.office_id.label("office_id"),
        organisation.label("organisation_id"),
        key.label("key"),
        *(slot.label(f"value_{number}") for number, slot in enumerate(slots, start=1)),
    )
    if monthly:
        # The source's days added up by month; grouped by the columns of a subquery, as
        # PostgreSQL does not group by an expression that repeats its parameters.
        each = rows.subquery()
        keys = [each.c[name] for name in columns[:6]]
        values = [func.sum(each.c[name]) for name in columns[6:]]
        rows = select(*keys, *values).group_by(*keys)
        measured = range(1, len(rollup.measures) + 1)
        kept = or_(*(func.sum(each.c[f"value_{number}"]) != 0 for number in measured))
        rows = rows.having(kept)
    else:
        rows = rows.where(or_(*(counted.c[measure] != 0 for measure in rollup.measures)))
    result = session.execute(insert(RollupCount).from_select(columns, rows))
    return int(getattr(result, "rowcount", 0))


def _stamp(session: AnySession, names: Iterable[str]) -> None:
    now = int(time.time())
    for name in names:
        state = session.get(RollupState, name)
        if state is None:
            session.add(
                RollupState(rollup=name, refreshed_epoch=now, version=BY_NAME[name].version)
            )
        else:
            state.refreshed_epoch = now
            state.version = BY_NAME[name].version
    session.flush()


def _out_of_shape(session: AnySession) -> set[str]:
    """Rollups whose stored counts were made by another version of their declaration (their
    keys may have another shape), and rollups added to a database whose others were refreshed
    before (its earlier days were never counted): only a full recount will do. A database
    never refreshed has nothing stored; its marks cover every write since it was made."""
    stored: dict[str, int] = {
        name: version
        for name, version in session.execute(select(RollupState.rollup, RollupState.version))
    }
    if not stored:
        return set()
    return {rollup.name for rollup in ROLLUPS if stored.get(rollup.name) != rollup.version}


def refresh(session: AnySession, *, full: bool = False) -> dict[str, int]:
    """Bring every rollup up to date in the caller's transaction (the caller commits): the
    marked days (or their months), or every day with `full`. Returns the days (or months)
    recounted per rollup, -1 for all."""
    _lock(session)
    marks = session.execute(select(RollupDirty.id, RollupDirty.rollup, RollupDirty.day)).all()
    out_of_shape = _out_of_shape(session)
    recounted: dict[str, int] = {}
    for rollup in ROLLUPS:
        if full or rollup.name in out_of_shape:
            _recount(session, rollup, None)
            recounted[rollup.name] = -1
            continue
        # A month-grain rollup recounts the months of its marked days, whole.
        periods = sorted({rollup.period(day) for _id, name, day in marks if name == rollup.name})
        batch = BATCH_DAYS // 31 if rollup.grain == "month" else BATCH_DAYS
        for start in range(0, len(periods), batch):
            _recount(session, rollup, periods[start : start + batch])
        recounted[rollup.name] = len(periods)
    ids = [mark_id for mark_id, _name, _day in marks]
    for start in range(0, len(ids), 5000):
        session.execute(delete(RollupDirty).where(RollupDirty.id.in_(ids[start : start + 5000])))
    _stamp(session, BY_NAME)
    return recounted


def refresh_on_read(session: AnySession) -> None:
    """Before a page reads rollups: recount the marked days when `ROLLUPS_REFRESH_ON_READ`
    (development and tests, where no scheduler runs `flask rollups refresh`)."""
    if current_app.config["ROLLUPS_REFRESH_ON_READ"]:
        refresh(session)


def as_of(session: AnySession) -> dt.datetime | None:
    """When the oldest rollup was last refreshed (None if never)."""
    epoch = session.scalar(select(func.min(RollupState.refreshed_epoch)))
    return None if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC)


def live_counts(session: AnySession, rollup: Rollup) -> dict[tuple, int]:
    """The rollup counted from the records now, keyed like `stored_counts` (day or month,
    district, office, organisation, key, measure), leaving out zeros: for tests and for
    checking a database."""
    counts: dict[tuple, int] = {}
    on = today()
    for row in session.execute(rollup.source(None)).mappings():
        key = KEY_SEPARATOR.join(_key(row[name]) for name in rollup.dimensions)
        organisation = row["organisation_id"] if rollup.by_organisation else None
        for measure in rollup.measures:
            day = rollup.stored_on(row["day"], on)
            index = (day, row["district_id"], row["office_id"], organisation, key, measure)
            counts[index] = counts.get(index, 0) + int(row[measure] or 0)
    return {index: value for index, value in counts.items() if value}


def stored_counts(session: AnySession, rollup: Rollup) -> dict[tuple, int]:
    """The rollup's stored counts, keyed like `live_counts`: a day kept by its own row when it
    was still to come is added to its month once it has come, as a read adds it."""
    counts: dict[tuple, int] = {}
    on = today()
    slots = [getattr(RollupCount, f"value_{slot}") for slot in range(1, len(rollup.measures) + 1)]
    statement = select(
        RollupCount.day,
        RollupCount.district_id,
        RollupCount.office_id,
        RollupCount.organisation_id,
        RollupCount.key,
        *slots,
    ).where(RollupCount.rollup == rollup.name)
    for day, district_id, office_id, organisation_id, key, *values in session.execute(statement):
        for measure, value in zip(rollup.measures, values, strict=True):
            index = (rollup.stored_on(day, on), district_id, office_id, organisation_id, key)
            counts[(*index, measure)] = counts.get((*index, measure), 0) + value
    return {index: value for index, value in counts.items() if value}
