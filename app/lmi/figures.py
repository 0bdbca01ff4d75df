"""The local labour market figures: each is a `app.reports.figures.Figure` built for the
scope from the one rollup read (`queries.rollup_rows`), so the page's table, the chart
(`app.reports.charts`) and the CSV come from the same `Table` and never disagree.

A figure's columns can depend on the counts (the sectors and occupations with the most LEP
vacancies get a column each), so each is built per request by its function in `BUILDERS`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from flask_babel import format_date, gettext
from flask_babel import lazy_gettext as _l

from app.accounts.sectors import SECTORS
from app.lmi import rules
from app.lmi.queries import OTHER_OCCUPATIONS, Scope, rollup_rows
from app.reports.figures import DECIMAL, PERCENT, TEXT, Column, Figure, Table
from app.reports.rules import share

NATIONS = {"england": _l("England"), "wales": _l("Wales"), "scotland": _l("Scotland")}


def _month_label(month: rules.Month) -> str:
    return format_date(month.first, "MMM yyyy")


def _counts(scope: Scope, rollup: str) -> dict[tuple[str, int], tuple[int, ...]]:
    """The rollup's counts by (key, month): month 0 is before the window."""
    return {
        (row["key"], row["month"]): row["values"]
        for row in rollup_rows(scope)
        if row["rollup"] == rollup
    }


def _month_column() -> Column:
    return Column("month", _l("Month"), TEXT)


def _figure(name: str, title: object, description: object, rows: list[dict], **kwargs) -> Figure:
    return Figure(name, title, description, lambda _scope: rows, from_rollups=True, **kwargs)


def _by_group_and_month(
    scope: Scope,
    name: str,
    title: object,
    description: object,
    counts: dict[tuple[str, int], tuple[int, ...]],
    labels: Callable[[str], object],
    other: tuple[str, object],
    total: object,
) -> Table:
    """LEP vacancies going live each month, a column for each of the groups with the most
    (one stacked series each), the rest as one, and all of them."""
    window = scope.window
    totals: dict[str, int] = defaultdict(int)
    for (key, at), values in counts.items():
        if 1 <= at <= len(window.months):
            totals[key] += values[0]
    other_key, other_label = other
    shown = rules.top_groups({key: n for key, n in totals.items() if key != other_key})
    column_of = {key: f"g{position}" for position, key in enumerate(shown, start=1)}
    has_other = any(total_ and key not in column_of for key, total_ in totals.items())
    columns = [
        _month_column(),
        *(Column(column_of[key], labels(key)) for key in shown),
        *([Column("other", other_label)] if has_other else []),
        Column("all", total),
    ]
    rows = []
    if sum(totals.values()):
        for number, month in enumerate(window.months, start=1):
            row: dict[str, object] = {column.key: 0 for column in columns[1:]}
            row["month"] = _month_label(month)
            for (key, at), values in counts.items():
                if at == number:
                    group = column_of.get(key, "other")
                    row[group] = int(str(row[group])) + values[0]
                    row["all"] = int(str(row["all"])) + values[0]
            rows.append(row)
    series = tuple(column.key for column in columns[1:-1])
    figure = _figure(
        name, title, description, rows, columns=tuple(columns), series=series, stacked=True
    )
    return figure.table(scope)


def vacancies_by_sector(scope: Scope) -> Table:
    return _by_group_and_month(
        scope,
        "vacancies-by-sector",
        _l("LEP vacancies going live, by sector"),
        _l(
            "LEP vacancies that went live each month, by the vacancy's sector: the six sectors "
            "with the most, and the others together."
        ),
        _counts(scope, "lmi_vacancy_sectors"),
        lambda key: SECTORS.get(key, key),
        ("", _l("Other sectors")),
        _l("All sectors"),
    )


def _occupation_label(key: str) -> object:
    if key == "":
        return _l("Occupation not given")
    return key[:1].upper() + key[1:]


def vacancies_by_occupation(scope: Scope) -> Table:
    return _by_group_and_month(
        scope,
        "vacancies-by-occupation",
        _l("LEP vacancies going live, by occupation"),
        _l(
            "LEP vacancies that went live each month, by the occupation the employer gave "
            "(ignoring capitals): the six occupations with the most, and the others together."
        ),
        _counts(scope, "lmi_vacancy_occupations"),
        _occupation_label,
        (OTHER_OCCUPATIONS, _l("Other occupations")),
        _l("All occupations"),
    )


