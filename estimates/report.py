"""The report: the document assembled from the notebooks' records, and its files.

:func:`assemble` joins every case's register with the verdict and estimate records its notebooks
displayed (and its hindsight section) into a typed :class:`~estimates.document.Document`;
:func:`write_report` writes ``verdicts.json`` (its plain data),
``verdicts.csv``, ``estimates.csv``, the HTML pages (from the Jinja2 templates in
``estimates/templates/``, autoescaped) with a chart per case, each case's ClaimReview JSON-LD
(:mod:`estimates.claimreview`), and each executed notebook as HTML, into a folder swapped in whole
(:mod:`estimates.reportfolder`); :mod:`estimates.terminal` draws the table the runner prints.
"""
from __future__ import annotations

import base64
import csv
import functools
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from estimates import claimreview, hindsight, pages as pages_mod, paths, reportfolder
from estimates.claimreview import PUBLISHER
from estimates.files import write_atomic
from estimates.case import Case, case_ids, load_case
from estimates.document import (ArticleRef, CaseReport, ClaimVerdict, Document, EstimateRow, ExcerptRef,
                                NotebookStatus, ReportedIn, SourceRef, Unjudged)
from estimates.verdicts import ERROR, NOT_CHECKED

if TYPE_CHECKING:
    from estimates.runs import NotebookRun

# --- assembling the report ---------------------------------------------------------------------

def assemble(runs: list[NotebookRun], cases: list[str] | None = None,
             loaded: dict[str, Case] | None = None) -> tuple[Document, list[str]]:
    """The report document, and a list of problems (stray records) that make the job fail. ``loaded``:
    cases already loaded (the runner loads every case before running anything, to refuse a broken one)."""
    by_key = {r.key: r for r in runs}
    problems: list[str] = []
    claimed: set[tuple[str, str, str]] = set()
    notebooks = tuple(NotebookStatus(case=r.case, notebook=r.name, path=_rel(r.path), status="ok" if r.ok else "error",
                                     error_cell=r.error_cell, error=without_local_paths(r.error)) for r in runs)
    history = None
    out = []
    for cid in (cases if cases is not None else case_ids()):
        case = (loaded or {}).get(cid) or load_case(cid)
        verdicts = []
        for claim in case.claims:
            run = by_key.get((cid, claim.check))
            records = [v for v in run.verdicts if v.claim_id == claim.id] if run else []
            row = functools.partial(
                ClaimVerdict, case=cid, claim_id=claim.id, notebook=claim.check, quote=claim.quote,
                reported_in=_reported_in(case, claim), variant_of=claim.variant_of, claimant=claim.claimant,
                claimant_person=claim.claimant_person, excerpt=claim.excerpt, made_on=claim.made_on.isoformat())
            if claim.not_checked:
                verdicts.append(row(notebook="", unjudged=Unjudged(NOT_CHECKED, _claimed(claim),
                                                                   f"not checked: {claim.not_checked}")))
            elif run is not None and not run.ok:
                verdicts.append(row(unjudged=Unjudged(ERROR, _claimed(claim),
                                                      f"notebook {claim.check} failed at cell {run.error_cell}: "
                                                      f"{without_local_paths(run.error)}")))
            elif not records:
                why = (f"no notebook notebooks/{cid}/{claim.check}.ipynb" if run is None
                       else f"{claim.check} emits no verdict for it")
                verdicts.append(row(unjudged=Unjudged(NOT_CHECKED, _claimed(claim), why)))
            else:
                verdicts.extend(row(record=rec) for rec in records)
                claimed.add((cid, claim.check, claim.id))
        case_notebooks = {c.check for c in case.claims}  # a case's estimates come from its check notebooks
        estimates = tuple(EstimateRow(cid, r.name, e) for r in runs if r.case == cid and r.name in case_notebooks
                          for e in r.estimates)
        if history is None:  # the git history, read once for every case of the report
            from estimates.history import History
            history = History.read()
        h = hindsight.section(case, [e.estimate for e in estimates], history)
        out.append(CaseReport(id=cid, article=_article(case), verdicts=tuple(verdicts), estimates=estimates,
                              sources=_source_records(case, verdicts, h), hindsight=h))
    for r in runs:
        for v in (r.verdicts if r.ok else []):  # a failed notebook's claims are errors already
            if (r.case, r.name, v.claim_id) not in claimed:
                problems.append(f"{r.case}/{r.name} emits a verdict for claim {v.claim_id!r}, "
                                f"which the register of case {r.case!r} does not assign to that notebook")
            elif v.check_id != r.name:  # one name for a notebook: the register's, its records', the report's
                problems.append(f"{r.case}/{r.name}: its record of claim {v.claim_id!r} names its check "
                                f"{v.check_id!r}, not the notebook {r.name!r}")
    return Document(cases=tuple(out), notebooks=notebooks), problems


