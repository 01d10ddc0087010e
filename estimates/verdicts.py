"""Verdicts: the scale, its thresholds, how a claim's band is judged, and the records that carry it.

The scale and every rule below are defined once, here, and explained in the README.

**A claim is a band.** Its words give a band of values (:func:`claim_band`): "more than one
million" is one million and up; "at most" the reverse; "about 200" and "around two" are the
rounding their digits carry (:func:`rounding_step`: 200 to the nearest hundred, 150 to 250; 2 to
the nearest one, 1.5 to 2.5; 125 to the nearest five); "exactly" is a point.

**Estimate checks** judge the band against a model's Monte Carlo distribution by its *tail
probability* (:func:`judge_band`): the smaller of P(model <= the band's top) and P(model >= the
band's bottom). A point band gives the old rule for a point claim, min(P(X <= c), P(X >= c)); a
band from c up gives P(X >= c), the chance the model reaches c.

- ``consistent``: tail probability at least 5%
- ``strained``: at least 1%
- ``inconsistent``: below 1%

A model that is itself only a lower bound (built from counts that say "at least") cannot show
that the truth stays below a band, so its P(model >= bottom) is taken as 1; an upper-bound model
likewise. **How much a test can tell** (:func:`discrimination`): the factors by which the claim
could be scaled and still be consistent; a test that would accept a claim half and twice as large
is a *weak test*.

**Routes.** Where a check reaches the quantity by several routes, each is judged on its own
(:func:`route`). :data:`ROUTE_RULE` combines them: the verdict is the least favourable among the
independent routes; a route that assumes another claim of the same article is shown but cannot
confirm. **Readings.** Where a word admits several readings, each gets its verdict
(:func:`reading`); the record's verdict is the one under the reading the check argues for
(``primary``), and the record says when the readings disagree. **Assumptions.** An unsourced
input whose own plausible range flips the verdict is listed in ``depends_on``.

**Exact checks** (unit conversions, distances, calendar facts) compare a computed value or range
with the band (:func:`judge_exact_band`): ``correct`` when it lies inside (for a date: a source
dates the event itself, inside the band); ``consistent`` when evidence overlaps the band without
settling it; ``incorrect`` when it lies outside; ``unverified`` when no source published by the
article's date can settle it (or only a longer route than the one computed could reach the band).
``not checked`` is a claim no notebook checks; ``error`` a claim whose notebook failed.

>>> from estimates.units import Q_
>>> import numpy as np
>>> judge_estimate(Q_(2, "month"), Q_(np.linspace(1, 5, 1001), "month"), "point").verdict
'consistent'
"""
from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from decimal import Decimal
from typing import Any, Iterable

import numpy as np
import pint

from estimates.uncertain import percentile_of, round_sig, summarize
from estimates.units import number_text

CONSISTENT, STRAINED, INCONSISTENT = "consistent", "strained", "inconsistent"
CORRECT, INCORRECT, UNVERIFIED = "correct", "incorrect", "unverified"
NOT_CHECKED, ERROR = "not checked", "error"
#: A declared check's published verdicts beside the scale (estimates.checks): the verdict moves
#: between classes across the fair readings of its inputs (its range says which), or the test
#: could not have failed.
UNDETERMINED, CANNOT_TELL = "undetermined", "cannot tell"
ESTIMATE_SCALE = (CONSISTENT, STRAINED, INCONSISTENT)
EXACT_SCALE = (CORRECT, CONSISTENT, INCORRECT, UNVERIFIED)
ALL_VERDICTS = (CONSISTENT, STRAINED, INCONSISTENT, UNDETERMINED, CANNOT_TELL, CORRECT, INCORRECT, UNVERIFIED,
                NOT_CHECKED, ERROR)

#: The verdict scale as a numeric rating (schema.org ClaimReview's reviewRating), defined once:
#: 5 is the best a claim can get, 1 the worst. "not checked" and "error" have no rating, and neither
#: have "undetermined" and "cannot tell": neither is a point on the true-false scale.
RATING = {CORRECT: 5, CONSISTENT: 4, UNVERIFIED: 3, STRAINED: 2, INCONSISTENT: 1, INCORRECT: 1}
RATING_BEST, RATING_WORST = 5, 1

