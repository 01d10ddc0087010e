"""Shared fixtures: small valid record files to break one field at a time."""
from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import pytest

# Tests never touch the checkout's cache: the test run (and the kernels it starts) keeps its own, made by the
# first test process and removed when that process ends.
if "ESTIMATE_CHECKER_CACHE" not in os.environ:
    _cache = tempfile.mkdtemp(prefix="estimate-checker-cache-")
    os.environ["ESTIMATE_CHECKER_CACHE"] = str(Path(_cache) / "runs")
    atexit.register(shutil.rmtree, _cache, True)


def pytest_sessionfinish(session, exitstatus) -> None:
    """The kernels' socket folders of processes the tests killed outright (a runner sent SIGKILL, a
    Dask worker) go with the session, not at the next run."""
    from estimates import kernels
    kernels.sweep()

SEED_TEXT = (
    "Test headline: Seoul\n\n"
    "The agency said more than 1,000 containers were shipped, about 200 kilometres away.\n"
    "It\u2019s said to be \u201csufficient for around two months\u201d, officials added on Wednesday, Nov. 1, 2023.\n"
)

ARTICLE = """\
[article]
title = "Test headline: Seoul"
outlet = "Test Outlet"
agency = "AFP"
published = 2023-11-01
dateline = "Seoul"
seed = "test-case.txt"
"""

CLAIM = """\
[[claims]]
id = "{id}"
kind = "quantity"
quote = "more than 1,000 containers were shipped"
value = 1000
unit = "container"
qualifier = "more than"
claimant = "the agency"
made_on = 2023-11-01
period = "autumn 2023"
check = "01-good"
"""

SOURCE = """\
[[sources]]
id = "{id}"
figure = "a fire rate"
low = 10000
high = 20000
unit = "round / day"
qualifier = "range"
period = "2023"
producer = "Test Producer"
originator = "Test Agency"
title = "Test title"
published = 2023-10-01
url = "https://example.org/a"
quote = "10,000 to 20,000 a day"
tags = ["ru-2023"]
"""


@pytest.fixture
def case_files(tmp_path: Path):
    """A function writing a seed and a register (text given) into tmp_path; returns their paths."""
    def write(register: str, seed: str | bytes = SEED_TEXT):
        seed_path = tmp_path / "test-case.txt"
        if isinstance(seed, bytes):
            seed_path.write_bytes(seed)
        else:
            seed_path.write_text(seed, encoding="utf-8")
        reg = tmp_path / "test-case.claims.toml"
        reg.write_text(textwrap.dedent(register), encoding="utf-8")
        return reg, seed_path
    return write


@pytest.fixture
def sources_file(tmp_path: Path):
    """A function writing a reference-figures file (text given) into tmp_path; returns its path."""
    def write(text: str):
        path = tmp_path / "figures.toml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path
    return write


def claim(id="c-one", **changes) -> str:
    """One [[claims]] table, with fields replaced (value None drops the field)."""
    return _edit(CLAIM.format(id=id), changes)


def source(id="s-one", **changes) -> str:
    """One [[sources]] table, with fields replaced (value None drops the field)."""
    return _edit(SOURCE.format(id=id), changes)


def _edit(table: str, changes: dict) -> str:
    lines = table.splitlines()
    for key, value in changes.items():
        lines = [ln for ln in lines if not ln.startswith(f"{key} =")]
        if value is not None:
            lines.append(f"{key} = {value}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def loaded():
    """Two busy processes a core for the length of the test: signal handling must not depend on timing
    (the signal tests, tests/test_interrupts.py and tests/test_cluster_faults.py, run under it)."""
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2 * (os.cpu_count() or 1))]
    try:
        yield
    finally:
        for proc in busy:
            proc.kill()
            proc.wait()
