"""The shape of the package: modules one reads in one sitting, no import cycles, layers that hold.

Read from the source with `ast`, without importing anything: every import a
module makes when it runs (at the top or inside a function) counts; imports
only for type checkers do not.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "coprod_match"
MAX_LINES = 450
# Edges of the application: pages, the API and the command line.
HIGHER = ("coprod_match.web", "coprod_match.api", "coprod_match.cli")
# Everything the edges build on; `<area>.cli` modules are edges that live in their area.
LOWER = (
    "coprod_match.vocabulary", "coprod_match.models", "coprod_match.services",
    "coprod_match.queries", "coprod_match.matching", "coprod_match.continuity",
    "coprod_match.transfers", "coprod_match.jobs", "coprod_match.domain_errors",
    "coprod_match.transaction", "coprod_match.schedule", "coprod_match.lazy_text",
)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _absolute(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _runtime_imports(module: str) -> set[str]:
    """The package's modules that `module` imports when it runs."""
    path = MODULES[module]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.ImportFrom):
                target = _absolute(module, path.name == "__init__.py", child)
                for alias in child.names:
                    name = f"{target}.{alias.name}"
                    found.add(name if name in MODULES else target)
            elif isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            visit(child)

    visit(ast.parse(path.read_text()))
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: _runtime_imports(module) for module in MODULES}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or around a loop (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def connect(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in sorted(graph[node]):
            if neighbour not in index:
                connect(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
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

    for node in sorted(graph):
        if node not in index:
            connect(node)
    return groups


def _is_lower(module: str) -> bool:
    return module.startswith(LOWER) and not module.endswith(".cli")


def test_no_module_is_longer_than_one_sitting():
    long = {name: len(path.read_text().splitlines()) for name, path in MODULES.items()}
    assert {name: lines for name, lines in long.items() if lines > MAX_LINES} == {}


def test_no_import_cycles():
    assert _cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_loop():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_lower_layers_never_import_pages_api_or_commands():
    upward = sorted((module, target) for module, targets in GRAPH.items() if _is_lower(module)
                    for target in targets if target.startswith(HIGHER))
    assert upward == []


def test_the_walk_sees_the_whole_package():
    assert len(MODULES) > 80
    assert "coprod_match.models" in GRAPH["coprod_match.services.placements"] or any(
        target.startswith("coprod_match.models") for target in GRAPH["coprod_match.services.placements"])
