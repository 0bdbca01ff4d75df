"""Referring customers to a vacancy, and each step the employer records after that.

Operations add to the session; the view commits, so a step, its history entry and its email
are saved together or not at all.
"""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from flask import current_app, url_for
from flask_babel import force_locale, lazy_ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import clock
from app.accounts.services import owner_emails
from app.auth.models import User
from app.customers import labels as audit_actions
from app.customers.models import Customer, Readiness
from app.customers.rules import lep_eligible
from app.customers.services import record_access
from app.extensions import db
from app.guarantees import services as guarantees
from app.mail.services import queue_email, recipient_language
from app.models_base import utcnow
from app.outcomes.models import JobOutcome
from app.outcomes.services import record_start
from app.referrals import rules
from app.referrals.labels import NOT_SELECTED_REASONS, STATUS_LABELS
from app.referrals.models import NotSelectedReason, Referral, ReferralEvent, ReferralStatus
from app.referrals.queries import Candidate, priority_group_or_none
from app.vacancies.models import Vacancy

#: How long an interview is booked for in the calendar invitation.
INTERVIEW_LENGTH = dt.timedelta(hours=1)

# Audit actions this area writes (app.customers.models.AuditEntry).
REFERRED_AUDIT = audit_actions.REFERRED
VIEWED_CANDIDATE_AUDIT = audit_actions.VIEWED_CANDIDATE


class MoveRefused(Exception):
    """The step cannot follow the referral's current status; the message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- referring -----------------------------------------------------------------------------


def refusal(candidate: Candidate, on: dt.date) -> str | None:
    """Why this customer cannot be referred to the vacancy, or None if they can."""
    customer = candidate.customer
    name = customer.name
    if not customer.consent_given:
        return _(
            "%(name)s cannot be referred: they have not given consent to share their details "
            "with employers",
            name=name,
        )
    if candidate.already_referred:
        return _("%(name)s has already been referred to this vacancy", name=name)
    if customer.readiness is Readiness.RED:
        return _("%(name)s cannot be referred: they are not ready for LEP vacancies yet", name=name)
    group = priority_group_or_none(customer, on)
    if group is None:
        return _(
            "%(name)s cannot be referred: their priority group cannot be worked out. Check "
            "their benefit and the date their claim started",
            name=name,
        )
    if not lep_eligible(group, on, customer.under_redundancy_notice):
        return _(
            "%(name)s cannot be referred: they are not eligible for LEP vacancies "
            "(priority group %(group)s)",
            name=name,
            group=group,
        )
    return None


def refer(vacancy: Vacancy, customers: list[Customer], note: str, by: User) -> list[Referral]:
    """Refer each customer to the vacancy, and tell the employer's owners, in one email each,
    how many candidates are waiting: no names, nothing personal."""
    referrals = []
    for customer in customers:
        referral = Referral(
            id=uuid.uuid4(),
            customer=customer,
            vacancy=vacancy,
            organisation_id=vacancy.organisation_id,
            district_id=vacancy.district_id,
            office_id=by.office_id,
            referred_by=by,
            note=note,
            status=ReferralStatus.REFERRED,
            events=[],
        )
        db.session.add(referral)
        _event(referral, rules.REFERRED, by)
        guarantees.open_for_referral(referral)
        # The employer can now see the person: who shared whose details must be traceable.
        record_access(
            customer,
            by,
            REFERRED_AUDIT,
            f"Referred to {vacancy.organisation.name}: {vacancy.job_title}",
            organisation_id=vacancy.organisation_id,
        )
        referrals.append(referral)
    if referrals:
        _tell_employer(vacancy, len(referrals))
    return referrals


def _tell_employer(vacancy: Vacancy, count: int) -> None:
    review_path = url_for("referrals.review", vacancy_id=vacancy.id)
    subject = lazy_ngettext(
        "%(num)s new candidate for your vacancy", "%(num)s new candidates for your vacancy", count
    )
    for recipient in owner_emails(vacancy.organisation_id):
        queue_email(
            recipient,
            subject,
            "referral_waiting",
            count=count,
            job_title=vacancy.job_title,
            review_path=review_path,
        )


# --- the employer's steps ------------------------------------------------------------------


def _event(referral: Referral, status: str, by: User, **detail: object) -> ReferralEvent:
    event = ReferralEvent(
        id=uuid.uuid4(),
        status=ReferralStatus(status),
        at=utcnow(),
        by_id=by.id,
        by=by,
        detail=detail,
    )
    referral.events.append(event)
    return event


def _refused(current: str, to: str) -> str:
    if rules.is_final(current):
        return _(
            "This referral is closed (%(status)s), so nothing more can be recorded on it.",
            status=STATUS_LABELS[current],
        )
    if to == rules.STARTED:
        return _(
            "Arrange an interview or a work trial, or offer the job, before recording a start."
        )
    return _(
        "“%(step)s” cannot be recorded now: the candidate is at “%(status)s”.",
        step=STATUS_LABELS[to],
        status=STATUS_LABELS[current],
    )


def check_move(referral: Referral, to: str) -> None:
    current = ReferralStatus(referral.status).value
    if not rules.can_move(current, to):
        raise MoveRefused(_refused(current, to))


def _move(referral: Referral, to: str, by: User, **detail: object) -> ReferralEvent:
    check_move(referral, to)
    referral.status = ReferralStatus(to)
    return _event(referral, to, by, **detail)


def shortlist(referral: Referral, by: User) -> None:
    _move(referral, rules.SHORTLISTED, by)


def offer(referral: Referral, by: User) -> None:
    _move(referral, rules.OFFERED, by)


def withdrawn(referral: Referral, by: User) -> None:
    """The customer withdrew (told to the employer, or to Jobcentre Plus); an interview still
    to come is cancelled in both sides' calendars."""
    check_move(referral, rules.WITHDRAWN)
    cancel_interview(referral, by)
    _move(referral, rules.WITHDRAWN, by)


