"""Incremental runs: a notebook whose inputs have not changed is not run again, and any change to
what its results depend on (its cells, its case's notebooks, seed, register or pre-registration,
the sources, the package, the requirements) runs it again; a stale cache can never make a wrong report."""
from __future__ import annotations

import io
import shutil


import nbformat
import pytest

from estimates import paths, runcache, runner, terminal
from estimates.case import case_ids
from tests.test_runner import GOOD, _notebook

#: The cases found, whichever they are: no test here names one.
CASES = [c for c in case_ids() if paths.case_notebooks(c).is_dir()]


def _digests():
    return {p: runcache.input_digest(p) for p in runner.find_notebooks(paths.NOTEBOOKS)}


def _changed(before, after):
    return {p.parent.name for p in before if before[p] != after[p]}


def test_stored_outputs_alone_do_not_change_the_digest(tmp_path):
    src = next(p for p in runner.find_notebooks(paths.NOTEBOOKS)
               if any(c.cell_type == "code" and c.outputs for c in nbformat.read(p, as_version=4).cells))
    copy = tmp_path / src.parent.name / src.name
    copy.parent.mkdir()
    nb = nbformat.read(src, as_version=4)
    nbformat.write(nb, copy)
    before = runcache.input_digest(copy)
    cell = next(c for c in nb.cells if c.cell_type == "code" and c.outputs)
    cell.outputs = []
    nbformat.write(nb, copy)
    assert runcache.input_digest(copy) == before
    cell.source += "\n# a changed line"
    nbformat.write(nb, copy)
    assert runcache.input_digest(copy) != before


