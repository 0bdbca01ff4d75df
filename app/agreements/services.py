"""Recording, amending and ending LEP agreements; each change emails the employer."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import EmployerMembership, MembershipRole, Organisation
from app.agreements.models import (
    AgreedMeasure,
    Agreement,
    AgreementRequest,
    AgreementRequestStatus,
    AgreementStatus,
    AgreementVersion,
    Channel,
    Measure,
)
from app.auth.models import User
from app.extensions import db
from app.mail.services import queue_email
from app.models_base import utcnow


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
    priority_groups: list[int] = field(default_factory=lambda: [1, 2, 3, 4])
    change_summary: str = ""


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
        )
        .order_by(Agreement.created_at.desc())
        .limit(1)
    )


def _add_version(agreement: Agreement, terms: AgreementTerms, taken_by: User) -> AgreementVersion:
    number = len(agreement.versions) + 1
    version = AgreementVersion(
        agreement=agreement,
        number=number,
        taken_by_id=taken_by.id,
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
                places=item.places,
                details=item.details,
            )
        )
    return version


def record_agreement(
    organisation: Organisation, terms: AgreementTerms, taken_by: User
) -> AgreementVersion:
    """A new verbal agreement. Any agreement still active is superseded (ended) first."""
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
    _confirm_to_employer(organisation, version, _("Your Local Employment Partnership agreement"))
    return version


def amend_agreement(
    agreement: Agreement, terms: AgreementTerms, taken_by: User
) -> AgreementVersion:
    if agreement.status is not AgreementStatus.ACTIVE:
        raise ValueError("only an active agreement can be changed")
    if not terms.measures:
        raise ValueError("an agreement needs at least one measure")
    version = _add_version(agreement, terms, taken_by)
    db.session.flush()
    _confirm_to_employer(
        agreement.organisation,
        version,
        _("Your Local Employment Partnership agreement has changed"),
    )
    return version


def confirm_agreement(agreement: Agreement, confirmed_by: User) -> None:
    """The employer confirmed on a call that the agreement stands: nothing changes."""
    if agreement.status is not AgreementStatus.ACTIVE:
        raise ValueError("only an active agreement can be confirmed")


def end_agreement(
    agreement: Agreement, *, ended_by: User, reason: str, notify: bool = True
) -> None:
    agreement.status = AgreementStatus.ENDED
    agreement.ended_on = dt.date.today()
    agreement.ended_by_id = ended_by.id
    agreement.end_reason = reason
    if notify:
        for recipient in _owner_emails(agreement.organisation_id):
            queue_email(
                recipient,
                _("Your Local Employment Partnership agreement has ended"),
                "agreement_ended",
                organisation=agreement.organisation,
                agreement=agreement,
                reason=reason,
            )


def request_agreement(
    organisation: Organisation, requested_by: User, message: str, measures: list[str]
) -> AgreementRequest:
    request = AgreementRequest(
        organisation_id=organisation.id,
        requested_by_id=requested_by.id,
        contact_id=organisation.contact_id,
        message=message,
        measures_of_interest=measures,
    )
    db.session.add(request)
    if organisation.contact is not None:
        queue_email(
            organisation.contact.email,
            _("%(employer)s has asked for a LEP agreement", employer=organisation.name),
            "agreement_requested",
            organisation=organisation,
            request=request,
        )
    return request


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


def _owner_emails(organisation_id: uuid.UUID) -> list[str]:
    return list(
        db.session.scalars(
            select(User.email)
            .join(EmployerMembership, EmployerMembership.user_id == User.id)
            .where(
                EmployerMembership.organisation_id == organisation_id,
                EmployerMembership.role == MembershipRole.OWNER,
                User.active.is_(True),
            )
        )
    )


def _confirm_to_employer(
    organisation: Organisation, version: AgreementVersion, subject: str
) -> None:
    """The written confirmation of a verbal agreement (DOMAIN.md: confirmed in an email)."""
    for recipient in _owner_emails(organisation.id):
        queue_email(
            recipient,
            subject,
            "agreement_confirmation",
            organisation=organisation,
            version=version,
        )
