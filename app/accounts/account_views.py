"""The account page: one page per employer account, its sections as tabs that are plain
links (a full page) and HTMX targets (the tab panel block of the same template)."""

from __future__ import annotations

import uuid

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from app.accounts import bp, queries
from app.accounts.access import staff_account_or_404
from app.accounts.forms import (
    ChannelForm,
    ContactLogForm,
    HeadOfficeForm,
    JobsPledgeForm,
    LanguageForm,
)
from app.accounts.models import (
    ContactKind,
    EmployerMembership,
    NextAction,
    Organisation,
    SizeBand,
)
from app.accounts.services import (
    CannotLink,
    eligible_contacts,
    link_to_head_office,
    log_contact,
    mark_done,
    record_pledge,
)
from app.accounts.tabs import BY_ENDPOINT, TABS
from app.auth.models import User
from app.clock import today
from app.customers import labels as audit_actions
from app.customers.services import record_views
from app.extensions import db
from app.forms import search_words
from app.guarantees.queries import open_for_employer as open_guarantees
from app.policy import allow
from app.referrals.models import Referral, ReferralStatus
from app.rendering import render_page
from app.vacancies.models import Vacancy, VacancyStatus


def _contact_log_form(organisation: Organisation) -> ContactLogForm:
    form = ContactLogForm()
    owners = {person.id: person for person in eligible_contacts(organisation.district_id)}
    owners.setdefault(current_user.id, current_user)
    if organisation.contact is not None:
        owners.setdefault(organisation.contact.id, organisation.contact)
    form.next_action_owner.choices = [("", _("Me"))] + [
        (str(person.id), person.name)
        for person in sorted(owners.values(), key=lambda p: p.name)
        if person.id != current_user.id
    ]
    return form


def _render_tab(organisation: Organisation, endpoint: str, form=None, status: int = 200):
    context = {
        "organisation": organisation,
        "tabs": TABS,
        "tab": endpoint,
        "tab_label": BY_ENDPOINT[endpoint].label,
        "tab_template": BY_ENDPOINT[endpoint].template,
        "today": today(),
        **BY_ENDPOINT[endpoint].read(organisation),
    }
    if endpoint == "contact_log":
        context["log_form"] = form or _contact_log_form(organisation)
        if form is not None:
            context["form"] = form  # the layout's error summary and "Error:" title
    response = render_page("accounts/account.html", "tab_panel", status_code=status, **context)
    if endpoint == "referrals":
        # The tab shows each candidate's name and reference: a look at personal data.
        # After rendering: committing first would expire every row the page reads.
        record_views(
            (referral.customer for referral in context["referrals"]),
            current_user,
            audit_actions.VIEWED_IN_ACCOUNT,
            f"Account {organisation.name}",
        )
        db.session.commit()
    return response


def _make_tab_view(endpoint: str):
    def view(organisation_id: uuid.UUID):
        organisation = staff_account_or_404(current_user, organisation_id)
        if endpoint in ("sites", "employer_users"):
            organisation = db.session.scalar(
                select(Organisation)
                .where(Organisation.id == organisation.id)
                .options(
                    selectinload(Organisation.sites),
                    selectinload(Organisation.memberships).selectinload(EmployerMembership.user),
                )
                .execution_options(populate_existing=True)
            )
        return _render_tab(organisation, endpoint)

    view.__name__ = endpoint
    return allow("staff")(view)


for _tab in TABS:
    bp.add_url_rule(
        f"/accounts/<uuid:organisation_id>/{_tab.slug}".rstrip("/"),
        _tab.endpoint,
        _make_tab_view(_tab.endpoint),
    )


