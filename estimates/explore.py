"""Exploring a check: which input decides it (a tornado), where its verdict flips (break-even
values), and what-if controls (sliders in the quantity's unit) for JupyterLab.

A check notebook states its model as a function of named inputs, ``fn(**inputs) -> quantity``,
and passes the inputs as sample arrays (or scalars). :func:`swings` holds every input at its
median, swings one at a time across its own 90% interval (p5 to p95), and reports how far the
output moves, in the output's unit. :func:`break_even` solves for the value of one input at which
the output equals a target (the claim), the others at their medians.

>>> from estimates.units import Q_
>>> import numpy as np
>>> rate = Q_(np.linspace(10_000, 30_000, 1001), "round / day")
>>> months = lambda rate, rounds: (rounds / rate).to("month")
>>> rows = swings(months, {"rate": rate, "rounds": Q_(1e6, "round")}, "month")
>>> [(r.name, round(r.out_low, 2), round(r.out_high, 2)) for r in rows]
[('rate', 2.99, 1.13), ('rounds', 1.64, 1.64)]
>>> f"{break_even(months, {'rate': rate, 'rounds': Q_(1e6, 'round')}, 'rate', Q_(2, 'month')):,.0f~P}"
'16,427 rnd/day'
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

import numpy as np
import pint

from estimates import checks
from estimates.checks import Check, Judged
from estimates.plots import plain_ticks
from estimates.uncertain import format_number, round_sig
from estimates.units import Q_


@dataclass(frozen=True)
class Swing:
    """One input swung across its 90% interval: its p5/p95 and the output at each (others at medians)."""

    name: str
    unit: str
    low: float
    high: float
    out_low: float
    out_high: float

    @property
    def width(self) -> float:
        return abs(self.out_high - self.out_low)


def _median(q) -> pint.Quantity:
    return Q_(float(np.median(q.magnitude)), q.units) if np.ndim(q.magnitude) else q


def _pct(q, p) -> pint.Quantity:
    return Q_(float(np.percentile(q.magnitude, p)), q.units) if np.ndim(q.magnitude) else q


def swings(fn: Callable[..., pint.Quantity], inputs: Mapping[str, pint.Quantity], unit: str) -> list[Swing]:
    """Swing each input from its p5 to its p95 with the others at their medians; widest first."""
    base = {k: _median(v) for k, v in inputs.items()}
    rows = []
    for name, q in inputs.items():
        lo, hi = _pct(q, 5), _pct(q, 95)
        out = [fn(**{**base, name: v}).to(unit).magnitude for v in (lo, hi)]
        rows.append(Swing(name, f"{q.units}", lo.magnitude, hi.magnitude, float(out[0]), float(out[1])))
    return sorted(rows, key=lambda r: -r.width)


def baseline(fn: Callable[..., pint.Quantity], inputs: Mapping[str, pint.Quantity], unit: str) -> float:
    """The output with every input at its median."""
    return float(fn(**{k: _median(v) for k, v in inputs.items()}).to(unit).magnitude)


def deciding(rows: list[Swing], claim: float) -> Swing | None:
    """The widest-swinging input whose swing carries the output across the claim (None if none does)."""
    for r in rows:
        if min(r.out_low, r.out_high) <= claim <= max(r.out_low, r.out_high):
            return r
    return None


def break_even(fn: Callable[..., pint.Quantity], inputs: Mapping[str, pint.Quantity], name: str,
               target: pint.Quantity, *, widen: float = 20.0) -> pint.Quantity | None:
    """The value of input ``name`` (others at medians) at which ``fn`` equals ``target``, or None
    when no value within its 90% interval widened ``widen`` times either way reaches it."""
    from scipy.optimize import brentq  # imported here: scipy is slow to import and only this needs it
    base = {k: _median(v) for k, v in inputs.items()}
    q = inputs[name]
    unit = q.units
    out_unit = fn(**base).units
    goal = target.to(out_unit).magnitude

    def gap(x: float) -> float:
        return float(fn(**{**base, name: Q_(x, unit)}).to(out_unit).magnitude - goal)

    lo, hi = _pct(q, 5).magnitude, _pct(q, 95).magnitude
    if lo == hi:
        lo, hi = (lo / widen, lo * widen) if lo > 0 else (lo - widen, lo + widen)
    else:
        span = hi - lo
        lo, hi = (lo / widen, hi * widen) if lo > 0 else (lo - widen * span, hi + widen * span)
    grid = np.geomspace(lo, hi, 400) if lo > 0 else np.linspace(lo, hi, 400)
    # one vectorised call over the grid (the models are numpy-vectorised), then brentq inside
    # the first bracket where the gap changes sign
    values = np.broadcast_to(np.asarray(fn(**{**base, name: Q_(grid, unit)}).to(out_unit).magnitude - goal,
                                        dtype=float), grid.shape)
    for a, b, fa, fb in zip(grid[:-1], grid[1:], values[:-1], values[1:]):
        if fa == 0:
            return Q_(a, unit)
        if fa * fb < 0:
            return Q_(brentq(gap, a, b, xtol=1e-12 * max(abs(a), 1.0)), unit)
    return None


def dependence(fn: Callable[..., pint.Quantity], inputs: Mapping[str, pint.Quantity], band, *,
               labels: Mapping[str, str] | None = None, sourced: Iterable[str] = (),
               model_bound: str | None = None, verdict: Callable[[pint.Quantity], str] | None = None,
               ends: Mapping[str, tuple[float, float]] | None = None) -> list[dict]:
    """Which inputs can flip the verdict: each sampled input is held at its own p5 and then its
    p95 (the others keep their samples), the band judged each time. Returns a ``depends_on`` entry
    (:func:`estimates.verdicts.depends_on`) for every input whose range changes the verdict; an
    input named in ``sourced`` is marked as sourced, every other as an assumption. ``verdict``
    turns the output into the verdict to watch (by default the band judged against it; a check
    with several routes passes the combined verdict). ``ends`` gives an input's stated ends, in its
    unit, where they are not its p5 and p95 (a uniform share's range is its whole support).
    """
    from estimates.verdicts import depends_on, judge_band
    labels, sourced = labels or {}, set(sourced)
    verdict = verdict or (lambda out: judge_band(band, out, model_bound).verdict)
    base = verdict(fn(**inputs))
    entries = []
    stated = dict(ends or {})
    for name, q in inputs.items():
        if not np.ndim(q.magnitude):
            continue
        at = ([Q_(v, q.units) for v in stated[name]] if name in stated else [_pct(q, 5), _pct(q, 95)])
        verdicts = [verdict(fn(**{**inputs, name: v})) for v in at]
        entry = depends_on(labels.get(name, name), [round_sig(v.magnitude, 2) for v in at], verdicts, base,
                           unit=f"{q.units:~P}", sourced=name in sourced)
        if entry:
            entries.append(entry)
    return entries


def tornado(ax, rows: list[Swing], unit: str, *, base: float, claim: float | None = None,
            claim_label: str = "claim", labels: Mapping[str, str] | None = None, sig: int = 2):
    """Horizontal bars: the output at each input's p5 and p95 (others at medians), widest on top.
    Input ranges are labelled at ``sig`` significant figures."""
    labels = labels or {}
    y = np.arange(len(rows))[::-1]
    for yi, r in zip(y, rows):
        ax.barh(yi, r.out_low - base, left=base, color="tab:blue", alpha=0.7)
        ax.barh(yi, r.out_high - base, left=base, color="tab:orange", alpha=0.7)
    ax.set_yticks(y, [f"{labels.get(r.name, r.name)}\n{format_number(r.low, sig)} to {format_number(r.high, sig)} "
                      f"{Q_(1, r.unit).units:~P}" for r in rows])
    ax.axvline(base, color="black", lw=1, label=f"all at medians: {format_number(base)} {unit}")
    if claim is not None:
        ax.axvline(claim, color="tab:red", lw=2, label=f"{claim_label}: {format_number(claim, 3)} {unit}")
    from matplotlib.patches import Patch
    handles, _ = ax.get_legend_handles_labels()
    handles += [Patch(color="tab:blue", alpha=0.7, label="input at its p5"),
                Patch(color="tab:orange", alpha=0.7, label="input at its p95")]
    plain_ticks(ax.xaxis)
    ax.set_xlabel(unit)
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, fontsize=8, frameon=False)
    return ax


def swing_table(rows: list[Swing], unit: str, labels: Mapping[str, str] | None = None, sig: int = 2):
    """The swings as a pandas DataFrame of text at ``sig`` significant figures (stable under nbval)."""
    import pandas as pd
    labels = labels or {}
    return pd.DataFrame([{"input": labels.get(r.name, r.name),
                          "p5 to p95": f"{format_number(r.low, sig)} to {format_number(r.high, sig)} "
                                       f"{Q_(1, r.unit).units:~P}".strip(),
                          f"output at p5 ({unit})": format_number(r.out_low, sig),
                          f"output at p95 ({unit})": format_number(r.out_high, sig),
                          "swing": format_number(r.width, sig)} for r in rows])


def what_if(fn: Callable[..., None], controls: Mapping[str, tuple | bool], *, continuous: bool = False):
    """Controls for a what-if: a slider per ``name: (min, max, step, value, unit)`` (in the
    quantity's unit), a checkbox per ``name: bool``, or a menu per ``name: [labels]``. Moving one calls ``fn(**values)``, which
    prints and plots into an output area below the controls.

    Nothing runs when the controls are made: the stored (nbval-checked) output of the cell is the
    controls alone, and the default view is printed by the notebook's ordinary cells above.
    """
    import ipywidgets as w
    widgets = {}
    for name, spec in controls.items():
        if isinstance(spec, bool):
            widgets[name] = w.Checkbox(value=spec, description=name, indent=False)
        elif isinstance(spec, list):  # a menu of readings, the first the one argued for
            widgets[name] = w.Dropdown(options=spec, value=spec[0], description=name,
                                       style={"description_width": "16em"}, layout=w.Layout(width="60em"))
        else:
            lo, hi, step, value, unit = spec
            widgets[name] = w.FloatSlider(value=value, min=lo, max=hi, step=step, description=f"{name} ({unit})",
                                          continuous_update=continuous, readout_format=".3g",
                                          style={"description_width": "16em"}, layout=w.Layout(width="42em"))
    out = w.Output()

    def update(_=None):
        out.clear_output(wait=True)
        with out:
            fn(**{k: c.value for k, c in widgets.items()})

    for c in widgets.values():
        c.observe(update, names="value")
    box = w.VBox([*widgets.values(), out])
    box.add_class("estimate-checker-what-if")
    return box


# --- a declared check (estimates.checks): its routes' tornado and break-even, its audit, what-if ------

def _split(check: Check, route_name: str, fixed_too: bool = False):
    leaves = check.leaf_values(route_name)
    sampled = {k: v for k, v in leaves.items() if isinstance(v, pint.Quantity) and (fixed_too or np.ndim(v.magnitude))}
    fixed = {k: v for k, v in leaves.items() if k not in sampled}
    fn = check.route_function(route_name)
    return sampled, (lambda **kw: fn(**fixed, **kw).to(check.unit))


def route_swings(check: Check, route_name: str) -> list[Swing]:
    """Every sampled input of a declared check's route swung across its 90% interval, the others at their
    medians (:func:`swings`), in the claim's unit."""
    sampled, fn = _split(check, route_name)
    return swings(fn, sampled, check.unit)


def route_baseline(check: Check, route_name: str) -> float:
    """A declared check's route with every sampled input at its median, in the claim's unit."""
    sampled, fn = _split(check, route_name)
    return baseline(fn, sampled, check.unit)


def route_break_even(check: Check, route_name: str, input_name: str, target: pint.Quantity):
    """The value of one input at which a declared check's route, the others at their medians, gives
    ``target`` (an input fixed at one value is searched around it)."""
    sampled, fn = _split(check, route_name, fixed_too=True)
    if input_name not in sampled:
        raise ValueError(f"route {route_name!r} has no quantity input {input_name!r}; it has {', '.join(sampled)}")
    return break_even(fn, sampled, input_name, target)


def audit_table(judged: Judged):
    """The audit as a table (a pandas DataFrame of text, stable under nbval): the reading argued for,
    then each move with the verdict it gives."""
    import pandas as pd
    b = judged.base
    rows = [{"input": "as argued", "moved to": "", "verdict": b.verdict + (f" (conflicts: {', '.join(b.conflict)})" if b.conflict else ""),
             "tail": "" if b.tail is None else f"{b.tail:.2f}", "decided by": b.deciding or ""}]
    rows += [{"input": a.input, "moved to": a.option,
              "verdict": a.verdict + (f" (conflicts: {', '.join(a.conflict)})" if a.conflict else "")
              + (" *" if {a.verdict, *a.conflict} != b.classes() else ""),
              "tail": "" if a.tail is None else f"{a.tail:.2f}", "decided by": a.deciding or ""} for a in judged.audit]
    return pd.DataFrame(rows)


def inputs_table(check: Check):
    """Every declared input: kind, the reading argued for, the other fair readings, why."""
    import pandas as pd
    return pd.DataFrame([{"input": d["name"], "kind": d["kind"],
                          "as argued": d.get("as_argued", "from " + ", ".join(d.get("from", []))),
                          "other readings": "; ".join(d.get("others", [])), "why": d["why"]}
                         for d in check.input_dicts()])


def controls(check: Check, claim, **record_kw):
    """What-if controls for every declared input: a slider per assumption (its value, fixed, in its
    unit) and a menu per sourced input or choice with more than one reading (and the claim's readings).
    Each move rebuilds the check with :meth:`Check.what_if`, judges it whole (every route, the audit)
    and prints the verdict record a full run at those values prints."""
    specs = {}
    for inp in check.inputs.values():
        if isinstance(inp, checks.Assumption) and inp.low < inp.high:
            span = inp.high - inp.low
            specs[inp.name] = (max(inp.low - span, 0.0) if inp.low >= 0 else inp.low - span, inp.high + span,
                               round_sig(span / 20, 1), (inp.low + inp.high) / 2, checks.unit_text(inp.unit) or "number")
        elif isinstance(inp, (checks.Sourced, checks.Choice)) and len(inp.options()) > 1:
            specs[inp.name] = [inp.primary, *[k for k in inp.options() if k != inp.primary]]
    if len(check.bands) > 1:
        specs["claim"] = [check.primary_band, *[k for k in check.bands if k != check.primary_band]]

    initial = {k: (v[0] if isinstance(v, list) else v[3]) for k, v in specs.items()}

    def show(**values):
        # only the controls moved from where they start: an untouched slider leaves its assumption's range
        moved = {k: v for k, v in values.items() if v != initial[k]}
        print(what_if_text(check, claim, moved, **record_kw))
    return what_if(show, specs)


def what_if_text(check: Check, claim, values: Mapping[str, Any], **record_kw) -> str:
    """What a what-if move prints: the check rebuilt with ``values`` (:meth:`Check.what_if`), judged whole,
    and its record's table as a full run prints it (the text/plain of :func:`estimates.publish.show_verdict`)."""
    from estimates.publish import verdict_text_table
    return verdict_text_table(checks.record(check.what_if(**values).judge(), claim, **record_kw))