def not_selected(referral: Referral, reason: NotSelectedReason, details: str, by: User) -> None:
    """Record why the employer did not select the candidate, and tell the candidate's
    adviser (who uses it to help them next time)."""
    reason = NotSelectedReason(reason)
    check_move(referral, rules.NOT_SELECTED)
    cancel_interview(referral, by)
    _move(referral, rules.NOT_SELECTED, by, reason=reason.value, details=details)
    referral.not_selected_code = reason
    referral.not_selected_reason = details
    referral.not_selected_at = utcnow()
    vacancy, customer = referral.vacancy, referral.customer
    queue_email(
        interview_recipient(referral),
        _l("Not selected: %(name)s, %(job)s", name=customer.name, job=vacancy.job_title),
        "referral_not_selected",
        customer=customer,
        job_title=vacancy.job_title,
        employer=vacancy.organisation.name,
        reason=NOT_SELECTED_REASONS[reason.value],
        details=details,
        decided_by=by,
        customer_path=_customer_path(customer),
    )


def record_work_trial(referral: Referral, starts_on: dt.date, ends_on: dt.date, by: User) -> None:
    _move(
        referral,
        rules.WORK_TRIAL,
        by,
        starts_on=starts_on.isoformat(),
        ends_on=ends_on.isoformat(),
    )
    referral.work_trial_start, referral.work_trial_end = starts_on, ends_on


def interview_recipient(referral: Referral) -> str:
    """The customer's adviser passes the invitation on; without one, whoever referred them."""
    adviser = referral.customer.adviser
    if adviser is not None and adviser.active:
        return adviser.email
    return referral.referred_by.email


def _interview_events(referral: Referral) -> list[ReferralEvent]:
    return [e for e in referral.events if e.status == ReferralStatus.INTERVIEW_ARRANGED]


#: The key in a referral event's detail that marks it as an interview's cancellation (its
#: status is the one the referral went back to).
INTERVIEW_CANCELLED = "interview_cancelled"


def is_interview_cancellation(event: ReferralEvent) -> bool:
    return bool((event.detail or {}).get(INTERVIEW_CANCELLED))


def _calendar_sequence(referral: Referral) -> int:
    """The SEQUENCE for the next calendar message about the referral's interview: above
    every invitation, update and cancellation sent before, all of one UID."""
    return sum(
        1
        for event in referral.events
        if event.status == ReferralStatus.INTERVIEW_ARRANGED or is_interview_cancellation(event)
    )