@dataclass
class FillMonth:
    """A month's LEP vacancies closed and filled, the days the filled ones took added up,
    and how many took each number of days."""

    closed: int = 0
    filled: int = 0
    fill_days: int = 0
    histogram: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def _fill_months(scope: Scope) -> list[FillMonth]:
    months = [FillMonth() for _month in scope.window.months]
    for (key, at), (closed, filled, fill_days, _unused) in _counts(
        scope, "lmi_vacancy_fills"
    ).items():
        if not 1 <= at <= len(months):
            continue
        entry = months[at - 1]
        entry.closed += closed
        entry.filled += filled
        entry.fill_days += fill_days
        if key != "":
            entry.histogram[int(key)] += filled
    return months


def fill_rate(scope: Scope) -> Table:
    months = _fill_months(scope)
    rows = []
    if any(entry.closed for entry in months):
        rows = [
            {
                "month": _month_label(month),
                "closed": entry.closed,
                "filled": entry.filled,
                "not_filled": entry.closed - entry.filled,
            }
            for month, entry in zip(scope.window.months, months, strict=True)
        ]
    figure = _figure(
        "fill-rate",
        _l("LEP vacancies filled"),
        _l(
            "LEP vacancies that closed each month: filled, or closed without being filled "
            "(withdrawn). The fill rate is the share filled."
        ),
        rows,
        columns=(
            _month_column(),
            Column("closed", _l("Closed")),
            Column("filled", _l("Filled")),
            Column("not_filled", _l("Closed without filling")),
            Column("fill_rate", _l("Fill rate"), PERCENT, total=False),
        ),
        series=("filled", "not_filled"),
        derive=(_share("filled", "closed", "fill_rate"),),
        stacked=True,
    )
    return figure.table(scope)


def _share(part: str, whole: str, into: str) -> Callable[[dict], None]:
    def derive(row: dict) -> None:
        row[into] = share(int(row[part] or 0), int(row[whole] or 0))

    return derive


def time_to_fill(scope: Scope) -> Table:
    months = _fill_months(scope)
    rows = []
    if any(entry.filled for entry in months):
        rows = [
            {
                "month": _month_label(month),
                "filled": entry.filled,
                "mean": rules.mean_days(entry.fill_days, entry.filled),
                "median": rules.median_days(entry.histogram),
            }
            for month, entry in zip(scope.window.months, months, strict=True)
        ]
    figure = _figure(
        "time-to-fill",
        _l("Time to fill LEP vacancies"),
        _l(
            "LEP vacancies filled each month, and the days from posting (when the employer "
            "submitted it) to filled: the mean and the median. Fills taking over a year count "
            "as a year in the median."
        ),
        rows,
        columns=(
            _month_column(),
            Column("filled", _l("Filled")),
            Column("mean", _l("Mean days to fill"), DECIMAL, total=False),
            Column("median", _l("Median days to fill"), DECIMAL, total=False),
        ),
        series=("mean", "median"),
    )
    table = figure.table(scope)
    if table.totals is not None:
        # The whole window's mean and median, from all its fills (not an average of months).
        histogram: dict[int, int] = defaultdict(int)
        for entry in months:
            for days, count in entry.histogram.items():
                histogram[days] += count
        filled = sum(entry.filled for entry in months)
        table.totals["mean"] = rules.mean_days(sum(e.fill_days for e in months), filled)
        table.totals["median"] = rules.median_days(histogram)
        table.totals["month"] = _l("All 12 months")
    return table


