"""Referral rules: which step may follow which, how well a customer fits a vacancy, how far
apart two postcodes are, and the calendar invitation for an interview.

Pure functions of plain values: no database, no request. Reasons are lazy strings, so the
page shows them in the reader's language.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from app import clock
from app.accounts.sectors import SECTORS
from app.referrals.postcode_areas import CENTROIDS
from app.statuses import ReferralStatus

# ---------------------------------------------------------------------------------------------
# The steps of a referral
# ---------------------------------------------------------------------------------------------

# The statuses are ReferralStatus (app/statuses.py), the enum the model stores: a StrEnum, so
# each equals its value and the rules take plain strings too.
REFERRED: Final = ReferralStatus.REFERRED
SHORTLISTED: Final = ReferralStatus.SHORTLISTED
INTERVIEW_ARRANGED: Final = ReferralStatus.INTERVIEW_ARRANGED
WORK_TRIAL: Final = ReferralStatus.WORK_TRIAL
OFFERED: Final = ReferralStatus.OFFERED
STARTED: Final = ReferralStatus.STARTED
NOT_SELECTED: Final = ReferralStatus.NOT_SELECTED
WITHDRAWN: Final = ReferralStatus.WITHDRAWN  # by the customer

#: In the order a referral moves through them.
STATUSES: Final[tuple[str, ...]] = tuple(ReferralStatus)

_ENDINGS = frozenset({NOT_SELECTED, WITHDRAWN})

#: Which status may follow which. An interview and a work trial come in either order (a
#: guaranteed interview then a trial, or a trial then an interview), and either may be
#: rearranged. A start needs the person to have been met (an interview or a trial) or
#: offered the job: the start is a job outcome, so it is never the first thing recorded.
#: Started, not selected and withdrawn are final.
TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    REFERRED: frozenset({SHORTLISTED, INTERVIEW_ARRANGED, WORK_TRIAL, OFFERED} | _ENDINGS),
    SHORTLISTED: frozenset({INTERVIEW_ARRANGED, WORK_TRIAL, OFFERED} | _ENDINGS),
    INTERVIEW_ARRANGED: frozenset({INTERVIEW_ARRANGED, WORK_TRIAL, OFFERED, STARTED} | _ENDINGS),
    WORK_TRIAL: frozenset({INTERVIEW_ARRANGED, WORK_TRIAL, OFFERED, STARTED} | _ENDINGS),
    OFFERED: frozenset({STARTED} | _ENDINGS),
    STARTED: frozenset(),
    NOT_SELECTED: frozenset(),
    WITHDRAWN: frozenset(),
}

FINAL_STATUSES: Final = frozenset(status for status, after in TRANSITIONS.items() if not after)

#: Still with the employer: a decision or a start is to come.
OPEN_STATUSES: Final = tuple(status for status in STATUSES if status not in FINAL_STATUSES)


def can_move(current: str, to: str) -> bool:
    """Whether a referral at `current` may move to `to`. Raises ValueError for an unknown
    status, so a typo never quietly refuses (or allows) a step."""
    for status in (current, to):
        if status not in TRANSITIONS:
            raise ValueError(f"unknown referral status {status!r}")
    return to in TRANSITIONS[current]


def status_before_interview(history: Iterable[str]) -> str:
    """The status a referral returns to when its interview is cancelled: the last step of
    its `history` (statuses, oldest first) that was not arranging or rearranging the
    interview. Raises ValueError for a history without one (every referral starts referred)."""
    before = [status for status in history if status != INTERVIEW_ARRANGED]
    for status in before:
        if status not in TRANSITIONS:
            raise ValueError(f"unknown referral status {status!r}")
    if not before:
        raise ValueError("a referral's history starts with its referral")
    if before[-1] in FINAL_STATUSES:
        raise ValueError(f"a closed referral ({before[-1]}) has no interview to cancel")
    return before[-1]


def is_final(status: str) -> bool:
    if status not in TRANSITIONS:
        raise ValueError(f"unknown referral status {status!r}")
    return status in FINAL_STATUSES


# ---------------------------------------------------------------------------------------------
# Postcodes and distance
# ---------------------------------------------------------------------------------------------

#: Two postcodes in the same area (but not the same district) are counted as this far apart:
#: a postcode area spans a town and its surroundings.
NEARBY_MILES: Final = 5

EARTH_RADIUS_MILES: Final = 3958.8

# Area letters, district (a digit and perhaps a digit or letter), then perhaps the inward code.
_POSTCODE = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?)([0-9][A-Z]{2})?$")

SAME_DISTRICT: Final = "same_district"
SAME_AREA: Final = "same_area"
BETWEEN_AREAS: Final = "between_areas"


def outward_code(postcode: str | None) -> str | None:
    """`LS9` for `ls9 8ab`, `EC1A` for `EC1A1BB`; None when it does not look like a postcode."""
    match = _POSTCODE.match("".join((postcode or "").split()).upper())
    if match is None:
        return None
    return match[1] + match[2]


def postcode_area(postcode: str | None) -> str | None:
    """`LS` for `LS9 8AB`; None when not a postcode of a Great Britain area."""
    match = _POSTCODE.match("".join((postcode or "").split()).upper())
    if match is None or match[1] not in CENTROIDS:
        return None
    return match[1]


def great_circle_miles(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The haversine distance between two (latitude, longitude) points, in miles."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_MILES * math.asin(math.sqrt(h))


@dataclass(frozen=True)
class Distance:
    miles: float
    basis: str  # SAME_DISTRICT, SAME_AREA or BETWEEN_AREAS
    place: str  # the shared outward code or area, or the two areas ("LS to BD")


def travel_distance(home: str | None, work: str | None) -> Distance | None:
    """Roughly how far `home` is from `work`, from their postcodes alone.

    The same outward code (district) is 0 miles; the same area is `NEARBY_MILES`; different
    areas are the great-circle distance between the areas' approximate centres
    (`postcode_areas`). None when either is not a Great Britain postcode.
    """
    home_area, work_area = postcode_area(home), postcode_area(work)
    if home_area is None or work_area is None:
        return None
    home_district = outward_code(home)
    if home_district == outward_code(work):
        return Distance(0.0, SAME_DISTRICT, home_district or "")
    if home_area == work_area:
        return Distance(float(NEARBY_MILES), SAME_AREA, home_area)
    return Distance(
        great_circle_miles(CENTROIDS[home_area], CENTROIDS[work_area]),
        BETWEEN_AREAS,
        f"{home_area} to {work_area}",
    )


# ---------------------------------------------------------------------------------------------
# How well a customer fits a vacancy
# ---------------------------------------------------------------------------------------------

SECTOR_POINTS: Final = 40
OPEN_SECTOR_POINTS: Final = 20  # no sector chosen: open to any
HOURS_POINTS: Final = 30
OPEN_HOURS_POINTS: Final = 15  # no hours preference recorded
DISTANCE_POINTS: Final = 20  # on the doorstep; half of it at the edge of their travel
UNKNOWN_DISTANCE_POINTS: Final = 5
PRIORITY_POINTS: Final = 10  # PG1 and PG2: the partnerships' first aim (DOMAIN.md)
MOST_POINTS: Final = SECTOR_POINTS + HOURS_POINTS + DISTANCE_POINTS + PRIORITY_POINTS


@dataclass(frozen=True)
class Match:
    """Whether the customer fits the vacancy, how well (0 to `MOST_POINTS`), and why."""

    fits: bool
    score: int
    reasons: tuple[object, ...]


def _number(value: Decimal | float | int) -> str:
    """`37.5` for 37.50, `40` for 40.00."""
    return format(Decimal(str(value)).normalize(), "f")


def _miles(miles: float) -> object:
    whole = max(1, round(miles))
    return lazy_ngettext("about %(num)s mile", "about %(num)s miles", whole)


def _wanted_hours(min_hours: int | None, max_hours: int | None) -> object:
    if min_hours is not None and max_hours is not None:
        return _l("%(low)s to %(high)s hours", low=min_hours, high=max_hours)
    if min_hours is not None:
        return _l("at least %(low)s hours", low=min_hours)
    return _l("at most %(high)s hours", high=max_hours)


def match_score(
    *,
    vacancy_sector: str,
    vacancy_hours: Decimal | float | int,
    goal_sectors: Iterable[str] | None,
    min_hours: int | None,
    max_hours: int | None,
    distance: Distance | None,
    travel_miles: int,
    priority_group: int | None,
    lep_eligible: bool,
) -> Match:
    """How well a customer's job goals fit a vacancy, with the reasons in plain English.

    A customer fits when all hold: the vacancy's sector is one of their goals (or they chose
    none); its hours are within their minimum and maximum (either may be unset); it is
    within the miles they will travel (an unknown distance does not rule them out, but says
    so); and they are eligible for LEP vacancies (`priority_group` None means their record
    contradicts itself, so they cannot be matched until it is corrected).

    Points: sector 40 (20 when open to any sector), hours 30 (15 with no preference),
    distance 10 to 20 (20 on the doorstep, 10 at the edge of their travel, 5 when unknown),
    and 10 for priority groups 1 and 2. Best fit first is the highest score.
    """
    reasons: list[object] = []
    fits = True
    score = 0
    sector_label = SECTORS.get(vacancy_sector, vacancy_sector)

    goals = set(goal_sectors or ())
    if not goals:
        score += OPEN_SECTOR_POINTS
        reasons.append(_l("No sector chosen: open to any sector"))
    elif vacancy_sector in goals:
        score += SECTOR_POINTS
        reasons.append(_l("Wants to work in %(sector)s", sector=sector_label))
    else:
        fits = False
        reasons.append(_l("Has not chosen %(sector)s as a sector", sector=sector_label))

    hours = Decimal(str(vacancy_hours))
    if min_hours is None and max_hours is None:
        score += OPEN_HOURS_POINTS
        reasons.append(_l("No hours preference recorded"))
    elif (min_hours is None or hours >= min_hours) and (max_hours is None or hours <= max_hours):
        score += HOURS_POINTS
        reasons.append(
            _l(
                "%(hours)s hours a week is within the %(wanted)s a week they want",
                hours=_number(hours),
                wanted=_wanted_hours(min_hours, max_hours),
            )
        )
    else:
        fits = False
        reasons.append(
            _l(
                "%(hours)s hours a week is outside the %(wanted)s a week they want",
                hours=_number(hours),
                wanted=_wanted_hours(min_hours, max_hours),
            )
        )

    if distance is None:
        score += UNKNOWN_DISTANCE_POINTS
        reasons.append(_l("Distance not known: check the postcodes"))
    elif distance.miles > travel_miles:
        fits = False
        reasons.append(
            _l(
                "%(distance)s away, further than the %(travel)s miles they will travel",
                distance=str(_miles(distance.miles)).capitalize(),
                travel=travel_miles,
            )
        )
    else:
        closeness = 1 - distance.miles / travel_miles if travel_miles > 0 else 1
        score += DISTANCE_POINTS // 2 + round(DISTANCE_POINTS / 2 * closeness)
        if distance.basis == SAME_DISTRICT:
            reasons.append(
                _l("Lives in the same postcode district (%(district)s)", district=distance.place)
            )
        elif distance.basis == SAME_AREA:
            reasons.append(
                _l(
                    "Lives in the same postcode area (%(area)s), counted as nearby: "
                    "about %(miles)s miles",
                    area=distance.place,
                    miles=NEARBY_MILES,
                )
            )
        else:
            reasons.append(
                _l(
                    "%(distance)s away, within the %(travel)s miles they will travel",
                    distance=str(_miles(distance.miles)).capitalize(),
                    travel=travel_miles,
                )
            )

    if priority_group is None:
        fits = False
        reasons.append(_l("Priority group cannot be worked out: check the benefit details"))
    elif not lep_eligible:
        fits = False
        reasons.append(_l("Not eligible for LEP vacancies today"))
    elif priority_group in (1, 2):
        score += PRIORITY_POINTS
        reasons.append(
            _l("Priority group %(group)s: LEP vacancies are for them first", group=priority_group)
        )

    return Match(fits=fits, score=score, reasons=tuple(reasons))


# ---------------------------------------------------------------------------------------------
# Times and the interview invitation
# ---------------------------------------------------------------------------------------------

_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$")
_NAMED_TIMES = {"midday": dt.time(12), "noon": dt.time(12), "12 noon": dt.time(12)}


def parse_time_of_day(text: str | None) -> dt.time | None:
    """A time as people type it: `2:30pm`, `2pm`, `9.15am`, `14:30`, `midday`.

    None when it is not a time or is ambiguous: a bare `9` could be morning or evening.
    """
    cleaned = " ".join((text or "").lower().replace("a.m.", "am").replace("p.m.", "pm").split())
    if cleaned in _NAMED_TIMES:
        return _NAMED_TIMES[cleaned]
    match = _TIME.match(cleaned)
    if match is None:
        return None
    hour, minute = int(match["hour"]), int(match["minute"] or 0)
    if minute > 59:
        return None
    if match["half"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["half"] == "pm" else 0)
    elif match["minute"] is None or hour > 23:
        return None
    return dt.time(hour, minute)


CALENDAR_PRODUCT: Final = "-//Jobcentre Plus//LEP Employer Portal//EN"
_LINE_OCTETS: Final = 75


def ical_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into physical lines of at most 75 octets (RFC 5545 3.1): each
    continuation starts with one space, and no UTF-8 character is split."""
    pieces: list[str] = []
    current, size, limit = "", 0, _LINE_OCTETS
    for character in line:
        octets = len(character.encode("utf-8"))
        if size + octets > limit:
            pieces.append(current)
            current, size, limit = "", 0, _LINE_OCTETS - 1  # the leading space counts
        current += character
        size += octets
    pieces.append(current)
    return "\r\n ".join(pieces)


