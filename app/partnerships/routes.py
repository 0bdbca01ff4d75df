"""The LEP Partnership Agreement's pages.

Who may do what:
- a TPPM offers a provider of their district (or of none) the agreement for their district,
  and sees whether it was accepted (an administrator too, for any district's provider);
- a provider's users see their offers and accept them, and keep the list of subcontractors
  the agreement covers; only with an accepted agreement do they record their own agreements
  with employers, see live LEP vacancies, enter customers, put them forward and report
  placements, all within the districts it covers (anything else is a 404).
"""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app import clock
from app.accounts.models import District
from app.auth.models import Role
from app.customers import labels as audit_actions
from app.customers.labels import CONSENT_LABELS, READINESS_LABELS
from app.customers.models import Consent, Customer, Readiness
from app.customers.services import record_access, record_views, reference_taken, set_consent
from app.extensions import db
from app.outcomes.labels import STATUS_LABELS
from app.outcomes.services import OutcomeRefused
from app.paging import page_number
from app.partnerships import access, bp, queries, rules, services
from app.partnerships.forms import (
    AcceptForm,
    ConsentForm,
    EmployerAgreementForm,
    OfferForm,
    PlacementForm,
    ProviderCustomerForm,
    ReferErrors,
    ReferForm,
    RemoveForm,
    SubcontractorForm,
)
from app.partnerships.models import PartnershipStatus, Subcontractor
from app.policy import allow
from app.referrals import services as referral_services
from app.referrals.queries import Candidate as ReferralCandidate
from app.vacancies.models import VacancyStatus

IMPORTANT = "important"


def _me():
    return current_user._get_current_object()


def _provider_id() -> uuid.UUID:
    if current_user.provider_id is None:
        abort(404)
    return current_user.provider_id


# --- the TPPM offers -------------------------------------------------------------------------


@bp.route("/training-providers/<uuid:provider_id>/partnership", methods=["GET", "POST"])
@allow("tppm", "admin")
def offer(provider_id: uuid.UUID):
    provider = access.managed_provider_or_404(current_user, provider_id)
    district_id = current_user.district_id
    if district_id is None and current_user.role is Role.ADMIN:
        district_id = provider.district_id
    existing = queries.partnership_in(provider.id, district_id)
    form = OfferForm()
    if request.method == "POST":
        if current_user.role is not Role.TPPM or district_id is None:
            abort(403)  # an administrator reads; the district's TPPM offers
        if existing is not None:
            flash(_("This provider has already been offered the agreement."), IMPORTANT)
            return redirect(url_for("partnerships.offer", provider_id=provider.id))
        if form.validate_on_submit():
            try:
                services.offer(provider, district_id, _me())
                db.session.commit()
            except (services.AlreadyOffered, IntegrityError):
                db.session.rollback()
                flash(_("This provider has already been offered the agreement."), IMPORTANT)
            else:
                flash(
                    _(
                        "LEP Partnership Agreement offered to %(provider)s. We have emailed "
                        "them to accept it.",
                        provider=provider.name,
                    )
                )
            return redirect(url_for("partnerships.offer", provider_id=provider.id))
    district = db.session.get(District, district_id) if district_id else None
    return render_template(
        "partnerships/offer.html",
        provider=provider,
        district=district,
        partnership=existing,
        form=form,
        may_offer=current_user.role is Role.TPPM and district is not None,
        subcontractors=queries.subcontractors(provider.id),
    )


# --- the provider: the agreement and its subcontractors --------------------------------------


@bp.route("/partnership")
@allow("provider")
def mine():
    return _mine_page()


def _mine_page(
    accept_form: AcceptForm | None = None,
    subcontractor_form: SubcontractorForm | None = None,
    status: int = 200,
):
    provider_id = _provider_id()
    partnerships = queries.partnerships_of(provider_id)
    covered = rules.covered_districts(
        (partnership.status.value, partnership.district_id) for partnership in partnerships
    )
    shown_form = accept_form or subcontractor_form
    return (
        render_template(
            "partnerships/mine.html",
            partnerships=partnerships,
            covered=covered,
            accept_form=accept_form or AcceptForm(formdata=None),
            subcontractor_form=subcontractor_form or SubcontractorForm(formdata=None),
            remove_form=RemoveForm(formdata=None),
            subcontractors=queries.subcontractors(provider_id),
            form=shown_form,
        ),
        status,
    )


@bp.route("/partnership/<uuid:partnership_id>/accept", methods=["POST"])
@allow("provider")
def accept(partnership_id: uuid.UUID):
    partnership = access.partnership_or_404(current_user, partnership_id)
    if partnership.status is PartnershipStatus.ACCEPTED:
        return redirect(url_for("partnerships.accepted", partnership_id=partnership.id))
    form = AcceptForm()
    if not form.validate_on_submit():
        return _mine_page(accept_form=form)
    if services.accept(partnership, _me()):
        db.session.commit()
    else:
        db.session.rollback()
    return redirect(url_for("partnerships.accepted", partnership_id=partnership_id))


