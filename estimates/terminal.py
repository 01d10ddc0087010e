"""The verdict table the runner prints: drawn by ``rich`` to the terminal's width, ids never cut,
control characters shown as escapes, each case's hindsight scores and verdict counts under it."""
from __future__ import annotations

import io
import shutil

from estimates import pages
from estimates.document import CaseReport, ClaimVerdict, Document
from estimates.publish import unit_symbols
from estimates.units import number_text


def terminal_table(doc: Document, width: int | None = None) -> str:
    """The verdict table as plain text that fits ``width`` columns (default: the terminal's), drawn by
    ``rich``: a claim id is never cut (its column is as wide as the longest id), the other columns wrap;
    control characters in the register's words are shown as escapes, never sent to the terminal."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text
    width = width or shutil.get_terminal_size((100, 24)).columns
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False, legacy_windows=False,
                      highlight=False, markup=False, emoji=False)
    for case in doc.cases:
        console.print(Text(printable(f"{case.article.title} ({case.article.line})")))
        ids = [printable(v.claim_id) for v in case.verdicts] or ["claim"]
        table = Table(box=None, pad_edge=False, show_edge=False, expand=False)
        table.add_column("claim", no_wrap=True, min_width=max(len(i) for i in ids))
        table.add_column("verdict", no_wrap=True)
        table.add_column("notes", no_wrap=True)
        table.add_column("claimed", overflow="fold")
        table.add_column("model: median [p5-p95]", overflow="fold")
        previous = None
        for v, cid in zip(case.verdicts, ids):
            same = bool(v.finding) and v.finding == previous
            previous = v.finding
            table.add_row(*(Text(x) for x in (cid, v.verdict, _notes(v) + ("=" if same else ""),
                                               printable(_compact_claim(v.claimed or {})),
                                               printable(_compact(v.model)))))
        console.print(table)
        for line in _case_summary(case):
            console.print(Text(line))
    console.print(Text("notes: " + ", ".join(f"{k} {w}" for k, w in NOTE_LETTERS.items())
                       + ", = the same finding as the row above (one statement in several wordings)"))
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip("\n").splitlines())


def printable(text: str) -> str:
    """Text for a terminal: control characters (escape sequences, bidi controls) written as escapes."""
    import unicodedata
    return "".join(c if c.isprintable() and unicodedata.category(c) not in ("Cf", "Cc") else repr(c)[1:-1]
                   for c in str(text))


def _case_summary(case: CaseReport) -> list[str]:
    """The lines under a case's table: each freeze's pooled hindsight scores, what changed since the
    latest, and the count of each verdict."""
    lines = []
    h = case.hindsight
    if h:
        for f in h["freezes"]:
            pooled = {c["status"]: c for c in f["calibration"] if c["estimand"] == "all estimands"}
            said = "; ".join(f"{st}: {c['figures']} figures, model {_score(c['model'])}; claim {_score(c['claim'])} "
                             f"vs model {_score(c['model_on_claim'])}; naive {_score(c['naive'])} vs model "
                             f"{_score(c['model_on_naive'])}" for st, c in sorted(pooled.items()))
            lines.append(f"hindsight, freeze {f['freeze']} ({f['frozen_on']}): " + (said or "no figure scored"))
        changed = sum(c["changed"] for c in h["changes"])
        if changed:
            lines.append(f"hindsight: {changed} estimates changed since freeze {h['latest']}")
    lines.append("; ".join(f"{k}: {n}" for k, n in sorted(pages.verdict_counts(case).items()))
                 + f" ({len(case.verdicts)} claims, {pages.finding_count(case)} findings)")
    return lines


#: The terminal table's notes column: one letter for each thing a reader must see at a glance.
NOTE_LETTERS = {"R": "routes disagree", "D": "depends on reading", "A": "depends on an assumption", "W": "weak test"}


def _notes(v: ClaimVerdict) -> str:
    marks = {"R": v.routes_disagree, "D": v.reading_dependent, "A": v.assumption_dependent or bool(v.depends_on),
             "W": v.weak_test}
    return "".join(k if marks[k] else "" for k in NOTE_LETTERS)


def _compact(m: dict | None) -> str:
    if not m:
        return ""
    if m["p5"] == m["p95"] or not isinstance(m["p50"], (int, float)):
        return pages.model_text(m)
    return f"{number_text(m['p50'])} [{number_text(m['p5'])}-{number_text(m['p95'])}] {unit_symbols(m['unit'])}"


def _compact_claim(c: dict) -> str:
    """The claim as stated, with short unit symbols and date ranges as first..last."""
    q, unit = c.get("qualifier", ""), c.get("unit", "")
    if isinstance(c.get("value"), (int, float)):
        return f"{q} {number_text(c['value'])} {unit_symbols(unit)}"
    if isinstance(c.get("low"), (int, float)):
        return f"{q} {number_text(c['low'])}-{number_text(c['high'])} {unit_symbols(unit)}"
    if c.get("low"):
        return f"{q} {c['low']}..{c['high'][5:]}"
    return c.get("text", "")


def _score(x) -> str:
    return "-" if x is None else f"{x:.2f}"
