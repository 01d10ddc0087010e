"""Hindsight scores on a project built here: estimands, blind or seen from a git history made in the
test, one originator counted once, relays, censored floors, and a pooled score that ignores units."""
import json
import subprocess
import textwrap
from types import SimpleNamespace

import pytest

from estimates import estimands, hindsight
from estimates.history import BLIND, SEEN, History
from estimates.sources import SourceBook, load_sources
from tests.conftest import source

CASE = "2023-11-01-built-case"
REGISTRY = """\
[[estimands]]
id = "cargo-mass"
quantity = "the mass one cargo carried"
unit = "{unit}"
estimates = ["mass-per-cargo"]
claims = ["estimate:claimed-mass"]
naive = "old-mass"
naive_why = "the last figure before the article"

[[estimands]]
id = "cargo-count"
quantity = "how many cargoes went"
unit = "container"
estimates = ["cargo-count"]
"""


def figure(id, value, unit="kg", originator="Agency A", measures="cargo-mass", qualifier="about", **more):
    return source(id, value=value, low=None, high=None, unit=f'"{unit}"', qualifier=f'"{qualifier}"',
                  originator=f'"{originator}"', hindsight_for=f'["{CASE}"]', measures=f'"{measures}"',
                  published="2024-03-01", quote=f'"{id}: words said of it, long enough to date it"', **more)


def old_mass(unit="kg", value=2000):
    return source("old-mass", value=value, low=None, high=None, unit=f'"{unit}"', qualifier='"about"',
                  published="2023-01-01", quote='"an old figure of the mass, before the article"')


def frozen(unit="kg", scale=1.0, extra=()):
    q = {"p5": 1000 * scale, "p25": 1500 * scale, "p50": 2000 * scale, "p75": 2500 * scale, "p95": 3000 * scale}
    return {"case": CASE, "freeze": 1, "frozen_on": "2026-11-27", "commit": "c" * 40, "verdicts": [],
            "estimates": [{"name": "mass-per-cargo", "unit": unit, **q},
                          {"name": "claimed-mass", "unit": unit, **{k: v * 1.2 for k, v in q.items()}}, *extra]}


def git(root, *args):
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True).stdout


@pytest.fixture
def project(tmp_path):
    """A git repository: a sources file and an estimands file, committed as the steps say."""
    root = tmp_path / "project"
    (root / "sources").mkdir(parents=True)
    (root / "seeds").mkdir()
    git(root, "init", "-q")
    git(root, "config", "user.email", "test@example.org")
    git(root, "config", "user.name", "test")

    def write(text, registry_unit="kg"):
        (root / "sources" / "figures.toml").write_text(textwrap.dedent(text), encoding="utf-8")
        (root / "sources" / "estimands.toml").write_text(REGISTRY.format(unit=registry_unit), encoding="utf-8")

    def commit(message):
        git(root, "add", "-A")
        git(root, "commit", "-qm", message)
        return git(root, "rev-parse", "HEAD").strip()

    def freeze(record):
        path = root / "seeds" / f"{CASE}.freeze-{record['freeze']}.json"
        path.write_text(json.dumps(record), encoding="utf-8")
        return path

    def score(record, path=None, history=None):
        book = load_sources(root / "sources" / "figures.toml")
        registry = estimands.load(root / "sources" / "estimands.toml")
        record = {**record, "path": str(path)} if path else record
        return hindsight.score_freeze(SimpleNamespace(id=CASE), record, history or History.read(root), registry,
                                      SourceBook(book.path, book.all))
    return SimpleNamespace(root=root, write=write, commit=commit, freeze=freeze, score=score)


def test_a_figure_entered_before_the_freeze_is_seen_and_one_entered_after_it_blind(project):
    project.write(old_mass() + figure("entered-before", 2400))
    project.commit("a figure before the freeze")
    path = project.freeze(frozen())
    freeze_commit = project.commit("the freeze, alone")
    project.write(old_mass() + figure("entered-before", 2400) + figure("entered-after", 2600, originator="Agency B"))
    project.commit("a figure after the freeze")
    result = project.score(frozen(), path)
    status = {r["figure"]: r["status"] for r in result["scores"]}
    assert status == {"entered-before": SEEN, "entered-after": BLIND}
    assert result["freeze_commit"] == freeze_commit
    assert [c["status"] for c in result["calibration"] if c["estimand"] == "cargo-mass"] == [BLIND, SEEN]


def test_nothing_is_blind_without_history_or_for_a_freeze_not_committed(project, tmp_path):
    project.write(old_mass() + figure("entered-after", 2600))
    path = project.freeze(frozen())
    project.commit("the freeze and the figure together")
    together = project.score(frozen(), path)
    assert [r["status"] for r in together["scores"]] == [SEEN]  # with the freeze is not after it
    uncommitted = tmp_path / "elsewhere.freeze-1.json"
    uncommitted.write_text("{}", encoding="utf-8")
    assert [r["status"] for r in project.score(frozen(), uncommitted)["scores"]] == [SEEN]
    no_git = History.read(tmp_path / "not-a-repository-at-all")
    assert no_git.problem
    result = project.score(frozen(), path, history=no_git)
    assert result["history"] == no_git.problem and [r["status"] for r in result["scores"]] == [SEEN]
    assert "no git history" in result["scores"][0]["status_why"]


