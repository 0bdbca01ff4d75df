"""Vacancies: the employer posts, previews, submits, changes, closes and copies them; an LMRA
corrects the details of a submitted one at the call-back; LMRA and DAM staff who may see the
account post, change and submit them for the employer (assisted digital:
`?for_employer=<organisation id>&channel=phone|meeting|email|visit`)."""

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

from app.accounts.services import done_for_you
from app.auth.models import Role
from app.auth.rules import safe_next_url
from app.employers import organisation_id_or_404
from app.extensions import db
from app.formatting import datetime_long
from app.forms import search_words
from app.paging import page_number
from app.policy import allow, membership_of
from app.referrals import queries as referral_queries
from app.rendering import render_page
from app.vacancies import bp, queries, services
from app.vacancies.access import Acting, acting_for, acting_or_404
from app.vacancies.forms import CloseForm, SubmitForm, VacancyForm
from app.vacancies.models import Vacancy, VacancyStatus

STATUS_VALUES = frozenset(status.value for status in VacancyStatus)


def _may_add_sites() -> bool:
    """Only an employer's owners (and staff acting for it) add its sites."""
    return membership_of(current_user) != "recruiter"


@bp.route("/vacancies", endpoint="list")
@allow("employer")
def vacancy_list():
    organisation_id = organisation_id_or_404(current_user)
    statuses = [
        VacancyStatus(value)
        for value in dict.fromkeys(request.args.getlist("status"))
        if value in STATUS_VALUES
    ]
    query = search_words(request.args.get("q"))
    found = queries.find_vacancies(
        organisation_id, statuses=statuses, query=query, page=page_number()
    )
    context = {
        "found": found,
        "statuses": statuses,
        "query": query,
        "counts": queries.status_counts(organisation_id),
        "done": done_for_you("vacancy", [vacancy.id for vacancy in found.vacancies]),
    }
    return render_page("vacancies/list.html", "results", **context)


@bp.route("/vacancies/new", methods=["GET", "POST"])
@allow("employer", "lmra", "dam")
def new():
    acting = acting_or_404()
    if acting:
        organisation = queries.organisation_with_sites(acting.organisation.id)
    else:
        organisation = queries.organisation_for(current_user)
    form = VacancyForm(sites=organisation.sites, new_sites=_may_add_sites())
    if form.validate_on_submit():
        # A vacancy taken for the employer is the employer's: the call-back rings them.
        author = (queries.employer_user_of(organisation) if acting else None) or current_user
        vacancy = services.create_vacancy(organisation, author, form.to_details())
        if acting:
            db.session.flush()
            acting.record(vacancy, _("Posted %(job_title)s", job_title=vacancy.job_title))
        db.session.commit()
        if acting:
            flash(_("The vacancy has been saved as a draft. Check it with the employer."))
            return redirect(url_for("vacancies.submit", vacancy_id=vacancy.id, **acting.args))
        flash(_("Your vacancy has been saved as a draft."))
        return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
    return render_template(
        "vacancies/form.html",
        form=form,
        vacancy=None,
        back=acting.back() if acting else url_for("vacancies.list"),
        advice_given=[],
        acting=acting,
    )


@bp.route("/vacancies/<uuid:vacancy_id>")
@allow("employer")
def show(vacancy_id: uuid.UUID):
    vacancy = queries.vacancy_for_employer(current_user, vacancy_id)
    # A draft has none: Jobcentre Plus cannot see it yet.
    candidates = (
        None
        if vacancy.status is VacancyStatus.DRAFT
        else sum(referral_queries.status_counts(vacancy).values())
    )
    return render_template(
        "vacancies/show.html",
        done=done_for_you("vacancy", [vacancy.id]).get(vacancy.id),
        candidates=candidates,
        **_preview(vacancy),
    )


def _preview(vacancy: Vacancy, acting: Acting | None = None) -> dict:
    """What the preview and the check-your-answers page show about a vacancy."""
    check = services.pay_check(vacancy)
    return {
        "vacancy": vacancy,
        "advice": services.advice_now(vacancy),
        "pay_refused": services.below_minimum_message(check) if check.below_minimum else None,
        "pay_limited": services.limited_ages_message(check) if check.limits_ages else None,
        "editable": vacancy.status in services.EDITABLE_BY_EMPLOYER,
        "closable": vacancy.status in services.CLOSABLE,
        "acting": acting,
        "acting_args": acting.args if acting else {},
    }


