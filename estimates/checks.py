"""Declared checks: a claim's band and readings, the inputs that can move its verdict, and its routes,
declared once; the verdict, the audit, the tornado and the what-if all derive from that declaration.

**Inputs.** Every input that can move a verdict is one of:

- :class:`Sourced`: a source record under a stated reading, with the other fair readings of that
  source listed (``readings``: a label each; ``primary`` is the reading the check argues for);
- :class:`Choice`: a discrete choice that is not a source's wording: a date or window where sources
  disagree, the reading of a word, a model's form;
- :class:`Assumption`: an unsourced quantity with its range and why (a 90% interval, or the ends of
  a uniform share);
- :class:`Derived`: a quantity computed by a package function from other inputs (never an input of
  its own, so a dependent value always follows its inputs).

A value is a pint quantity, a :class:`Range` (sampled when judged), a :class:`Floor` or
:class:`Ceiling` (a value known only as a bound: a route built on it is a bound too), or anything a
route takes as it is (a reading's name, a date). Sampling is lazy and seeded per input (the check's
seed and the input's name), so moving one input never redraws another.

**Routes** (:class:`Route`) are pure functions of named inputs, whose result must have the claim's
dimension. A route that ``assumes`` another claim of the article, or repeats the ``claimant``'s own
originator, cannot confirm the claim: :data:`ROUTE_RULE`.

**The audit** (:meth:`Check.judge`) moves every declared choice one at a time (each other reading of
the claim and of each source, each other date, each assumption to either end of its range, the other
route rule), then judges the most and the least favourable combination of the readings (claim,
sources, dates, rule; the assumptions keep their ranges there: every unsourced quantity at the end of
its 90% interval at once is a world far less likely than 5%, and would flip any verdict with a few
assumptions by construction). A verdict is one class only
when it holds under all of them; otherwise it is published as ``undetermined`` with its range
("consistent to strained") and the inputs that decide it. A test that could not have failed (every
independent route a weak test, or no independent route) is ``cannot tell``.

>>> from estimates.verdicts import Band
>>> stock = Sourced("stock", "src-1", {"as stated": Range(900, 1100, "round"),
...                                    "the older figure": Q_(700, "round")}, "as stated", "the stock")
>>> c = Check("days", "How long does a stock last?", Band(50, 70, "day"),
...           inputs=[stock, Assumption("rate", 15, 20, "round / day", "a pace")],
...           routes=[Route("stock over rate", divide("stock", "rate"), "stock / rate")], n=20_000)
>>> j = c.judge()
>>> j.base.verdict, j.verdict, j.verdict_range, j.deciding_inputs
('consistent', 'undetermined', ('consistent', 'inconsistent'), ('stock',))
>>> c.what_if(stock="the older figure").judge().base.verdict
'inconsistent'
"""
from __future__ import annotations

import datetime as dt
import inspect
import itertools
import math
import zlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pint

from estimates.uncertain import DEFAULT_SAMPLES, Interval, round_sig, summarize
from estimates.units import Q_, number_text
from estimates.verdicts import (CANNOT_TELL, CONSISTENT, CORRECT, INCONSISTENT, INCORRECT, STRAINED, UNDETERMINED,
                                UNVERIFIED, Band, discrimination, judge_band, judge_exact_band)

#: The rule that combines routes, stated once, applied both ways.
ROUTE_RULE = ("The verdict is the least favourable among the independent routes: a claim has to survive every "
              "independent test. A route that assumes another claim of the same article, or repeats the claimant's "
              "own originator, cannot confirm the claim; when it is less favourable than the independent routes, "
              "the sources conflict and the verdict is the range between them. When every independent route is a "
              "weak test (or there is none), the check cannot tell.")
#: The other fair rule, moved in the audit when a check has routes that are not independent.
ALT_RULE = "every route counts as independent"
_ORDER = (CONSISTENT, STRAINED, INCONSISTENT)
#: Up to this many combinations of the readings (claim, sources, dates, rule), the audit judges every
#: combination; beyond it, the most and the least favourable (each reading at its own most or least
#: favourable one-at-a-time verdict), which can miss an interaction between two readings.
GRID_LIMIT = 32
#: An exact check's classes, from most to least favourable to the claim.
EXACT_ORDER = (CORRECT, CONSISTENT, UNVERIFIED, INCORRECT)


# --- values -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Range:
    """A 90% interval in ``unit`` (lognormal when both ends are positive, normal otherwise), or the ends
    of a uniform with ``dist="uniform"``; sampled when a check is judged."""

    low: float
    high: float
    unit: str
    dist: str | None = None

    def interval(self) -> Interval:
        dist = self.dist or ("lognormal" if self.low > 0 and self.high > 0 else "normal")
        return Interval(float(self.low), float(self.high), self.unit, dist)

    def text(self) -> str:
        return f"{_n(self.low)} to {_n(self.high)} {unit_text(self.unit)}".strip()


@dataclass(frozen=True)
class Floor:
    """A value known only as a lower bound ("at least five trips"): a route that grows with it is a
    lower bound too (one that falls with it an upper bound)."""

    value: Any

    def text(self) -> str:
        return f"at least {_value_text(self.value)}"


@dataclass(frozen=True)
class Ceiling:
    """A value known only as an upper bound."""

    value: Any

    def text(self) -> str:
        return f"at most {_value_text(self.value)}"


def _n(v) -> str:
    return number_text(round_sig(float(v), 3))


def unit_text(unit: str) -> str:
    """A unit in pint's short form, or nothing for a pure number."""
    from estimates.units import ureg
    return f"{ureg.parse_units(unit):~P}" if unit and unit != "dimensionless" else ""