#: Tail probabilities at or above which a claim is consistent, or strained.
TAIL_CONSISTENT = 0.05
TAIL_STRAINED = 0.01
BOUNDS = ("point", "lower", "upper")


@dataclass(frozen=True)
class Judgement:
    """A verdict with the numbers it rests on (percentile in %, tail as a probability)."""

    verdict: str
    percentile: float | None = None
    tail: float | None = None
    ratio: float | None = None


# --- bands ------------------------------------------------------------------------------------

def rounding_step(number: float) -> float:
    """The rounding step a stated number carries: one unit of its last non-zero digit, or five
    units where that digit is a 5 after other digits (a writer rounding to the nearest five: 125,
    1,500); a lone 5 (500,000) is one unit of its digit, like any other single digit.

    >>> rounding_step(200), rounding_step(125), rounding_step(110), rounding_step(2), rounding_step(6700)
    (100.0, 5.0, 10.0, 1.0, 100.0)
    >>> rounding_step(1_000_000), rounding_step(0.3), rounding_step(500_000), rounding_step(1_500)
    (1000000.0, 0.1, 100000.0, 500.0)
    """
    if not math.isfinite(number) or number == 0:
        raise ValueError(f"a rounding step needs a finite non-zero number, got {number!r}")
    d = Decimal(repr(float(abs(number)))).normalize()
    sign, digits, exponent = d.as_tuple()
    place = float(Decimal(1).scaleb(exponent))
    return 5 * place if digits[-1] == 5 and len(digits) > 1 else place


@dataclass(frozen=True)
class Band:
    """The values a claim's words allow, in ``unit``: from ``low`` to ``high`` (either may be
    infinite), with the reading in words."""

    low: float
    high: float
    unit: str
    reading: str = ""

    def __post_init__(self):
        if not self.low <= self.high:
            raise ValueError(f"a band's low ({self.low}) must not exceed its high ({self.high})")

    def scaled(self, factor: float) -> "Band":
        """The same band for a claim ``factor`` times as large."""
        return Band(self.low * factor, self.high * factor, self.unit, f"{self.reading} (x{factor:g})")

    def text(self) -> str:
        """The band in words, e.g. '1.5 to 2.5 month' or '1,000,000 and up'."""
        f = number_text
        u = f" {self.unit}" if self.unit and self.unit != "dimensionless" else ""
        if math.isinf(self.high) and math.isinf(self.low):
            return "any value"
        if math.isinf(self.high):
            return f"{f(self.low)}{u} and up"
        if math.isinf(self.low):
            return f"up to {f(self.high)}{u}"
        if self.low == self.high:
            return f"{f(self.low)}{u}"
        return f"{f(self.low)} to {f(self.high)}{u}"

    def as_dict(self) -> dict[str, Any]:
        return {"low": None if math.isinf(self.low) else self.low,
                "high": None if math.isinf(self.high) else self.high,
                "unit": self.unit, "reading": self.reading, "text": self.text()}


def claim_band(claim, unit: str | None = None, *, step: float | None = None, value=None) -> Band:
    """The band a quantity claim's words give, in ``unit`` (default the claim's).

    Lower-bound qualifiers ("more than", "at least" ...) give the value and up; upper-bound ones
    the reverse; "exactly" a point; every other point qualifier ("about", "around",
    "approximately" ...) the value plus or minus half the rounding step its digits carry
    (or ``step``, in the claim's unit, where the check argues for another). A claim stated as a
    range is that range. ``value`` overrides the stated number (a check asking about one part).
    """
    from estimates.units import Q_
    unit = unit or claim.unit
    to = lambda v: float(Q_(v, claim.unit).to(unit).magnitude)  # noqa: E731
    words = f"'{claim.stated()}'"
    if value is None and claim.value is None and claim.low is not None:
        return Band(to(claim.low), to(claim.high), unit, f"{words}: the range as stated")
    v = claim.value if value is None else value
    bound = claim.bound
    if bound == "lower":
        return Band(to(v), math.inf, unit, f"{words}: from {number_text(v)} up")
    if bound == "upper":
        return Band(-math.inf, to(v), unit, f"{words}: up to {number_text(v)}")
    if claim.qualifier == "exactly":
        return Band(to(v), to(v), unit, f"{words}: exactly")
    how = "as the check reads it" if step is not None else "the rounding its digits carry"
    step = rounding_step(v) if step is None else step
    from estimates.claims import JUST_BELOW
    if claim.qualifier in JUST_BELOW:
        return Band(to(v - step), to(v), unit, f"{words}: just below it, within {how} (to {number_text(step)})")
    return Band(to(v - step / 2), to(v + step / 2), unit, f"{words} at {how}: to the nearest {number_text(step)}")


