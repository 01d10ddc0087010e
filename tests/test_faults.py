"""Faults and hostile input: values outside their domain refused at the door, markup inert in every
page, a failed notebook's page showing only what ran, stuck and dying cells named, modes readable."""
from __future__ import annotations

import io
import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from estimates import execute, paths, report, reportfolder, runner
from estimates.claims import load_register
from estimates.document import Document
from estimates.sources import load_sources
from estimates.units import UnitError
from estimates.validate import RecordError
from tests.conftest import claim, source
from tests.test_claims import ARTICLE
from tests import test_runner
from tests.test_runner import _notebook


@pytest.mark.parametrize("value, message", [
    ("0", r"field 'value': must be a positive number"),
    ("-1000", r"field 'value': must be a positive number"),
    ("1e308", r"field 'value': 1e\+308 is beyond what a model can carry"),
    ("1e-300", r"field 'value': 1e-300 is below what a model can carry"),  # failed as 'NoneType' ... 'magnitude'
    ("1" + "0" * 400, r"field 'value': must be a finite number"),
])
def test_a_claimed_count_outside_its_domain_is_refused_with_file_record_and_field(case_files, value, message):
    reg, seed = case_files(ARTICLE + "\n" + claim(value=value))
    with pytest.raises(RecordError, match=rf"record 'c-one', {message}"):
        load_register(reg, seed)


@pytest.mark.parametrize("changes, message", [
    ({"low": "0"}, r"field 'low': must be a positive number"),
    ({"high": "1e308"}, r"field 'high': 1e\+308 is beyond"),
])
def test_a_source_value_outside_its_domain_is_refused(sources_file, changes, message):
    with pytest.raises(RecordError, match=rf"record 's-one', {message}"):
        load_sources(sources_file(source(**changes)))


@pytest.mark.parametrize("unit", ["meter/0", "__import__('os').system('true')", "round ** (1/0)"])
def test_a_unit_pint_cannot_parse_comes_out_as_the_usual_message(case_files, unit):
    reg, seed = case_files(ARTICLE + "\n" + claim(unit=json.dumps(unit)))
    with pytest.raises((RecordError, UnitError), match=r"record 'c-one', field 'unit'"):
        load_register(reg, seed)


EVIL = "<script>alert(1)</script><img src=x onerror=alert(2)>"


class _Live(HTMLParser):
    """Collects live markup: script elements (other than JSON-LD data) and event-handler attributes."""

    def __init__(self):
        super().__init__()
        self.live = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("type") != "application/ld+json":
            self.live.append(("script", attrs))
        if tag == "img" and "onerror" in attrs:
            self.live.append(("img", attrs))
        self.live += [(tag, {k: v}) for k, v in attrs.items() if k.startswith("on")]


