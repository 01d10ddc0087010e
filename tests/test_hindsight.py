"""Hindsight: pre-registration, later figures kept out of the as-of view, scores from the frozen file."""
import datetime as dt
import json
import math
import subprocess


import nbformat
import pytest

from estimates import execute, freeze, hindsight, paths, report, runner
from estimates.case import case_ids, load_case
from estimates.publish import read_records
from estimates.sources import AsOfError, load_sources
from tests.conftest import source

CASE_1 = "2023-11-01-thehindu-afp-nk-russia-artillery"


def test_a_percentile_beyond_the_frozen_quantiles_prints_as_a_bound():
    est = {"p5": 10.0, "p25": 20.0, "p50": 30.0, "p75": 40.0, "p95": 60.0}
    assert hindsight.percentile_in(est, 25.0) == 37.5
    assert hindsight.percentile_text(est, 25.0) == "p38"
    assert hindsight.percentile_text(est, 70.0) == "above p95" and hindsight.percentile_text(est, 9.0) == "below p5"
    assert hindsight.percentile_text(est, 30.0, "lower") == "at or above p50"
    assert hindsight.percentile_text(est, 9.0, "lower") == "a floor below p5"


def test_the_interval_score_is_gneiting_and_rafterys():
    # width 2, plus 2/alpha times the miss of 2: 2 + 20 * 2
    assert hindsight.interval_score(5.0, 1.0, 3.0, 0.1) == pytest.approx(42.0)
    assert hindsight.interval_score(2.0, 1.0, 3.0, 0.1) == pytest.approx(2.0)


def test_the_log_interval_score_does_not_care_for_the_unit():
    """kg to t: every value and bound a thousandth; the log score is the same (the plain one is not)."""
    a = hindsight.log_interval_score(5000.0, "point", 1000.0, 3000.0)
    b = hindsight.log_interval_score(5.0, "point", 1.0, 3.0)
    assert a == pytest.approx(b) and a > math.log(3)  # a miss costs more than the width
    assert hindsight.interval_score(5000.0, 1000.0, 3000.0) != pytest.approx(hindsight.interval_score(5.0, 1.0, 3.0))


def test_a_floor_above_the_interval_is_a_miss_and_one_inside_or_below_is_no_evidence_against():
    width = math.log(300 / 100)
    assert hindsight.log_interval_score(600.0, "lower", 100.0, 300.0) == pytest.approx(width + 20 * math.log(2))
    assert hindsight.log_interval_score(200.0, "lower", 100.0, 300.0) == pytest.approx(width)
    assert hindsight.log_interval_score(50.0, "lower", 100.0, 300.0) == pytest.approx(width)
    assert hindsight.log_interval_score(50.0, "point", 100.0, 300.0) > width  # negative control: a point below misses
    assert hindsight.inside(600.0, "lower", 100.0, 300.0) is False
    assert hindsight.inside(200.0, "lower", 100.0, 300.0) is None and hindsight.inside(50.0, "lower", 100.0, 300.0) is None
    assert hindsight.inside(50.0, "upper", 100.0, 300.0) is False and hindsight.inside(500.0, "upper", 100.0, 300.0) is None
    assert hindsight.log_interval_score(100.0, "point", 100.0, math.inf) is None  # an open band forecasts nothing


@pytest.mark.parametrize("case_id", case_ids())
def test_a_hindsight_figure_cannot_reach_an_as_of_model(case_id, tmp_path):
    """Every later figure of a case, and one more made for it here (dated before the case, so that only
    its marking keeps it out: a case with no later figure yet is tested all the same), stays out of the
    case's as-of view."""
    made = source("made-later-figure", hindsight_for=f'["{case_id}"]', measures='"x"', published="2000-01-01")
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
    book = load_sources(sources_file(source(hindsight_for=f'["{CASE_1}"]', measures='"x"')))
    as_of = book.as_of(dt.date(2023, 11, 1), CASE_1)
    assert [s.id for s in book.as_of(dt.date(2023, 11, 1), "another-case")] == ["s-one"]
    with pytest.raises(AsOfError, match="marked hindsight"):
        as_of["s-one"]


def test_a_later_figure_must_say_what_it_speaks_to_in_the_known_forms(sources_file):
    from estimates.validate import RecordError
    with pytest.raises(RecordError, match="field 'speaks_to': 'guess:x' is not 'claim:<id>'"):
        load_sources(sources_file(source(hindsight_for=f'["{CASE_1}"]', speaks_to='["guess:x"]')))
    with pytest.raises(RecordError, match="a figure names the quantity it measures, not an estimate"):
        load_sources(sources_file(source(hindsight_for=f'["{CASE_1}"]', speaks_to='["estimate:x"]')))
    with pytest.raises(RecordError, match="only a hindsight figure speaks to"):
        load_sources(sources_file(source(speaks_to='["claim:x"]')))
    with pytest.raises(RecordError, match="field 'measures': only a hindsight figure"):
        load_sources(sources_file(source(measures='"x"')))


def test_later_figures_are_derived_in_code_from_their_records():
    case = load_case(CASE_1)
    book = load_sources(paths.REFERENCE_FIGURES)
    value = hindsight.later_value(book["rok-mnd-152mm-in-5000-containers-2023-12"], book, "round / container")
    assert value.magnitude == pytest.approx(2_000_000 / 5000)
    months = hindsight.later_value(book["ru-production-2023-hur-liga"], book, "month")
    assert months.magnitude == pytest.approx(6.0)
    # "more than 2,000,000" over "about 5,000" is a floor; "as many as" over "at least" a ceiling
    assert hindsight.observation(book["rok-mnd-152mm-in-5000-containers-2023-12"], book, "round / container")[1] == "lower"
    assert hindsight.observation(book["rok-mnd-shells-in-containers-2024-06"], book, "round / container") == (480.0, "upper")
    assert case.id == CASE_1


