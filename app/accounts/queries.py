"""What the account page's tabs, the pledge and the employer's service record show: each a
few bounded or grouped queries, whatever the number of records."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from sqlalchemy import CompoundSelect, Uuid, case, func, literal, select, union_all
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from app.accounts.models import (
    AssistedChange,
    ContactChange,
    ContactLogEntry,
    EmployerMembership,
    JobsPledge,
    NextAction,
    Organisation,
)
from app.agreements.models import Agreement, AgreementStatus, AgreementVersion
from app.auth.models import User
from app.callbacks.models import CallBack, CallBackStatus
from app.clock import LONDON, today
from app.extensions import db
from app.models_base import utcnow
from app.outcomes.models import JobOutcome, ValidationStatus
from app.pet.models import Course, CourseEmployer, CourseEmployerStatus, CourseStatus
from app.referrals.models import Referral, interview_held
from app.reports.employer_rollups import PROGRESS_MEASURES, SERVICE_MEASURES
from app.reports.models import RollupCount, RollupState
from app.reports.rollups import refresh_on_read
from app.vacancies.models import Vacancy

LIST_LIMIT = 50
#: Most branches the summary lists (the pledge counts every one).
BRANCHES_SHOWN = 200
TIMELINE_LIMIT = 60


def counted_starts():
    """Starts that count: every recorded start a coordinator has not rejected."""
    return JobOutcome.validation_status != ValidationStatus.REJECTED


# --- summary ---------------------------------------------------------------------------------


@dataclass
class MeasureProgress:
    work_trials_used: int
    interviews_promised: int
    interviews_held: int
    starts: int
    #: When the rollup these were counted from was last brought up to date.
    as_of: dt.datetime | None = None


def _uk_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), tzinfo=LONDON).astimezone(dt.UTC)


def _rollup_value(measures: tuple[str, ...], name: str):
    return getattr(RollupCount, f"value_{measures.index(name) + 1}")


def _rollup_as_of(name: str):
    return select(RollupState.refreshed_epoch).where(RollupState.rollup == name).scalar_subquery()


def _from_epoch(epoch: int | None) -> dt.datetime | None:
    return None if epoch is None else dt.datetime.fromtimestamp(epoch, dt.UTC)


def measure_progress(organisation_id: uuid.UUID, since: dt.date | None) -> MeasureProgress:
    """What the employer has given so far against what it agreed (work trials used,
    guaranteed interviews promised and held, starts), for referrals made and starts since
    `since` (a UK day), in one statement from the `employer_progress` rollup.

    Guaranteed interviews are kept there by the day of the interview: those before today
    were held; today's are counted live, those whose time has come (`interview_held`), a few
    rows through `ix_referral_organisation_interview`."""
    refresh_on_read(db.session)
    day, now = today(), utcnow()
    value = lambda name: _rollup_value(PROGRESS_MEASURES, name)  # noqa: E731
    stored = [
        RollupCount.rollup == "employer_progress",
        RollupCount.organisation_id == organisation_id,
    ]
    held_today = [
        Referral.organisation_id == organisation_id,
        Referral.guaranteed_interview.is_(True),
        Referral.interview_at >= _uk_midnight(day),
        interview_held(now),
    ]
    if since is not None:
        stored.append(RollupCount.day >= since)
        held_today.append(Referral.created_at >= _uk_midnight(since))
    held_before = (RollupCount.key != "") & (RollupCount.key < day.isoformat())
    sums = (
        select(
            func.coalesce(func.sum(value("work_trials_used")), 0).label("used"),
            func.coalesce(func.sum(value("promised")), 0).label("promised"),
            func.coalesce(func.sum(case((held_before, value("arranged")), else_=0)), 0).label(
                "held"
            ),
            func.coalesce(func.sum(value("starts")), 0).label("starts"),
        )
        .where(*stored)
        .subquery()
    )
    today_held = select(func.count(Referral.id)).where(*held_today).scalar_subquery()
    row = db.session.execute(
        select(sums, today_held.label("held_today"), _rollup_as_of("employer_progress"))
    ).one()
    return MeasureProgress(
        int(row.used),
        int(row.promised),
        int(row.held) + int(row.held_today),
        int(row.starts),
        _from_epoch(row[-1]),
    )


def _summary_agreement(organisation: Organisation) -> Agreement | None:
    """The account's active agreement or, for a branch without one, its head office's, with
    the current version's measures: one statement."""
    owners = [organisation.id]
    if organisation.parent_id is not None:
        owners.append(organisation.parent_id)
    return (
        db.session.scalars(
            select(Agreement)
            .where(
                Agreement.organisation_id.in_(owners),
                Agreement.status == AgreementStatus.ACTIVE,
            )
            .options(joinedload(Agreement.versions).joinedload(AgreementVersion.measures))
            .order_by(
                case((Agreement.organisation_id == organisation.id, 0), else_=1),
                Agreement.created_at.desc(),
            )
        )
        .unique()
        .first()
    )