@pytest.fixture
def evil_case(tmp_path, monkeypatch):
    """A case whose register carries markup in every text field, and a notebook that shows it."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    quote = f"more than 1,000 containers {EVIL}"
    (seeds / "evil-case.txt").write_text(f"Headline {EVIL}\n\n{quote}\n", encoding="utf-8")
    (seeds / "evil-case.claims.toml").write_text(textwrap.dedent(f'''\
        [article]
        title = {json.dumps("Headline " + EVIL)}
        outlet = {json.dumps("The Outlet " + EVIL)}
        agency = {json.dumps("AFP " + EVIL)}
        published = 2023-11-01
        dateline = {json.dumps("Seoul " + EVIL)}
        seed = "evil-case.txt"

        [[claims]]
        id = "c-one"
        kind = "quantity"
        quote = {json.dumps(quote)}
        value = 1000
        unit = "container"
        qualifier = "more than"
        claimant = {json.dumps("the agency " + EVIL)}
        made_on = 2023-11-01
        period = {json.dumps("autumn " + EVIL)}
        notes = {json.dumps("notes " + EVIL)}
        check = "01-show"
        '''), encoding="utf-8")
    notebooks = tmp_path / "notebooks" / "evil-case"
    notebooks.mkdir(parents=True)
    _notebook(notebooks / "01-show.ipynb", textwrap.dedent('''\
        import numpy as np
        from estimates.case import load_case
        from estimates.publish import show_claims, show_verdict
        from estimates.units import Q_
        from estimates.verdicts import estimate_verdict
        case = load_case("evil-case")
        show_claims(case, ["c-one"])
        show_verdict(estimate_verdict(case.claim("c-one"), "Q <b>?</b>", Q_(np.linspace(500, 2000, 1001), "container"),
                     unit="container", explanation="why <script>alert(3)</script>"))
        '''))
    monkeypatch.setattr(paths, "SEEDS", seeds)
    monkeypatch.setenv("ESTIMATE_CHECKER_SEEDS", str(seeds))  # the kernels read it too
    return tmp_path


def test_markup_in_every_text_field_of_a_register_is_inert_in_every_page(evil_case):
    reports = evil_case / "reports"
    assert runner.main(["--notebooks", str(evil_case / "notebooks"), "--reports", str(reports), "--jobs", "1"]) == 0
    pages = sorted(reports.rglob("*.html"))
    assert len(pages) >= 3  # the index, the case page, the notebook page
    for page in pages:
        parser = _Live()
        parser.feed(page.read_text(encoding="utf-8"))
        assert parser.live == [], (page.name, parser.live[:3])


def test_a_failed_notebook_shows_only_what_ran(tmp_path):
    path = tmp_path / "01-broken.ipynb"
    _notebook(path, "x = 1", "raise RuntimeError('broken on purpose')", "print('computed later')")
    nb = nbformat.read(path, as_version=4)
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="STALE-OUTPUT-7\n")]
    nb.cells[2].execution_count = 3
    nbformat.write(nb, path)
    run = execute.execute_notebook(path)
    assert not run.ok and run.error_cell == 2
    assert run.nb.cells[2].outputs == [] and run.nb.cells[2].execution_count is None
    assert "STALE-OUTPUT-7" not in report.notebook_page(run)


def test_a_stuck_cell_fails_at_the_stated_limit_with_the_limit_in_the_message(tmp_path):
    path = tmp_path / "01-stuck.ipynb"
    _notebook(path, "x = 1", "import time\ntime.sleep(60)")
    run = execute.execute_notebook(path, timeout=2)
    assert not run.ok and run.error_cell == 2 and run.seconds < 30
    assert "2 s limit" in run.error and "--cell-timeout" in run.error


def test_a_kernel_that_dies_is_reported_at_the_cell_that_killed_it(tmp_path):
    path = tmp_path / "01-dies.ipynb"
    _notebook(path, "x = 1", "import os\nos._exit(1)", "y = 2")
    run = execute.execute_notebook(path, timeout=30)
    assert not run.ok and run.error_cell == 2 and "kernel died" in run.error


def test_report_files_are_readable_by_everyone(tmp_path):
    target = tmp_path / "verdicts.json"
    from estimates.files import write_atomic
    write_atomic(target, "{}")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o644


def test_a_new_report_replaces_the_old_one_whole_and_stale_pages_disappear(tmp_path):
    folder = tmp_path / "reports"
    (folder / "notebooks" / "gone-case").mkdir(parents=True)
    (folder / "notebooks" / "gone-case" / "01-removed.html").write_text("stale", encoding="utf-8")
    (folder / "benchmarks.json").write_text("{}", encoding="utf-8")
    (folder / "benchmarks-nbval-failure.txt").write_text("why", encoding="utf-8")
    (folder / reportfolder.MARK).write_text("", encoding="utf-8")  # a report this program wrote
    doc = Document(cases=(), notebooks=())
    report.write_report(doc, [], folder)
    assert not (folder / "notebooks" / "gone-case").exists()
    assert (folder / "index.html").is_file() and (folder / "benchmarks.json").read_text() == "{}"
    assert (folder / "benchmarks-nbval-failure.txt").read_text() == "why"  # what make bench wrote stays
    assert [p.name for p in tmp_path.iterdir()] == ["reports"]  # no new- or old- folder left


def test_a_report_that_fails_while_writing_leaves_the_previous_one_intact(tmp_path, monkeypatch):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "index.html").write_text("previous", encoding="utf-8")
    (folder / reportfolder.MARK).write_text("", encoding="utf-8")  # a report this program wrote

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(report, "_write_files", broken)
    with pytest.raises(OSError, match="disk full"):
        report.write_report(Document(cases=(), notebooks=()), [], folder)
    assert (folder / "index.html").read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["reports"]


def test_a_second_run_into_the_same_folder_is_refused_while_the_first_holds_the_lock(tmp_path, capsys):
    folder = tmp_path / "reports"
    first = runner._lock(folder)
    assert first is not None and runner._lock(folder) is None
    notebooks = tmp_path / "notebooks" / "c"
    notebooks.mkdir(parents=True)
    _notebook(notebooks / "01-x.ipynb", "1")
    assert runner.main(["--notebooks", str(tmp_path / "notebooks"), "--reports", str(folder)]) == 2
    assert "another report is being made into" in capsys.readouterr().err
    first.close()
    again = runner._lock(folder)
    assert again is not None
    again.close()


def test_notebook_pages_go_through_the_sanitizer_which_keeps_markdown_and_strips_scripts():
    cleaned = report._sanitized('<h2 id="x">T</h2><p onclick="x()">a<script>b</script></p><blockquote>q</blockquote>')
    assert cleaned == '<h2 id="x">T</h2><p>ab</p><blockquote>q</blockquote>'


def test_a_report_folder_that_holds_other_files_is_refused_and_left_whole(tmp_path, capsys):
    """--reports naming a folder the program did not write (`--reports notebooks`) deleted it; now it is
    refused before any notebook runs, exit 2 with one line, every file left as it was."""
    theirs = tmp_path / "notes"
    theirs.mkdir()
    (theirs / "notes.txt").write_text("an analyst's notes\\n", encoding="utf-8")
    (theirs / "sub").mkdir()
    assert runner.main(["--notebooks", str(tmp_path / "none"), "--reports", str(theirs)]) == 2
    err = capsys.readouterr().err
    assert "holds files this program did not write" in err and len(err.strip().splitlines()) == 1
    assert (theirs / "notes.txt").read_text(encoding="utf-8") == "an analyst's notes\\n" and (theirs / "sub").is_dir()


def test_a_report_folder_the_program_wrote_or_an_empty_one_is_replaced(tmp_path):
    ours = tmp_path / "reports"
    ours.mkdir()
    reportfolder.check_report_folder(ours)  # empty: fine
    (ours / reportfolder.MARK).write_text("", encoding="utf-8")
    (ours / "old.html").write_text("", encoding="utf-8")
    reportfolder.check_report_folder(ours)  # marked: fine
    older = tmp_path / "older"
    older.mkdir()
    for name in ("verdicts.json", "index.html"):
        (older / name).write_text("{}", encoding="utf-8")
    reportfolder.check_report_folder(older)  # a report of a version before the mark
    bench = tmp_path / "bench"
    bench.mkdir()
    (bench / "benchmarks.json").write_text("{}", encoding="utf-8")
    reportfolder.check_report_folder(bench)  # only what make bench writes there
    (tmp_path / "afile").write_text("", encoding="utf-8")
    with pytest.raises(reportfolder.NotAReportFolder):
        reportfolder.check_report_folder(tmp_path / "afile")


# --- issue 25: faults 2, 8, 9 ---------------------------------------------------------------------

@pytest.mark.parametrize("fields, field, message", [
    ({"derive": '"{value} ** 9 ** 9 ** 9"'}, "derive", "power operator|may hold only"),
    ({"derive": '"{value} / {per}"'}, "derive", r"uses \{per\}: name the record in per"),
    ({"derive": '"1000 round"'}, "derive", r"does not use the figure"),
    ({"derive": '"__import__(\'os\').system(\'x\') + {value}"'}, "derive", "may hold only"),
    ({"derive": '"{value} / {per}"', "per": '"no-such-record"'}, "per", "no other record 'no-such-record'"),
    ({"per": '"s-one"'}, "per", r"must use as \{per\}"),
    ({"relays": '"nowhere"'}, "relays", "no other record 'nowhere'"),
])
def test_a_bad_derive_per_or_relay_is_refused_when_the_sources_load(sources_file, fields, field, message):
    """A derive with an exponent tower ran for minutes, and a bad derive or per failed only at report
    time with a traceback; now each is refused when the file loads, with the record and the field."""
    text = source(hindsight_for='["some-case"]', measures='"x"', value="5", low=None, high=None,
                  qualifier='"about"', **fields)
    with pytest.raises(RecordError, match=rf"record 's-one', field '{field}': .*({message})"):
        load_sources(sources_file(text))


def test_an_exponent_tower_in_a_coordinate_or_a_unit_definition_is_refused_at_once(sources_file, case_files):
    with pytest.raises(RecordError, match="power operator"):
        load_sources(sources_file(source(latitude='"9**9**9 degree"', longitude='"1 degree"', value=None, low=None,
                                         high=None, qualifier='"exactly"', unit='"degree"')))
    with pytest.raises((RecordError, ValueError), match="power operator"):
        from tests.test_claims import _load
        _load(case_files, claim(), article=ARTICLE + '\n[units]\nwidget = "9**9**9 * [widget]"\n')


def test_a_file_written_whole_or_not_at_all_survives_a_full_disk(tmp_path, monkeypatch):
    """make notebooks on a full disk left a notebook as truncated JSON; every write now goes through a
    temporary file and a rename, so a failed write leaves the old file and no litter."""
    from estimates import files
    target = tmp_path / "a.ipynb"
    target.write_text('{"old": true}\n', encoding="utf-8")

    def full(fd):
        import errno
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(OSError, match="No space left"):
        files.write_atomic(target, '{"new": ' + "1" * 10_000 + "}")
    assert target.read_text(encoding="utf-8") == '{"old": true}\n' and [p.name for p in tmp_path.iterdir()] == ["a.ipynb"]
    monkeypatch.undo()
    with pytest.raises(FileExistsError):  # a freeze is never written over another
        files.write_atomic(target, "x", exclusive=True)
    assert target.read_text(encoding="utf-8") == '{"old": true}\n' and len(list(tmp_path.iterdir())) == 1


def test_make_notebooks_writes_a_notebook_whole(tmp_path, monkeypatch):
    """The runner's --update writes through files.write_notebook: a failure mid-write keeps the notebook."""
    from estimates import files
    folder = tmp_path / "notebooks" / "fixture-case"
    folder.mkdir(parents=True)
    _notebook(folder / "01-good.ipynb", "print('fresh')")
    before = (folder / "01-good.ipynb").read_bytes()
    monkeypatch.setattr(files.os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    with pytest.raises(OSError):
        execute.execute_notebook(folder / "01-good.ipynb", update=True)
    assert (folder / "01-good.ipynb").read_bytes() == before and len(list(folder.iterdir())) == 1


def test_a_claim_unit_of_another_dimension_than_its_later_figures_is_said_not_crashed(tmp_path):
    """A claim in kg spoken to by a count of containers crashed the runner in hindsight.later_value; the
    claim now says it cannot compare them, and the rest of the hindsight section is built."""
    from types import SimpleNamespace
    from estimates import hindsight
    from estimates.sources import SourceBook
    figures = tmp_path / "f.toml"
    figures.write_text(source("later", hindsight_for='["x-case"]', speaks_to='["claim:c-one"]', value="10", low=None,
                              high=None, qualifier='"about"', unit='"container"'), encoding="utf-8")
    book = load_sources(figures)
    from estimates.claims import Claim
    import datetime as dt
    c = Claim(id="c-one", kind="quantity", quote="q", unit="kg", qualifier="about", claimant="x",
              made_on=dt.date(2023, 1, 1), period="", check="01", value=5.0)
    case = SimpleNamespace(id="x-case", claims=[c], sources=SimpleNamespace(path=figures, all=book.all))
    said = hindsight.claims(case, {"verdicts": []})
    assert said[0]["later"][0]["says"].startswith("cannot compare (container against the claim's kg")
    assert isinstance(SourceBook(figures, book.all), SourceBook)


def test_a_javascript_output_never_becomes_a_live_script_on_a_page():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "display_data", data={"application/javascript": "alert('owned')", "text/plain": "<IPython.core.display.Javascript>"})])])
    html = report._exporter().from_notebook_node(nb)[0]
    assert "alert('owned')" not in html and "a script output, not run on this page" in html