def growth_sectors(scope: Scope) -> Table:
    """Per sector: LEP vacancies going live in the window's first and last six months, the
    growth, and the employers of the sector signed up to LEP at the window's end."""
    window = scope.window
    first_half, second_half = window.halves()
    middle = len(first_half)
    vacancies = _counts(scope, "lmi_vacancy_sectors")
    employers = _counts(scope, "lmi_employers")
    sectors: dict[str, dict] = {}

    def entry(code: str) -> dict:
        return sectors.setdefault(
            code,
            {
                "sector": SECTORS.get(code, code),
                "earlier": 0,
                "later": 0,
                "signed": [],
                "ended": [],
                "new_employers": 0,
            },
        )

    for (code, month), values in vacancies.items():
        if 1 <= month <= middle:
            entry(code)["earlier"] += values[0]
        elif middle < month <= len(window.months):
            entry(code)["later"] += values[0]
    for (code, month), (signed, ended, *_rest) in employers.items():
        found = entry(code)
        found["signed"].append(signed)
        found["ended"].append(ended)
        if month >= 1:
            found["new_employers"] += signed
    rows = [
        {
            "sector": found["sector"],
            "earlier": found["earlier"],
            "later": found["later"],
            "employers": rules.employers_signed_up(found["signed"], found["ended"]),
            "new_employers": found["new_employers"],
        }
        for found in sectors.values()
    ]
    rows = [row for row in rows if row["earlier"] or row["later"] or row["employers"]]
    for row in rows:
        row["growth"] = rules.growth(row["earlier"], row["later"])
    rows.sort(
        key=lambda row: (
            row["growth"] is None,
            -(row["growth"] or 0),
            -row["later"],
            str(row["sector"]),
        )
    )
    span = gettext(
        "%(first)s to %(last)s",
        first=_month_label(first_half[0]),
        last=_month_label(first_half[-1]),
    )
    later_span = gettext(
        "%(first)s to %(last)s",
        first=_month_label(second_half[0]),
        last=_month_label(second_half[-1]),
    )
    figure = _figure(
        "growth-sectors",
        _l("Growth sectors and LEP employers"),
        _l(
            "LEP vacancies that went live by sector in the first six months and in the last "
            "six, the growth from one to the other, and the sector's employers with a LEP "
            "agreement at the end (and how many signed one in the 12 months). A growing "
            "sector with few LEP employers is where to sign employers up."
        ),
        rows,
        columns=(
            Column("sector", _l("Sector"), TEXT),
            Column("earlier", span),
            Column("later", later_span),
            Column("growth", _l("Growth"), PERCENT, total=False),
            Column("employers", _l("LEP employers")),
            Column("new_employers", _l("Signed up in the 12 months")),
        ),
        series=("earlier", "later", "employers"),
        derive=(_growth,),
        horizontal=True,
    )
    return figure.table(scope)


def _growth(row: dict) -> None:
    row["growth"] = rules.growth(int(row["earlier"] or 0), int(row["later"] or 0))


def pet_courses(scope: Scope) -> Table:
    months = [[0, 0, 0, 0] for _month in scope.window.months]
    for (_key, month), values in _counts(scope, "lmi_pet_courses").items():
        if 1 <= month <= len(months):
            for position, value in enumerate(values):
                months[month - 1][position] += value
    rows = []
    if any(any(entry) for entry in months):
        rows = [
            {
                "month": _month_label(month),
                "courses": courses,
                "started": started,
                "completed": completed,
                "into_work": into_work,
            }
            for month, (courses, started, completed, into_work) in zip(
                scope.window.months, months, strict=True
            )
        ]
    figure = _figure(
        "pet-courses",
        _l("Pre-employment training courses"),
        _l(
            "PET courses that started each month, the customers who started them, and how many "
            "of those completed and went into a job. The completion rate and the job rate are "
            "shares of those who started."
        ),
        rows,
        columns=(
            _month_column(),
            Column("courses", _l("Courses started")),
            Column("started", _l("Customers started")),
            Column("completed", _l("Completed")),
            Column("into_work", _l("Into a job")),
            Column("completion_rate", _l("Completion rate"), PERCENT, total=False),
            Column("job_rate", _l("Job rate"), PERCENT, total=False),
        ),
        series=("started", "completed", "into_work"),
        derive=(
            _share("completed", "started", "completion_rate"),
            _share("into_work", "started", "job_rate"),
        ),
    )
    return figure.table(scope)


#: Every figure of the page, in its order, by name.
BUILDERS: dict[str, Callable[[Scope], Table]] = {
    "vacancies-by-sector": vacancies_by_sector,
    "vacancies-by-occupation": vacancies_by_occupation,
    "fill-rate": fill_rate,
    "time-to-fill": time_to_fill,
    "growth-sectors": growth_sectors,
    "pet-courses": pet_courses,
}


def as_of_epoch(scope: Scope) -> int | None:
    """When the oldest labour market rollup was last refreshed (seconds since the epoch)."""
    for row in rollup_rows(scope):
        if row["rollup"] == "as_of" and row["values"][0]:
            return row["values"][0]
    return None
