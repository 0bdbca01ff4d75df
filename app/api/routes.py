"""The API for employers' recruitment systems, under /api/v1: vacancies, their candidates,
decisions and starts. Every view goes through the portal's own services, queries and forms;
the key acts for its organisation as its creator, with a recruiter's rights."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import uuid
from collections.abc import Callable, Collection

from flask import g, jsonify, request, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from app.api import schemas
from app.api.access import key_organisation_id, referral_or_404, vacancy_or_404
from app.api.forms_bridge import date_parts, json_body, refuse, text
from app.api.idempotency import idempotent
from app.api.problems import ApiProblem
from app.customers import labels as audit_actions
from app.customers.services import record_access, record_views
from app.extensions import db
from app.outcomes.services import OutcomeRefused
from app.policy import allow
from app.referrals import labels as referral_labels
from app.referrals import queries as referral_queries
from app.referrals import rules as referral_rules
from app.referrals import services as referral_services
from app.referrals.models import Referral
from app.referrals.routes import action_form, apply_action
from app.vacancies import queries as vacancy_queries
from app.vacancies import services as vacancy_services
from app.vacancies.forms import NEW_SITE, PAID, CloseForm, VacancyForm
from app.vacancies.models import Vacancy, VacancyStatus

from . import bp

# The form's field names where the API's differ.
VACANCY_FIELD_NAMES = {
    "site": "site_id",
    "new_site_name": "new_site.name",
    "new_address_line_1": "new_site.address_line_1",
    "new_town": "new_site.town",
    "new_postcode": "new_site.postcode",
    "offers": "offers_work_trial",
}
VACANCY_TEXT_FIELDS = (
    "job_title",
    "sector",
    "occupation",
    "description",
    "positions",
    "hours_per_week",
    "contract_type",
    "pay_amount",
    "pay_period",
    "youngest_age",
    "essential_requirements",
    "desirable_requirements",
    "how_to_apply",
)
#: The interview form's `day` is the API's `date`.
DECISION_FIELD_NAMES = {"day": "date"}


def _audit_detail(what: str) -> str:
    return f"{what} (API key “{g.api_key.name}”)"


# --- sites -----------------------------------------------------------------------------------


@bp.get("/sites")
@allow("api_key")
def list_sites():
    """The organisation's sites: a vacancy names one as its site_id.
    ---
    get:
      tags: [Sites]
      responses:
        200: {content: {application/json: {schema: SiteList}}}
    """
    organisation = vacancy_queries.organisation_for(current_user)
    return schemas.SiteListSchema().dump({"items": organisation.sites})


# --- vacancies -------------------------------------------------------------------------------


def _vacancy_json(vacancy: Vacancy, *, one: bool = True) -> dict:
    """A list leaves out the call-back's due time, which would cost a query a row."""
    data = schemas.VacancySchema(exclude=() if one else ("callback_due_at",)).dump(
        {
            **{name: getattr(vacancy, name) for name in schemas.VACANCY_ATTRIBUTES},
            "fair_shot_advice": [
                {"code": item["code"], "requirement": item["requirement"]}
                for item in vacancy.fair_shot_advice or []
            ],
            "callback_due_at": vacancy_queries.callback_due_at(vacancy) if one else None,
        }
    )
    return data


def _etag(vacancy: Vacancy) -> str:
    """Changes whenever the vacancy does (every change moves `updated_at`)."""
    version = f"{vacancy.id}:{vacancy.status}:{vacancy.updated_at.isoformat()}"
    return hashlib.sha256(version.encode()).hexdigest()[:32]


def _check_if_match(vacancy: Vacancy) -> None:
    """A change sent with `If-Match` applies only to the version the client read, so two
    systems (or a system and a person on the portal) cannot overwrite each other unseen."""
    if_match = request.if_match
    if "If-Match" in request.headers and not (
        if_match.star_tag or if_match.contains(_etag(vacancy))
    ):
        raise ApiProblem(412, "The vacancy has changed since you read it: read it again.")


def _vacancy_to_change(
    vacancy_id: uuid.UUID, statuses: Collection[VacancyStatus] | None = None, verb: str = ""
) -> Vacancy:
    """The organisation's vacancy, as the client last read it (`If-Match`), in one of
    `statuses` if given: 404, 412 or 409 otherwise."""
    vacancy = vacancy_or_404(vacancy_id)
    _check_if_match(vacancy)
    if statuses is not None and vacancy.status not in statuses:
        raise ApiProblem(409, f"A {vacancy.status.value} vacancy cannot be {verb}.")
    return vacancy