def test_a_seed_whose_name_is_not_a_case_id_is_not_a_case(tmp_path, monkeypatch):
    """A seed named javascript:alert(8).txt became a live link on the index; a case id is now lower-case
    words joined by hyphens, and anything else is left out, by name."""
    from estimates import case
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in ("javascript:alert(8)", "2023-11-01-good-case"):
        (seeds / f"{name}.txt").write_text("text\n", encoding="utf-8")
        (seeds / f"{name}.claims.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(paths, "SEEDS", seeds)
    assert case.case_ids() == ["2023-11-01-good-case"]
    assert case.not_cases() == ["javascript:alert(8).claims.toml"]


def test_a_mistyped_seeds_folder_is_refused_and_the_report_kept(tmp_path, monkeypatch, capsys):
    """ESTIMATE_CHECKER_SEEDS with a typo replaced a good report with an empty one (exit 1)."""
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / reportfolder.MARK).write_text("", encoding="utf-8")
    (reports / "index.html").write_text("the good report", encoding="utf-8")
    monkeypatch.setattr(paths, "SEEDS", tmp_path / "seeds-with-a-typo")
    assert runner.main(["--reports", str(reports)]) == 2
    err = capsys.readouterr().err
    assert "no case in" in err and "ESTIMATE_CHECKER_SEEDS" in err and len(err.strip().splitlines()) == 1
    assert (reports / "index.html").read_text(encoding="utf-8") == "the good report"


