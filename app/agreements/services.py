"""Recording, amending and ending LEP agreements; each change emails the employer.

Every operation here only adds to the session (the view commits), so the confirmation email
lands in the outbox in the same transaction as the change it confirms.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any, cast

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.accounts.models import Organisation
from app.accounts.services import owner_emails
from app.agreements.labels import PRIORITY_GROUP_PLAIN, priority_group_descriptions
from app.agreements.models import (
    MEASURES_WITH_PLACES,
    AgreedMeasure,
    Agreement,
    AgreementQuery,
    AgreementRequest,
    AgreementRequestStatus,
    AgreementStatus,
    AgreementVersion,
    Channel,
    Measure,
)
from app.agreements.rules import (
    STANDARD_PRIORITY_GROUPS,
    Term,
    VersionChanges,
    confirmation_chase_due,
    version_changes,
)
from app.auth.models import Role, User
from app.clock import today
from app.extensions import db
from app.formatting import london
from app.mail.services import queue_email
from app.models_base import utcnow

# The ended agreements an agreement page lists (newest first); older ones stay in the database.
ENDED_SHOWN = 10
REQUESTS_PAGE_SIZE = 25
MEASURE_ORDER = tuple(measure.value for measure in Measure)


@dataclass
class MeasureTerms:
    measure: Measure
    places: int | None = None
    details: str = ""


@dataclass
class AgreementTerms:
    """What staff captured from the conversation: the content of one agreement version."""

    agreed_on: dt.date
    channel: Channel
    measures: list[MeasureTerms]
    priority_groups: list[int] = field(default_factory=lambda: list(STANDARD_PRIORITY_GROUPS))
    change_summary: str = ""


class AgreementChanged(Exception):
    """Someone else changed the agreement since the form was filled in from it."""

    def __init__(self, current: AgreementVersion) -> None:
        super().__init__(f"agreement is now at version {current.number}")
        self.current = current


class RequestNotAllowed(Exception):
    """The employer already has an agreement, or has already asked for one."""


def active_agreement(organisation_id: uuid.UUID) -> Agreement | None:
    return db.session.scalar(
        select(Agreement)
        .where(
            Agreement.organisation_id == organisation_id,
            Agreement.status == AgreementStatus.ACTIVE,
        )
        .options(
            selectinload(Agreement.versions).selectinload(AgreementVersion.measures),
            selectinload(Agreement.versions).selectinload(AgreementVersion.taken_by),
            selectinload(Agreement.versions).selectinload(AgreementVersion.confirmed_by),
            selectinload(Agreement.versions)
            .selectinload(AgreementVersion.queries)
            .selectinload(AgreementQuery.raised_by),
        )
        .order_by(Agreement.created_at.desc())
        .limit(1)
    )


def open_request(organisation_id: uuid.UUID) -> AgreementRequest | None:
    """The employer's oldest request still waiting for its contact, if any."""
    return db.session.scalar(
        select(AgreementRequest)
        .where(
            AgreementRequest.organisation_id == organisation_id,
            AgreementRequest.status == AgreementRequestStatus.OPEN,
        )
        .order_by(AgreementRequest.created_at)
        .limit(1)
    )


# --- reading: the agreement page -------------------------------------------------------------


def terms_of(version: AgreementVersion) -> list[Term]:
    return [Term(item.measure.value, item.places, item.details) for item in version.measures]


def changes_between(
    before: AgreementVersion | None, after: AgreementVersion
) -> VersionChanges | None:
    """What `after` changed from `before`; None when `after` is the first version."""
    if before is None:
        return None
    return version_changes(
        terms_of(before),
        before.priority_groups,
        terms_of(after),
        after.priority_groups,
        MEASURE_ORDER,
    )


