"""Rollups counted per employer: what the service did for an organisation, by day, for the
employer's home page and service record (`employer_service`), and what it has given against
its agreement and pledge, for the staff account page (`employer_progress`).

Declared like the MI's rollups and kept the same way (marks in the writing transaction, the
scheduled recount: `app/reports/rollups.py` includes them in `ROLLUPS`), but keyed by
organisation instead of district and office: a head office's figures add up its own rows and
its branches' through `ix_rollup_count_organisation`, a few hundred rows a quarter instead of
every referral of a national employer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Integer, String, case, cast, func, literal, select, union, union_all
from sqlalchemy.sql import ColumnElement, Select

from app.accounts.models import ContactKind, ContactLogEntry
from app.callbacks.models import CallBack, CallBackStatus
from app.clock import LONDON
from app.outcomes.models import JobOutcome, ValidationStatus
from app.referrals.models import Referral, ReferralStatus
from app.reports.rollup_parts import Rollup, Watch, any_of, count_if, own_day, own_moments, uk_day

#: The service record's figures, each counted on the day it happened.
SERVICE_MEASURES = (
    "callbacks",
    "on_time",
    "referrals",
    "interviews",
    "work_trials",
    "starts",
    "visits",
    "calls",
)
#: The account summary's: referrals by the day they were made, starts by their day.
PROGRESS_MEASURES = ("work_trials_used", "promised", "arranged", "starts", "lep_starts")


def _on_days(moment: Any, days: list[dt.date] | None) -> list[ColumnElement]:
    """A UTC moment on one of `days` (UK days): a range the moment's index can scan, then
    the exact days."""
    if days is None:
        return [moment.is_not(None)]
    start = dt.datetime.combine(min(days), dt.time(), tzinfo=LONDON)
    end = dt.datetime.combine(max(days) + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
    return [
        moment >= start.astimezone(dt.UTC),
        moment < end.astimezone(dt.UTC),
        uk_day(moment).in_(days),
    ]


def _in_days(column: Any, days: list[dt.date] | None) -> list[ColumnElement]:
    return [column.is_not(None)] if days is None else [column.in_(days)]


def _kind(name: str) -> ColumnElement:
    return literal(name, String).label("kind")


def _service_source(days: list[dt.date] | None) -> Select:
    """Per organisation and day: call-backs completed (and within 48 hours), candidates
    referred, interviews held (arranged and not withdrawn, on their UK day: the page counts
    only days before today from here), work trials started, starts not rejected, visits and
    meetings, calls."""
    interviewed = Referral.interview_at
    branches = [
        select(
            uk_day(CallBack.completed_at).label("day"),
            CallBack.organisation_id.label("organisation_id"),
            case(
                (CallBack.breached.is_(False), literal("callback_on_time", String)),
                else_=literal("callback_late", String),
            ).label("kind"),
        ).where(
            CallBack.status == CallBackStatus.COMPLETED, *_on_days(CallBack.completed_at, days)
        ),
        select(
            uk_day(Referral.created_at).label("day"),
            Referral.organisation_id.label("organisation_id"),
            _kind("referral"),
        ).where(*_on_days(Referral.created_at, days)),
        select(
            uk_day(interviewed).label("day"),
            Referral.organisation_id.label("organisation_id"),
            _kind("interview"),
        ).where(Referral.status != ReferralStatus.WITHDRAWN, *_on_days(interviewed, days)),
        select(
            Referral.work_trial_start.label("day"),
            Referral.organisation_id.label("organisation_id"),
            _kind("work_trial"),
        ).where(*_in_days(Referral.work_trial_start, days)),
        select(
            JobOutcome.start_date.label("day"),
            JobOutcome.organisation_id.label("organisation_id"),
            _kind("start"),
        ).where(
            JobOutcome.validation_status != ValidationStatus.REJECTED,
            *_in_days(JobOutcome.start_date, days),
        ),
        select(
            ContactLogEntry.occurred_on.label("day"),
            ContactLogEntry.organisation_id.label("organisation_id"),
            case(
                (ContactLogEntry.kind == ContactKind.CALL, literal("call", String)),
                else_=literal("visit", String),
            ).label("kind"),
        ).where(
            ContactLogEntry.kind.in_((ContactKind.VISIT, ContactKind.MEETING, ContactKind.CALL)),
            *_in_days(ContactLogEntry.occurred_on, days),
        ),
    ]
    happened = union_all(*branches).subquery()
    kind = happened.c.kind
    return select(
        happened.c.day.label("day"),
        cast(literal(None), Referral.district_id.type).label("district_id"),
        cast(literal(None), Referral.district_id.type).label("office_id"),
        happened.c.organisation_id.label("organisation_id"),
        count_if(kind.in_(("callback_on_time", "callback_late"))).label("callbacks"),
        count_if(kind == "callback_on_time").label("on_time"),
        count_if(kind == "referral").label("referrals"),
        count_if(kind == "interview").label("interviews"),
        count_if(kind == "work_trial").label("work_trials"),
        count_if(kind == "start").label("starts"),
        count_if(kind == "visit").label("visits"),
        count_if(kind == "call").label("calls"),
    ).group_by(happened.c.day, happened.c.organisation_id)


def _flag(condition: ColumnElement) -> ColumnElement:
    return case((condition, 1), else_=0)


def _progress_source(days: list[dt.date] | None) -> Select:
    """Per organisation and day: referrals made that day (work trials used, guaranteed
    interviews promised, and those arranged and not withdrawn, keyed by the interview's UK
    day so the page counts as held those before today) and starts that day (not rejected;
    of priority customers, for the jobs pledge)."""
    guaranteed = Referral.guaranteed_interview.is_(True)
    arranged = (
        guaranteed
        & Referral.interview_at.is_not(None)
        & (Referral.status != ReferralStatus.WITHDRAWN)
    )
    counted = JobOutcome.validation_status != ValidationStatus.REJECTED
    branches = [
        select(
            uk_day(Referral.created_at).label("day"),
            Referral.organisation_id.label("organisation_id"),
            case((arranged, uk_day(Referral.interview_at)), else_=None).label("interview_day"),
            _flag(Referral.work_trial_start.is_not(None)).label("work_trials_used"),
            _flag(guaranteed).label("promised"),
            _flag(arranged).label("arranged"),
            literal(0).label("starts"),
            literal(0).label("lep_starts"),
        ).where(*_on_days(Referral.created_at, days)),
        select(
            JobOutcome.start_date.label("day"),
            JobOutcome.organisation_id.label("organisation_id"),
            cast(literal(None), Date).label("interview_day"),
            literal(0),
            literal(0),
            literal(0),
            literal(1),
            _flag(JobOutcome.lep_eligible.is_(True)),
        ).where(counted, *_in_days(JobOutcome.start_date, days)),
    ]
    made = union_all(*branches).subquery()
    return select(
        made.c.day.label("day"),
        cast(literal(None), Referral.district_id.type).label("district_id"),
        cast(literal(None), Referral.district_id.type).label("office_id"),
        made.c.organisation_id.label("organisation_id"),
        made.c.interview_day.label("interview_day"),
        *(
            cast(func.coalesce(func.sum(made.c[name]), 0), Integer).label(name)
            for name in PROGRESS_MEASURES
        ),
    ).group_by(made.c.day, made.c.organisation_id, made.c.interview_day)


REFERRAL_FIELDS = (
    "organisation_id",
    "status",
    "created_at",
    "interview_at",
    "work_trial_start",
    "guaranteed_interview",
)


def _referral_days(where: list[Any]) -> Any:
    return union(
        select(uk_day(Referral.created_at)).where(*where),
        select(uk_day(Referral.interview_at)).where(*where, Referral.interview_at.is_not(None)),
        select(Referral.work_trial_start).where(*where, Referral.work_trial_start.is_not(None)),
    )


def _outcome_watch() -> Watch:
    return Watch(
        JobOutcome,
        own_day("start_date"),
        bulk=lambda where: select(JobOutcome.start_date).where(*where).distinct(),
        day="start_date",
    )


EMPLOYER_ROLLUPS: tuple[Rollup, ...] = (
    Rollup(
        "employer_service",
        _service_source,
        dimensions=(),
        measures=SERVICE_MEASURES,
        watches=(
            Watch(
                CallBack,
                own_moments("completed_at"),
                bulk=lambda where: (
                    select(uk_day(CallBack.completed_at))
                    .where(*where, CallBack.completed_at.is_not(None))
                    .distinct()
                ),
                fields=("status", "completed_at", "breached", "organisation_id"),
                moments=("completed_at",),
            ),
            Watch(
                Referral,
                any_of(own_moments("created_at", "interview_at"), own_day("work_trial_start")),
                bulk=_referral_days,
                fields=REFERRAL_FIELDS,
                day="work_trial_start",
                moments=("created_at", "interview_at"),
            ),
            _outcome_watch(),
            Watch(
                ContactLogEntry,
                own_day("occurred_on"),
                bulk=lambda where: select(ContactLogEntry.occurred_on).where(*where).distinct(),
                day="occurred_on",
            ),
        ),
        read_by=(),
        before_today=("interviews",),
        by_organisation=True,
    ),
    Rollup(
        "employer_progress",
        _progress_source,
        dimensions=("interview_day",),
        measures=PROGRESS_MEASURES,
        watches=(
            Watch(
                Referral,
                own_moments("created_at"),
                bulk=lambda where: select(uk_day(Referral.created_at)).where(*where).distinct(),
                fields=REFERRAL_FIELDS,
                moments=("created_at",),
            ),
            _outcome_watch(),
        ),
        read_by=(),
        by_organisation=True,
    ),
)