def test_a_figure_of_another_quantity_is_never_scored_against_an_estimate(project):
    project.write(old_mass() + figure("a-count", 40, unit="container", measures="cargo-count"))
    result = project.score(frozen())
    assert result["scores"] == []
    assert [u["figure"] for u in result["unscored"]] == ["a-count"]
    assert "has no estimate of how many cargoes went" in result["unscored"][0]["reason"]
    count = {"name": "cargo-count", "unit": "container", "p5": 30, "p25": 35, "p50": 40, "p75": 45, "p95": 50}
    scored = project.score(frozen(extra=[count]))  # negative control: with an estimate of it, it scores
    assert [(r["figure"], r["estimate"]) for r in scored["scores"]] == [("a-count", "cargo-count")]


def test_one_originators_repeats_count_once(project):
    project.write(old_mass() + figure("a-first", 5000) + figure("a-again", 5200) + figure("b-once", 2000, originator="B"))
    result = project.score(frozen())
    weights = {r["figure"]: r["weight"] for r in result["scores"]}
    assert weights == {"a-first": 0.5, "a-again": 0.5, "b-once": 1.0}
    pooled = [c for c in result["calibration"] if c["estimand"] == "all estimands"][0]
    assert pooled["originators"] == 2 and pooled["decided"] == 2.0 and pooled["held_90"] == 0.5
    by = {r["figure"]: r["log_score"] for r in result["scores"]}
    assert pooled["model"] == pytest.approx((0.5 * by["a-first"] + 0.5 * by["a-again"] + by["b-once"]) / 2, rel=1e-2)


def test_a_relay_is_shown_and_not_scored(project):
    project.write(old_mass() + figure("the-original", 2400) + figure("a-relay", 2400, originator="C",
                                                                       relays='"the-original"'))
    result = project.score(frozen())
    assert [r["figure"] for r in result["scores"]] == ["the-original"]
    assert [(u["figure"], u["reason"]) for u in result["unscored"]] == [
        ("a-relay", "relays the-original, scored once as that record")]


def test_floors_are_censored_in_the_scores(project):
    project.write(old_mass() + figure("floor-above", 6000, qualifier="at least")
                  + figure("floor-inside", 2000, qualifier="at least", originator="B"))
    rows = {r["figure"]: r for r in project.score(frozen())["scores"]}
    assert rows["floor-above"]["in_90"] is False and rows["floor-above"]["percentile"] == "above p95"
    assert rows["floor-inside"]["in_90"] is None and rows["floor-inside"]["percentile"] == "at or above p50"
    assert rows["floor-inside"]["log_score"] == pytest.approx(1.10, abs=0.01)  # the log width only: ln 3
    assert rows["floor-above"]["log_score"] > 10


def test_the_pooled_score_is_unchanged_when_a_rows_unit_is_rescaled(project):
    project.write(old_mass() + figure("miss", 5000) + figure("hit", 2000, originator="B"))
    in_kg = project.score(frozen())["calibration"]
    project.write(old_mass("t", 2) + figure("miss", 5, unit="t") + figure("hit", 2, unit="t", originator="B"),
                  registry_unit="t")
    in_t = project.score(frozen("t", 0.001))["calibration"]
    for a, b in zip(in_kg, in_t):
        for key in ("model", "claim", "naive", "held_90"):
            assert a[key] == pytest.approx(b[key], rel=1e-3), key
    assert in_kg[-1]["model"] != pytest.approx(in_kg[-1]["claim"])  # the references are scored apart


def test_a_freeze_keeps_its_commit_through_an_exact_rename_and_a_second_freeze_has_its_own(project):
    """git's --follow takes a new file for an old one it resembles; the freeze's commit must not."""
    project.write(old_mass())
    first = project.freeze(frozen())
    first_commit = project.commit("freeze 1")
    git(project.root, "mv", str(first), str(first.with_name(f"{CASE}.freeze-one.json")))
    project.commit("freeze 1 renamed, unchanged")
    second = project.freeze({**frozen(), "freeze": 2})  # nearly the same text as the first
    second_commit = project.commit("freeze 2")
    history = History.read(project.root)
    assert history.freeze_commit(first.with_name(f"{CASE}.freeze-one.json")) == first_commit
    assert history.freeze_commit(second) == second_commit
    moved = first.with_name(f"{CASE}.freeze-one.json")
    moved.write_text(moved.read_text(encoding="utf-8") + " ", encoding="utf-8")
    git(project.root, "mv", str(moved), str(first))
    renamed_and_changed = project.commit("freeze 1 moved back, and changed")
    assert history.freeze_commit(first) == renamed_and_changed  # not an exact rename: its own commit
