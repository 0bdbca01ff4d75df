"""Every status a record moves through, in one module: pure enums (no Flask, no database),
so the pure rules and the models name the same values. Models store them (`str_enum`) and
re-export them, so `from app.<area>.models import <Status>` keeps working.
"""

from __future__ import annotations

import enum

# --- vacancies -----------------------------------------------------------------------------


class VacancyStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for the 48-hour call-back
    LIVE = "live"
    FILLED = "filled"
    WITHDRAWN = "withdrawn"


# --- callbacks -----------------------------------------------------------------------------


class CallBackStatus(enum.StrEnum):
    OPEN = "open"
    CLAIMED = "claimed"
    COMPLETED = "completed"


# --- agreements ----------------------------------------------------------------------------


class AgreementStatus(enum.StrEnum):
    ACTIVE = "active"
    ENDED = "ended"


class AgreementRequestStatus(enum.StrEnum):
    OPEN = "open"
    HANDLED = "handled"


# --- referrals -----------------------------------------------------------------------------


class ReferralStatus(enum.StrEnum):
    REFERRED = "referred"
    SHORTLISTED = "shortlisted"
    INTERVIEW_ARRANGED = "interview_arranged"
    WORK_TRIAL = "work_trial"
    OFFERED = "offered"
    STARTED = "started"
    NOT_SELECTED = "not_selected"
    WITHDRAWN = "withdrawn"  # by the customer


# --- outcomes ------------------------------------------------------------------------------


class ValidationStatus(enum.StrEnum):
    VALIDATED = "validated"
    AWAITING_EMPLOYER = "awaiting_employer"  # recorded by staff, the employer to confirm
    DISPUTED = "disputed"  # the employer says it did not happen as recorded
    REJECTED = "rejected"  # a coordinator rejected it


class OutcomeSource(enum.StrEnum):
    """Where the job came from, for MI: a Jobcentre Plus LEP vacancy (or PET cohort), or a
    partnered training provider's own LEP agreement with the employer."""

    JOBCENTRE_PLUS = "jobcentre_plus"
    PROVIDER = "provider"


# --- mail ----------------------------------------------------------------------------------


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender until its lease (next_attempt_at) runs out
    SENT = "sent"
    FAILED = "failed"  # gave up: after the last retry, or refused for good


# --- pet -----------------------------------------------------------------------------------


class CourseStatus(enum.StrEnum):
    DESIGN = "design"  # being designed with the employer(s)
    AGREED = "agreed"  # delivery plan finalised
    RUNNING = "running"
    FINISHED = "finished"
    CANCELLED = "cancelled"


class CourseEmployerStatus(enum.StrEnum):
    """An employer's place on a course: a bespoke course's one employer has joined from the
    start; a sector course's employers are invited and join (or decline) themselves."""

    INVITED = "invited"
    JOINED = "joined"
    DECLINED = "declined"


class TraineeStatus(enum.StrEnum):
    REFERRED = "referred"  # REF2 sent to the PET provider
    ACCEPTED = "accepted"
    DECLINED = "declined"
    STARTED = "started"
    LEFT = "left"  # left early (SL2)
    COMPLETED = "completed"


# --- vouchers (the recruitment subsidy) -------------------------------------------------------


class VoucherStatus(enum.StrEnum):
    ISSUED = "issued"  # on the outcome; claimable from `claimable_from`
    CLAIMED = "claimed"  # the employer claimed it; waiting for the DAM or coordinator
    APPROVED = "approved"  # approved; waiting for the next payment run
    REJECTED = "rejected"  # the claim was refused, with a reason
    PAID = "paid"  # in a payment run
    CANCELLED = "cancelled"  # the start behind it was rejected before any claim


# --- partnerships --------------------------------------------------------------------------


class PartnershipStatus(enum.StrEnum):
    OFFERED = "offered"  # the TPPM offered it; the provider has not accepted yet
    ACCEPTED = "accepted"
