"""Hindsight: a case's as-of estimates and verdicts, frozen, then scored against what was published later.

**Pre-registration** (``python -m estimates.hindsight preregister CASE``, ``make preregister``) runs
a case's notebooks and freezes its named estimates (p5, p25, p50, p75, p95 with unit) and its
verdicts into ``seeds/<case>.preregistered.json``, with the day and the commit they were computed
from. The file is committed and never rewritten by later runs: a later change to an as-of model
shows up beside it, not in it.

**Later figures** are source records marked ``hindsight_for`` the case, each saying which named
estimate or claim it speaks to (``speaks_to``) and how it becomes that quantity (``derive``). They
never enter the case's as-of view.

**Scores**, from the pre-registered file only: each later figure's percentile in the frozen
distribution, whether it falls inside the 50% and 90% intervals, and the interval score of
Gneiting and Raftery (``scoringrules``) of the 90% interval, beside the same score for a naive
reference: the frozen median within a factor of two either way, the rule of thumb a reader might
use without a model. Lower interval scores are better.

>>> est = {"p5": 10.0, "p25": 20.0, "p50": 30.0, "p75": 40.0, "p95": 60.0}
>>> percentile_in(est, 30.0), percentile_in(est, 50.0), percentile_in(est, 5.0)
(50.0, 85.0, 0.0)
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import subprocess
import sys
from typing import Any

from estimates import paths
from estimates.units import Q_

QUANTILES = (5, 25, 50, 75, 95)
#: The naive reference interval: the frozen median divided and multiplied by this factor.
NAIVE_FACTOR = 2.0
ALPHA = 0.10  # the 90% interval


def preregistration(case_id: str, doc_case: dict, commit: str, frozen_on: dt.date) -> dict:
    """The pre-registration record of a case from its report document (as-of estimates and verdicts)."""
    keep = ("claim_id", "verdict", "kind", "claimed", "band", "model", "tail_probability", "weak_test",
            "routes_disagree", "reading_dependent", "explanation")
    return {
        "case": case_id, "article_date": doc_case["article"]["published"], "frozen_on": frozen_on.isoformat(),
        "commit": commit,
        "estimates": [{k: e.get(k) for k in ("name", "unit", "p5", "p25", "p50", "p75", "p95", "interval",
                                               "description", "notebook")} for e in doc_case["estimates"]],
        "verdicts": [{**{k: v.get(k) for k in keep},
                      "routes": [{"name": r["name"], "verdict": r["verdict"], "independent": r["independent"]}
                                 for r in v.get("routes") or []]} for v in doc_case["verdicts"]],
    }


def load_preregistered(case_id: str) -> dict | None:
    """The committed pre-registration of a case, or None when it has none."""
    path = paths.preregistered_path(case_id)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def percentile_in(est: dict, value: float) -> float:
    """Where ``value`` falls in a frozen estimate, in percent, by straight lines between its
    quantiles (0 below p5 and 100 above p95: the frozen record says nothing further out)."""
    points = [(q, est[f"p{q}"]) for q in QUANTILES if est.get(f"p{q}") is not None]
    if value < points[0][1]:
        return 0.0
    if value > points[-1][1]:
        return 100.0
    for (q0, v0), (q1, v1) in zip(points, points[1:]):
        if v0 <= value <= v1:
            return float(q0 if v1 == v0 else q0 + (q1 - q0) * (value - v0) / (v1 - v0))
    return 50.0


def interval_score(value: float, low: float, high: float, alpha: float = ALPHA) -> float:
    """The interval score of Gneiting and Raftery (2007) of [low, high] at level 1 - alpha (scoringrules)."""
    import numpy as np
    import scoringrules as sr
    return float(np.ravel(sr.interval_score(np.array([value]), np.array([low]), np.array([high]), alpha))[0])


def later_value(source, book, unit: str):
    """A later figure as the quantity it speaks to: ``derive`` (a pint expression of ``{value}`` and
    ``{per}``, the figure and the record named by ``per``) evaluated and converted to ``unit``."""
    def text(q):
        return f"({q.magnitude!r} {q.units})"
    expr = (source.derive or "{value}").replace("{value}", text(source.quantity()))
    if source.per:
        expr = expr.replace("{per}", text(book[source.per].quantity()))
    return Q_(expr).to(unit)


def scores(case, prereg: dict) -> list[dict[str, Any]]:
    """Every later figure that speaks to a frozen estimate, scored against the frozen record."""
    full = _full_book(case)
    frozen = {e["name"]: e for e in prereg["estimates"]}
    rows = []
    for s in full.hindsight(case.id):
        for target in s.speaks_to:
            kind, _, name = target.partition(":")
            if kind != "estimate" or name not in frozen or frozen[name].get("p25") is None:
                continue
            est = frozen[name]
            value = float(later_value(s, full, est["unit"]).magnitude)
            naive = (est["p50"] / NAIVE_FACTOR, est["p50"] * NAIVE_FACTOR)
            rows.append({
                "estimate": name, "unit": est["unit"], "figure": s.id, "originator": s.originator,
                "published": s.published.isoformat(), "derivation": _derivation(s),
                "value": _round(value), "frozen": {q: est[q] for q in ("p5", "p25", "p50", "p75", "p95")},
                "percentile": round(percentile_in(est, value)),
                "in_50": est["p25"] <= value <= est["p75"], "in_90": est["p5"] <= value <= est["p95"],
                "interval_score": _round(interval_score(value, est["p5"], est["p95"])),
                "naive_interval_score": _round(interval_score(value, *naive)),
                "floor": s.qualifier in ("more than", "over", "at least", "upwards of"),
            })
    return rows


def _derivation(s) -> str:
    """How a later figure became the quantity, in words: its ``derive`` with the record ids filled in."""
    if not s.derive:
        return "as published"
    return s.derive.replace("{value}", s.id).replace("{per}", s.per)


def table(rows: list[dict]):
    """The scores as a pandas DataFrame of text (stable under nbval)."""
    import pandas as pd
    from estimates.uncertain import format_number
    return pd.DataFrame([{"estimate": r["estimate"], "later figure": f"{r['figure']} ({r['published']})",
                          "value": format_number(r["value"], 3) + (" (a floor)" if r["floor"] else ""),
                          "frozen 50%": f"{format_number(r['frozen']['p25'])} to {format_number(r['frozen']['p75'])}",
                          "frozen 90%": f"{format_number(r['frozen']['p5'])} to {format_number(r['frozen']['p95'])}",
                          "percentile": r["percentile"], "in 50%": "yes" if r["in_50"] else "no",
                          "in 90%": "yes" if r["in_90"] else "no",
                          "interval score": format_number(r["interval_score"], 3),
                          "naive": format_number(r["naive_interval_score"], 3)} for r in rows])


def calibration(rows: list[dict]) -> dict[str, Any]:
    """How many later figures fell inside the 50% and 90% intervals, against what calibrated
    intervals would give, and the mean interval scores (the model's and the naive reference's)."""
    n = len(rows)
    return {"scored": n, "inside_50": sum(r["in_50"] for r in rows), "inside_90": sum(r["in_90"] for r in rows),
            "expected_50": 0.5 * n, "expected_90": 0.9 * n,
            "mean_interval_score": _round(sum(r["interval_score"] for r in rows) / n) if n else None,
            "mean_naive_interval_score": _round(sum(r["naive_interval_score"] for r in rows) / n) if n else None}


def claims(case, prereg: dict) -> list[dict[str, Any]]:
    """Claim by claim: the frozen verdict, and what each later figure that speaks to the claim says of
    it: *supports* (inside the claim's band), *contradicts* (outside it, or a floor above its top), or
    *leaves open* (a floor that does not clear it, or a period that does not end within a week of
    the claim's); a claim no later figure speaks to says so."""
    from estimates.verdicts import claim_band
    full = _full_book(case)
    frozen = {v["claim_id"]: v for v in prereg["verdicts"]}
    out = []
    for c in case.claims:
        figures = []
        for s in full.hindsight(case.id):
            if f"claim:{c.id}" not in s.speaks_to:
                continue
            value = later_value(s, full, c.unit)
            band = claim_band(c, c.unit)
            same_period = (s.period_end is not None and c.period_end is not None
                           and abs((s.period_end - c.period_end).days) <= 7)
            floor = s.qualifier in ("more than", "over", "at least", "upwards of")
            v = value.magnitude
            if not same_period:
                says = "leaves open"
            elif floor:  # "at least v": above the band's top contradicts it; inside an open band supports it
                says = ("contradicts" if v > band.high else
                        "supports" if math.isinf(band.high) and v >= band.low else "leaves open")
            else:
                says = "supports" if band.low <= v <= band.high else "contradicts"
            figures.append({"figure": s.id, "published": s.published.isoformat(), "originator": s.originator,
                            "value": _round(float(value.magnitude)), "unit": c.unit, "period": s.period,
                            "says": says})
        out.append({"claim_id": c.id, "as_of_verdict": frozen.get(c.id, {}).get("verdict", "not pre-registered"),
                    "later": figures, "summary": _summary(figures)})
    return out


def _summary(figures: list[dict]) -> str:
    if not figures:
        return "no later figure"
    kinds = {f["says"] for f in figures}
    return kinds.pop() if len(kinds) == 1 else "later figures disagree: " + ", ".join(sorted(kinds))


def changes(prereg: dict, current_estimates: list[dict]) -> list[dict[str, Any]]:
    """The frozen and the current interval of every estimate, and whether they differ."""
    now = {e["name"]: e for e in current_estimates}
    rows = []
    for e in prereg["estimates"]:
        cur = now.get(e["name"])
        changed = cur is None or any(cur.get(q) != e.get(q) for q in ("unit", "p5", "p50", "p95"))
        rows.append({"estimate": e["name"], "unit": e["unit"], "preregistered": [e["p5"], e["p50"], e["p95"]],
                     "current": None if cur is None else [cur["p5"], cur["p50"], cur["p95"]], "changed": changed})
    return rows


def section(case, doc_case: dict) -> dict[str, Any] | None:
    """The hindsight section of a case's report, computed from its committed pre-registration."""
    prereg = load_preregistered(case.id)
    if prereg is None:
        return None
    rows = scores(case, prereg)
    return {"frozen_on": prereg["frozen_on"], "commit": prereg["commit"], "scores": rows,
            "calibration": calibration(rows), "claims": claims(case, prereg),
            "changes": changes(prereg, doc_case["estimates"])}


def _full_book(case):
    from estimates.sources import SourceBook
    return SourceBook(case.sources.path, case.sources.all)


def _round(x: float) -> float:
    from estimates.uncertain import round_sig
    return round_sig(x, 3) if math.isfinite(x) else x


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not recorded (no git checkout)"


def main(argv: list[str] | None = None) -> int:
    """``preregister CASE [CASE ...]``: run each case's notebooks and freeze its answers. A case that has a
    pre-registration is refused (exit 2) unless ``--force``; a missing CASE is a usage error (exit 2); a
    failed notebook leaves nothing written (exit 1); Ctrl-C ends it with one line (exit 130)."""
    parser = argparse.ArgumentParser(prog="python -m estimates.hindsight", description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["preregister"])
    parser.add_argument("cases", nargs="+", metavar="CASE", help="the case ids to freeze (make preregister CASE=...)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing pre-registration")
    args = parser.parse_args(argv)
    try:
        for cid in args.cases:
            status = _preregister(cid, args.force)
            if status:
                return status
    except KeyboardInterrupt:
        print("preregister: interrupted; no pre-registration was written", file=sys.stderr)
        return 130
    return 0


def _preregister(cid: str, force: bool) -> int:
    from estimates import report, runner
    from estimates.case import case_ids
    if cid not in case_ids():
        print(f"{cid}: no such case (a seed and a register in {paths.SEEDS}); cases: {', '.join(case_ids())}",
              file=sys.stderr)
        return 2
    path = paths.preregistered_path(cid)
    if path.exists() and not force:
        print(f"{cid}: already pre-registered in {path}; it is not rewritten (--force to replace it)", file=sys.stderr)
        return 2
    runs = runner.run_all(runner.find_notebooks(paths.case_notebooks(cid)), jobs=2, cache=False)
    if not runs or not all(r.ok for r in runs):
        print(f"{cid}: {'a notebook failed' if runs else 'no notebook'}; nothing pre-registered", file=sys.stderr)
        return 1
    doc, _ = report.assemble(runs, [cid])
    record = preregistration(cid, doc["cases"][0], _commit(), dt.date.today())
    tmp = path.with_name(f".{path.name}.tmp")  # written whole or not at all
    tmp.write_text(json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    print(f"{cid}: {len(record['estimates'])} estimates and {len(record['verdicts'])} verdicts frozen in {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
