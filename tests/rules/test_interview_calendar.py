"""The interview invitation: an RFC 5545 calendar, and times typed as people type them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from app import clock
from app.referrals.rules import (
    fold,
    ical_text,
    interview_calendar,
    parse_time_of_day,
    status_before_interview,
)

LONDON = ZoneInfo("Europe/London")
START = dt.datetime(2026, 7, 14, 10, 30, tzinfo=LONDON)  # British Summer Time: 09:30 UTC
STAMP = dt.datetime(2026, 7, 1, 8, 0, 5, tzinfo=dt.UTC)


def invitation(**overrides) -> str:
    values = {
        "uid": "interview-123@lep-portal",
        "start": START,
        "end": START + dt.timedelta(hours=1),
        "summary": "Interview: Warehouse operative at Acme Ltd",
        "location": "Unit 4, Thorpe Park, Leeds LS15 8ZB",
        "organiser_email": "hiring@acme.example",
        "attendee_email": "ada.adviser@jobcentre.example",
        "stamp": STAMP,
    }
    values.update(overrides)
    return interview_calendar(**values)


def unfolded(text: str) -> list[str]:
    """The content lines, with folding undone (RFC 5545 3.1)."""
    return text.replace("\r\n ", "").split("\r\n")[:-1]


def property_value(text: str, name: str) -> str:
    for line in unfolded(text):
        key, _, value = line.partition(":")
        if key.split(";")[0] == name:
            return value
    raise AssertionError(f"no {name} in the calendar")


def test_a_request_for_one_event():
    text = invitation()
    lines = unfolded(text)
    assert lines[0] == "BEGIN:VCALENDAR"
    assert lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert "METHOD:REQUEST" in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == 1 and lines.count("END:VEVENT") == 1
    assert property_value(text, "UID") == "interview-123@lep-portal"
    assert property_value(text, "SEQUENCE") == "0"
    assert property_value(text, "ORGANIZER") == "mailto:hiring@acme.example"
    assert property_value(text, "ATTENDEE") == "mailto:ada.adviser@jobcentre.example"


def test_every_line_ends_in_crlf_and_nothing_else():
    text = invitation()
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    assert "\r" not in text.replace("\r\n", "")


def test_times_are_utc():
    text = invitation()
    assert property_value(text, "DTSTART") == "20260714T093000Z"
    assert property_value(text, "DTEND") == "20260714T103000Z"
    assert property_value(text, "DTSTAMP") == "20260701T080005Z"


def test_winter_times_are_utc_too():
    winter = dt.datetime(2026, 1, 14, 10, 30, tzinfo=LONDON)
    text = invitation(start=winter, end=winter + dt.timedelta(minutes=45))
    assert property_value(text, "DTSTART") == "20260114T103000Z"
    assert property_value(text, "DTEND") == "20260114T111500Z"


def test_the_stamp_defaults_to_now():
    with clock.freeze(dt.datetime(2026, 12, 4, 19, 5, 30, tzinfo=dt.UTC)):
        text = invitation(stamp=None)
    assert property_value(text, "DTSTAMP") == "20261204T190530Z"


def test_text_is_escaped():
    text = invitation(
        summary="Interview; bring ID, CV\\notes",
        location="Unit 4, Thorpe Park\nLeeds",
    )
    assert property_value(text, "SUMMARY") == "Interview\\; bring ID\\, CV\\\\notes"
    assert property_value(text, "LOCATION") == "Unit 4\\, Thorpe Park\\nLeeds"


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("plain", "plain"),
        ("a,b", "a\\,b"),
        ("a;b", "a\\;b"),
        ("a\\b", "a\\\\b"),
        ("a\r\nb", "a\\nb"),
        ("a\nb", "a\\nb"),
        ("time: 10:30", "time: 10:30"),  # colons need no escape in a value
    ],
)
def test_ical_text(raw, escaped):
    assert ical_text(raw) == escaped


def test_long_lines_are_folded_at_75_octets():
    place = "The big blue warehouse at the end of the industrial estate, " * 4
    text = invitation(location=place.strip())
    for line in text.split("\r\n")[:-1]:
        assert len(line.encode("utf-8")) <= 75, line
    assert property_value(text, "LOCATION") == ical_text(place.strip())
    assert "\r\n " in text


def test_folding_never_splits_a_character():
    line = "SUMMARY:" + "Café – ünïcödé ✓ " * 12
    folded = fold(line)
    pieces = folded.split("\r\n")
    for piece in pieces:
        assert len(piece.encode("utf-8")) <= 75
        piece.encode("utf-8").decode("utf-8")  # each piece is whole characters
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert folded.replace("\r\n ", "") == line


def test_a_short_line_is_not_folded():
    assert fold("SUMMARY:short") == "SUMMARY:short"
    exactly = "X" * 75
    assert fold(exactly) == exactly
    assert fold(exactly + "Y") == exactly + "\r\n Y"


def test_rearranging_raises_the_sequence():
    assert property_value(invitation(sequence=2), "SEQUENCE") == "2"


def test_a_description_when_given():
    assert property_value(invitation(description="Guaranteed interview"), "DESCRIPTION") == (
        "Guaranteed interview"
    )
    assert "DESCRIPTION" not in invitation()


@pytest.mark.parametrize(
    "overrides",
    [
        {"start": dt.datetime(2026, 7, 14, 10, 30)},  # naive
        {"end": START},  # ends as it starts
        {"end": START - dt.timedelta(minutes=1)},
        {"uid": "a\r\nATTENDEE:mailto:x@example.com"},  # a line break would inject a property
        {"attendee_email": "x@example.com\nORGANIZER:mailto:y@example.com"},
        {"organiser_email": ""},
        {"sequence": -1},
    ],
)
def test_bad_input_is_refused(overrides):
    with pytest.raises(ValueError):
        invitation(**overrides)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2:30pm", dt.time(14, 30)),
        ("2.30 pm", dt.time(14, 30)),
        ("2pm", dt.time(14)),
        ("10am", dt.time(10)),
        ("9.15am", dt.time(9, 15)),
        ("9:15 a.m.", dt.time(9, 15)),
        ("12am", dt.time(0)),
        ("12pm", dt.time(12)),
        ("14:30", dt.time(14, 30)),
        ("09:05", dt.time(9, 5)),
        ("0:00", dt.time(0)),
        ("midday", dt.time(12)),
        ("Noon", dt.time(12)),
        ("  2:30PM ", dt.time(14, 30)),
    ],
)
def test_times_as_people_type_them(text, expected):
    assert parse_time_of_day(text) == expected


@pytest.mark.parametrize(
    "text", ["", None, "9", "14", "25:00", "13pm", "0am", "2:60pm", "half two", "2:3pm", "10:30xm"]
)
def test_what_is_not_a_time(text):
    assert parse_time_of_day(text) is None


def test_a_cancellation_names_the_same_event_with_method_cancel():
    start = dt.datetime(2026, 12, 11, 14, 30, tzinfo=dt.UTC)
    args = dict(
        uid="interview-1@lep-portal",
        start=start,
        end=start + dt.timedelta(hours=1),
        summary="Interview",
        location="Leeds",
        organiser_email="employer@example.org",
        attendee_email="adviser@jcp.example",
        sequence=2,
    )
    request, cancel = interview_calendar(**args), interview_calendar(**args, cancel=True)
    assert "METHOD:REQUEST\r\n" in request and "STATUS:CONFIRMED\r\n" in request
    assert "METHOD:CANCEL\r\n" in cancel and "STATUS:CANCELLED\r\n" in cancel
    assert "METHOD:REQUEST" not in cancel
    for ics in (request, cancel):
        assert "UID:interview-1@lep-portal\r\n" in ics and "SEQUENCE:2\r\n" in ics


# --- where a cancelled interview leaves the referral ------------------------------------------


@pytest.mark.parametrize(
    ("history", "back_to"),
    [
        (["referred", "interview_arranged"], "referred"),
        (["referred", "shortlisted", "interview_arranged", "interview_arranged"], "shortlisted"),
        (["referred", "work_trial", "interview_arranged"], "work_trial"),
        # Cancelled once (back to shortlisted), arranged again, cancelled again.
        (
            ["referred", "shortlisted", "interview_arranged", "shortlisted", "interview_arranged"],
            "shortlisted",
        ),
    ],
)
def test_a_cancelled_interview_goes_back_to_the_step_before(history, back_to):
    assert status_before_interview(history) == back_to


@pytest.mark.parametrize(
    "history", [[], ["interview_arranged"], ["referred", "withdrawn"], ["referred", "typo"]]
)
def test_a_history_with_no_step_to_go_back_to_is_refused(history):
    with pytest.raises(ValueError):
        status_before_interview(history)