def _article(case: Case) -> ArticleRef:
    a = case.article
    return ArticleRef(title=a.title, outlet=a.outlet, agency=a.agency, published=a.published.isoformat(),
                      dateline=a.dateline, kind=a.kind, line=a.line(), url=a.url, excerpts=tuple(
                          ExcerptRef(id=x.id, citation=x.citation(), outlet=x.outlet, relays=x.relays,
                                     headline=x.headline, published=x.published.isoformat(), url=x.url)
                          for x in case.register.excerpts))


def _reported_in(case: Case, claim) -> ReportedIn:
    """Where the claim was read, as a structure (not a line to take apart): the excerpt's outlet,
    headline, date, address and whom it relays, or the article's."""
    if claim.excerpt:
        x = case.register.excerpt(claim.excerpt)
        return ReportedIn(excerpt=x.id, outlet=x.outlet, headline=x.headline, published=x.published.isoformat(),
                          url=x.url, relays=x.relays)
    a = case.article
    return ReportedIn(excerpt="", outlet=a.outlet, headline=a.title, published=a.published.isoformat(),
                      url=a.url, relays=a.agency)


def _source_records(case: Case, verdicts: list[ClaimVerdict], h: dict | None) -> dict[str, SourceRef]:
    """Every source a case's page cites (its verdicts' and its later figures'), as a reader sees it:
    title, who published it and when, and its address and the mirror it was read at where the record
    has an http(s) one."""
    ids = {sid for v in verdicts for sid in v.sources}
    for f in (h or {}).get("freezes", []):
        ids |= {r["figure"] for r in f["scores"] + f["unscored"]}
    for c in (h or {}).get("claims", []):
        ids |= {x["figure"] for x in c["later"]}
    from estimates.validate import published_text
    return {s.id: SourceRef(id=s.id, title=s.title, producer=s.producer, originator=s.originator,
                            published=published_text(s.published, s.published_precision),
                            url=s.url if _http(s.url) else "", read_at=s.read_at if _http(s.read_at) else "")
            for s in case.sources.all if s.id in ids}


def _http(text: str) -> bool:
    return bool(re.match(r"^https?://\S+$", text or ""))


#: Characters that change how text around them is shown without being seen themselves (bidi
#: controls, zero-width characters): on a page each is shown as its code point instead.
INVISIBLE = {c: f"[U+{c:04X}]" for c in [*range(0x200B, 0x2010), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0xFEFF]}


def visible(text: str) -> str:
    """Text for a page with its invisible controls shown as code points.

    >>> visible("abc\u202edef")
    'abc[U+202E]def'
    """
    return text.translate(INVISIBLE) if isinstance(text, str) else text


def without_local_paths(text: str) -> str:
    """Text for a page with this machine's folders taken out: the project's (paths become relative to
    it), the Python environment's, the temporary folder and the home folder (each by a short name).
    A page shows where a file is in the project, never where the project is."""
    for folder, name in _local_folders():
        text = text.replace(folder, name)
    return text


@functools.cache
def _local_folders() -> list[tuple[str, str]]:
    import sys
    root = str(paths.ROOT.resolve())
    pairs = [(root + os.sep, ""), (root, "."), (str(Path(sys.prefix).resolve()), "<python>"),
             (str(Path(sys.base_prefix).resolve()), "<python>"), (str(Path(tempfile.gettempdir()).resolve()), "<tmp>"),
             (str(Path.home().resolve()), "~")]
    return [(f, n) for f, n in pairs if len(f) > 1]  # never "/" itself