def _value_text(v) -> str:
    """A declared value in words: a range, a bound, a quantity, a date, a window (two dates), a record
    by its id, or a collection of these; never an object's repr (which may carry a path of the machine).

    >>> _value_text((dt.date(2023, 9, 7), dt.date(2023, 10, 1))), _value_text({"a": Q_(2, "kg")})
    ('2023-09-07 to 2023-10-01', 'a: 2 kg')
    """
    if isinstance(v, (Range, Floor, Ceiling)):
        return v.text()
    if isinstance(v, pint.Quantity):
        return f"{_n(v.magnitude)} {unit_text(f'{v.units}')}".strip() if np.ndim(v.magnitude) == 0 else f"samples in {unit_text(f'{v.units}')}"
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, dt.date) for x in v):
        return f"{v[0].isoformat()} to {v[1].isoformat()}"
    if isinstance(v, Mapping):
        return ", ".join(f"{k}: {_value_text(x)}" for k, x in v.items())
    if isinstance(v, (tuple, list)):
        return ", ".join(_value_text(x) for x in v)
    if isinstance(getattr(v, "id", None), str):
        return v.id
    return str(v)


# --- inputs -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sourced:
    """A source record under a stated reading; ``readings`` maps each fair reading (in words) to the
    value it gives; ``primary`` is the one the check argues for, and ``why`` says why."""

    name: str
    source: str | tuple[str, ...]
    readings: Mapping[str, Any]
    primary: str
    why: str
    kind = "source"

    def __post_init__(self):
        _check_options(self, self.readings, self.primary)

    def options(self) -> dict[str, Any]:
        return dict(self.readings)

    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else tuple(self.source)


@dataclass(frozen=True)
class Choice:
    """A discrete choice that can move a verdict: a date or window where sources disagree (``kind``
    "date"), the reading of a word ("reading"), a model's form ("model")."""

    name: str
    options_: Mapping[str, Any]
    primary: str
    why: str
    kind: str = "reading"
    sources_: tuple[str, ...] = ()

    def __post_init__(self):
        _check_options(self, self.options_, self.primary)
        if self.kind not in ("date", "reading", "model"):
            raise ValueError(f"input {self.name!r}: kind must be 'date', 'reading' or 'model', got {self.kind!r}")

    def options(self) -> dict[str, Any]:
        return dict(self.options_)

    def sources(self) -> tuple[str, ...]:
        return tuple(self.sources_)


@dataclass(frozen=True)
class Assumption:
    """An unsourced quantity: its range (``low`` to ``high`` in ``unit``: a 90% interval, or the ends of
    a uniform share with ``dist="uniform"``) and why. The audit moves it to either end."""

    name: str
    low: float
    high: float
    unit: str
    why: str
    dist: str | None = None
    kind = "assumption"
    primary = "its range"

    def __post_init__(self):
        Range(self.low, self.high, self.unit, self.dist).interval()  # refuses a range that cannot be sampled

    def options(self) -> dict[str, Any]:
        r = Range(self.low, self.high, self.unit, self.dist)
        if self.low == self.high:
            return {self.primary: Q_(float(self.low), self.unit)}
        return {self.primary: r, f"at its low end ({_n(self.low)})": Q_(float(self.low), self.unit),
                f"at its high end ({_n(self.high)})": Q_(float(self.high), self.unit)}

    def sources(self) -> tuple[str, ...]:
        return ()


@dataclass(frozen=True)
class Derived:
    """A quantity computed from other inputs by ``fn`` (a package function whose parameters name them;
    ``inputs`` renames a parameter to another input). A function with a parameter named ``draws`` is
    given ``draws(kind)``: seeded standard draws ("normal" or "uniform") of this input's own stream,
    for a derived quantity that is itself uncertain (a mixture of sources)."""

    name: str
    fn: Callable[..., Any]
    why: str = ""
    inputs: Mapping[str, str] = field(default_factory=dict)
    kind = "derived"

    def deps(self) -> dict[str, str]:
        params = inspect.signature(self.fn).parameters
        deps = _params(self.fn, {k: v for k, v in self.inputs.items() if k in params}, f"derived input {self.name!r}")
        deps.pop(DRAWS, None)
        return deps


def _check_options(inp, options: Mapping[str, Any], primary: str) -> None:
    if not options:
        raise ValueError(f"input {inp.name!r}: give at least one reading")
    if primary not in options:
        raise ValueError(f"input {inp.name!r}: the primary reading {primary!r} is not among its readings "
                         f"({', '.join(map(repr, options))})")


def _params(fn: Callable, rename: Mapping[str, str], where: str) -> dict[str, str]:
    params = inspect.signature(fn).parameters
    unknown = set(rename) - set(params)
    if unknown:
        raise ValueError(f"{where}: renames {sorted(unknown)}, which {getattr(fn, '__name__', fn)} does not take")
    return {p: rename.get(p, p) for p, spec in params.items()
            if spec.kind in (spec.POSITIONAL_OR_KEYWORD, spec.KEYWORD_ONLY)}


Input = Sourced | Choice | Assumption | Derived
#: The parameter through which a derived input draws seeded samples of its own.
DRAWS = "draws"


# --- routes -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Route:
    """One route to the claimed quantity: ``fn`` of named inputs (``inputs`` renames a parameter to an
    input), with what it ``assumes`` (other claims of the same article) and whether it repeats the
    ``claimant``'s own originator; either makes it unable to confirm."""

    name: str
    fn: Callable[..., pint.Quantity]
    description: str
    inputs: Mapping[str, str] = field(default_factory=dict)
    assumes: tuple[str, ...] = ()
    claimant: bool = False

    @property
    def independent(self) -> bool:
        return not self.assumes and not self.claimant

    def deps(self) -> dict[str, str]:
        return _params(self.fn, self.inputs, f"route {self.name!r}")


