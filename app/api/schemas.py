"""The API's JSON, as marshmallow schemas: they serialise the responses and, through apispec,
describe requests and responses in the OpenAPI document. Validation of what a client sends is
the portal's own forms' (`app.api.forms_bridge`), so the API and the pages never disagree."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.referrals import labels as referral_labels
from app.referrals import rules as referral_rules
from app.vacancies.models import ContractType, PayPeriod, VacancyStatus

DECISIONS = [action for action in referral_labels.ACTION_STATUS if action != referral_labels.START]


class ProblemSchema(Schema):
    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String()
    errors = fields.List(
        fields.Dict(keys=fields.String(), values=fields.String()),
        metadata={"description": "One entry per field: `field` and the form's `message`."},
    )


class SiteSchema(Schema):
    id = fields.UUID()
    name = fields.String()
    address_line_1 = fields.String()
    town = fields.String()
    postcode = fields.String()


class SiteListSchema(Schema):
    items = fields.List(fields.Nested(SiteSchema))


class NewSiteSchema(Schema):
    name = fields.String(load_default="")
    address_line_1 = fields.String(required=True)
    town = fields.String(required=True)
    postcode = fields.String(required=True)


class VacancyInSchema(Schema):
    """A vacancy as the portal's form takes it. On update, fields left out keep their value."""

    site_id = fields.UUID(metadata={"description": "One of the organisation's sites"})
    new_site = fields.Nested(NewSiteSchema, metadata={"description": "Instead of site_id"})
    job_title = fields.String(required=True)
    sector = fields.String(required=True)
    occupation = fields.String()
    description = fields.String(required=True)
    positions = fields.Integer(required=True)
    hours_per_week = fields.Decimal(required=True, as_string=True)
    contract_type = fields.String(
        required=True, validate=validate.OneOf([c.value for c in ContractType])
    )
    work_kind = fields.String(
        validate=validate.OneOf(["paid", "voluntary", "self_employed"]),
        metadata={"description": "Only paid employment is accepted; default paid"},
    )
    pay_amount = fields.Decimal(required=True, as_string=True)
    pay_period = fields.String(required=True, validate=validate.OneOf([p.value for p in PayPeriod]))
    youngest_age = fields.Integer(metadata={"description": "Default 18, as on the form"})
    closing_date = fields.Date(required=True)
    essential_requirements = fields.String()
    desirable_requirements = fields.String()
    how_to_apply = fields.String(required=True)
    entry_level = fields.Boolean(required=True)
    involves_driving = fields.Boolean(required=True)
    offers_work_trial = fields.Boolean()
    offers_guaranteed_interview = fields.Boolean()


class AdviceSchema(Schema):
    code = fields.String()
    requirement = fields.String()


class VacancySchema(Schema):
    id = fields.UUID()
    status = fields.String(validate=validate.OneOf([s.value for s in VacancyStatus]))
    site_id = fields.UUID()
    job_title = fields.String()
    sector = fields.String()
    occupation = fields.String()
    description = fields.String()
    positions = fields.Integer()
    hours_per_week = fields.Decimal(as_string=True)
    contract_type = fields.String()
    pay_amount = fields.Decimal(as_string=True)
    pay_period = fields.String()
    hourly_pay = fields.Decimal(as_string=True)
    youngest_age = fields.Integer()
    closing_date = fields.Date(allow_none=True)
    essential_requirements = fields.String()
    desirable_requirements = fields.String()
    how_to_apply = fields.String()
    entry_level = fields.Boolean()
    involves_driving = fields.Boolean()
    offers_work_trial = fields.Boolean()
    offers_guaranteed_interview = fields.Boolean()
    fair_shot_advice = fields.List(fields.Nested(AdviceSchema))
    created_at = fields.AwareDateTime()
    submitted_at = fields.AwareDateTime(allow_none=True)
    live_at = fields.AwareDateTime(allow_none=True)
    closed_at = fields.AwareDateTime(allow_none=True)
    callback_due_at = fields.AwareDateTime(
        allow_none=True, metadata={"description": "When the 48-hour call-back is due"}
    )


