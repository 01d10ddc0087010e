"""Where the project's files live: the one module that owns the project's paths.

Everything else asks this module for a path instead of building one, so that a
moved folder is changed here once. ``ESTIMATE_CHECKER_REPORTS`` may point the
report folder elsewhere, ``ESTIMATE_CHECKER_SOURCES`` the reference figures,
``ESTIMATE_CHECKER_SEEDS`` the seeds and ``ESTIMATE_CHECKER_NOTEBOOKS`` the notebooks.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: ``ESTIMATE_CHECKER_SEEDS`` may point the seeds and registers elsewhere (tests of hostile registers).
SEEDS = Path(os.environ.get("ESTIMATE_CHECKER_SEEDS", ROOT / "seeds"))
SOURCES = ROOT / "sources"
#: ``ESTIMATE_CHECKER_NOTEBOOKS`` may point the notebooks elsewhere (the scale benchmark's synthetic cases).
NOTEBOOKS = Path(os.environ.get("ESTIMATE_CHECKER_NOTEBOOKS", ROOT / "notebooks"))
TESTS = ROOT / "tests"
PACKAGE = Path(__file__).resolve().parent
UNIT_DEFINITIONS = PACKAGE / "units.txt"
REFERENCE_FIGURES = SOURCES / "reference-figures.toml"
REQUIREMENTS = ROOT / "requirements.txt"


def cache_dir() -> Path:
    """Where the runner keeps successful runs by the digest of their inputs (git ignores it);
    ``ESTIMATE_CHECKER_CACHE`` may point elsewhere."""
    return Path(os.environ.get("ESTIMATE_CHECKER_CACHE", ROOT / ".cache" / "runs"))


def reference_figures() -> Path:
    """The reference-figures file the checks read. ``ESTIMATE_CHECKER_SOURCES`` may name another
    (the negative-control test uses it to change one input and watch a verdict move)."""
    return Path(os.environ.get("ESTIMATE_CHECKER_SOURCES", REFERENCE_FIGURES))


def reports_dir() -> Path:
    """The folder the runner writes its report into (git ignores it)."""
    return Path(os.environ.get("ESTIMATE_CHECKER_REPORTS", ROOT / "reports"))


def seed_path(case_id: str) -> Path:
    """The verbatim article of a case, ``seeds/<case_id>.txt``."""
    return SEEDS / f"{case_id}.txt"


def case_notebooks(case_id: str) -> Path:
    """The folder of a case's notebooks, ``notebooks/<case_id>/``: a notebook belongs to the case
    whose folder holds it, and its register names it by file stem in the ``check`` field."""
    return NOTEBOOKS / case_id


def freeze_path(case_id: str, number: int) -> Path:
    """A case's freeze number ``number`` (1, 2, ...) of its as-of estimates and verdicts,
    ``seeds/<case_id>.freeze-<number>.json``; freezes are kept side by side, never rewritten."""
    return SEEDS / f"{case_id}.freeze-{number}.json"


def freeze_paths(case_id: str) -> list[Path]:
    """Every freeze file of a case, oldest (lowest number) first."""
    found = []
    for p in SEEDS.glob(f"{case_id}.freeze-*.json"):
        n = p.name[len(case_id) + len(".freeze-"):-len(".json")]
        if n.isdigit():
            found.append((int(n), p))
    return [p for _, p in sorted(found)]


def claims_path(case_id: str) -> Path:
    """The claims register of a case, ``seeds/<case_id>.claims.toml``."""
    return SEEDS / f"{case_id}.claims.toml"