def divide(numerator: str, denominator: str) -> Callable[..., pint.Quantity]:
    """A route function ``numerator / denominator`` of two named inputs (for the simplest checks)."""
    def fn(**kw):
        return kw[numerator] / kw[denominator]
    fn.__signature__ = inspect.Signature([inspect.Parameter(p, inspect.Parameter.KEYWORD_ONLY)
                                          for p in (numerator, denominator)])
    fn.__name__ = f"{numerator}_over_{denominator}"
    return fn


# --- judging ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RouteResult:
    """One route judged under one configuration."""

    name: str
    independent: bool
    bound: str | None
    verdict: str
    tail: float
    in_band: float
    weak: bool
    discrimination: dict[str, Any]


@dataclass(frozen=True)
class Outcome:
    """The verdict under one configuration of the inputs, by :data:`ROUTE_RULE` (or the alternative)."""

    verdict: str
    tail: float | None
    deciding: str | None
    routes: tuple[RouteResult, ...]
    conflict: tuple[str, ...] = ()
    reason: str = ""

    def classes(self) -> set[str]:
        """The verdict classes this configuration supports: its verdict, and a conflicting route's."""
        return {self.verdict, *self.conflict}


@dataclass(frozen=True)
class AuditEntry:
    """One audited move: ``input`` set to ``option`` (the others as argued), and the verdict it gives."""

    input: str
    kind: str
    option: str
    verdict: str
    tail: float | None
    deciding: str | None
    conflict: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"input": self.input, "kind": self.kind, "option": self.option, "verdict": self.verdict,
                "tail_probability": None if self.tail is None else round(self.tail, 2), "deciding": self.deciding,
                "conflict": list(self.conflict)}


def _severity(o: Outcome) -> tuple:
    """Order outcomes from most to least favourable to the claim."""
    rank = {CONSISTENT: 0, CANNOT_TELL: 0.5, STRAINED: 1, INCONSISTENT: 2, CORRECT: -1, UNVERIFIED: 1.5,
            INCORRECT: 2}[o.verdict]
    return (rank, -(o.tail if o.tail is not None else 1.0))


def rule_outcome(results: Iterable[RouteResult], rule: str = ROUTE_RULE, *, exact: bool = False) -> Outcome:
    """Combine judged routes by :data:`ROUTE_RULE` (or :data:`ALT_RULE`, every route independent). An
    exact check's routes are values, not models: the least favourable by :data:`EXACT_ORDER`, and with
    no independent route nothing can settle it (``unverified``)."""
    results = tuple(results)
    counted = [r for r in results if r.independent or rule == ALT_RULE]
    if exact:
        if not counted:
            return Outcome(UNVERIFIED, None, None, results, (), "no independent evidence: every route repeats the "
                           "claimant or takes another claim as given")
        deciding = max(counted, key=lambda r: EXACT_ORDER.index(r.verdict))
        worse = tuple(sorted({r.verdict for r in results if r not in counted
                              and EXACT_ORDER.index(r.verdict) > EXACT_ORDER.index(deciding.verdict)},
                             key=EXACT_ORDER.index))
        return Outcome(deciding.verdict, None, deciding.name, results, worse)
    if not counted:
        return Outcome(CANNOT_TELL, None, None, results, (), "no independent route: every route assumes another "
                       "claim of the article or repeats the claimant")
    if all(r.weak for r in counted):
        return Outcome(CANNOT_TELL, None, None, results, (), "every independent route is a weak test: it would "
                       "accept the claim at half and at twice its size")
    deciding = max(counted, key=lambda r: (_ORDER.index(r.verdict), not r.weak, -r.tail))
    worse = tuple(sorted({r.verdict for r in results if r not in counted
                          and _ORDER.index(r.verdict) > _ORDER.index(deciding.verdict)}, key=_ORDER.index))
    return Outcome(deciding.verdict, deciding.tail, deciding.name, results, worse)


@dataclass
class Judged:
    """A check judged: the outcome as argued (``base``), every audited move, the published verdict
    (one class, ``undetermined`` with its range, or ``cannot tell``) and the inputs that decide it."""

    check: "Check"
    base: Outcome
    audit: list[AuditEntry]
    verdict: str
    verdict_range: tuple[str, ...]
    deciding_inputs: tuple[str, ...]
    band: Band

    def route_dicts(self) -> list[dict[str, Any]]:
        """Every route under the readings argued for, as the verdict record carries it."""
        return self.check.route_dicts()

    def sentence(self) -> str:
        """One sentence of why, from the numbers."""
        b = self.base
        if self.verdict == CANNOT_TELL:
            return f"The check cannot tell: {b.reason or 'no configuration of the inputs gives a test that could fail'}."
        if self.verdict == UNDETERMINED:
            moved = ", ".join(self.deciding_inputs) or "the combination of the readings"
            scale = [v for v in self.verdict_range if v != CANNOT_TELL]
            if len(scale) == 1:
                span = f"it is {scale[0]} under every fair reading where the check can tell, and under some the check cannot tell"
            else:
                span = f"it runs from {scale[0]} to {scale[-1]} across their fair readings" + (
                    ", and under some of them the check cannot tell" if CANNOT_TELL in self.verdict_range else "")
            return (f"The verdict turns on {moved}: {span} "
                    f"(as argued: {b.verdict}" + (f", decided by '{b.deciding}'" if b.deciding else "") + ").")
        route = next(r for r in b.routes if r.name == b.deciding)
        share = "" if route.in_band is None else f", {route.in_band:.0%} of it in the claimed band"
        if not self.audit:
            return f"{self.verdict.capitalize()}: decided by '{b.deciding}'{share}; no input has another fair reading."
        return (f"{self.verdict.capitalize()} under every reading and assumption examined ({len(self.audit)} moves); "
                f"decided by '{b.deciding}'{share}.")