def _claimed(claim) -> dict:
    from estimates.verdicts import claimed_dict
    return claimed_dict(claim)


def _rel(p: Path) -> str:
    try:
        return str(Path(p).resolve().relative_to(paths.ROOT))
    except ValueError:
        return str(p)


CSV_COLUMNS = ["case", "claim_id", "check_id", "notebook", "verdict", "verdict_range", "deciding_inputs", "flags", "kind", "claimed_qualifier",
               "claimed_value", "claimed_low", "claimed_high", "claimed_unit", "band_low", "band_high", "band_reading",
               "model_unit", "p5", "p50", "p95", "percentile", "tail_probability", "ratio", "routes", "readings",
               "depends_on", "weak_test", "drivers", "sources", "question", "explanation"]


def _csv_rows(doc: Document) -> list[dict]:
    rows = []
    for case in doc.cases:
        for v in case.verdicts:
            c, m, b = v.claimed or {}, v.model or {}, v.band or {}
            rows.append({
                "flags": "; ".join(v.flags), "band_low": b.get("low"), "band_high": b.get("high"),
                "band_reading": b.get("reading", ""),
                "routes": "; ".join(f"{r['name']}: {r['verdict']}" + ("" if r["independent"] else " (not independent)")
                                    for r in v.routes),
                "readings": "; ".join(f"{r['name']}: {r['verdict']}" + (" (primary)" if r["primary"] else "")
                                      for r in v.readings),
                "depends_on": "; ".join(d["assumption"] for d in v.depends_on),
                "weak_test": v.weak_test if v.record else "",
                "verdict_range": "; ".join(v.verdict_range),
                "deciding_inputs": "; ".join(v.deciding_inputs),
                "case": case.id, "claim_id": v.claim_id, "check_id": v.check_id,
                "notebook": v.notebook, "verdict": v.verdict, "kind": v.kind,
                "claimed_qualifier": c.get("qualifier", ""), "claimed_value": c.get("value"),
                "claimed_low": c.get("low"), "claimed_high": c.get("high"), "claimed_unit": c.get("unit", ""),
                "model_unit": m.get("unit", ""), "p5": m.get("p5"), "p50": m.get("p50"), "p95": m.get("p95"),
                "percentile": v.percentile, "tail_probability": v.tail_probability,
                "ratio": v.ratio, "drivers": "; ".join(v.drivers),
                "sources": "; ".join(v.sources), "question": v.question,
                "explanation": v.explanation})
    return rows


def _csv_text(rows: list[dict], columns: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=columns, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r.get(k)) for k in columns})
    return buf.getvalue()


#: What a notebook page may hold after nbconvert's sanitizer: the tags Markdown and pandas render to.
SAFE_TAGS = ["a", "abbr", "b", "blockquote", "br", "code", "div", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
             "i", "li", "ol", "p", "pre", "q", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "th",
             "thead", "tr", "ul"]
SAFE_ATTRIBUTES = {"*": ["class", "id"], "a": ["href", "title"], "th": ["colspan", "rowspan"],
                   "td": ["colspan", "rowspan"]}


def _sanitized(html_text: str) -> str:
    """HTML through the sanitizer nbconvert uses (bleach), keeping what Markdown and pandas render to
    and stripping anything else: scripts, event handlers, frames, styles (tested in test_faults)."""
    import bleach
    return bleach.clean(str(html_text), tags=SAFE_TAGS, attributes=SAFE_ATTRIBUTES, strip=True)


def _memo(kind: str, key: str, suffix: str, make) -> str:
    """The text kept under ``key`` in the cache folder ``kind`` (beside the runs'), or else ``make()``'s,
    kept there for the next report (a read-only cache folder only costs the time to make it again)."""
    return _text(_memo_file(kind, key, suffix, make))


#: Set (by ``--force``) to make every page and chart again instead of taking it from the cache.
REMAKE = "ESTIMATE_CHECKER_REMAKE"


