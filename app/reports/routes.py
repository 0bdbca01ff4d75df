"""Routes for management information: the MI page, the sector view, each figure's chart and
CSV, and outcomes targets.

Who sees what: an admin any nation, district and office; a coordinator or DAM their own
district (and any office in it). Every figure link carries the same filters as the page.
"""

from __future__ import annotations

import uuid

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BaseConverter

from app.accounts.models import OutcomeTarget
from app.auth.models import Role
from app.clock import today
from app.csv_files import csv_response
from app.extensions import db
from app.formatting import as_of
from app.models_base import utcnow
from app.policy import allow
from app.rendering import render_page, wants_fragment
from app.reports import bp, charts, queries, rollup_figures
from app.reports.access import figure_or_404
from app.reports.figures import DECIMAL, PERCENT, growth_sectors, on_page
from app.reports.forms import FilterForm, TargetForm
from app.reports.queries import Scope
from app.reports.rules import PeriodKind, custom_period, period_containing, previous_period

MI_ROLES = ("coordinator", "admin", "dam")

#: Most targets the targets page lists.
TARGETS_SHOWN = 100


class FigureFileConverter(BaseConverter):
    """`name.svg` or `name.csv`: a figure's name with the file type the route serves."""

    def __init__(self, url_map, ext: str) -> None:
        super().__init__(url_map)
        self.ext = ext
        self.regex = rf"[a-z0-9\-]+\.{ext}"

    def to_python(self, value: str) -> str:
        return value[: -len(self.ext) - 1]

    def to_url(self, value: str) -> str:
        return f"{value}.{self.ext}"


@bp.record_once
def _converters(state) -> None:
    # Recorded before the routes below, so it runs before their rules are added.
    state.app.url_map.converters["figure_file"] = FigureFileConverter


# Filters ------------------------------------------------------------------------------------


def _own_district() -> uuid.UUID | None:
    return None if current_user.role is Role.ADMIN else current_user.district_id


def _filters() -> tuple[FilterForm, Scope | None]:
    """The filter form from the query string, and the scope it asks for (None when the
    answers have errors, or the user has no district to report on)."""
    is_admin = current_user.role is Role.ADMIN
    own = _own_district()
    places = [] if own is None and not is_admin else queries.places(own)
    form = FilterForm(request.args)
    nations = sorted({row[0] for row in places})
    districts = list({row[1]: row[2] for row in places}.items())
    office_districts = {row[3]: row[1] for row in places if row[3] is not None}
    form.nation.choices = [("", gettext("All nations"))] + [(n, n.title()) for n in nations]
    form.district.choices = [("", gettext("All districts"))] + [(str(i), n) for i, n in districts]
    form.office.choices = [("", gettext("All offices"))] + [
        (str(row[3]), row[4] if not is_admin else f"{row[4]} ({row[2]})")
        for row in places
        if row[3] is not None
    ]
    if not request.args:
        form.period.data = PeriodKind.MONTH.value
        form.start.data = today()
        form.nation.data = form.district.data = form.office.data = ""
    elif not form.validate():
        return form, None
    if not is_admin and own is None:
        return form, None
    kind = PeriodKind(form.period.data or PeriodKind.MONTH.value)
    start = form.start.data or today()
    if kind is PeriodKind.CUSTOM:
        if form.start.data is None:
            form.start.errors.append(gettext("Enter the start date of the custom period"))
            return form, None
        if form.end.data is None:
            form.end.errors.append(gettext("Enter the end date of the custom period"))
            return form, None
        try:
            period = custom_period(form.start.data, form.end.data)
        except ValueError:
            form.end.errors.append(
                gettext("The end date must be on or after the start date, within five years")
            )
            return form, None
    else:
        period = period_containing(kind, start)
    office_id = uuid.UUID(form.office.data) if form.office.data else None
    if not is_admin:
        district_id = own
    elif office_id is not None:
        district_id = office_districts[office_id]
    else:
        district_id = uuid.UUID(form.district.data) if form.district.data else None
    scope = Scope(
        period=period,
        nation=(form.nation.data or None) if is_admin else None,
        district_id=district_id,
        office_id=office_id,
        now=utcnow(),
    )
    return form, scope


def _link_args(scope: Scope) -> dict:
    """The scope as query arguments, for the chart and CSV links and bookmarks."""
    period = scope.period
    args: dict = {
        "period": period.kind.value,
        "start": [period.first.day, period.first.month, period.first.year],
    }
    if period.kind is PeriodKind.CUSTOM:
        args["end"] = [period.last.day, period.last.month, period.last.year]
    if current_user.role is Role.ADMIN:
        if scope.nation:
            args["nation"] = scope.nation
        if scope.district_id and not scope.office_id:
            args["district"] = str(scope.district_id)
    if scope.office_id:
        args["office"] = str(scope.office_id)
    return args


