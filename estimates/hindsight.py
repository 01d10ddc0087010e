"""Hindsight: a case's as-of estimates and verdicts, frozen, then scored against what was published later.

**Freezes** (made by :mod:`estimates.freeze`, ``make preregister``) hold a case's named estimates
(p5 to p95, unit and estimand) and verdicts in ``seeds/<case>.freeze-<n>.json``, with the day and the
commit they were computed from; :func:`preregistration` builds the record. Freezes are kept side by
side and never rewritten: a later change to an as-of model shows up beside them. This module only
reads them and scores them (it runs nothing).

**Later figures** are source records marked ``hindsight_for`` the case. Each names the quantity it
measures (``measures``, an estimand of ``sources/estimands.toml``; :mod:`estimates.estimands`) and
how it becomes that quantity (``derive``, ``per``). A figure scores only a frozen estimate of the same
estimand; one of a quantity the freeze has no estimate of is shown unscored, with the reason; a
record that ``relays`` another's figure is shown and never scored twice.

**Blind or seen** (:mod:`estimates.history`): a figure is blind for a freeze only when git history
shows it entered ``sources/`` after the commit that added the freeze file.

**Scores** are scale-free, so quantities in different units pool: the interval score of Gneiting and
Raftery (``scoringrules``) of the 90% interval on natural-log values (its log width, plus 2/alpha
times the log distance of a miss). A floor ("at least v") is censored: scored at the most favourable
value it allows, so a floor above the interval is a miss and a floor inside or below it is no
evidence against; a ceiling likewise. One originator's figures of one estimand count once together
(each weighs 1/n). Beside the model, two references: the article's claim taken as the forecast (its
band) and a stated naive reference (an as-of record within a factor of two). Lower is better.

>>> est = {"p5": 10.0, "p25": 20.0, "p50": 30.0, "p75": 40.0, "p95": 60.0}
>>> percentile_text(est, 30.0), percentile_text(est, 70.0), percentile_text(est, 5.0, "lower")
('p50', 'above p95', 'a floor below p5')
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import TYPE_CHECKING, Any

import pint

from estimates import estimands as estimands_mod, paths
from estimates.history import BLIND, SEEN, History
from estimates.units import Q_

if TYPE_CHECKING:
    from estimates.document import CaseReport
    from estimates.verdicts import Estimate

QUANTILES = (5, 25, 50, 75, 95)
ALPHA = 0.10  # the 90% interval
#: The naive reference interval: the stated record divided and multiplied by this factor.
NAIVE_FACTOR = 2.0
#: How a qualifier bounds the true value: a floor, a ceiling, or a point.
LOWER, UPPER, POINT = "lower", "upper", "point"


# --- freezes ---------------------------------------------------------------------------------------

def preregistration(case_id: str, doc_case: CaseReport, commit: str, frozen_on: dt.date, number: int = 1,
                    tree_clean: bool | None = None) -> dict:
    """The freeze record of a case from its report document: as-of estimates, each with the estimand it
    estimates, and verdicts, with the day, the commit computed from, and whether the tree was clean."""
    keep = ("claim_id", "verdict", "kind", "claimed", "band", "model", "tail_probability", "weak_test",
            "routes_disagree", "reading_dependent", "explanation", "verdict_range")
    registry = estimands_mod.load()
    estimates = [e.as_dict() for e in doc_case.estimates]
    verdicts = [v.as_dict() for v in doc_case.verdicts]
    return {
        "case": case_id, "freeze": number, "article_date": doc_case.article.published,
        "frozen_on": frozen_on.isoformat(), "commit": commit, "tree_clean": tree_clean,
        "estimates": [{**{k: e.get(k) for k in ("name", "unit", "p5", "p25", "p50", "p75", "p95", "interval",
                                                  "description", "notebook")},
                       "estimand": estimands_mod.for_estimate(e["name"], e.get("description", ""), e.get("unit", ""),
                                                              registry).id} for e in estimates],
        "verdicts": [{**{k: v.get(k) for k in keep},
                      "routes": [{"name": r["name"], "verdict": r["verdict"], "independent": r["independent"]}
                                 for r in v.get("routes") or []]} for v in verdicts],
    }


def load_freezes(case_id: str) -> list[dict]:
    """Every committed freeze of a case, oldest first, each with ``path`` and ``freeze`` (its number)."""
    out = []
    for path in paths.freeze_paths(case_id):
        record = json.loads(path.read_text(encoding="utf-8"))
        n = int(path.name.rsplit("-", 1)[1].split(".")[0])
        out.append({**record, "freeze": n, "path": str(path)})
    return out


def load_preregistered(case_id: str, number: int | None = None) -> dict | None:
    """One freeze of a case (the first when ``number`` is None), or None when it has none."""
    freezes = load_freezes(case_id)
    if number is not None:
        freezes = [f for f in freezes if f["freeze"] == number]
    return freezes[0] if freezes else None


# --- one figure as an observation of a quantity ---------------------------------------------------

def bound_of(qualifier: str) -> str:
    """How a record's qualifier bounds the true value: ``lower``, ``upper`` or ``point``."""
    from estimates.claims import QUALIFIERS
    return QUALIFIERS.get(qualifier, POINT) if qualifier != "range" else POINT