def test_claims_read_later_figures_as_support_contradiction_or_open():
    case = load_case("2024-02-26-rok-defence-minister-briefing")
    said = {c["claim_id"]: c for c in hindsight.claims(case, hindsight.load_preregistered(case.id, 1))}
    assert said["containers-since-august-kbs"]["summary"] == "supports"           # "over 6,700": 10,000+
    assert said["containers-since-august-aggregator"]["summary"] == "contradicts"  # "about 6,700": 10,000+
    assert said["meeting-on-monday"]["summary"] == "no later figure"


@pytest.mark.parametrize("case_id", case_ids())
def test_every_freeze_was_committed_alone(case_id):
    """The commit that added each freeze (following a rename) holds freezes only: no source, no model."""
    from estimates.history import History
    history = History.read()
    if history.problem:
        pytest.skip(f"no git history: {history.problem}")
    git = lambda *a: subprocess.run(["git", *a], cwd=paths.ROOT, capture_output=True, text=True).stdout  # noqa: E731
    for path in paths.freeze_paths(case_id):
        commit = history.freeze_commit(path)
        assert commit, f"{path.name} is not committed: commit it alone, before any later figure"
        files = git("show", "--name-only", "--format=", commit).split()
        assert files and all(".freeze-" in f or f.endswith(".preregistered.json") for f in files), files


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
            runs.append(execute.execute_notebook(folder / path.name))
        else:
            verdicts, estimates = read_records(nb)
            runs.append(runner.NotebookRun(folder / path.name, True, 0.0, nb, None, "", verdicts, estimates))
    assert all(r.ok for r in runs)
    doc, problems = report.assemble(runs, [CASE_1])
    assert problems == []
    h = doc.cases[0].hindsight
    changed = {c["estimate"] for c in h["changes"] if c["changed"]}
    assert "ru-fire-rate-autumn-2023" in changed and "production-months-of-1m-rounds" in changed
    row = [c for c in h["changes"] if c["estimate"] == "ru-fire-rate-autumn-2023"][0]
    assert row["preregistered"] != row["current"]
    frozen = hindsight.score_freeze(load_case(CASE_1), hindsight.load_preregistered(CASE_1, 1))
    assert h["freezes"][0] == frozen  # the scores are the frozen file's, not this run's
    report.write_report(doc, runs, tmp_path / "report")
    page = (tmp_path / "report" / CASE_1 / "index.html").read_text(encoding="utf-8")
    assert "differs from the pre-registration" in page and "ru-fire-rate-autumn-2023" in page


def test_freezing_again_from_the_same_clean_commit_is_refused(monkeypatch, capsys):
    latest = hindsight.load_freezes(CASE_1)[-1]
    monkeypatch.setattr(freeze, "_commit", lambda: (latest["commit"], True))
    assert freeze.main([CASE_1]) == 2
    assert "nothing to freeze again" in capsys.readouterr().err


def test_a_freeze_record_holds_estimates_verdicts_date_and_commit():
    frozen = json.loads(paths.freeze_path(CASE_1, 1).read_text(encoding="utf-8"))
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
show_verdict(record(check.judge(), case.claim("c-one")))
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


def test_preregister_freezes_a_fixture_case_with_its_commit_and_day_and_keeps_every_freeze(fixture_case, capsys,
                                                                                             monkeypatch):
    monkeypatch.setattr(freeze, "_commit", lambda: ("a" * 40, True))
    assert freeze.main([FIXTURE_CASE]) == 0, capsys.readouterr().err
    first = paths.freeze_path(FIXTURE_CASE, 1)
    frozen = json.loads(first.read_text(encoding="utf-8"))
    assert frozen["case"] == FIXTURE_CASE and frozen["frozen_on"] == dt.date.today().isoformat()
    assert (frozen["commit"], frozen["tree_clean"], frozen["freeze"]) == ("a" * 40, True, 1)
    assert [(e["name"], e["estimand"]) for e in frozen["estimates"]] == [("containers-at-pace", "own:containers-at-pace")]
    assert [v["claim_id"] for v in frozen["verdicts"]] == ["c-one"] and frozen["verdicts"][0]["verdict"]
    assert "freeze 1" in capsys.readouterr().out
    assert freeze.main([FIXTURE_CASE]) == 2  # the same clean commit: nothing to freeze again
    before = first.read_bytes()
    monkeypatch.setattr(freeze, "_commit", lambda: ("b" * 40, True))
    assert freeze.main([FIXTURE_CASE]) == 0  # a later commit: a second freeze beside the first
    assert first.read_bytes() == before
    assert json.loads(paths.freeze_path(FIXTURE_CASE, 2).read_text(encoding="utf-8"))["commit"] == "b" * 40
    assert [p.name for p in paths.freeze_paths(FIXTURE_CASE)] == [f"{FIXTURE_CASE}.freeze-1.json",
                                                                   f"{FIXTURE_CASE}.freeze-2.json"]
    assert not list(fixture_case.glob(".*.tmp"))


def test_preregister_without_a_case_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        freeze.main([])
    assert exit_.value.code == 2 and "usage:" in capsys.readouterr().err


def test_preregister_refuses_a_case_that_does_not_exist(capsys):
    assert freeze.main(["2099-01-01-no-such-case"]) == 2
    assert "no such case" in capsys.readouterr().err


def test_a_ctrl_c_during_preregister_ends_it_with_one_line_and_writes_nothing(fixture_case, monkeypatch, capsys):
    from estimates import runner

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(runner, "run_all", interrupted)
    assert freeze.main([FIXTURE_CASE]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "preregister: interrupted; no freeze was written"
    assert not paths.freeze_paths(FIXTURE_CASE)