def _p_at_most(mags: np.ndarray, v: float) -> float:
    """P(X <= v), ties counted half (so that a point band gives the point rule exactly)."""
    if math.isinf(v):
        return 1.0 if v > 0 else 0.0
    return float((np.count_nonzero(mags < v) + 0.5 * np.count_nonzero(mags == v)) / mags.size)


def _p_at_least(mags: np.ndarray, v: float) -> float:
    if math.isinf(v):
        return 0.0 if v > 0 else 1.0
    return 1.0 - _p_at_most(mags, v)


MODEL_BOUNDS = (None, "lower", "upper")


@dataclass(frozen=True)
class BandJudgement:
    """A band judged against a model: the verdict, the tail probability, the chance the model
    lands inside the band, and P(model <= top), P(model >= bottom)."""

    verdict: str
    tail: float
    in_band: float
    below_top: float
    above_bottom: float


def judge_band(band: Band, model: pint.Quantity, model_bound: str | None = None) -> BandJudgement:
    """Judge ``band`` against ``model`` samples (the one rule; see the module docstring).

    ``model_bound="lower"`` says the model is only a lower bound on the truth: it cannot show
    that the truth stays below the band's bottom (and "upper" the reverse).

    >>> from estimates.units import Q_
    >>> m = Q_(np.linspace(1, 3, 2001), "month")
    >>> judge_band(Band(1.5, 2.5, "month"), m).verdict, judge_band(Band(3.5, 4.5, "month"), m).verdict
    ('consistent', 'inconsistent')
    >>> judge_band(Band(3.5, math.inf, "month"), m, model_bound="lower").verdict
    'consistent'
    """
    if model_bound not in MODEL_BOUNDS:
        raise ValueError(f"model_bound must be one of {MODEL_BOUNDS}, got {model_bound!r}")
    if np.ndim(model.magnitude) == 0:
        raise ValueError("an estimate check needs a model with samples; use judge_exact_band for a single value")
    mags = np.asarray(model.to(band.unit).magnitude, dtype=float)
    below_top = 1.0 if model_bound == "upper" else _p_at_most(mags, band.high)
    above_bottom = 1.0 if model_bound == "lower" else _p_at_least(mags, band.low)
    tail = min(below_top, above_bottom)
    in_band = float(np.mean((mags >= band.low) & (mags <= band.high)))
    return BandJudgement(scale_for_tail(tail), tail, in_band, below_top, above_bottom)


def discrimination(band: Band, model: pint.Quantity, model_bound: str | None = None) -> dict[str, Any]:
    """How much the test can tell: the verdicts the same model gives a claim half and twice as
    large, and the range of factors by which the claim could be scaled and stay consistent.
    ``weak`` is true when the model would accept the claim at half and at twice its size: such a
    verdict could hardly have come out otherwise.

    >>> from estimates.units import Q_
    >>> wide = Q_(np.geomspace(0.5, 8, 2001), "month")
    >>> discrimination(Band(1.5, 2.5, "month"), wide)["weak"]
    True
    >>> discrimination(Band(1.5, 2.5, "month"), Q_(np.linspace(1.8, 2.2, 2001), "month"))["weak"]
    False
    """
    mags = np.asarray(model.to(band.unit).magnitude, dtype=float)
    q05, q95 = np.percentile(mags, [5, 95])
    lo = 0.0 if (model_bound == "upper" or math.isinf(band.high) or band.high <= 0) else q05 / band.high
    hi = math.inf if (model_bound == "lower" or band.low <= 0) else q95 / band.low
    half = judge_band(band.scaled(0.5), model, model_bound).verdict
    double = judge_band(band.scaled(2), model, model_bound).verdict
    return {"half": half, "double": double, "weak": half == CONSISTENT and double == CONSISTENT,
            "accepts_factor": [round_sig(float(lo), 2), None if math.isinf(hi) else round_sig(float(hi), 2)]}