def _sealed(cached: Path, seal: Path) -> bool:
    """Whether a kept page or chart is whole: its content's digest is the one written beside it (a file
    cut short or edited in the cache is made again)."""
    try:
        return hashlib.sha256(cached.read_bytes()).hexdigest() == seal.read_text(encoding="utf-8").strip()
    except OSError:
        return False


def _text(found: Path | str | None) -> str | None:
    """What :func:`_memo_file` or :func:`notebook_page_file` found, as text."""
    return found.read_text(encoding="utf-8") if isinstance(found, Path) else found


def _memo_file(kind: str, key: str, suffix: str, make) -> Path | str:
    """As :func:`_memo`, but the cache file itself when there is one (to be copied, not read), and the
    text only when it could not be kept."""
    cached = paths.cache_dir().parent / kind / f"{key}{suffix}"
    seal = cached.with_name(cached.name + ".sha256")
    if cached.is_file() and not os.environ.get(REMAKE) and _sealed(cached, seal):
        return cached
    text = make()
    try:
        write_atomic(cached, text)
        write_atomic(seal, hashlib.sha256(text.encode("utf-8")).hexdigest())
    except OSError:
        return text
    return cached


@functools.cache
def _renderer_digest() -> bytes:
    """The digest of what turns records and notebooks into pages: the templates and this module
    (read once per process, not once per page)."""
    digest = hashlib.sha256()
    for f in sorted(TEMPLATES.rglob("*")) + [Path(__file__)]:
        if f.is_file():
            digest.update(f.read_bytes())
    return digest.digest()


def notebook_page(run: NotebookRun) -> str | None:
    """The executed notebook as an HTML page (offline template, sanitized). A page rendered before
    from the same notebook content, with the same templates and package, is reused from the cache."""
    return _text(notebook_page_file(run))


def notebook_page_file(run: NotebookRun) -> Path | str | None:
    """:func:`notebook_page` as its cache file (rendered into the cache when not there yet), or as text
    when it could not be kept (None: no notebook)."""
    if run.nb is None:
        return None

    def render() -> str:
        import nbformat
        return visible(without_local_paths(_exporter().from_notebook_node(nbformat.from_dict(run.nb))[0]))

    key = hashlib.sha256(json.dumps(run.nb, sort_keys=True).encode() + _renderer_digest()).hexdigest()
    return _memo_file("pages", key, ".html", render)


@functools.cache
def _exporter():
    """The notebook-page renderer (offline template, sanitized), made once per process so that its
    templates are compiled once, not once per page."""
    from nbconvert import HTMLExporter
    return HTMLExporter(template_name="offline", extra_template_basedirs=[str(TEMPLATES / "nbconvert")],
                        filters={"sanitized": _sanitized})


@functools.cache
def warm_up() -> None:
    """Import the notebook renderer and compile its templates (once per process): a runner's worker
    does this while its kernel runs, so that the page is rendered soon after the kernel is done."""
    import nbformat
    _exporter().from_notebook_node(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# warm"), nbformat.v4.new_code_cell("1")]))


SCALE_ORDER = ("consistent", "strained", "inconsistent", "correct", "incorrect", "unverified", "not checked", "error")
TEMPLATES = paths.PACKAGE / "templates"


def prepare() -> None:
    """Import and compile what writing the report needs (the scoring library, the page templates;
    charts: :func:`prepare_case`): the runner does this while the kernels run."""
    import importlib
    importlib.import_module("scoringrules")
    for name in ("index.html.j2", "case.html.j2"):
        _environment().get_template(name)


def prepare_case(runs: list[NotebookRun], cid: str, loaded: dict[str, Case]) -> None:
    """Draw a case's chart into the chart cache from its notebooks' runs: the runner does this as soon
    as a case's notebooks are done, while others still run, so that the report finds it drawn (the
    chart is kept by its content: whatever is drawn here, the report shows only its own)."""
    doc, _ = assemble(runs, [cid], loaded)
    chart(doc.cases[0])


@functools.cache
def _environment():
    """The Jinja2 environment of the report's templates: autoescaped, with the number filters (made
    once per process, so that each template is compiled once)."""
    import jinja2
    from estimates.publish import unit_symbols
    from estimates.units import number_text
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True, finalize=visible)
    env.filters.update(num=lambda v: "" if v is None else (number_text(v) if isinstance(v, (int, float)) else v),
                       unit=lambda u: unit_symbols(u) if u else "", interval=pages_mod.model_text)
    env.globals["style"] = (TEMPLATES / "style.css").read_text(encoding="utf-8")
    return env


