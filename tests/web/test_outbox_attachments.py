"""Attachments travel through the outbox: an interview invitation reaches the adviser's
calendar as a text/calendar part."""

from sqlalchemy import select

from app.extensions import db
from app.mail.models import OutboxMessage
from app.mail.services import Claimed, build_email, queue_email
from tests.factories import UserFactory

ICS = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"


def test_an_attachment_is_stored_and_built_into_the_email(app):
    user = UserFactory()
    queue_email(
        user.email,
        "Interview",
        "reset_password",
        user=user,
        link="http://localhost/x",
        attachments=[("interview.ics", "text/calendar; method=REQUEST", ICS)],
    )
    db.session.flush()
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject == "Interview"))
    assert message.attachments == [
        {
            "filename": "interview.ics",
            "content_type": "text/calendar; method=REQUEST",
            "content": ICS,
        }
    ]
    claimed = Claimed(
        message.id,
        1,
        message.recipient,
        message.subject,
        message.text_body,
        message.html_body,
        message.attachments,
    )
    email = build_email(claimed)
    parts = [part for part in email.iter_attachments()]
    assert len(parts) == 1
    assert parts[0].get_content_type() == "text/calendar"
    assert parts[0].get_param("method") == "REQUEST"
    assert parts[0].get_filename() == "interview.ics"
    assert "METHOD:REQUEST" in parts[0].get_content()