def _text(q) -> str:
    return f"({q.magnitude!r} {q.units})"


def _evaluate(derive: str, value, per=None):
    expr = (derive or "{value}").replace("{value}", _text(value))
    if per is not None:
        expr = expr.replace("{per}", _text(per))
    return Q_(expr)


def observation(source, book, unit: str, derive: str | None = None, per: str | None = None) -> tuple[float, str]:
    """A later figure as the quantity it measures, in ``unit``, and how it bounds it (``lower``,
    ``upper`` or ``point``). ``derive`` (default: the record's) is a pint expression of ``{value}``
    and ``{per}`` (the record named by ``per``). A floor divided by a point is a floor, a point
    divided by a floor a ceiling: the bound follows the expression's direction in each input; two
    bounds pulling opposite ways bound nothing (``ValueError``)."""
    derive = source.derive if derive is None else derive
    per_id = source.per if per is None else per
    value = source.quantity()
    per_q = book[per_id].quantity() if per_id else None
    result = _evaluate(derive, value, per_q).to(unit)
    directions = set()
    for name, q, bound in (("value", value, bound_of(source.qualifier)),
                           ("per", per_q, bound_of(book[per_id].qualifier) if per_id else POINT)):
        if q is None or bound == POINT:
            continue
        bumped = _evaluate(derive, value * 1.01 if name == "value" else value,
                           per_q * 1.01 if name == "per" else per_q).to(unit)
        rises = bumped.magnitude > result.magnitude
        directions.add(bound if rises else (UPPER if bound == LOWER else LOWER))
    if len(directions) > 1:
        raise ValueError(f"{source.id}: its bounds pull opposite ways through {derive!r}; it bounds nothing")
    return float(result.magnitude), directions.pop() if directions else POINT


def later_value(source, book, unit: str):
    """A later figure as the quantity it measures, as a pint quantity in ``unit``."""
    return Q_(observation(source, book, unit)[0], unit)


# --- scores ----------------------------------------------------------------------------------------

def interval_score(value: float, low: float, high: float, alpha: float = ALPHA) -> float:
    """The interval score of Gneiting and Raftery (2007) of [low, high] at level 1 - alpha (scoringrules)."""
    import numpy as np
    import scoringrules as sr
    return float(np.ravel(sr.interval_score(np.array([value]), np.array([low]), np.array([high]), alpha))[0])


def log_interval_score(value: float, bound: str, low: float, high: float, alpha: float = ALPHA) -> float | None:
    """The interval score on natural logs (scale-free: rescaling a unit shifts every log alike), of a
    censored observation at the most favourable value it allows; None for an interval that is open
    or not positive (it forecasts nothing a log score can weigh)."""
    if not (0 < low <= high < math.inf) or value <= 0:
        return None
    x = value
    if bound == LOWER and value <= high:
        x = max(value, low)
    elif bound == UPPER and value >= low:
        x = min(value, high)
    return interval_score(math.log(x), math.log(low), math.log(high), alpha)


def inside(value: float, bound: str, low: float, high: float) -> bool | None:
    """Whether the figure fell inside [low, high]: True, False, or None when a bound cannot say
    (a floor inside or below it, a ceiling inside or above it: no evidence against)."""
    if bound == LOWER:
        return False if value > high else None
    if bound == UPPER:
        return False if value < low else None
    return low <= value <= high