def proposed_changes(agreement: Agreement, terms: AgreementTerms) -> VersionChanges:
    """What saving `terms` would change in the agreement's current version."""
    current = agreement.current
    proposed = [
        Term(
            item.measure.value,
            item.places if item.measure in MEASURES_WITH_PLACES else None,
            item.details,
        )
        for item in terms.measures
    ]
    return version_changes(
        terms_of(current),
        current.priority_groups,
        proposed,
        terms.priority_groups,
        MEASURE_ORDER,
    )


@dataclass(frozen=True)
class VersionEntry:
    version: AgreementVersion
    changes: VersionChanges | None  # None for the version that started the agreement


def version_history(agreement: Agreement) -> list[VersionEntry]:
    """Every version of an agreement, newest first, each with what it changed."""
    entries = []
    previous = None
    for version in agreement.versions:
        entries.append(VersionEntry(version, changes_between(previous, version)))
        previous = version
    return entries[::-1]


@dataclass
class AgreementPage:
    """Everything an agreement page shows about one employer, loaded in a fixed number of
    queries however many versions there are."""

    organisation: Organisation
    active: Agreement | None
    ended: list[Agreement]
    more_ended: bool
    open_request: AgreementRequest | None

    def history(self, agreement: Agreement) -> list[VersionEntry]:
        return version_history(agreement)

    def groups(self, version: AgreementVersion) -> list[object]:
        return priority_group_descriptions(version.priority_groups)

    @property
    def group_labels(self) -> dict[int, object]:
        return PRIORITY_GROUP_PLAIN


def agreement_page(organisation: Organisation) -> AgreementPage:
    agreements = list(
        db.session.scalars(
            select(Agreement)
            .where(Agreement.organisation_id == organisation.id)
            .options(
                selectinload(Agreement.versions).selectinload(AgreementVersion.measures),
                selectinload(Agreement.versions).selectinload(AgreementVersion.taken_by),
                selectinload(Agreement.versions).selectinload(AgreementVersion.confirmed_by),
                selectinload(Agreement.versions)
                .selectinload(AgreementVersion.queries)
                .selectinload(AgreementQuery.raised_by),
                selectinload(Agreement.ended_by),
            )
            # An active agreement is always the newest: recording one ends the one before.
            .order_by(Agreement.created_at.desc(), Agreement.id)
            .limit(ENDED_SHOWN + 2)
        )
    )
    active = next((a for a in agreements if a.status is AgreementStatus.ACTIVE), None)
    ended = [a for a in agreements if a.status is AgreementStatus.ENDED]
    return AgreementPage(
        organisation=organisation,
        active=active,
        ended=ended[:ENDED_SHOWN],
        more_ended=len(ended) > ENDED_SHOWN,
        open_request=None if active else open_request(organisation.id),
    )


# --- changing: record, amend, end ------------------------------------------------------------


def _add_version(agreement: Agreement, terms: AgreementTerms, taken_by: User) -> AgreementVersion:
    number = len(agreement.versions) + 1
    version = AgreementVersion(
        agreement=agreement,
        number=number,
        taken_by_id=taken_by.id,
        taken_by=taken_by,
        agreed_on=terms.agreed_on,
        channel=terms.channel,
        priority_groups=sorted(set(terms.priority_groups)),
        change_summary=terms.change_summary,
    )
    db.session.add(version)
    for item in terms.measures:
        db.session.add(
            AgreedMeasure(
                version=version,
                measure=item.measure,
                places=item.places if item.measure in MEASURES_WITH_PLACES else None,
                details=item.details,
            )
        )
    return version


def record_agreement(
    organisation: Organisation, terms: AgreementTerms, taken_by: User
) -> AgreementVersion:
    """A new verbal agreement. Any agreement still active is superseded (ended) first, and
    the employer's open requests for one are answered."""
    if not terms.measures:
        raise ValueError("an agreement needs at least one measure")
    current = active_agreement(organisation.id)
    if current is not None:
        end_agreement(
            current, ended_by=taken_by, reason="Replaced by a new agreement", notify=False
        )
    agreement = Agreement(organisation_id=organisation.id, started_on=terms.agreed_on)
    db.session.add(agreement)
    version = _add_version(agreement, terms, taken_by)
    _close_requests(organisation, taken_by)
    db.session.flush()
    _confirm_to_employer(organisation, version, _l("Your Local Employment Partnership agreement"))
    return version