def summary(organisation: Organisation) -> dict:
    agreement = _summary_agreement(organisation)
    covered_by = None
    if agreement is not None and agreement.organisation_id != organisation.id:
        # A head-office agreement covers every branch without one of its own.
        covered_by = organisation.parent
    progress = measure_progress(organisation.id, agreement.started_on if agreement else None)
    people = list(
        db.session.scalars(
            select(EmployerMembership)
            .where(EmployerMembership.organisation_id == organisation.id)
            .options(joinedload(EmployerMembership.user))
            .order_by(EmployerMembership.role, EmployerMembership.created_at)
            .limit(LIST_LIMIT)
        )
    )
    actions = open_actions(organisation.id)
    handovers = list(
        db.session.scalars(
            select(ContactChange)
            .where(ContactChange.organisation_id == organisation.id)
            .options(
                joinedload(ContactChange.from_contact),
                joinedload(ContactChange.to_contact),
            )
            .order_by(ContactChange.changed_at.desc())
            .limit(5)
        )
    )
    branches = []
    pledge = pledge_progress_rows = None
    if organisation.parent_id is None:
        # Every branch once, for the list and for the pledge's starts by branch.
        every_branch = list(
            db.session.scalars(
                select(Organisation)
                .where(Organisation.parent_id == organisation.id)
                .options(joinedload(Organisation.contact), joinedload(Organisation.district))
                .order_by(Organisation.name)
            )
        )
        branches = every_branch[:BRANCHES_SHOWN]
        pledge = current_pledge(organisation.id)
        if pledge is not None:
            pledge_progress_rows = pledge_progress(organisation, pledge, branches=every_branch)
    return {
        "agreement": agreement,
        "covered_by": covered_by,
        "progress": progress,
        "people": people,
        "actions": actions,
        "handovers": handovers,
        "branches": branches,
        "pledge": pledge,
        "pledge_progress": pledge_progress_rows,
    }


def open_actions(organisation_id: uuid.UUID) -> list[NextAction]:
    return list(
        db.session.scalars(
            select(NextAction)
            .where(NextAction.organisation_id == organisation_id, NextAction.done_at.is_(None))
            .options(joinedload(NextAction.owner))
            .order_by(NextAction.due_on, NextAction.id)
            .limit(LIST_LIMIT)
        )
    )


def load_organisation(user: User) -> None:
    """The signed-in employer's membership, organisation and its contact in one statement,
    kept on the user, so the home page's header and panels read them without another."""
    membership = db.session.scalar(
        select(EmployerMembership)
        .where(EmployerMembership.user_id == user.id)
        .options(joinedload(EmployerMembership.organisation).joinedload(Organisation.contact))
    )
    set_committed_value(user, "membership", membership)


# --- national employers ----------------------------------------------------------------------


def current_pledge(head_office_id: uuid.UUID) -> JobsPledge | None:
    return db.session.scalar(
        select(JobsPledge)
        .where(JobsPledge.organisation_id == head_office_id)
        .order_by(JobsPledge.starts_on.desc(), JobsPledge.created_at.desc())
        .limit(1)
    )


@dataclass
class PledgeProgress:
    jobs: int
    starts: int
    by_branch: list[tuple[Organisation, int]]
    by_district: list[tuple[str, int]]
    #: When the rollup was last brought up to date (None when nobody has started yet).
    as_of: dt.datetime | None = None


def pledge_progress(
    head_office: Organisation,
    pledge: JobsPledge,
    *,
    branches: list[Organisation] | None = None,
) -> PledgeProgress:
    """Starts of priority customers at the head office and its branches during the pledge,
    against the jobs pledged, by branch and by district: one grouped query, and the list of
    branches unless the caller has it already (with their districts)."""
    if branches is None:
        branches = list(
            db.session.scalars(
                select(Organisation)
                .where(Organisation.parent_id == head_office.id)
                .options(joinedload(Organisation.district))
            )
        )
    organisations = sorted([head_office, *branches], key=lambda found: found.name)
    # Starts of priority customers (`lep_starts`) from the `employer_progress` rollup.
    refresh_on_read(db.session)
    rows = db.session.execute(
        select(
            RollupCount.organisation_id,
            func.sum(_rollup_value(PROGRESS_MEASURES, "lep_starts")),
            _rollup_as_of("employer_progress"),
        )
        .where(
            RollupCount.rollup == "employer_progress",
            RollupCount.organisation_id.in_(family(head_office)),
            RollupCount.day >= pledge.starts_on,
            RollupCount.day <= pledge.ends_on,
        )
        .group_by(RollupCount.organisation_id)
    ).all()
    per_organisation = {
        organisation_id: int(starts) for organisation_id, starts, _ in rows if starts
    }
    by_district: dict[str, int] = {}
    for organisation in organisations:
        name = organisation.district.name
        by_district[name] = by_district.get(name, 0) + per_organisation.get(organisation.id, 0)
    return PledgeProgress(
        jobs=pledge.jobs,
        starts=sum(per_organisation.values()),
        by_branch=[(o, per_organisation.get(o.id, 0)) for o in organisations],
        by_district=sorted(by_district.items()),
        as_of=_from_epoch(rows[0][2]) if rows else None,
    )