@bp.route("/partnership/<uuid:partnership_id>/accepted")
@allow("provider")
def accepted(partnership_id: uuid.UUID):
    partnership = access.partnership_or_404(current_user, partnership_id)
    if partnership.status is not PartnershipStatus.ACCEPTED:
        return redirect(url_for("partnerships.mine"))
    return render_template("partnerships/accepted.html", partnership=partnership)


@bp.route("/partnership/subcontractors", methods=["POST"])
@allow("provider")
def add_subcontractor():
    provider_id = _provider_id()
    form = SubcontractorForm()
    if form.validate_on_submit():
        problem = rules.subcontractor_name_problem(
            form.name.data, [item.name for item in queries.subcontractors(provider_id)]
        )
        if problem == "duplicate":
            form.name.errors.append(_("This subcontractor is already on your list"))
        elif problem is not None:
            form.name.errors.append(_("Enter the subcontractor's name"))
        else:
            added = services.add_subcontractor(provider_id, form.name.data, _me())
            db.session.commit()
            flash(_("%(name)s added to your subcontractors.", name=added.name))
            return redirect(url_for("partnerships.mine") + "#subcontractors")
    return _mine_page(subcontractor_form=form)


@bp.route("/partnership/subcontractors/<uuid:subcontractor_id>/remove", methods=["POST"])
@allow("provider")
def remove_subcontractor(subcontractor_id: uuid.UUID):
    subcontractor = db.session.scalar(
        select(Subcontractor).where(
            Subcontractor.id == subcontractor_id,
            Subcontractor.provider_id == _provider_id(),
            Subcontractor.removed_at.is_(None),
        )
    )
    if subcontractor is None:
        abort(404)
    if not RemoveForm().validate_on_submit():
        abort(400)
    services.remove_subcontractor(subcontractor, _me())
    db.session.commit()
    flash(_("%(name)s removed from your subcontractors.", name=subcontractor.name))
    return redirect(url_for("partnerships.mine") + "#subcontractors")


# --- the provider's own agreements with employers --------------------------------------------


@bp.route("/partnership/employer-agreements")
@allow("provider")
def employer_agreements():
    covered = access.covered_or_404(current_user, "employer_agreements")
    found = queries.provider_agreements(_provider_id(), covered, page_number())
    return render_template("partnerships/employer_agreements.html", found=found)


@bp.route("/partnership/employer-agreements/new", methods=["GET", "POST"])
@allow("provider")
def new_employer_agreement():
    covered = access.covered_or_404(current_user, "employer_agreements")
    form = EmployerAgreementForm()
    form.employer.choices = [("", _("Select an employer"))] + [
        (str(organisation.id), organisation.name)
        for organisation in queries.employer_choices(covered)
    ]
    if form.validate_on_submit():
        try:
            organisation_id = uuid.UUID(form.employer.data)
        except ValueError:
            abort(400)
        organisation = queries.employer_in(organisation_id, covered)
        if organisation is None:
            abort(404)
        partnership = queries.partnership_in(_provider_id(), organisation.district_id)
        if partnership is None or partnership.status is not PartnershipStatus.ACCEPTED:
            abort(404)
        agreement = services.record_employer_agreement(
            partnership, organisation, form.to_terms(), _me()
        )
        told = organisation.contact is not None and organisation.contact.active
        db.session.commit()
        if told:
            flash(
                _(
                    "Agreement with %(employer)s recorded. Its single point of contact at "
                    "Jobcentre Plus has been told.",
                    employer=organisation.name,
                )
            )
        else:
            flash(_("Agreement with %(employer)s recorded.", employer=organisation.name))
        return redirect(url_for("partnerships.employer_agreement", agreement_id=agreement.id))
    return render_template("partnerships/employer_agreement_new.html", form=form)


@bp.route("/partnership/employer-agreements/<uuid:agreement_id>")
@allow("provider")
def employer_agreement(agreement_id: uuid.UUID):
    covered = access.covered_or_404(current_user, "employer_agreements")
    agreement = access.provider_agreement(current_user, agreement_id, covered)
    if agreement is None:
        abort(404)
    return render_template("partnerships/employer_agreement.html", agreement=agreement)


# --- live LEP vacancies and putting customers forward ----------------------------------------


@bp.route("/partnership/vacancies")
@allow("provider")
def vacancies():
    covered = access.covered_or_404(current_user, "vacancies")
    found = queries.lep_vacancies(covered, page_number())
    return render_template("partnerships/vacancies.html", found=found)