def _vacancy_response(vacancy: Vacancy, status: int = 200):
    response = jsonify(_vacancy_json(vacancy))
    response.status_code = status
    response.set_etag(_etag(vacancy))
    return response


def _vacancy_formdata(body: dict) -> MultiDict:
    data: MultiDict[str, str] = MultiDict()
    new_site = body.get("new_site")
    if new_site is not None:
        if not isinstance(new_site, dict):
            raise ApiProblem(400, "new_site must be an object.")
        data["site"] = NEW_SITE
        data["new_site_name"] = text(new_site.get("name"))
        data["new_address_line_1"] = text(new_site.get("address_line_1"))
        data["new_town"] = text(new_site.get("town"))
        data["new_postcode"] = text(new_site.get("postcode"))
    elif body.get("site_id") is not None:
        data["site"] = text(body["site_id"])
    for name in VACANCY_TEXT_FIELDS:
        if body.get(name) is not None:
            data[name] = text(body[name])
    data["work_kind"] = text(body.get("work_kind") or PAID)
    if "youngest_age" not in body:  # the form starts at 18 too
        data["youngest_age"] = "18"
    for name in ("entry_level", "involves_driving"):
        if body.get(name) is not None:
            data[name] = text(body[name])
    for part in date_parts(body.get("closing_date")):
        data.add("closing_date", part)
    for name, value in (
        ("offers_work_trial", "work_trial"),
        ("offers_guaranteed_interview", "guaranteed_interview"),
    ):
        if body.get(name):
            data.add("offers", value)
    return data


def _checked_vacancy_form(body: dict, sites, *, strict_pay: bool = False) -> VacancyForm:
    form = VacancyForm(
        formdata=_vacancy_formdata(body), meta={"csrf": False}, sites=sites, strict_pay=strict_pay
    )
    if not form.validate():
        raise refuse(form, VACANCY_FIELD_NAMES)
    return form


def _cursor_page() -> int:
    cursor = request.args.get("cursor")
    if not cursor:
        return 1
    try:
        page = json.loads(base64.urlsafe_b64decode(cursor.encode()))["page"]
    except (ValueError, KeyError, TypeError, binascii.Error):
        raise ApiProblem(400, "The cursor is not one this API gave.") from None
    if not isinstance(page, int) or not 1 <= page <= vacancy_queries.MAX_PAGE:
        raise ApiProblem(400, "The cursor is not one this API gave.")
    return page


def _cursor_for(page: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"page": page}).encode()).decode()


@bp.get("/vacancies")
@allow("api_key")
def list_vacancies():
    """List the organisation's vacancies, newest first.
    ---
    get:
      tags: [Vacancies]
      parameters:
        - {in: query, schema: VacancyQuerySchema}
      responses:
        200: {content: {application/json: {schema: VacancyPage}}}
        400: {$ref: "#/components/responses/Problem"}
    """
    statuses = []
    for value in dict.fromkeys(request.args.getlist("status")):
        if value not in {status.value for status in VacancyStatus}:
            raise ApiProblem(400, f"Unknown status {value!r}.")
        statuses.append(VacancyStatus(value))
    query = (request.args.get("q") or "")[:200]
    page = _cursor_page()
    found = vacancy_queries.find_vacancies(
        key_organisation_id(), statuses=statuses, query=query, page=page
    )
    has_next = found.has_next and page < vacancy_queries.MAX_PAGE
    return {
        "items": [_vacancy_json(vacancy, one=False) for vacancy in found.vacancies],
        "next_cursor": _cursor_for(page + 1) if has_next else None,
    }


@bp.post("/vacancies")
@allow("api_key")
@idempotent
def create_vacancy():
    """Create a vacancy as a draft, checked as the portal's vacancy form checks it.
    ---
    post:
      tags: [Vacancies]
      requestBody: {required: true, content: {application/json: {schema: VacancyIn}}}
      responses:
        201: {content: {application/json: {schema: Vacancy}}}
        400: {$ref: "#/components/responses/Problem"}
        415: {$ref: "#/components/responses/Problem"}
        422: {$ref: "#/components/responses/Problem"}
    """
    body = json_body()
    organisation = vacancy_queries.organisation_for(current_user)
    form = _checked_vacancy_form(body, organisation.sites)
    vacancy = vacancy_services.create_vacancy(organisation, current_user, form.to_details())
    db.session.commit()
    response = _vacancy_response(vacancy, 201)
    response.headers["Location"] = url_for("api.read_vacancy", vacancy_id=vacancy.id)
    return response


