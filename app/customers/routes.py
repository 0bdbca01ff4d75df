"""Customers (jobseekers): recorded by advisers, seen by staff of their district only.

Employers never reach these pages; they see a customer only through a referral, with consent,
and each look is audited (`app.customers.services.record_access`).
"""

from __future__ import annotations

import uuid

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from app import clock
from app.auth.models import Role, User
from app.csv_files import csv_response
from app.customers import bp, labels, queries
from app.customers.access import audited_customer_or_404, customer_or_404
from app.customers.forms import (
    ConsentForm,
    EditCustomerForm,
    NewCustomerForm,
    ReadinessForm,
)
from app.customers.models import AuditEntry, Consent, Customer, Readiness
from app.customers.services import (
    create_customer,
    eligibility,
    in_district_of,
    normalise_reference,
    record_access,
    record_views,
    reference_taken,
    set_consent,
    set_readiness,
    update_customer,
)
from app.extensions import db
from app.formatting import london
from app.forms import search_words
from app.outcomes import labels as outcome_labels
from app.paging import page_number
from app.policy import allow
from app.referrals import labels as referral_labels
from app.referrals.services import interview_to_come
from app.rendering import render_page

PAGE_SIZE = 25
AUDIT_PAGE_SIZE = 50
# A subject access request gets the whole trail; this only bounds a runaway one.
AUDIT_DOWNLOAD_LIMIT = 50_000
# Who may read a customer's audit trail: the district's LEP coordinator, who answers for how
# the district handles personal data, and admins, who answer subject access requests. The
# staff whose looks the trail records do not read it.
AUDIT_ROLES = (Role.COORDINATOR, Role.ADMIN)
AUDIT_ROLE_NAMES = tuple(role.value for role in AUDIT_ROLES)
# Pages past this are refused (400): a list that long is better searched than paged.
MAX_PAGE = 400

MINE, OFFICE, DISTRICT = "mine", "office", "district"
CONSENT_FILTERS = {"given": True, "none": False}
RESULTS_ID = "customer-results"  # the element the list's filters and pages refresh


@bp.context_processor
def customer_labels() -> dict:
    return {"customer_labels": labels}


def _scopes(user: User) -> list[tuple[str, str]]:
    scopes = []
    if user.role is Role.ADVISER:
        scopes.append((MINE, _("My customers")))
    if user.office_id is not None:
        scopes.append((OFFICE, _("My office")))
    scopes.append((DISTRICT, _("My district")))
    return scopes


@bp.route("/customers", endpoint="list")
@allow("staff")
def customer_list():
    scopes = _scopes(current_user)
    scope = request.args.get("scope") or (MINE if current_user.role is Role.ADVISER else DISTRICT)
    query = search_words(request.args.get("q"))
    readiness = request.args.get("readiness", "")
    consent = request.args.get("consent", "")
    if (
        scope not in dict(scopes)
        or (readiness and readiness not in {r.value for r in Readiness})
        or (consent and consent not in CONSENT_FILTERS)
    ):
        abort(400)
    page = page_number(MAX_PAGE)

    statement = select(Customer).where(in_district_of(current_user))
    if scope == MINE:
        statement = statement.where(Customer.adviser_id == current_user.id)
    elif scope == OFFICE:
        statement = statement.where(Customer.office_id == current_user.office_id)
    if readiness:
        statement = statement.where(Customer.readiness == Readiness(readiness))
    if consent:
        statement = statement.where(Customer.consent_given.is_(CONSENT_FILTERS[consent]))
    if query:
        full_name = func.lower(Customer.first_name + " " + Customer.last_name)
        statement = statement.where(
            or_(
                Customer.reference.startswith(normalise_reference(query), autoescape=True),
                full_name.contains(query.lower(), autoescape=True),
            )
        )
    total = db.session.scalar(select(func.count()).select_from(statement.subquery()))
    customers = list(
        db.session.scalars(
            statement.options(selectinload(Customer.adviser))
            .order_by(Customer.last_name, Customer.first_name, Customer.id)
            .limit(PAGE_SIZE + 1)
            .offset((page - 1) * PAGE_SIZE)
        )
    )
    filters = {"scope": scope, "q": query, "readiness": readiness, "consent": consent}
    context = {
        "customers": customers[:PAGE_SIZE],
        "has_next": len(customers) > PAGE_SIZE,
        "page": page,
        "total": total,
        "first": (page - 1) * PAGE_SIZE + 1,
        "filters": filters,
        "link_args": {key: value for key, value in filters.items() if value},
        "filtered": bool(query or readiness or consent),
        "scopes": scopes,
    }
    response = render_page("customers/list.html", "results", target=RESULTS_ID, **context)
    # The list shows each person's reference number: a look at personal data. After
    # rendering: committing first would expire every row the page reads.
    record_views(customers[:PAGE_SIZE], current_user, labels.VIEWED_IN_LIST)
    db.session.commit()
    return response


