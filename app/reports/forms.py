"""The management information filters (a GET form) and the outcomes target form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms.validators import NumberRange, Optional, ValidationError

from app.forms import PortalForm, date_input, required, select_input, submit_button, whole_number
from app.reports.rules import PeriodKind

PERIOD_CHOICES = [
    (PeriodKind.MONTH.value, _l("Month")),
    (PeriodKind.QUARTER.value, _l("Quarter (April to June, July to September, and so on)")),
    (PeriodKind.FINANCIAL_YEAR.value, _l("Financial year (April to March)")),
    (PeriodKind.CALENDAR_YEAR.value, _l("Calendar year (January to December)")),
    (PeriodKind.CUSTOM.value, _l("Custom dates")),
]

#: The largest target anyone could mean for one district and period.
MOST_OUTCOMES = 1_000_000


class FilterForm(PortalForm):
    """Which period and place the figures cover. Sent by GET, so a view can be bookmarked."""

    class Meta:
        csrf = False

    period = select_input(_l("Period"), PERIOD_CHOICES, default=PeriodKind.MONTH.value)
    start = date_input(
        _l("Start date"),
        Optional(),
        description=_l(
            "For a month, quarter or year, any date in it. For custom dates, the first day. "
            "For example, 27 3 2026"
        ),
    )
    end = date_input(
        _l("End date"), Optional(), description=_l("Custom dates only: the last day, included")
    )
    nation = select_input(_l("Nation"), [], default="")
    district = select_input(_l("District"), [], default="")
    office = select_input(_l("Office"), [], default="")


class TargetForm(PortalForm):
    district = select_input(_l("District"), [], required(_l("Select a district")))
    start = date_input(_l("First day of the period"), required(_l("Enter the first day")))
    end = date_input(_l("Last day of the period"), required(_l("Enter the last day")))
    outcomes = whole_number(
        _l("Job outcomes target"),
        required(_l("Enter the number of job outcomes, like 250")),
        NumberRange(
            min=1,
            max=MOST_OUTCOMES,
            message=_l("Enter a number of job outcomes between 1 and 1,000,000"),
        ),
    )
    submit = submit_button(_l("Save target"))

    def validate_end(self, field) -> None:
        if field.data and self.start.data and field.data < self.start.data:
            raise ValidationError(_l("The last day must be on or after the first day"))