def _vacancy_page(vacancy, form: ReferForm, refusals: list[str] | None = None, status: int = 200):
    candidates = queries.candidates(_provider_id(), vacancy)
    html = render_template(
        "partnerships/vacancy.html",
        vacancy=vacancy,
        candidates=candidates,
        refer_form=form,
        form=ReferErrors(form, refusals or []),
        refusals=refusals or [],
        selected=set(form.customer_ids.data or []),
    )
    # The page lists the provider's customers by name and reference: a look at their data.
    record_views(
        (candidate.customer for candidate in candidates),
        _me(),
        audit_actions.VIEWED_IN_SUGGESTIONS,
        f"Vacancy {vacancy.job_title} at {vacancy.organisation.name} (training provider)",
    )
    db.session.commit()
    return html, status


@bp.route("/partnership/vacancies/<uuid:vacancy_id>")
@allow("provider")
def vacancy(vacancy_id: uuid.UUID):
    covered = access.covered_or_404(current_user, "vacancies")
    found = access.live_vacancy(vacancy_id, covered)
    if found is None:
        abort(404)
    return _vacancy_page(found, ReferForm(formdata=None))


@bp.route("/partnership/vacancies/<uuid:vacancy_id>/put-forward", methods=["POST"])
@allow("provider")
def put_forward(vacancy_id: uuid.UUID):
    covered = access.covered_or_404(current_user, "vacancies")
    found = access.live_vacancy(vacancy_id, covered)
    if found is None:
        abort(404)
    form = ReferForm()
    if form.selected_ids() is None:
        abort(400)
    if not form.validate_on_submit():
        return _vacancy_page(found, form)
    chosen = form.selected_ids() or []
    mine = queries.candidates(_provider_id(), found, chosen)
    refusals = []
    if len(mine) < len(chosen):
        refusals.append(_("A customer you chose is not one of yours in this vacancy’s district"))
    today = clock.today()
    refusals += [
        reason
        for candidate in mine
        if (
            reason := referral_services.refusal(
                ReferralCandidate(candidate.customer, candidate.already_referred), today
            )
        )
    ]
    if refusals:
        return _vacancy_page(found, form, refusals)
    referrals = services.put_forward(
        found, [candidate.customer for candidate in mine], form.note.data or "", _me()
    )
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        found = access.live_vacancy(vacancy_id, covered)
        if found is None or found.status is not VacancyStatus.LIVE:
            abort(404)
        return _vacancy_page(
            found,
            form,
            [_("Someone has just referred one of these customers: check the list and try again")],
        )
    flash(
        ngettext(
            "%(num)s customer put forward. The employer has been told a candidate is waiting.",
            "%(num)s customers put forward. The employer has been told candidates are waiting.",
            len(referrals),
        )
    )
    return redirect(url_for("partnerships.vacancy", vacancy_id=vacancy_id))


# --- the provider's customers ----------------------------------------------------------------


@bp.route("/partnership/customers")
@allow("provider")
def customers():
    covered = access.covered_or_404(current_user, "customers")
    found = queries.provider_customers(_provider_id(), covered, page_number())
    html = render_template(
        "partnerships/customers.html",
        found=found,
        consent_labels=CONSENT_LABELS,
        readiness_labels=READINESS_LABELS,
    )
    record_views(found.rows, _me(), audit_actions.VIEWED_IN_LIST, "Training provider's customers")
    db.session.commit()
    return html


def _district_choices(form: ProviderCustomerForm, covered: frozenset[uuid.UUID]) -> None:
    districts = db.session.scalars(
        select(District).where(District.id.in_(covered)).order_by(District.name, District.id)
    ).all()
    form.district.choices = [("", _("Select a district"))] + [
        (str(district.id), district.name) for district in districts
    ]
    if not form.is_submitted() and len(districts) == 1:
        form.district.data = str(districts[0].id)


@bp.route("/partnership/customers/new", methods=["GET", "POST"])
@allow("provider")
def new_customer():
    covered = access.covered_or_404(current_user, "customers")
    form = ProviderCustomerForm()
    _district_choices(form, covered)
    if form.validate_on_submit():
        district_id = uuid.UUID(form.district.data)
        if district_id not in covered:
            abort(400)
        if reference_taken(form.reference.data):
            form.reference.errors = [
                _(
                    "There is already a customer with this reference number. If they are a "
                    "Jobcentre Plus customer, ask their adviser to refer them."
                )
            ]
        else:
            customer = services.enter_customer(
                _provider_id(),
                form.details(),
                readiness=Readiness(form.readiness.data),
                district_id=district_id,
                consent=form.consent.data == "yes",
                by=_me(),
            )
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                form.reference.errors = [
                    _("There is already a customer with this reference number")
                ]
            else:
                flash(_("Customer record created for %(name)s.", name=customer.name))
                return redirect(url_for("partnerships.customer", customer_id=customer.id))
    return render_template("partnerships/customer_new.html", form=form)


