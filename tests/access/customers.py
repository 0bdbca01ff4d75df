"""Access rows for customers: staff of the customer's district read, advisers change;
employers never reach any of these pages."""

from app.accounts.models import Office
from app.extensions import db
from tests.access.core import STAFF, Route, fixed
from tests.customer_factories import CustomerFactory

ADVISER = frozenset({"adviser"})
AUDITORS = frozenset({"coordinator", "admin"})


def _customer_url(suffix: str = ""):
    return lambda world: f"/customers/{world.records['customer'].id}{suffix}"


ROUTES: dict[str, Route] = {
    "customers.list": Route("GET", fixed("/customers"), STAFF),
    "customers.new": Route("GET", fixed("/customers/new"), ADVISER),
    "customers.show": Route("GET", _customer_url(), STAFF),
    "customers.edit": Route("GET", _customer_url("/edit"), ADVISER),
    "customers.consent": Route("GET", _customer_url("/consent"), ADVISER),
    "customers.readiness": Route("GET", _customer_url("/readiness"), ADVISER),
    # Coordinators and admins answer for who saw whose data; the staff it records do not.
    "customers.audit": Route("GET", _customer_url("/audit"), AUDITORS),
    "customers.audit_download": Route("GET", _customer_url("/audit/download"), AUDITORS),
}


def build(world) -> None:
    """A customer in the organisation's district on the adviser's caseload; the adviser, LMRA
    and DAM work in that district."""
    district = world.organisation.district
    office = None
    for role in ("adviser", "lmra", "dam", "coordinator"):
        user = world.users[role]
        if user.district_id != district.id:
            user.district = district
        if user.office is None or user.office.district_id != district.id:
            if office is None:
                office = Office(name="Customers access office", district=district)
                db.session.add(office)
            user.office = office
    db.session.flush()
    world.records["customer"] = CustomerFactory(adviser=world.users["adviser"], district=district)