def _save(form) -> bool:
    """Commit; a reference taken by someone else in the meantime is a form error, not a 500."""
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        if not reference_taken(form.reference.data):
            raise
        form.reference.errors = [_("There is already a customer with this reference number")]
        return False
    return True


@bp.route("/customers/new", methods=["GET", "POST"])
@allow("adviser")
def new():
    if current_user.district_id is None:
        abort(403)
    form = NewCustomerForm()
    if form.validate_on_submit():
        customer = create_customer(
            form.details(), adviser=current_user, readiness=Readiness(form.readiness.data)
        )
        if _save(form):
            flash(_("Customer record created for %(name)s.", name=customer.name))
            return redirect(url_for("customers.show", customer_id=customer.id))
    return render_template("customers/new.html", form=form)


#: Staff who may cancel a customer's interview (referrals.cancel_interview_for_customer).
INTERVIEW_CANCELLERS = frozenset({Role.LMRA, Role.DAM, Role.ADVISER})


@bp.route("/customers/<uuid:customer_id>")
@allow("staff")
def show(customer_id: uuid.UUID):
    customer = customer_or_404(
        customer_id,
        joinedload(Customer.adviser),
        joinedload(Customer.office),
        joinedload(Customer.readiness_set_by),
        selectinload(Customer.consents).joinedload(Consent.recorded_by),
    )
    today = clock.today()
    referrals = queries.recent_referrals(customer.id)
    html = render_template(
        "customers/show.html",
        customer=customer,
        eligibility=eligibility(customer, today),
        consents=list(reversed(customer.consents)),
        can_change=current_user.role is Role.ADVISER,
        can_see_audit=current_user.role in AUDIT_ROLES,
        referrals=referrals,
        # Interviews still to come, which staff who refer may cancel from here.
        cancellable={
            referral.id
            for referral in referrals
            if current_user.role in INTERVIEW_CANCELLERS and interview_to_come(referral)
        },
        outcomes=queries.recent_outcomes(customer.id),
        most_listed=queries.RECENT,
        referral_labels=referral_labels,
        outcome_status_labels=outcome_labels.STATUS_LABELS,
    )
    record_access(customer, current_user, labels.VIEWED_RECORD)
    db.session.commit()
    return html


def _district_advisers(district_id: uuid.UUID) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role == Role.ADVISER, User.district_id == district_id, User.active)
            .order_by(User.name, User.id)
            .limit(500)
        )
    )


@bp.route("/customers/<uuid:customer_id>/edit", methods=["GET", "POST"])
@allow("adviser")
def edit(customer_id: uuid.UUID):
    customer = customer_or_404(customer_id)
    advisers = {str(adviser.id): adviser for adviser in _district_advisers(customer.district_id)}
    form = EditCustomerForm(customer_id=customer.id)
    form.adviser.choices = [("", _("Select an adviser"))] + [
        (key, adviser.name) for key, adviser in advisers.items()
    ]
    if not form.is_submitted():
        form.fill_from(customer)
        form.adviser.data = str(customer.adviser_id) if customer.adviser_id else ""
        # The form shows every detail: a look at the whole record.
        record_access(customer, current_user, labels.OPENED_TO_CHANGE)
        db.session.commit()
    if form.validate_on_submit():
        changed = update_customer(
            customer, form.details(), by=current_user, adviser=advisers[form.adviser.data]
        )
        if _save(form):
            flash(_("Changes saved.") if changed else _("Nothing was changed."))
            return redirect(url_for("customers.show", customer_id=customer.id))
        customer = customer_or_404(customer_id)
    return render_template("customers/edit.html", form=form, customer=customer)


