"""The shape every area keeps (CONTRIBUTING.md, "Shape"): its blueprint in the package's
`__init__.py` with a `register(app)`, record lookups in `access.py`, reads in `queries.py`,
and no module in `app/` over 700 lines. Read from the source, so no app is built."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
MOST_LINES = 700

#: Areas with views or commands: each holds its blueprint in `__init__.py`.
AREAS = sorted(
    path.name
    for path in APP.iterdir()
    if (path / "__init__.py").exists() and path.name not in {"__pycache__"}
)

#: Known exceptions, each split on another branch; the coordinator removes them after merging.
SPLIT_ELSEWHERE: dict[str, str] = {}
LONG_FILES_SPLIT_ELSEWHERE: dict[str, str] = {}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"))


def _assigns(module: ast.Module) -> set[str]:
    return {
        target.id
        for node in module.body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _functions(module: ast.Module) -> set[str]:
    return {node.name for node in module.body if isinstance(node, ast.FunctionDef)}


@pytest.mark.parametrize("area", [area for area in AREAS if area not in SPLIT_ELSEWHERE])
def test_each_area_holds_its_blueprint_and_register_in_its_init(area: str) -> None:
    init = _tree(APP / area / "__init__.py")
    assert "bp" in _assigns(init), f"app/{area}/__init__.py defines no `bp`"
    assert "register" in _functions(init), f"app/{area}/__init__.py has no `register(app)`"


def test_no_blueprint_is_made_outside_an_areas_init() -> None:
    made = re.compile(r"^\w+ = Blueprint\(", re.M)
    elsewhere = sorted(
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if path.name != "__init__.py"
        and made.search(path.read_text(encoding="utf-8"))
        and path.parent.name not in SPLIT_ELSEWHERE
    )
    # The API keeps a second blueprint for its keys pages and one for its CLI commands.
    assert elsewhere == ["api/cli.py", "api/key_routes.py"]


def test_record_lookups_live_in_access_modules() -> None:
    """In an area, `<record>_or_404` lives in access.py (shared modules in app/ may offer
    one too: `employers.organisation_id_or_404`)."""
    lookups = re.compile(r"^def \w*_or_404\(", re.M)
    elsewhere = sorted(
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if path.name != "access.py"
        and path.parent != APP
        and lookups.search(path.read_text(encoding="utf-8"))
        and path.parent.name not in SPLIT_ELSEWHERE
    )
    assert elsewhere == []


def _split_elsewhere(relative: str) -> bool:
    return any(
        relative == known or (known.endswith("/") and relative.startswith(known))
        for known in LONG_FILES_SPLIT_ELSEWHERE
    )


def test_no_module_in_app_is_over_700_lines() -> None:
    long = {
        str(path.relative_to(APP)): count
        for path in APP.rglob("*.py")
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert {name: count for name, count in long.items() if not _split_elsewhere(name)} == {}


def test_shared_modules_have_one_page_number_parser() -> None:
    copies = sorted(
        str(path.relative_to(APP))
        for path in APP.rglob("*.py")
        if 'args.get("page"' in path.read_text(encoding="utf-8")
        and not _split_elsewhere(str(path.relative_to(APP)))
    )
    assert copies == []
