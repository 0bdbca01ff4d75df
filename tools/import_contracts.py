"""An import-linter contract type that import-linter has no built-in for: an area never
imports another area's views.

An area's views (its blueprint module, `routes`, `views` or `views/<feature>`, `*_views`,
`*_routes`) answer requests; other areas reach it through its queries, services and panels,
never through its views, so a views module can be split or renamed without breaking another
area. Views are recognised by name, so a renamed or split views module stays covered.
"""

from __future__ import annotations

import re
from typing import Any

import grimp
from importlinter import Contract, ContractCheck, fields, output

VIEWS = re.compile(r"(routes|views|blueprint|\w+_views|\w+_routes)")


class CrossAreaViewsContract(Contract):
    """No module of `app.<area>` imports a views module of another `app.<area>`.

    Options:
        - container: the package whose sub-packages are the areas (`app`).
        - ignore_imports: importer -> imported pairs kept as known debt (optional).
    """

    type_name = "cross_area_views"

    container = fields.StringField()
    ignore_imports = fields.SetField(subfield=fields.StringField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        container: str = self.container  # type: ignore[assignment]
        ignored: set[str] = set(self.ignore_imports or ())  # type: ignore[arg-type]
        depth = container.count(".") + 1
        illegal: list[dict[str, Any]] = []
        for importer in sorted(graph.find_descendants(container)):
            importer_parts = importer.split(".")
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                parts = imported.split(".")
                if parts[:depth] != container.split(".") or len(parts) <= depth + 1:
                    continue
                if parts[depth] == importer_parts[depth]:
                    continue  # the same area
                if not any(VIEWS.fullmatch(part) for part in parts[depth + 1 :]):
                    continue
                if f"{importer} -> {imported}" in ignored:
                    continue
                details = graph.get_import_details(importer=importer, imported=imported)
                illegal.append(
                    {
                        "importer": importer,
                        "imported": imported,
                        "lines": [detail["line_number"] for detail in details],
                    }
                )
        return ContractCheck(kept=not illegal, warnings=[], metadata={"illegal": illegal})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for link in check.metadata["illegal"]:
            lines = ", ".join(map(str, link["lines"]))
            output.print_error(
                f"- {link['importer']} -> {link['imported']} (l.{lines})", bold=False
            )
            output.new_line()
        output.print_error(
            "Move what the other area needs into its queries, services, rules or panels.",
            bold=False,
        )
        output.new_line()