def percentile_in(est: dict, value: float) -> float:
    """Where ``value`` falls in a frozen estimate, in percent, by straight lines between its quantiles
    (clipped to 5 and 95: the frozen record says nothing further out; :func:`percentile_text` says so)."""
    points = [(q, est[f"p{q}"]) for q in QUANTILES if est.get(f"p{q}") is not None]
    if value <= points[0][1]:
        return float(points[0][0])
    if value >= points[-1][1]:
        return float(points[-1][0])
    for (q0, v0), (q1, v1) in zip(points, points[1:]):
        if v0 <= value <= v1:
            return float(q0 if v1 == v0 else q0 + (q1 - q0) * (value - v0) / (v1 - v0))
    return 50.0


def percentile_text(est: dict, value: float, bound: str = POINT) -> str:
    """The figure's place in the frozen distribution in words; beyond the frozen quantiles a bound
    ("above p95"), never a made-up percentile; a floor or ceiling says "at or above" / "at or below"."""
    if value < est["p5"]:
        where = "below p5"
    elif value > est["p95"]:
        where = "above p95"
    else:
        where = f"p{round(percentile_in(est, value))}"
    if bound == LOWER:
        return "a floor below p5" if where == "below p5" else f"at or above {where}" if where != "above p95" else where
    if bound == UPPER:
        return "a ceiling above p95" if where == "above p95" else f"at or below {where}" if where != "below p5" else where
    return where


def _claim_forecast(e, freeze: dict, book, case) -> tuple[float, float, str] | None:
    """The article's claim of an estimand, taken as its forecast: (low, high, what) in the estimand's
    unit, from the first of its ``claims`` this freeze has; None when it has none."""
    frozen = {x["name"]: x for x in freeze["estimates"]}
    verdicts = {v["claim_id"]: v for v in freeze["verdicts"]}
    for ref in e.claims:
        kind, _, name = ref.partition(":")
        if kind == "estimate" and name in frozen:
            x = frozen[name]
            return (Q_(x["p5"], x["unit"]).to(e.unit).magnitude, Q_(x["p95"], x["unit"]).to(e.unit).magnitude,
                    f"{name} (the claim's own figure)")
        if kind == "claim" and name in verdicts and verdicts[name].get("band"):
            band = verdicts[name]["band"]
            high = math.inf if band.get("high") is None else band["high"]
            low = Q_(band["low"], band["unit"]).to(e.unit).magnitude
            high = high if math.isinf(high) else Q_(high, band["unit"]).to(e.unit).magnitude
            return low, high, f"claim {name}: {band['text']}"
    return None


def _naive(e, book) -> tuple[float, float, str] | None:
    """The stated naive reference of an estimand: its as-of record, made the quantity, within a factor
    of two either way; None when it states none."""
    if not e.naive:
        return None
    value, _ = observation(book[e.naive], book, e.unit, derive=e.naive_derive or "{value}", per="")
    return value / NAIVE_FACTOR, value * NAIVE_FACTOR, f"{e.naive}, within a factor of {NAIVE_FACTOR:g}"


def _targets(source, registry) -> list[tuple[str, str]]:
    """The estimands a figure speaks to, with the expression that makes it each: the one it measures
    (by its own ``derive``), and every estimand computed from that one."""
    if not source.measures:
        return []
    out = [(source.measures, source.derive or "{value}")]
    for e in registry.values():
        if e.from_estimand == source.measures:
            out.append((e.id, e.derive.replace("{value}", f"({source.derive or '{value}'})")))
    return out