def scale_for_tail(tail: float) -> str:
    """The estimate verdict for a tail probability (0 to 1).

    >>> scale_for_tail(0.2), scale_for_tail(0.03), scale_for_tail(0.001)
    ('consistent', 'strained', 'inconsistent')
    """
    if not 0 <= tail <= 1:
        raise ValueError(f"a tail probability lies in [0, 1], got {tail!r}")
    if tail >= TAIL_CONSISTENT:
        return CONSISTENT
    if tail >= TAIL_STRAINED:
        return STRAINED
    return INCONSISTENT


def judge_estimate(claimed: pint.Quantity, model: pint.Quantity, bound: str) -> Judgement:
    """Judge a claimed value against a model's samples. ``bound`` is 'point', 'lower' or 'upper':
    the zero-width or one-sided band of :func:`judge_band`. The ratio is claim / model median.
    """
    if bound not in BOUNDS:
        raise ValueError(f"bound must be one of {BOUNDS}, got {bound!r}")
    if np.ndim(model.magnitude) == 0:
        raise ValueError("an estimate check needs a model with samples; use judge_exact for a single value")
    v = float(claimed.to(model.units).magnitude)
    band = Band(-math.inf if bound == "upper" else v, math.inf if bound == "lower" else v, f"{model.units}")
    j = judge_band(band, model)
    pct = percentile_of(model, claimed)
    median = float(np.median(model.magnitude))
    ratio = v / median if median else float("nan")
    return Judgement(j.verdict, pct, j.tail, float(ratio))


def judge_exact(claimed: pint.Quantity, computed: pint.Quantity, tolerance: pint.Quantity) -> Judgement:
    """``correct`` when |claimed - computed| <= tolerance, in the claim's unit; the ratio is claimed / computed:
    the band claimed +- tolerance of :func:`judge_exact_band`.

    >>> from estimates.units import Q_
    >>> judge_exact(Q_(125, "mile"), Q_(200, "km"), Q_(2.5, "mile")).verdict
    'correct'
    """
    c, t = float(claimed.magnitude), float(tolerance.to(claimed.units).magnitude)
    v = float(computed.to(claimed.units).magnitude)
    verdict = judge_exact_band(Band(c - t, c + t, f"{claimed.units}"), v, v)
    ratio = (claimed / computed).to("dimensionless").magnitude
    return Judgement(verdict, None, None, float(ratio))


def judge_exact_band(band: Band, low: float, high: float, *, computed_is_minimum: bool = False,
                     computed_is_maximum: bool = False) -> str:
    """An exact check: a computed value (``low == high``) or range, in the band's unit, against the band.

    Inside the band: ``correct``; overlapping it: ``consistent`` (part of what the sources allow
    fits); beyond its top: ``incorrect``, or ``unverified`` when the computed value is only a
    maximum (a source that shows only a later start: the event may have begun earlier); short of its
    bottom: ``incorrect``, or ``unverified`` when the computed value is only a minimum (a straight
    line, which any road exceeds).

    >>> judge_exact_band(Band(1, 31, "day"), 38, 38, computed_is_maximum=True)
    'unverified'

    >>> judge_exact_band(Band(150, 250, "km"), 176, 180), judge_exact_band(Band(180, 220, "km"), 163, 193)
    ('correct', 'consistent')
    >>> judge_exact_band(Band(180, 220, "km"), 169, 173, computed_is_minimum=True)
    'unverified'
    """
    if low > high:
        raise ValueError(f"computed low ({low}) is above high ({high})")
    if band.low <= low and high <= band.high:
        return CORRECT
    if low > band.high:
        return UNVERIFIED if computed_is_maximum else INCORRECT
    if high < band.low:
        return UNVERIFIED if computed_is_minimum else INCORRECT
    return CONSISTENT


