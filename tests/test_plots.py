import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from estimates.plots import distribution, grouped_bars, setup, source_ranges  # noqa: E402
from estimates.units import Q_  # noqa: E402


def test_source_ranges_draws_bars_markers_claim_and_groups():
    setup()
    fig, ax = plt.subplots()
    rows = [("a", 10_000, 20_000, "point", "2023"), ("b", 5_000, 5_000, "point", "2023"),
            ("c", 50_000, 50_000, "lower", "2022")]
    source_ranges(ax, rows, "round / day", claim=16_400, claim_label="claim", band=(13_000, 22_000))
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "2023" in labels and "2022" in labels and any("16,400" in t for t in labels)
    by_height = dict(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())))
    assert by_height[max(by_height)] == "a"  # the first row is drawn at the top
    plt.close(fig)


def test_distribution_marks_percentiles_and_claim():
    fig, ax = plt.subplots()
    samples = Q_(np.random.default_rng(0).lognormal(0.5, 0.4, 10_000), "month")
    distribution(ax, samples, "day", claim=60.9, band=(45, 76), log=True)
    texts = [t.get_text() for t in ax.texts]
    assert any(t.startswith("median") for t in texts) and len(texts) == 3
    assert ax.get_xlabel() == "day"
    plt.close(fig)


def test_grouped_bars_draws_one_bar_per_series_and_label():
    fig, ax = plt.subplots()
    grouped_bars(ax, ["x", "y"], {"mass": [1, 2], "volume": [2, 3]}, "rnd/ctr",
                 errors={"mass": [(0.5, 1.5), (1, 3)]}, line=2.5, line_label="claim")
    assert len(ax.patches) == 4
    plt.close(fig)


def test_timeline_draws_days_as_diamonds_and_windows_as_bars():
    import datetime as dt
    from estimates.plots import timeline
    fig, ax = plt.subplots()
    rows = [("window", dt.date(2023, 9, 7), dt.date(2023, 10, 1), "source"),
            ("summit", dt.date(2023, 9, 13), dt.date(2023, 9, 13), "claim")]
    timeline(ax, rows, today=dt.date(2023, 11, 1))
    by_height = dict(zip(ax.get_yticks(), (t.get_text() for t in ax.get_yticklabels())))
    assert by_height[max(by_height)] == "window"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["source", "claim", "article: 01 Nov 2023"]
    assert len(ax.collections) == 1 and len(ax.lines) == 2  # one bar; a diamond and the article line
    plt.close(fig)
