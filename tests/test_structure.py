"""The package's structure: no import cycle between its modules (every import counted, at the top, in
a function or for type checking only), and no private name used across modules."""
import ast
from pathlib import Path

import pytest

from estimates import paths

MODULES = {p.stem: p for p in sorted(paths.PACKAGE.glob("*.py")) if p.stem != "__init__"}


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module of the package imported, names taken from it, line) for every import in a file."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "estimates":
                out += [(a.name, [], node.lineno) for a in node.names if a.name in MODULES]
            elif node.module.startswith("estimates."):
                out.append((node.module.split(".")[1], [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            out += [(a.name.split(".")[1], [], node.lineno) for a in node.names if a.name.startswith("estimates.")]
    return out


def _graph(modules=MODULES) -> dict[str, set[str]]:
    return {name: {m for m, _, _ in _imports(path) if m != name and m in modules} for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph, as the modules around it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n):
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        state[n] = 2
        stack.pop()
        return None
    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_the_package_has_no_import_cycle():
    assert _cycle(_graph()) is None, " -> ".join(_cycle(_graph()))


def test_the_cycle_finder_finds_a_cycle():  # negative control
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def _private_uses(path: Path, name: str) -> list[tuple]:
    """Private names a module takes from another module of the package, or reaches through it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    taken = [(m, n, line) for m, names, line in _imports(path) for n in names if n.startswith("_") and m != name]
    aliases = {a.asname or a.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
               and node.module == "estimates" for a in node.names if a.name in MODULES}
    reached = [(node.value.id, node.attr, node.lineno) for node in ast.walk(tree) if isinstance(node, ast.Attribute)
               and isinstance(node.value, ast.Name) and node.value.id in aliases and node.attr.startswith("_")]
    return taken + reached


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_private_name_is_used_across_modules(name):
    assert _private_uses(MODULES[name], name) == []


def test_a_private_name_used_across_modules_is_found(tmp_path):  # negative control
    bad = tmp_path / "bad.py"
    bad.write_text("from estimates.report import _cards\nfrom estimates import coverage\ncoverage._x()\n",
                   encoding="utf-8")
    assert {u[1] for u in _private_uses(bad, "bad")} == {"_cards", "_x"}
