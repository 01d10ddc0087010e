"""Uncertain quantities: 90% intervals with a unit, sampled into pint-wrapped numpy arrays.

An input known only as a range is read as a 90% interval (as in Squiggle and Guesstimate):
lognormal when both bounds are positive, normal otherwise. ``dist="uniform"`` is the exception,
for quantities with hard limits such as shares: every value between low and high is equally
likely, and low and high are the ends, not p5 and p95. A :class:`Model` owns one seeded
generator and one fixed sample count, so a notebook that builds every input from the same
model is reproducible. Samples are ordinary pint quantities whose magnitude is a numpy array:
arithmetic, ``.to()`` and comparisons work as on any quantity, and the unit is carried once
per array, never per sample.

>>> m = Model(seed=1, n=100_000)
>>> rate = m.between(10_000, 20_000, "round / day")
>>> months = (1_000_000 * ureg.round / rate).to("month")
>>> print(summarize(months))
2.3 month (90%: 1.6 to 3.3)
"""
from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist
from typing import Sequence

import numpy as np
import pint

from estimates.units import Q_, parse_unit, ureg

#: Samples per model unless a notebook says otherwise. 200,000 keeps the Monte Carlo error of
#: p5/p50/p95 near 0.5% for the spreads used here, well under the 2 significant figures printed.
DEFAULT_SAMPLES = 200_000
#: Significant figures of printed summaries: coarser than the Monte Carlo error.
DEFAULT_SIG = 2
#: The z-score of the 95th percentile of a standard normal: a 90% interval spans +-Z90.
#: (The standard library's NormalDist gives it without importing scipy.stats, which costs a
#: second at every kernel start.)
Z90 = NormalDist().inv_cdf(0.95)

DISTRIBUTIONS = ("lognormal", "normal", "uniform")


class IntervalError(ValueError):
    """An interval that cannot be sampled: low above high, a non-positive lognormal bound, ..."""


def _check_bounds(low, high, dist: str, where: str) -> tuple[float, float]:
    prefix = f"{where}: " if where else ""
    try:
        lo, hi = float(low), float(high)
    except (TypeError, ValueError):
        raise IntervalError(f"{prefix}bounds must be numbers, got low={low!r}, high={high!r}") from None
    if not (np.isfinite(lo) and np.isfinite(hi)):
        raise IntervalError(f"{prefix}bounds must be finite, got low={lo}, high={hi}")
    if lo > hi:
        raise IntervalError(f"{prefix}low ({lo:g}) is above high ({hi:g}); give low <= high")
    if dist not in DISTRIBUTIONS:
        raise IntervalError(f"{prefix}unknown distribution {dist!r}; valid: {', '.join(DISTRIBUTIONS)}")
    if dist == "lognormal" and lo <= 0:
        raise IntervalError(
            f"{prefix}a lognormal interval needs positive bounds, got low={lo:g}; "
            f"use dist='normal' for a quantity that can be zero or negative"
        )
    return lo, hi


@dataclass(frozen=True)
class Interval:
    """A 90% interval [low, high] in ``unit``, with the distribution it is read as."""

    low: float
    high: float
    unit: str
    dist: str = "lognormal"

    def __post_init__(self):
        _check_bounds(self.low, self.high, self.dist, "")
        parse_unit(self.unit)

    def parameters(self) -> tuple[str, float, float]:
        """(numpy generator method, first, second parameter) whose p5 and p95 are low and high:
        lognormal (mean and sigma of the log), normal (mean, standard deviation) or uniform (ends)."""
        lo, hi = self.low, self.high
        if self.dist == "lognormal":
            return "lognormal", (np.log(lo) + np.log(hi)) / 2, (np.log(hi) - np.log(lo)) / (2 * Z90)
        if self.dist == "normal":
            return "normal", (lo + hi) / 2, (hi - lo) / (2 * Z90)
        # uniform: low and high are the ends of the support (a share cannot leave [0, 1])
        return "uniform", lo, hi

    def scipy(self):
        """The same distribution as a frozen scipy.stats object (scipy is imported only here)."""
        from scipy import stats
        kind, a, b = self.parameters()
        if kind == "lognormal":
            return stats.lognorm(s=b, scale=np.exp(a))
        if kind == "normal":
            return stats.norm(loc=a, scale=b)
        return stats.uniform(loc=a, scale=b - a)

    def median(self) -> pint.Quantity:
        """The distribution's median, with the unit."""
        kind, a, b = self.parameters()
        return Q_(float(np.exp(a) if kind == "lognormal" else (a + b) / 2 if kind == "uniform" else a), self.unit)