@bp.get("/vacancies/<uuid:vacancy_id>")
@allow("api_key")
def read_vacancy(vacancy_id: uuid.UUID):
    """Read one of the organisation's vacancies.
    ---
    get:
      tags: [Vacancies]
      responses:
        200: {content: {application/json: {schema: Vacancy}}}
        404: {$ref: "#/components/responses/Problem"}
    """
    return _vacancy_response(vacancy_or_404(vacancy_id))


@bp.patch("/vacancies/<uuid:vacancy_id>")
@allow("api_key")
def update_vacancy(vacancy_id: uuid.UUID):
    """Change a vacancy: fields left out keep their values. Once submitted, pay below the
    minimum wage is refused, as on the portal.
    ---
    patch:
      tags: [Vacancies]
      requestBody: {required: true, content: {application/json: {schema: VacancyIn}}}
      responses:
        200: {content: {application/json: {schema: Vacancy}}}
        400: {$ref: "#/components/responses/Problem"}
        404: {$ref: "#/components/responses/Problem"}
        409: {$ref: "#/components/responses/Problem"}
        412: {$ref: "#/components/responses/Problem"}
        415: {$ref: "#/components/responses/Problem"}
        422: {$ref: "#/components/responses/Problem"}
    """
    body = json_body()
    vacancy = _vacancy_to_change(vacancy_id, vacancy_services.EDITABLE_BY_EMPLOYER, "changed")
    current = _vacancy_json(vacancy)
    merged = {**current, **body}
    if "new_site" in body:
        merged.pop("site_id", None)
    form = _checked_vacancy_form(
        merged,
        vacancy.organisation.sites,
        strict_pay=vacancy.status is not VacancyStatus.DRAFT,
    )
    vacancy_services.update_vacancy(vacancy, form.to_details(), changed_by=current_user)
    db.session.commit()
    return _vacancy_response(vacancy)


@bp.post("/vacancies/<uuid:vacancy_id>/submit")
@allow("api_key")
@idempotent
def submit_vacancy(vacancy_id: uuid.UUID):
    """Submit a draft: pay and closing date are checked on the day, the fair-shot advice is
    recorded and the 48-hour call-back opens, as from the portal.
    ---
    post:
      tags: [Vacancies]
      responses:
        200: {content: {application/json: {schema: Vacancy}}}
        404: {$ref: "#/components/responses/Problem"}
        409: {$ref: "#/components/responses/Problem"}
        412: {$ref: "#/components/responses/Problem"}
        422: {$ref: "#/components/responses/Problem"}
    """
    vacancy = _vacancy_to_change(vacancy_id)
    try:
        vacancy_services.submit_vacancy(vacancy, current_user)
    except vacancy_services.SubmissionRefused as refused:
        db.session.rollback()
        raise ApiProblem(
            422,
            "The vacancy cannot be submitted: see errors.",
            [
                {"field": VACANCY_FIELD_NAMES.get(p.field, p.field), "message": str(p.message)}
                for p in refused.problems
            ],
        ) from None
    except vacancy_services.NotADraft:
        db.session.rollback()
        raise ApiProblem(409, "Only a draft can be submitted.") from None
    db.session.commit()
    return _vacancy_response(vacancy)


@bp.post("/vacancies/<uuid:vacancy_id>/close")
@allow("api_key")
@idempotent
def close_vacancy(vacancy_id: uuid.UUID):
    """Close a submitted or live vacancy as filled or withdrawn.
    ---
    post:
      tags: [Vacancies]
      requestBody: {required: true, content: {application/json: {schema: Close}}}
      responses:
        200: {content: {application/json: {schema: Vacancy}}}
        404: {$ref: "#/components/responses/Problem"}
        409: {$ref: "#/components/responses/Problem"}
        412: {$ref: "#/components/responses/Problem"}
        415: {$ref: "#/components/responses/Problem"}
        422: {$ref: "#/components/responses/Problem"}
    """
    body = json_body()
    vacancy = _vacancy_to_change(vacancy_id, vacancy_services.CLOSABLE, "closed")
    form = CloseForm(formdata=MultiDict({"reason": text(body.get("reason"))}), meta={"csrf": False})
    if not form.validate():
        raise refuse(form)
    vacancy_services.close_vacancy(vacancy, VacancyStatus(form.reason.data))
    db.session.commit()
    return _vacancy_response(vacancy)


