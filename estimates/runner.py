"""The main job: execute every notebook, read back their verdict records, write the report.

``python -m estimates.runner`` executes the notebooks under ``notebooks/`` headlessly with a
Jupyter kernel (nbclient), several at once, prints a progress line per notebook, then writes
``reports/verdicts.json``, ``reports/verdicts.csv``, ``reports/estimates.csv`` and
``reports/index.html`` (with an HTML rendering of each executed notebook) and prints the verdict
table. A failed notebook does not stop the others: its claims are reported as ``error`` with the
notebook and cell named, and the exit status is non-zero. Every report file is written whole or
not at all. ``--update`` also stores the executed notebooks back in place (a clean top-to-bottom
run, as nbval expects).
"""
from __future__ import annotations

import argparse
import csv
import html
import io
import json
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from estimates import hindsight, paths
from estimates.case import case_ids, load_case
from estimates.publish import read_records, verdict_flags
from estimates.units import UnitError
from estimates.validate import RecordError
from estimates.verdicts import ERROR, NOT_CHECKED

#: Seconds a single cell may run before the notebook is reported as failed.
CELL_TIMEOUT = 600


@dataclass
class NotebookRun:
    """The outcome of executing one notebook."""

    path: Path
    ok: bool
    seconds: float
    nb: dict | None = None
    error_cell: int | None = None
    error: str = ""
    verdicts: list[dict] = field(default_factory=list)
    estimates: list[dict] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def case(self) -> str:
        """The case the notebook belongs to: the folder that holds it (``notebooks/<case>/``)."""
        return self.path.parent.name

    @property
    def key(self) -> tuple[str, str]:
        return self.case, self.name


def find_notebooks(folder: Path) -> list[Path]:
    """Every notebook below ``folder``, in reading order, checkpoints left out."""
    return sorted((p for p in Path(folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts),
                  key=lambda p: (str(p.parent), p.name))


def execute_notebook(path: Path, update: bool = False) -> NotebookRun:
    """Execute one notebook in a fresh kernel from its own folder; never raises for a failing cell."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = Path(path)
    start = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # unreadable notebook file: report it, keep going
        return NotebookRun(path, False, 0.0, None, None, f"cannot read notebook: {exc}")
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", record_timing=False,
                            store_widget_state=False,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(path.parent)}})
    error_cell, error = None, ""
    try:
        client.execute()
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        for k, i in enumerate(code_cells, start=1):
            if any(o.get("output_type") == "error" for o in nb.cells[i].get("outputs", [])):
                error_cell = k
                break
        if error_cell is None:  # a timeout or dead kernel leaves no error output: the last cell run
            counted = [k for k, i in enumerate(code_cells, start=1) if nb.cells[i].get("execution_count")]
            error_cell = counted[-1] if counted else 1
        error = (getattr(exc, "ename", "") + ": " + getattr(exc, "evalue", "")).strip(": ") or type(exc).__name__
    except Exception as exc:  # the kernel could not start, for instance
        error = f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    _coalesce_streams(nb)
    _forget_widget_ids(nb)
    ok = not error
    if ok and update:
        nbformat.write(nb, path)
    verdicts, estimates = read_records(nb)
    return NotebookRun(path, ok, seconds, nb, error_cell, error, verdicts, estimates)


def _coalesce_streams(nb) -> None:
    """Merge consecutive stream outputs of one cell (how a kernel splits them depends on timing)."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            if (merged and out.get("output_type") == "stream" and merged[-1].get("output_type") == "stream"
                    and merged[-1].get("name") == out.get("name")):
                merged[-1]["text"] += out["text"]
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged


WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _forget_widget_ids(nb) -> None:
    """Blank the random model id of each displayed widget: widget state is not stored (the live
    controls come back when the cell is run), so the id would only make every run differ."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_MIME)
            if isinstance(view, dict) and "model_id" in view:
                view["model_id"] = ""


def run_all(notebooks: list[Path], jobs: int, update: bool = False, out=None) -> list[NotebookRun]:
    """Execute ``notebooks`` with up to ``jobs`` at once, printing a progress line for each."""
    out = out or sys.stdout
    total = len(notebooks)
    runs: dict[Path, NotebookRun] = {}
    width = len(str(total))
    for i, nbp in enumerate(notebooks, 1):
        print(f"[{i:>{width}}/{total}] started  {nbp.name}", file=out, flush=True)
    if jobs <= 1:
        for nbp in notebooks:
            runs[nbp] = execute_notebook(nbp, update)
            _progress(runs[nbp], notebooks.index(nbp) + 1, total, width, out)
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {pool.submit(execute_notebook, nbp, update): nbp for nbp in notebooks}
            for fut in as_completed(futures):
                nbp = futures[fut]
                try:
                    runs[nbp] = fut.result()
                except Exception as exc:  # the worker process itself died
                    runs[nbp] = NotebookRun(nbp, False, 0.0, None, None, f"{type(exc).__name__}: {exc}")
                _progress(runs[nbp], notebooks.index(nbp) + 1, total, width, out)
    return [runs[p] for p in notebooks]


def _progress(run: NotebookRun, i: int, total: int, width: int, out) -> None:
    if run.ok:
        print(f"[{i:>{width}}/{total}] done     {run.path.name} in {run.seconds:.1f} s", file=out, flush=True)
    else:
        at = f"at cell {run.error_cell}" if run.error_cell else "before any cell"
        print(f"[{i:>{width}}/{total}] FAILED   {run.path.name} {at}: {run.error}", file=out, flush=True)


# --- assembling the report ---------------------------------------------------------------------

def assemble(runs: list[NotebookRun], cases: list[str] | None = None) -> tuple[dict, list[str]]:
    """The report document, and a list of problems (stray records) that make the job fail."""
    by_key = {r.key: r for r in runs}
    problems: list[str] = []
    claimed: set[tuple[str, str, str]] = set()
    doc = {"cases": [], "notebooks": [
        {"case": r.case, "notebook": r.name, "path": _rel(r.path), "status": "ok" if r.ok else "error",
         "error_cell": r.error_cell, "error": r.error} for r in runs]}
    for cid in (cases if cases is not None else case_ids()):
        case = load_case(cid)
        verdicts, estimates = [], []
        for claim in case.claims:
            run = by_key.get((cid, claim.check))
            records = [v for v in run.verdicts if v.get("claim_id") == claim.id] if run else []
            base = {"case": cid, "claim_id": claim.id, "notebook": claim.check, "quote": claim.quote,
                    "reported_in": (case.register.excerpt(claim.excerpt).citation() if claim.excerpt
                                    else case.article.line()),
                    "variant_of": claim.variant_of}
            if claim.not_checked:
                verdicts.append({**base, "notebook": "", "check_id": "", "question": "", "verdict": NOT_CHECKED,
                                 "kind": "", "claimed": _claimed(claim), "model": None,
                                 "explanation": f"not checked: {claim.not_checked}"})
            elif run is not None and not run.ok:
                verdicts.append({**base, "check_id": "", "question": "", "verdict": ERROR, "kind": "",
                                 "claimed": _claimed(claim), "model": None,
                                 "explanation": f"notebook {claim.check} failed at cell {run.error_cell}: {run.error}"})
            elif not records:
                why = (f"no notebook notebooks/{cid}/{claim.check}.ipynb" if run is None
                       else f"{claim.check} emits no verdict for it")
                verdicts.append({**base, "check_id": "", "question": "", "verdict": NOT_CHECKED, "kind": "",
                                 "claimed": _claimed(claim), "model": None, "explanation": why})
            else:
                for rec in records:
                    verdicts.append({**base, **rec, "notebook": claim.check})
                claimed.add((cid, claim.check, claim.id))
        case_notebooks = {c.check for c in case.claims}  # a case's estimates come from its check notebooks
        for r in runs:
            if r.case == cid and r.name in case_notebooks:
                for e in r.estimates:
                    estimates.append({"case": cid, "notebook": r.name, **e})
        doc["cases"].append({"id": cid, "article": {
            "title": case.article.title, "outlet": case.article.outlet, "agency": case.article.agency,
            "published": case.article.published.isoformat(), "dateline": case.article.dateline,
            "kind": case.article.kind, "line": case.article.line(),
            "excerpts": [{"id": x.id, "citation": x.citation()} for x in case.register.excerpts]},
            "verdicts": verdicts, "estimates": estimates})
        doc["cases"][-1]["hindsight"] = hindsight.section(case, doc["cases"][-1])
    for r in runs:
        for v in r.verdicts:
            if (r.case, r.name, v.get("claim_id")) not in claimed:
                problems.append(f"{r.case}/{r.name} emits a verdict for claim {v.get('claim_id')!r}, "
                                f"which the register of case {r.case!r} does not assign to that notebook")
    return doc, problems


def _claimed(claim) -> dict:
    from estimates.verdicts import claimed_dict
    return claimed_dict(claim)


def _rel(p: Path) -> str:
    try:
        return str(Path(p).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(p)


CSV_COLUMNS = ["case", "claim_id", "check_id", "notebook", "verdict", "flags", "kind", "claimed_qualifier",
               "claimed_value", "claimed_low", "claimed_high", "claimed_unit", "band_low", "band_high", "band_reading",
               "model_unit", "p5", "p50", "p95", "percentile", "tail_probability", "ratio", "routes", "readings",
               "depends_on", "weak_test", "drivers", "sources", "question", "explanation"]


def _csv_rows(doc: dict) -> list[dict]:
    rows = []
    for case in doc["cases"]:
        for v in case["verdicts"]:
            c, m, b = v.get("claimed") or {}, v.get("model") or {}, v.get("band") or {}
            rows.append({
                "flags": "; ".join(verdict_flags(v)), "band_low": b.get("low"), "band_high": b.get("high"),
                "band_reading": b.get("reading", ""),
                "routes": "; ".join(f"{r['name']}: {r['verdict']}" + ("" if r["independent"] else " (not independent)")
                                    for r in v.get("routes") or []),
                "readings": "; ".join(f"{r['name']}: {r['verdict']}" + (" (primary)" if r["primary"] else "")
                                      for r in v.get("readings") or []),
                "depends_on": "; ".join(d["assumption"] for d in v.get("depends_on") or []),
                "weak_test": v.get("weak_test", ""),
                "case": case["id"], "claim_id": v["claim_id"], "check_id": v.get("check_id", ""),
                "notebook": v.get("notebook", ""), "verdict": v["verdict"], "kind": v.get("kind", ""),
                "claimed_qualifier": c.get("qualifier", ""), "claimed_value": c.get("value"),
                "claimed_low": c.get("low"), "claimed_high": c.get("high"), "claimed_unit": c.get("unit", ""),
                "model_unit": m.get("unit", ""), "p5": m.get("p5"), "p50": m.get("p50"), "p95": m.get("p95"),
                "percentile": v.get("percentile"), "tail_probability": v.get("tail_probability"),
                "ratio": v.get("ratio"), "drivers": "; ".join(v.get("drivers") or []),
                "sources": "; ".join(v.get("sources") or []), "question": v.get("question", ""),
                "explanation": v.get("explanation", "")})
    return rows


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _csv_text(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in columns})
    return buf.getvalue()


def _model_text(m: dict | None) -> str:
    from estimates.publish import _interval
    return _interval(m) if m else ""


_STYLE = ("<style>body{font-family:sans-serif;max-width:75em;margin:2em auto;padding:0 1em}"
          "table{border-collapse:collapse;width:100%;margin-bottom:2em}td,th{border:1px solid #ccc;"
          "padding:.3em .5em;vertical-align:top;text-align:left}th{background:#eee}"
          ".consistent,.correct{background:#e3f4e3}.strained,.unverified{background:#fff4d6}"
          ".inconsistent,.incorrect,.error{background:#fbe0e0}.not-checked{background:#eee}"
          "q{font-style:italic}.flag{display:inline-block;background:#fde8c8;border:1px solid #e0b070;"
          "border-radius:3px;padding:0 .3em;margin:.1em 0;font-size:85%}"
          "ul{margin:0 0 .4em 1em;padding:0}.hindsight{background:#eef2fb;border:2px solid #8aa0d0;"
          "padding:0 1em 1em;margin:2em 0}</style>")


def _page(title: str, parts: list[str]) -> str:
    return ("<!doctype html><html><head><meta charset='utf-8'><meta name='viewport' content='width=device-width'>"
            f"<title>{html.escape(title)}</title>{_STYLE}</head><body>" + "".join(parts) + "</body></html>\n")


def _scale_note() -> str:
    """The scale and the at-a-glance labels, in a sentence each."""
    parts = []
    parts.append("<p>Each claim is a band of values its words allow. Scale: <b>consistent</b> (tail probability "
                 "of the band within the model at least 5%), <b>strained</b> (at least 1%), <b>inconsistent</b> "
                 "(below 1%); exact checks are <b>correct</b>, <b>consistent</b> (fits without settling it) or "
                 "<b>incorrect</b> at the stated reading; <b>unverified</b> means no source of the article's date "
                 "settles it. <i>At a glance</i>: <span class='flag'>routes disagree</span> the routes to the claim "
                 "reach different verdicts; <span class='flag'>depends on reading</span> a word's readings give "
                 "different verdicts; <span class='flag'>depends on an assumption</span> an assumption flips the verdict "
                 "inside its own range; <span class='flag'>weak test</span> the model would also accept a claim half or twice "
                 "as large; <span class='flag'>one finding, several wordings</span> one statement the article words "
                 "several ways, counted once. See the README.</p>")
    return "".join(parts)


def _counts(case: dict) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in case["verdicts"]:
        counts[v["verdict"]] = counts.get(v["verdict"], 0) + 1
    return counts


def _index_html(doc: dict) -> str:
    """The index: one row per article, with its verdict counts and a link to its page; the
    calibration of the pre-registered intervals against later figures, over every article."""
    from estimates.publish import _num
    e = html.escape
    scale = [v for v in ("consistent", "strained", "inconsistent", "correct", "incorrect", "unverified",
                         "not checked", "error")]
    parts = ["<h1>estimate-checker: verdict report</h1>", _scale_note(),
             "<h2>Articles</h2><table><tr><th>article</th><th>published by</th><th>claims</th><th>findings</th>"
             + "".join(f"<th class='{v.replace(' ', '-')}'>{e(v)}</th>" for v in scale) + "</tr>"]
    for case in doc["cases"]:
        a, counts = case["article"], _counts(case)
        findings = len({(v.get("extra") or {}).get("finding") or v["claim_id"] for v in case["verdicts"]})
        parts.append(f"<tr><td><a href='cases/{e(case['id'])}.html'>{e(a['title'])}</a><br><code>{e(case['id'])}</code></td>"
                     f"<td>{e(a['line'])}</td><td>{len(case['verdicts'])}</td><td>{findings}</td>"
                     + "".join(f"<td>{counts.get(v, '')}</td>" for v in scale) + "</tr>")
    parts.append("</table>")
    scored = [r for case in doc["cases"] if case.get("hindsight") for r in case["hindsight"]["scores"]]
    if scored:
        cal = hindsight.calibration(scored)
        parts.append("<section class='hindsight'><h2>Hindsight: calibration of the pre-registered intervals</h2>"
                     "<p>Every later figure that speaks to a pre-registered named estimate, over all articles: how "
                     "many fell inside the frozen 50% and 90% intervals, against what calibrated intervals would "
                     "give; and the mean interval score of the 90% intervals beside a naive reference (the frozen "
                     "median within a factor of two). Lower scores are better.</p><table><tr><th>figures scored</th>"
                     "<th>inside 50%</th><th>calibrated: 50%</th><th>inside 90%</th><th>calibrated: 90%</th>"
                     "<th>mean interval score</th><th>naive reference</th></tr>"
                     f"<tr><td>{cal['scored']}</td><td>{cal['inside_50']}</td><td>{_num(cal['expected_50'])}</td>"
                     f"<td>{cal['inside_90']}</td><td>{_num(cal['expected_90'])}</td>"
                     f"<td>{_num(cal['mean_interval_score'])}</td><td>{_num(cal['mean_naive_interval_score'])}</td>"
                     "</tr></table><p>Per article:</p><table><tr><th>article</th><th>figures</th><th>inside 50%</th>"
                     "<th>inside 90%</th></tr>"
                     + "".join(f"<tr><td><a href='cases/{e(c['id'])}.html#hindsight'>{e(c['id'])}</a></td>"
                               f"<td>{c['hindsight']['calibration']['scored']}</td>"
                               f"<td>{c['hindsight']['calibration']['inside_50']}</td>"
                               f"<td>{c['hindsight']['calibration']['inside_90']}</td></tr>"
                               for c in doc["cases"] if c.get("hindsight")) + "</table></section>")
    return _page("estimate-checker report", parts)


def _case_html(case: dict, notebooks: list[dict], notebook_pages: dict[tuple[str, str], str]) -> str:
    """One article's page: its verdicts, named estimates and notebooks (links relative to cases/)."""
    from estimates.publish import _num
    e = html.escape
    pages = {k: f"../{v}" for k, v in notebook_pages.items()}
    parts = ["<p><a href='../index.html'>All articles</a></p>", _scale_note()]
    a = case["article"]
    parts.append(f"<h2>{e(a['title'])}</h2><p>{e(a['line'])}. Case <code>{e(case['id'])}</code>.</p>")
    if a.get("excerpts"):
        parts.append("<ul>" + "".join(f"<li><code>{e(x['id'])}</code>: {e(x['citation'])}</li>"
                                      for x in a["excerpts"]) + "</ul>")
    parts.append("<h3>Verdicts</h3><table><tr><th>claim</th><th>quote</th><th>claimed</th><th>verdict</th>"
                 "<th>at a glance</th><th>claimed band</th><th>model (median, 90%)</th><th>ratio claim/median</th>"
                 "<th>notebook</th><th>routes, readings, why</th></tr>")
    for v in case["verdicts"]:
        nb = v.get("notebook", "")
        page = pages.get((case["id"], nb))
        link = f"<a href='{e(page)}'>{e(nb)}</a>" if page else e(nb)
        details = [f"<li>route <i>{e(r['name'])}</i>: <b>{e(r['verdict'])}</b>, {e(_model_text(r['model']))}"
                   f"{'' if r['independent'] else ' (not independent: assumes ' + e(', '.join(r['assumes'])) + ')'}"
                   f"{' (weak test)' if r['discrimination']['weak'] else ''}</li>" for r in v.get("routes") or []]
        details += [f"<li>reading{' (primary)' if r['primary'] else ''} <i>{e(r['name'])}</i>: <b>{e(r['verdict'])}</b></li>"
                    for r in v.get("readings") or []]
        details += [f"<li>depends on <i>{e(d['assumption'])}</i>: "
                    + e(", ".join(f"{_num(x) if isinstance(x, float) else x} -> {w}"
                                  for x, w in zip(d["values"], d["verdicts"]))) + "</li>"
                    for d in v.get("depends_on") or []]
        why = v.get("explanation", "")
        if v.get("drivers"):
            why += (" Main inputs: " if why else "Main inputs: ") + "; ".join(v["drivers"])
        ratio = "" if v.get("ratio") is None else f"{v['ratio']:.3g}"
        cls = v["verdict"].replace(" ", "-")
        flags = "".join(f"<span class='flag'>{e(f)}</span> " for f in verdict_flags(v))
        band = (v.get("band") or {}).get("text", "")
        parts.append(f"<tr><td><code>{e(v['claim_id'])}</code></td><td><q>{e(v.get('quote', ''))}</q>"
                     f"<br><small>{e(v.get('reported_in', ''))}"
                     f"{'; a variant of ' + e(v['variant_of']) if v.get('variant_of') else ''}</small></td>"
                     f"<td>{e((v.get('claimed') or {}).get('text', ''))}</td><td class='{cls}'><b>{e(v['verdict'])}</b></td>"
                     f"<td>{flags}</td><td>{e(band)}</td>"
                     f"<td>{e(_model_text(v.get('model')))}</td><td>{ratio}</td><td>{link}</td>"
                     f"<td>{'<ul>' + ''.join(details) + '</ul>' if details else ''}{e(why)}</td></tr>")
    parts.append("</table><h3>Named estimates</h3><table><tr><th>estimate</th><th>median (90% interval)</th>"
                 "<th>unit</th><th>what it is</th><th>notebook</th></tr>")
    for est in case["estimates"]:
        parts.append(f"<tr><td><code>{e(est['name'])}</code></td><td>{e(_model_text(est))}</td>"
                     f"<td>{e(est['unit'])}</td><td>{e(est.get('description', ''))}</td><td>{e(est['notebook'])}</td></tr>")
    parts.append("</table>")
    if case.get("hindsight"):
        parts.append(_hindsight_html(case["hindsight"]))
    parts.append("<h3>Notebooks</h3><ul>")
    for n in notebooks:
        link = pages.get((n["case"], n["notebook"]))
        label = f"{n['case']}/{n['notebook']}"
        name = f"<a href='{e(link)}'>{e(label)}</a>" if link else e(label)
        status = "ok" if n["status"] == "ok" else f"error at cell {n['error_cell']}: {n['error']}"
        parts.append(f"<li>{name}: {e(status)}</li>")
    parts.append("</ul>")
    return _page(case["article"]["title"], parts)