class Model:
    """One seeded generator and one sample count: the source of every uncertain input of a notebook.

    >>> m = Model(seed=7, n=1000)
    >>> m.between(1, 2, "tonne").magnitude.shape
    (1000,)
    """

    def __init__(self, seed: int, n: int = DEFAULT_SAMPLES):
        if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
            raise TypeError(f"seed must be an integer, got {seed!r}")
        if not isinstance(n, (int, np.integer)) or n < 1000:
            raise ValueError(f"n must be an integer of at least 1000 samples, got {n!r}")
        self.seed = int(seed)
        self.n = int(n)
        self.rng = np.random.default_rng(self.seed)

    def sample(self, interval: Interval) -> pint.Quantity:
        """Draw ``n`` samples of ``interval`` as a quantity array."""
        kind, a, b = interval.parameters()
        return Q_(getattr(self.rng, kind)(a, b, self.n), interval.unit)

    def between(self, low, high, unit: str | None = None, dist: str | None = None,
                *, where: str = "") -> pint.Quantity:
        """Samples of a 90% interval. ``low``/``high`` are numbers with ``unit``, or quantities.

        The distribution is lognormal when both bounds are positive, normal otherwise,
        unless ``dist`` says which.
        """
        if isinstance(low, pint.Quantity) or isinstance(high, pint.Quantity):
            if not (isinstance(low, pint.Quantity) and isinstance(high, pint.Quantity)):
                raise IntervalError(f"{where + ': ' if where else ''}give both bounds as quantities, or neither")
            unit = unit or f"{low.units}"
            low, high = low.to(unit).magnitude, high.to(unit).magnitude
        if unit is None:
            raise IntervalError(f"{where + ': ' if where else ''}an interval needs a unit (use 'dimensionless' for a pure number)")
        parse_unit(unit, where=where)
        if dist is None:
            try:
                dist = "lognormal" if float(low) > 0 and float(high) > 0 else "normal"
            except (TypeError, ValueError):
                dist = "lognormal"  # let _check_bounds report the non-numeric bound
        lo, hi = _check_bounds(low, high, dist, where)
        return self.sample(Interval(lo, hi, unit, dist))

    def constant(self, value, unit: str) -> pint.Quantity:
        """A known value as a scalar quantity; it broadcasts against sample arrays."""
        return Q_(float(value), unit)

    def mixture(self, components: Sequence[pint.Quantity], weights: Sequence[float] | None = None
                ) -> pint.Quantity:
        """Samples drawn from the components (sample arrays of one dimension) with the given weights.

        Each output sample is taken from one component, chosen at random with probability
        proportional to its weight: the model "one of these sources is right".
        """
        if not components:
            raise IntervalError("a mixture needs at least one component")
        unit = components[0].units
        arrays = []
        for comp in components:
            mag = comp.magnitude if comp.units == unit else comp.to(unit).magnitude
            arrays.append(np.broadcast_to(np.asarray(mag, dtype=float), (self.n,)))
        w = np.ones(len(arrays)) if weights is None else np.asarray(weights, dtype=float)
        if w.shape != (len(arrays),) or np.any(w < 0) or not np.isfinite(w).all() or w.sum() <= 0:
            raise IntervalError(f"mixture weights must be {len(arrays)} non-negative numbers with a positive sum, got {weights!r}")
        if np.all(w == w[0]):  # equal weights: integers() is several times faster than choice(p=...)
            choice = self.rng.integers(len(arrays), size=self.n)
        else:
            choice = self.rng.choice(len(arrays), size=self.n, p=w / w.sum())
        stacked = np.stack(arrays)
        return Q_(stacked[choice, np.arange(self.n)], unit)


def percentiles(samples: pint.Quantity, qs=(5, 50, 95)) -> list[pint.Quantity]:
    """The percentiles ``qs`` of a sample array, as quantities."""
    mags = np.percentile(np.asarray(samples.magnitude, dtype=float), qs)
    return [Q_(float(v), samples.units) for v in mags]


def percentile_of(samples: pint.Quantity, value: pint.Quantity) -> float:
    """Where ``value`` falls within ``samples``, in percent (0 to 100): the share of samples below it.

    >>> percentile_of(Q_(np.arange(100.0), "km"), Q_(24_500, "m"))
    25.0
    """
    mags = np.asarray(samples.magnitude, dtype=float)
    v = value.to(samples.units).magnitude
    below = np.count_nonzero(mags < v)
    equal = np.count_nonzero(mags == v)
    return float(100.0 * (below + 0.5 * equal) / mags.size)


def round_sig(x: float, sig: int = DEFAULT_SIG) -> float:
    """``x`` rounded to ``sig`` significant figures (0 stays 0).

    >>> round_sig(16_437.2), round_sig(0.0012345, 3)
    (16000.0, 0.00123)
    """
    if x == 0 or not np.isfinite(x):
        return float(x)
    return float(f"{x:.{sig}g}")


def format_number(x: float, sig: int = DEFAULT_SIG) -> str:
    """A number at ``sig`` significant figures with thousands separators, never in e-notation.

    >>> format_number(16_437.2), format_number(2.345), format_number(0.01234)
    ('16,000', '2.3', '0.012')
    """
    r = round_sig(x, sig)
    if r == 0:
        return "0"
    magnitude = int(np.floor(np.log10(abs(r))))
    decimals = max(sig - 1 - magnitude, 0)
    return f"{r:,.{decimals}f}"


@dataclass(frozen=True)
class Summary:
    """p5, p50 and p95 of a sample array, in one unit, rounded to ``sig`` significant figures."""

    p5: float
    p50: float
    p95: float
    unit: str
    sig: int = DEFAULT_SIG

    def __str__(self) -> str:
        f = lambda v: format_number(v, self.sig)  # noqa: E731
        u = f"{ureg.parse_units(self.unit):~P}" if self.unit else ""
        if self.p5 == self.p95:
            return f"{f(self.p50)} {u}".strip()
        return f"{f(self.p50)} {u} (90%: {f(self.p5)} to {f(self.p95)})".replace("  ", " ")

    def as_dict(self) -> dict:
        return {"unit": self.unit, "p5": self.p5, "p50": self.p50, "p95": self.p95}


def summarize(samples: pint.Quantity, unit: str | None = None, sig: int = DEFAULT_SIG) -> Summary:
    """The p5/p50/p95 summary of ``samples`` (converted to ``unit`` if given).

    A scalar quantity (an exact value) gives p5 = p50 = p95.
    """
    q = samples.to(unit) if unit else samples
    unit_text = unit if unit else f"{q.units}"
    if np.ndim(q.magnitude) == 0:
        v = round_sig(float(q.magnitude), sig)
        return Summary(v, v, v, unit_text, sig)
    p5, p50, p95 = (round_sig(p.magnitude, sig) for p in percentiles(q))
    return Summary(p5, p50, p95, unit_text, sig)