# --- routes, readings and assumptions -----------------------------------------------------------

#: How routes combine, stated once; the README quotes it.
ROUTE_RULE = ("The verdict is the least favourable verdict among the independent routes: a claim has to "
              "survive every independent test. A route that assumes another claim of the same article is "
              "shown, but cannot confirm it.")
_SEVERITY = {CORRECT: 0, CONSISTENT: 1, STRAINED: 2, UNVERIFIED: 2, INCONSISTENT: 3, INCORRECT: 3}


def route(name: str, model: pint.Quantity, band: Band, *, description: str, independent: bool = True,
          assumes: Iterable[str] = (), model_bound: str | None = None, sig: int = 2) -> dict[str, Any]:
    """One route to a claimed quantity, judged on its own: its model (p5, p50, p95), verdict, tail
    probability, chance of landing in the band, and how much it can tell (:func:`discrimination`).
    ``assumes`` names the claims of the same article the route takes as given (then it is not
    independent)."""
    assumes = tuple(assumes)
    if assumes and independent:
        raise ValueError(f"route {name!r} assumes {assumes} of the same article, so it is not independent")
    j = judge_band(band, model, model_bound)
    summary = summarize(model, band.unit, sig).as_dict()
    if np.ndim(model.magnitude):
        q25, q75 = np.percentile(np.asarray(model.to(band.unit).magnitude, dtype=float), [25, 75])
        summary.update(p25=round_sig(float(q25), sig), p75=round_sig(float(q75), sig))
    return {"name": name, "description": description, "independent": independent, "assumes": list(assumes),
            "model_bound": model_bound, "model": summary,
            "verdict": j.verdict, "tail_probability": round(j.tail, 2), "in_band": round(j.in_band, 2),
            "discrimination": discrimination(band, model, model_bound)}


def combine_routes(routes: list[dict[str, Any]]) -> dict[str, Any]:
    """The verdict by :data:`ROUTE_RULE`, the route it comes from, and whether the routes disagree."""
    independent = [r for r in routes if r["independent"]]
    if not independent:
        raise ValueError("a verdict needs at least one independent route; routes that assume another "
                         "claim of the article cannot confirm it")
    # the least favourable; among equals, a route that can tell (not a weak test) speaks for them
    deciding = max(independent, key=lambda r: (_SEVERITY[r["verdict"]], not r["discrimination"]["weak"]))
    return {"verdict": deciding["verdict"], "deciding": deciding["name"],
            "disagree": len({r["verdict"] for r in routes}) > 1,
            "weak_test": all(r["discrimination"]["weak"] for r in independent)}


def reading(name: str, verdict: str, *, primary: bool = False, **numbers) -> dict[str, Any]:
    """One reading of a word in the claim, with the verdict under it and the numbers behind it."""
    if verdict not in ALL_VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}; valid: {', '.join(ALL_VERDICTS)}")
    return {"name": name, "verdict": verdict, "primary": primary, **numbers}


def _primary(readings: list[dict[str, Any]]) -> dict[str, Any]:
    primary = [r for r in readings if r["primary"]]
    if len(primary) != 1:
        raise ValueError(f"exactly one reading must be primary (the one the check argues for), got {len(primary)}")
    return primary[0]


def depends_on(assumption: str, values: Iterable[Any], verdicts: Iterable[str], base: str, *,
               unit: str = "", sourced: bool = False) -> dict[str, Any] | None:
    """An entry for ``depends_on`` when ``assumption``, moved across its plausible ``values``,
    gives a verdict other than ``base``; None when the verdict holds across the range.

    >>> depends_on("PACKAGING", [1.2, 1.9], ["consistent", "strained"], "consistent")["verdicts"]
    ['consistent', 'strained']
    >>> depends_on("PACKAGING", [1.2, 1.9], ["consistent", "consistent"], "consistent") is None
    True
    """
    values, verdicts = list(values), list(verdicts)
    if all(v == base for v in verdicts):
        return None
    return {"assumption": assumption, "sourced": sourced, "values": values, "unit": unit, "verdicts": verdicts}