def _hindsight_html(h: dict) -> str:
    """A case's hindsight section: labelled as such and set apart from the as-of verdicts."""
    from estimates.publish import _num, _unit
    e = html.escape
    parts = [f"<section class='hindsight' id='hindsight'><h2>Hindsight: what was published later</h2>"
             f"<p>Not part of the as-of verdicts above. Scores come from the pre-registration frozen on "
             f"{e(h['frozen_on'])} (commit <code>{e(h['commit'][:12])}</code>), not from this run.</p>"]
    if h["scores"]:
        parts.append("<h3>Pre-registered estimates against later figures</h3><table><tr><th>estimate</th>"
                     "<th>frozen: p5, p25, p50, p75, p95</th><th>later figure</th><th>derived value</th>"
                     "<th>percentile</th><th>in 50%</th><th>in 90%</th><th>interval score</th><th>naive</th></tr>")
        for r in h["scores"]:
            f = r["frozen"]
            parts.append(f"<tr><td><code>{e(r['estimate'])}</code></td><td>{e(', '.join(_num(f[q]) for q in f))} "
                         f"{e(_unit(r['unit']))}</td><td><code>{e(r['figure'])}</code> ({e(r['originator'])}, "
                         f"{e(r['published'])})</td><td>{_num(r['value'])}{' (a floor)' if r['floor'] else ''} "
                         f"<small>{e(r['derivation'])}</small></td><td>{r['percentile']}</td>"
                         f"<td>{'yes' if r['in_50'] else 'no'}</td><td>{'yes' if r['in_90'] else 'no'}</td>"
                         f"<td>{_num(r['interval_score'])}</td><td>{_num(r['naive_interval_score'])}</td></tr>")
        cal = h["calibration"]
        parts.append(f"</table><p>Inside the 50% interval: {cal['inside_50']} of {cal['scored']} (calibrated: "
                     f"{_num(cal['expected_50'])}); inside the 90% interval: {cal['inside_90']} of {cal['scored']} "
                     f"(calibrated: {_num(cal['expected_90'])}).</p>")
    parts.append("<h3>Claim by claim</h3><table><tr><th>claim</th><th>as-of verdict</th><th>what later figures say</th></tr>")
    for c in h["claims"]:
        later = "; ".join(f"{x['says']}: {_num(x['value'])} {_unit(x['unit'])} ({x['figure']}, {x['published']}, "
                          f"{x['period']})" for x in c["later"])
        parts.append(f"<tr><td><code>{e(c['claim_id'])}</code></td><td>{e(c['as_of_verdict'])}</td>"
                     f"<td><b>{e(c['summary'])}</b>{'<br>' + e(later) if later else ''}</td></tr>")
    parts.append("</table>")
    changed = [c for c in h["changes"] if c["changed"]]
    parts.append("<h3>Pre-registered and current intervals</h3>")
    if changed:
        parts.append("<p><b>The current as-of model differs from the pre-registration</b> for these estimates; "
                     "the scores above are the pre-registered ones.</p><table><tr><th>estimate</th>"
                     "<th>pre-registered p5, p50, p95</th><th>current p5, p50, p95</th></tr>"
                     + "".join(f"<tr><td><code>{e(c['estimate'])}</code></td>"
                               f"<td>{e(', '.join(_num(x) for x in c['preregistered']))}</td>"
                               f"<td>{e(', '.join(_num(x) for x in c['current']) if c['current'] else 'gone')}</td></tr>"
                               for c in changed) + "</table>")
    else:
        parts.append("<p>Every current interval equals its pre-registered one.</p>")
    parts.append("</section>")
    return "".join(parts)


