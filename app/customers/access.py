"""The customers a member of staff may reach: any other is not found (404), not forbidden."""

from __future__ import annotations

import uuid

from flask import abort
from flask_login import current_user

from app.auth.models import Role
from app.customers.models import Customer
from app.customers.services import customer_for_staff
from app.extensions import db


def customer_or_404(customer_id: uuid.UUID, *options) -> Customer:
    customer = customer_for_staff(customer_id, current_user, *options)
    if customer is None:
        abort(404)
    return customer


def audited_customer_or_404(customer_id: uuid.UUID) -> Customer:
    """Coordinators see the trail of their district's customers; admins of any customer (a
    subject access request can come to any district)."""
    if current_user.role is Role.ADMIN:
        customer = db.session.get(Customer, customer_id)
        if customer is None:
            abort(404)
        return customer
    return customer_or_404(customer_id)