@bp.route("/partnership/customers/<uuid:customer_id>")
@allow("provider")
def customer(customer_id: uuid.UUID):
    return _customer_page(customer_id)


def _customer_page(customer_id: uuid.UUID, consent_form: ConsentForm | None = None):
    covered = access.covered_or_404(current_user, "customers")
    found = access.customer_or_404(
        current_user,
        customer_id,
        covered,
        selectinload(Customer.consents).joinedload(Consent.recorded_by),
    )
    html = render_template(
        "partnerships/customer.html",
        customer=found,
        consents=list(reversed(found.consents)),
        referrals=queries.customer_referrals(found.id),
        consent_form=consent_form or ConsentForm(formdata=None),
        form=consent_form,
        consent_labels=CONSENT_LABELS,
        readiness_labels=READINESS_LABELS,
    )
    record_access(found, _me(), audit_actions.VIEWED_RECORD, "Training provider's customer page")
    db.session.commit()
    return html


@bp.route("/partnership/customers/<uuid:customer_id>/consent", methods=["POST"])
@allow("provider")
def consent(customer_id: uuid.UUID):
    covered = access.covered_or_404(current_user, "customers")
    found = access.customer_or_404(current_user, customer_id, covered)
    form = ConsentForm()
    if not form.validate_on_submit():
        return _customer_page(customer_id, form)
    set_consent(found, form.given.data == "yes", _me(), note="Recorded by the training provider")
    db.session.commit()
    flash(_("Consent saved."))
    return redirect(url_for("partnerships.customer", customer_id=customer_id))


# --- placements ------------------------------------------------------------------------------


@bp.route("/partnership/placements")
@allow("provider")
def placements():
    access.covered_or_404(current_user, "placements")
    found = queries.placements(_provider_id(), page_number())
    html = render_template(
        "partnerships/placements.html", found=found, outcome_status_labels=STATUS_LABELS
    )
    record_views(
        (outcome.customer for outcome in found.rows),
        _me(),
        audit_actions.VIEWED_IN_LIST,
        "Training provider's placements",
    )
    db.session.commit()
    return html


@bp.route("/partnership/customers/<uuid:customer_id>/placement", methods=["GET", "POST"])
@allow("provider")
def report_placement(customer_id: uuid.UUID):
    covered = access.covered_or_404(current_user, "placements")
    found = access.customer_or_404(current_user, customer_id, covered)
    referrals = queries.open_referrals(found.id)
    agreements = [
        agreement
        for agreement in queries.provider_agreements(_provider_id(), covered).rows
        if agreement.organisation.district_id in covered
    ]
    form = PlacementForm()
    form.where.choices = [
        (
            f"vacancy:{referral.id}",
            _(
                "%(job)s at %(employer)s (Jobcentre Plus LEP vacancy)",
                job=referral.vacancy.job_title,
                employer=referral.vacancy.organisation.name,
            ),
        )
        for referral in referrals
    ] + [
        (
            f"agreement:{agreement.id}",
            _("%(employer)s (your own LEP agreement)", employer=agreement.organisation.name),
        )
        for agreement in agreements
    ]
    if form.is_submitted() and form.validate():
        choice = rules.parse_placement(form.where.data)
        if choice is None:
            abort(400)
        kind, record_id = choice
        hours, pay = form.hours, form.pay
        if hours is None or pay is None:  # validate() set both, or gave an error
            abort(400)
        try:
            if kind == "vacancy":
                referral = next((r for r in referrals if r.id == record_id), None)
                if referral is None:
                    abort(404)
                outcome = services.report_through_vacancy(
                    referral,
                    start_date=form.start_date.data,
                    hours_per_week=hours,
                    hourly_pay=pay,
                    by=_me(),
                )
            else:
                agreement = next((a for a in agreements if a.id == record_id), None)
                if agreement is None:
                    abort(404)
                outcome = services.report_through_agreement(
                    found,
                    agreement,
                    start_date=form.start_date.data,
                    hours_per_week=hours,
                    hourly_pay=pay,
                    by=_me(),
                )
        except OutcomeRefused as refused:
            field = refused.field if refused.field in form else "where"
            form[field].errors.append(refused.message)
        else:
            del outcome
            try:
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                flash(_("A start had just been recorded for this person. Nothing was changed."))
                return redirect(url_for("partnerships.customer", customer_id=customer_id))
            flash(
                _(
                    "Placement reported for %(name)s. We have asked the employer to confirm it.",
                    name=found.name,
                )
            )
            return redirect(url_for("partnerships.placements"))
    html = render_template("partnerships/placement_new.html", form=form, customer=found)
    record_access(found, _me(), audit_actions.VIEWED_RECORD, "Training provider's placement form")
    db.session.commit()
    return html
