"""The figures of management information: what each shows, its columns, and its table.

A figure is one query (`app.reports.queries`) and the words around it. Its `table(scope)`
runs the query once and gives the rows the page, the chart and the CSV all show, with a
totals row where adding up makes sense, so the three never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from app.accounts.models import SizeBand
from app.accounts.sectors import SECTORS
from app.guarantees import queries as guarantee_queries
from app.referrals.labels import NOT_SELECTED_REASONS
from app.reports import queries, rollup_figures, voucher_queries
from app.reports.queries import Scope
from app.reports.rules import share

TEXT, NUMBER, PERCENT, DECIMAL = "text", "number", "percent", "decimal"

PRIORITY_GROUPS = {
    "a_pg1_2": _l("Priority groups 1 and 2 (disadvantaged)"),
    "b_newly_unemployed": _l("Newly unemployed (priority group 3)"),
    "c_others": _l("Others (priority groups 4 and 5)"),
}
SIZE_BANDS = {SizeBand.SME.value: _l("Small or medium"), SizeBand.LARGE.value: _l("Large")}
NEW_TO_LEPS = {"a_new": _l("New to LEPs in the period"), "b_existing": _l("Already had a LEP")}
AGES = {
    "a_under_7": _l("Under 7 days"),
    "b_7_to_13": _l("7 to 13 days"),
    "c_14_to_27": _l("14 to 27 days"),
    "d_28_plus": _l("28 days or more"),
}
SOURCES = {
    "jobcentre_plus": _l("Jobcentre Plus"),
    "provider": _l("Training provider's own agreement"),
}
WEEKS = {13: _l("13 weeks"), 26: _l("26 weeks")}
COURSE_MODELS = {
    "bespoke": _l("Bespoke (one employer)"),
    "sector": _l("Sector (several employers)"),
}


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    kind: str = NUMBER
    # Whether the totals row adds this column up.
    total: bool = True
    # For a text column: the words for stored codes (their order is the rows' order).
    labels: dict | None = None


@dataclass
class Table:
    figure: Figure
    rows: list[dict]
    totals: dict | None

    @property
    def empty(self) -> bool:
        return not self.rows


def _percent(part: str, whole: str, into: str) -> Callable[[dict], None]:
    def derive(row: dict) -> None:
        row[into] = share(int(row[part] or 0), int(row[whole] or 0))

    return derive


def _average(total: str, count: str, into: str) -> Callable[[dict], None]:
    def derive(row: dict) -> None:
        count_value = int(row[count] or 0)
        row[into] = (
            None
            if count_value == 0
            else (Decimal(int(row[total])) / count_value).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
        )

    return derive


# A column per reason a candidate was not selected, then the total.
NOT_SELECTED_COLUMNS = (
    *(Column(reason, label) for reason, label in NOT_SELECTED_REASONS.items()),
    Column("not_selected", _l("All not selected")),
)


@dataclass(frozen=True)
class Figure:
    name: str
    title: object
    description: object
    # Takes the MI's Scope, or the labour market's (app/lmi: a figure built per request).
    query: Callable[[Any], list[dict]]
    columns: tuple[Column, ...]
    # The columns the chart draws, one series each.
    series: tuple[str, ...]
    derive: tuple[Callable[[dict], None], ...] = ()
    totals: bool = True
    horizontal: bool = False
    # Series drawn one on top of another (parts of a whole), not side by side.
    stacked: bool = False
    page: str = "overview"
    empty_text: object = _l("Nothing to show for this period and place.")
    # Read from rollups (`app/reports/rollups.py`), so as current as their last refresh.
    from_rollups: bool = False

    @property
    def text_columns(self) -> list[Column]:
        return [column for column in self.columns if column.kind == TEXT]

    @property
    def number_columns(self) -> list[Column]:
        return [column for column in self.columns if column.kind != TEXT]

    def table(self, scope: Any) -> Table:
        rows = [dict(row) for row in self.query(scope)]
        for row in rows:
            for column in self.text_columns:
                if column.labels is not None:
                    row[f"{column.key}_code"] = row[column.key]
                    row[column.key] = column.labels.get(row[column.key], row[column.key])
                elif row[column.key] in (None, ""):
                    row[column.key] = _l("Not recorded")
            for derive in self.derive:
                derive(row)
        first = self.columns[0]
        if first.labels is not None:
            order = {code: position for position, code in enumerate(first.labels)}
            rows.sort(key=lambda row: order.get(row[f"{first.key}_code"], len(order)))
        totals = None
        if self.totals and rows:
            totals = {column.key: "" for column in self.text_columns}
            totals[first.key] = _l("Total")
            for column in self.number_columns:
                if column.total:
                    totals[column.key] = sum(int(row[column.key] or 0) for row in rows)
            for derive in self.derive:
                derive(totals)
        return Table(self, rows, totals)

    def row_label(self, row: dict) -> str:
        return ", ".join(str(row[column.key]) for column in self.text_columns)


def _guarantees_kept(group: str) -> Callable[[Scope], list[dict]]:
    """One of the three guarantee figures: the rollup's rows (read with the others, once per
    page; the office filter leaves them at district level) added up by `group`."""

    def query(scope: Scope) -> list[dict]:
        return guarantee_queries.kept_rate_by(rollup_figures.guarantees_kept(scope), group)

    query.__name__ = f"guarantees_kept_by_{group}"
    return query


GUARANTEE_DESCRIPTION = _l(
    "Guaranteed interviews whose answer fell due in the period (up to today): kept (an "
    "interview arranged), not offered with a reason from the list, or overdue with neither. "
    "The rate kept is the share kept of all three."
)


def _guarantee_figure(name: str, title: object, group: Column) -> Figure:
    return Figure(
        name,
        title,
        GUARANTEE_DESCRIPTION,
        _guarantees_kept(group.key),
        (
            group,
            Column("fell_due", _l("Fell due")),
            Column("kept", _l("Kept")),
            Column("not_offered", _l("Not offered, with a reason")),
            Column("overdue", _l("Overdue")),
            Column("rate_kept", _l("Rate kept"), PERCENT, total=False),
        ),
        series=("kept", "not_offered", "overdue"),
        derive=(_percent("kept", "fell_due", "rate_kept"),),
        horizontal=True,
        from_rollups=True,
    )


FIGURES: tuple[Figure, ...] = (
    Figure(
        "outcomes-against-target",
        _l("Job outcomes against target"),
        _l(
            "LEP job outcomes that started in the period (not rejected; validated or still "
            "being validated) against the district's target. The target adds up the targets "
            "set for periods inside this one."
        ),
        rollup_figures.outcomes_against_target,
        (
            Column("district", _l("District"), TEXT),
            Column("target", _l("Target")),
            Column("outcomes", _l("Outcomes")),
            Column("validated", _l("Validated")),
            Column("share_of_target", _l("Share of target"), PERCENT, total=False),
        ),
        series=("target", "outcomes"),
        derive=(_percent("outcomes", "target", "share_of_target"),),
        from_rollups=True,
    ),
    Figure(
        "outcomes-by-priority-group",
        _l("Job outcomes by priority group"),
        _l("LEP job outcomes in the period by the customer's priority group on the start date."),
        rollup_figures.outcomes_by_priority_group,
        (
            Column("group", _l("Priority group"), TEXT, labels=PRIORITY_GROUPS),
            Column("outcomes", _l("Outcomes")),
        ),
        series=("outcomes",),
        horizontal=True,
        from_rollups=True,
    ),
    Figure(
        "outcomes-by-sector",
        _l("Job outcomes by sector"),
        _l("LEP job outcomes in the period by the employer's sector."),
        rollup_figures.outcomes_by_sector,
        (Column("group", _l("Sector"), TEXT, labels=SECTORS), Column("outcomes", _l("Outcomes"))),
        series=("outcomes",),
        horizontal=True,
        from_rollups=True,
    ),
    Figure(
        "outcomes-by-employer-size",
        _l("Job outcomes by employer size"),
        _l("LEP job outcomes in the period by the size of the employer."),
        rollup_figures.outcomes_by_size,
        (
            Column("group", _l("Employer size"), TEXT, labels=SIZE_BANDS),
            Column("outcomes", _l("Outcomes")),
        ),
        series=("outcomes",),
        horizontal=True,
        from_rollups=True,
    ),
    Figure(
        "outcomes-by-new-employer",
        _l("Job outcomes with employers new to LEPs"),
        _l(
            "LEP job outcomes in the period with employers whose first LEP agreement started "
            "in the period, and with employers that already had one."
        ),
        queries.outcomes_by_new_employer,
        (
            Column("group", _l("Employer"), TEXT, labels=NEW_TO_LEPS),
            Column("outcomes", _l("Outcomes")),
        ),
        series=("outcomes",),
        horizontal=True,
    ),
    Figure(
        "outcomes-by-source",
        _l("Job outcomes by source"),
        _l(
            "LEP job outcomes in the period through Jobcentre Plus (its LEP vacancies and "
            "pre-employment training, whoever put the person forward) and through training "
            "providers' own LEP agreements under their LEP Partnership Agreement."
        ),
        rollup_figures.outcomes_by_source,
        (
            Column("group", _l("Source"), TEXT, labels=SOURCES),
            Column("outcomes", _l("Outcomes")),
        ),
        series=("outcomes",),
        horizontal=True,
    ),
    Figure(
        "agreements-signed",
        _l("New LEP agreements signed"),
        _l(
            "Agreements that started in the period, and how many were the employer's first "
            "LEP agreement."
        ),
        queries.agreements_signed,
        (
            Column("district", _l("District"), TEXT),
            Column("signed", _l("Agreements signed")),
            Column("new_employers", _l("Employers new to LEPs")),
        ),
        series=("signed", "new_employers"),
    ),
    Figure(
        "agreements-confirmed",
        _l("LEP agreements confirmed by employers"),
        _l(
            "Agreements and changes to agreements recorded in the period, how many the "
            "employer has confirmed in the portal, and how many it said were wrong."
        ),
        rollup_figures.agreements_confirmed,
        (
            Column("district", _l("District"), TEXT),
            Column("sent", _l("Sent to confirm")),
            Column("confirmed", _l("Confirmed")),
            Column("queried", _l("Said to be wrong")),
            Column("share_confirmed", _l("Share confirmed"), PERCENT, total=False),
        ),
        series=("sent", "confirmed"),
        derive=(_percent("confirmed", "sent", "share_confirmed"),),
        from_rollups=True,
    ),
    Figure(
        "measures-delivered",
        _l("LEP measures delivered"),
        _l(
            "Work trials that started, guaranteed interviews held, and job placements (starts "
            "recorded against a referral) in the period."
        ),
        rollup_figures.measures_delivered,
        (
            Column("district", _l("District"), TEXT),
            Column("work_trials", _l("Work trials")),
            Column("guaranteed_interviews", _l("Guaranteed interviews")),
            Column("placements", _l("Job placements")),
        ),
        series=("work_trials", "guaranteed_interviews", "placements"),
        from_rollups=True,
    ),
    Figure(
        "call-back-timeliness",
        _l("Call-backs within 48 hours"),
        _l(
            "Call-backs completed in the period by the office that worked them, and the share "
            "completed within 48 working hours."
        ),
        queries.callback_timeliness,
        (
            Column("office", _l("Office"), TEXT),
            Column("completed", _l("Completed")),
            Column("in_time", _l("Within 48 hours")),
            Column("share_in_time", _l("Share within 48 hours"), PERCENT, total=False),
        ),
        series=("completed", "in_time"),
        derive=(_percent("in_time", "completed", "share_in_time"),),
    ),
    Figure(
        "pet-conversion",
        _l("Pre-employment training: from referral to job"),
        _l(
            "Customers referred to pre-employment training in the period, by course sector, "
            "and how many of them started, completed, had an interview and were hired."
        ),
        queries.pet_conversion,
        (
            Column("sector", _l("Course sector"), TEXT, labels=SECTORS),
            Column("referred", _l("Referred")),
            Column("started", _l("Started")),
            Column("completed", _l("Completed")),
            Column("interviewed", _l("Interviewed")),
            Column("hired", _l("Hired")),
        ),
        series=("referred", "started", "completed", "interviewed", "hired"),
    ),
    Figure(
        "pet-courses",
        _l("Pre-employment training courses"),
        _l(
            "Courses that started in the period (not cancelled), bespoke or by sector: each "
            "course counted once however many employers share it, with its places, the "
            "employers that joined it and the guaranteed interviews they offer."
        ),
        rollup_figures.pet_courses,
        (
            Column("model", _l("Kind of course"), TEXT, labels=COURSE_MODELS),
            Column("courses", _l("Courses")),
            Column("places", _l("Places")),
            Column("employers", _l("Employers taking part")),
            Column("interviews", _l("Guaranteed interviews offered")),
        ),
        series=("courses", "employers"),
        from_rollups=True,
    ),
    Figure(
        "pet-outcomes-by-employer",
        _l("Job starts from pre-employment training, by employer"),
        _l(
            "People hired from a pre-employment training course who started work in the "
            "period (not rejected), by the employer that hired them: a sector course's hires "
            "count for each employer separately. LEP job outcomes are those that count "
            "towards the LEP target."
        ),
        rollup_figures.pet_outcomes_by_employer,
        (
            Column("employer", _l("Employer"), TEXT),
            Column("district", _l("District"), TEXT),
            Column("model", _l("Kind of course"), TEXT, labels=COURSE_MODELS),
            Column("starts", _l("Job starts")),
            Column("outcomes", _l("LEP job outcomes")),
        ),
        series=("starts", "outcomes"),
        horizontal=True,
        from_rollups=True,
    ),
    Figure(
        "sustainment",
        _l("Still in work after 13 and 26 weeks"),
        _l(
            "Sustainment checks that fell due in the period: how many the employer answered, "
            "and how many people were still in work."
        ),
        rollup_figures.sustainment,
        (
            Column("weeks", _l("Check"), TEXT, labels=WEEKS),
            Column("due", _l("Due")),
            Column("answered", _l("Answered")),
            Column("still_employed", _l("Still in work")),
            Column("share_sustained", _l("Share of answers still in work"), PERCENT, total=False),
        ),
        series=("due", "answered", "still_employed"),
        derive=(_percent("still_employed", "answered", "share_sustained"),),
        from_rollups=True,
    ),
    Figure(
        "progression-and-aftercare",
        _l("Progression and aftercare"),
        _l(
            "Sustainment checks at 13 and 26 weeks falling due in the period, by district and "
            "the customer's office: still in work, moved on since starting (more hours, higher "
            "pay or a new role) and in-work support asked for."
        ),
        rollup_figures.progression_and_aftercare,
        (
            Column("district", _l("District"), TEXT),
            Column("office", _l("Office"), TEXT),
            Column("due", _l("Checks due")),
            Column("answered", _l("Answered")),
            Column("still_employed", _l("Still in work")),
            Column("progressed", _l("Moved on")),
            Column("more_hours", _l("More hours")),
            Column("higher_pay", _l("Higher pay")),
            Column("new_role", _l("New role")),
            Column("aftercare", _l("Aftercare asked for")),
            Column("share_progressed", _l("Share moved on"), PERCENT, total=False),
        ),
        series=("still_employed", "progressed", "aftercare"),
        derive=(_percent("progressed", "still_employed", "share_progressed"),),
        horizontal=True,
        from_rollups=True,
    ),
    Figure(
        "referral-quality-by-adviser",
        _l("Referral quality by adviser"),
        _l(
            "Referrals employers rated in the period, by the adviser who referred, and how "
            "many were rated suitable or very suitable (3 or 4 out of 4)."
        ),
        queries.referral_quality_by_adviser,
        (
            Column("name", _l("Adviser"), TEXT),
            Column("rated", _l("Rated")),
            Column("suitable", _l("Suitable")),
            Column("rating_total", _l("Ratings added up")),
            Column("share_suitable", _l("Share suitable"), PERCENT, total=False),
            Column("average", _l("Average rating"), DECIMAL, total=False),
        ),
        series=("rated", "suitable"),
        derive=(
            _percent("suitable", "rated", "share_suitable"),
            _average("rating_total", "rated", "average"),
        ),
        horizontal=True,
    ),
    Figure(
        "referral-quality-by-office",
        _l("Referral quality by office"),
        _l("Referrals employers rated in the period, by the referrer's office."),
        queries.referral_quality_by_office,
        (
            Column("name", _l("Office"), TEXT),
            Column("rated", _l("Rated")),
            Column("suitable", _l("Suitable")),
            Column("rating_total", _l("Ratings added up")),
            Column("share_suitable", _l("Share suitable"), PERCENT, total=False),
            Column("average", _l("Average rating"), DECIMAL, total=False),
        ),
        series=("rated", "suitable"),
        derive=(
            _percent("suitable", "rated", "share_suitable"),
            _average("rating_total", "rated", "average"),
        ),
        horizontal=True,
    ),
    Figure(
        "not-selected-by-adviser",
        _l("Why candidates were not selected, by adviser"),
        _l(
            "Candidates employers recorded as not selected in the period, by the adviser who "
            "referred them and the reason the employer chose."
        ),
        queries.not_selected_by_adviser,
        (Column("name", _l("Adviser"), TEXT), *NOT_SELECTED_COLUMNS),
        series=tuple(NOT_SELECTED_REASONS),
        horizontal=True,
    ),
    Figure(
        "not-selected-by-office",
        _l("Why candidates were not selected, by office"),
        _l(
            "Candidates employers recorded as not selected in the period, by the referrer's "
            "office and the reason the employer chose."
        ),
        queries.not_selected_by_office,
        (Column("name", _l("Office"), TEXT), *NOT_SELECTED_COLUMNS),
        series=tuple(NOT_SELECTED_REASONS),
        horizontal=True,
    ),
    Figure(
        "subsidy-eligible-starts",
        _l("Starts eligible for the recruitment subsidy"),
        _l(
            "Job starts in the period eligible for the £1,000 recruitment subsidy (Jobseeker's "
            "Allowance for six months or longer), not rejected."
        ),
        rollup_figures.subsidy_eligible_starts,
        (Column("district", _l("District"), TEXT), Column("starts", _l("Eligible starts"))),
        series=("starts",),
        from_rollups=True,
    ),
    Figure(
        "recruitment-subsidy-vouchers",
        _l("Recruitment subsidy vouchers"),
        _l(
            "Vouchers for the £1,000 recruitment subsidy issued on eligible starts, claimed by "
            "employers, approved and paid in the period, with the pounds of each."
        ),
        voucher_queries.recruitment_vouchers,
        (
            Column("district", _l("District"), TEXT),
            Column("issued", _l("Issued")),
            Column("issued_amount", _l("Issued (£)")),
            Column("claimed", _l("Claimed")),
            Column("claimed_amount", _l("Claimed (£)")),
            Column("approved", _l("Approved")),
            Column("approved_amount", _l("Approved (£)")),
            Column("paid", _l("Paid")),
            Column("paid_amount", _l("Paid (£)")),
        ),
        series=("issued", "claimed", "approved", "paid"),
        from_rollups=True,
    ),
    Figure(
        "waiting-for-validation",
        _l("Job outcomes waiting for validation"),
        _l(
            "Outcomes not yet validated today, whatever their start date: waiting for the "
            "employer to confirm, or disputed, by how long ago they were recorded."
        ),
        queries.waiting_for_validation,
        (
            Column("age", _l("Recorded"), TEXT, labels=AGES),
            Column("awaiting_employer", _l("Waiting for the employer")),
            Column("disputed", _l("Disputed")),
            Column("waiting", _l("All waiting")),
        ),
        series=("awaiting_employer", "disputed"),
    ),
    _guarantee_figure(
        "guarantees-by-district",
        _l("Guaranteed interviews kept, by district"),
        Column("district", _l("District"), TEXT),
    ),
    _guarantee_figure(
        "guarantees-by-sector",
        _l("Guaranteed interviews kept, by sector"),
        Column("sector", _l("Sector"), TEXT, labels=SECTORS),
    ),
    _guarantee_figure(
        "guarantees-by-size",
        _l("Guaranteed interviews kept, by employer size"),
        Column("size", _l("Employer size"), TEXT, labels=SIZE_BANDS),
    ),
    Figure(
        "sector-vacancies",
        _l("Vacancies by sector"),
        _l(
            "Vacancies open now, and vacancies posted in the period and in the period before "
            "(the trend), by sector and district."
        ),
        queries.sector_vacancies,
        (
            Column("sector", _l("Sector"), TEXT, labels=SECTORS),
            Column("district", _l("District"), TEXT),
            Column("open", _l("Open now")),
            Column("posted", _l("Posted in the period")),
            Column("posted_before", _l("Posted in the period before")),
        ),
        series=("open", "posted", "posted_before"),
        horizontal=True,
        page="sectors",
    ),
    Figure(
        "sector-employers",
        _l("Employers with and without a LEP agreement, by sector"),
        _l("Employer accounts with an active LEP agreement at the end of the period, and without."),
        queries.sector_employers,
        (
            Column("sector", _l("Sector"), TEXT, labels=SECTORS),
            Column("district", _l("District"), TEXT),
            Column("with_agreement", _l("With an agreement")),
            Column("without_agreement", _l("Without an agreement")),
        ),
        series=("with_agreement", "without_agreement"),
        horizontal=True,
        page="sectors",
    ),
    Figure(
        "sector-outcomes",
        _l("Job outcomes by sector and district"),
        _l("LEP job outcomes in the period by the employer's sector and district."),
        rollup_figures.sector_outcomes,
        (
            Column("sector", _l("Sector"), TEXT, labels=SECTORS),
            Column("district", _l("District"), TEXT),
            Column("outcomes", _l("Outcomes")),
        ),
        series=("outcomes",),
        horizontal=True,
        page="sectors",
        from_rollups=True,
    ),
)

BY_NAME = {figure.name: figure for figure in FIGURES}


def on_page(page: str) -> list[Figure]:
    return [figure for figure in FIGURES if figure.page == page]


def growth_sectors(vacancies: Table, employers: Table) -> list[dict]:
    """Sectors whose postings grew on the period before while fewer than half their
    employers have an agreement: where a DAM might sign employers up. Works on the two
    figures' aggregate rows, summed over districts."""
    sectors: dict[str, dict] = {}
    for row in vacancies.rows:
        entry = sectors.setdefault(
            row["sector_code"],
            {"sector": row["sector"], "posted": 0, "posted_before": 0, "with": 0, "without": 0},
        )
        entry["posted"] += int(row["posted"])
        entry["posted_before"] += int(row["posted_before"])
    for row in employers.rows:
        entry = sectors.get(row["sector_code"])
        if entry is not None:
            entry["with"] += int(row["with_agreement"])
            entry["without"] += int(row["without_agreement"])
    found = []
    for entry in sectors.values():
        employers_total = entry["with"] + entry["without"]
        if entry["posted"] > entry["posted_before"] and 2 * entry["with"] < employers_total:
            entry["share_signed"] = share(entry["with"], employers_total)
            found.append(entry)
    return sorted(found, key=lambda entry: entry["posted"] - entry["posted_before"], reverse=True)