@pytest.mark.parametrize("case", CASES)
def test_a_changed_register_reruns_only_its_own_cases_notebooks(tmp_path, monkeypatch, case):
    before = _digests()
    seeds = tmp_path / "seeds"
    shutil.copytree(paths.SEEDS, seeds)
    register = seeds / f"{case}.claims.toml"
    register.write_text(register.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    monkeypatch.setattr(paths, "SEEDS", seeds)
    assert _changed(before, _digests()) == {case}


@pytest.mark.parametrize("case", CASES)
def test_a_notebook_added_to_a_case_reruns_that_cases_notebooks_only(tmp_path, case):
    for each in CASES:
        shutil.copytree(paths.case_notebooks(each), tmp_path / each)
    before = {p: runcache.input_digest(p) for p in runner.find_notebooks(tmp_path)}
    _notebook(tmp_path / case / "99-new.ipynb", "1")  # notebook 00 of a case lists its notebooks
    after = {p: runcache.input_digest(p) for p in before}
    assert _changed(before, after) == {case}


@pytest.mark.parametrize("kind", ["sources", "package", "requirements"])
def test_a_change_every_case_depends_on_reruns_every_notebook(tmp_path, monkeypatch, kind):
    before = _digests()
    if kind == "sources":
        figures = tmp_path / "figures.toml"
        figures.write_text(paths.REFERENCE_FIGURES.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
        monkeypatch.setenv("ESTIMATE_CHECKER_SOURCES", str(figures))
    elif kind == "package":
        package = tmp_path / "estimates"
        shutil.copytree(paths.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
        (package / "data" / "capacity.toml").write_text(
            (package / "data" / "capacity.toml").read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
        monkeypatch.setattr(paths, "PACKAGE", package)
    else:
        requirements = tmp_path / "requirements.txt"
        requirements.write_text(paths.REQUIREMENTS.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        monkeypatch.setattr(paths, "REQUIREMENTS", requirements)
    assert _changed(before, _digests()) == set(CASES) and len(CASES) >= 1


def test_a_second_run_takes_everything_from_the_cache_and_a_changed_notebook_runs_again(tmp_path, monkeypatch,
                                                                                       capsys):
    monkeypatch.setenv("ESTIMATE_CHECKER_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "notebooks" / "fixture-case"
    folder.mkdir(parents=True)
    _notebook(folder / "01-good.ipynb", GOOD)
    _notebook(folder / "02-other.ipynb", "x = 2")
    _notebook(folder / "03-broken.ipynb", "raise RuntimeError('no')")
    notebooks = runner.find_notebooks(tmp_path / "notebooks")
    first = runner.run_all(notebooks, 1, cache=True, out=None)
    assert [r.cached for r in first] == [False, False, False]
    second = runner.run_all(notebooks, 1, cache=True)
    assert [r.cached for r in second] == [True, True, False]   # a failed run is never cached
    assert second[0].verdicts == first[0].verdicts and second[0].estimates == first[0].estimates
    _notebook(folder / "02-other.ipynb", "x = 3")
    third = runner.run_all(notebooks, 2, cache=True)
    assert [r.cached for r in third] == [True, False, False]
    assert f"cached   {folder.name}/01-good.ipynb" in capsys.readouterr().out
    forced = runner.run_all(notebooks, 1, cache=False)
    assert not any(r.cached for r in forced)


@pytest.mark.parametrize("case", CASES)
def test_the_cache_key_covers_the_pre_registration(tmp_path, monkeypatch, case):
    """A freeze edited, or made where a case had none, reruns that case's notebooks only."""
    before = _digests()
    seeds = tmp_path / "seeds"
    shutil.copytree(paths.SEEDS, seeds)
    frozen = seeds / f"{case}.freeze-1.json"
    frozen.write_text((frozen.read_text(encoding="utf-8") if frozen.exists() else "{}") + " ", encoding="utf-8")
    monkeypatch.setattr(paths, "SEEDS", seeds)
    assert _changed(before, _digests()) == {case}



def test_a_cache_that_cannot_be_written_costs_only_time(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv("ESTIMATE_CHECKER_CACHE", str(blocked / "runs"))
    folder = tmp_path / "notebooks" / "fixture-case"
    folder.mkdir(parents=True)
    _notebook(folder / "01-good.ipynb", GOOD)
    notebooks = runner.find_notebooks(tmp_path / "notebooks")
    first = runner.run_all(notebooks, 1, cache=True)
    second = runner.run_all(notebooks, 1, cache=True)
    assert first[0].ok and second[0].ok and not second[0].cached
    assert second[0].verdicts == first[0].verdicts


@pytest.mark.parametrize("entry", ["{not json", '{"notebook": "x"}', '["a list"]', ""])
def test_a_kept_run_that_cannot_be_read_is_run_again_after_the_others(tmp_path, monkeypatch, entry):
    monkeypatch.setenv("ESTIMATE_CHECKER_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "notebooks" / "fixture-case"
    folder.mkdir(parents=True)
    _notebook(folder / "01-good.ipynb", GOOD)
    _notebook(folder / "02-other.ipynb", "print('other')")
    notebooks = runner.find_notebooks(tmp_path / "notebooks")
    first = runner.run_all(notebooks, 2, out=io.StringIO(), cache=True)
    broken = runcache.entry(runcache.input_digest(notebooks[0]))
    broken.write_text(entry, encoding="utf-8")
    out = io.StringIO()
    again = runner.run_all(notebooks, 2, out=out, cache=True)
    lines = out.getvalue().splitlines()
    assert [r.cached for r in again] == [False, True] and all(r.ok for r in again)
    assert lines[0].startswith("[2/2] cached") and f"started  {folder.name}/01-good" in lines[1]
    assert f"done     {folder.name}/01-good" in lines[2]
    assert again[0].verdicts == first[0].verdicts
    assert runcache.cached(notebooks[0], runcache.input_digest(notebooks[0])) is not None  # kept again, readable


# --- issue 25, fault 11: a cache that verifies -------------------------------------------------------

def test_a_cell_tag_changes_the_key(tmp_path):
    """A skip-execution tag added to a cell was "cached" with stale verdicts: tags are in the key now."""
    path = tmp_path / "c" / "01-x.ipynb"
    path.parent.mkdir()
    _notebook(path, "x = 1")
    before = runcache.input_digest(path)
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].metadata["tags"] = ["skip-execution"]
    nbformat.write(nb, path)
    assert runcache.input_digest(path) != before


def test_the_environments_packages_are_in_the_key(monkeypatch):
    before = runcache.shared_digest()
    monkeypatch.setattr(runcache, "environment", lambda: "numpy==0.0.1")
    assert runcache.shared_digest() != before


def test_an_edited_run_entry_is_not_trusted(tmp_path, monkeypatch):
    """An edited run entry was published (exit 0); an entry whose notebook no longer matches its seal is
    run again."""
    import json
    monkeypatch.setenv("ESTIMATE_CHECKER_CACHE", str(tmp_path / "cache" / "runs"))
    path = tmp_path / "notebooks" / "c" / "01-good.ipynb"
    path.parent.mkdir(parents=True)
    _notebook(path, GOOD)
    first = runner.run_all([path], 1, out=io.StringIO(), cache=True)
    digest = runcache.input_digest(path)
    assert runcache.cached(path, digest) is not None
    entry = runcache.entry(digest)
    kept = json.loads(entry.read_text(encoding="utf-8"))
    kept["nb"]["cells"][0]["outputs"] = []  # a hand edit: the records are gone
    entry.write_text(json.dumps(kept), encoding="utf-8")
    assert runcache.cached(path, digest) is None
    again = runner.run_all([path], 1, out=io.StringIO(), cache=True)
    assert not again[0].cached and again[0].verdicts == first[0].verdicts


def test_a_page_cut_short_in_the_cache_is_made_again_and_force_makes_every_page_again(tmp_path, monkeypatch):
    from estimates import report
    monkeypatch.setenv("ESTIMATE_CHECKER_CACHE", str(tmp_path / "cache" / "runs"))
    made = []

    def make():
        made.append(1)
        return "<html>a whole page</html>"
    kept = report._memo_file("pages", "k", ".html", make)
    assert report._memo_file("pages", "k", ".html", make) == kept and len(made) == 1  # kept, and reused
    kept.write_text("<html>a whole", encoding="utf-8")  # cut short (a full disk, a killed run)
    assert report._text(report._memo_file("pages", "k", ".html", make)) == "<html>a whole page</html>"
    assert len(made) == 2
    monkeypatch.setenv(report.REMAKE, "1")  # what --force sets
    report._memo_file("pages", "k", ".html", make)
    assert len(made) == 3


def test_force_remakes_every_page_while_it_runs_and_only_then(tmp_path, monkeypatch):
    import os
    from estimates import report
    seen = []
    monkeypatch.setattr(runner, "run_all", lambda *a, **k: seen.append(os.environ.get(report.REMAKE)) or [])
    monkeypatch.setattr(report, "assemble", lambda *a, **k: ({"cases": [], "notebooks": []}, []))
    monkeypatch.setattr(report, "write_report", lambda *a, **k: None)
    monkeypatch.setattr(terminal, "terminal_table", lambda *a, **k: "")
    monkeypatch.delenv(report.REMAKE, raising=False)
    assert runner.main(["--reports", str(tmp_path / "reports"), "--force"]) == 0
    assert runner.main(["--reports", str(tmp_path / "reports")]) == 0
    assert seen == ["1", None] and report.REMAKE not in os.environ