@bp.route("/vacancies/<uuid:vacancy_id>/edit", methods=["GET", "POST"])
@allow("employer", "lmra", "dam")
def edit(vacancy_id: uuid.UUID):
    acting = acting_for()
    if acting:
        vacancy = queries.vacancy_of_organisation(acting.organisation, vacancy_id)
        if vacancy.status not in services.EDITABLE_BY_EMPLOYER:
            abort(404)
        back = acting.back()
    elif current_user.is_staff:
        # The LMRA correcting a submitted vacancy at the call-back.
        if current_user.role is not Role.LMRA:
            abort(404)
        vacancy = queries.vacancy_for_staff(current_user, vacancy_id)
        if vacancy.status not in services.EDITABLE_BY_STAFF:
            abort(404)
        back = safe_next_url(request.args.get("next"))
    else:
        vacancy = queries.vacancy_for_employer(current_user, vacancy_id)
        if vacancy.status not in services.EDITABLE_BY_EMPLOYER:
            return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
        back = url_for("vacancies.show", vacancy_id=vacancy.id)
    form = VacancyForm(
        sites=vacancy.organisation.sites,
        # Once submitted, the pay was checked: a change may not take it below the minimum.
        strict_pay=vacancy.status is not VacancyStatus.DRAFT,
        new_sites=_may_add_sites(),
    )
    if vacancy.status is not VacancyStatus.DRAFT:
        form.submit.label.text = _("Save changes")
    if not form.is_submitted():
        form.fill_from(vacancy)
    if form.validate_on_submit():
        services.update_vacancy(vacancy, form.to_details(), changed_by=current_user)
        if acting:
            acting.record(vacancy, _("Changed %(job_title)s", job_title=vacancy.job_title))
        db.session.commit()
        flash(_("The vacancy has been saved."))
        if acting and vacancy.status is VacancyStatus.DRAFT:
            return redirect(url_for("vacancies.submit", vacancy_id=vacancy.id, **acting.args))
        if current_user.is_staff:
            return redirect(back or url_for("main.home"))
        return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
    return render_template(
        "vacancies/form.html",
        form=form,
        vacancy=vacancy,
        back=back,
        advice_given=services.advice_given(vacancy) if current_user.is_staff else [],
        acting=acting,
    )


@bp.route("/vacancies/<uuid:vacancy_id>/submit", methods=["GET", "POST"])
@allow("employer", "lmra", "dam")
def submit(vacancy_id: uuid.UUID):
    acting = acting_or_404()
    if acting:
        vacancy = queries.vacancy_of_organisation(acting.organisation, vacancy_id)
        if vacancy.status is not VacancyStatus.DRAFT:
            return redirect(acting.back())
    else:
        vacancy = queries.vacancy_for_employer(current_user, vacancy_id)
        if vacancy.status is not VacancyStatus.DRAFT:
            return redirect(_after_submission(vacancy))
    form = SubmitForm()
    problems = []
    if form.validate_on_submit():
        try:
            callback = services.submit_vacancy(
                vacancy,
                current_user,
                notify=queries.employer_user_of(acting.organisation) if acting else None,
            )
        except services.SubmissionRefused as refused:
            problems = refused.problems
        except services.NotADraft:
            db.session.rollback()
            return redirect(acting.back() if acting else _after_submission(vacancy))
        else:
            if acting:
                acting.record(vacancy, _("Submitted %(job_title)s", job_title=vacancy.job_title))
            db.session.commit()
            if acting:
                flash(
                    _(
                        "The vacancy has been submitted. The call-back is due by %(due)s.",
                        due=datetime_long(callback.due_at),
                    )
                )
                return redirect(acting.back())
            return redirect(url_for("vacancies.submitted", vacancy_id=vacancy.id))
    return render_template(
        "vacancies/submit.html", submit_form=form, problems=problems, **_preview(vacancy, acting)
    )


def _after_submission(vacancy: Vacancy) -> str:
    if vacancy.status is VacancyStatus.SUBMITTED:
        return url_for("vacancies.submitted", vacancy_id=vacancy.id)
    return url_for("vacancies.show", vacancy_id=vacancy.id)


@bp.route("/vacancies/<uuid:vacancy_id>/submitted")
@allow("employer")
def submitted(vacancy_id: uuid.UUID):
    vacancy = queries.vacancy_for_employer(current_user, vacancy_id)
    due_at = queries.callback_due_at(vacancy)
    if vacancy.status is not VacancyStatus.SUBMITTED or due_at is None:
        return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
    return render_template("vacancies/submitted.html", vacancy=vacancy, due_at=due_at)


@bp.route("/vacancies/<uuid:vacancy_id>/close", methods=["GET", "POST"])
@allow("employer")
def close(vacancy_id: uuid.UUID):
    vacancy = queries.vacancy_for_employer(current_user, vacancy_id)
    if vacancy.status not in services.CLOSABLE:
        return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
    form = CloseForm()
    if form.validate_on_submit():
        services.close_vacancy(vacancy, VacancyStatus(form.reason.data))
        db.session.commit()
        if vacancy.status is VacancyStatus.FILLED:
            flash(_("The vacancy is closed as filled."))
        else:
            flash(_("The vacancy has been withdrawn."))
        return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
    return render_template("vacancies/close.html", form=form, vacancy=vacancy)


@bp.route("/vacancies/<uuid:vacancy_id>/copy", methods=["POST"])
@allow("employer")
def copy(vacancy_id: uuid.UUID):
    vacancy = queries.vacancy_for_employer(current_user, vacancy_id)
    copied = services.copy_vacancy(vacancy, current_user)
    db.session.commit()
    flash(
        _(
            "This is a copy of %(job_title)s. Check the details, then save it.",
            job_title=vacancy.job_title,
        )
    )
    return redirect(url_for("vacancies.edit", vacancy_id=copied.id))


@bp.route("/live-vacancies")
@allow("adviser", "lmra", "dam", "coordinator")
def live():
    """Staff: the district's live vacancies, each a way into suggested candidates."""
    query = search_words(request.args.get("q"))
    found = queries.find_live_vacancies(current_user.district_id, query=query, page=page_number())
    return render_template("vacancies/live.html", found=found, query=query)
