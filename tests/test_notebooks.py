"""The stored notebooks: clean, deterministic, and under a comparison that can fail.

Strict nbval itself runs over notebooks/ in the same pytest session (see pyproject.toml); the
tests here prove what nbval alone cannot: that the stored outputs come from a clean run, that a
changed number makes nbval fail, that a changed input moves a verdict, and that a second run
gives the same records without touching the network or the working tree.
"""
from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from estimates import execute, paths, report, runner
from estimates.publish import VERDICT_MIME, read_records

NOTEBOOKS = runner.find_notebooks(paths.NOTEBOOKS)
NETGUARD = Path(__file__).parent / "netguard"
CASE_1 = "2023-11-01-thehindu-afp-nk-russia-artillery"
CHECK_01 = paths.case_notebooks(CASE_1) / "01-do-a-million-rounds-last-two-months.ipynb"


def _stored(path: Path) -> dict:
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_notebook_comes_from_a_clean_top_to_bottom_run(path):
    nb = _stored(path)
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1)), "re-run with `make notebooks`"
    assert nb.metadata.kernelspec.name == "python3"
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            assert out.output_type != "error", cell.source[:80]
            assert not (out.output_type == "stream" and out.name == "stderr"), f"stderr stored: {out.text[:200]}"
    text = json.dumps(nb)
    assert not re.search(r"at 0x[0-9a-fA-F]{6,}", text), "a memory address is stored"
    assert "nbval-ignore-output" not in text and "NBVAL_IGNORE_OUTPUT" not in text


def test_every_check_notebook_emits_verdicts_and_estimates():
    from estimates.case import case_ids, load_case
    checks = {(cid, c.check) for cid in case_ids() for c in load_case(cid).claims if c.check}
    assert len(checks) >= 5
    for path in NOTEBOOKS:
        verdicts, estimates = read_records(_stored(path))
        if (path.parent.name, path.stem) in checks:
            assert verdicts and estimates, path.name
        else:  # a notebook no register names (the article's register, hindsight) judges no claim
            assert not verdicts, path.name


def _nbval(nb_path: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider",
         "-o", "addopts=", "--rootdir", str(tmp_path), "-q", str(nb_path)],
        cwd=tmp_path, capture_output=True, text=True, timeout=600)


def test_negative_control_nbval_fails_when_one_stored_number_changes(tmp_path):
    nb = _stored(CHECK_01)
    in_stream, in_verdict = copy.deepcopy(nb), copy.deepcopy(nb)
    hits = 0
    for cell in in_stream.cells:
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and "months covered by 1,000,000 rounds, daily figures: 1.8 month" in out.text:
                out.text = out.text.replace("daily figures: 1.8 month", "daily figures: 1.9 month")
                hits += 1
    for cell in in_verdict.cells:
        for out in cell.get("outputs", []):
            if VERDICT_MIME in out.get("data", {}):
                out["data"][VERDICT_MIME]["tail_probability"] += 0.01  # the JSON record only, not its table
                hits += 1
    assert hits == 2, "a control's target output moved; point the control at a stored number again"
    nbformat.write(nb, tmp_path / "unchanged.ipynb")
    nbformat.write(in_stream, tmp_path / "changed-stream.ipynb")
    nbformat.write(in_verdict, tmp_path / "changed-verdict.ipynb")
    control = _nbval(tmp_path / "unchanged.ipynb", tmp_path)
    assert control.returncode == 0, control.stdout[-3000:]
    result = _nbval(tmp_path, tmp_path)
    assert result.returncode == 1, result.stdout[-3000:]
    failed = sorted(set(re.findall(r"FAILED (changed-\w+|unchanged)\.ipynb", result.stdout)))
    assert failed == ["changed-stream", "changed-verdict"], result.stdout[-3000:]
    assert "1.9 month" in result.stdout


def test_negative_control_a_changed_fire_rate_source_moves_the_verdict_record(tmp_path, monkeypatch):
    text = paths.REFERENCE_FIGURES.read_text(encoding="utf-8")
    # the US estimate of January 2023, 5,000 a day, becomes 50,000: the autumn-2023 model speeds up
    marker = 'id = "ru-rate-us-cnn-2023-01"'
    start = text.index(marker)
    changed = text[:start] + text[start:].replace("value = 5000", "value = 50000", 1)
    assert changed != text
    figures = tmp_path / "figures.toml"
    figures.write_text(changed, encoding="utf-8")
    stored = [v for v in (r.as_dict() for r in read_records(_stored(CHECK_01))[0]) if v["claim_id"] == "two-months-of-war"][0]
    monkeypatch.setenv("ESTIMATE_CHECKER_SOURCES", str(figures))
    copy_path = tmp_path / CHECK_01.name
    copy_path.write_bytes(CHECK_01.read_bytes())
    run = execute.execute_notebook(copy_path)
    assert run.ok, run.error
    moved = [v for v in (r.as_dict() for r in run.verdicts) if v["claim_id"] == "two-months-of-war"][0]
    daily = {r["name"]: r for r in moved["routes"]}["daily figures, 2023"]
    stored_daily = {r["name"]: r for r in stored["routes"]}["daily figures, 2023"]
    assert daily["model"]["p50"] < stored_daily["model"]["p50"]
    assert moved != stored