def _scope_or_400() -> Scope:
    form, scope = _filters()
    if scope is None:
        abort(400 if form.errors else 404)
    return scope


# Pages --------------------------------------------------------------------------------------


def _as_of(scope: Scope | None) -> str | None:
    """When the rollup figures were counted: a time today, else the day and time."""
    moment = rollup_figures.figures_as_of(scope) if scope else None
    return as_of(moment) if moment else None


def _page(template: str, page: str, **extra) -> str:
    form, scope = _filters()
    tables = [figure.table(scope) for figure in on_page(page)] if scope else []
    context = {
        "as_of": _as_of(scope),
        "form": form,
        "scope": scope,
        "previous": previous_period(scope.period) if scope else None,
        "tables": tables,
        "link_args": _link_args(scope) if scope else {},
        "is_admin": current_user.role is Role.ADMIN,
        "PERCENT": PERCENT,
        "DECIMAL": DECIMAL,
        **extra,
    }
    if page == "sectors" and tables:
        context["growth"] = growth_sectors(tables[0], tables[1])
    if scope is None and wants_fragment():
        # Errors belong at the top of the whole page: load it without HTMX.
        return Response(status=204, headers={"HX-Redirect": request.full_path})
    return render_page(template, "figures", **context)


@bp.route("/reports")
@allow(*MI_ROLES)
def overview():
    return _page("reports/overview.html", "overview")


@bp.route("/reports/sectors")
@allow(*MI_ROLES)
def sectors():
    return _page("reports/sectors.html", "sectors")


@bp.route("/reports/charts/<figure_file(ext='svg'):figure>")
@allow(*MI_ROLES)
def chart(figure: str):
    found = figure_or_404(figure)
    svg = charts.render(found.table(_scope_or_400()), narrow=request.args.get("layout") == "narrow")
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = charts.CHART_CONTENT_SECURITY_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/reports/<figure_file(ext='csv'):figure>", endpoint="csv")
@allow(*MI_ROLES)
def csv_download(figure: str):
    found = figure_or_404(figure)
    scope = _scope_or_400()
    table = found.table(scope)
    period = scope.period
    return csv_response(
        f"{found.name}-{period.first.isoformat()}-to-{period.last.isoformat()}.csv",
        [str(column.label) for column in found.columns],
        (
            [row.get(column.key) for column in found.columns]
            for row in [*table.rows, *([table.totals] if table.totals else [])]
        ),
    )


# Targets ------------------------------------------------------------------------------------


@bp.route("/reports/targets", methods=["GET", "POST"])
@allow("coordinator", "admin")
def targets():
    own = _own_district()
    is_admin = current_user.role is Role.ADMIN
    places = queries.places(own) if (is_admin or own is not None) else []
    districts = {row[1]: row[2] for row in places}
    form = TargetForm()
    # A required select starts with a blank choice (HTML); a coordinator's own district is
    # chosen for them below.
    form.district.choices = [("", gettext("Select a district"))]
    form.district.choices += [(str(i), name) for i, name in districts.items()]
    if request.method == "GET" and not is_admin and own is not None:
        form.district.data = str(own)
    if form.validate_on_submit():
        district_id = uuid.UUID(form.district.data)
        target = db.session.scalar(
            select(OutcomeTarget).where(
                OutcomeTarget.district_id == district_id,
                OutcomeTarget.period_start == form.start.data,
                OutcomeTarget.period_end == form.end.data,
            )
        )
        if target is None:
            target = OutcomeTarget(
                district_id=district_id, period_start=form.start.data, period_end=form.end.data
            )
            db.session.add(target)
        target.outcomes = form.outcomes.data
        target.set_by_id = current_user.id
        db.session.commit()
        flash(
            gettext(
                "Target saved: %(outcomes)s job outcomes for %(district)s.",
                outcomes=form.outcomes.data,
                district=districts[district_id],
            )
        )
        return redirect(url_for("reports.targets"))
    existing = []
    if districts:
        existing = list(
            db.session.scalars(
                select(OutcomeTarget)
                .where(OutcomeTarget.district_id.in_(list(districts)))
                .order_by(OutcomeTarget.period_start.desc(), OutcomeTarget.district_id)
                .limit(TARGETS_SHOWN)
            )
        )
    return render_template(
        "reports/targets.html", form=form, targets=existing, district_names=districts
    )
