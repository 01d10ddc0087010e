"""What an analyst's change does to the stored notebooks: one assumption line moves a verdict; an
unsourced assumption moved inside its range never flips one silently; a source dated after an
article leaves its notebooks unchanged; no helper is copied between notebooks."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import nbformat
import pytest

from estimates import execute, paths
from estimates.publish import read_records
from tests.test_notebooks import CASE_1, CHECK_01, NOTEBOOKS, _stored

def test_an_analyst_changing_one_assumption_cell_moves_the_verdict(tmp_path):
    """Notebook 01 with the season factor (autumn's pace over the year's average) fixed at the top of its
    range: the annual route no longer reaches the band, and the verdict as argued leaves 'consistent',
    decided by that route, while the daily route stays consistent (routes disagree)."""
    nb = _stored(CHECK_01)
    line = 'SEASON = Assumption("season_factor", 0.5, 1.5,'
    cells = [c for c in nb.cells if c.cell_type == "code" and line in c.source]
    assert len(cells) == 1, "the assumption cell moved"
    cells[0].source = cells[0].source.replace(line, 'SEASON = Assumption("season_factor", 1.5, 1.5,')
    path = tmp_path / CHECK_01.name
    nbformat.write(nb, path)
    run = execute.execute_notebook(path)
    assert run.ok, run.error
    stored = [v for v in (r.as_dict() for r in read_records(_stored(CHECK_01))[0]) if v["claim_id"] == "two-months-of-war"][0]
    moved = [v for v in (r.as_dict() for r in run.verdicts) if v["claim_id"] == "two-months-of-war"][0]
    assert stored["extra"]["as_argued"] == "consistent" and "season_factor" in stored["deciding_inputs"]
    assert moved["extra"]["as_argued"] in ("strained", "inconsistent")
    routes = {r["name"]: r["verdict"] for r in moved["routes"]}
    assert routes["annual totals, at a season's pace"] == moved["extra"]["as_argued"]
    assert routes["daily figures, 2023"] == "consistent" and moved["routes_disagree"]


CHECK_02 = paths.case_notebooks(CASE_1) / "02-containers-tonnage-and-transfers.ipynb"


@pytest.mark.parametrize("path, line, inside, name, flips", [
    (CHECK_02, "MUNITIONS_SHARE = (0.5, 0.95)", "MUNITIONS_SHARE = (0.5, 0.5)", "munitions_share", True),
    (CHECK_02, "SHARE_152, SHARE_ROCKET = (0.4, 0.8), (0.0, 0.15)", "SHARE_152, SHARE_ROCKET = (0.8, 0.8), (0.0, 0.15)",
     "share_152", False),
    (CHECK_01, 'SPREAD = Assumption("point_spread", 1.1, 1.6,', 'SPREAD = Assumption("point_spread", 1.6, 1.6,',
     "point_spread", False),
], ids=["munitions-share-low", "share-152-high", "point-spread-wide"])
def test_an_unsourced_assumption_moved_inside_its_range_never_flips_a_verdict_silently(tmp_path, path, line, inside,
                                                                                    name, flips):
    """Set one unsourced assumption to the end of its own stated range and re-run: every verdict
    that changes must be one whose stored record says it depends on that assumption."""
    nb = _stored(path)
    cells = [c for c in nb.cells if c.cell_type == "code" and line in c.source]
    assert len(cells) == 1, "the assumption cell moved"
    cells[0].source = cells[0].source.replace(line, inside)
    copy_path = tmp_path / path.name
    nbformat.write(nb, copy_path)
    run = execute.execute_notebook(copy_path)
    assert run.ok, run.error
    stored = {v["claim_id"]: v for v in (r.as_dict() for r in read_records(_stored(path))[0])}
    as_argued = lambda v: (v.get("extra") or {}).get("as_argued", v["verdict"])  # noqa: E731 (a declared check's)
    changed = [v["claim_id"] for v in (r.as_dict() for r in run.verdicts) if as_argued(v) != as_argued(stored[v["claim_id"]])]
    silent = [cid for cid in changed if not any(name in d["assumption"] for d in stored[cid]["depends_on"])
              and name not in stored[cid].get("deciding_inputs", [])]
    assert not silent, f"{name} flips {silent} inside its range, and their records do not say so"
    assert bool(changed) == flips, changed  # the case that flips proves this test can see a flip


def test_a_source_dated_after_the_first_article_leaves_its_notebooks_unchanged_under_strict_nbval(tmp_path):
    """Adding a source for a later article (dated after the first) must not change one stored output
    of the first article's notebooks: strict nbval passes on them against the extended file."""
    extended = tmp_path / "figures.toml"
    extended.write_text(paths.REFERENCE_FIGURES.read_text(encoding="utf-8") + '''
[[sources]]
id = "later-article-test-figure"
figure = "a figure published after the first article, for a later one"
value = 9999
unit = "container"
qualifier = "about"
period = "2025"
producer = "Test Outlet"
originator = "Test Agency"
title = "headline not recorded"
published = 2025-01-01
url = "not recorded in the reference sheet"
quote = "9,999 containers"
tags = ["nk-deliveries", "ru-2023", "ru-fire-rate", "ctr-20ft-payload"]
''', encoding="utf-8")
    folder = paths.case_notebooks(CASE_1)
    env = {**os.environ, "ESTIMATE_CHECKER_SOURCES": str(extended)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-o", "addopts=",
         "--nbval-sanitize-with", str(paths.TESTS / "nbval-sanitize.cfg"), "-q", str(folder)],
        cwd=paths.ROOT, capture_output=True, text=True, timeout=900, env=env)
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"\d+ passed", result.stdout)