# --- the contact log --------------------------------------------------------------------------


def contact_log(organisation_id: uuid.UUID) -> dict:
    entries = list(
        db.session.scalars(
            select(ContactLogEntry)
            .where(ContactLogEntry.organisation_id == organisation_id)
            .options(selectinload(ContactLogEntry.staff))
            .order_by(ContactLogEntry.occurred_on.desc(), ContactLogEntry.created_at.desc())
            .limit(LIST_LIMIT)
        )
    )
    ids = [entry.id for entry in entries]
    actions: dict[uuid.UUID, list[NextAction]] = {}
    if ids:
        for action in db.session.scalars(
            select(NextAction)
            .where(NextAction.contact_log_entry_id.in_(ids))
            .options(selectinload(NextAction.owner))
            .order_by(NextAction.due_on)
        ):
            actions.setdefault(action.contact_log_entry_id, []).append(action)
    return {"entries": entries, "entry_actions": actions, "actions": open_actions(organisation_id)}


# --- the timeline ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    at: dt.datetime
    kind: str  # contact, handover, vacancy, referral, start, agreement, assisted, callback
    text: str
    who: str = ""


def _moment(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def timeline(
    organisation_ids: list[uuid.UUID] | CompoundSelect, *, staff_view: bool = True
) -> list[Event]:
    """Everything that happened on the accounts, newest first: one bounded query per kind
    of record (the people named joined in, so none grows with the rows), merged."""
    limit = TIMELINE_LIMIT
    events: list[Event] = []
    for entry in db.session.scalars(
        select(ContactLogEntry)
        .where(ContactLogEntry.organisation_id.in_(organisation_ids))
        .options(joinedload(ContactLogEntry.staff))
        .order_by(ContactLogEntry.occurred_on.desc())
        .limit(limit)
    ):
        events.append(
            Event(
                _moment(entry.occurred_on),
                f"contact:{entry.kind.value}",
                entry.summary if staff_view else "",
                entry.staff.name,
            )
        )
    for change in db.session.scalars(
        select(ContactChange)
        .where(ContactChange.organisation_id.in_(organisation_ids))
        .options(joinedload(ContactChange.to_contact), joinedload(ContactChange.from_contact))
        .order_by(ContactChange.changed_at.desc())
        .limit(limit)
    ):
        events.append(
            Event(
                change.changed_at,
                "handover",
                change.reason if staff_view else "",
                change.to_contact.name,
            )
        )
    for vacancy in db.session.scalars(
        select(Vacancy)
        .where(Vacancy.organisation_id.in_(organisation_ids), Vacancy.submitted_at.is_not(None))
        .order_by(Vacancy.submitted_at.desc())
        .limit(limit)
    ):
        events.append(Event(vacancy.submitted_at, "vacancy", vacancy.job_title))
    for at, title in db.session.execute(
        select(Referral.created_at, Vacancy.job_title)
        .join(Vacancy, Vacancy.id == Referral.vacancy_id)
        .where(Referral.organisation_id.in_(organisation_ids))
        .order_by(Referral.created_at.desc())
        .limit(limit)
    ):
        events.append(Event(at, "referral", title))
    for start_date, title in db.session.execute(
        select(JobOutcome.start_date, Vacancy.job_title)
        .outerjoin(Vacancy, Vacancy.id == JobOutcome.vacancy_id)
        .where(JobOutcome.organisation_id.in_(organisation_ids), counted_starts())
        .order_by(JobOutcome.start_date.desc())
        .limit(limit)
    ):
        events.append(Event(_moment(start_date), "start", title or ""))
    for agreement in db.session.scalars(
        select(Agreement)
        .where(Agreement.organisation_id.in_(organisation_ids))
        .order_by(Agreement.started_on.desc())
        .limit(limit)
    ):
        events.append(Event(_moment(agreement.started_on), "agreement", ""))
        if agreement.ended_on is not None:
            events.append(Event(_moment(agreement.ended_on), "agreement_ended", ""))
    for completed_at, breached, title in db.session.execute(
        select(CallBack.completed_at, CallBack.breached, Vacancy.job_title)
        .join(Vacancy, Vacancy.id == CallBack.vacancy_id)
        .where(
            CallBack.organisation_id.in_(organisation_ids),
            CallBack.status == CallBackStatus.COMPLETED,
        )
        .order_by(CallBack.completed_at.desc())
        .limit(limit)
    ):
        events.append(
            Event(completed_at, "callback_late" if breached else "callback_on_time", title)
        )
    for change in db.session.scalars(
        select(AssistedChange)
        .where(AssistedChange.organisation_id.in_(organisation_ids))
        .options(joinedload(AssistedChange.staff))
        .order_by(AssistedChange.at.desc())
        .limit(limit)
    ):
        events.append(
            Event(change.at, f"assisted:{change.channel}", change.summary, change.staff.name)
        )
    events.sort(key=lambda event: event.at, reverse=True)
    return events[:limit]


# --- the employer's service record -----------------------------------------------------------


@dataclass
class ServiceFigures:
    callbacks: int
    callbacks_on_time: int
    referrals: int
    interviews: int
    work_trials: int
    starts: int
    courses: int
    visits: int
    calls: int
    #: When the rollup these were counted from was last brought up to date.
    as_of: dt.datetime | None = None


def service_figures(
    organisation_ids: list[uuid.UUID] | CompoundSelect, start: dt.date, end: dt.date
) -> ServiceFigures:
    """What the service did for the employer between two UK days, in one statement: the
    `employer_service` rollup's days added up, side by side with two live counts.

    Live, because a rollup cannot keep them: interviews held today (the rollup counts an
    interview held once its day has passed; today's count once their time has come, a few
    rows through `ix_referral_organisation_interview`), and courses run, counted once however
    many of the family's organisations share one (the employer's few courses, by index)."""
    refresh_on_read(db.session)
    day, now = today(), utcnow()
    value = lambda name: _rollup_value(SERVICE_MEASURES, name)  # noqa: E731
    sums = []
    for name in SERVICE_MEASURES:
        counted = value(name)
        if name == "interviews":
            counted = case((RollupCount.day < day, counted), else_=0)
        sums.append(func.coalesce(func.sum(counted), 0).label(name))
    stored = (
        select(*sums)
        .where(
            RollupCount.rollup == "employer_service",
            RollupCount.organisation_id.in_(organisation_ids),
            RollupCount.day >= start,
            RollupCount.day <= end,
        )
        .subquery()
    )
    interviews_today: object = literal(0)
    if start <= day <= end:
        interviews_today = (
            select(func.count(Referral.id))
            .where(
                Referral.organisation_id.in_(organisation_ids),
                Referral.interview_at >= _uk_midnight(day),
                interview_held(now),
            )
            .scalar_subquery()
        )
    courses = (
        select(func.count(func.distinct(Course.id)))
        .join(CourseEmployer, CourseEmployer.course_id == Course.id)
        .where(
            CourseEmployer.organisation_id.in_(organisation_ids),
            CourseEmployer.status == CourseEmployerStatus.JOINED,
            Course.status.in_([CourseStatus.RUNNING, CourseStatus.FINISHED]),
            Course.start_date >= start,
            Course.start_date <= end,
        )
        .scalar_subquery()
    )
    row = db.session.execute(
        select(
            stored,
            interviews_today.label("interviews_today"),  # type: ignore[attr-defined]
            courses.label("courses"),
            _rollup_as_of("employer_service").label("as_of"),
        ).select_from(stored)
    ).one()
    return ServiceFigures(
        callbacks=int(row.callbacks),
        callbacks_on_time=int(row.on_time),
        referrals=int(row.referrals),
        interviews=int(row.interviews) + int(row.interviews_today),
        work_trials=int(row.work_trials),
        starts=int(row.starts),
        courses=int(row.courses or 0),
        visits=int(row.visits),
        calls=int(row.calls),
        as_of=_from_epoch(row.as_of),
    )


def family(organisation: Organisation) -> list[uuid.UUID] | CompoundSelect:
    """What the organisation's users may see, to filter by: a branch is itself; a head office
    is itself and its branches (a subquery, so no statement runs to list them)."""
    if organisation.parent_id is not None:
        return [organisation.id]
    # A UNION, not `id = X OR parent_id = X`: PostgreSQL answers the OR with a scan of every
    # organisation in the country, the union with two index lookups.
    return union_all(
        select(literal(organisation.id, Uuid)),
        select(Organisation.id).where(Organisation.parent_id == organisation.id),
    )


def family_ids(organisation: Organisation) -> list[uuid.UUID]:
    """The organisation and, for a head office, its branches, listed."""
    members = family(organisation)
    return members if isinstance(members, list) else list(db.session.scalars(members))