def score_freeze(case, freeze: dict, history: History | None = None, registry=None, book=None) -> dict[str, Any]:
    """Every later figure of a case against one freeze: scored rows (model, claim and naive reference,
    blind or seen), the figures shown unscored with the reason, and the calibration table."""
    registry = estimands_mod.load() if registry is None else registry
    book = _full_book(case) if book is None else book
    history = History.read() if history is None else history
    freeze_commit = history.freeze_commit(paths.ROOT / freeze["path"]) if freeze.get("path") else None
    by_estimand: dict[str, dict] = {}
    for x in freeze["estimates"]:
        eid = x.get("estimand") or estimands_mod.for_estimate(x["name"], x.get("description", ""), x["unit"], registry).id
        by_estimand.setdefault(eid, x)
    rows, unscored = [], []
    for s in book.hindsight(case.id):
        if not s.measures:
            continue
        status, why = history.status(s.id, s.quote, freeze_commit)
        if s.measures not in registry:
            raise KeyError(f"{s.path}, record {s.id!r}, field 'measures': no estimand {s.measures!r} in "
                           f"{estimands_mod.path()}; declared: {', '.join(sorted(registry))}")
        for eid, derive in _targets(s, registry):
            e = registry[eid]
            base = {"estimand": eid, "quantity": e.quantity, "unit": e.unit, "figure": s.id,
                    "originator": s.originator, "published": s.published.isoformat(), "status": status,
                    "status_why": why, "derivation": _derivation(s, derive)}
            if s.relays:
                unscored.append({**base, "reason": f"relays {s.relays}, scored once as that record"})
                continue
            est = by_estimand.get(eid)
            if est is None or est.get("p5") is None:
                others = sorted({x.get("estimand") or estimands_mod.for_estimate(x["name"], "", "", registry).id
                                 for x in freeze["estimates"] if x.get("unit") == e.unit and x.get("p5") is not None})
                unscored.append({**base, "reason": f"freeze {freeze['freeze']} has no estimate of {e.quantity}"
                                 + (f"; its estimates in {e.unit} are of other quantities ({', '.join(others)})"
                                    if others else "")})
                continue
            try:
                value, bound = observation(s, book, est["unit"], derive=derive)
            except (pint.DimensionalityError, ValueError) as exc:  # bounds pulling apart, or another dimension
                unscored.append({**base, "reason": str(exc)})
                continue
            claim, naive = _claim_forecast(e, freeze, book, case), _naive(e, book)
            unit_factor = Q_(1, e.unit).to(est["unit"]).magnitude
            rows.append({**base, "estimate": est["name"], "value": _round(value), "bound": bound,
                         "arithmetic": arithmetic(s, book, derive, est["unit"], value),
                         "frozen": {f"p{q}": est[f"p{q}"] for q in QUANTILES},
                         "percentile": percentile_text(est, value, bound),
                         "in_50": inside(value, bound, est["p25"], est["p75"]),
                         "in_90": inside(value, bound, est["p5"], est["p95"]),
                         "log_score": _round(log_interval_score(value, bound, est["p5"], est["p95"])),
                         "claim": None if claim is None else claim[2],
                         "claim_score": None if claim is None else _round(log_interval_score(
                             value, bound, claim[0] * unit_factor, claim[1] * unit_factor)),
                         "naive": None if naive is None else naive[2],
                         "naive_score": None if naive is None else _round(log_interval_score(
                             value, bound, naive[0] * unit_factor, naive[1] * unit_factor))})
    _weigh(rows)
    return {"freeze": freeze["freeze"], "frozen_on": freeze["frozen_on"], "commit": freeze["commit"],
            "freeze_commit": freeze_commit, "history": history.problem or "read", "scores": rows,
            "unscored": unscored, "calibration": calibration(rows)}


def _weigh(rows: list[dict]) -> None:
    """Each row's weight: one originator's figures of one estimand count once together."""
    groups: dict[tuple[str, str], int] = {}
    for r in rows:
        groups[(r["originator"], r["estimand"])] = groups.get((r["originator"], r["estimand"]), 0) + 1
    for r in rows:
        r["weight"] = round(1 / groups[(r["originator"], r["estimand"])], 4)


def _mean(rows: list[dict], key: str) -> float | None:
    got = [(r["weight"], r[key]) for r in rows if r.get(key) is not None]
    total = sum(w for w, _ in got)
    return _round(sum(w * v for w, v in got) / total) if total else None


def calibration(rows: list[dict]) -> list[dict[str, Any]]:
    """The calibration table: per estimand, blind and seen apart, then all estimands pooled (the log
    scores are scale-free): how many figures and originators, how often the 90% interval held
    (weighted; bounds that cannot say are left out), and the mean log interval score of the model,
    the claim taken as the forecast and the naive reference (each over the figures it can score,
    with the model's over the same figures beside it)."""
    out = []
    keys = sorted({(r["estimand"], r["status"]) for r in rows}, key=lambda k: (k[1] != BLIND, k[0]))
    for key in keys + [("all estimands", BLIND), ("all estimands", SEEN)]:
        eid, status = key
        sub = [r for r in rows if r["status"] == status and (eid == "all estimands" or r["estimand"] == eid)]
        if not sub:
            continue
        decided = [r for r in sub if r["in_90"] is not None]
        weight = sum(r["weight"] for r in decided)
        out.append({"estimand": eid, "status": status, "figures": len(sub),
                    "originators": len({(r["originator"], r["estimand"]) for r in sub}),
                    "held_90": _round(sum(r["weight"] for r in decided if r["in_90"]) / weight) if weight else None,
                    "decided": _round(weight),
                    "model": _mean(sub, "log_score"), **_reference(sub, "claim"), **_reference(sub, "naive")})
    return out