def _notebook_html(run: NotebookRun) -> str | None:
    if run.nb is None:
        return None
    import nbformat
    from nbconvert import HTMLExporter
    body, _ = HTMLExporter(template_name="lab").from_notebook_node(nbformat.from_dict(run.nb))
    return body


def terminal_table(doc: dict, width: int = 100) -> str:
    """The verdict table as plain text, at most ``width`` columns wide."""
    cols = [("claim", 29), ("verdict", 12), ("notes", 5), ("claimed", 21), ("model: median [p5-p95]", width - 29 - 12 - 5 - 21 - 4)]
    lines = []
    for case in doc["cases"]:
        lines.append(f"{case['article']['title']} ({case['article']['line']})"[:width])
        lines.append(" ".join(f"{h:<{w}}" for h, w in cols).rstrip())
        lines.append(" ".join("-" * w for _, w in cols))
        previous = None
        for v in case["verdicts"]:
            finding = (v.get("extra") or {}).get("finding")
            same = bool(finding) and finding == previous
            previous = finding
            cells = [v["claim_id"], v["verdict"], _notes(v) + ("=" if same else ""), _compact_claim(v.get("claimed") or {}),
                     _compact(v.get("model"))]
            lines.append(" ".join(_clip(c, w).ljust(w) for c, (_, w) in zip(cells, cols)).rstrip())
        counts: dict[str, int] = {}
        for v in case["verdicts"]:
            counts[v["verdict"]] = counts.get(v["verdict"], 0) + 1
        h = case.get("hindsight")
        if h:
            cal = h["calibration"]
            changed = sum(c["changed"] for c in h["changes"])
            lines.append(f"hindsight (pre-registered {h['frozen_on']}): {cal['scored']} later figures scored, "
                         f"{cal['inside_50']} inside the 50% interval, {cal['inside_90']} inside the 90%"
                         + (f"; {changed} estimates changed since" if changed else ""))
        findings = len({(v.get("extra") or {}).get("finding") or v["claim_id"] for v in case["verdicts"]})
        lines.append("; ".join(f"{k}: {n}" for k, n in sorted(counts.items()))
                     + f" ({len(case['verdicts'])} claims, {findings} findings)")
    lines.append("notes: " + ", ".join(f"{k} {w}" for k, w in NOTE_LETTERS.items())
                 + ", = the same finding as the row above (one statement in several wordings)")
    return "\n".join(lines)