def _interview_ics(
    referral: Referral, organiser: User, sequence: int, stamp: dt.datetime, *, cancel=False
) -> str:
    vacancy, customer = referral.vacancy, referral.customer
    if referral.interview_at is None:
        raise ValueError("an invitation needs the interview's time")
    return rules.interview_calendar(
        uid=f"interview-{referral.id}@lep-portal",
        start=referral.interview_at,
        end=referral.interview_at + INTERVIEW_LENGTH,
        summary=_(
            "Interview: %(job)s at %(employer)s, %(name)s",
            job=vacancy.job_title,
            employer=vacancy.organisation.name,
            name=customer.name,
        ),
        location=referral.interview_place,
        organiser_email=organiser.email,
        attendee_email=interview_recipient(referral),
        sequence=sequence,
        description=_("Guaranteed interview") if referral.guaranteed_interview else "",
        stamp=stamp,
        cancel=cancel,
    )


def _customer_path(customer: Customer) -> str | None:
    if "customers.show" in current_app.view_functions:
        return url_for("customers.show", customer_id=customer.id)
    return None


def arrange_interview(
    referral: Referral, *, at: dt.datetime, place: str, guaranteed: bool, by: User
) -> str:
    """Record the interview and email an invitation with an iCalendar attachment to both
    sides: the customer's adviser (who passes it on) and the employer who arranged it.
    Rearranging sends an update of the same calendar event (same UID, higher SEQUENCE).
    Returns the .ics text."""
    sequence = _calendar_sequence(referral)
    # A second arrangement of the same interview; after a cancellation it is a new one.
    rearranged = referral.status is ReferralStatus.INTERVIEW_ARRANGED
    _move(
        referral,
        rules.INTERVIEW_ARRANGED,
        by,
        at=at.isoformat(),
        place=place,
        guaranteed=guaranteed,
    )
    referral.interview_at = at
    referral.interview_place = place
    referral.guaranteed_interview = guaranteed
    guarantees.referral_interviewed(referral, by)

    vacancy, customer = referral.vacancy, referral.customer
    context = {
        "customer": customer,
        "job_title": vacancy.job_title,
        "employer": vacancy.organisation.name,
        "arranged_by": by,
        "at": at,
        "place": place,
        "guaranteed": guaranteed,
        "rearranged": rearranged,
    }
    sides = [
        (interview_recipient(referral), "referral_interview", _customer_path(customer)),
        (by.email, "referral_interview_employer", None),
    ]
    invitations = []
    stamp = clock.now()  # one invitation: both sides' copies bear the same DTSTAMP
    for recipient, template, customer_path in sides:
        language = recipient_language(recipient)
        with force_locale(language):  # each side reads the invitation in its own language
            ics = _interview_ics(referral, by, sequence, stamp)
            subject = (
                _(
                    "Interview rearranged: %(name)s, %(job)s",
                    name=customer.name,
                    job=vacancy.job_title,
                )
                if rearranged
                else _(
                    "Interview arranged: %(name)s, %(job)s",
                    name=customer.name,
                    job=vacancy.job_title,
                )
            )
        queue_email(
            recipient,
            subject,
            template,
            language=language,
            customer_path=customer_path,
            attachments=[("interview.ics", "text/calendar; method=REQUEST", ics)],
            **context,
        )
        invitations.append(ics)
    return invitations[0]


def interview_to_come(referral: Referral, now: dt.datetime | None = None) -> bool:
    """Whether the referral has an arranged interview whose time has not come yet: the
    only kind that can be cancelled (one that has happened is decided on instead)."""
    now = now or utcnow()
    return (
        referral.status is ReferralStatus.INTERVIEW_ARRANGED
        and referral.interview_at is not None
        and referral.interview_at > now
    )


