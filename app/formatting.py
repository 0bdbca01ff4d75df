"""Jinja filters: dates, times, money and durations the way GOV.UK writes them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from babel.dates import format_date
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import get_locale, ngettext, pgettext
from flask_babel import gettext as _

from app.clock import today

LONDON = ZoneInfo("Europe/London")


def london(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(LONDON)


def _locale() -> str:
    """The page's locale (Babel's `cy` for Welsh), English outside a request."""
    return str(get_locale() or "en")


def date_long(day: dt.date | dt.datetime | None) -> str:
    """`23 November 2026`, `23 Tachwedd 2026`"""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = london(day).date()
    return format_date(day, "d MMMM y", locale=_locale())


def time_of_day(moment: dt.datetime) -> str:
    """`9am`, `2:05pm`, `midday`, `midnight` (GOV.UK style), in UK time."""
    local = london(moment)
    if local.hour == 12 and local.minute == 0:
        return _("midday")
    if local.hour == 0 and local.minute == 0:
        return _("midnight")
    hour = local.hour % 12 or 12
    # Welsh writes "yb" and "yh" (GOV.UK Cymraeg), so the suffix is a message.
    suffix = pgettext("time of day", "am") if local.hour < 12 else pgettext("time of day", "pm")
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def datetime_long(moment: dt.datetime | None) -> str:
    """`Monday 23 November 2026 at 2:05pm` in UK time."""
    if moment is None:
        return ""
    local = london(moment)
    return _(
        "%(day)s at %(time)s",
        day=format_date(local.date(), "EEEE d MMMM y", locale=_locale()),
        time=time_of_day(local),
    )


def as_of(moment: dt.datetime | None) -> str:
    """When figures read from rollups were counted: `10:15am` today, else the day and time."""
    if moment is None:
        return ""
    return time_of_day(moment) if london(moment).date() == today() else datetime_long(moment)


def money(amount: Decimal | int | float | None) -> str:
    """`£12.21`, `£1,000`"""
    if amount is None:
        return ""
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"£{format_decimal(int(amount), locale=_locale())}"
    return f"£{format_decimal(amount, format='#,##0.00', locale=_locale())}"


def number(value: int | float | Decimal | None) -> str:
    """`1,234` in the page's locale."""
    if value is None:
        return ""
    return format_decimal(value, locale=_locale())


def duration(delta: dt.timedelta) -> str:
    """`1 day 3 hours`, `45 minutes`: the size of a time span, sign ignored."""
    minutes = int(abs(delta.total_seconds()) // 60)
    days, minutes = divmod(minutes, 60 * 24)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(ngettext("%(num)s day", "%(num)s days", days))
    if hours:
        parts.append(ngettext("%(num)s hour", "%(num)s hours", hours))
    if minutes and not days:
        parts.append(ngettext("%(num)s minute", "%(num)s minutes", minutes))
    return " ".join(parts) or _("less than a minute")


def register(app: Flask) -> None:
    app.add_template_filter(date_long)
    app.add_template_filter(datetime_long)
    app.add_template_filter(time_of_day)
    app.add_template_filter(as_of)
    app.add_template_filter(money)
    app.add_template_filter(duration)
    app.add_template_filter(number)