def amend_agreement(
    agreement: Agreement,
    terms: AgreementTerms,
    taken_by: User,
    *,
    based_on: int | None = None,
) -> AgreementVersion:
    """A new version of an active agreement. `based_on` is the version number the change
    started from: if someone has changed the agreement since, `AgreementChanged` is raised
    rather than quietly undoing their change."""
    if agreement.status is not AgreementStatus.ACTIVE:
        raise ValueError("only an active agreement can be changed")
    if not terms.measures:
        raise ValueError("an agreement needs at least one measure")
    if based_on is not None and agreement.current.number != based_on:
        raise AgreementChanged(agreement.current)
    version = _add_version(agreement, terms, taken_by)
    db.session.flush()
    _confirm_to_employer(
        agreement.organisation,
        version,
        _l("Your Local Employment Partnership agreement has changed"),
    )
    return version


def confirm_agreement(agreement: Agreement, confirmed_by: User) -> None:
    """The employer confirmed on a call that the agreement stands: nothing changes."""
    if agreement.status is not AgreementStatus.ACTIVE:
        raise ValueError("only an active agreement can be confirmed")


# --- the employer's answer: confirmed, or what is wrong --------------------------------------


class AlreadyAnswered(Exception):
    """The version was confirmed already (by a colleague, say) or is no longer current."""


def _current_of_active() -> list:
    """Conditions on AgreementVersion: the newest version of an agreement still active."""
    later = aliased(AgreementVersion)
    return [
        AgreementVersion.agreement_id.in_(
            select(Agreement.id).where(Agreement.status == AgreementStatus.ACTIVE)
        ),
        ~select(later.id)
        .where(
            later.agreement_id == AgreementVersion.agreement_id,
            later.number > AgreementVersion.number,
        )
        .exists(),
    ]


def employer_confirms(
    version: AgreementVersion, confirmed_by: User, now: dt.datetime | None = None
) -> None:
    """The employer confirms in the portal that `version` is what it agreed.

    A conditional UPDATE records it only while the version is the active agreement's current
    one and still unconfirmed, so two colleagues confirming at once, or a confirmation racing
    a change staff are saving, leave one answer: the loser gets AlreadyAnswered. The LMRA who
    captured the agreement and the employer's single point of contact are emailed.
    """
    now = now or utcnow()
    result = cast(
        CursorResult[Any],
        db.session.execute(
            update(AgreementVersion)
            .where(
                AgreementVersion.id == version.id,
                *_current_of_active(),
                AgreementVersion.confirmed_at.is_(None),
            )
            .values(confirmed_at=now, confirmed_by_id=confirmed_by.id)
            .execution_options(synchronize_session=False)
        ),
    )
    if result.rowcount != 1:
        raise AlreadyAnswered(str(version.id))
    db.session.refresh(version)
    _tell_staff(
        version,
        _("%(employer)s confirmed its LEP agreement", employer=version.agreement.organisation.name),
        "agreement_confirmed",
        by=confirmed_by,
    )


def employer_queries(
    version: AgreementVersion, raised_by: User, message: str, now: dt.datetime | None = None
) -> AgreementQuery:
    """The employer says what is wrong with `version`; staff put it right with a new version."""
    current = db.session.scalar(
        select(AgreementVersion.id).where(AgreementVersion.id == version.id, *_current_of_active())
    )
    if current is None:
        raise AlreadyAnswered(str(version.id))
    query = AgreementQuery(
        version_id=version.id, raised_by_id=raised_by.id, message=message, raised_at=now or utcnow()
    )
    db.session.add(query)
    db.session.flush()
    _tell_staff(
        version,
        _(
            "%(employer)s says something is wrong with its LEP agreement",
            employer=version.agreement.organisation.name,
        ),
        "agreement_queried",
        by=raised_by,
        message=message,
    )
    return query


