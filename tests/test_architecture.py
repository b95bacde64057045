"""The house has floors: no two areas of the app import each other (not even from inside a
function), and the report layout never imports the app.

Each package under `app/` (a blueprint, `models`, `report_jobs`...) and each top-level module
(`app/audit.py`, `app/content.py`...) is one area. `app/__init__.py`, the application factory,
wires every area together and stands above them all; an area that needs it (a worker making its
app) may import only `create_app`, which no area may import back into a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app"
FACTORY = "app"


def _area_of(module: str) -> str | None:
    """The area a dotted module name belongs to (`app.assessments.views` -> `app.assessments`)."""
    parts = module.split(".")
    if parts[0] != "app":
        return None
    if len(parts) == 1:
        return FACTORY
    return f"app.{parts[1]}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imported(path: Path) -> set[str]:
    """Every module that the file imports, at module level and inside functions alike."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                # `from app import limits` imports the module `app.limits`.
                name = f"{target}.{alias.name}"
                names.add(name if _is_module(name) else target)
    return names


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.is_dir() or path.with_suffix(".py").is_file()


def _graph(root: Path = APP) -> dict[str, set[str]]:
    """Who imports whom, area by area. Imports of the factory are left out: it stands above
    every area (the test below keeps it so)."""
    edges: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        if "migrations" in path.relative_to(root).parts:
            continue
        source = _area_of(_module_name(path))
        targets = edges.setdefault(source, set())
        for name in _imported(path):
            target = _area_of(name)
            if target not in (None, source, FACTORY):
                targets.add(target)
    return edges


def _circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one area (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def _why(edges: dict[str, set[str]], group: list[str]) -> list[str]:
    return [f"{a} -> {b}" for a in group for b in sorted(edges.get(a, ())) if b in group]


def test_no_two_areas_of_the_app_import_each_other():
    edges = _graph()

    circles = _circles(edges)

    assert not circles, "\n".join(
        f"circle {n}: {', '.join(group)}\n  " + "\n  ".join(_why(edges, group))
        for n, group in enumerate(circles, 1)
    )


def test_areas_take_nothing_from_the_factory_but_create_app():
    # A worker that runs outside the web app makes its app; nothing else of the factory module
    # is shared, so that it stays on the top floor and never closes a circle.
    offenders = sorted(
        f"{path.relative_to(ROOT)} imports {sorted(alias.name for alias in node.names)}"
        for path in APP.rglob("*.py")
        if path != APP / "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module == "app" and not node.level
        for alias in node.names
        if not _is_module(f"app.{alias.name}") and alias.name != "create_app"
    )

    assert not offenders, offenders


def test_the_report_layout_never_imports_the_app():
    offenders = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / "reports").rglob("*.py")
        for name in _imported(path)
        if name.split(".")[0] in {"app", "flask", "flask_sqlalchemy", "sqlalchemy"}
    )

    assert not offenders, offenders