class Check:
    """A declared check: ``band`` (one Band, or a dict of the claim's readings, the first argued for
    unless ``primary_band`` says), its ``inputs`` and ``routes``, in ``unit`` (the band's)."""

    def __init__(self, name: str, question: str, band: Band | Mapping[str, Band], *, inputs: Iterable[Input],
                 routes: Iterable[Route], primary_band: str | None = None, seed: int = 0, n: int = DEFAULT_SAMPLES,
                 sources: Iterable[str] = (), exact: bool = False, dates: bool = False,
                 _reuse: tuple["Check", set[str]] | None = None):
        self.name, self.question, self.seed, self.n = name, question, int(seed), int(n)
        #: an exact check judges computed values or ranges (a distance, a conversion, a date) against the band
        #: (verdicts.judge_exact_band) instead of a distribution; ``dates`` says its band counts days as dates
        self.exact, self.dates = bool(exact or dates), bool(dates)
        self.bands = dict(band) if isinstance(band, Mapping) else {band.reading or "as stated": band}
        self.primary_band = primary_band or next(iter(self.bands))
        if self.primary_band not in self.bands:
            raise ValueError(f"check {name!r}: the primary band {self.primary_band!r} is not among its readings")
        units = {b.unit for b in self.bands.values()}
        if len(units) != 1:
            raise ValueError(f"check {name!r}: every reading of the claim must be in one unit, got {sorted(units)}")
        self.unit = units.pop()
        self.inputs = {}
        for inp in inputs:
            if inp.name in self.inputs:
                raise ValueError(f"check {name!r}: two inputs are named {inp.name!r}")
            self.inputs[inp.name] = inp
        self.routes = tuple(routes)
        if not self.routes:
            raise ValueError(f"check {name!r}: give at least one route")
        self.extra_sources = tuple(sources)
        # each route's and derived input's parameters, read once (inspect.signature is slow on a hot path)
        self._deps = {("route", r.name): r.deps() for r in self.routes}
        self._deps.update({("input", d.name): d.deps() for d in self.inputs.values() if isinstance(d, Derived)})
        self._leaf_sets: dict[str, frozenset] = {}
        for owner, deps in [(f"route {r.name!r}", self._deps[("route", r.name)]) for r in self.routes] + \
                           [(f"derived input {d.name!r}", self._deps[("input", d.name)])
                            for d in self.inputs.values() if isinstance(d, Derived)]:
            missing = [v for v in deps.values() if v not in self.inputs]
            if missing:
                raise ValueError(f"check {name!r}: {owner} needs {', '.join(missing)}, which no input declares "
                                 f"(inputs: {', '.join(self.inputs) or 'none'})")
        used = set()
        for r in self.routes:
            for dep in self._deps[("route", r.name)].values():
                used |= self._leaves(dep)
        unused = [k for k, v in self.inputs.items() if not isinstance(v, Derived) and k not in used]
        if unused:
            raise ValueError(f"check {name!r}: no route uses {', '.join(unused)}; an input that cannot move the "
                             "verdict is not one of its inputs")
        self._opts = {k: v.options() for k, v in self.inputs.items() if not isinstance(v, Derived)}
        self._bounds: dict[tuple, str | None] = {}
        self._draws: dict[tuple[str, str], np.ndarray] = {}
        self._values: dict[tuple, Any] = {}
        self._judged: dict[tuple, RouteResult] = {}
        self._outputs: dict[tuple, pint.Quantity] = {}
        if _reuse is not None:
            self._reuse(*_reuse)
        for r in self.routes:  # dimensions checked once, as declared
            out = self.output(r.name)
            try:
                (out is None or _exact_span(out, self.unit)) if self.exact else out.to(self.unit)
            except pint.DimensionalityError:
                raise ValueError(f"check {name!r}: route {r.name!r} gives {out.units:~P}, which cannot be "
                                 f"expressed in the claim's unit {unit_text(self.unit) or self.unit}") from None

    def _reuse(self, other: "Check", changed: set[str]) -> None:
        """Keep what ``other`` (the same declaration with the inputs ``changed`` moved) has computed that
        does not rest on a changed input: draws are per input name and seed, values and route results
        are keyed by the readings of the leaves they rest on."""
        if (other.seed, other.n) != (self.seed, self.n):
            return

        def rests_on_changed(key) -> bool:
            flat = key if isinstance(key, tuple) else (key,)
            for part in flat:
                if isinstance(part, tuple):
                    if rests_on_changed(part):
                        return True
                elif isinstance(part, str) and part in changed:
                    return True
            return False
        self._draws.update(other._draws)
        for mine, theirs in ((self._values, other._values), (self._outputs, other._outputs),
                             (self._judged, other._judged), (self._bounds, other._bounds)):
            mine.update({k: v for k, v in theirs.items() if not rests_on_changed(k)})

    # -- the declaration, changed --------------------------------------------------------------

    def choices(self) -> dict[str, tuple[str, str, dict[str, Any]]]:
        """Every discrete choice the audit moves: name -> (kind, primary, options)."""
        out = {}
        if len(self.bands) > 1:
            out["claim"] = ("claim reading", self.primary_band, dict(self.bands))
        for inp in self.inputs.values():
            if isinstance(inp, Derived):
                continue
            opts = self._opts[inp.name]
            if len(opts) > 1:
                out[inp.name] = (inp.kind, inp.primary, opts)
        if any(not r.independent for r in self.routes):
            out["route rule"] = ("route rule", ROUTE_RULE, {ROUTE_RULE: ROUTE_RULE, ALT_RULE: ALT_RULE})
        return out

    def what_if(self, **values) -> "Check":
        """The same check with inputs changed: an assumption to a number (fixed, in its unit) or a
        ``(low, high)`` range; a sourced input or a choice to another of its readings (by label); the
        claim to another reading with ``claim=label``. Everything is recomputed from the declaration."""
        inputs = dict(self.inputs)
        primary_band = self.primary_band
        for name, v in values.items():
            if name == "claim":
                if v not in self.bands:
                    raise ValueError(f"the claim has no reading {v!r}; its readings: {', '.join(map(repr, self.bands))}")
                primary_band = v
                continue
            if name not in inputs:
                raise ValueError(f"check {self.name!r} has no input {name!r}; its inputs: {', '.join(inputs)}")
            inp = inputs[name]
            if isinstance(inp, Assumption):
                lo, hi = (v, v) if np.ndim(v) == 0 else v
                inputs[name] = replace(inp, low=float(lo), high=float(hi))
            elif isinstance(inp, (Sourced, Choice)):
                if v not in inp.options():
                    raise ValueError(f"input {name!r} has no reading {v!r}; its readings: "
                                     f"{', '.join(map(repr, inp.options()))}")
                inputs[name] = replace(inp, primary=v)
            else:
                raise ValueError(f"input {name!r} is derived from others; change those instead")
        return Check(self.name, self.question, self.bands, inputs=inputs.values(), routes=self.routes,
                     primary_band=primary_band, seed=self.seed, n=self.n, sources=self.extra_sources,
                     exact=self.exact, dates=self.dates, _reuse=(self, set(values) - {"claim"}))

    # -- values ----------------------------------------------------------------------------------

    def _config(self, moved: Mapping[str, str] | None = None) -> dict[str, str]:
        config = {name: primary for name, (_, primary, _) in self.choices().items()}
        config.update(moved or {})
        return config

    def _draw(self, name: str, kind: str) -> np.ndarray:
        if kind not in ("normal", "uniform"):
            raise ValueError(f"draws are 'normal' or 'uniform', not {kind!r}")
        key = (name, kind)
        if key not in self._draws:
            rng = np.random.default_rng([self.seed, zlib.crc32(name.encode("utf-8"))])
            self._draws[key] = rng.random(self.n) if kind == "uniform" else rng.standard_normal(self.n)
        return self._draws[key]

    def _sample(self, name: str, r: Range) -> pint.Quantity:
        kind, a, b = r.interval().parameters()
        if kind == "uniform":
            return Q_(a + (b - a) * self._draw(name, "uniform"), r.unit)
        z = self._draw(name, "normal")
        return Q_(np.exp(a + b * z) if kind == "lognormal" else a + b * z, r.unit)

    def _leaf(self, name: str, config: Mapping[str, str]) -> tuple[Any, str | None]:
        """(value, bound) of a leaf input under ``config``."""
        inp = self.inputs[name]
        opts = self._opts[name]
        label = config.get(name, inp.primary) if len(opts) > 1 else next(iter(opts))
        v = opts[label]
        bound = None
        if isinstance(v, (Floor, Ceiling)):
            bound, v = ("lower" if isinstance(v, Floor) else "upper"), v.value
        key = (name, label)
        if key not in self._values:
            self._values[key] = self._sample(name, v) if isinstance(v, Range) else v
        return self._values[key], bound

    def _leaves(self, name: str) -> set[str]:
        if name not in self._leaf_sets:
            inp = self.inputs[name]
            deps = self._deps[("input", name)].values() if isinstance(inp, Derived) else ()
            self._leaf_sets[name] = frozenset().union(*(self._leaves(d) for d in deps)) if deps else \
                (frozenset() if isinstance(inp, Derived) else frozenset({name}))
        return self._leaf_sets[name]

    def _route_leaves(self, route: Route) -> frozenset:
        return frozenset().union(*(self._leaves(d) for d in self._deps[("route", route.name)].values()))

    def _value(self, name: str, config: Mapping[str, str]) -> tuple[Any, dict[str, str]]:
        """(value, {leaf: bound}) of an input, derived ones computed from their own inputs."""
        inp = self.inputs[name]
        if not isinstance(inp, Derived):
            v, bound = self._leaf(name, config)
            return v, ({name: bound} if bound else {})
        key = (name, tuple(sorted((leaf, config.get(leaf, "")) for leaf in self._leaves(name))))
        bounds = {}
        args = {}
        for p, dep in self._deps[("input", name)].items():
            args[p], b = self._value(dep, config)
            bounds.update(b)
        if key not in self._values:
            if self._takes_draws(inp):
                args[DRAWS] = lambda kind: self._draw(name, kind)
            self._values[key] = inp.fn(**args)
        return self._values[key], bounds

    @staticmethod
    def _takes_draws(inp: Derived) -> bool:
        return DRAWS in inspect.signature(inp.fn).parameters

    def _route_key(self, route: Route, config: Mapping[str, str]) -> tuple:
        leaves = self._route_leaves(route)
        return (route.name, tuple(sorted((leaf, config.get(leaf, "")) for leaf in leaves)))

    def value(self, name: str, moved: Mapping[str, str] | None = None) -> Any:
        """An input's value (samples, or the value as declared; a derived one computed) under the
        readings argued for, or ``moved``."""
        if name not in self.inputs:
            raise KeyError(f"check {self.name!r} has no input {name!r}; its inputs: {', '.join(self.inputs)}")
        return self._value(name, self._config(moved))[0]

    def output(self, route_name: str, moved: Mapping[str, str] | None = None) -> pint.Quantity:
        """A route's samples (in the claim's unit once judged) under the readings argued for, or ``moved``."""
        route = self._route(route_name)
        config = self._config(moved)
        key = self._route_key(route, config)
        if key not in self._outputs:
            args = {p: self._value(dep, config)[0] for p, dep in self._deps[("route", route.name)].items()}
            out = route.fn(**args)
            if not isinstance(out, pint.Quantity) and not (self.exact and (out is None or _is_exact_value(out))):
                raise TypeError(f"route {route.name!r} must return a pint quantity"
                                + (", a date, or a pair of either" if self.exact else "") + f", got {type(out).__name__}")
            self._outputs[key] = out
        return self._outputs[key]

    def _route(self, name: str) -> Route:
        for r in self.routes:
            if r.name == name:
                return r
        raise KeyError(f"check {self.name!r} has no route {name!r}; its routes: {', '.join(r.name for r in self.routes)}")

    def bound_of(self, route_name: str, moved: Mapping[str, str] | None = None) -> str | None:
        """Whether a route is only a lower or upper bound: from the floors and ceilings among its inputs,
        and the direction in which the route moves with each (computed at the medians)."""
        route = self._route(route_name)
        config = self._config(moved)
        bounds = {}
        for dep in self._deps[("route", route.name)].values():
            bounds.update(self._value(dep, config)[1])
        if not bounds:
            return None
        # the direction a route moves with a floor is found once, at the medians of the first
        # configuration that has that floor (the routes here are monotonic in each input)
        cache_key = (route_name, tuple(sorted(bounds.items())))
        if cache_key not in self._bounds:
            self._bounds[cache_key] = self._direction(route_name, bounds, moved)
        return self._bounds[cache_key]

    def _direction(self, route_name: str, bounds: Mapping[str, str], moved: Mapping[str, str] | None) -> str | None:
        if self.exact:  # an exact route passes its evidence on: a floor stays a floor, a ceiling a ceiling
            found = set(bounds.values())
            if len(found) > 1:
                raise ValueError(f"route {route_name!r} rests on a floor and a ceiling: it bounds nothing")
            return found.pop()
        config = self._config(moved)
        found = set()
        fn = self.route_function(route_name)
        at = {k: self._median_of(k, v, config) for k, v in self.leaf_values(route_name, moved).items()}
        base = fn(**at).to(self.unit).magnitude
        for leaf, bound in bounds.items():
            bumped = fn(**{**at, leaf: at[leaf] * 1.01}).to(self.unit).magnitude
            if bumped == base:
                continue
            found.add(bound if bumped > base else {"lower": "upper", "upper": "lower"}[bound])
        if len(found) > 1:
            raise ValueError(f"route {route_name!r} is a lower bound through one input and an upper bound through "
                             "another: it bounds nothing")
        return found.pop() if found else None

    def _median_of(self, leaf: str, v: Any, config: Mapping[str, str]) -> Any:
        """A leaf's median under ``config``, computed once per reading of that leaf."""
        key = ("median", leaf, config.get(leaf, ""))
        if key not in self._values:
            self._values[key] = _median(v)
        return self._values[key]

    def leaf_values(self, route_name: str, moved: Mapping[str, str] | None = None) -> dict[str, Any]:
        """The leaf inputs a route rests on, with their values (samples or fixed)."""
        route = self._route(route_name)
        config = self._config(moved)
        leaves = self._route_leaves(route)
        return {leaf: self._leaf(leaf, config)[0] for leaf in sorted(leaves)}

    def route_function(self, route_name: str) -> Callable[..., pint.Quantity]:
        """A route as a function of its leaf inputs (derived inputs computed inside), for the tornado
        and break-even values."""
        route = self._route(route_name)

        def value(name, leaves):
            inp = self.inputs[name]
            if isinstance(inp, Derived):
                args = {p: value(d, leaves) for p, d in self._deps[("input", name)].items()}
                if self._takes_draws(inp):  # an uncertain derived input is held at its median here
                    args[DRAWS] = lambda kind: np.zeros(1) + (0.5 if kind == "uniform" else 0.0)
                return inp.fn(**args)
            return leaves[name]

        def fn(**leaves):
            return route.fn(**{p: value(d, leaves) for p, d in self._deps[("route", route.name)].items()})
        return fn

    # -- judging ---------------------------------------------------------------------------------

    def _judge_route(self, route: Route, config: Mapping[str, str]) -> RouteResult:
        band = self.bands[config.get("claim", self.primary_band)]
        key = (self._route_key(route, config), config.get("claim", self.primary_band))
        if key not in self._judged and self.exact:
            out = self.output(route.name, config)
            bound = self.bound_of(route.name, config)
            if out is None:  # a reading under which no source dates or measures it
                verdict = UNVERIFIED
            else:
                lo, hi = _exact_span(out, self.unit)
                verdict = judge_exact_band(band, lo, hi, computed_is_minimum=bound == "lower",
                                           computed_is_maximum=bound == "upper")
            self._judged[key] = RouteResult(route.name, route.independent, bound, verdict, None, None, False, {"weak": False})
        if key not in self._judged:
            out = self.output(route.name, config)
            model = out if np.ndim(out.magnitude) else out * np.ones(self.n)
            bound = self.bound_of(route.name, config)
            j = judge_band(band, model, bound)
            # a weak test accepts the claim at half and at twice its size (verdicts.discrimination, whose
            # factor range needs percentiles: only the record argued for carries it, see route_dicts)
            half, double = (judge_band(band.scaled(f), model, bound).verdict for f in (0.5, 2))
            self._judged[key] = RouteResult(route.name, route.independent, bound, j.verdict, j.tail, j.in_band,
                                            half == CONSISTENT and double == CONSISTENT,
                                            {"half": half, "double": double})
        return self._judged[key]

    def outcome(self, moved: Mapping[str, str] | None = None) -> Outcome:
        """The verdict under the readings argued for, with ``moved`` choices changed."""
        config = self._config(moved)
        results = [self._judge_route(r, config) for r in self.routes]
        return rule_outcome(results, config.get("route rule", ROUTE_RULE), exact=self.exact)

    def judge(self) -> Judged:
        """The outcome as argued, the audit of every choice, and the published verdict."""
        base = self.outcome()
        choices = self.choices()
        audit, by_choice = [], {}
        for name, (kind, primary, options) in choices.items():
            by_choice[name] = {primary: base}
            for label in options:
                if label == primary:
                    continue
                o = self.outcome({name: label})
                by_choice[name][label] = o
                audit.append(AuditEntry(name, kind, label, o.verdict, o.tail, o.deciding, o.conflict))
        readings = {name: opts for name, opts in by_choice.items() if choices[name][0] != "assumption"}
        together: dict[str, str] = {}
        grid = math.prod(len(opts) for opts in readings.values())
        if len(readings) > 1 and grid <= GRID_LIMIT:
            # few enough readings to judge every combination: each that gives other classes than the
            # readings argued for and than each of its moves alone is listed (an interaction between
            # readings), so none goes unseen
            for combo in itertools.product(*([(name, label) for label in opts] for name, opts in readings.items())):
                moved = {name: label for name, label in combo if label != choices[name][1]}
                if len(moved) < 2:
                    continue
                o = self.outcome(moved)
                alone = [by_choice[name][label].classes() for name, label in moved.items()]
                if o.classes() != base.classes() and all(o.classes() != a for a in alone):  # an interaction
                    audit.append(AuditEntry("together", "combination", "; ".join(f"{k}: {v}" for k, v in moved.items()),
                                            o.verdict, o.tail, o.deciding, o.conflict))
                    together.update(moved)
        elif len(readings) > 1:
            for which, pick in (("all at their most favourable", min), ("all at their least favourable", max)):
                moved = {name: pick(opts.items(), key=lambda kv: _severity(kv[1]))[0] for name, opts in readings.items()}
                o = self.outcome(moved)
                audit.append(AuditEntry(which, "combination", "; ".join(f"{k}: {v}" for k, v in moved.items()
                                                                      if v != choices[k][1]) or "as argued",
                                        o.verdict, o.tail, o.deciding, o.conflict))
        classes = base.classes().union(*({a.verdict, *a.conflict} for a in audit))
        if self.exact:
            span = tuple(c for c in EXACT_ORDER if c in classes)
            verdict = span[0] if len(span) == 1 else UNDETERMINED
        elif classes == {CANNOT_TELL}:
            verdict, span = CANNOT_TELL, (CANNOT_TELL,)
        else:
            span = tuple(c for c in _ORDER if c in classes) + ((CANNOT_TELL,) if CANNOT_TELL in classes else ())
            verdict = span[0] if len(span) == 1 else UNDETERMINED
        deciding = tuple(name for name, opts in by_choice.items()
                         if any(o.classes() != base.classes() for o in opts.values()) or name in together)
        return Judged(self, base, audit, verdict, span, deciding, self.bands[self.primary_band])

    # -- what the record carries ---------------------------------------------------------------------

    def route_dicts(self) -> list[dict[str, Any]]:
        """Every route as the verdict record carries it: its model (p5, p25, p50, p75, p95 in the claim's
        unit), verdict, tail probability, share in the band and how much it can tell."""
        config = self._config()
        out = []
        band = self.bands[self.primary_band]
        for r in self.routes:
            res = self._judge_route(r, config)
            if self.exact:
                out.append({"name": r.name, "description": r.description, "independent": r.independent,
                            "assumes": list(r.assumes) + (["the claimant's own originator"] if r.claimant else []),
                            "model_bound": res.bound, "model": self._exact_model(self.output(r.name)),
                            "verdict": res.verdict, "tail_probability": None, "in_band": None,
                            "discrimination": {"weak": False}})
                continue
            model = self.output(r.name).to(self.unit)
            samples = model if np.ndim(model.magnitude) else model * np.ones(self.n)
            s = summarize(model, self.unit).as_dict()
            if np.ndim(model.magnitude):
                q25, q75 = np.percentile(np.asarray(model.magnitude, dtype=float), [25, 75])
                s.update(p25=round_sig(float(q25)), p75=round_sig(float(q75)))
            out.append({"name": r.name, "description": r.description, "independent": r.independent,
                        "assumes": list(r.assumes) + (["the claimant's own originator"] if r.claimant else []),
                        "model_bound": res.bound, "model": s, "verdict": res.verdict,
                        "tail_probability": round(res.tail, 2), "in_band": round(res.in_band, 2),
                        "discrimination": discrimination(band, samples, res.bound)})
        return out

    def _exact_model(self, out) -> dict[str, Any]:
        """An exact route's value or range as a record carries it: dates as dates, numbers in the unit (None
        where the reading has no evidence)."""
        if out is None:
            return None
        lo, hi = _exact_span(out, self.unit)
        if self.dates:
            first, last = dt.date.fromordinal(int(lo)), dt.date.fromordinal(int(hi))
            return {"unit": "day", "p5": first.isoformat(), "p50": first.isoformat(), "p95": last.isoformat(),
                    **({"interval": "range"} if hi > lo else {})}
        sig = 4 if hi > lo else 6  # a range from disagreeing sources to four figures; one exact value to six
        mid = round_sig((lo + hi) / 2, sig)
        return {"unit": self.unit, "p5": round_sig(lo, sig), "p50": mid, "p95": round_sig(hi, sig),
                **({"interval": "range"} if hi > lo else {})}

    def band_dict(self, label: str | None = None) -> dict[str, Any]:
        """A reading of the claim's band as a record carries it (a date band with its dates)."""
        band = self.bands[label or self.primary_band]
        if not self.dates:
            return band.as_dict()
        first, last = dt.date.fromordinal(int(band.low)), dt.date.fromordinal(int(band.high))
        text = first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"
        return {"low": first.isoformat(), "high": last.isoformat(), "unit": "day", "reading": band.reading, "text": text}

    def input_dicts(self) -> list[dict[str, Any]]:
        """Every declared input: its kind, the reading argued for, the other readings and why."""
        out = []
        for inp in self.inputs.values():
            if isinstance(inp, Derived):
                out.append({"name": inp.name, "kind": "derived", "from": sorted(set(inp.deps().values())), "why": inp.why})
                continue
            opts = inp.options()
            out.append({"name": inp.name, "kind": inp.kind, "sources": list(inp.sources()),
                        "as_argued": f"{inp.primary}: {_value_text(opts[inp.primary])}"
                        if not isinstance(inp, Assumption) else _value_text(opts[inp.primary]),
                        "others": [f"{k}: {_value_text(v)}" if not isinstance(inp, Assumption) else k
                                   for k, v in opts.items() if k != inp.primary],
                        "why": inp.why})
        return out

    def sources(self) -> list[str]:
        """Every source the declaration cites, in order, once."""
        seen = []
        for inp in self.inputs.values():
            for s in (() if isinstance(inp, Derived) else inp.sources()):
                if s not in seen:
                    seen.append(s)
        return seen + [s for s in self.extra_sources if s not in seen]


