"""The import-linter contract type for "an area never imports another area's views"."""

from __future__ import annotations

import grimp
import pytest

from tools.import_contracts import CrossAreaViewsContract


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        for module in (importer, imported):
            parts = module.split(".")
            for end in range(1, len(parts) + 1):
                graph.add_module(".".join(parts[:end]))
        graph.add_import(
            importer=importer, imported=imported, line_number=1, line_contents="import x"
        )
    return graph


def _check(*imports: tuple[str, str]) -> list[tuple[str, str]]:
    graph = _graph(*imports)
    contract = CrossAreaViewsContract(
        name="views", session_options={}, contract_options={"container": "app"}
    )
    check = contract.check(graph, verbose=False)
    assert check.kept == (not check.metadata["illegal"])
    return [(link["importer"], link["imported"]) for link in check.metadata["illegal"]]


@pytest.mark.parametrize(
    "views",
    [
        "app.accounts.routes",
        "app.accounts.blueprint",
        "app.accounts.account_views",
        "app.callbacks.call_routes",
        "app.pet.views",
        "app.pet.views.courses",
        "app.pet.courses.routes",
    ],
)
def test_another_areas_views_are_refused_whatever_their_file_is_called(views: str) -> None:
    assert _check(("app.referrals.queries", views)) == [("app.referrals.queries", views)]


def test_a_shared_module_may_not_import_an_areas_views_either() -> None:
    assert _check(("app.navigation", "app.pet.routes")) == [("app.navigation", "app.pet.routes")]


def test_an_areas_own_views_and_other_areas_services_are_allowed() -> None:
    assert not _check(
        ("app.pet", "app.pet.courses.routes"),
        ("app.pet.courses.routes", "app.accounts.queries"),
        ("app.referrals.routes", "app.accounts.services"),
        ("app", "app.pet"),  # the factory registers every blueprint
    )


def test_an_ignored_import_is_kept_as_debt() -> None:
    graph = _graph(("app.a.services", "app.b.routes"))
    contract = CrossAreaViewsContract(
        name="views",
        session_options={},
        contract_options={"container": "app", "ignore_imports": ["app.a.services -> app.b.routes"]},
    )
    assert contract.check(graph, verbose=False).kept
