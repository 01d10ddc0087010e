"""make new-case: a seed copied in, its register drafted and loadable, a notebook skeleton that runs and
reads as an analysis; refusals that write nothing."""
from __future__ import annotations

import datetime as dt
import re

import nbformat
import pytest

from estimates import coverage, paths, scaffold
from estimates.claims import load_register

FIXTURE = paths.TESTS / "data" / "coverage-fixture.txt"
CASE = "2024-07-01-wire-containers"


@pytest.fixture
def place(tmp_path, monkeypatch):
    """Seeds and notebooks folders of their own (in this process and in the kernels it starts)."""
    seeds, notebooks = tmp_path / "seeds", tmp_path / "notebooks"
    seeds.mkdir()
    notebooks.mkdir()
    for name, value in (("SEEDS", seeds), ("NOTEBOOKS", notebooks)):
        monkeypatch.setattr(paths, name, value)
        monkeypatch.setenv(f"ESTIMATE_CHECKER_{name}", str(value))
    seed = tmp_path / f"{CASE}.txt"
    seed.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    return seed


def test_a_new_case_gets_its_seed_a_loadable_register_and_a_running_notebook(place):
    written = scaffold.new_case(place, published=dt.date(2024, 7, 1), outlet="Wire")
    assert [p.name for p in written[:2]] == [f"{CASE}.txt", f"{CASE}.claims.toml"]
    assert paths.seed_path(CASE).read_bytes() == place.read_bytes()
    register = load_register(paths.claims_path(CASE), paths.seed_path(CASE))
    assert register.claims and all(c.not_checked and not c.check for c in register.claims)
    assert coverage.uncovered(register, place.read_text(encoding="utf-8")) == []
    assert {n.reason for n in register.not_claims} >= {"a calibre, not a count", "a time of day, not a claim"}
    nb = nbformat.read(written[2], as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert not [o for c in code for o in c.outputs if o.output_type == "error" or o.get("name") == "stderr"]
    from tests.test_notebooks import test_every_notebook_reads_as_an_analysis_prose_at_least_code_no_function_no_long_cell
    test_every_notebook_reads_as_an_analysis_prose_at_least_code_no_function_no_long_cell(written[2])


def test_a_case_that_exists_is_refused_and_nothing_is_overwritten(place, capsys):
    scaffold.new_case(place, published=dt.date(2024, 7, 1), outlet="Wire", run=False)
    before = {p: p.read_bytes() for p in (paths.seed_path(CASE), paths.claims_path(CASE))}
    assert scaffold.main([str(place), "--published", "2024-07-01", "--outlet", "Other"]) == 2
    assert "exists already" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize("args, message", [
    (["--case", "Bad Case"], "is not <date>-<words>"),
    (["--case", "2024-07-01-wire", "--title", "a headline the seed does not have"], "not found verbatim"),
    (["--case", "2024-07-01-wire", "--published", "July 1"], "Invalid isoformat"),
], ids=["bad-case-id", "title-not-in-seed", "bad-date"])
def test_bad_input_is_refused_with_one_line_and_nothing_written(place, capsys, args, message):
    argv = [str(place), "--published", "2024-07-01", "--outlet", "Wire", *args]
    if "--published" in args:
        argv = [str(place), "--outlet", "Wire", *args]
    assert scaffold.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("new-case: ") and len(err.strip().splitlines()) == 1 and re.search(message, err), err
    assert not any(paths.SEEDS.iterdir()) and not any(paths.NOTEBOOKS.iterdir())


def test_a_missing_seed_is_refused(place, capsys):
    assert scaffold.main([str(place.with_name("nothing.txt")), "--published", "2024-07-01", "--outlet", "Wire"]) == 2
    assert "no such seed file" in capsys.readouterr().err


def test_a_number_the_reader_cannot_parse_is_drafted_as_a_not_claim():
    entry = scaffold.loadable('[[claims]]\nid = "x"\nkind = "quantity"\nquote = "umpteen shells"\nvalue = "FILL: the number"\n'
                              'unit = "round"\n', dt.date(2024, 7, 1))
    assert entry.startswith("[[not_claims]]") and 'text = "umpteen shells"' in entry