def _is_exact_value(v) -> bool:
    if isinstance(v, (dt.date, pint.Quantity)):
        return True
    return isinstance(v, tuple) and len(v) == 2 and all(isinstance(x, (dt.date, pint.Quantity)) for x in v)


def _exact_span(out, unit: str) -> tuple[float, float]:
    """(low, high) of an exact route's value in ``unit``: a date (as its day number), a scalar quantity,
    or a pair of either (a range)."""
    if isinstance(out, tuple) and len(out) == 2:
        lo, hi = _exact_span(out[0], unit)[0], _exact_span(out[1], unit)[1]
        if lo > hi:
            raise ValueError(f"an exact route's range runs from low to high, got {_value_text(out)}")
        return lo, hi
    if isinstance(out, dt.date):
        return float(out.toordinal()), float(out.toordinal())
    if isinstance(out, pint.Quantity):
        if np.ndim(out.magnitude):
            raise ValueError("an exact check's route gives one value or a range, not samples")
        v = float(out.to(unit).magnitude)
        return v, v
    raise TypeError(f"an exact route gives a quantity, a date or a pair of either, not {type(out).__name__}")


def as_given(value):
    """A route that is its input: the evidence itself (a computed distance, a conversion, a source's
    date), judged against the claim's band."""
    return value