def test_the_lock_can_be_neither_bypassed_nor_turned_against_another_file(tmp_path):
    """A symlink at the lock path truncated its target; deleting the lock file let a second run in."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    (tmp_path / ".reports.lock").symlink_to(victim)
    first = runner._lock(tmp_path / "reports")
    assert first is not None and victim.read_text(encoding="utf-8") == "precious"
    for p in tmp_path.iterdir():  # deleting whatever lies beside the report folder lets no second run in
        if p.is_symlink() or p.is_file():
            p.unlink()
    assert runner._lock(tmp_path / "reports") is None
    first.close()
    assert runner._lock(tmp_path / "reports") is not None


def test_an_impossible_reports_path_gives_one_line(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    assert runner.main(["--reports", str(blocker / "reports")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("cannot write the report into") and len(err.splitlines()) == 1 and "Traceback" not in err


def test_a_full_disk_for_the_report_gives_one_line_and_keeps_the_previous_report(tmp_path, monkeypatch, capsys):
    from tests.test_runner import GOOD
    import errno
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "fixture-case.txt").write_text("Fixture headline\n\nmore than 1,000 containers\n", encoding="utf-8")
    (seeds / "fixture-case.claims.toml").write_text(ARTICLE.replace("Test headline: Seoul", "Fixture headline").replace(
        "test-case.txt", "fixture-case.txt") + "\n" + claim(quote='"more than 1,000 containers"', check='"01-good"'),
        encoding="utf-8")
    monkeypatch.setattr(paths, "SEEDS", seeds)
    notebooks = tmp_path / "notebooks" / "fixture-case"
    notebooks.mkdir(parents=True)
    _notebook(notebooks / "01-good.ipynb", GOOD)
    reports = tmp_path / "reports"
    assert runner.main(["--notebooks", str(notebooks.parent), "--reports", str(reports), "--jobs", "1"]) == 0
    before = {p: p.read_bytes() for p in reports.rglob("*") if p.is_file()}
    capsys.readouterr()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(report, "write_atomic", full)
    assert runner.main(["--notebooks", str(notebooks.parent), "--reports", str(reports), "--jobs", "1"]) == 1
    err = capsys.readouterr().err.strip()
    assert "No space left on device; the previous report is as it was" in err and "Traceback" not in err
    assert {p: p.read_bytes() for p in reports.rglob("*") if p.is_file()} == before


def test_the_kernels_stack_is_imported_before_the_renderers_thread_starts(tmp_path, monkeypatch):
    """--jobs 1 crashed at random: an import of jupyter_client.manager raced the warm-up thread's."""
    import importlib
    import threading
    events = []
    real_import, real_start = importlib.import_module, threading.Thread.start
    monkeypatch.setattr(importlib, "import_module", lambda name, *a: events.append(("import", name)) or real_import(name, *a))
    monkeypatch.setattr(threading.Thread, "start", lambda self: events.append(("thread", self.name)) or real_start(self))
    _notebook(tmp_path / "01-x.ipynb", "x = 1")
    assert runner.execute_and_render(tmp_path / "01-x.ipynb").ok
    first_thread = events.index(("thread", "renderer-warm-up"))
    assert ("import", "jupyter_client.manager") in events[:first_thread] and ("import", "nbclient") in events[:first_thread]