@bp.route("/customers/<uuid:customer_id>/consent", methods=["GET", "POST"])
@allow("adviser")
def consent(customer_id: uuid.UUID):
    customer = customer_or_404(customer_id)
    form = ConsentForm()
    if form.validate_on_submit():
        given = form.given.data == "yes"
        set_consent(customer, given, current_user, form.note.data or "")
        db.session.commit()
        if given:
            flash(
                _(
                    "Consent recorded: %(name)s’s details can be shared with employers and "
                    "training providers.",
                    name=customer.name,
                )
            )
        else:
            flash(
                _(
                    "Consent withdrawn: employers and training providers can no longer see "
                    "%(name)s’s details.",
                    name=customer.name,
                )
            )
        return redirect(url_for("customers.show", customer_id=customer.id))
    return render_template("customers/consent.html", form=form, customer=customer)


@bp.route("/customers/<uuid:customer_id>/readiness", methods=["GET", "POST"])
@allow("adviser")
def readiness(customer_id: uuid.UUID):
    customer = customer_or_404(customer_id)
    form = ReadinessForm()
    if not form.is_submitted():
        form.readiness.data = customer.readiness.value
    if form.validate_on_submit():
        set_readiness(customer, Readiness(form.readiness.data), current_user)
        db.session.commit()
        flash(
            _(
                "Readiness set to %(readiness)s.",
                readiness=labels.READINESS_LABELS[customer.readiness.value],
            )
        )
        return redirect(url_for("customers.show", customer_id=customer.id))
    return render_template("customers/readiness.html", form=form, customer=customer)


def _audit_trail(customer: Customer):
    return (
        select(AuditEntry)
        .where(AuditEntry.customer_id == customer.id)
        .options(joinedload(AuditEntry.user), joinedload(AuditEntry.organisation))
    )


@bp.route("/customers/<uuid:customer_id>/audit")
@allow(*AUDIT_ROLE_NAMES)
def audit(customer_id: uuid.UUID):
    """Who saw or changed this person's record, when, and in connection with what, newest
    first, in words."""
    customer = audited_customer_or_404(customer_id)
    page = page_number(MAX_PAGE)
    entries = list(
        db.session.scalars(
            _audit_trail(customer)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(AUDIT_PAGE_SIZE + 1)
            .offset((page - 1) * AUDIT_PAGE_SIZE)
        )
    )
    return render_template(
        "customers/audit.html",
        customer=customer,
        entries=entries[:AUDIT_PAGE_SIZE],
        page=page,
        has_next=len(entries) > AUDIT_PAGE_SIZE,
    )


def _who(entry: AuditEntry) -> tuple[str, str]:
    if entry.organisation is not None:
        return entry.user.name, entry.organisation.name
    return entry.user.name, _("Jobcentre Plus") if entry.user.is_staff else ""


@bp.route("/customers/<uuid:customer_id>/audit/download")
@allow(*AUDIT_ROLE_NAMES)
def audit_download(customer_id: uuid.UUID):
    """The whole trail as a CSV, oldest first, for a subject access request. The download is
    itself written to the trail."""
    customer = audited_customer_or_404(customer_id)
    entries = list(
        db.session.scalars(
            _audit_trail(customer)
            .order_by(AuditEntry.at, AuditEntry.id)
            .limit(AUDIT_DOWNLOAD_LIMIT)
        )
    )
    rows = [
        [
            london(entry.at).strftime("%Y-%m-%d %H:%M"),
            *_who(entry),
            labels.action_label(entry.action),
            labels.audit_detail(entry.detail),
        ]
        for entry in entries
    ]
    record_access(customer, current_user, labels.DOWNLOADED_AUDIT)
    db.session.commit()
    return csv_response(
        f"audit-trail-{customer.reference}-{clock.today().isoformat()}.csv",
        [
            _("When (UK time)"),
            _("Who"),
            _("Organisation"),
            _("What happened"),
            _("In connection with"),
        ],
        rows,
    )