def _median(v):
    if isinstance(v, pint.Quantity) and np.ndim(v.magnitude):
        return Q_(float(np.median(v.magnitude)), v.units)
    return v


#: How a claim that something "could accommodate" or is "enough for" a figure may be read, besides as
#: the figure itself: as enough for at least it, or as a ceiling ("up to").
SENSES = {"at least": "read as enough for at least that many", "at most": "read as a ceiling, up to that many"}


def wording_label(case, claim) -> str:
    """A wording of a finding in words: the outlet that used it, and the claim as stated."""
    outlet = case.register.excerpt(claim.excerpt).outlet if claim.excerpt else case.article.outlet
    return f"{outlet}: '{claim.stated()}'"


def finding_bands(case, claim_ids: Iterable[str], unit: str, *, senses: bool = False) -> dict[str, Band]:
    """One finding's readings, a band each: every wording as its outlet stated it (the first argued
    for), and with ``senses`` the first wording also read as enough for at least its band's bottom
    and as a ceiling at its top (:data:`SENSES`)."""
    from estimates.verdicts import claim_band
    claims = [case.claim(cid) for cid in claim_ids]
    bands = {wording_label(case, c): claim_band(c, unit) for c in claims}
    if senses:
        first, label = next(iter(bands.values())), next(iter(bands))
        bands[f"{label}, {SENSES['at least']}"] = Band(first.low, math.inf, unit, f"{first.reading}; {SENSES['at least']}")
        bands[f"{label}, {SENSES['at most']}"] = Band(-math.inf, first.high, unit, f"{first.reading}; {SENSES['at most']}")
    return bands