def _tell_staff(version: AgreementVersion, subject: str, template: str, **context) -> None:
    """Email the LMRA who captured the version and the employer's single point of contact
    (once, when they are the same person)."""
    organisation = version.agreement.organisation
    recipients: dict[str, User] = {}
    for person in (version.taken_by, organisation.contact):
        if person is not None and person.active:
            recipients.setdefault(person.email, person)
    for email, person in sorted(recipients.items()):
        queue_email(
            email,
            subject,
            template,
            user=person,
            organisation=organisation,
            version=version,
            **context,
        )


def unanswered_versions_to_chase(now: dt.datetime) -> list[AgreementVersion]:
    """Current versions of active agreements that nobody at the employer has confirmed or
    queried, never chased, and sent at least five calendar days ago (five working days are
    never fewer): the candidates, which `chase_unconfirmed` narrows by the working-day clock."""
    return list(
        db.session.scalars(
            select(AgreementVersion)
            .where(
                AgreementVersion.confirmed_at.is_(None),
                AgreementVersion.chased_at.is_(None),
                AgreementVersion.created_at <= now - dt.timedelta(days=5),
                ~AgreementVersion.queries.any(),
                *_current_of_active(),
            )
            .options(
                joinedload(AgreementVersion.agreement)
                .joinedload(Agreement.organisation)
                .joinedload(Organisation.district),
                joinedload(AgreementVersion.agreement)
                .joinedload(Agreement.organisation)
                .joinedload(Organisation.contact),
                joinedload(AgreementVersion.taken_by),
                selectinload(AgreementVersion.measures),
            )
            .order_by(AgreementVersion.created_at, AgreementVersion.id)
        )
    )


def chase_unconfirmed(now: dt.datetime | None = None) -> int:
    """Remind each employer, once, of an agreement version left unconfirmed for five working
    days (its nation's: the call-back's clock). Returns how many were chased.

    Each version is marked by a conditional UPDATE (`chased_at IS NULL`): if two runs overlap,
    the second's UPDATE finds the row already marked (on PostgreSQL it waits for the first
    to commit, then re-checks), so no employer is reminded twice. Commit to send.
    """
    now = now or utcnow()
    today_here = london(now).date()
    due = [
        version
        for version in unanswered_versions_to_chase(now)
        if confirmation_chase_due(
            london(version.created_at).date(),
            version.agreement.organisation.district.nation_code,
        )
        <= today_here
    ]
    chased = 0
    for version in due:
        result = cast(
            CursorResult[Any],
            db.session.execute(
                update(AgreementVersion)
                .where(
                    AgreementVersion.id == version.id,
                    AgreementVersion.chased_at.is_(None),
                    AgreementVersion.confirmed_at.is_(None),
                )
                .values(chased_at=now)
                .execution_options(synchronize_session=False)
            ),
        )
        if result.rowcount != 1:
            continue
        chased += 1
        organisation = version.agreement.organisation
        for recipient in owner_emails(organisation.id):
            queue_email(
                recipient,
                _l("Please confirm your LEP agreement"),
                "agreement_chase",
                organisation=organisation,
                version=version,
                contact=organisation.contact or version.taken_by,
            )
    return chased


def end_agreement(
    agreement: Agreement, *, ended_by: User, reason: str, notify: bool = True
) -> None:
    if agreement.status is not AgreementStatus.ACTIVE:
        raise ValueError("only an active agreement can be ended")
    agreement.status = AgreementStatus.ENDED
    agreement.ended_on = today()
    agreement.ended_by_id = ended_by.id
    agreement.ended_by = ended_by
    agreement.end_reason = reason
    if notify:
        organisation = agreement.organisation
        for recipient in owner_emails(agreement.organisation_id):
            queue_email(
                recipient,
                _l("Your Local Employment Partnership agreement has ended"),
                "agreement_ended",
                organisation=organisation,
                agreement=agreement,
                reason=reason,
                ended_by=ended_by,
                contact=organisation.contact,
            )