def test_the_network_guard_refuses_everything_but_loopback():
    import importlib.util
    spec = importlib.util.spec_from_file_location("netguard", NETGUARD / "sitecustomize.py")
    guard = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(guard)  # patches socket; undone below
    import socket
    try:
        assert guard.allowed("127.0.0.1") and guard.allowed("::1") and guard.allowed("localhost")
        assert not guard.allowed("203.0.113.7") and not guard.allowed("example.org")
        assert not guard.allowed("10.0.0.1")
        with pytest.raises(guard.NetworkDisabled, match="name lookup of 'example.org' refused"):
            socket.getaddrinfo("example.org", 80)  # refused before any lookup is sent
    finally:
        socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = (
            guard._connect, guard._connect_ex, guard._getaddrinfo)


def _text_outputs(nb: dict) -> list:
    """Every output of every code cell, less pictures (nbval compares the same)."""
    keep = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            for out in cell.get("outputs", []):
                data = {k: v for k, v in out.get("data", {}).items() if not k.startswith("image/")}
                keep.append((out["output_type"], out.get("name"), out.get("text"), data))
    return keep


def test_every_notebook_runs_twice_to_its_stored_outputs_offline_and_writes_only_the_report(tmp_path, monkeypatch):
    def status():
        return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=paths.ROOT,
                              capture_output=True, text=True).stdout
    git = (paths.ROOT / ".git").exists()
    before = status() if git else ""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(NETGUARD), os.environ.get("PYTHONPATH", "")]))
    probe = tmp_path / "probe.ipynb"  # proves the guard is loaded in the kernels, without any traffic
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import socket, sitecustomize\nprint(socket.getaddrinfo.__module__, hasattr(sitecustomize, 'allowed'))")],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}), probe)
    probe_run = execute.execute_notebook(probe)
    assert probe_run.ok and probe_run.nb["cells"][0]["outputs"][0]["text"] == "sitecustomize True\n"
    reports = []
    for name in ("first", "second"):
        runs = runner.run_all(NOTEBOOKS, jobs=2)
        assert all(r.ok for r in runs), [(r.name, r.error) for r in runs if not r.ok]
        for r in runs:
            assert _text_outputs(r.nb) == _text_outputs(_stored(r.path)), f"{r.name}: outputs differ from stored"
        doc, problems = report.assemble(runs)
        assert problems == []
        report.write_report(doc, runs, tmp_path / name)
        reports.append((tmp_path / name / "verdicts.json").read_bytes())
    assert reports[0] == reports[1]
    if git:
        assert status() == before, "the main job wrote outside reports/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_notebook_reads_as_an_analysis_prose_at_least_code_no_function_no_long_cell(path):
    """A notebook tells its argument (GUIDE, norvig's pytudes): at least as many markdown characters as
    code characters, no function defined (no def, no lambda: the package holds every helper), and no
    code cell over 15 lines."""
    import ast
    nb = _stored(path)
    prose = sum(len(c.source) for c in nb.cells if c.cell_type == "markdown")
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    assert prose >= sum(map(len, code)), f"markdown {prose} < code {sum(map(len, code))}"
    functions = [n for s in code for n in ast.walk(ast.parse(s))
                 if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]
    assert not functions, [getattr(f, "name", "lambda") for f in functions]
    long = [len(s.strip().splitlines()) for s in code if len(s.strip().splitlines()) > 15]
    assert not long, long


def test_negative_control_the_analysis_shape_test_sees_a_defined_function_and_a_long_cell(tmp_path, monkeypatch):
    import nbformat.v4 as v4
    bad = v4.new_notebook(cells=[v4.new_markdown_cell("# A question\n\nSome prose, long enough." * 20),
                                 v4.new_code_cell("def helper():\n    return 1"),
                                 v4.new_code_cell("\n".join(f"x{i} = {i}" for i in range(16)))])
    path = tmp_path / "bad.ipynb"
    nbformat.write(bad, path)
    with pytest.raises(AssertionError, match="helper"):
        test_every_notebook_reads_as_an_analysis_prose_at_least_code_no_function_no_long_cell(path)
    bad.cells.pop(1)
    nbformat.write(bad, path)
    with pytest.raises(AssertionError, match=r"\[16\]"):
        test_every_notebook_reads_as_an_analysis_prose_at_least_code_no_function_no_long_cell(path)
