"""No import cycle in the package, the local stack or the API's modules: each module's imports, module-level or
inside a function alike, run one way. A cycle hides which module is the lower one (and what loads with what)."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]


def cycles_among(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """Each pair of modules that reach each other, through any chain of imports."""
    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for nxt in graph.get(todo.pop(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    reached = {module: reach(module) for module in graph}
    return sorted((a, b) for a in graph for b in reached[a] if a < b and a in reached.get(b, set()))


@pytest.mark.parametrize("package", ["followup", "local"])
def test_no_cycle_in_a_package(package):
    built = grimp.build_graph(package, exclude_type_checking_imports=True)
    graph = {m: built.find_modules_directly_imported_by(m) for m in built.modules}

    assert len(graph) > 10 and cycles_among(graph) == []


def test_no_cycle_among_the_api_functions_modules():
    folder = ROOT / "functions" / "api"
    names = {path.stem for path in folder.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in folder.glob("*.py"):
        imported = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                imported |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                imported.add(node.module)
        graph[path.stem] = imported & names

    assert len(graph) > 8 and cycles_among(graph) == []


def test_the_check_sees_a_cycle():
    assert cycles_among({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [("a", "b"), ("a", "c"), ("b", "c")]
