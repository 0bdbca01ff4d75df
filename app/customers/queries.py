"""What a customer's page shows beside the record itself: where they were referred and the
jobs they started, newest first, bounded, each with what its row shows loaded."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.outcomes.models import JobOutcome
from app.referrals.models import Referral
from app.vacancies.models import Vacancy

#: The most of each the page lists; the totals say when there are more.
RECENT = 20


def recent_referrals(customer_id: uuid.UUID) -> list[Referral]:
    return list(
        db.session.scalars(
            select(Referral)
            .where(Referral.customer_id == customer_id)
            .options(joinedload(Referral.vacancy).joinedload(Vacancy.organisation))
            .order_by(Referral.created_at.desc(), Referral.id)
            .limit(RECENT)
        )
    )


def recent_outcomes(customer_id: uuid.UUID) -> list[JobOutcome]:
    return list(
        db.session.scalars(
            select(JobOutcome)
            .where(JobOutcome.customer_id == customer_id)
            .options(joinedload(JobOutcome.organisation), joinedload(JobOutcome.vacancy))
            .order_by(JobOutcome.start_date.desc(), JobOutcome.id)
            .limit(RECENT)
        )
    )