def _reference(rows: list[dict], name: str) -> dict:
    """A reference's mean score over the figures it can score, and the model's over the same figures
    (pooled, a reference may score fewer figures than the model: compare like with like)."""
    mine = [r for r in rows if r.get(f"{name}_score") is not None]
    return {name: _mean(mine, f"{name}_score"), f"model_on_{name}": _mean(mine, "log_score"), f"{name}_figures": len(mine)}


def calibration_table(cal: list[dict]):
    """The calibration table as a pandas DataFrame of text (stable under nbval)."""
    import pandas as pd

    def num(x):
        return "-" if x is None else f"{x:.2f}"

    def ref(c, name):  # a reference scoring fewer figures than the model: the model's score on those beside it
        if c[name] is None or c[f"{name}_figures"] == c["figures"]:
            return num(c[name])
        return f"{num(c[name])} (model {num(c[f'model_on_{name}'])} on its {c[f'{name}_figures']})"
    return pd.DataFrame([{"estimand": c["estimand"], "blind or seen": c["status"], "figures": c["figures"],
                          "originators": c["originators"],
                          "90% held": "-" if c["held_90"] is None else f"{c['held_90']:.0%} of {c['decided']:g}",
                          "model": num(c["model"]), "claim": ref(c, "claim"), "naive": ref(c, "naive")}
                         for c in cal])


def table(rows: list[dict]):
    """The scored figures as a pandas DataFrame of text (stable under nbval)."""
    import pandas as pd
    from estimates.uncertain import format_number

    def score(x):
        return "-" if x is None else f"{x:.2f}"
    return pd.DataFrame([{"estimand": r["estimand"], "later figure": f"{r['figure']} ({r['published']})",
                          "how": r["arithmetic"], "blind or seen": r["status"],
                          "value": format_number(r["value"], 3) + {"lower": " (a floor)", "upper": " (a ceiling)"}.get(r["bound"], ""),
                          "frozen 90%": f"{format_number(r['frozen']['p5'])} to {format_number(r['frozen']['p95'])}",
                          "where": r["percentile"],
                          "in 90%": {True: "yes", False: "no", None: "cannot say"}[r["in_90"]],
                          "weight": f"{r['weight']:g}", "model": score(r["log_score"]),
                          "claim": score(r["claim_score"]), "naive": score(r["naive_score"])} for r in rows])


def unscored_text(rows: list[dict]) -> str:
    """The figures shown but not scored, one paragraph each, wrapped: the figure, what it measures,
    blind or seen, and why it is not scored."""
    import textwrap
    if not rows:
        return "every later figure of this case scores an estimate of this freeze"
    return "\n".join(textwrap.fill(f"{r['figure']} ({r['published']}, {r['status']}), measures {r['estimand']}: "
                                   f"{r['reason']}", 100, subsequent_indent="    ") for r in rows)


def arithmetic(source, book, derive: str, unit: str, value: float) -> str:
    """How a later figure became the quantity, as arithmetic a reader can follow: the expression with
    the records' figures in it and the result, in words ("2,000,000 rounds / 5,000 containers = 400
    rounds per container"); the figure "as published" when it is the quantity itself."""
    from estimates.uncertain import format_number

    def shown(magnitude, units):
        number = f"{int(magnitude):,}" if float(magnitude).is_integer() else format_number(magnitude, 3)
        return f"{number} {unit_words(str(units), magnitude)}"
    if derive in ("", "{value}"):
        return f"{shown(value, unit)}, as published"
    text = re.sub(r"(?<![\w.,{])(\d+(?:\.\d+)?) ([a-z_]+)\b",  # the expression's own figures, in words
                  lambda m: shown(float(m.group(1)), m.group(2)), derive)
    text = text.replace("{value}", shown(source.quantity().magnitude, source.quantity().units))
    if "{per}" in text:
        q = book[source.per].quantity()
        text = text.replace("{per}", shown(q.magnitude, q.units))
    return f"{text} = {shown(value, unit)}"


def unit_words(unit: str, n: float = 2) -> str:
    """A unit in words for a sentence: "round / container" as "rounds per container" (plural unless
    one), "round_trip" as "round trips".

    >>> unit_words("round / container", 400), unit_words("month", 1), unit_words("round_trip", 9)
    ('rounds per container', 'month', 'round trips')
    """
    first, *rest = [p.strip().replace("_", " ") for p in unit.split("/")]
    if n != 1 and not first.endswith("s"):
        first += "s"
    return " per ".join([first, *rest])


