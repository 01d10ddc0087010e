import os
import subprocess
import sys
from pathlib import Path

from estimates import paths


def test_project_folders_are_found_from_the_package():
    for folder in (paths.SEEDS, paths.SOURCES, paths.NOTEBOOKS, paths.TESTS, paths.PACKAGE):
        assert folder.is_dir(), folder
    assert paths.UNIT_DEFINITIONS.is_file()
    assert paths.REFERENCE_FIGURES.is_file()


def test_case_paths_follow_the_seed_stem():
    assert paths.seed_path("x").name == "x.txt"
    assert paths.claims_path("x").name == "x.claims.toml"


def test_reports_folder_can_be_moved_by_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("ESTIMATE_CHECKER_REPORTS", raising=False)
    assert paths.reports_dir() == paths.ROOT / "reports"
    monkeypatch.setenv("ESTIMATE_CHECKER_REPORTS", str(tmp_path))
    assert paths.reports_dir() == Path(tmp_path)


def test_seeds_and_notebooks_can_be_moved_by_the_environment(tmp_path):
    code = "from estimates import paths; print(paths.SEEDS); print(paths.case_notebooks('x'))"
    env = {**os.environ, "ESTIMATE_CHECKER_SEEDS": str(tmp_path / "s"), "ESTIMATE_CHECKER_NOTEBOOKS": str(tmp_path / "n")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == [str(tmp_path / "s"), str(tmp_path / "n" / "x")]