#: The terminal table's notes column: one letter for each thing a reader must see at a glance.
NOTE_LETTERS = {"R": "routes disagree", "D": "depends on reading", "A": "depends on an assumption", "W": "weak test"}


def _notes(v: dict) -> str:
    marks = {"R": v.get("routes_disagree"), "D": v.get("reading_dependent"), "A": bool(v.get("depends_on")),
             "W": v.get("weak_test")}
    return "".join(k if marks[k] else "" for k in NOTE_LETTERS)


def _compact(m: dict | None) -> str:
    from estimates.publish import _num, _unit
    if not m:
        return ""
    if m["p5"] == m["p95"] or not isinstance(m["p50"], (int, float)):
        return _model_text(m)
    return f"{_num(m['p50'])} [{_num(m['p5'])}-{_num(m['p95'])}] {_unit(m['unit'])}"


def _compact_claim(c: dict) -> str:
    """The claim as stated, with short unit symbols and date ranges as first..last."""
    from estimates.publish import _num, _unit
    q, unit = c.get("qualifier", ""), c.get("unit", "")
    if isinstance(c.get("value"), (int, float)):
        return f"{q} {_num(c['value'])} {_unit(unit)}"
    if isinstance(c.get("low"), (int, float)):
        return f"{q} {_num(c['low'])}-{_num(c['high'])} {_unit(unit)}"
    if c.get("low"):
        return f"{q} {c['low']}..{c['high'][5:]}"
    return c.get("text", "")