def _utc_stamp(moment: dt.datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("calendar times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _no_line_breaks(name: str, value: str) -> str:
    if any(character in value for character in "\r\n") or not value:
        raise ValueError(f"{name} must be one non-empty line")
    return value


def interview_calendar(
    uid: str,
    start: dt.datetime,
    end: dt.datetime,
    summary: str,
    location: str,
    organiser_email: str,
    attendee_email: str,
    *,
    stamp: dt.datetime | None = None,
    sequence: int = 0,
    description: str = "",
    cancel: bool = False,
) -> str:
    """An RFC 5545 invitation (METHOD:REQUEST) to one interview, as the text of an .ics file.

    Times are written in UTC (`...Z`), so no time zone definition is needed. Rearranging an
    interview sends the same `uid` with a higher `sequence`, which calendars treat as an
    update; `cancel` makes it a cancellation (METHOD:CANCEL, STATUS:CANCELLED), also with
    the same `uid` and a higher `sequence`, which removes the event. `stamp` is when the
    invitation was made (now, by default).
    """
    start_utc, end_utc = _utc_stamp(start), _utc_stamp(end)  # refuses naive times first
    if end <= start:
        raise ValueError("an interview must end after it starts")
    if sequence < 0:
        raise ValueError("sequence cannot be negative")
    stamp = stamp or clock.now()
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{CALENDAR_PRODUCT}",
        "CALSCALE:GREGORIAN",
        "METHOD:CANCEL" if cancel else "METHOD:REQUEST",
        "BEGIN:VEVENT",
        f"UID:{_no_line_breaks('uid', uid)}",
        f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_utc_stamp(stamp)}",
        f"DTSTART:{start_utc}",
        f"DTEND:{end_utc}",
        f"SUMMARY:{ical_text(summary)}",
        f"LOCATION:{ical_text(location)}",
    ]
    if description:
        lines.append(f"DESCRIPTION:{ical_text(description)}")
    lines += [
        f"ORGANIZER:mailto:{_no_line_breaks('organiser_email', organiser_email)}",
        "ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:"
        + _no_line_breaks("attendee_email", attendee_email),
        "STATUS:CANCELLED" if cancel else "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