def test_the_report_folder_is_exchanged_in_one_step_and_leftovers_are_swept(tmp_path, monkeypatch):
    """A SIGKILL between two renames left no reports/, and leftovers of killed runs were never swept:
    the new report is now exchanged with the old in one atomic step, and leftovers go first."""
    folder = tmp_path / "reports"
    doc = Document(cases=(), notebooks=())
    report.write_report(doc, [], folder)
    (folder / "old-page.html").write_text("stale", encoding="utf-8")
    killed = [tmp_path / ".reports.new-killed", tmp_path / ".reports.old-killed"]
    for k in killed:
        (k / "reports").mkdir(parents=True)
    theirs = tmp_path / ".someone-elses.old-1"
    theirs.mkdir()

    real_replace = os.replace

    def no_two_renames(a, b):  # files are still written by rename; the report folder itself never is
        if folder in (Path(a), Path(b)):
            raise AssertionError("the report folder renamed away: missing between two renames")
        return real_replace(a, b)
    monkeypatch.setattr(os, "replace", no_two_renames)
    report.write_report(doc, [], folder)
    assert (folder / reportfolder.MARK).is_file() and not (folder / "old-page.html").exists()
    assert not any(k.exists() for k in killed) and theirs.is_dir()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".someone-elses.old-1", "reports"]