def record(judged: Judged, claim, *, finding: str = "", drivers: Iterable[str] = (),
           explanation: str = "", wording: str | None = None):
    """The verdict record of ``claim`` (one wording of the finding a check judges): the published
    verdict, its range and audit, every route under the readings argued for, the declared inputs.
    The record names the check by the notebook the register assigns the claim to (``claim.check``:
    one name for a notebook, in the register, its records and the report). ``wording`` names the
    claim's own reading among the check's bands (its band is the record's); ``explanation`` is added
    after the sentence of why that the numbers give."""
    from estimates.verdicts import VerdictRecord, check_of, claimed_dict
    check_id = check_of(claim)
    check, base = judged.check, judged.base
    if wording is not None and wording not in check.bands:
        raise ValueError(f"the check has no reading of the claim {wording!r}; its readings: {', '.join(map(repr, check.bands))}")
    routes = check.route_dicts()
    deciding = next((r for r in routes if r["name"] == base.deciding), None)
    model = dict(deciding["model"]) if deciding else None
    value = claim.quantity_in(check.unit).magnitude if (claim.value is not None and not check.dates) else None
    ratio = round_sig(float(value) / model["p50"]) if (value is not None and model and model["p50"]) else None
    why = judged.sentence() + (f" {explanation}" if explanation else "")
    return VerdictRecord(
        claim.id, check_id, check.question, judged.verdict, "exact" if check.exact else "estimate",
        {**claimed_dict(claim), "unit": claim.unit if check.dates else check.unit}, model, None,
        deciding["tail_probability"] if deciding else None, ratio, tuple(drivers), tuple(check.sources()), why,
        extra={"as_argued": base.verdict, "as_argued_conflict": list(base.conflict),
               **({"finding": finding, "wordings": list(check.bands)} if finding else {})},
        band=check.band_dict(wording), routes=tuple(routes),
        discrimination=deciding["discrimination"] if (deciding and not check.exact) else None,
        audit=tuple(a.as_dict() for a in judged.audit),
        verdict_range=judged.verdict_range, deciding_inputs=judged.deciding_inputs,
        inputs=tuple(check.input_dicts()), rule=ROUTE_RULE)
