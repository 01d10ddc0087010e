"""Verdicts: the scale, its thresholds, and the records that carry a verdict with its numbers.

The scale is defined once, here, and explained in the README.

Estimate checks (a claim against a model's distribution) are judged by the tail probability:
for a point claim ("about", "around") the smaller of P(model <= claim) and P(model >= claim);
for a lower-bound claim ("more than", "at least") P(model >= claim), the chance that the model
reaches it; for an upper-bound claim ("up to") P(model <= claim).

- ``consistent``: tail probability at least 5% (a point claim inside the model's central 90%)
- ``strained``: at least 1% (inside the central 98%)
- ``inconsistent``: below 1%

Exact checks (unit conversions, distances, calendar facts) are ``correct`` when the computed
value agrees with the claim within the rounding or reading stated in the check, ``incorrect``
otherwise. ``unverified`` is a check that was done but that no source published by the
article's date can settle; ``not checked`` a claim no notebook checks; ``error`` a claim whose
notebook failed.

>>> from estimates.units import Q_
>>> import numpy as np
>>> judge_estimate(Q_(2, "month"), Q_(np.linspace(1, 5, 1001), "month"), "point").verdict
'consistent'
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pint

from estimates.uncertain import percentile_of, round_sig, summarize

CONSISTENT, STRAINED, INCONSISTENT = "consistent", "strained", "inconsistent"
CORRECT, INCORRECT, UNVERIFIED = "correct", "incorrect", "unverified"
NOT_CHECKED, ERROR = "not checked", "error"
ESTIMATE_SCALE = (CONSISTENT, STRAINED, INCONSISTENT)
EXACT_SCALE = (CORRECT, INCORRECT, UNVERIFIED)
ALL_VERDICTS = ESTIMATE_SCALE + EXACT_SCALE + (NOT_CHECKED, ERROR)

#: Tail probabilities at or above which a claim is consistent, or strained.
TAIL_CONSISTENT = 0.05
TAIL_STRAINED = 0.01
BOUNDS = ("point", "lower", "upper")


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


@dataclass(frozen=True)
class Judgement:
    """A verdict with the numbers it rests on (percentile in %, tail as a probability)."""

    verdict: str
    percentile: float | None = None
    tail: float | None = None
    ratio: float | None = None


def judge_estimate(claimed: pint.Quantity, model: pint.Quantity, bound: str) -> Judgement:
    """Judge a claimed value against a model's samples. ``bound`` is 'point', 'lower' or 'upper'.

    The ratio is claim / model median.
    """
    if bound not in BOUNDS:
        raise ValueError(f"bound must be one of {BOUNDS}, got {bound!r}")
    if np.ndim(model.magnitude) == 0:
        raise ValueError("an estimate check needs a model with samples; use judge_exact for a single value")
    pct = percentile_of(model, claimed)
    below = pct / 100
    tail = {"point": min(below, 1 - below), "lower": 1 - below, "upper": below}[bound]
    median = float(np.median(model.magnitude))
    ratio = claimed.to(model.units).magnitude / median if median else float("nan")
    return Judgement(scale_for_tail(tail), pct, tail, float(ratio))


def judge_exact(claimed: pint.Quantity, computed: pint.Quantity, tolerance: pint.Quantity) -> Judgement:
    """``correct`` when |claimed - computed| <= tolerance, in the claim's unit; the ratio is claimed / computed.

    >>> from estimates.units import Q_
    >>> judge_exact(Q_(125, "mile"), Q_(200, "km"), Q_(2.5, "mile")).verdict
    'correct'
    """
    diff = abs((claimed - computed).to(claimed.units))
    ok = diff <= tolerance.to(claimed.units)
    ratio = (claimed / computed).to("dimensionless").magnitude
    return Judgement(CORRECT if ok else INCORRECT, None, None, float(ratio))


@dataclass(frozen=True)
class Estimate:
    """A named estimate the report picks up: p5, p50, p95 in a unit (all equal for an exact value)."""

    name: str
    unit: str
    p5: float
    p50: float
    p95: float
    description: str
    sources: tuple[str, ...] = ()
    #: What p5 and p95 bound: "90%" for a model's interval, "range" for the spread of sources.
    interval: str = "90%"

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["sources"] = list(self.sources)
        return d


def estimate(name: str, q: pint.Quantity, unit: str, description: str, sources=(), sig: int = 2) -> Estimate:
    """A named estimate from samples (or one exact value) at ``sig`` significant figures."""
    s = summarize(q, unit, sig)
    return Estimate(name, unit, s.p5, s.p50, s.p95, description, tuple(sources))


@dataclass(frozen=True)
class VerdictRecord:
    """One claim's verdict in one check, with everything the report needs to show it."""

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

    def __post_init__(self):
        if self.verdict not in ALL_VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; valid: {', '.join(ALL_VERDICTS)}")
        if self.kind not in ("estimate", "exact"):
            raise ValueError(f"kind must be 'estimate' or 'exact', got {self.kind!r}")

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["drivers"], d["sources"] = list(self.drivers), list(self.sources)
        return d


def claimed_dict(claim, value=None) -> dict[str, Any]:
    """The claim as the record states it: value or low/high (numbers or ISO dates), unit, qualifier, text."""
    def plain(v):
        return v.isoformat() if hasattr(v, "isoformat") else v
    return {"value": plain(claim.value if value is None else value), "low": plain(claim.low),
            "high": plain(claim.high), "unit": claim.unit, "qualifier": claim.qualifier,
            "text": claim.stated()}


def estimate_verdict(claim, check_id: str, question: str, model: pint.Quantity, *, unit: str,
                     claimed: pint.Quantity | None = None, drivers=(), sources=(), explanation: str = "",
                     sig: int = 2) -> VerdictRecord:
    """Judge ``claim`` (or an explicit ``claimed`` quantity) against ``model`` samples and build the record.

    Numbers are stored at a precision coarser than the Monte Carlo error of 200,000 samples: the
    percentile to a whole percent, the tail probability to 0.01, the rest to ``sig`` figures.
    """
    claimed_q = claim.quantity() if claimed is None else claimed
    j = judge_estimate(claimed_q, model, claim.bound)
    s = summarize(model, unit, sig)
    return VerdictRecord(
        claim.id, check_id, question, j.verdict, "estimate",
        {**claimed_dict(claim), "value": round_sig(claimed_q.to(unit).magnitude, 6), "unit": unit},
        s.as_dict(), float(round(j.percentile)), round(j.tail, 2), round_sig(j.ratio, sig),
        tuple(drivers), tuple(sources), explanation)


def exact_verdict(claim, check_id: str, question: str, verdict: str, *, computed: dict[str, Any] | None = None,
                  ratio: float | None = None, sources=(), explanation: str = "", extra=None) -> VerdictRecord:
    """An exact check's record: ``computed`` is {"value", "unit"} (or None for a calendar check)."""
    if verdict not in EXACT_SCALE:
        raise ValueError(f"an exact check's verdict is one of {EXACT_SCALE}, got {verdict!r}")
    model = None
    if computed is not None:
        v = computed["value"]
        model = {"unit": computed["unit"], "p5": v, "p50": v, "p95": v}
    return VerdictRecord(claim.id, check_id, question, verdict, "exact", claimed_dict(claim), model,
                         None, None, None if ratio is None else round_sig(ratio, 4), (), tuple(sources),
                         explanation, extra=dict(extra or {}))