@dataclass(frozen=True)
class Estimate:
    """A named estimate the report picks up: p5, p50, p95 in a unit (all equal for an exact value),
    and p25 and p75 (the 50% interval) where the estimate is a distribution, so that a later figure
    can be scored against it."""

    name: str
    unit: str
    p5: float
    p50: float
    p95: float
    description: str
    sources: tuple[str, ...] = ()
    #: What p5 and p95 bound: "90%" for a model's interval, "range" for the spread of sources.
    interval: str = "90%"
    p25: float | None = None
    p75: float | None = None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sources"] = list(self.sources)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Estimate":
        """The estimate :meth:`as_dict` gave: ValueError for a field it does not have or one missing."""
        if not isinstance(d, dict):
            raise ValueError(f"an estimate is an object, not {type(d).__name__}")
        unknown = sorted(set(d) - {f.name for f in fields(cls)})
        if unknown:
            raise ValueError(f"an estimate has no field {', '.join(unknown)}")
        try:
            return cls(**{k: tuple(v) if k == "sources" and isinstance(v, list) else v for k, v in d.items()})
        except TypeError as exc:
            raise ValueError(f"an estimate is incomplete: {exc}") from None


def exact_estimate(name: str, values, unit: str, description: str, sources=(), digits: int = 1) -> Estimate:
    """A named estimate of exact computations: the lowest, middle and highest of ``values`` (magnitudes
    in ``unit``), rounded to ``digits`` decimals, labelled "range" when the sources disagree and "exact"
    when they do not.

    >>> exact_estimate("km", [169.44, 173.02], "km", "a geodesic").interval
    'range'
    """
    lo, hi = min(values), max(values)
    return Estimate(name, unit, round(lo, digits), round((lo + hi) / 2, digits), round(hi, digits), description,
                    tuple(sources), interval="range" if hi > lo else "exact")


def estimate(name: str, q: pint.Quantity, unit: str, description: str, sources=(), sig: int = 2) -> Estimate:
    """A named estimate from samples (or one exact value) at ``sig`` significant figures."""
    s = summarize(q, unit, sig)
    quartiles = (None, None)
    if np.ndim(q.magnitude):
        quartiles = tuple(round_sig(float(v), sig) for v in np.percentile(q.to(unit).magnitude, [25, 75]))
    return Estimate(name, unit, s.p5, s.p50, s.p95, description, tuple(sources), p25=quartiles[0], p75=quartiles[1])