def cancel_interview(
    referral: Referral, by: User, now: dt.datetime | None = None, *, reason: str = ""
) -> str | None:
    """If the referral has an interview still to come, email both sides a cancellation of
    the calendar event (METHOD:CANCEL, same UID, a SEQUENCE above every invitation sent).
    Call before the referral leaves INTERVIEW_ARRANGED. Returns the .ics text, or None."""
    events = _interview_events(referral)
    if not interview_to_come(referral, now) or not events:
        return None
    arranged_by = events[-1].by
    vacancy, customer = referral.vacancy, referral.customer
    context = {
        "customer": customer,
        "job_title": vacancy.job_title,
        "employer": vacancy.organisation.name,
        "cancelled_by": by,
        "at": referral.interview_at,
        "place": referral.interview_place,
        "reason": reason,
    }
    recipients = [interview_recipient(referral)]
    if arranged_by.email not in recipients:
        recipients.append(arranged_by.email)
    if by.email not in recipients and not by.is_staff:
        recipients.append(by.email)
    sequence = _calendar_sequence(referral)
    cancellations = []
    stamp = clock.now()
    for recipient in recipients:
        language = recipient_language(recipient)
        with force_locale(language):
            ics = _interview_ics(referral, arranged_by, sequence, stamp, cancel=True)
            subject = _(
                "Interview cancelled: %(name)s, %(job)s", name=customer.name, job=vacancy.job_title
            )
        queue_email(
            recipient,
            subject,
            "referral_interview_cancelled",
            language=language,
            attachments=[("interview.ics", "text/calendar; method=CANCEL", ics)],
            **context,
        )
        cancellations.append(ics)
    return cancellations[0]


def cancel_arranged_interview(referral: Referral, reason: str, by: User) -> str:
    """Cancel the interview still to come, for a reason, without deciding on the candidate:
    both sides get the METHOD:CANCEL, the history records who cancelled it, when and why,
    and the referral goes back to the step before the interview (another can be arranged).
    Raises MoveRefused, before changing anything, if there is no interview to cancel."""
    if referral.status is not ReferralStatus.INTERVIEW_ARRANGED:
        raise MoveRefused(_("There is no interview arranged to cancel."))
    if not interview_to_come(referral):
        raise MoveRefused(
            _(
                "The time of this interview has passed, so it cannot be cancelled: record "
                "what was decided instead."
            )
        )
    back_to = rules.status_before_interview(event.status.value for event in referral.events)
    at, place = referral.interview_at, referral.interview_place
    ics = cancel_interview(referral, by, reason=reason)
    if ics is None:  # an interview recorded with no arrangement in its history
        raise MoveRefused(_("There is no interview arranged to cancel."))
    referral.status = ReferralStatus(back_to)
    _event(
        referral,
        back_to,
        by,
        **{INTERVIEW_CANCELLED: True},
        reason=reason,
        at=at.isoformat() if at else None,
        place=place,
    )
    # Not held, so never counted as an interview (models.interview_held).
    referral.interview_at = None
    referral.interview_place = ""
    referral.guaranteed_interview = False
    guarantees.referral_interview_cancelled(referral)
    return ics


def record_job_start(
    referral: Referral,
    *,
    start_date: dt.date,
    hours_per_week: Decimal,
    hourly_pay: Decimal,
    by: User,
) -> JobOutcome:
    """The start becomes a job outcome. `OutcomeRefused` (pay below the minimum wage, too
    young...) is raised before anything is added, so the referral stays as it was."""
    check_move(referral, rules.STARTED)
    outcome = record_start(
        referral,
        start_date=start_date,
        hours_per_week=hours_per_week,
        hourly_pay=hourly_pay,
        recorded_by=by,
    )
    if referral.status is not ReferralStatus.STARTED:  # the outcome service may mark it itself
        _move(
            referral,
            rules.STARTED,
            by,
            start_date=start_date.isoformat(),
            hours_per_week=str(hours_per_week),
            hourly_pay=str(hourly_pay),
        )
    return outcome


def rate(referral: Referral, suitability: int, reason: str, by: User) -> None:
    """The employer's view of how suitable the referral was; a new rating replaces the last."""
    referral.suitability = suitability
    referral.suitability_reason = reason
    referral.rated_at = utcnow()
    referral.rated_by_id = by.id


def record_viewed(referral: Referral, by: User) -> None:
    record_access(
        referral.customer,
        by,
        VIEWED_CANDIDATE_AUDIT,
        f"Candidate details for the vacancy {referral.vacancy.job_title}",
        organisation_id=referral.organisation_id,
    )
