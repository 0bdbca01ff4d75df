"""Registration, sign-in and password operations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.accounts.models import (
    EmployerMembership,
    MembershipRole,
    Organisation,
    Ownership,
    Site,
    SizeBand,
)
from app.accounts.rules import normalise_postcode
from app.accounts.services import assign_first_contact, district_for_postcode
from app.auth.models import Role, User, new_security_stamp
from app.auth.rules import normalise_email
from app.auth.tokens import make_token
from app.extensions import db
from app.mail.services import queue_email
from app.models_base import utcnow


def load_user(session_id: str) -> User | None:
    """Flask-Login's loader, on every request: the session holds "<id>:<security stamp>:
    <session generation>", and it names the user only while both still match, so a
    password change (new stamp) or a sign-out (next generation) ends every copy of it."""
    try:
        user_id, stamp, generation = session_id.split(":")
        user = db.session.get(User, uuid.UUID(user_id))
    except ValueError:
        return None
    if (
        user is None
        or user.security_stamp != stamp
        or str(user.session_generation) != generation
        or not user.active
    ):
        return None
    return user


def end_every_session(user: User) -> None:
    """Sign this person out everywhere: every session names an older generation now.

    A conditional UPDATE so that two sign-outs at once both count."""
    db.session.execute(
        update(User)
        .where(User.id == user.id)
        .values(session_generation=User.session_generation + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    user = user_by_email(email)
    if user is None:
        # Spend the same time as a real check, so timing does not reveal who has an account.
        User(password_hash=_dummy_hash()).check_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


_DUMMY: list[str] = []


def _dummy_hash() -> str:
    if not _DUMMY:
        from werkzeug.security import generate_password_hash

        _DUMMY.append(generate_password_hash(uuid.uuid4().hex))
    return _DUMMY[0]


def absolute_url(endpoint: str, **values: object) -> str:
    """A link for an email; works in a request and in a command (no request to build from)."""
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    return base + current_app.url_map.bind("").build(endpoint, values)


@dataclass
class Registration:
    organisation_name: str
    size_band: str
    sector: str
    ownership: str
    site_name: str
    address_line_1: str
    town: str
    postcode: str
    contact_name: str
    phone: str
    email: str
    password: str
    language: str = "en"


class RegistrationRefused(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def register_employer(registration: Registration) -> User:
    """Create the organisation, its first site and its owner, and email a verification link.

    If the email address already has an account we tell its owner by email rather than
    on screen, so the form never reveals who is registered.
    """
    postcode = normalise_postcode(registration.postcode)
    district = district_for_postcode(postcode or "")
    if postcode is None or district is None:
        raise RegistrationRefused(
            "postcode", _("Enter a full postcode in England, Scotland or Wales, like LS1 4AP")
        )
    email = normalise_email(registration.email)
    existing = user_by_email(email)
    # Hash the password whether or not the address has an account: hashing is most of the
    # work of a registration, so both answers take the same time (no account enumeration).
    password_hash = User.hash_password(registration.password)
    if existing is not None:
        queue_email(
            existing.email,
            _l("Someone tried to register with your email address"),
            "already_registered",
            user=existing,
            sign_in_url=absolute_url("auth.sign_in"),
            reset_url=absolute_url("auth.forgot_password"),
        )
        db.session.commit()
        return existing

    organisation = Organisation(
        name=registration.organisation_name.strip(),
        size_band=SizeBand(registration.size_band),
        sector=registration.sector,
        ownership=Ownership(registration.ownership),
        district_id=district.id,
        preferred_language=registration.language,
    )
    site = Site(
        organisation=organisation,
        name=registration.site_name.strip() or registration.organisation_name.strip(),
        address_line_1=registration.address_line_1.strip(),
        town=registration.town.strip(),
        postcode=postcode,
    )
    user = User(
        email=email,
        name=registration.contact_name.strip(),
        phone=registration.phone.strip() or None,
        role=Role.EMPLOYER,
        preferred_language=registration.language,
    )
    user.password_hash = password_hash
    db.session.add_all([organisation, site, user])
    db.session.add(
        EmployerMembership(user=user, organisation=organisation, role=MembershipRole.OWNER)
    )
    db.session.flush()
    assign_first_contact(organisation)
    send_verification_email(user)
    db.session.commit()
    return user


def send_verification_email(user: User) -> None:
    queue_email(
        user.email,
        _l("Confirm your email address"),
        "verify_email",
        user=user,
        link=absolute_url("auth.verify_email", token=make_token(user, "verify-email")),
    )


def verify_email(user: User) -> None:
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    user.security_stamp = new_security_stamp()
    db.session.commit()


def send_password_reset(email: str) -> None:
    """Email a reset link if the address has an account; say nothing either way."""
    user = user_by_email(email)
    if user is None or not user.active:
        return
    queue_email(
        user.email,
        _l("Reset your password"),
        "reset_password",
        user=user,
        link=absolute_url("auth.reset_password", token=make_token(user, "reset-password")),
    )
    db.session.commit()


def set_new_password(user: User, password: str) -> None:
    user.set_password(password)
    # Following an emailed link proves the address.
    if user.email_verified_at is None:
        user.email_verified_at = utcnow()
    db.session.commit()


def invite_staff(
    *,
    email: str,
    name: str,
    role: Role,
    office_id: uuid.UUID | None,
    district_id: uuid.UUID | None,
    phone: str | None = None,
) -> User:
    if not role.is_staff:
        raise ValueError("staff invitations are for staff roles")
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        role=role,
        phone=phone,
        office_id=office_id,
        district_id=district_id,
    )
    db.session.add(user)
    db.session.flush()
    invite_user(user, _l("You have been invited to the LEP Employer Portal"), "staff_invitation")
    return user


def invite_user(user: User, subject, template: str, **context) -> None:
    """Email `user` (already flushed, so it has an id) the link that lets them set a password
    and sign in: single use, expiring after INVITATION_TOKEN_MAX_AGE. Staff invitations and
    an employer's team both invite this way; `template` and `context` say who invited whom.
    """
    queue_email(
        user.email,
        subject,
        template,
        user=user,
        link=absolute_url("auth.accept_invitation", token=make_token(user, "invitation")),
        **context,
    )