@dataclass(frozen=True)
class VerdictRecord:
    """One claim's verdict in one check, with everything the report needs to show it.

    ``band`` is the claim's band; ``routes`` every route with its own verdict (estimate checks);
    ``readings`` the verdict under each reading of an ambiguous word; ``discrimination`` how much
    the deciding route can tell; ``depends_on`` the assumptions whose own range flips the verdict.
    """

    claim_id: str
    check_id: str
    question: str
    verdict: str
    kind: str  # "estimate" or "exact"
    claimed: dict[str, Any]
    model: dict[str, Any] | None = None
    percentile: float | None = None
    tail_probability: float | None = None
    ratio: float | None = None
    drivers: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    explanation: str = ""
    notebook: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    band: dict[str, Any] | None = None
    routes: tuple[dict[str, Any], ...] = ()
    readings: tuple[dict[str, Any], ...] = ()
    discrimination: dict[str, Any] | None = None
    depends_on: tuple[dict[str, Any], ...] = ()
    #: A declared check's (estimates.checks): each audited move and the verdict it gives, the classes
    #: the verdict spans, the inputs that decide it, and every declared input.
    audit: tuple[dict[str, Any], ...] = ()
    verdict_range: tuple[str, ...] = ()
    deciding_inputs: tuple[str, ...] = ()
    inputs: tuple[dict[str, Any], ...] = ()
    rule: str = ""

    def __post_init__(self):
        if self.verdict not in ALL_VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; valid: {', '.join(ALL_VERDICTS)}")
        if self.kind not in ("estimate", "exact"):
            raise ValueError(f"kind must be 'estimate' or 'exact', got {self.kind!r}")

    @property
    def routes_disagree(self) -> bool:
        return len({r["verdict"] for r in self.routes}) > 1

    def _decided_by(self, kinds: tuple[str, ...]) -> bool:
        """Whether an audited input of one of ``kinds`` decides the verdict (a declared check's)."""
        return any(a["kind"] in kinds and a["input"] in self.deciding_inputs for a in self.audit)

    @property
    def reading_dependent(self) -> bool:
        return len({r["verdict"] for r in self.readings}) > 1 or \
            self._decided_by(("claim reading", "source", "reading", "date", "model", "route rule"))

    @property
    def assumption_dependent(self) -> bool:
        return bool(self.depends_on) or self._decided_by(("assumption",))

    @property
    def weak_test(self) -> bool:
        independent = [r for r in self.routes if r["independent"]]
        return bool(independent) and all(r["discrimination"]["weak"] for r in independent)

    #: What :meth:`as_dict` adds, computed from the fields (read back, each must agree).
    DERIVED = ("routes_disagree", "reading_dependent", "assumption_dependent", "weak_test", "route_rule")

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "VerdictRecord":
        """The record :meth:`as_dict` gave (read back from a notebook's output): ValueError for a field
        it does not have, one it needs missing, or a derived value that disagrees with its fields."""
        if not isinstance(d, dict):
            raise ValueError(f"a verdict record is an object, not {type(d).__name__}")
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - names - set(cls.DERIVED))
        if unknown:
            raise ValueError(f"a verdict record has no field {', '.join(unknown)}")
        try:
            record = cls(**{k: tuple(v) if isinstance(v, list) and k in _TUPLE_FIELDS else v
                            for k, v in d.items() if k in names})
        except TypeError as exc:
            raise ValueError(f"a verdict record is incomplete: {exc}") from None
        derived = record.as_dict()
        wrong = [k for k in cls.DERIVED if k in d and d[k] != derived[k]]
        if wrong:
            raise ValueError(f"verdict record {record.claim_id}: {', '.join(wrong)} disagree with its fields")
        return record

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["drivers"], d["sources"] = list(self.drivers), list(self.sources)
        d["routes"], d["readings"], d["depends_on"] = list(self.routes), list(self.readings), list(self.depends_on)
        for k in ("audit", "verdict_range", "deciding_inputs", "inputs"):
            d[k] = list(getattr(self, k))
        d.update(routes_disagree=self.routes_disagree, reading_dependent=self.reading_dependent,
                 assumption_dependent=self.assumption_dependent,
                 weak_test=self.weak_test, route_rule=(self.rule or ROUTE_RULE) if self.routes else "")
        return d


def verdict_flags(r) -> list[str]:
    """Short marks for what a reader must see at a glance: routes that disagree, a verdict that
    depends on a reading or on an assumption, a weak test, one finding in several wordings (``r``: a
    :class:`VerdictRecord`, or a report's row of one)."""
    flags = []
    if r.routes_disagree:
        flags.append("routes disagree")
    if r.reading_dependent:
        flags.append("depends on reading")
    if r.assumption_dependent or r.depends_on:
        flags.append("depends on an assumption")
    if r.weak_test:
        flags.append("weak test")
    if (r.extra or {}).get("finding"):
        flags.append("one finding, several wordings")
    return flags


_TUPLE_FIELDS = frozenset({"drivers", "sources", "routes", "readings", "depends_on", "audit", "verdict_range",
                           "deciding_inputs", "inputs"})


def claimed_dict(claim, value=None) -> dict[str, Any]:
    """The claim as the record states it: value or low/high (numbers or ISO dates), unit, qualifier, text."""
    def plain(v):
        return v.isoformat() if hasattr(v, "isoformat") else v
    return {"value": plain(claim.value if value is None else value), "low": plain(claim.low),
            "high": plain(claim.high), "unit": claim.unit, "qualifier": claim.qualifier,
            "text": claim.stated()}


def check_of(claim) -> str:
    """The name a verdict record gives its check: the notebook the register assigns the claim to
    (``check``), so that a notebook has one name in the register, its records and the report."""
    if not claim.check:
        raise ValueError(f"claim {claim.id!r}: the register names no notebook that checks it (its 'check')")
    return claim.check


