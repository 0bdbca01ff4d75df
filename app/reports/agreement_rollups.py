"""The rollups of the MI's employer and measure figures, declared here and listed in
`app.reports.rollups.ROLLUPS` (which says how rollups are marked and refreshed):

- `agreements_confirmed`: agreement versions by the UK day staff recorded them and the
  organisation's district: sent to confirm, confirmed, said to be wrong;
- `measures_delivered`: work trials by their start day, guaranteed interviews by their UK
  day (held only once the day has passed: today's are counted live when read) and job
  placements by the outcome's start day, by the referral's district and office.

At national scale each was a count of live rows per MI page view (a third of the page).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import cast, func, literal, select, union, union_all
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement, Select

from app.accounts.models import Organisation
from app.agreements.models import Agreement, AgreementQuery, AgreementVersion
from app.clock import LONDON
from app.outcomes.models import JobOutcome, ValidationStatus
from app.referrals.models import Referral, ReferralStatus
from app.reports.rollup_parts import (
    Rollup,
    Watch,
    _values,
    any_of,
    count_if,
    own_day,
    own_day_when,
    own_moments,
    related_days,
    uk_day,
)


def _on_days(moment: Any, days: list[dt.date]) -> list[ColumnElement]:
    """Conditions keeping moments on the UK days given: a range the index can use, then the
    exact days."""
    start = dt.datetime.combine(min(days), dt.time(), tzinfo=LONDON)
    end = dt.datetime.combine(max(days) + dt.timedelta(days=1), dt.time(), tzinfo=LONDON)
    return [
        moment >= start.astimezone(dt.UTC),
        moment < end.astimezone(dt.UTC),
        uk_day(moment).in_(days),
    ]


# Agreements confirmed -------------------------------------------------------------------------


def _agreement_source(days: list[dt.date] | None) -> Select:
    """Agreement versions by the UK day they were recorded and the organisation's district:
    each one sent to the employer to confirm, those confirmed, those it queried. Agreements
    carry no office."""
    queried = (
        select(AgreementQuery.id)
        .where(AgreementQuery.version_id == AgreementVersion.id)
        .correlate(AgreementVersion)
        .exists()
    )
    versions = (
        select(
            uk_day(AgreementVersion.created_at).label("day"),
            Organisation.district_id.label("district_id"),
            AgreementVersion.confirmed_at.label("confirmed_at"),
            count_if(queried).label("queried"),
        )
        .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
        .join(Organisation, Organisation.id == Agreement.organisation_id)
        .group_by(AgreementVersion.id, Organisation.district_id)
    )
    if days is not None:
        versions = versions.where(*_on_days(AgreementVersion.created_at, days))
    each = versions.subquery()
    # Grouped by the subquery's columns: PostgreSQL does not group by an expression that
    # repeats its parameters.
    return select(
        each.c.day.label("day"),
        each.c.district_id.label("district_id"),
        cast(literal(None), Organisation.district_id.type).label("office_id"),
        func.count().label("sent"),
        count_if(each.c.confirmed_at.is_not(None)).label("confirmed"),
        func.coalesce(func.sum(each.c.queried), 0).label("queried"),
    ).group_by(each.c.day, each.c.district_id)


def _version_days_of_query(connection: Connection, record: Any, _state: str) -> list[dt.date]:
    """The UK day of the version a query was raised (or withdrawn) on."""
    versions = _values(record, "version_id")
    if not versions:
        return []
    return list(
        connection.scalars(
            select(uk_day(AgreementVersion.created_at)).where(AgreementVersion.id.in_(versions))
        )
    )


def _version_days_of_agreement(agreement: Any) -> Select:
    return (
        select(uk_day(AgreementVersion.created_at))
        .where(AgreementVersion.agreement_id == agreement.id)
        .distinct()
    )


def _version_days_of_organisation(organisation: Any) -> Select:
    return (
        select(uk_day(AgreementVersion.created_at))
        .join(Agreement, Agreement.id == AgreementVersion.agreement_id)
        .where(Agreement.organisation_id == organisation.id)
        .distinct()
    )


AGREEMENT_WATCHES = (
    Watch(
        AgreementVersion,
        own_moments("created_at"),
        bulk=lambda where: select(uk_day(AgreementVersion.created_at)).where(*where).distinct(),
        fields=("created_at", "confirmed_at", "agreement_id"),
        moments=("created_at",),
    ),
    Watch(AgreementQuery, _version_days_of_query),
    Watch(Agreement, related_days(("organisation_id",), _version_days_of_agreement)),
    Watch(Organisation, related_days(("district_id",), _version_days_of_organisation)),
)


# Measures delivered ---------------------------------------------------------------------------


def _measure_source(days: list[dt.date] | None) -> Select:
    """Work trials by start day, guaranteed interviews (not withdrawn) by UK day and job
    placements (starts recorded against a referral, not rejected) by start day, by the
    referral's district and office (the referrer's)."""

    def counted(day: Any, trial: int, interview: int, placement: int) -> tuple:
        return (
            day.label("day"),
            Referral.district_id.label("district_id"),
            Referral.office_id.label("office_id"),
            literal(trial).label("trial"),
            literal(interview).label("interview"),
            literal(placement).label("placement"),
        )

    trials = select(*counted(Referral.work_trial_start, 1, 0, 0)).where(
        Referral.work_trial_start.is_not(None)
    )
    interviews = select(*counted(uk_day(Referral.interview_at), 0, 1, 0)).where(
        Referral.guaranteed_interview.is_(True),
        Referral.interview_at.is_not(None),
        Referral.status != ReferralStatus.WITHDRAWN,
    )
    placements = (
        select(*counted(JobOutcome.start_date, 0, 0, 1))
        .join(JobOutcome, JobOutcome.referral_id == Referral.id)
        .where(JobOutcome.validation_status != ValidationStatus.REJECTED)
    )
    if days is not None:
        trials = trials.where(Referral.work_trial_start.in_(days))
        interviews = interviews.where(*_on_days(Referral.interview_at, days))
        placements = placements.where(JobOutcome.start_date.in_(days))
    measures = union_all(trials, interviews, placements).subquery()
    keys = (measures.c.day, measures.c.district_id, measures.c.office_id)
    return select(
        measures.c.day.label("day"),
        measures.c.district_id.label("district_id"),
        measures.c.office_id.label("office_id"),
        func.coalesce(func.sum(measures.c.trial), 0).label("work_trials"),
        func.coalesce(func.sum(measures.c.interview), 0).label("interviews"),
        func.coalesce(func.sum(measures.c.placement), 0).label("placements"),
    ).group_by(*keys)


def _placement_days_of_referral(referral: Any) -> Select:
    return select(JobOutcome.start_date).where(JobOutcome.referral_id == referral.id)


def _referral_days(where: list[Any]) -> Any:
    return union(
        select(uk_day(Referral.interview_at)).where(*where, Referral.interview_at.is_not(None)),
        select(Referral.work_trial_start).where(*where, Referral.work_trial_start.is_not(None)),
        select(JobOutcome.start_date)
        .join(Referral, Referral.id == JobOutcome.referral_id)
        .where(*where),
    )


MEASURE_WATCHES = (
    Watch(
        Referral,
        any_of(
            own_moments("interview_at"),
            own_day("work_trial_start"),
            related_days(("district_id", "office_id"), _placement_days_of_referral),
        ),
        bulk=_referral_days,
        fields=(
            "status",
            "interview_at",
            "work_trial_start",
            "guaranteed_interview",
            "district_id",
            "office_id",
        ),
        day="work_trial_start",
        moments=("interview_at",),
    ),
    # Only outcomes recorded against a referral are placements.
    Watch(
        JobOutcome,
        own_day_when("start_date", "referral_id"),
        bulk=lambda where: (
            select(JobOutcome.start_date)
            .where(*where, JobOutcome.referral_id.is_not(None))
            .distinct()
        ),
        day="start_date",
    ),
)


AGREEMENT_ROLLUPS: tuple[Rollup, ...] = (
    Rollup(
        "agreements_confirmed",
        _agreement_source,
        dimensions=(),
        measures=("sent", "confirmed", "queried"),
        watches=AGREEMENT_WATCHES,
        office_filter=False,
    ),
    Rollup(
        "measures_delivered",
        _measure_source,
        dimensions=(),
        measures=("work_trials", "interviews", "placements"),
        watches=MEASURE_WATCHES,
        before_today=("interviews",),
    ),
)
