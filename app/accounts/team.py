"""The employer's team: owners invite colleagues as owners or recruiters, change their role
and remove them, never leaving the organisation without an owner. Every change goes in the
employer's audit trail.

Operations add to the session; the view commits, so a change, its audit entry and its email
are saved together or not at all.
"""

from __future__ import annotations

import uuid

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.accounts.models import (
    EmployerAuditEntry,
    EmployerMembership,
    MembershipRole,
    Organisation,
)
from app.auth.models import Role, User, new_security_stamp
from app.auth.rules import normalise_email
from app.auth.services import invite_user
from app.extensions import db

# Audit actions.
INVITED = "team_invited"
ROLE_CHANGED = "team_role_changed"
REMOVED = "team_removed"

#: How many entries the audit pages list, newest first.
AUDIT_SHOWN = 200


class TeamChangeRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def members(organisation_id: uuid.UUID) -> list[EmployerMembership]:
    return list(
        db.session.scalars(
            select(EmployerMembership)
            .join(User, User.id == EmployerMembership.user_id)
            .where(EmployerMembership.organisation_id == organisation_id, User.active.is_(True))
            .options(joinedload(EmployerMembership.user))
            .order_by(User.name, User.email)
        )
    )


def membership_or_none(organisation_id: uuid.UUID, membership_id: uuid.UUID):
    """A member of this organisation: another organisation's membership id is None (a 404)."""
    return db.session.scalar(
        select(EmployerMembership)
        .join(User, User.id == EmployerMembership.user_id)
        .where(
            EmployerMembership.id == membership_id,
            EmployerMembership.organisation_id == organisation_id,
            User.active.is_(True),
        )
        .options(joinedload(EmployerMembership.user))
    )


def _audit(organisation_id, actor: User, action: str, person: User, detail: str = "") -> None:
    db.session.add(
        EmployerAuditEntry(
            organisation_id=organisation_id,
            actor_id=actor.id,
            action=action,
            subject=f"{person.name} ({person.email})",
            detail=detail,
        )
    )


def invite(
    organisation: Organisation, *, name: str, email: str, role: MembershipRole, by: User
) -> EmployerMembership:
    """A colleague joins as `role` once they follow the emailed link and set a password: the
    staff invitation's link (single use, expiring after INVITATION_TOKEN_MAX_AGE)."""
    user = db.session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        user = User(email=normalise_email(email), name=name.strip(), role=Role.EMPLOYER)
        db.session.add(user)
    elif user.role is Role.EMPLOYER and not user.active and user.membership is None:
        # Someone removed from a team earlier: the account opens again, password unset.
        user.active, user.name, user.password_hash = True, name.strip(), None
        user.security_stamp = new_security_stamp()
    else:
        raise TeamChangeRefused(_("%(email)s already has an account on the portal", email=email))
    db.session.flush()
    membership = EmployerMembership(user=user, organisation_id=organisation.id, role=role)
    db.session.add(membership)
    _audit(organisation.id, by, INVITED, user, role.value)
    invite_user(
        user,
        _l("%(name)s has invited you to the LEP Employer Portal", name=by.name),
        "employer_invitation",
        organisation=organisation,
        invited_by=by,
        owner=role is MembershipRole.OWNER,
    )
    return membership


def _lock_and_count_owners(organisation_id: uuid.UUID) -> int:
    """Lock the organisation's row, then count its active owners.

    Without the lock, two owners removing (or demoting) each other at the same moment would
    each see the other still there and both succeed, leaving nobody to manage the team. On
    PostgreSQL the second waits for the first to commit, then counts again; SQLite has one
    writer at a time.
    """
    db.session.execute(
        select(Organisation.id).where(Organisation.id == organisation_id).with_for_update()
    )
    return (
        db.session.scalar(
            select(func.count())
            .select_from(EmployerMembership)
            .join(User, User.id == EmployerMembership.user_id)
            .where(
                EmployerMembership.organisation_id == organisation_id,
                EmployerMembership.role == MembershipRole.OWNER,
                User.active.is_(True),
            )
        )
        or 0
    )


def _keep_an_owner(membership: EmployerMembership) -> None:
    db.session.refresh(membership)
    if (
        membership.role is MembershipRole.OWNER
        and _lock_and_count_owners(membership.organisation_id) <= 1
    ):
        raise TeamChangeRefused(
            _(
                "%(name)s is the only owner. Make someone else an owner first.",
                name=membership.user.name,
            )
        )


def change_role(membership: EmployerMembership, role: MembershipRole, by: User) -> None:
    if membership.role is role:
        return
    if role is not MembershipRole.OWNER:
        _keep_an_owner(membership)
    membership.role = role
    _audit(membership.organisation_id, by, ROLE_CHANGED, membership.user, role.value)


def remove(membership: EmployerMembership, by: User) -> None:
    """The person can no longer sign in for the organisation: their account is closed (an
    employer user belongs to one organisation only)."""
    _keep_an_owner(membership)
    user = membership.user
    _audit(membership.organisation_id, by, REMOVED, user, membership.role.value)
    db.session.delete(membership)
    user.active = False
    # Signs them out everywhere and kills any invitation link not yet used.
    user.security_stamp = new_security_stamp()


def audit_trail(organisation_id: uuid.UUID) -> list[EmployerAuditEntry]:
    return list(
        db.session.scalars(
            select(EmployerAuditEntry)
            .where(EmployerAuditEntry.organisation_id == organisation_id)
            .options(joinedload(EmployerAuditEntry.actor))
            .order_by(EmployerAuditEntry.at.desc(), EmployerAuditEntry.id)
            .limit(AUDIT_SHOWN)
        )
    )
