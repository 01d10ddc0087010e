"""Hindsight: pre-registration, later figures kept out of the as-of view, scores from the frozen file."""
import datetime as dt
import json
import subprocess


import nbformat
import pytest

from estimates import hindsight, paths, report, runner
from estimates.case import case_ids, load_case
from estimates.publish import read_records
from estimates.sources import AsOfError, load_sources
from tests.conftest import source

CASE_1 = "2023-11-01-thehindu-afp-nk-russia-artillery"


def test_a_later_figure_percentile_and_intervals_come_from_the_frozen_quantiles():
    est = {"p5": 10.0, "p25": 20.0, "p50": 30.0, "p75": 40.0, "p95": 60.0}
    assert hindsight.percentile_in(est, 25.0) == 37.5 and hindsight.percentile_in(est, 70.0) == 100.0


def test_the_interval_score_is_gneiting_and_rafterys():
    # width 2, plus 2/alpha times the miss of 2: 2 + 20 * 2
    assert hindsight.interval_score(5.0, 1.0, 3.0, 0.1) == pytest.approx(42.0)
    assert hindsight.interval_score(2.0, 1.0, 3.0, 0.1) == pytest.approx(2.0)


def test_calibration_counts_against_what_calibrated_intervals_give():
    rows = [{"in_50": True, "in_90": True, "interval_score": 1.0, "naive_interval_score": 3.0},
            {"in_50": False, "in_90": True, "interval_score": 5.0, "naive_interval_score": 3.0}]
    cal = hindsight.calibration(rows)
    assert (cal["scored"], cal["inside_50"], cal["inside_90"], cal["expected_90"]) == (2, 1, 2, 1.8)
    assert cal["mean_interval_score"] == 3.0


@pytest.mark.parametrize("case_id", case_ids())
def test_a_hindsight_figure_cannot_reach_an_as_of_model(case_id, tmp_path):
    """Every later figure of a case, and one more made for it here (dated before the case, so that only
    its marking keeps it out: a case with no later figure yet is tested all the same), stays out of the
    case's as-of view."""
    made = source("made-later-figure", hindsight_for=f'["{case_id}"]', speaks_to='["estimate:x"]',
                  published="2000-01-01")
    extended = tmp_path / "figures.toml"
    extended.write_text(paths.REFERENCE_FIGURES.read_text(encoding="utf-8") + "\n" + made, encoding="utf-8")
    case = load_case(case_id, sources_path=extended)
    later = load_sources(extended).hindsight(case_id)
    assert "made-later-figure" in {s.id for s in later}
    visible = {s.id for s in case.sources}
    for s in later:
        assert s.id not in visible
        with pytest.raises(AsOfError, match=f"record '{s.id}'"):
            case.sources[s.id]


def test_marked_hindsight_for_a_case_a_figure_is_hidden_even_when_its_date_is_early(sources_file):
    book = load_sources(sources_file(source(hindsight_for=f'["{CASE_1}"]', speaks_to='["estimate:x"]')))
    as_of = book.as_of(dt.date(2023, 11, 1), CASE_1)
    assert [s.id for s in book.as_of(dt.date(2023, 11, 1), "another-case")] == ["s-one"]
    with pytest.raises(AsOfError, match="marked hindsight"):
        as_of["s-one"]


def test_a_later_figure_must_say_what_it_speaks_to_in_the_known_forms(sources_file):
    from estimates.validate import RecordError
    with pytest.raises(RecordError, match="field 'speaks_to': 'guess:x' is not 'estimate:<name>'"):
        load_sources(sources_file(source(hindsight_for=f'["{CASE_1}"]', speaks_to='["guess:x"]')))
    with pytest.raises(RecordError, match="only a hindsight figure speaks to"):
        load_sources(sources_file(source(speaks_to='["estimate:x"]')))


def test_later_figures_are_derived_in_code_from_their_records():
    case = load_case(CASE_1)
    book = load_sources(paths.REFERENCE_FIGURES)
    value = hindsight.later_value(book["rok-mnd-152mm-in-5000-containers-2023-12"], book, "round / container")
    assert value.magnitude == pytest.approx(2_000_000 / 5000)
    months = hindsight.later_value(book["ru-production-2023-hur-liga"], book, "month")
    assert months.magnitude == pytest.approx(6.0)
    assert case.id == CASE_1


