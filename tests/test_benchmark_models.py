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


def _scale(times: dict[int, float], per_case: int = 6, cores: int = 2) -> list[dict]:
    return [{"cases": n, "notebooks": n * per_case, "cores": cores, "cold_s": t, "warm_s": 0.5, "one_changed_s": 4.0,
             "that_notebook_s": 3.0, "s_per_notebook_per_core": t * cores / (n * per_case), "warm_over_cold": 0.5 / t,
             "strict_nbval_s": t, "strict_nbval_s_per_notebook_per_core": t * cores / (n * per_case)}
            for n, t in times.items()]


def test_the_scale_figure_is_the_slope_and_leaves_a_runs_fixed_cost_out():
    import run
    linear = _scale({n: 2.0 + 1.5 * 6 * n for n in (1, 8, 32)})  # 2 s whatever the size, 1.5 s a notebook
    assert run.slopes(linear) == [3.0, 3.0] and run.fixed_seconds(linear) == 2.0
    figures = {r["figure"]: r for r in run.scale_rows(linear)}
    added = figures["report, per notebook added"]
    assert added["ratio"] == pytest.approx(1.0) and added["met"]
    assert figures["report, per notebook (average)"]["ratio"] > 1.2  # the fixed cost weighs on six notebooks
    assert figures["report, per notebook (average)"]["target"] is None


def test_negative_control_a_run_that_grows_faster_than_its_notebooks_misses_the_scale_figure():
    import run
    quadratic = _scale({n: 2.0 + 1.5 * 6 * n + 0.05 * (6 * n) ** 2 for n in (1, 8, 32)})
    figure = next(r for r in run.scale_rows(quadratic) if r["figure"] == "report, per notebook added")
    assert figure["ratio"] > 1.2 and figure["met"] is False