def _verdict_anchor(nb: dict | None) -> str:
    """The id nbconvert gives the notebook's verdict heading ("## Verdicts" -> "#Verdicts"), or ""."""
    for cell in (nb or {}).get("cells", []):
        if cell.get("cell_type") == "markdown":
            text = "".join(cell.get("source", ""))
            m = re.search(r"(?m)^#{1,3} (Verdicts?\b.*)$", text)
            if m:
                return "#" + m.group(1).strip().replace(" ", "-")
    return ""


def _cards(case: CaseReport, pages: dict, anchors: dict | None = None) -> list[pages_mod.Card]:
    """The verdict rows of a case as cards: each with the link to its notebook's verdicts."""
    out = []
    for v in case.verdicts:
        link = pages.get((case.id, v.notebook))
        anchor = (anchors or {}).get((case.id, v.notebook), "")
        out.append(pages_mod.Card(v, f"../{link}{anchor}" if link else ""))
    return out


def chart(case: CaseReport) -> str | None:
    """A picture of every estimate claim of a case against its model, as a PNG data URI: per claim, its
    band and the deciding model's 50% and 90% intervals and median, all relative to the claimed figure
    (log scale), coloured by verdict. None when the case has no estimate claim."""
    rows = [v for v in case.verdicts if v.kind == "estimate" and v.model and v.band]
    if not rows:
        return None
    key = hashlib.sha256(json.dumps([v.as_dict() for v in rows], sort_keys=True).encode()
                         + _renderer_digest()).hexdigest()
    return _memo("charts", key, ".txt", lambda: _draw_chart(rows))


