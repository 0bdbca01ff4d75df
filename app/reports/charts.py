"""Charts as SVG documents drawn on the server by pygal, made accessible and script-free.

Each chart is served as its own SVG document (`reports.chart`) and shown with `<img alt>`,
with the same figures in a table beside it: an SVG inside the page would need inline
styles, which the page's Content-Security-Policy (`style-src 'self'`) blocks. pygal puts a
configuration `<script>` in every chart; it is removed here, so the document carries no
JavaScript at all, and it gets `role="img"`, a `<title>` and a `<desc>` tied to it with
`aria-labelledby`.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pygal
from flask_babel import gettext
from pygal.style import Style

from app.reports.figures import Table

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

#: Served with the chart: its own inline styles, nothing else (no script, no fetches).
CHART_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"

# GOV.UK colours, in an order that keeps neighbouring series apart.
GOVUK_STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    opacity="1",
    opacity_hover="1",
    colors=("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d4351c", "#28a197"),
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


def render(table: Table) -> bytes:
    figure = table.figure
    chart_class = pygal.HorizontalBar if figure.horizontal else pygal.Bar
    rows = table.rows
    height = max(320, 80 + 36 * len(rows)) if figure.horizontal else 400
    chart = chart_class(
        style=GOVUK_STYLE,
        width=800,
        height=height,
        js=[],
        css=[],
        show_legend=True,
        legend_at_bottom=True,
        print_values=False,
        truncate_label=40,
        truncate_legend=40,
        no_data_text=str(figure.empty_text),
        disable_xml_declaration=True,
        min_scale=1,
        y_labels_major_every=None,
    )
    chart.x_labels = [figure.row_label(row) for row in rows]
    labels = {column.key: column.label for column in figure.columns}
    for key in figure.series:
        chart.add(str(labels[key]), [int(row[key] or 0) for row in rows])
    return _accessible(chart.render_tree(), str(figure.title), describe(table))


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