# --- requests from employers -----------------------------------------------------------------


def request_agreement(
    organisation: Organisation, requested_by: User, message: str, measures: list[str]
) -> AgreementRequest:
    """An employer asks online for an agreement; it waits in its contact's queue, and the
    contact is emailed. Refused while the employer has an agreement or an open request."""
    if active_agreement(organisation.id) is not None or open_request(organisation.id):
        raise RequestNotAllowed
    wanted = set(measures)
    request = AgreementRequest(
        organisation_id=organisation.id,
        requested_by_id=requested_by.id,
        contact_id=organisation.contact_id,
        message=message,
        measures_of_interest=[m for m in MEASURE_ORDER if m in wanted],
    )
    db.session.add(request)
    db.session.flush()
    if organisation.contact is not None:
        queue_email(
            organisation.contact.email,
            _l("%(employer)s has asked for a LEP agreement", employer=organisation.name),
            "agreement_requested",
            organisation=organisation,
            request=request,
            requested_by=requested_by,
            measures=[Measure(m) for m in request.measures_of_interest],
        )
    return request


def requests_waiting(user: User, page: int = 1) -> tuple[list[AgreementRequest], bool]:
    """Open requests for a member of staff, oldest first, a page at a time: an LMRA's or a
    DAM's own (they are the contact), or a coordinator's whole district."""
    statement = (
        select(AgreementRequest)
        .where(AgreementRequest.status == AgreementRequestStatus.OPEN)
        .options(
            joinedload(AgreementRequest.organisation),
            joinedload(AgreementRequest.requested_by),
            joinedload(AgreementRequest.contact),
        )
    )
    if user.role is Role.COORDINATOR:
        statement = statement.join(Organisation).where(Organisation.district_id == user.district_id)
    else:
        statement = statement.where(AgreementRequest.contact_id == user.id)
    found = list(
        db.session.scalars(
            statement.order_by(AgreementRequest.created_at, AgreementRequest.id)
            .limit(REQUESTS_PAGE_SIZE + 1)
            .offset((page - 1) * REQUESTS_PAGE_SIZE)
        )
    )
    return found[:REQUESTS_PAGE_SIZE], len(found) > REQUESTS_PAGE_SIZE


def requests_waiting_count(user: User) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(AgreementRequest)
        .where(
            AgreementRequest.contact_id == user.id,
            AgreementRequest.status == AgreementRequestStatus.OPEN,
        )
    )


def _close_requests(organisation: Organisation, handled_by: User) -> None:
    for request in db.session.scalars(
        select(AgreementRequest).where(
            AgreementRequest.organisation_id == organisation.id,
            AgreementRequest.status == AgreementRequestStatus.OPEN,
        )
    ):
        request.status = AgreementRequestStatus.HANDLED
        request.handled_by_id = handled_by.id
        request.handled_at = utcnow()


# --- email -----------------------------------------------------------------------------------


def _confirm_to_employer(
    organisation: Organisation, version: AgreementVersion, subject: LazyString
) -> None:
    """The written confirmation of a verbal agreement (DOMAIN.md: confirmed in an email)."""
    versions = version.agreement.versions
    previous = versions[-2] if len(versions) > 1 and versions[-1] is version else None
    for recipient in owner_emails(organisation.id):
        queue_email(
            recipient,
            subject,
            "agreement_confirmation",
            organisation=organisation,
            version=version,
            changes=changes_between(previous, version),
            groups=priority_group_descriptions(version.priority_groups),
            group_labels=PRIORITY_GROUP_PLAIN,
            contact=organisation.contact or version.taken_by,
        )
