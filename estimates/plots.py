"""The charts the check notebooks share: source ranges against a claim, and a model's distribution.

Each function draws on a matplotlib ``Axes`` it is given and returns it, so a notebook keeps
control of the figure. End a plotting cell with ``plt.show()`` so that no object repr is stored.
"""
from __future__ import annotations

from typing import Iterable, Sequence

import matplotlib.pyplot as plt
import matplotlib.ticker as mticker
import numpy as np
import pint

from estimates.uncertain import format_number, percentiles

#: Colours for groups of sources; red is kept for the claim.
_PALETTE = ("tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:brown", "tab:gray", "tab:olive")
#: Markers for how a source bounds its figure.
_MARKERS = {"lower": ">", "upper": "<", "point": "o"}


def setup() -> None:
    """Plot settings used by every notebook (fixed size and fonts, so pictures are comparable)."""
    plt.rcParams.update({"figure.figsize": (9, 4.5), "figure.dpi": 90, "axes.grid": True,
                         "grid.alpha": 0.3, "font.size": 10, "svg.hashsalt": "estimate-checker"})


def source_ranges(ax, rows: Sequence[tuple], unit: str, *,
                  claim: float | None = None, claim_label: str = "claim",
                  band: tuple[float, float] | None = None, log: bool = True):
    """Each source as a horizontal bar (a range) or a marker (a point or a bound), on one axis.

    ``rows`` are (label, low, high, bound) or (label, low, high, bound, group) in ``unit``, with
    bound 'point', 'lower' or 'upper'; each group gets its own colour in the legend. The claim is
    drawn across as a vertical line, and ``band`` as a shaded span.
    """
    y = np.arange(len(rows))[::-1]
    groups = list(dict.fromkeys(r[4] if len(r) > 4 else "source" for r in rows))
    colours = {g: _PALETTE[i % len(_PALETTE)] for i, g in enumerate(groups)}
    seen: set[str] = set()
    for yi, row in zip(y, rows):
        label, lo, hi, bound = row[:4]
        group = row[4] if len(row) > 4 else "source"
        kw = {"color": colours[group]}
        if group not in seen and len(groups) > 1:
            kw["label"], _ = group, seen.add(group)
        if hi > lo:
            ax.hlines(yi, lo, hi, lw=6, alpha=0.75, **kw)
            kw.pop("label", None)
        if bound != "point" or hi == lo:
            ax.plot([hi if bound == "lower" else lo], [yi], _MARKERS.get(bound, "o"), ms=8, ls="none", **kw)
    ax.set_yticks(y, [r[0] for r in rows])
    if band is not None:
        ax.axvspan(band[0], band[1], color="tab:orange", alpha=0.15, label=f"{claim_label}: reading band")
    if claim is not None:
        ax.axvline(claim, color="tab:red", lw=2, label=f"{claim_label}: {format_number(claim, 3)} {unit}")
    if log:
        ax.set_xscale("log")
    plain_ticks(ax.xaxis)
    ax.set_xlabel(f"{unit}  (markers: o a single figure, > a lower bound, < an upper bound)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, fontsize=8, frameon=False)
    return ax


def plain_ticks(axis) -> None:
    """Tick labels as plain numbers with thousands separators, also on a log axis."""
    formatter = mticker.FuncFormatter(lambda v, _: format_number(v, 2) if v > 0 else "0")
    if axis.get_scale() == "log":
        axis.set_major_locator(mticker.LogLocator(subs=(1, 2, 5)))
    axis.set_major_formatter(formatter)
    axis.set_minor_formatter(mticker.NullFormatter())


def distribution(ax, samples: pint.Quantity, unit: str, *, claim: float | None = None,
                 claim_label: str = "claim", band: tuple[float, float] | None = None,
                 log: bool = False, bins: int = 120, clip: tuple[float, float] = (0.5, 99.5)):
    """A histogram of a model's samples (in ``unit``) with p5, p50, p95 and the claim marked."""
    q = samples.to(unit)
    mags = np.asarray(q.magnitude, dtype=float)
    lo, hi = np.percentile(mags, clip)
    edges = np.geomspace(lo, hi, bins) if log and lo > 0 else np.linspace(lo, hi, bins)
    ax.hist(mags, bins=edges, density=True, color="tab:blue", alpha=0.6)
    p5, p50, p95 = (p.magnitude for p in percentiles(q))
    for v, name in ((p5, "p5"), (p50, "median"), (p95, "p95")):
        ax.axvline(v, color="black", ls=":" if name != "median" else "--", lw=1)
        ax.annotate(f"{name} {format_number(v)}", (v, 1), xycoords=("data", "axes fraction"),
                    rotation=90, va="top", ha="right", fontsize=8)
    if band is not None:
        ax.axvspan(band[0], band[1], color="tab:orange", alpha=0.2, label=f"{claim_label}: reading band")
    if claim is not None:
        ax.axvline(claim, color="tab:red", lw=2, label=f"{claim_label}: {format_number(claim, 3)} {unit}")
    if claim is not None or band is not None:
        ax.legend(loc="upper right", fontsize=8)
    if log:
        ax.set_xscale("log")
        plain_ticks(ax.xaxis)
    ax.set_xlabel(unit)
    ax.set_yticks([])
    return ax


def grouped_bars(ax, labels: Iterable[str], values: dict[str, Sequence[float]], unit: str, *,
                 errors: dict[str, Sequence[tuple[float, float]]] | None = None, line: float | None = None,
                 line_label: str = ""):
    """Bars for several series per label (e.g. mass limit and volume limit per calibre), with p5-p95 whiskers."""
    labels = list(labels)
    x = np.arange(len(labels))
    width = 0.8 / max(len(values), 1)
    for i, (name, vals) in enumerate(values.items()):
        err = None
        if errors and name in errors:
            err = np.array([[v - lo for v, (lo, _) in zip(vals, errors[name])],
                            [hi - v for v, (_, hi) in zip(vals, errors[name])]])
        ax.bar(x + (i - (len(values) - 1) / 2) * width, vals, width, yerr=err, capsize=3, label=name)
    if line is not None:
        ax.axhline(line, color="tab:red", lw=2, label=line_label)
    ax.set_xticks(x, labels)
    ax.set_ylabel(unit)
    ax.legend()
    return ax


def timeline(ax, rows: Sequence[tuple], *, today=None, today_label: str = "article"):
    """Dated events and windows, one row each, first row on top.

    ``rows`` are (label, first day, last day, group) with ``datetime.date`` values; a row whose
    first and last day are the same is drawn as a diamond, a window as a bar covering its last
    day. Each group gets its own colour; ``today`` is drawn as a dashed red line.
    """
    import datetime as dt
    import matplotlib.dates as mdates
    groups = list(dict.fromkeys(r[3] for r in rows))
    colours = {g: _PALETTE[i % len(_PALETTE)] for i, g in enumerate(groups)}
    seen: set[str] = set()
    for y, (label, first, last, group) in zip(range(len(rows) - 1, -1, -1), rows):
        kw = {"color": colours[group]}
        if group not in seen:
            kw["label"], _ = group, seen.add(group)
        if first == last:
            ax.plot([first], [y], "D", ls="none", **kw)
        else:
            ax.hlines(y, first, last + dt.timedelta(days=1), lw=6, alpha=0.7, **kw)
    ax.set_yticks(range(len(rows) - 1, -1, -1), [r[0] for r in rows])
    ax.xaxis.set_major_locator(mdates.MonthLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b %Y"))
    if today is not None:
        ax.axvline(today, color="tab:red", lw=1, ls="--", label=f"{today_label}: {today:%d %b %Y}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize=8, frameon=False)
    return ax


def hindsight_figure(rows: Sequence[dict], title: str):
    """A figure with one panel per frozen estimate: its frozen 90% interval (thin bar), 50% interval
    (thick bar) and median (tick), with every later figure scored against it marked (log scale): a
    filled marker blind, a hollow one seen; a floor points right, a ceiling left. ``rows`` are
    :func:`estimates.hindsight.score_freeze` rows. Returns the figure."""
    names = list(dict.fromkeys(r["estimate"] for r in rows))
    fig, axes = plt.subplots(len(names), 1, figsize=(9, 1.7 * len(names) + 0.6), squeeze=False)
    for ax, name in zip(axes[:, 0], names):
        mine = [r for r in rows if r["estimate"] == name]
        f = mine[0]["frozen"]
        ax.hlines(0, f["p5"], f["p95"], color="tab:blue", lw=3, label="frozen 90%")
        ax.hlines(0, f["p25"], f["p75"], color="tab:blue", lw=10, alpha=0.6, label="frozen 50%")
        ax.plot([f["p50"]], [0], "|", color="black", ms=18, label="frozen median")
        for i, r in enumerate(mine):
            colour = _PALETTE[(i + 1) % 7]
            ax.plot([r["value"]], [0.25 + 0.12 * i], {"lower": ">", "upper": "<"}.get(r["bound"], "v"), ms=9,
                    color=colour, markerfacecolor=colour if r["status"] == "blind" else "none",
                    label=f"{r['figure']} ({r['published'][:7]}, {r['status']})")
        ax.set_xscale("log")
        plain_ticks(ax.xaxis)
        ax.set_yticks([])
        ax.set_ylim(-0.4, 0.4 + 0.12 * len(mine))
        ax.set_title(f"{name} ({mine[0]['unit']})", fontsize=10, loc="left")
        ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
