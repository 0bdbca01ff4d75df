"""Operations on customers, shared with referrals, PET and outcomes.

Every operation adds to the caller's session and leaves the commit to the caller, so that a
change and its audit entry are saved together or not at all.

Other areas must show a customer to an employer or a training provider only through
`shareable(...)` (or the `CONSENTED` criterion): without current consent, nobody outside
Jobcentre Plus ever sees the person (Data Protection Act). Each time an employer or provider
user opens a customer's details, call `record_access(customer, user, "viewed")`.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, func, insert, select

from app.auth.models import User
from app.customers import labels
from app.customers.models import AuditEntry, Consent, Customer, Readiness
from app.customers.rules import PRIORITY_GROUP_LABELS, lep_eligible, pet_eligible
from app.extensions import db
from app.models_base import utcnow

S = TypeVar("S", bound=Select)

# The customer has consent on record now: the only customers employers and providers see.
CONSENTED = Customer.consent_given.is_(True)

# The personal details an adviser records and changes (readiness, consent and the adviser
# have their own operations).
DETAIL_FIELDS = (
    "reference",
    "first_name",
    "last_name",
    "email",
    "phone",
    "date_of_birth",
    "postcode",
    "disadvantaged_ward",
    "benefit",
    "claim_start",
    "lone_parent",
    "disabled",
    "nddp_eligible",
    "employed",
    "under_redundancy_notice",
    "other_disadvantage",
    "goal_sectors",
    "goal_occupations",
    "min_hours",
    "max_hours",
    "travel_miles",
    "experience",
    "skills",
    "availability",
)


def shareable(statement: S) -> S:
    """Limit a query of customers to those who have consented to share their details."""
    return statement.where(CONSENTED)


def normalise_reference(reference: str) -> str:
    """References are compared without spaces and in capitals: `ab 12 c` is `AB12C`."""
    return "".join((reference or "").split()).upper()


def reference_taken(reference: str, *, other_than: uuid.UUID | None = None) -> bool:
    statement = select(Customer.id).where(Customer.reference == normalise_reference(reference))
    if other_than is not None:
        statement = statement.where(Customer.id != other_than)
    return db.session.scalar(statement.limit(1)) is not None


def record_access(
    customer: Customer,
    user: User,
    action: str,
    detail: str = "",
    organisation_id: uuid.UUID | None = None,
) -> AuditEntry:
    """Add an audit entry: `user` did `action` to `customer`'s personal data, now.

    `detail` must never hold the personal data itself (name the fields, not their values).
    For an employer user the organisation defaults to theirs.
    """
    if organisation_id is None and not user.is_staff and user.organisation is not None:
        organisation_id = user.organisation.id
    entry = AuditEntry(
        id=uuid.uuid4(),
        # The relationship, not the id: a new customer must be inserted before its entry.
        customer=customer,
        user_id=user.id,
        organisation_id=organisation_id,
        action=action[:60],
        detail=detail[:500],
        at=utcnow(),
    )
    db.session.add(entry)
    return entry


def record_views(
    customers: Iterable[Customer],
    user: User,
    action: str,
    detail: str = "",
    organisation_id: uuid.UUID | None = None,
) -> None:
    """Audit one look at a page of customers: one entry for each person it showed, however
    many rows they filled, all with the same time. One executemany of plain rows, not an
    ORM object per person: a page of fifty people costs one statement and little Python."""
    if organisation_id is None and not user.is_staff and user.organisation is not None:
        organisation_id = user.organisation.id
    at = utcnow()
    rows = []
    seen: set[uuid.UUID] = set()
    for customer in customers:
        if customer.id not in seen:
            seen.add(customer.id)
            rows.append(
                {
                    "id": uuid.uuid4(),
                    "customer_id": customer.id,
                    "user_id": user.id,
                    "organisation_id": organisation_id,
                    "action": action[:60],
                    "detail": detail[:500],
                    "at": at,
                }
            )
    if rows:
        db.session.execute(insert(AuditEntry), rows)


def _check_fields(details: Mapping[str, Any]) -> None:
    unknown = set(details) - set(DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"not customer details: {sorted(unknown)}")


def create_customer(
    details: Mapping[str, Any],
    *,
    adviser: User,
    readiness: Readiness = Readiness.AMBER,
    district_id: uuid.UUID | None = None,
) -> Customer:
    """A new customer on `adviser`'s caseload, in their office and district, without consent
    (consent is recorded on its own, with its history).

    A partnered training provider's user enters its own customers the same way, in a district
    its LEP Partnership Agreement covers (`district_id`): on nobody's caseload, in no office."""
    _check_fields(details)
    if not adviser.is_staff:
        if district_id is None:
            raise ValueError("a provider's customer needs the district it is entered in")
        return _new_customer(details, adviser, readiness, district_id, caseload=False)
    if adviser.district_id is None:
        raise ValueError("an adviser without a district cannot record customers")
    return _new_customer(details, adviser, readiness, adviser.district_id, caseload=True)