def test_a_signal_taken_as_the_new_report_is_put_in_place_says_it_is_there(tmp_path, monkeypatch, capsys):
    """A Ctrl-C while the old copy was removed printed "left as it was" although the new report was in
    place; the signal held back during the swap now gets the true line."""
    notebooks = tmp_path / "notebooks" / "c"
    notebooks.mkdir(parents=True)
    _notebook(notebooks / "01-x.ipynb", "x = 1")
    real = report.write_report

    def then_a_signal(*args, **kwargs):
        real(*args, **kwargs)
        raise runner.Interrupted(2, 1)
    monkeypatch.setattr(report, "write_report", then_a_signal)
    monkeypatch.setattr(runner, "case_ids", lambda: ["c"])
    monkeypatch.setattr(report, "assemble", lambda *a, **k: (Document(cases=(), notebooks=()), []))
    monkeypatch.setattr(runner, "load_case", lambda cid: None)
    status = runner.main(["--notebooks", str(tmp_path / "notebooks"), "--reports", str(tmp_path / "reports"), "--jobs", "1"])
    err = capsys.readouterr().err
    assert status == 130 and "as the new report was put in place: it is in" in err and "left as it was" not in err
    assert (tmp_path / "reports" / reportfolder.MARK).is_file()


def test_bidi_and_zero_width_characters_are_shown_not_obeyed_on_pages(tmp_path):
    """Bidi controls and zero-width characters in a register reached pages raw (text shown reversed)."""
    from tests.test_report import _stored_runs
    runs = _stored_runs()
    doc, _ = report.assemble(runs)
    case = doc.cases[0]
    case = replace(case, article=replace(case.article, title="A title \u202ereversed\u202c and \u200bhidden"))
    report.write_report(replace(doc, cases=(case, *doc.cases[1:])), runs, tmp_path / "report")
    page = (tmp_path / "report" / case.id / "index.html").read_text(encoding="utf-8")
    assert "\u202e" not in page and "\u200b" not in page and "[U+202E]reversed[U+202C]" in page


def test_report_folders_are_readable_by_all_whatever_the_umask(tmp_path):
    """Under umask 077 the report's subfolders were 0700: nobody else could read the pages."""
    from tests.test_report import _stored_runs
    runs = _stored_runs()
    doc, _ = report.assemble(runs)
    old = os.umask(0o077)
    try:
        report.write_report(doc, runs, tmp_path / "report")
    finally:
        os.umask(old)
    modes = {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "report").rglob("*") if p.is_dir()}
    assert modes == {0o755}
    assert {stat.S_IMODE(p.stat().st_mode) for p in (tmp_path / "report").rglob("*") if p.is_file()} == {0o644}


fixture_set = test_runner.fixture_set  # the runner's small fixture set of seeds and notebooks


