"""Routes for the local labour market: the page, and each figure's chart (SVG) and CSV.

Every link carries the place (`?place=england` or a district's id); without one the figures
are for the user's own district, else the first place they may choose (a provider: the first
district its agreement covers). A place they may not choose is refused: on the page with the
GOV.UK error summary, for a chart or a CSV with 400.
"""

from __future__ import annotations

import datetime as dt
import re

from flask import Response, abort, request
from flask_babel import gettext
from flask_login import current_user

from app.clock import today
from app.csv_files import csv_response
from app.formatting import datetime_long, london, time_of_day
from app.lmi import bp, rules
from app.lmi.access import builder_or_404, places_or_404
from app.lmi.figures import BUILDERS, NATIONS, as_of_epoch
from app.lmi.forms import PlaceForm
from app.lmi.queries import Place, Scope
from app.policy import allow
from app.rendering import render_page, wants_fragment
from app.reports import charts

#: As the MI page (app/reports/routes.py), and partnered providers.
LMI_ROLES = ("coordinator", "admin", "dam", "provider")


def _label(place: Place) -> str:
    return str(NATIONS.get(place.nation, place.name)) if place.nation else place.name


def _default(places: list[Place]) -> Place:
    """The user's own district, else the first place (a provider's: the first covered)."""
    own = current_user.district_id
    return next((place for place in places if own and place.district_id == own), places[0])


def _scope() -> tuple[PlaceForm, Scope | None]:
    """The form from the query string, and the scope it asks for (None when the place is
    not one the user may choose)."""
    places = places_or_404(current_user)
    form = PlaceForm(request.args)
    form.place.choices = [(place.value, _label(place)) for place in places]
    chosen = (request.args.get("place") or "").strip().lower()
    if not chosen:
        place: Place | None = _default(places)
    else:
        place = next((found for found in places if found.value == chosen), None)
    if place is None:
        form.place.errors = [gettext("Select a nation or district from the list")]
        return form, None
    form.place.data = place.value
    return form, Scope(place, rules.last_months(today()))


def _scope_or_400() -> Scope:
    _form, scope = _scope()
    if scope is None:
        abort(400)
    return scope


def _as_of(scope: Scope) -> str | None:
    epoch = as_of_epoch(scope)
    if epoch is None:
        return None
    moment = dt.datetime.fromtimestamp(epoch, dt.UTC)
    return time_of_day(moment) if london(moment).date() == today() else datetime_long(moment)


@bp.route("/labour-market")
@allow(*LMI_ROLES)
def labour_market():
    form, scope = _scope()
    if scope is None and wants_fragment():
        # Errors belong at the top of the whole page: load it without HTMX.
        return Response(status=204, headers={"HX-Redirect": request.full_path})
    return render_page(
        "lmi/labour_market.html",
        "figures",
        form=form,
        scope=scope,
        place_name=_label(scope.place) if scope else None,
        tables=[build(scope) for build in BUILDERS.values()] if scope else [],
        as_of=_as_of(scope) if scope else None,
        link_args={"place": scope.place.value} if scope else {},
    )


@bp.route("/labour-market/charts/<figure>.svg")
@allow(*LMI_ROLES)
def chart(figure: str):
    build = builder_or_404(figure)
    svg = charts.render(build(_scope_or_400()), narrow=request.args.get("layout") == "narrow")
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = charts.CHART_CONTENT_SECURITY_POLICY
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "place"


@bp.route("/labour-market/<figure>.csv", endpoint="csv")
@allow(*LMI_ROLES)
def csv_download(figure: str):
    build = builder_or_404(figure)
    scope = _scope_or_400()
    table = build(scope)
    columns = table.figure.columns
    window = scope.window
    return csv_response(
        f"{figure}-{_slug(scope.place.nation or scope.place.name)}-"
        f"{window.first.isoformat()}-to-{window.last.isoformat()}.csv",
        [str(column.label) for column in columns],
        (
            [row.get(column.key) for column in columns]
            for row in [*table.rows, *([table.totals] if table.totals else [])]
        ),
    )