def _new_customer(
    details: Mapping[str, Any],
    by: User,
    readiness: Readiness,
    district_id: uuid.UUID,
    *,
    caseload: bool,
) -> Customer:
    adviser = by
    values = dict(details)
    values["reference"] = normalise_reference(values.get("reference", ""))
    customer = Customer(
        id=uuid.uuid4(),
        **values,
        readiness=readiness,
        readiness_set_at=utcnow(),
        readiness_set_by_id=adviser.id,
        consent_given=False,
        adviser_id=adviser.id if caseload else None,
        office_id=adviser.office_id if caseload else None,
        district_id=district_id,
    )
    db.session.add(customer)
    record_access(customer, adviser, labels.CREATED)
    return customer


def update_customer(
    customer: Customer, details: Mapping[str, Any], *, by: User, adviser: User | None = None
) -> list[str]:
    """Change the details that differ, move the customer to `adviser`'s caseload if given,
    and audit the names of the fields changed. Returns those names (empty: nothing changed)."""
    _check_fields(details)
    changed: list[str] = []
    for name, value in details.items():
        if name == "reference":
            value = normalise_reference(value)
        current = getattr(customer, name)
        if name == "goal_sectors":
            same = sorted(current or []) == sorted(value or [])
        else:
            same = current == value
        if not same:
            setattr(customer, name, value)
            changed.append(name)
    if adviser is not None and adviser.id != customer.adviser_id:
        customer.adviser_id = adviser.id
        changed.append("adviser_id")
        if adviser.office_id != customer.office_id:
            customer.office_id = adviser.office_id
            changed.append("office_id")
    if changed:
        record_access(customer, by, labels.CHANGED, ", ".join(changed))
    return changed


def set_consent(customer: Customer, given: bool, by: User, note: str = "") -> Consent:
    """Record consent given or withdrawn; from now on `CONSENTED` follows it."""
    consent = Consent(
        id=uuid.uuid4(),
        customer=customer,
        given=given,
        recorded_at=utcnow(),
        recorded_by_id=by.id,
        note=(note or "")[:500],
    )
    db.session.add(consent)
    customer.consent_given = given
    record_access(customer, by, labels.CONSENT_GIVEN if given else labels.CONSENT_WITHDRAWN)
    return consent


def set_readiness(customer: Customer, readiness: Readiness, by: User) -> None:
    customer.readiness = readiness
    customer.readiness_set_at = utcnow()
    customer.readiness_set_by_id = by.id
    record_access(customer, by, labels.READINESS_CHANGED, "readiness")


# Staff see the customers of their own district.
def in_district_of(user: User):
    return Customer.district_id == user.district_id


def customer_for_staff(customer_id: uuid.UUID, user: User, *options) -> Customer | None:
    """The customer, if `user` is staff of the customer's district; None otherwise."""
    if not user.is_staff or user.district_id is None:
        return None
    return db.session.scalar(
        select(Customer).where(Customer.id == customer_id, in_district_of(user)).options(*options)
    )


@dataclass(frozen=True)
class Eligibility:
    priority_group: int
    priority_group_label: object
    lep_eligible: bool
    pet_eligible: bool


def eligibility(customer: Customer, on: dt.date) -> Eligibility | None:
    """The customer's priority group and what they can have on `on`; None when the recorded
    benefit and claim date contradict each other."""
    from app.outcomes.services import customer_priority_group

    try:
        group = customer_priority_group(customer, on)
    except ValueError:
        return None
    return Eligibility(
        priority_group=group,
        priority_group_label=PRIORITY_GROUP_LABELS[group],
        lep_eligible=lep_eligible(group, on, customer.under_redundancy_notice),
        pet_eligible=pet_eligible(group, customer.disadvantaged_ward, customer.nddp_eligible),
    )


def caseload_summary(adviser: User) -> dict[str, Any]:
    """An adviser's customers by readiness, and how many have no consent: one grouped query."""
    rows = db.session.execute(
        select(Customer.readiness, Customer.consent_given, func.count())
        .where(Customer.adviser_id == adviser.id)
        .group_by(Customer.readiness, Customer.consent_given)
    ).all()
    by_readiness = {readiness.value: 0 for readiness in Readiness}
    without_consent = 0
    for readiness, consent_given, count in rows:
        by_readiness[Readiness(readiness).value] += count
        if not consent_given:
            without_consent += count
    return {
        "by_readiness": by_readiness,
        "without_consent": without_consent,
        "total": sum(by_readiness.values()),
    }