def _draw_chart(rows: list[ClaimVerdict]) -> str:
    """The chart of :func:`chart` itself, as a PNG data URI: rows labelled by the claim's words, a
    legend, and an axis in multiples of the claimed figure ("claimed", "x2", ...)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    colours = {"consistent": "tab:green", "strained": "tab:orange", "inconsistent": "tab:red"}
    fig, ax = plt.subplots(figsize=(8, 0.5 * len(rows) + 1.6), dpi=90)
    for y, v in enumerate(reversed(rows)):
        claimed, m, b = v.claimed["value"], v.model, v.band
        lo = (b["low"] if b["low"] is not None else claimed / 100) / claimed
        hi = (b["high"] if b["high"] is not None else claimed * 100) / claimed
        ax.barh(y, hi - lo, left=lo, height=0.8, color="#dddddd", zorder=1)
        c = colours.get(v.verdict, "tab:blue")
        ax.hlines(y, m["p5"] / claimed, m["p95"] / claimed, color=c, lw=2, zorder=2)
        if m.get("p25") is not None:
            ax.hlines(y, m["p25"] / claimed, m["p75"] / claimed, color=c, lw=7, zorder=2)
        ax.plot([m["p50"] / claimed], [y], "o", color="black", ms=4, zorder=3)
    ax.axvline(1, color="black", lw=0.8)
    labels = [_clip_words(v.quote, 34) + f" ({v.verdict})" for v in reversed(rows)]
    ax.set_yticks(range(len(rows)), labels, fontsize=9)
    ax.set_xscale("log")
    ax.set_xlim(0.05, 20)
    ticks = [0.1, 0.5, 1, 2, 10]
    ax.set_xticks(ticks, ["\u00d70.1", "\u00d70.5", "claimed", "\u00d72", "\u00d710"], fontsize=9)
    ax.minorticks_off()
    ax.set_xlabel("what the sources support, as a multiple of the claimed figure", fontsize=9)
    ax.legend(handles=[Patch(color="#dddddd", label="what the claim's words allow"),
                       Line2D([], [], color="tab:blue", lw=7, label="the estimate: middle half"),
                       Line2D([], [], color="tab:blue", lw=2, label="nine chances in ten"),
                       Line2D([], [], marker="o", color="black", lw=0, label="its middle")],
              fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.28), ncol=4, frameon=False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _clip_words(text: str, n: int) -> str:
    """The first words of ``text``, at most ``n`` characters, with an ellipsis when cut."""
    if len(text) <= n:
        return text
    return text[:n].rsplit(" ", 1)[0] + "\u2026"


def write_report(doc: Document, runs: list, folder: Path, *, publisher: str = PUBLISHER, base_url: str = "") -> None:
    """Write the whole report into ``folder``, swapped in whole (see :func:`reportfolder.replace`)."""
    reportfolder.replace(folder, lambda new: _write_files(doc, runs, new, publisher=publisher, base_url=base_url))


def _write_files(doc: Document, runs: list, folder: Path, *, publisher: str, base_url: str) -> None:
    """Every file of the report: verdicts.json, verdicts.csv, estimates.csv, index.html (one row per
    article), a page per article (<case>/index.html, with its chart, verdict cards, full table and
    hindsight section), its ClaimReview records (<case>/claimreview.jsonld, also embedded in the page)
    and every executed notebook (notebooks/<case>/*.html)."""
    env = _environment()
    pages, anchors = {}, {r.key: _verdict_anchor(r.nb) for r in runs}
    for r in runs:
        page = notebook_page_file(r)
        if page is not None:
            rel = f"notebooks/{r.case}/{r.name}.html"
            if isinstance(page, Path):  # a copy made by the kernel, not read and written again
                (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(page, folder / rel)
                os.chmod(folder / rel, 0o644)
            else:
                write_atomic(folder / rel, page)
            pages[r.key] = rel
    write_atomic(folder / "verdicts.json", json.dumps(doc.as_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    write_atomic(folder / "verdicts.csv", _csv_text(_csv_rows(doc), CSV_COLUMNS))
    est_rows = [e.as_dict() for case in doc.cases for e in case.estimates]
    write_atomic(folder / "estimates.csv", _csv_text(
        [{**e, "sources": "; ".join(e.get("sources") or [])} for e in est_rows],
        ["case", "name", "unit", "p5", "p50", "p95", "description", "sources", "notebook"]))
    for case in doc.cases:
        reviews = claimreview.records(case, publisher, base_url)
        jsonld = json.dumps(reviews, indent=2, sort_keys=True, ensure_ascii=False)
        write_atomic(folder / case.id / "claimreview.jsonld", jsonld + "\n")
        notebooks = [(n, f"../{pages[(n.case, n.notebook)]}" if (n.case, n.notebook) in pages else "")
                     for n in doc.notebooks if n.case == case.id]
        cards = _cards(case, pages, anchors)
        html_text = env.get_template("case.html.j2").render(
            title=case.article.title, case=case, cards=cards, findings=pages_mod.findings(case, cards),
            chart=chart(case),
            verdict_words=list(pages_mod.VERDICT_WORDS.items()), label_words=list(pages_mod.LABEL_WORDS.items()),
            publisher=publisher, reviewed_on=reviews[0]["datePublished"] if reviews else claimreview.review_date(case),
            h=case.hindsight, notebooks=notebooks, jsonld=claimreview.script_safe(jsonld))
        write_atomic(folder / case.id / "index.html", html_text)
    calibration = [{**c, "case": case.id, "freeze": f["freeze"]} for case in doc.cases if case.hindsight
                   for f in case.hindsight["freezes"] for c in f["calibration"]]
    rows = [{"id": c.id, "title": c.article.title, "line": c.article.line, "claims": len(c.verdicts),
             "findings": pages_mod.finding_count(c),
             "counts": pages_mod.verdict_counts(c)} for c in doc.cases]
    write_atomic(folder / "index.html", env.get_template("index.html.j2").render(
        title="estimate-checker report", scale=SCALE_ORDER, rows=rows,
        verdict_words=list(pages_mod.VERDICT_WORDS.items()),
        calibration=calibration))
