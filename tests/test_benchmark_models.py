"""The benchmark compares like with like: its unit-aware and bare-numpy models agree (not timed)."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "benchmarks"))
import models  # noqa: E402


def test_the_benchmark_models_compute_the_same_months():
    bounds = models.inputs()
    assert len(bounds) == 6  # the 2023 figures of notebook 01 (the Estonian range spans 2022 and is out)
    ours, bare = models.with_units(bounds, 100_000), models.bare_numpy(bounds, 100_000)
    assert ours == pytest.approx(bare, rel=0.02)
    assert 1.2 < ours < 2.0