def test_claims_read_later_figures_as_support_contradiction_or_open():
    case = load_case("2024-02-26-rok-defence-minister-briefing")
    said = {c["claim_id"]: c for c in hindsight.claims(case, hindsight.load_preregistered(case.id))}
    assert said["containers-since-august-kbs"]["summary"] == "supports"           # "over 6,700": 10,000+
    assert said["containers-since-august-aggregator"]["summary"] == "contradicts"  # "about 6,700": 10,000+
    assert said["meeting-on-monday"]["summary"] == "no later figure"


def test_the_first_articles_preregistration_was_committed_without_any_source(tmp_path):
    path = paths.preregistered_path(CASE_1)
    assert path.is_file()
    if not (paths.ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    git = lambda *a: subprocess.run(["git", *a], cwd=paths.ROOT, capture_output=True, text=True).stdout  # noqa: E731
    added = git("log", "--diff-filter=A", "--format=%H", "--", str(path.relative_to(paths.ROOT))).split()
    if not added:
        pytest.skip("history not available (shallow clone)")
    files = git("show", "--name-only", "--format=", added[-1]).split()
    assert str(path.relative_to(paths.ROOT)) in files
    assert not [f for f in files if f.startswith("sources/")], files


def test_a_changed_as_of_model_shows_both_intervals_and_keeps_the_frozen_scores(tmp_path):
    """Change an as-of assumption after pre-registration: the report sets the current interval beside
    the frozen one and flags it; the scores are those of the frozen file, unchanged."""
    folder = tmp_path / CASE_1
    folder.mkdir()
    runs = []
    for path in runner.find_notebooks(paths.case_notebooks(CASE_1)):
        nb = nbformat.read(path, as_version=4)
        if path.stem == "01-do-a-million-rounds-last-two-months":
            line = 'SPREAD = Assumption("point_spread", 1.1, 1.6,'
            cell = [c for c in nb.cells if c.cell_type == "code" and line in c.source][0]
            cell.source = cell.source.replace(line, 'SPREAD = Assumption("point_spread", 1.6, 1.6,')
            nbformat.write(nb, folder / path.name)
            runs.append(runner.execute_notebook(folder / path.name))
        else:
            verdicts, estimates = read_records(nb)
            runs.append(runner.NotebookRun(folder / path.name, True, 0.0, nb, None, "", verdicts, estimates))
    assert all(r.ok for r in runs)
    doc, problems = report.assemble(runs, [CASE_1])
    assert problems == []
    h = doc["cases"][0]["hindsight"]
    changed = {c["estimate"] for c in h["changes"] if c["changed"]}
    assert "ru-fire-rate-autumn-2023" in changed and "production-months-of-1m-rounds" in changed
    row = [c for c in h["changes"] if c["estimate"] == "ru-fire-rate-autumn-2023"][0]
    assert row["preregistered"] != row["current"]
    frozen = hindsight.scores(load_case(CASE_1), hindsight.load_preregistered(CASE_1))
    assert h["scores"] == frozen  # the scores are the pre-registered file's, not this run's
    report.write_report(doc, runs, tmp_path / "report")
    page = (tmp_path / "report" / CASE_1 / "index.html").read_text(encoding="utf-8")
    assert "differs from the pre-registration" in page and "ru-fire-rate-autumn-2023" in page


def test_preregistering_again_is_refused(capsys):
    assert hindsight.main(["preregister", CASE_1]) == 2
    assert "already pre-registered" in capsys.readouterr().err


def test_a_preregistration_record_holds_estimates_verdicts_date_and_commit():
    frozen = json.loads(paths.preregistered_path(CASE_1).read_text(encoding="utf-8"))
    assert frozen["article_date"] == "2023-11-01" and len(frozen["commit"]) == 40
    assert {"p5", "p25", "p50", "p75", "p95", "unit"} <= set(frozen["estimates"][0])
    assert {v["claim_id"] for v in frozen["verdicts"]} == {c.id for c in load_case(CASE_1).claims}



FIXTURE_CASE = "2023-11-01-fixture-case"
FIXTURE_NOTEBOOK = """\
from estimates import kinds
from estimates.case import load_case
from estimates.checks import Choice, Sourced, Range, record
from estimates.publish import show_estimates, show_verdict
from estimates.units import Q_
from estimates.verdicts import estimate
case = load_case("{case}")
count = Sourced("count", "src", {{"as reported": Range(900, 1400, "container")}}, "as reported", "a count")
window = Choice("window", {{"September": (dt.date(2023, 9, 1), dt.date(2023, 9, 30))}}, "September", "", kind="date")
span = Choice("span", {{"to the article": (dt.date(2023, 9, 1), dt.date(2023, 10, 31))}}, "to the article", "", kind="date")
check = kinds.pace_check(case.claim("c-one"), count, window, span, n=20_000)
show_estimates([estimate("containers-at-pace", check.output("the count at its pace"), "container", "containers")])
show_verdict(record(check.judge(), case.claim("c-one"), "good"))
"""


@pytest.fixture
def fixture_case(tmp_path, monkeypatch):
    """A case of its own (seed, register, one check notebook), in folders the kernels see too."""
    from tests.conftest import ARTICLE, SEED_TEXT, claim
    seeds, notebooks = tmp_path / "seeds", tmp_path / "notebooks"
    (notebooks / FIXTURE_CASE).mkdir(parents=True)
    seeds.mkdir()
    (seeds / f"{FIXTURE_CASE}.txt").write_text(SEED_TEXT, encoding="utf-8")
    (seeds / f"{FIXTURE_CASE}.claims.toml").write_text(
        ARTICLE.replace("test-case.txt", f"{FIXTURE_CASE}.txt") + "\n" + claim(), encoding="utf-8")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import datetime as dt\n" + FIXTURE_NOTEBOOK.format(case=FIXTURE_CASE))])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nbformat.write(nb, notebooks / FIXTURE_CASE / "01-good.ipynb")
    for name, value in (("SEEDS", seeds), ("NOTEBOOKS", notebooks)):
        monkeypatch.setattr(paths, name, value)
        monkeypatch.setenv(f"ESTIMATE_CHECKER_{name}", str(value))
    return seeds


def test_preregister_freezes_a_fixture_case_with_its_commit_and_day(fixture_case, capsys):
    assert hindsight.main(["preregister", FIXTURE_CASE]) == 0, capsys.readouterr().err
    frozen = json.loads(paths.preregistered_path(FIXTURE_CASE).read_text(encoding="utf-8"))
    assert frozen["case"] == FIXTURE_CASE and frozen["frozen_on"] == dt.date.today().isoformat() and frozen["commit"]
    assert [e["name"] for e in frozen["estimates"]] == ["containers-at-pace"]
    assert [v["claim_id"] for v in frozen["verdicts"]] == ["c-one"] and frozen["verdicts"][0]["verdict"]
    assert "frozen in" in capsys.readouterr().out
    assert hindsight.main(["preregister", FIXTURE_CASE]) == 2  # and never rewritten
    assert not list(fixture_case.glob(".*.tmp"))


def test_preregister_without_a_case_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        hindsight.main(["preregister"])
    assert exit_.value.code == 2 and "usage:" in capsys.readouterr().err


def test_preregister_refuses_a_case_that_does_not_exist(capsys):
    assert hindsight.main(["preregister", "2099-01-01-no-such-case"]) == 2
    assert "no such case" in capsys.readouterr().err


def test_a_ctrl_c_during_preregister_ends_it_with_one_line_and_writes_nothing(fixture_case, monkeypatch, capsys):
    from estimates import runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(runner, "run_all", interrupted)
    assert hindsight.main(["preregister", FIXTURE_CASE]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "preregister: interrupted; no pre-registration was written"
    assert not paths.preregistered_path(FIXTURE_CASE).exists()
