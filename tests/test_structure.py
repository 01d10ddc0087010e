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


def _pins(path: Path) -> list[str]:
    """The package names pinned in a requirements file (lower case, - for _)."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            assert "==" in line, f"{path.name}: {line!r} is not pinned with =="
            names.append(line.split("==")[0].strip().lower().replace("_", "-"))
    return names


def _repeats(*files: Path) -> list[str]:
    names = [n for f in files for n in _pins(f)]
    return sorted({n for n in names if names.count(n) > 1})


def test_the_requirements_are_exact_and_each_package_is_pinned_once():
    cluster = paths.ROOT / "requirements-cluster.txt"
    assert "-r requirements.txt" in cluster.read_text(encoding="utf-8")
    assert _repeats(paths.REQUIREMENTS, cluster) == []
    assert {"dask", "distributed"} <= set(_pins(cluster)) and not {"dask", "distributed"} & set(_pins(paths.REQUIREMENTS))


def test_a_package_pinned_twice_is_found(tmp_path):  # negative control
    twice = tmp_path / "r.txt"
    twice.write_text("execnet==2.1.2\npytest-xdist==3.8.0\nexecnet==2.1.2\n", encoding="utf-8")
    assert _repeats(twice) == ["execnet"]


def _cluster_imports_at_load(path: Path) -> list[int]:
    """Lines where a module imports dask or distributed as it loads (not inside a function)."""
    found = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                 else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        if any(n.split(".")[0] in ("dask", "distributed") for n in names):
            found.append(node.lineno)
    return found


def test_only_the_scheduler_needs_the_cluster_packages():
    assert {name: lines for name, path in MODULES.items() if (lines := _cluster_imports_at_load(path))} == {}


def test_a_module_that_imports_distributed_as_it_loads_is_found(tmp_path):  # negative control
    module = tmp_path / "m.py"
    module.write_text("import os\nfrom distributed import Client\n\ndef f():\n    import dask\n", encoding="utf-8")
    assert _cluster_imports_at_load(module) == [2]


def _exact_number_formats(path: Path) -> list[int]:
    """Lines that write a number as stored (the ``,.10g`` format) other than in ``units.number_text``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant))
            if spec == ",.10g":
                out.append(node.lineno)
    return out


def test_a_number_as_stored_is_written_in_one_place():
    """Numbers a record stores are written by ``units.number_text`` alone (it was done in six places)."""
    found = {name: _exact_number_formats(path) for name, path in MODULES.items()}
    assert {n: lines for n, lines in found.items() if lines} == {"units": found["units"]} and len(found["units"]) == 1


def test_a_second_place_that_writes_a_number_as_stored_is_found(tmp_path):  # negative control
    bad = tmp_path / "bad.py"
    bad.write_text('def f(v):\n    return f"{v:,.10g} up"\n', encoding="utf-8")
    assert _exact_number_formats(bad) == [2]
