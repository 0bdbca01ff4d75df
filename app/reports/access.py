"""The figures a user may open: an unknown name is not found (404)."""

from __future__ import annotations

from flask import abort

from app.reports.figures import BY_NAME, Figure


def figure_or_404(name: str) -> Figure:
    figure = BY_NAME.get(name)
    if figure is None:
        abort(404)
    return figure