def _notebook_functions() -> dict[str, dict[str, str]]:
    """Every function a notebook defines: {notebook: {name: its body as an AST dump, names erased}}."""
    import ast
    found = {}
    for path in NOTEBOOKS:
        code = "\n".join(c.source for c in _stored(path).cells if c.cell_type == "code")
        tree = ast.parse(code)
        defs = {}
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.Lambda)) and isinstance(node, ast.FunctionDef):
                body = ast.Module(body=node.body, type_ignores=[])
                defs[node.name] = re.sub(r"(id|arg|attr)='[^']*'", r"\1=_", ast.dump(body))
        found[f"{path.parent.name}/{path.stem}"] = defs
    return found


def test_no_function_body_is_copied_between_notebooks():
    seen: dict[str, str] = {}
    copies = []
    for notebook, defs in _notebook_functions().items():
        for name, body in defs.items():
            if body in seen and seen[body] != notebook:
                copies.append((name, notebook, seen[body]))
            seen.setdefault(body, notebook)
    assert not copies, f"the same function body in two notebooks (move it into the package): {copies}"


def test_the_shared_helpers_live_in_the_package_not_in_notebooks():
    shared = {"packed", "limits", "weekday", "previous_month", "last_week", "month", "geodesic", "stated_step",
              "rounding_step", "claim_lines", "show_claims", "bare_masses", "container"}
    defined = {name for defs in _notebook_functions().values() for name in defs}
    assert not shared & defined, shared & defined


@pytest.mark.parametrize("share", [0.5, 0.7, 0.95])
def test_a_what_if_move_prints_what_a_full_re_run_of_the_notebook_prints(tmp_path, share):
    """The headline's what-if, the munitions share moved to one value, against the notebook run whole with
    its declaration set to the same value: the same verdict table, word for word (0.5 flips the verdict
    as argued; 0.95 does not)."""
    from estimates.explore import what_if_text
    from estimates.publish import VERDICT_MIME
    from tests.notebook_code import declared_names
    names = declared_names(CHECK_02)
    printed = what_if_text(names["rounds"], names["nis"], {"munitions_share": share},
                           finding="nis-one-million-rounds")
    nb = _stored(CHECK_02)
    line = "MUNITIONS_SHARE = (0.5, 0.95)"
    cells = [c for c in nb.cells if c.cell_type == "code" and line in c.source]
    assert len(cells) == 1, "the assumption cell moved"
    cells[0].source = cells[0].source.replace(line, f"MUNITIONS_SHARE = ({share}, {share})")
    nbformat.write(nb, tmp_path / CHECK_02.name)
    run = execute.execute_notebook(tmp_path / CHECK_02.name, update=True)
    assert run.ok, run.error
    rerun = nbformat.read(tmp_path / CHECK_02.name, as_version=4)
    tables = [o["data"]["text/plain"] for c in rerun.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if VERDICT_MIME in o.get("data", {}) and o["data"][VERDICT_MIME]["claim_id"] == "rounds-transferred"]
    assert tables == [printed]
    stored = [v for v in (r.as_dict() for r in read_records(_stored(CHECK_02))[0]) if v["claim_id"] == "rounds-transferred"][0]
    flipped = stored["extra"]["as_argued"] != [v for v in (r.as_dict() for r in run.verdicts) if v["claim_id"] == "rounds-transferred"][0]["extra"]["as_argued"]
    if share in (0.5, 0.95):
        assert flipped == (share == 0.5)