def _derivation(s, derive: str) -> str:
    """How a later figure became the quantity, in words: the expression with the record ids filled in."""
    if derive in ("", "{value}"):
        return "as published"
    return derive.replace("{value}", s.id).replace("{per}", s.per)


# --- claims ----------------------------------------------------------------------------------------

def claims(case, freeze: dict) -> list[dict[str, Any]]:
    """Claim by claim: the frozen verdict, and what each later figure that speaks to the claim says of
    it, taken as stated: *supports* (inside the claim's band), *contradicts* (outside it, or a floor
    above its top), or *leaves open* (a floor that does not clear it, or a period that does not end
    within a week of the claim's); a relay is left out (its originator's figure speaks); a claim no
    later figure speaks to says so."""
    from estimates.verdicts import claim_band
    full = _full_book(case)
    frozen = {v["claim_id"]: v for v in freeze["verdicts"]}
    out = []
    for c in case.claims:
        figures = []
        for s in full.hindsight(case.id):
            if f"claim:{c.id}" not in s.speaks_to or s.relays:
                continue
            try:
                value, bound = observation(s, full, c.unit, derive="{value}", per="")
            except (pint.DimensionalityError, ValueError) as exc:  # a claim unit of another dimension
                figures.append({"figure": s.id, "published": s.published.isoformat(), "originator": s.originator,
                                "value": None, "unit": c.unit, "period": s.period,
                                "says": f"cannot compare ({s.unit} against the claim's {c.unit}: {exc})"})
                continue
            band = claim_band(c, c.unit)
            same_period = (s.period_end is not None and c.period_end is not None
                           and abs((s.period_end - c.period_end).days) <= 7)
            if not same_period:
                says = "leaves open"
            elif bound == LOWER:  # "at least v": above the band's top contradicts it; inside an open band supports it
                says = ("contradicts" if value > band.high else
                        "supports" if math.isinf(band.high) and value >= band.low else "leaves open")
            else:
                says = "supports" if band.low <= value <= band.high else "contradicts"
            figures.append({"figure": s.id, "published": s.published.isoformat(), "originator": s.originator,
                            "value": _round(value), "unit": c.unit, "period": s.period, "says": says})
        out.append({"claim_id": c.id, "as_of_verdict": frozen.get(c.id, {}).get("verdict", "not frozen"),
                    "later": figures, "summary": _summary(figures)})
    return out


def _summary(figures: list[dict]) -> str:
    if not figures:
        return "no later figure"
    kinds = {f["says"] for f in figures}
    return kinds.pop() if len(kinds) == 1 else "later figures disagree: " + ", ".join(sorted(kinds))


def changes(freeze: dict, current_estimates: list[Estimate]) -> list[dict[str, Any]]:
    """The frozen and the current interval of every estimate, and whether they differ."""
    now = {e.name: e for e in current_estimates}
    rows = []
    for e in freeze["estimates"]:
        cur = now.get(e["name"])
        changed = cur is None or any(getattr(cur, q) != e.get(q) for q in ("unit", "p5", "p50", "p95"))
        rows.append({"estimate": e["name"], "unit": e["unit"], "preregistered": [e["p5"], e["p50"], e["p95"]],
                     "current": None if cur is None else [cur.p5, cur.p50, cur.p95], "changed": changed})
    return rows


def section(case, current_estimates: list[Estimate], history: History | None = None) -> dict[str, Any] | None:
    """The hindsight section of a case's report: every freeze's scores (oldest first), its claims by
    the latest freeze, and the latest freeze's intervals beside the current ones (``current_estimates``:
    the case's named estimates in this report)."""
    freezes = load_freezes(case.id)
    if not freezes:
        return None
    history = History.read() if history is None else history
    registry, book = estimands_mod.load(), _full_book(case)
    scored = [score_freeze(case, f, history, registry, book) for f in freezes]
    latest = freezes[-1]
    return {"freezes": scored, "history": history.problem or "read",
            "claims": claims(case, latest), "changes": changes(latest, current_estimates),
            "latest": latest["freeze"]}


def _full_book(case):
    from estimates.sources import SourceBook
    return SourceBook(case.sources.path, case.sources.all)


def _round(x: float | None) -> float | None:
    from estimates.uncertain import round_sig
    if x is None:
        return None
    return round_sig(x, 3) if math.isfinite(x) else x