# Fault 6: output without end is capped per notebook, with the cap in the message.

def test_a_cell_printing_without_end_is_stopped_at_the_output_cap_with_the_cap_in_the_message(tmp_path):
    path = tmp_path / "01-chatty.ipynb"
    _notebook(path, "x = 1", "while True:\n    print('x' * 10_000)", "y = 2")
    run = execute.execute_notebook(path, timeout=600, output_limit_mb=1)
    assert not run.ok and run.error_cell == 2
    assert "1 MB limit" in run.error and "--output-limit" in run.error
    kept = sum(len(o.get("text", "")) for c in run.nb.cells for o in c.get("outputs", []))
    assert kept <= 1_000_000  # what it kept stops at the cap


def test_negative_control_output_under_the_cap_is_kept_whole(tmp_path):
    path = tmp_path / "01-wordy.ipynb"
    _notebook(path, "for i in range(50):\n    print('x' * 10_000)")
    run = execute.execute_notebook(path, output_limit_mb=1)
    assert run.ok, run.error
    assert sum(len(o.get("text", "")) for o in run.nb.cells[0].outputs) == 50 * 10_001


# Fault 7: a dead worker fails only the notebook it was running, and is replaced.

def test_a_worker_that_dies_fails_only_its_notebook_and_is_replaced(fixture_set):
    notebooks, _ = fixture_set
    folder = notebooks / "fixture-case"
    (folder / "02-broken.ipynb").unlink()
    _notebook(folder / "02-kills-its-worker.ipynb", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    _notebook(folder / "03-fine.ipynb", "print('fine')")
    _notebook(folder / "04-fine.ipynb", "print('fine too')")
    runs = {r.name: r for r in runner.run_all(runner.find_notebooks(notebooks), jobs=2, out=io.StringIO())}
    assert not runs["02-kills-its-worker"].ok
    assert "WorkerDied" in runs["02-kills-its-worker"].error and "worker process" in runs["02-kills-its-worker"].error
    assert all(runs[n].ok for n in ("01-good", "03-fine", "04-fine")), {n: r.error for n, r in runs.items()}


# Fault 18: what a notebook starts in a session of its own does not outlive the run.

@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_process_a_notebook_starts_in_a_new_session_does_not_outlive_the_run(fixture_set, jobs):
    notebooks, reports = fixture_set
    pidfile = notebooks.parent / "orphan.pid"
    _notebook(notebooks / "fixture-case" / "03-leaves-a-process.ipynb",
              "import subprocess, pathlib\n"
              "p = subprocess.Popen(['sleep', '600'], start_new_session=True)\n"
              f"pathlib.Path({str(pidfile)!r}).write_text(str(p.pid))")
    env = {**os.environ, "ESTIMATE_CHECKER_SEEDS": str(paths.SEEDS)}
    try:  # a process left running holds the run's output open: the run would not seem to end
        done = subprocess.run([sys.executable, "-m", "estimates", "report", "--notebooks", str(notebooks), "--reports",
                               str(reports), "--jobs", jobs], cwd=paths.ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
    except subprocess.TimeoutExpired:
        pid = int(pidfile.read_text())
        os.kill(pid, signal.SIGKILL)
        pytest.fail(f"the run's output stayed open: sleep {pid}, started by a notebook, outlived the run")
    assert "03-leaves-a-process" in done.stdout
    pid = int(pidfile.read_text())
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        state = "gone"
    if state not in ("gone", "Z"):
        os.kill(pid, signal.SIGKILL)
    assert state in ("gone", "Z"), f"sleep {pid} outlived the run ({state})"


# Fault 16: a Ctrl-C before the run's own handling (while the command loads) is one line and 130.

@pytest.mark.parametrize("command", ["report", "freeze"])
def test_a_ctrl_c_while_a_command_loads_is_one_line_and_130(monkeypatch, capsys, command):
    import importlib
    from estimates import __main__ as cli
    real = importlib.import_module

    def interrupted(name, *a, **k):
        if name in (cli.COMMANDS[command][0],):
            raise KeyboardInterrupt
        return real(name, *a, **k)

    monkeypatch.setattr(cli.importlib, "import_module", interrupted)
    assert cli.main([command]) == 130
    err = capsys.readouterr().err
    assert "interrupted by SIGINT" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