# --- candidates ------------------------------------------------------------------------------


def _summary_fields(referral: Referral) -> dict:
    return {
        "id": referral.id,
        "name": referral.customer.name,
        "status": referral.status.value,
        "referred_at": referral.created_at,
    }


def _candidate_summary(referral: Referral) -> dict:
    return schemas.CandidateSummarySchema().dump(_summary_fields(referral))


def _candidate_json(referral: Referral) -> dict:
    customer = referral.customer
    adviser = customer.adviser
    return schemas.CandidateSchema().dump(
        {
            **_summary_fields(referral),
            "vacancy_id": referral.vacancy_id,
            "goal_sectors": list(customer.goal_sectors or []),
            "goal_occupations": customer.goal_occupations or "",
            "min_hours": customer.min_hours,
            "max_hours": customer.max_hours,
            "experience": customer.experience or "",
            "skills": customer.skills or "",
            "availability": customer.availability or "",
            "note": referral.note or "",
            "adviser": {"name": adviser.name, "email": adviser.email} if adviser else None,
            "interview_at": referral.interview_at,
            "interview_place": referral.interview_place or "",
            "work_trial_start": referral.work_trial_start,
            "work_trial_end": referral.work_trial_end,
            "not_selected_reason": (
                referral.not_selected_code.value if referral.not_selected_code else None
            ),
            "not_selected_details": referral.not_selected_reason or "",
        }
    )


def _audit_candidate(referral: Referral) -> None:
    record_access(
        referral.customer,
        current_user,
        audit_actions.VIEWED_CANDIDATE,
        _audit_detail(f"Candidate details for the vacancy {referral.vacancy.job_title}"),
        organisation_id=referral.organisation_id,
    )


@bp.get("/vacancies/<uuid:vacancy_id>/candidates")
@allow("api_key")
def list_candidates(vacancy_id: uuid.UUID):
    """The vacancy's candidates whose customers consent, oldest referral first (at most 200).
    Each person listed is on the audit trail.
    ---
    get:
      tags: [Candidates]
      parameters:
        - {in: query, schema: CandidateQuerySchema}
      responses:
        200: {content: {application/json: {schema: CandidateList}}}
        400: {$ref: "#/components/responses/Problem"}
        404: {$ref: "#/components/responses/Problem"}
    """
    vacancy = referral_queries.vacancy_for_employer(vacancy_id, key_organisation_id())
    if vacancy is None:
        raise ApiProblem(404, "No such vacancy.")
    status = request.args.get("status", "")
    if status and status not in referral_rules.STATUSES:
        raise ApiProblem(400, f"Unknown status {status!r}.")
    listed = referral_queries.candidates(vacancy, status or None)
    record_views(
        [referral.customer for referral in listed],
        current_user,
        audit_actions.VIEWED_CANDIDATE,
        _audit_detail(f"Candidates for the vacancy {vacancy.job_title}"),
        organisation_id=vacancy.organisation_id,
    )
    db.session.commit()
    return {"items": [_candidate_summary(referral) for referral in listed]}


@bp.get("/candidates/<uuid:referral_id>")
@allow("api_key")
def read_candidate(referral_id: uuid.UUID):
    """One candidate, with what the employer's candidate page shows; the look is audited.
    ---
    get:
      tags: [Candidates]
      responses:
        200: {content: {application/json: {schema: Candidate}}}
        404: {$ref: "#/components/responses/Problem"}
    """
    referral = referral_or_404(referral_id)
    body = _candidate_json(referral)
    _audit_candidate(referral)
    db.session.commit()
    return body