def estimate_verdict(claim, question: str, model: pint.Quantity | None = None, *, unit: str,
                     claimed: pint.Quantity | None = None, band: Band | None = None,
                     routes: list[dict[str, Any]] | None = None, readings: list[dict[str, Any]] | None = None,
                     depends: Iterable[dict[str, Any] | None] = (), model_bound: str | None = None,
                     drivers=(), sources=(), explanation: str = "", sig: int = 2, finding: str = "") -> VerdictRecord:
    """Judge ``claim``'s band against its routes (or one ``model``) and build the record.

    Without ``routes``, ``model`` is the one route ("the model"). The verdict follows
    :data:`ROUTE_RULE`; with ``readings``, it is the primary reading's, which must agree with the
    routes (they are computed under it). The record's model, percentile and ratio are those of
    the deciding route. ``finding`` names one statement checked under several claims (one wording
    each), so that the report counts it once. Numbers are stored coarser than the Monte Carlo error of 200,000 samples:
    the percentile to a whole percent, probabilities to 0.01, the rest to ``sig`` figures.
    """
    band = band or claim_band(claim, unit)
    if routes is None:
        if model is None:
            raise ValueError("give a model or routes")
        routes = [route("the model", model, band, description=question, model_bound=model_bound, sig=sig)]
        models = {"the model": model}
    else:
        models = None
    combined = combine_routes(routes)
    verdict = combined["verdict"]
    if readings:
        primary = _primary(readings)
        if primary["verdict"] != verdict:
            raise ValueError(f"the primary reading's verdict ({primary['verdict']}) differs from the routes' "
                             f"({verdict}); the routes must be computed under the primary reading")
    deciding = next(r for r in routes if r["name"] == combined["deciding"])
    claimed_q = claim.quantity() if claimed is None else claimed
    value = float(claimed_q.to(unit).magnitude)
    m = deciding["model"]
    pct = tail = None
    if models is not None:
        j = judge_estimate(claimed_q, models["the model"].to(unit), claim.bound)
        pct = float(round(j.percentile))
    tail = deciding["tail_probability"]
    ratio = round_sig(value / m["p50"], sig) if m["p50"] else None
    return VerdictRecord(
        claim.id, check_of(claim), question, verdict, "estimate",
        {**claimed_dict(claim), "value": round_sig(value, 6), "unit": unit},
        dict(m), pct, tail, ratio, tuple(drivers), tuple(sources), explanation,
        extra={"finding": finding} if finding else {}, band=band.as_dict(), routes=tuple(routes), readings=tuple(readings or ()),
        discrimination=deciding["discrimination"], depends_on=tuple(d for d in depends if d))


def exact_verdict(claim, question: str, verdict: str | None = None, *,
                  computed: dict[str, Any] | None = None, band: Band | None = None,
                  readings: list[dict[str, Any]] | None = None, depends: Iterable[dict[str, Any] | None] = (),
                  ratio: float | None = None, sources=(), explanation: str = "", extra=None) -> VerdictRecord:
    """An exact check's record: ``computed`` is {"value", "unit"} (or None for a calendar check).
    With ``readings`` the verdict is the primary reading's (``verdict`` may then be left out)."""
    if readings:
        primary = _primary(readings)["verdict"]
        if verdict is not None and verdict != primary:
            raise ValueError(f"verdict {verdict!r} differs from the primary reading's {primary!r}")
        verdict = primary
    if verdict not in EXACT_SCALE:
        raise ValueError(f"an exact check's verdict is one of {EXACT_SCALE}, got {verdict!r}")
    model = None
    if computed is not None:
        v = computed["value"]
        lo, hi = computed.get("low", v), computed.get("high", v)
        model = {"unit": computed["unit"], "p5": lo, "p50": v, "p95": hi}
        if lo != hi:
            model["interval"] = "range"
    return VerdictRecord(claim.id, check_of(claim), question, verdict, "exact", claimed_dict(claim), model,
                         None, None, None if ratio is None else round_sig(ratio, 4), (), tuple(sources),
                         explanation, extra=dict(extra or {}), band=None if band is None else band.as_dict(),
                         readings=tuple(readings or ()), depends_on=tuple(d for d in depends if d))
