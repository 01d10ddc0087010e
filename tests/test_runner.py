"""The runner on a small fixture set: a good notebook, a failing one, and a claim nothing checks."""
from __future__ import annotations

import io
import json
import os
import textwrap
from pathlib import Path

import nbformat
import pytest

from estimates import execute, paths, report, runner

GOOD = '''\
from estimates.publish import show_verdict, show_estimates
from estimates.verdicts import Estimate, VerdictRecord
show_estimates([Estimate("fixture-estimate", "km", 1.0, 2.0, 3.0, "a fixture")])
show_verdict(VerdictRecord("c-one", "01-good", "Is it so?", "consistent", "estimate",
             {"value": 1000, "low": None, "high": None, "unit": "container", "qualifier": "more than",
              "text": "more than 1,000 container"}, {"unit": "container", "p5": 800, "p50": 1200, "p95": 1900},
             40.0, 0.6, 0.83, ("pace",), ("src",)))
'''


def _notebook(path: Path, *cells: str) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture
def fixture_set(tmp_path, monkeypatch):
    """Seeds with one case of three claims, and notebooks: 01-good, 02-broken (fails in cell 2)."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "fixture-case.txt").write_text("Fixture headline\n\nmore than 1,000 containers; at least 10 transfers; "
                                            "about 200 kilometres\n", encoding="utf-8")
    claims = ""
    for cid, quote, value, unit, check in [("c-one", "more than 1,000 containers", 1000, "container", "01-good"),
                                           ("c-two", "at least 10 transfers", 10, "transfer", "02-broken"),
                                           ("c-three", "about 200 kilometres", 200, "km", "03-absent")]:
        claims += textwrap.dedent(f'''
            [[claims]]
            id = "{cid}"
            kind = "quantity"
            quote = "{quote}"
            value = {value}
            unit = "{unit}"
            qualifier = "about"
            claimant = "fixture"
            made_on = 2023-11-01
            period = "fixture"
            check = "{check}"
            ''')
    (seeds / "fixture-case.claims.toml").write_text(textwrap.dedent('''\
        [article]
        title = "Fixture headline"
        outlet = "Fixture Outlet"
        agency = "AFP"
        published = 2023-11-01
        dateline = "Seoul"
        seed = "fixture-case.txt"
        ''') + claims, encoding="utf-8")
    notebooks = tmp_path / "notebooks"
    (notebooks / "fixture-case").mkdir(parents=True)
    _notebook(notebooks / "fixture-case" / "01-good.ipynb", GOOD)
    _notebook(notebooks / "fixture-case" / "02-broken.ipynb", "x = 1", "raise RuntimeError('broken on purpose')", "y = 2")
    monkeypatch.setattr(paths, "SEEDS", seeds)
    return notebooks, tmp_path / "reports"


def test_negative_control_a_failing_notebook_is_reported_as_an_error_and_the_others_survive(fixture_set, capsys):
    notebooks, reports = fixture_set
    # the failing notebook's stored outputs (a verdict for another claim, after the failing cell) are stale
    broken = nbformat.read(notebooks / "fixture-case" / "02-broken.ipynb", as_version=4)
    good = execute.execute_notebook(notebooks / "fixture-case" / "01-good.ipynb")
    broken.cells[2].outputs, broken.cells[2].execution_count = good.nb["cells"][0]["outputs"], 3
    assert broken.cells[2].outputs  # a stored verdict record for c-one, in the cell after the failure
    nbformat.write(broken, notebooks / "fixture-case" / "02-broken.ipynb")
    status = runner.main(["--notebooks", str(notebooks), "--reports", str(reports), "--jobs", "2"])
    captured = capsys.readouterr()
    out = captured.out
    assert status == 1
    assert "problem:" not in captured.err  # no false lines about records the failed notebook never made
    assert "done     fixture-case/01-good.ipynb in" in out  # a progress line names the case
    assert "note: the ClaimReview urls are relative to each case's folder (no --base-url)" in out
    assert "FAILED   fixture-case/02-broken.ipynb at cell 2: RuntimeError: broken on purpose" in out
    doc = json.loads((reports / "verdicts.json").read_text(encoding="utf-8"))
    verdicts = {v["claim_id"]: v for v in doc["cases"][0]["verdicts"]}
    assert verdicts["c-one"]["verdict"] == "consistent" and verdicts["c-one"]["model"]["p50"] == 1200
    assert verdicts["c-two"]["verdict"] == "error"
    assert "02-broken failed at cell 2" in verdicts["c-two"]["explanation"]
    assert verdicts["c-three"]["verdict"] == "not checked"
    assert doc["cases"][0]["estimates"][0]["name"] == "fixture-estimate"
    csv_text = (reports / "verdicts.csv").read_text(encoding="utf-8")
    assert csv_text.splitlines()[0].startswith("case,claim_id,check_id,notebook,verdict")
    assert len(csv_text.splitlines()) == 4
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "Fixture headline" in index and "fixture-case/index.html" in index
    page = (reports / "fixture-case" / "index.html").read_text(encoding="utf-8")
    assert "Fixture headline" in page and "not checked" in page and "../notebooks/fixture-case/01-good.html" in page
    assert (reports / "notebooks" / "fixture-case" / "01-good.html").is_file()
    assert "c-three" in out and "not checked" in out
    assert max(len(line) for line in out.splitlines() if "c-" in line) <= 100


def test_the_report_is_the_same_when_run_twice(fixture_set):
    notebooks, reports = fixture_set
    runner.main(["--notebooks", str(notebooks), "--reports", str(reports / "a"), "--jobs", "1"])
    runner.main(["--notebooks", str(notebooks), "--reports", str(reports / "b"), "--jobs", "2"])
    for name in ("verdicts.json", "verdicts.csv", "estimates.csv"):
        assert (reports / "a" / name).read_bytes() == (reports / "b" / name).read_bytes(), name


def test_a_verdict_for_a_claim_the_register_does_not_assign_is_a_problem(fixture_set, capsys):
    notebooks, reports = fixture_set
    _notebook(notebooks / "fixture-case" / "02-broken.ipynb", GOOD)  # now 02 emits c-one, which belongs to 01-good
    assert runner.main(["--notebooks", str(notebooks), "--reports", str(reports)]) == 1
    assert ("fixture-case/02-broken emits a verdict for claim 'c-one', which the register of case 'fixture-case' "
            "does not assign") in capsys.readouterr().err


def test_a_notebook_of_another_case_folder_never_answers_for_this_case(fixture_set, capsys):
    notebooks, reports = fixture_set
    (notebooks / "other-case").mkdir()
    _notebook(notebooks / "other-case" / "03-absent.ipynb", GOOD)  # the same stem as c-three's check, elsewhere
    runner.main(["--notebooks", str(notebooks), "--reports", str(reports)])
    doc = json.loads((reports / "verdicts.json").read_text(encoding="utf-8"))
    verdicts = {v["claim_id"]: v for v in doc["cases"][0]["verdicts"]}
    assert verdicts["c-three"]["verdict"] == "not checked"
    assert "no notebook notebooks/fixture-case/03-absent.ipynb" in verdicts["c-three"]["explanation"]


def test_no_notebooks_is_an_error(tmp_path, capsys):
    assert runner.main(["--notebooks", str(tmp_path), "--reports", str(tmp_path / "r")]) == 2
    assert "no notebooks found" in capsys.readouterr().err


def test_jobs_must_be_positive(tmp_path):
    with pytest.raises(SystemExit):
        runner.main(["--notebooks", str(tmp_path), "--jobs", "0"])


def test_report_files_are_written_whole_or_not_at_all(tmp_path, monkeypatch):
    from estimates.files import write_atomic
    target = tmp_path / "verdicts.json"
    target.write_text("old", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind


def test_an_unreadable_notebook_is_reported_not_raised(tmp_path):
    bad = tmp_path / "01-bad.ipynb"
    bad.write_text("{not json", encoding="utf-8")
    run = execute.execute_notebook(bad)
    assert not run.ok and "cannot read notebook" in run.error


def test_checkpoints_are_not_run(tmp_path):
    (tmp_path / ".ipynb_checkpoints").mkdir()
    _notebook(tmp_path / ".ipynb_checkpoints" / "01-x-checkpoint.ipynb", "1")
    _notebook(tmp_path / "01-x.ipynb", "1")
    assert [p.name for p in runner.find_notebooks(tmp_path)] == ["01-x.ipynb"]


def test_split_stream_outputs_are_merged_so_stored_notebooks_do_not_depend_on_timing():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x")])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="a\n"),
                           nbformat.v4.new_output("stream", name="stdout", text="b\n"),
                           nbformat.v4.new_output("stream", name="stderr", text="c\n"),
                           nbformat.v4.new_output("display_data", data={"text/plain": "d"}),
                           nbformat.v4.new_output("stream", name="stdout", text="e\n")]
    execute.coalesce_streams(nb)
    assert [(o.output_type, o.get("text")) for o in nb.cells[0].outputs] == [
        ("stream", "a\nb\n"), ("stream", "c\n"), ("display_data", None), ("stream", "e\n")]


def test_a_broken_register_stops_the_report_with_the_file_record_and_field(fixture_set, capsys):
    notebooks, reports = fixture_set
    register = paths.SEEDS / "fixture-case.claims.toml"
    register.write_text(register.read_text(encoding="utf-8").replace('unit = "km"', 'unit = "kilometrez"'),
                        encoding="utf-8")
    _notebook(notebooks / "fixture-case" / "02-broken.ipynb", "1")
    assert runner.main(["--notebooks", str(notebooks), "--reports", str(reports)]) == 2
    err = capsys.readouterr().err
    assert "fixture-case.claims.toml, record 'c-three', field 'unit'" in err and "kilometrez" in err
    assert not reports.exists()


def test_an_unknown_case_is_an_error_not_a_traceback(fixture_set, capsys):
    notebooks, reports = fixture_set
    assert runner.main(["--notebooks", str(notebooks), "--reports", str(reports), "--case", "nope"]) == 2
    assert "nope" in capsys.readouterr().err


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_page_is_rendered_where_its_notebook_ran_and_the_report_only_reads_it(tmp_path, monkeypatch, jobs):
    monkeypatch.setenv("ESTIMATE_CHECKER_CACHE", str(tmp_path / "cache" / "runs"))
    for name in ("01-a", "02-b"):
        _notebook(tmp_path / f"{name}.ipynb", f"print('{name}')")
    runs = runner.run_all(runner.find_notebooks(tmp_path), jobs, out=io.StringIO())
    assert all(r.ok for r in runs) and len(list((tmp_path / "cache" / "pages").glob("*.html"))) == 2

    def no_rendering_here():
        raise AssertionError("the report rendered a page its worker had rendered")
    monkeypatch.setattr(report, "_exporter", no_rendering_here)
    assert [name in report.notebook_page(r) for r, name in zip(runs, ("01-a", "02-b"))] == [True, True]


def test_a_page_that_cannot_be_rendered_where_the_notebook_ran_costs_only_time(tmp_path, monkeypatch):
    _notebook(tmp_path / "01-a.ipynb", "1")

    def broken(run):
        raise RuntimeError("the renderer broke")
    monkeypatch.setattr(report, "notebook_page_file", broken)
    assert [r.ok for r in runner.run_all(runner.find_notebooks(tmp_path), 1, out=io.StringIO())] == [True]


@pytest.mark.parametrize("fails", [False, True])
def test_the_report_is_prepared_once_the_notebooks_are_with_the_workers(tmp_path, fails):
    import multiprocessing
    for name in ("01-a", "02-b"):
        _notebook(tmp_path / f"{name}.ipynb", "import time; time.sleep(1)")
    seen = []

    def meanwhile():
        seen.append(len(multiprocessing.active_children()))
        if fails:
            raise RuntimeError("the preparation broke")

    runs = runner.run_all(runner.find_notebooks(tmp_path), 2, out=io.StringIO(), meanwhile=meanwhile)
    assert [r.ok for r in runs] == [True, True] and seen == [2]


def test_the_warmed_renderer_gives_the_same_page_as_a_fresh_one():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A heading <script>x()</script>"),
                                         nbformat.v4.new_code_cell("1 + 1")])
    report._exporter.cache_clear(), report.warm_up.cache_clear()
    fresh = report._exporter().from_notebook_node(nb)[0]
    report.warm_up()
    assert report._exporter().from_notebook_node(nb)[0] == fresh and "<script>x()" not in fresh
    report.prepare()  # the report's own templates, compiled once the kernels are busy, render alike
    assert report._environment() is report._environment()


def test_a_cases_report_work_is_done_as_soon_as_its_notebooks_are_and_only_for_cases_that_ran(tmp_path, monkeypatch):
    monkeypatch.setenv("ESTIMATE_CHECKER_CACHE", str(tmp_path / "cache" / "runs"))
    folder = tmp_path / "notebooks"
    for case, names, code in (("case-a", ("01-a1", "02-a2"), "1"),
                              ("case-b", ("01-b1", "02-b2"), "import time; time.sleep(1)")):
        (folder / case).mkdir(parents=True)
        for name in names:
            _notebook(folder / case / f"{name}.ipynb", code)
    notebooks = runner.find_notebooks(folder)

    def run() -> list[tuple]:
        printed, seen = io.StringIO(), []

        def case_done(case, runs):  # which case, with which runs, and the progress lines printed by then
            seen.append((case, [r.name for r in runs], [ln.split()[2] for ln in printed.getvalue().splitlines()
                                                        if " done " in ln or " cached " in ln]))
            if case == "case-a":
                raise RuntimeError("only time is lost")
        runs = runner.run_all(notebooks, 2, out=printed, cache=True, case_done=case_done)
        assert all(r.ok for r in runs)
        return seen
    seen = run()
    assert sorted(case for case, _, _ in seen) == ["case-a", "case-b"]  # once each; a failure is not the run's
    for case, names, lines in seen:  # with its runs, right after its last notebook's line (the others go on)
        assert names == [p.stem for p in notebooks if p.parent.name == case]
        assert set(f"{case}/{n}.ipynb" for n in names) <= set(lines) and lines[-1] in (f"{case}/{n}.ipynb" for n in names)
    assert run() == []  # nothing ran: nothing to prepare
    _notebook(folder / "case-b" / "02-b2.ipynb", "2")
    assert [(case, names) for case, names, _ in run()] == [("case-b", ["01-b1", "02-b2"])]  # one ran, one kept


def test_the_report_finds_each_chart_drawn_while_the_notebooks_ran(fixture_set, monkeypatch, capsys):
    notebooks, reports = fixture_set
    monkeypatch.setenv("ESTIMATE_CHECKER_CACHE", str(reports.parent / "cache" / "runs"))
    band = '{"low": 1000, "high": None, "unit": "container", "reading": "more than", "text": "1,000 and up"}'
    _notebook(notebooks / "fixture-case" / "01-good.ipynb",  # with the claim's band, for a chart
              GOOD.replace('("src",))', f'("src",), band={band})'))
    events = []
    draw, write = report._draw_chart, report.write_report
    monkeypatch.setattr(report, "_draw_chart", lambda rows: events.append("drawn") or draw(rows))
    monkeypatch.setattr(report, "write_report", lambda *a, **k: events.append("written") or write(*a, **k))
    assert runner.main(["--notebooks", str(notebooks), "--reports", str(reports), "--jobs", "1"]) == 1  # 02 fails
    assert events == ["drawn", "written"]
    assert "data:image/png;base64," in (reports / "fixture-case" / "index.html").read_text(encoding="utf-8")


def test_case_runs_that_cases_notebooks_only_and_says_nothing_false(fixture_set, capsys):
    """--case X ran every case's notebooks, printed false problem lines and exited 1; now it runs X's."""
    import shutil
    notebooks, reports = fixture_set
    seeds = paths.SEEDS
    for suffix in (".txt", ".claims.toml"):  # a second case, whose notebooks must not run
        text = (seeds / f"fixture-case{suffix}").read_text(encoding="utf-8")
        (seeds / f"other-case{suffix}").write_text(text.replace("fixture-case", "other-case"), encoding="utf-8")
    shutil.copytree(notebooks / "fixture-case", notebooks / "other-case")
    (notebooks / "fixture-case" / "02-broken.ipynb").unlink()
    status = runner.main(["--notebooks", str(notebooks), "--reports", str(reports), "--case", "fixture-case"])
    out, err = capsys.readouterr()
    assert "other-case/" not in out and "problem:" not in err and status == 0, (out, err)
    doc = json.loads((reports / "verdicts.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in doc["cases"]] == ["fixture-case"]
    assert runner.main(["--notebooks", str(notebooks), "--reports", str(reports), "--case", "no-such-case"]) == 2
    assert "no such case: no-such-case" in capsys.readouterr().err