@bp.route("/accounts/<uuid:organisation_id>/contact-log", methods=["POST"])
@allow("staff")
def log_contact_entry(organisation_id: uuid.UUID):
    organisation = staff_account_or_404(current_user, organisation_id)
    form = _contact_log_form(organisation)
    if not form.validate_on_submit():
        return _render_tab(organisation, "contact_log", form=form)
    owner = current_user
    if form.next_action_owner.data:
        owner = db.session.get(User, uuid.UUID(form.next_action_owner.data))
    log_contact(
        organisation,
        current_user,
        kind=ContactKind(form.kind.data),
        occurred_on=form.occurred_on.data,
        people_met=form.people_met.data or "",
        summary=form.summary.data,
        next_action=form.next_action.data or "",
        next_action_owner=owner,
        next_action_due=form.next_action_due.data,
    )
    db.session.commit()
    flash(_("Contact saved to the log."))
    return redirect(url_for("accounts.contact_log", organisation_id=organisation.id))


@bp.route("/accounts/<uuid:organisation_id>/next-actions/<uuid:action_id>/done", methods=["POST"])
@allow("staff")
def next_action_done(organisation_id: uuid.UUID, action_id: uuid.UUID):
    organisation = staff_account_or_404(current_user, organisation_id)
    action = db.session.scalar(
        select(NextAction).where(
            NextAction.id == action_id, NextAction.organisation_id == organisation.id
        )
    )
    if action is None:
        abort(404)
    if mark_done(action):
        db.session.commit()
        flash(_("Next action marked as done."))
    back = request.form.get("back")
    if back == "home":
        return redirect(url_for("main.home"))
    return redirect(url_for("accounts.contact_log", organisation_id=organisation.id))


@bp.route("/accounts/<uuid:organisation_id>/jobs-pledge", methods=["GET", "POST"])
@allow("dam", "admin")
def jobs_pledge(organisation_id: uuid.UUID):
    organisation = staff_account_or_404(current_user, organisation_id)
    if organisation.parent_id is not None:
        abort(404)  # a pledge is made by a head office, for all its branches
    form = JobsPledgeForm()
    if form.validate_on_submit():
        record_pledge(
            organisation,
            jobs=form.jobs.data,
            starts_on=form.starts_on.data,
            ends_on=form.ends_on.data,
            by=current_user,
        )
        db.session.commit()
        flash(_("Jobs pledge saved."))
        return redirect(url_for("accounts.account", organisation_id=organisation.id))
    return render_template("accounts/jobs_pledge.html", organisation=organisation, form=form)


@bp.route("/accounts/<uuid:organisation_id>/language", methods=["GET", "POST"])
@allow("staff")
def language(organisation_id: uuid.UUID):
    """Record the language an employer asked for by phone or in person (Welsh Language
    Standards: a preference once stated is used from then on)."""
    organisation = staff_account_or_404(current_user, organisation_id)
    form = LanguageForm(language=organisation.preferred_language)
    if form.validate_on_submit():
        organisation.preferred_language = form.language.data
        db.session.commit()
        flash(_("Language saved."))
        return redirect(url_for("accounts.account", organisation_id=organisation.id))
    return render_template("accounts/language.html", organisation=organisation, form=form)


HEAD_OFFICE_CHOICES = 20
SMALL_MATCHES_NAMED = 5


