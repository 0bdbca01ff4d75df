import datetime as dt

from sqlalchemy import select

from app.agreements.models import AgreementStatus, Channel, Measure
from app.agreements.services import (
    AgreementTerms,
    MeasureTerms,
    active_agreement,
    amend_agreement,
    record_agreement,
)
from app.extensions import db
from app.mail.models import OutboxMessage
from tests.factories import StaffFactory, employer_user


def _terms(*measures: MeasureTerms) -> AgreementTerms:
    return AgreementTerms(
        agreed_on=dt.date(2026, 11, 2), channel=Channel.PHONE, measures=list(measures)
    )


def test_new_agreement_emails_the_owner_a_written_confirmation(app):
    owner = employer_user()
    lmra = StaffFactory()
    record_agreement(owner.organisation, _terms(MeasureTerms(Measure.WORK_TRIALS, places=3)), lmra)
    message = db.session.scalar(
        select(OutboxMessage).where(OutboxMessage.kind == "agreement_confirmation")
    )
    assert message.recipient == owner.email
    assert "Work trials: 3" in message.text_body
    assert lmra.name in message.text_body


def test_amending_keeps_every_version_and_a_new_agreement_ends_the_old(app):
    owner = employer_user()
    lmra = StaffFactory()
    first = record_agreement(owner.organisation, _terms(MeasureTerms(Measure.OPEN_DAYS)), lmra)
    agreement = first.agreement
    amend_agreement(agreement, _terms(MeasureTerms(Measure.WORK_TRIALS, places=2)), lmra)
    assert [v.number for v in agreement.versions] == [1, 2]
    replacement = record_agreement(
        owner.organisation, _terms(MeasureTerms(Measure.MENTORING, places=1)), lmra
    )
    assert agreement.status is AgreementStatus.ENDED
    assert active_agreement(owner.organisation.id).id == replacement.agreement.id
