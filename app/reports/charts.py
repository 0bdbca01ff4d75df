"""Charts as SVG documents drawn on the server by pygal, made accessible and script-free.

Each chart is served as its own SVG document (`reports.chart`) and shown with `<img alt>`,
with the same figures in a table beside it. pygal colours a chart with a `<style>` element
and classes; without it every shape fills black. Style elements and attributes are what a
Content-Security-Policy refuses (the page's `style-src 'self'`), so `_paint` turns the
stylesheet's rules into SVG presentation attributes (`fill`, `stroke`, `font-size`...),
which no policy blocks: the chart looks the same at its own URL, as an `<img>` in the page,
or pasted into a document. pygal's configuration `<script>` and its hover tooltip are
removed, so the document carries no JavaScript and no CSS at all, and it gets
`role="img"`, a `<title>` and a `<desc>` tied to it with `aria-labelledby`.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pygal
from flask_babel import gettext
from pygal.style import Style

from app.reports.figures import Table

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

#: Served with the chart: nothing but the document itself (no script, style or fetches).
CHART_CONTENT_SECURITY_POLICY = "default-src 'none'"

# GOV.UK colours, in an order that keeps neighbouring series apart.
GOVUK_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    opacity="1",
    opacity_hover="1",
    colors=(
        "#1d70b8",
        "#f47738",
        "#00703c",
        "#4c2c92",
        "#d4351c",
        "#28a197",
        "#d53880",
        "#505a5f",
    ),
    font_family="arial, sans-serif",
    label_font_size=12,
    major_label_font_size=12,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
)


def describe(table: Table) -> str:
    """A sentence or two a screen reader gives for the chart: what it shows, and where the
    numbers are."""
    figure = table.figure
    if table.empty:
        return gettext("%(title)s: %(empty)s", title=figure.title, empty=figure.empty_text)
    series = ", ".join(
        str(column.label) for column in figure.columns if column.key in figure.series
    )
    return gettext(
        "%(title)s. %(description)s Bars: %(series)s. The same figures are in the table "
        "beside the chart.",
        title=figure.title,
        description=figure.description,
        series=series,
    )


#: For a phone's width (`narrow`): drawn smaller, so its words are set larger.
NARROW_STYLE = Style(
    background=GOVUK_STYLE.background,
    plot_background=GOVUK_STYLE.plot_background,
    foreground=GOVUK_STYLE.foreground,
    foreground_strong=GOVUK_STYLE.foreground_strong,
    foreground_subtle=GOVUK_STYLE.foreground_subtle,
    opacity="1",
    opacity_hover="1",
    colors=GOVUK_STYLE.colors,
    font_family=GOVUK_STYLE.font_family,
    label_font_size=15,
    major_label_font_size=15,
    legend_font_size=15,
    title_font_size=16,
    value_font_size=15,
)
#: Legend entries longer than this get two columns, not three, so none runs into the next.
LONG_LEGEND = 24


def render(table: Table, *, narrow: bool = False) -> bytes:
    """The figure's chart: 800 wide, or with `narrow` 360 wide with its bars lying down (for
    a phone: the row labels then stand one under another, readable at that width)."""
    figure = table.figure
    rows = table.rows
    horizontal = figure.horizontal or narrow
    # pygal cannot stack no data: an empty chart is drawn plain, with its "nothing" text.
    if figure.stacked and rows:
        chart_class = pygal.HorizontalStackedBar if horizontal else pygal.StackedBar
    else:
        chart_class = pygal.HorizontalBar if horizontal else pygal.Bar
    labels = {column.key: column.label for column in figure.columns}
    legends = [str(labels[key]) for key in figure.series]
    if narrow:
        style, width, columns = NARROW_STYLE, 360, 1
        height = max(240, 60 + 30 * len(rows) + 24 * len(legends))
    else:
        style, width = GOVUK_STYLE, 800
        columns = 2 if any(len(legend) > LONG_LEGEND for legend in legends) else 3
        height = max(320, 80 + 36 * len(rows)) if horizontal else 400
    chart = chart_class(
        style=style,
        width=width,
        height=height,
        js=[],
        css=[],
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=columns,
        print_values=False,
        truncate_label=18 if narrow else 40,
        truncate_legend=22 if narrow else 40,
        no_data_text=str(figure.empty_text),
        disable_xml_declaration=True,
        min_scale=1,
        y_labels_major_every=None,
        # Fewer ticks at a phone's width, so the numbers do not run together.
        max_scale=5 if narrow else 16,
    )
    # pygal lays horizontal bars from the bottom up: reversed, they read in the table's order.
    drawn = list(reversed(rows)) if horizontal else rows
    chart.x_labels = [_short(figure.row_label(row), 14 if narrow else 40) for row in drawn]
    top: float = 0
    for key, legend in zip(figure.series, legends, strict=True):
        values = [_number(row[key]) for row in drawn]
        top = max([top, *values])
        chart.add(legend, values)
    if figure.stacked and rows:
        top = max((sum(_number(row[key]) for key in figure.series) for row in rows), default=0)
    if top < 10 and rows:
        # Counts of people and employers: no "0.3 of an employer" on a small scale.
        chart.y_labels = list(range(0, math.ceil(max(top, 1)) + 1))
    root = chart.render_tree()
    _paint(root, style)
    return _accessible(root, str(figure.title), describe(table))


def _short(label: str, most: int) -> str:
    """The label cut to `most` characters with an ellipsis (the table beside has it whole)."""
    return label if len(label) <= most else label[: most - 1].rstrip() + "…"


def _number(value: object) -> int | float:
    """A count as an int; a mean or median (a Decimal) as a float, so it is drawn as is."""
    if value is None or value == "":
        return 0
    if isinstance(value, int):
        return value
    number = float(value)  # type: ignore[arg-type]
    return int(number) if number.is_integer() else number


def _classes(element: ET.Element) -> set[str]:
    return set((element.get("class") or "").split())


def _local(element: ET.Element) -> str:
    tag = element.tag
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _paint(root: ET.Element, style: Style) -> None:
    """Give every shape and label the colours and fonts pygal's stylesheet would, as
    presentation attributes, and drop what needs CSS or script (the `<style>`, the
    configuration script, the hover tooltip)."""
    root.set("font-family", style.font_family)
    _prune(root)
    _paint_children(root, style, frozenset())


def _prune(parent: ET.Element) -> None:
    for child in list(parent):
        if _local(child) in ("style", "script") or "tooltip-overlay" in _classes(child):
            parent.remove(child)
        else:
            _prune(child)


def _paint_children(parent: ET.Element, style: Style, outer: frozenset[str]) -> None:
    for child in parent:
        classes = _classes(child)
        _paint_one(child, _local(child), classes, outer, style)
        _paint_children(child, style, outer | classes)


def _colour(classes: set[str], style: Style) -> str | None:
    for name in classes:
        if name.startswith("color-") and name[6:].isdigit():
            colours = style.colors
            return colours[int(name[6:]) % len(colours)]
    return None


def _paint_one(
    element: ET.Element, tag: str, classes: set[str], outer: frozenset[str], style: Style
) -> None:
    set_ = element.set
    if "style" in element.attrib:
        del element.attrib["style"]
    if "graph" in classes:
        set_("fill", style.foreground)
    if tag == "rect" and "background" in classes:
        set_("fill", style.plot_background if "plot" in outer else style.background)
    colour = _colour(classes, style)
    if colour:
        set_("fill", colour)
        set_("stroke", colour)
    if "reactive" in classes and tag == "rect":
        set_("fill-opacity", str(style.opacity))
        set_("stroke-opacity", str(style.stroke_opacity))
        set_("stroke-width", str(style.stroke_width))
    if tag == "path" and "line" in classes:
        set_("fill", "none")
        if "guide" in classes:
            major = "major" in classes
            set_("stroke", style.foreground if major else style.foreground_subtle)
            set_(
                "stroke-dasharray",
                style.major_guide_stroke_dasharray if major else style.guide_stroke_dasharray,
            )
            # Guides across the bars' own direction only clutter the chart.
            across = ("vertical" in outer and "x" in outer) or (
                "horizontal" in outer and "y" in outer
            )
            if across and "always_show" not in outer:
                set_("stroke-opacity", "0")
        else:
            set_("stroke", style.foreground if "major" in classes else style.foreground_strong)
    if tag == "text":
        _paint_text(element, classes, outer, style)
    if "showable" in classes:
        set_("visibility", "hidden")


def _paint_text(
    element: ET.Element, classes: set[str], outer: frozenset[str], style: Style
) -> None:
    set_ = element.set
    set_("stroke", "none")
    if "axis" in outer:
        set_(
            "font-size",
            str(style.major_label_font_size if "major" in classes else style.label_font_size),
        )
        if "major" in classes:
            set_("fill", style.foreground_strong)
        if "x" in outer and element.get("transform") is None:
            set_("text-anchor", "middle")
        elif "y" in outer:
            set_("text-anchor", "end")
    elif "legends" in outer:
        set_("font-size", str(style.legend_font_size))
        set_("fill", style.foreground)
    elif "title" in classes:
        set_("font-size", str(style.title_font_size))
        set_("fill", style.foreground_strong)
        set_("text-anchor", "middle")
    elif "no_data" in classes:
        set_("font-size", str(style.no_data_font_size))
        set_("fill", style.foreground_strong)
        set_("text-anchor", "middle")
    elif "series" in outer:
        set_("font-size", str(style.value_font_size))
        set_("fill", style.foreground_strong)


def _accessible(root: ET.Element, title: str, description: str) -> bytes:
    # pygal's own etree output leaves elements unqualified, with xmlns as an attribute.
    ns = "{" + SVG_NAMESPACE + "}" if root.tag.startswith("{") else ""
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{ns}script", "script"):
                parent.remove(child)
    chart_id = root.get("id", "chart")
    title_id, desc_id = f"{chart_id}-title", f"{chart_id}-desc"
    title_element = ET.Element(f"{ns}title", {"id": title_id})
    title_element.text = title
    desc_element = ET.Element(f"{ns}desc", {"id": desc_id})
    desc_element.text = description
    root.insert(0, desc_element)
    root.insert(0, title_element)
    root.set("role", "img")
    root.set("aria-labelledby", f"{title_id} {desc_id}")
    root.set("lang", "en")
    ET.register_namespace("", SVG_NAMESPACE)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
