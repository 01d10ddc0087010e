"""How a notebook hands its results to the report: display outputs with a MIME type of their own.

A check notebook calls :func:`show_verdict` and :func:`show_estimates`; each displays a readable
table (text/markdown and text/plain) and, beside it, the same record as JSON under
``VERDICT_MIME`` or ``ESTIMATE_MIME``. nbval compares those outputs like any other, and the
runner reads them back from the executed notebook with :func:`read_records`: the report never
retypes a number.
"""
from __future__ import annotations

import json
import re
from typing import Any, Iterable

from estimates.units import number_text
from estimates.verdicts import Estimate, VerdictRecord, verdict_flags

VERDICT_MIME = "application/vnd.estimate-checker.verdict+json"
ESTIMATE_MIME = "application/vnd.estimate-checker.estimate+json"


#: An address in a register's or a source's text: kept whole, as a Markdown autolink.
_URL = re.compile(r"https?://[^\s<>\"]+")


def md_escape(text: str) -> str:
    r"""Text from a register or a source, made inert for Markdown: HTML's special characters as
    entities, Markdown's as escapes, so that a quote shows as written and never as markup; an http(s)
    address is kept whole as an autolink (an escape inside it would change the address).

    >>> md_escape("a < b & c *d* [e](f) | g")
    'a &lt; b &amp; c \\*d\\* \\[e\\]\\(f\\) \\| g'
    >>> md_escape("KBS, 2024, https://world.kbs.co.kr/news_view.htm?lang=e&Seq_Code=1.")
    'KBS, 2024, <https://world.kbs.co.kr/news_view.htm?lang=e&Seq_Code=1>.'
    """
    text, out, pos = str(text), [], 0
    for m in _URL.finditer(text):
        url = m.group(0).rstrip(".,;:)")  # a sentence's punctuation after an address is not part of it
        out += [_inert(text[pos:m.start()]), f"<{url}>"]
        pos = m.start() + len(url)
    return "".join(out) + _inert(text[pos:])


def _inert(text: str) -> str:
    import html
    out = html.escape(text, quote=False)
    for ch in "\\`*_[]()#|!":
        out = out.replace(ch, "\\" + ch)
    return out


def unit_symbols(unit: str) -> str:
    from estimates.units import ureg
    return f"{ureg.parse_units(unit):~P}" if unit else unit


def interval_text(model: dict[str, Any] | None) -> str:
    if not model:
        return "n/a"
    u = unit_symbols(model["unit"])
    if not isinstance(model["p50"], (int, float)):
        return str(model["p50"])  # a date
    if model["p5"] == model["p95"]:
        return f"{number_text(model['p50'])} {u}"
    label = model.get("interval", "90%")
    return f"{number_text(model['p50'])} {u} ({label}: {number_text(model['p5'])} to {number_text(model['p95'])})"


def _route_text(route: dict[str, Any]) -> str:
    flags = [] if route["independent"] else [f"not independent: assumes {', '.join(route['assumes'])}"]
    if route.get("model_bound"):
        flags.append(f"a {route['model_bound']} bound")
    if route["discrimination"]["weak"]:
        flags.append("weak test")
    share = "" if route.get("in_band") is None else f", {route['in_band']:.0%} in the band"
    return (f"{route['name']}: {route['verdict']}, {interval_text(route['model'])}{share}"
            + (f" ({'; '.join(flags)})" if flags else ""))


def verdict_text(r: dict[str, Any]) -> str:
    """The published verdict in capitals, with its range when it is undetermined.

    >>> verdict_text({"verdict": "undetermined", "verdict_range": ["consistent", "strained"]})
    'UNDETERMINED: CONSISTENT TO STRAINED'
    """
    span = [v for v in r.get("verdict_range") or [] if v != "cannot tell"]
    if r["verdict"] != "undetermined" or not span:
        return r["verdict"].upper()
    text = span[0] if len(span) == 1 else f"{span[0]} to {span[-1]}"
    untested = ", or cannot tell" if "cannot tell" in (r.get("verdict_range") or []) else ""
    return f"UNDETERMINED: {text}{untested}".upper()


def verdict_lines(r: VerdictRecord) -> list[tuple[str, str]]:
    """The rows of a verdict's readable table."""
    d = r.as_dict()
    rows = [("claim", f"{r.claim_id}: {r.claimed['text']}"), ("question", r.question),
            ("verdict", verdict_text(d) + (f" ({'; '.join(verdict_flags(r))})" if verdict_flags(r) else ""))]
    if r.audit:
        as_argued = (r.extra or {}).get("as_argued", "")
        base = {as_argued, *(r.extra or {}).get("as_argued_conflict", [])}
        flips = [a for a in r.audit if {a["verdict"], *a.get("conflict", [])} != base]
        rows.append(("audit", f"{len(r.audit)} moves of the inputs examined; as argued: {as_argued}; "
                     f"{len(flips)} give another verdict" + (f"; decided by: {', '.join(r.deciding_inputs)}"
                                                             if r.deciding_inputs else "")))
        rows += [("  moved", f"{a['input']} -> {a['option']}: {a['verdict']}"
                  + (f" (a route that cannot confirm gives {', '.join(a['conflict'])}: the sources conflict)"
                     if a.get("conflict") else "")) for a in flips]
    if r.band:
        rows.append(("claimed band", f"{r.band['text']}: {r.band['reading']}"))
    rows.append(("model", interval_text(r.model)))
    for route in r.routes:
        rows.append(("route", _route_text(route)))
    if r.routes:
        rows.append(("rule", d["route_rule"]))
    for reading in r.readings:
        rows.append(("reading" + (" (primary)" if reading["primary"] else ""), f"{reading['name']}: {reading['verdict']}"))
    if r.discrimination:
        lo, hi = r.discrimination["accepts_factor"]
        rows.append(("how much it can tell", f"a claim half as large: {r.discrimination['half']}; twice as large: "
                     f"{r.discrimination['double']}; consistent for {number_text(lo)}x to {'any' if hi is None else number_text(hi) + 'x'} the claim"))
    for dep in r.depends_on:
        kind = "" if "(sourced)" in dep["assumption"] else f" ({'sourced' if dep['sourced'] else 'assumption'})"
        rows.append(("depends on", f"{dep['assumption']}{kind}: "
                     + ", ".join(f"{number_text(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v}"
                                 f"{(' ' + dep['unit']) if dep['unit'] else ''} -> {w}"
                                 for v, w in zip(dep["values"], dep["verdicts"]))))
    if r.percentile is not None:
        rows.append(("claim's percentile in the model", f"{r.percentile:.0f}"))
        rows.append(("tail probability", f"{r.tail_probability:.2g}"))
    if r.ratio is not None:
        rows.append(("ratio claim / model", f"{r.ratio:.3g}"))
    if r.drivers:
        rows.append(("main inputs", "; ".join(r.drivers)))
    if r.sources:
        rows.append(("sources", ", ".join(r.sources)))
    if r.explanation:
        rows.append(("why", r.explanation))
    return rows