@bp.route("/accounts/<uuid:organisation_id>/head-office", methods=["GET", "POST"])
@allow("dam", "coordinator", "admin")
def head_office(organisation_id: uuid.UUID):
    """Link a branch to its national employer's head office, found by name."""
    organisation = staff_account_or_404(current_user, organisation_id)
    query = search_words(request.values.get("q"))
    form = HeadOfficeForm()
    found: list[Organisation] = []
    if query:
        found = list(
            db.session.scalars(
                select(Organisation)
                .where(
                    func.lower(Organisation.name).contains(query.lower()),
                    Organisation.parent_id.is_(None),
                    Organisation.id != organisation.id,
                    # Large or national employers only (accounts.rules.may_be_head_office).
                    or_(
                        Organisation.size_band == SizeBand.LARGE,
                        Organisation.branches.any(),
                    ),
                )
                .options(selectinload(Organisation.district))
                .order_by(Organisation.name, Organisation.id)
                .limit(HEAD_OFFICE_CHOICES)
            )
        )
    form.head_office.choices = [(str(o.id), f"{o.name} ({o.district.name})") for o in found]
    # Matches that cannot be head offices, named so nobody wonders where they went.
    small: list[str] = []
    if query:
        small = list(
            db.session.scalars(
                select(Organisation.name)
                .where(
                    func.lower(Organisation.name).contains(query.lower()),
                    Organisation.parent_id.is_(None),
                    Organisation.id != organisation.id,
                    Organisation.size_band != SizeBand.LARGE,
                    ~Organisation.branches.any(),
                )
                .order_by(Organisation.name, Organisation.id)
                .limit(SMALL_MATCHES_NAMED)
            )
        )
    if request.method == "POST" and form.validate_on_submit():
        try:
            target_id = uuid.UUID(form.head_office.data)
        except ValueError:
            abort(400)
        target = db.session.get(Organisation, target_id)
        try:
            if target is None:
                raise CannotLink(_("Select the head office"))
            link_to_head_office(organisation, target)
        except CannotLink as error:
            form.head_office.errors = [str(error)]
        else:
            db.session.commit()
            flash(
                _("%(name)s is now a branch of %(head)s.", name=organisation.name, head=target.name)
            )
            return redirect(url_for("accounts.account", organisation_id=organisation.id))
    return render_template(
        "accounts/head_office.html",
        organisation=organisation,
        form=form,
        query=query,
        found=found,
        small=small,
    )


# Where staff acting for an employer go: each form of another area, if open to them.
ASSISTED_FORMS = (
    ("vacancies.new", _l("Post a vacancy")),
    ("vacancies.edit", _l("Edit a vacancy")),
    ("referrals.move", _l("Record an interview decision")),
    ("outcomes.record", _l("Record a start")),
)


def _open_to_me(endpoint: str) -> bool:
    view = current_app.view_functions.get(endpoint)
    return view is not None and current_user.role.value in getattr(view, "allowed_roles", ())


@bp.route("/accounts/<uuid:organisation_id>/act-for-employer")
@allow("lmra", "dam", "admin")
def act_for_employer(organisation_id: uuid.UUID):
    """Assisted digital: staff with the account use the employer's own forms for it."""
    organisation = staff_account_or_404(current_user, organisation_id)
    form = ChannelForm(request.args)
    form.validate()
    channel = form.channel.data or None
    vacancies = list(
        db.session.scalars(
            select(Vacancy)
            .where(
                Vacancy.organisation_id == organisation.id,
                Vacancy.status.in_(
                    [VacancyStatus.DRAFT, VacancyStatus.SUBMITTED, VacancyStatus.LIVE]
                ),
            )
            .order_by(Vacancy.created_at.desc())
            .limit(queries.LIST_LIMIT)
        )
    )
    candidates = list(
        db.session.scalars(
            select(Referral)
            .where(
                Referral.organisation_id == organisation.id,
                Referral.status.in_(
                    [
                        ReferralStatus.REFERRED,
                        ReferralStatus.SHORTLISTED,
                        ReferralStatus.INTERVIEW_ARRANGED,
                        ReferralStatus.WORK_TRIAL,
                        ReferralStatus.OFFERED,
                    ]
                ),
            )
            .options(selectinload(Referral.vacancy), selectinload(Referral.customer))
            .order_by(Referral.updated_at.desc())
            .limit(queries.LIST_LIMIT)
        )
    )
    return render_template(
        "accounts/act_for_employer.html",
        organisation=organisation,
        form=form,
        channel=channel,
        vacancies=vacancies,
        candidates=candidates,
        guarantees=open_guarantees(organisation.id, limit=queries.LIST_LIMIT),
        open_to_me={endpoint: _open_to_me(endpoint) for endpoint, _label in ASSISTED_FORMS},
        assisted_forms=ASSISTED_FORMS,
    )
