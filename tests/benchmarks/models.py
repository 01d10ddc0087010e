"""The fire-rate model of notebook 01 three ways, for the units benchmark: the package's
unit-aware quantities, bare numpy, and squigglepy. Same sources, same arithmetic, same output."""
from __future__ import annotations

import numpy as np

CASE = "2023-11-01-thehindu-afp-nk-russia-artillery"
POINT_SPREAD = 1.3


def inputs():
    """(low, high) per 2023 source in rounds per day, as notebook 01 reads them (outlier out)."""
    from estimates.case import load_case
    case = load_case(CASE)
    out = []
    for s in case.sources.tagged("ru-2023"):
        if "outlier" in s.tags:
            continue
        lo, hi = s.in_unit("round / day")
        if lo == hi:
            lo, hi = lo / POINT_SPREAD, hi * POINT_SPREAD
        out.append((lo, hi))
    return out


def with_units(bounds, n: int, seed: int = 1) -> float:
    """The package: Model.between per source, Model.mixture, months as a pint quantity."""
    from estimates.uncertain import Model
    from estimates.units import Q_
    m = Model(seed=seed, n=n)
    rate = m.mixture([m.between(lo, hi, "round / day") for lo, hi in bounds])
    months = (Q_(1_000_000, "round") / rate).to("month")
    return float(np.median(months.magnitude))


def bare_numpy(bounds, n: int, seed: int = 1) -> float:
    """The same model with numpy arrays only, the unit conversion done by hand."""
    from scipy import stats
    rng = np.random.default_rng(seed)
    z = stats.norm.ppf(0.95)
    comps = []
    for lo, hi in bounds:
        mu, sigma = (np.log(lo) + np.log(hi)) / 2, (np.log(hi) - np.log(lo)) / (2 * z)
        comps.append(rng.lognormal(mu, sigma, n))
    choice = rng.choice(len(comps), size=n)
    rate = np.stack(comps)[choice, np.arange(n)]
    months = 1_000_000 / rate / 30.4375
    return float(np.median(months))


def squiggle(bounds, n: int, seed: int = 1) -> float:
    """The same model in squigglepy (no units): a mixture of 90% lognormals, 1e6 / rate in months."""
    import squigglepy as sq
    sq.set_seed(seed)
    rate = sq.mixture([sq.lognorm(lo, hi) for lo, hi in bounds])
    months = 1_000_000 / rate / 30.4375
    return float(np.median(sq.sample(months, n=n, verbose=False)))
