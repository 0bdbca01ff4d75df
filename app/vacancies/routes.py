"""Vacancies: the employer posts, previews, submits, changes, closes and copies them; an LMRA
corrects the details of a submitted one at the call-back."""

from __future__ import annotations

import uuid

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block

from app.auth.rules import safe_next_url
from app.extensions import db
from app.policy import allow
from app.vacancies import services
from app.vacancies.forms import CloseForm, SubmitForm, VacancyForm
from app.vacancies.models import Vacancy, VacancyStatus

bp = Blueprint("vacancies", __name__)

STATUS_VALUES = frozenset(status.value for status in VacancyStatus)


def _page_number() -> int:
    try:
        page = int(request.args.get("page", 1))
    except ValueError:
        abort(400)
    return max(1, min(page, services.MAX_PAGE))


@bp.route("/vacancies", endpoint="list")
@allow("employer")
def vacancy_list():
    organisation_id = services.organisation_id_for(current_user)
    statuses = [
        VacancyStatus(value)
        for value in dict.fromkeys(request.args.getlist("status"))
        if value in STATUS_VALUES
    ]
    query = (request.args.get("q") or "").strip()[:100]
    found = services.find_vacancies(
        organisation_id, statuses=statuses, query=query, page=_page_number()
    )
    context = {
        "found": found,
        "statuses": statuses,
        "query": query,
        "counts": services.status_counts(organisation_id),
    }
    # HTMX swaps only the results; a history restore (Back after a swap) needs the page.
    if request.htmx and not request.htmx.history_restore_request:
        response = make_response(render_block("vacancies/list.html", "results", **context))
    else:
        response = make_response(render_template("vacancies/list.html", **context))
    response.vary.add("HX-Request")
    return response


@bp.route("/vacancies/new", methods=["GET", "POST"])
@allow("employer")
def new():
    organisation = services.organisation_for(current_user)
    form = VacancyForm(sites=organisation.sites)
    if form.validate_on_submit():
        vacancy = services.create_vacancy(organisation, current_user, form.to_details())
        db.session.commit()
        flash(_("Your vacancy has been saved as a draft."))
        return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
    return render_template(
        "vacancies/form.html",
        form=form,
        vacancy=None,
        back=url_for("vacancies.list"),
        advice_given=[],
    )


@bp.route("/vacancies/<uuid:vacancy_id>")
@allow("employer")
def show(vacancy_id: uuid.UUID):
    vacancy = services.vacancy_for_employer(current_user, vacancy_id)
    return render_template("vacancies/show.html", **_preview(vacancy))


def _preview(vacancy: Vacancy) -> dict:
    """What the preview and the check-your-answers page show about a vacancy."""
    check = services.pay_check(vacancy)
    return {
        "vacancy": vacancy,
        "advice": services.advice_now(vacancy),
        "pay_refused": services.below_minimum_message(check) if check.below_minimum else None,
        "pay_limited": services.limited_ages_message(check) if check.limits_ages else None,
        "editable": vacancy.status in services.EDITABLE_BY_EMPLOYER,
        "closable": vacancy.status in services.CLOSABLE,
    }


@bp.route("/vacancies/<uuid:vacancy_id>/edit", methods=["GET", "POST"])
@allow("employer", "lmra")
def edit(vacancy_id: uuid.UUID):
    if current_user.is_staff:
        vacancy = services.vacancy_for_staff(current_user, vacancy_id)
        if vacancy.status not in services.EDITABLE_BY_STAFF:
            abort(404)
        back = safe_next_url(request.args.get("next"))
    else:
        vacancy = services.vacancy_for_employer(current_user, vacancy_id)
        if vacancy.status not in services.EDITABLE_BY_EMPLOYER:
            return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
        back = url_for("vacancies.show", vacancy_id=vacancy.id)
    form = VacancyForm(
        sites=vacancy.organisation.sites,
        # Once submitted, the pay was checked: a change may not take it below the minimum.
        strict_pay=vacancy.status is not VacancyStatus.DRAFT,
    )
    if vacancy.status is not VacancyStatus.DRAFT:
        form.submit.label.text = _("Save changes")
    if not form.is_submitted():
        form.fill_from(vacancy)
    if form.validate_on_submit():
        services.update_vacancy(vacancy, form.to_details(), changed_by=current_user)
        db.session.commit()
        flash(_("The vacancy has been saved."))
        if current_user.is_staff:
            return redirect(back or url_for("main.home"))
        return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
    return render_template(
        "vacancies/form.html",
        form=form,
        vacancy=vacancy,
        back=back,
        advice_given=services.advice_given(vacancy) if current_user.is_staff else [],
    )


@bp.route("/vacancies/<uuid:vacancy_id>/submit", methods=["GET", "POST"])
@allow("employer")
def submit(vacancy_id: uuid.UUID):
    vacancy = services.vacancy_for_employer(current_user, vacancy_id)
    if vacancy.status is not VacancyStatus.DRAFT:
        return redirect(_after_submission(vacancy))
    form = SubmitForm()
    problems = []
    if form.validate_on_submit():
        try:
            services.submit_vacancy(vacancy, current_user)
        except services.SubmissionRefused as refused:
            problems = refused.problems
        except services.NotADraft:
            db.session.rollback()
            return redirect(_after_submission(vacancy))
        else:
            db.session.commit()
            return redirect(url_for("vacancies.submitted", vacancy_id=vacancy.id))
    return render_template(
        "vacancies/submit.html", submit_form=form, problems=problems, **_preview(vacancy)
    )


def _after_submission(vacancy: Vacancy) -> str:
    if vacancy.status is VacancyStatus.SUBMITTED:
        return url_for("vacancies.submitted", vacancy_id=vacancy.id)
    return url_for("vacancies.show", vacancy_id=vacancy.id)


@bp.route("/vacancies/<uuid:vacancy_id>/submitted")
@allow("employer")
def submitted(vacancy_id: uuid.UUID):
    vacancy = services.vacancy_for_employer(current_user, vacancy_id)
    due_at = services.callback_due_at(vacancy)
    if vacancy.status is not VacancyStatus.SUBMITTED or due_at is None:
        return redirect(url_for("vacancies.show", vacancy_id=vacancy.id))
    return render_template("vacancies/submitted.html", vacancy=vacancy, due_at=due_at)


@bp.route("/vacancies/<uuid:vacancy_id>/close", methods=["GET", "POST"])
@allow("employer")
def close(vacancy_id: uuid.UUID):
    vacancy = services.vacancy_for_employer(current_user, vacancy_id)
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
    vacancy = services.vacancy_for_employer(current_user, vacancy_id)
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
    query = (request.args.get("q") or "").strip()[:100]
    found = services.find_live_vacancies(current_user.district_id, query=query, page=_page_number())
    return render_template("vacancies/live.html", found=found, query=query)