def routes_table(routes: list[dict[str, Any]]):
    """The routes of a check as a table (a pandas DataFrame of text, stable under nbval)."""
    import pandas as pd
    return pd.DataFrame([{"route": r["name"], "independent": "yes" if r["independent"] else f"no (assumes {', '.join(r['assumes'])})",
                          "model (median, 90%)": interval_text(r["model"]),
                          "in band": "" if r.get("in_band") is None else f"{r['in_band']:.0%}",
                          "tail": "" if r.get("tail_probability") is None else f"{r['tail_probability']:.2f}",
                          "verdict": r["verdict"],
                          "half / double": f"{r['discrimination'].get('half', '')} / {r['discrimination'].get('double', '')}",
                          "weak test": "yes" if r["discrimination"]["weak"] else "no"} for r in routes])


def _text_table(rows: list[tuple[str, str]]) -> str:
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def verdict_text_table(record: VerdictRecord) -> str:
    """A verdict's table as plain text, exactly as :func:`show_verdict` displays it."""
    return _text_table(verdict_lines(record))


def _bundle(rows: list[tuple[str, str]], mime: str, payload: Any) -> dict[str, Any]:
    md = "| | |\n|---|---|\n" + "\n".join(f"| {md_escape(k)} | {md_escape(v)} |" for k, v in rows)
    return {"text/plain": _text_table(rows), "text/markdown": md, mime: payload}


def claim_lines(case, claim_ids) -> str:
    """Markdown for claims as the register quotes them: the quote, who made it and when, where it
    was reported (the excerpt's outlet and headline, or the article's outlet), and its register id."""
    blocks = []
    for cid in claim_ids:
        c = case.claim(cid)
        where = (case.register.excerpt(c.excerpt).citation() if c.excerpt
                 else f"{case.article.outlet}, {case.article.published}")
        variant = f" A variant of `{c.variant_of}`." if c.variant_of else ""
        blocks.append(f"> \u201c{md_escape(c.quote)}\u201d\n\n{md_escape(c.claimant)}; made {c.made_on:%d %B %Y}; "
                      f"reported in {md_escape(where)}. Register id `{c.id}`: {md_escape(c.stated())}.{variant}")
    return "\n\n".join(blocks)


def show_claims(case, claim_ids) -> None:
    """Display claims as the register quotes them (:func:`claim_lines`)."""
    from IPython.display import Markdown, display
    display(Markdown(claim_lines(case, claim_ids)))


def show_verdict(record: VerdictRecord) -> None:
    """Display a verdict: a table for the reader and the JSON record for the runner."""
    from IPython.display import display
    display(_bundle(verdict_lines(record), VERDICT_MIME, record.as_dict()), raw=True)


def show_estimates(estimates: Iterable[Estimate]) -> None:
    """Display named estimates: a table for the reader and the JSON records for the runner."""
    from IPython.display import display
    items = list(estimates)
    rows = [(e.name, interval_text(e.as_dict())) for e in items]
    display(_bundle(rows, ESTIMATE_MIME, [e.as_dict() for e in items]), raw=True)


def read_records(nb: dict) -> tuple[list[VerdictRecord], list[Estimate]]:
    """(verdicts, estimates) found in an executed notebook's outputs (an nbformat dict), in order, as
    the typed records the notebook displayed; ValueError, naming the cell, for one that is not."""
    verdicts: list[VerdictRecord] = []
    estimates: list[Estimate] = []
    for number, cell in enumerate(nb.get("cells", []), start=1):
        for out in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            data = out.get("data", {})
            for mime, sink, kind in ((VERDICT_MIME, verdicts, VerdictRecord), (ESTIMATE_MIME, estimates, Estimate)):
                if mime in data:
                    payload = data[mime]
                    try:
                        if isinstance(payload, str):
                            payload = json.loads(payload)
                        sink.extend(kind.from_dict(d) for d in (payload if isinstance(payload, list) else [payload]))
                    except ValueError as exc:
                        raise ValueError(f"cell {number}: {exc}") from None
    return verdicts, estimates


def answer(findings) -> None:
    """The answer first: for each finding (its claim ids and its judged check), the published verdict
    and one sentence of why (:class:`estimates.checks.Judged` gives both)."""
    for claim_ids, judged in findings:
        text = verdict_text({"verdict": judged.verdict, "verdict_range": list(judged.verdict_range)})
        print(f"{', '.join(claim_ids)}: {text}\n    {judged.sentence()}")