VACANCY_ATTRIBUTES = [
    name
    for name in VacancySchema._declared_fields
    if name not in ("fair_shot_advice", "callback_due_at")
]


class VacancyQuerySchema(Schema):
    status = fields.List(
        fields.String(validate=validate.OneOf([s.value for s in VacancyStatus])),
        metadata={"description": "Only vacancies at these statuses (repeat the parameter)"},
    )
    q = fields.String(
        validate=validate.Length(max=200), metadata={"description": "Words in the job title"}
    )
    cursor = fields.String(metadata={"description": "next_cursor of the page before"})


class CandidateQuerySchema(Schema):
    status = fields.String(
        validate=validate.OneOf(list(referral_rules.STATUSES)),
        metadata={"description": "Only candidates at this status"},
    )


class VacancyPageSchema(Schema):
    items = fields.List(fields.Nested(VacancySchema))
    next_cursor = fields.String(allow_none=True)


class CloseSchema(Schema):
    reason = fields.String(
        required=True, validate=validate.OneOf([VacancyStatus.FILLED, VacancyStatus.WITHDRAWN])
    )


class CandidateSummarySchema(Schema):
    id = fields.UUID()
    name = fields.String()
    status = fields.String(validate=validate.OneOf(list(referral_rules.STATUSES)))
    referred_at = fields.AwareDateTime()


class CandidateListSchema(Schema):
    items = fields.List(fields.Nested(CandidateSummarySchema))


class AdviserSchema(Schema):
    name = fields.String()
    email = fields.String()


class CandidateSchema(CandidateSummarySchema):
    """What the employer's candidate page shows, and no more."""

    vacancy_id = fields.UUID()
    goal_sectors = fields.List(fields.String())
    goal_occupations = fields.String()
    min_hours = fields.Integer(allow_none=True)
    max_hours = fields.Integer(allow_none=True)
    experience = fields.String()
    skills = fields.String()
    availability = fields.String()
    note = fields.String(metadata={"description": "The referring adviser's note"})
    adviser = fields.Nested(AdviserSchema, allow_none=True)
    interview_at = fields.AwareDateTime(allow_none=True)
    interview_place = fields.String()
    work_trial_start = fields.Date(allow_none=True)
    work_trial_end = fields.Date(allow_none=True)
    not_selected_reason = fields.String(
        allow_none=True,
        metadata={"description": "why they were not selected: a code from the list"},
    )
    not_selected_details = fields.String(metadata={"description": "the employer's own words"})


class DecisionSchema(Schema):
    """A decision on a candidate; the fields the chosen action needs, as on the candidate page."""

    action = fields.String(required=True, validate=validate.OneOf(DECISIONS))
    date = fields.Date(metadata={"description": "interview: the day"})
    time = fields.String(metadata={"description": "interview: like 14:30 or 2:30pm, UK time"})
    place = fields.String(metadata={"description": "interview: where"})
    guaranteed = fields.Boolean(metadata={"description": "interview: a guaranteed interview"})
    starts_on = fields.Date(metadata={"description": "work_trial: first day"})
    ends_on = fields.Date(metadata={"description": "work_trial: last day"})
    reason = fields.String(
        validate=validate.OneOf(list(referral_labels.NOT_SELECTED_REASONS)),
        metadata={"description": "not_selected: why, from the list the candidate page offers"},
    )
    details = fields.String(
        metadata={"description": "not_selected: more for their adviser; needed with `other`"}
    )


class StartSchema(Schema):
    start_date = fields.Date(required=True)
    hours_per_week = fields.Decimal(required=True, as_string=True)
    hourly_pay = fields.Decimal(required=True, as_string=True)


class StartOutSchema(Schema):
    candidate = fields.Nested(CandidateSchema)
    job_outcome_id = fields.UUID()