def _decide(referral_id: uuid.UUID, action, formdata: Callable[[], MultiDict]):
    """The candidate page's `move`, for the API: the same check, form and services. The
    referral is found first, so another organisation's id is a 404 whatever the body."""
    referral = referral_or_404(referral_id, for_update=True)
    if action not in referral_labels.ACTION_STATUS:
        raise ApiProblem(
            422,
            "The request has errors: see errors.",
            [{"field": "action", "message": "Choose one of " + ", ".join(schemas.DECISIONS)}],
        )
    try:
        referral_services.check_move(referral, referral_labels.ACTION_STATUS[action])
    except referral_services.MoveRefused as refused:
        raise ApiProblem(409, str(refused.message)) from None
    # The candidate page's forms carry a prefix each (`interview-day`).
    prefix = action.replace("_", "-")
    prefixed = MultiDict(
        [(f"{prefix}-{name}", value) for name, value in formdata().items(multi=True)]
    )
    form = action_form(action, referral, prefixed, meta={"csrf": False})
    if not form.validate():
        raise refuse(form, DECISION_FIELD_NAMES)
    try:
        outcome = apply_action(action, form, referral)
    except OutcomeRefused as refused:
        db.session.rollback()
        if getattr(form, refused.field, None) is None:
            raise ApiProblem(409, str(refused.message)) from None
        raise ApiProblem(
            422,
            "The request has errors: see errors.",
            [{"field": refused.field, "message": str(refused.message)}],
        ) from None
    db.session.commit()
    return referral_or_404(referral_id), outcome


def _decision_formdata(action: str, body: dict) -> MultiDict:
    data: MultiDict[str, str] = MultiDict()
    if action == referral_labels.INTERVIEW:
        for part in date_parts(body.get("date")):
            data.add("day", part)
        data["time"] = text(body.get("time"))
        data["place"] = text(body.get("place"))
        if body.get("guaranteed") is not None:
            data["guaranteed"] = text(body["guaranteed"])
    elif action == referral_labels.WORK_TRIAL:
        for name in ("starts_on", "ends_on"):
            for part in date_parts(body.get(name)):
                data.add(name, part)
    elif action == referral_labels.NOT_SELECTED:
        data["reason"] = text(body.get("reason"))
        data["details"] = text(body.get("details"))
    return data


@bp.post("/candidates/<uuid:referral_id>/decisions")
@allow("api_key")
@idempotent
def decide(referral_id: uuid.UUID):
    """Record a decision: shortlist, interview (the adviser is sent the iCalendar invitation),
    work_trial, offer, not_selected (with the reason), withdraw.
    ---
    post:
      tags: [Candidates]
      requestBody: {required: true, content: {application/json: {schema: Decision}}}
      responses:
        200: {content: {application/json: {schema: Candidate}}}
        400: {$ref: "#/components/responses/Problem"}
        404: {$ref: "#/components/responses/Problem"}
        409: {$ref: "#/components/responses/Problem"}
        415: {$ref: "#/components/responses/Problem"}
        422: {$ref: "#/components/responses/Problem"}
    """
    body = json_body()
    action = body.get("action")
    if action not in schemas.DECISIONS:  # a start has its own route, with its own fields
        action = None
    referral, _outcome = _decide(
        referral_id, action, lambda: _decision_formdata(action or "", body)
    )
    return _candidate_json(referral)


@bp.post("/candidates/<uuid:referral_id>/starts")
@allow("api_key")
@idempotent
def record_start(referral_id: uuid.UUID):
    """Record that the candidate has started the job: it becomes a job outcome, validated at
    once, as from the candidate page.
    ---
    post:
      tags: [Starts]
      requestBody: {required: true, content: {application/json: {schema: Start}}}
      responses:
        201: {content: {application/json: {schema: StartOut}}}
        400: {$ref: "#/components/responses/Problem"}
        404: {$ref: "#/components/responses/Problem"}
        409: {$ref: "#/components/responses/Problem"}
        415: {$ref: "#/components/responses/Problem"}
        422: {$ref: "#/components/responses/Problem"}
    """
    body = json_body()

    def formdata() -> MultiDict:
        data: MultiDict[str, str] = MultiDict()
        for part in date_parts(body.get("start_date")):
            data.add("start_date", part)
        data["hours_per_week"] = text(body.get("hours_per_week"))
        data["hourly_pay"] = text(body.get("hourly_pay"))
        return data

    referral, outcome = _decide(referral_id, referral_labels.START, formdata)
    response = jsonify(
        {
            "candidate": _candidate_json(referral),
            "job_outcome_id": str(outcome.id) if outcome is not None else None,
        }
    )
    response.status_code = 201
    return response
