"""Opening guarantees, closing them with an interview or a reason, and chasing overdue ones.

Other areas call `open_for_referral`, `open_for_completers`, `referral_interviewed` and
`completers_interviewed` at the moments a guarantee starts or is kept. Everything here only
adds to the session or runs a statement in it: the caller commits.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Iterable
from typing import Any, cast

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import joinedload

from app.accounts.models import District, Organisation
from app.accounts.services import owner_emails, record_assisted
from app.agreements.models import AgreedMeasure, Agreement, AgreementVersion
from app.auth.models import User
from app.clock import now as clock_now
from app.clock import today as clock_today
from app.compare_and_set import compare_and_set, status_update
from app.customers.rules import lep_eligible
from app.extensions import db
from app.formatting import london
from app.guarantees import rules
from app.guarantees.models import Guarantee
from app.guarantees.rules import NotOfferedReason, Outcome, Source
from app.mail.services import queue_email
from app.pet.models import (
    Course,
    CourseEmployer,
    CourseEmployerStatus,
    CourseModel,
    CourseReferral,
)
from app.referrals.models import Referral
from app.referrals.queries import priority_group_or_none
from app.statuses import AgreementStatus


def working_days() -> int:
    if has_app_context():
        return int(current_app.config.get("GUARANTEE_WORKING_DAYS", rules.DEFAULT_WORKING_DAYS))
    return rules.DEFAULT_WORKING_DAYS


def _nation_of(district_id: uuid.UUID) -> str:
    nation = db.session.scalar(select(District.nation_code).where(District.id == district_id))
    if nation is None:
        raise LookupError(f"no district {district_id}")
    return nation


def open_for_referral(referral: Referral, on: dt.date | None = None) -> Guarantee | None:
    """A guarantee for the referral, if the vacancy offers guaranteed interviews and the
    customer is LEP-eligible on the day; None otherwise."""
    on = on or clock_today()
    vacancy, customer = referral.vacancy, referral.customer
    group = priority_group_or_none(customer, on)
    eligible = group is not None and lep_eligible(group, on, customer.under_redundancy_notice)
    if not rules.covers_referral(vacancy.offers_guaranteed_interview, eligible):
        return None
    guarantee = Guarantee(
        id=uuid.uuid4(),
        source=Source.REFERRAL,
        organisation_id=referral.organisation_id,
        district_id=vacancy.district_id,
        customer_id=customer.id,
        referral=referral,
        opened_on=on,
        due_on=rules.due_on(on, _nation_of(vacancy.district_id), working_days()),
    )
    db.session.add(guarantee)
    return guarantee


def _agreement_measures(organisation_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    """Each organisation's measures in its active agreement's latest version, in one query."""
    ids = list(organisation_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Agreement.organisation_id, AgreementVersion.number, AgreedMeasure.measure)
        .join(AgreementVersion, AgreementVersion.agreement_id == Agreement.id)
        .join(AgreedMeasure, AgreedMeasure.version_id == AgreementVersion.id)
        .where(Agreement.organisation_id.in_(ids), Agreement.status == AgreementStatus.ACTIVE)
    )
    latest: dict[uuid.UUID, int] = {}
    measures: dict[tuple[uuid.UUID, int], set[str]] = defaultdict(set)
    for organisation_id, number, measure in rows:
        latest[organisation_id] = max(latest.get(organisation_id, 0), number)
        measures[(organisation_id, number)].add(str(measure))
    return {key: measures[(key, number)] for key, number in latest.items()}


def _joined_employers(course_ids: set[uuid.UUID]) -> dict[uuid.UUID, list[tuple]]:
    """Each course's employers taking part, in the order they joined (a bespoke course's
    one from the start): (organisation id, interviews offered)."""
    rows = list(
        db.session.execute(
            select(
                CourseEmployer.course_id,
                CourseEmployer.organisation_id,
                CourseEmployer.guaranteed_interviews,
                CourseEmployer.answered_at,
            ).where(
                CourseEmployer.course_id.in_(course_ids),
                CourseEmployer.status == CourseEmployerStatus.JOINED,
            )
        ).all()
    )
    rows.sort(key=lambda row: (row[3] is not None, row[3] or dt.datetime.min, str(row[1])))
    employers: dict[uuid.UUID, list[tuple]] = defaultdict(list)
    for course_id, organisation_id, interviews, _joined_at in rows:
        employers[course_id].append((organisation_id, interviews or 0))
    return employers


def _allotted(course_ids: set[uuid.UUID]) -> dict[tuple[uuid.UUID, uuid.UUID], int]:
    """Completers each employer of each sector course owes an interview already."""
    return {
        (course_id, organisation_id): count
        for course_id, organisation_id, count in db.session.execute(
            select(CourseReferral.course_id, Guarantee.organisation_id, func.count(Guarantee.id))
            .join(CourseReferral, CourseReferral.id == Guarantee.course_referral_id)
            .where(CourseReferral.course_id.in_(course_ids))
            .group_by(CourseReferral.course_id, Guarantee.organisation_id)
        )
    }


def open_for_completers(trainee_ids: Iterable[uuid.UUID], on: dt.date) -> list[Guarantee]:
    """Guarantees for the completers among `trainee_ids`. Idempotent.

    A bespoke course: from each employer of the course whose delivery plan (the course's
    follow-on) or LEP agreement guarantees interviews. A sector course: from one of its
    employers, each completer allotted to the employer with most of its offered interviews
    left (`rules.allot_completers`), until every offer is used up."""
    trainees = list(
        db.session.scalars(
            select(CourseReferral)
            .where(CourseReferral.id.in_(list(trainee_ids)))
            .options(joinedload(CourseReferral.course))
        )
    )
    trainees = [trainee for trainee in trainees if trainee.status.value == "completed"]
    if not trainees:
        return []
    course_ids = {trainee.course_id for trainee in trainees}
    employers = _joined_employers(course_ids)
    existing = set(
        db.session.execute(
            select(Guarantee.course_referral_id, Guarantee.organisation_id).where(
                Guarantee.course_referral_id.in_([trainee.id for trainee in trainees])
            )
        ).tuples()
    )
    nations = {
        course_id: nation
        for course_id, nation in db.session.execute(
            select(Course.id, District.nation_code)
            .join(District, District.id == Course.district_id)
            .where(Course.id.in_(course_ids))
        )
    }
    owed: list[tuple[CourseReferral, uuid.UUID]] = []
    sector = {t.course_id for t in trainees if t.course.model is CourseModel.SECTOR}
    if sector:
        allotted = _allotted(sector)
        covered = {trainee_id for trainee_id, _organisation_id in existing}
        for course_id in sector:
            completers = sorted(
                (t for t in trainees if t.course_id == course_id and t.id not in covered),
                key=lambda t: (t.completed_on or on, t.created_at, str(t.id)),
            )
            offers = [
                (organisation_id, interviews, allotted.get((course_id, organisation_id), 0))
                for organisation_id, interviews in employers[course_id]
            ]
            owed += list(rules.allot_completers(completers, offers).items())
    bespoke = [trainee for trainee in trainees if trainee.course_id not in sector]
    measures = _agreement_measures(
        {o for course_id, rows in employers.items() for o, _i in rows if course_id not in sector}
    )
    for trainee in bespoke:
        for organisation_id, _interviews in employers[trainee.course_id]:
            if (trainee.id, organisation_id) not in existing and rules.covers_completer(
                True,
                trainee.course.follow_on.value if trainee.course.follow_on else None,
                measures.get(organisation_id, set()),
            ):
                owed.append((trainee, organisation_id))
    opened = []
    for trainee, organisation_id in owed:
        course = trainee.course
        guarantee = Guarantee(
            id=uuid.uuid4(),
            source=Source.PET,
            organisation_id=organisation_id,
            district_id=course.district_id,
            customer_id=trainee.customer_id,
            course_referral_id=trainee.id,
            opened_on=on,
            due_on=rules.due_on(on, nations[course.id], working_days()),
        )
        db.session.add(guarantee)
        opened.append(guarantee)
    return opened


def _kept(*conditions) -> int:
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(Guarantee)
            .where(Guarantee.outcome.is_(None), *conditions)
            .values(outcome=Outcome.INTERVIEWED, answered_at=clock_now())
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount


def referral_interviewed(referral: Referral, by: User) -> int:
    """An interview arranged for the referral keeps its guarantee (if it has one)."""
    db.session.flush()
    return _kept(Guarantee.referral_id == referral.id)


def referral_interview_cancelled(referral: Referral) -> int:
    """A cancelled interview was not held, so its guarantee is owed again, due on its first
    date (overdue, and chased, if that has passed)."""
    db.session.flush()
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(Guarantee)
            .where(Guarantee.referral_id == referral.id, Guarantee.outcome == Outcome.INTERVIEWED)
            .values(outcome=None, answered_at=None, answered_by_id=None)
            .execution_options(synchronize_session=False)
        ),
    )
    return result.rowcount


def completers_interviewed(
    trainee_ids: Iterable[uuid.UUID], organisation_id: uuid.UUID, by: User
) -> int:
    """Interviews booked by an employer keep its guarantees to those completers."""
    db.session.flush()
    return _kept(
        Guarantee.course_referral_id.in_(list(trainee_ids)),
        Guarantee.organisation_id == organisation_id,
    )


class AlreadyAnswered(Exception):
    """Someone recorded an interview or a reason for this guarantee meanwhile."""


def not_offered(
    guarantee: Guarantee,
    reason: str,
    details: str,
    by: User,
    *,
    channel: str | None = None,
) -> None:
    """The employer's reason for not offering the interview; staff acting for the employer
    name the channel, and the change is marked as done for the employer."""
    if rules.reason_problem(reason, details) is not None:
        raise ValueError("not offering a guaranteed interview needs a reason from the list")
    won = compare_and_set(
        Guarantee,
        guarantee.id,
        None,
        {
            "outcome": Outcome.NOT_OFFERED,
            "reason": NotOfferedReason(reason),
            "reason_details": details.strip()[:500],
            "answered_at": clock_now(),
            "answered_by_id": by.id,
        },
        column="outcome",
    )
    db.session.expire(guarantee)
    if not won:
        raise AlreadyAnswered()
    if channel is not None:
        record_assisted(
            guarantee.organisation,
            by,
            channel,
            "guarantee",
            guarantee.id,
            "Recorded why a guaranteed interview was not offered",
        )


def chase_overdue(now: dt.datetime | None = None) -> int:
    """Email each overdue guarantee once, to the employer's owners and its single point of
    contact: one email per employer per run, naming the guarantees newly chased.

    Each guarantee is marked by a conditional UPDATE (`chased_at IS NULL`): when two runs
    overlap, only one of them marks (and so emails) any one guarantee. Commit to send.
    """
    now = now or clock_now()
    today = london(now).date()
    candidates = list(
        db.session.scalars(
            select(Guarantee)
            .where(
                Guarantee.outcome.is_(None),
                Guarantee.chased_at.is_(None),
                Guarantee.due_on < today,
            )
            .options(
                joinedload(Guarantee.organisation).joinedload(Organisation.contact),
                joinedload(Guarantee.customer),
            )
            .order_by(Guarantee.organisation_id, Guarantee.due_on)
        )
    )
    chased: dict[uuid.UUID, list[Guarantee]] = defaultdict(list)
    for guarantee in candidates:
        # Compare and set on chased_at: of two runs at once, one marks (and emails) it.
        statement = status_update(
            Guarantee, guarantee.id, None, {"chased_at": now}, column="chased_at"
        ).where(Guarantee.outcome.is_(None))
        result = cast(CursorResult[Any], db.session.execute(statement))
        if result.rowcount == 1:
            chased[guarantee.organisation_id].append(guarantee)
    for guarantees in chased.values():
        organisation = guarantees[0].organisation
        recipients = owner_emails(organisation.id)
        contact = organisation.contact
        if contact is not None and contact.active and contact.email not in recipients:
            recipients.append(contact.email)
        for recipient in recipients:
            queue_email(
                recipient,
                _l("Guaranteed interviews overdue: %(employer)s", employer=organisation.name),
                "guarantee_overdue",
                organisation=organisation,
                guarantees=guarantees,
                contact=contact,
            )
    return sum(len(guarantees) for guarantees in chased.values())
