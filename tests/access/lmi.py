"""Access rows for the local labour market: the page, a chart and a CSV. Staff who read the
MI and partnered providers (the world's provider has accepted the agreement for the
organisation's district: tests/access/partnerships.py); an unpartnered provider's 404 and a
place outside the agreement are tested in tests/web/test_lmi.py."""

from __future__ import annotations

from tests.access.core import Route, World, fixed

LMI = frozenset({"coordinator", "admin", "dam", "provider"})

ROUTES: dict[str, Route] = {
    "lmi.labour_market": Route("GET", fixed("/labour-market"), LMI),
    "lmi.chart": Route("GET", fixed("/labour-market/charts/vacancies-by-sector.svg"), LMI),
    "lmi.csv": Route("GET", fixed("/labour-market/fill-rate.csv"), LMI),
}


def build(world: World) -> None:
    """Nothing of its own: the partnership is built by the partnerships rows."""