def _clip(text: str, w: int) -> str:
    return text if len(text) <= w else text[: w - 1] + "…"


def write_report(doc: dict, runs: list[NotebookRun], folder: Path) -> None:
    """Write verdicts.json, verdicts.csv, estimates.csv, index.html (one row per article),
    cases/<case>.html (a page per article) and notebooks/<case>/*.html into ``folder``."""
    folder = Path(folder)
    pages = {}
    for r in runs:
        page = _notebook_html(r)
        if page is not None:
            rel = f"notebooks/{r.case}/{r.name}.html"
            _write_atomic(folder / rel, page)
            pages[r.key] = rel
    _write_atomic(folder / "verdicts.json", json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    _write_atomic(folder / "verdicts.csv", _csv_text(_csv_rows(doc), CSV_COLUMNS))
    est_rows = [e for case in doc["cases"] for e in case["estimates"]]
    _write_atomic(folder / "estimates.csv", _csv_text(
        [{**e, "sources": "; ".join(e.get("sources") or [])} for e in est_rows],
        ["case", "name", "unit", "p5", "p50", "p95", "description", "sources", "notebook"]))
    for case in doc["cases"]:
        notebooks = [n for n in doc["notebooks"] if n["case"] == case["id"]]
        _write_atomic(folder / "cases" / f"{case['id']}.html", _case_html(case, notebooks, pages))
    _write_atomic(folder / "index.html", _index_html(doc))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m estimates.runner", description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS, help="folder of notebooks to run")
    parser.add_argument("--reports", type=Path, default=None, help="folder for the report (default: reports/)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks run at once")
    parser.add_argument("--update", action="store_true", help="store the executed notebooks back in place")
    parser.add_argument("--case", action="append", help="case id(s) to report (default: every case in seeds/)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    notebooks = find_notebooks(args.notebooks)
    if not notebooks:
        print(f"no notebooks found under {args.notebooks}", file=sys.stderr)
        return 2
    try:  # a broken register or sources file: say where before running anything, write nothing
        for cid in args.case or case_ids():
            load_case(cid)
    except (RecordError, UnitError) as exc:
        print(f"cannot build the report: {exc}", file=sys.stderr)
        return 2
    start = time.perf_counter()
    runs = run_all(notebooks, min(args.jobs, len(notebooks)), args.update)
    doc, problems = assemble(runs, args.case)
    folder = args.reports or paths.reports_dir()
    write_report(doc, runs, folder)
    print()
    print(terminal_table(doc))
    print()
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    failed = [r for r in runs if not r.ok]
    print(f"{len(runs) - len(failed)} of {len(runs)} notebooks ran in {time.perf_counter() - start:.0f} s; "
          f"report written to {folder}/index.html")
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
