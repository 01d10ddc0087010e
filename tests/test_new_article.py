"""A new article through the README's documented steps, in a copy of the project: the seed, make new-case
(the seed copied, the register drafted, a skeleton notebook), make coverage, two claims named in the
register, a check notebook of at most 40 code lines built on check kinds; then make notebooks, strict
nbval and make report pass there, no other file of the project changes, and the other cases' records
stay byte for byte what they were."""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

import nbformat
import nbformat.v4 as v4

from estimates import paths

CASE = "2024-07-01-wire-containers"
CHECK_NB = "02-ratio-and-period"
IGNORED = {".git", ".venv", "reports", ".cache", "__pycache__", ".pytest_cache", ".ipynb_checkpoints"}

CELLS = [
    ("md", "# Did the shipments double, over a two-year period?\n\nThe wire report says the containers grew "
           "twofold since February's count and that the shipping ran over the roughly two-year period since "
           "February 2022. Both are questions the package's check kinds answer: a ratio of a later count to an "
           "earlier one, and a period between two dates."),
    ("code", "from estimates import kinds\nfrom estimates.case import load_case\nfrom estimates.checks import Choice, Range, record\n"
             "from estimates.publish import answer, show_claims, show_verdict\n\n"
             f'case, CHECK = load_case("{CASE}"), "{CHECK_NB[3:]}"'),
    ("md", "## The claims\n\nThe ratio and the period, as the register quotes them:"),
    ("code", f'show_claims(case, case.checked_by("{CHECK_NB}"))'),
    ("md", "## The inputs, declared\n\n1. **The later count**: more than 13,000 containers, read as a rounded "
           "total up to the next round figure.\n2. **The earlier count**: about 6,700, to the nearest hundred.\n"
           "3. **The period**: from February 2022, when the report says it began, to the report's own day."),
    ("code", 'now = Choice("now", {"13,000 to 14,000": Range(13_000, 14_000, "container", "uniform")}, "13,000 to 14,000", "more than 13,000")\n'
             'before = Choice("before", {"6,650 to 6,750": Range(6_650, 6_750, "container", "uniform")}, "6,650 to 6,750", "about 6,700")\n'
             'start = Choice("start", {"February 2022": case.claim("since-february-2022").low}, "February 2022", "the start", kind="date")\n'
             'end = Choice("end", {"the report": case.article.published}, "the report", "the report\'s day", kind="date")\n'
             'checks = [kinds.ratio_check(case.claim("twofold"), now, before, seed=1),\n'
             '          kinds.period_check(case.claim("roughly-two-year"), start, end)]'),
    ("md", "## The answer\n\nEach claim's published verdict and one sentence of why: one class only when it holds "
           "under every reading of its inputs, otherwise the range and what decides it."),
    ("code", "judged = {c.name: c.judge() for c in checks}\nanswer([([cid], j) for cid, j in judged.items()])"),
    ("md", "## Verdicts\n\nOne record each, with its audit, its routes and its declared inputs; the report picks "
           "them up, and the register names this notebook as the one that checks both claims."),
    ("code", "for cid, j in judged.items():\n    show_verdict(record(j, case.claim(cid)))"),
]


def _digests(root):
    out = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and not (IGNORED & set(p.relative_to(root).parts)):
            out[str(p.relative_to(root))] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _run(copy, env, *args, check=True):
    result = subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, timeout=900)
    if check:
        assert result.returncode == 0, (args, result.stdout[-3000:], result.stderr[-3000:])
    return result


def _records(report, skip):
    doc = json.loads((report / "verdicts.json").read_text(encoding="utf-8"))
    return {c["id"]: json.dumps(c["verdicts"], sort_keys=True) for c in doc["cases"] if c["id"] != skip}


def test_a_new_article_through_the_documented_steps_changes_nothing_else(tmp_path):
    copy = tmp_path / "project"
    # with its git history: whether a later figure is blind for a freeze is read from it
    shutil.copytree(paths.ROOT, copy, ignore=shutil.ignore_patterns(*(IGNORED - {".git"})))
    env = {**os.environ, "PYTHONPATH": str(copy), "ESTIMATE_CHECKER_SEEDS": str(copy / "seeds"),
           "ESTIMATE_CHECKER_NOTEBOOKS": str(copy / "notebooks"), "ESTIMATE_CHECKER_REPORTS": str(copy / "reports"),
           "ESTIMATE_CHECKER_SOURCES": str(copy / "sources" / "reference-figures.toml"),
           "ESTIMATE_CHECKER_CACHE": str(tmp_path / "cache-before")}
    _run(copy, env, "-m", "estimates", "report")
    before, files_before = _records(copy / "reports", CASE), _digests(copy)
    kept = {f: (copy / f).read_bytes() for f in files_before if f.endswith(".ipynb")}  # to say what changed

    seed = tmp_path / f"{CASE}.txt"  # 1. the seed, byte for byte
    seed.write_bytes((paths.TESTS / "data" / "coverage-fixture.txt").read_bytes())
    _run(copy, env, "-m", "estimates", "new-case", str(seed), "--published", "2024-07-01", "--outlet", "Wire")  # make new-case
    assert _run(copy, env, "-m", "estimates", "coverage", CASE).returncode == 0  # 3. every number registered
    register = copy / "seeds" / f"{CASE}.claims.toml"  # 2. two claims named for the check notebook
    text = register.read_text(encoding="utf-8")
    for cid in ("twofold", "roughly-two-year"):
        entry = re.search(rf'\[\[claims\]\]\nid = "{cid}"\n.*?(?=\n\[\[|\Z)', text, re.S).group(0)
        text = text.replace(entry, re.sub(r'not_checked = ".*"', f'check = "{CHECK_NB}"', entry))
    register.write_text(text, encoding="utf-8")
    nb = v4.new_notebook(cells=[v4.new_markdown_cell(s) if k == "md" else v4.new_code_cell(s) for k, s in CELLS])
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    assert sum(len(c.source.splitlines()) for c in nb.cells if c.cell_type == "code") <= 40
    nbformat.write(nb, copy / "notebooks" / CASE / f"{CHECK_NB}.ipynb")  # 5. the check notebook

    env["ESTIMATE_CHECKER_CACHE"] = str(tmp_path / "cache-after")
    _run(copy, env, "-m", "estimates", "notebooks")  # 6. make notebooks, then make test's strict nbval
    nbval = _run(copy, env, "-m", "pytest", "--nbval", "--nbval-current-env", "-p", "no:cacheprovider", "-o", "addopts=",
                 "-p", "estimates.kernels", "--nbval-sanitize-with", str(paths.TESTS / "nbval-sanitize.cfg"), "-q",
                 str(copy / "notebooks" / CASE))
    assert re.search(r"\d+ passed", nbval.stdout), nbval.stdout[-2000:]
    _run(copy, env, "-m", "estimates", "report")  # make report

    after = _records(copy / "reports", CASE)
    assert after == before  # the other cases' records, byte for byte
    doc = json.loads((copy / "reports" / "verdicts.json").read_text(encoding="utf-8"))
    new = {v["claim_id"]: v["verdict"] for c in doc["cases"] if c["id"] == CASE for v in c["verdicts"]}
    assert new["twofold"] == "consistent" and new["roughly-two-year"] == "correct", new
    files_after = _digests(copy)
    changed = {f for f in set(files_before) | set(files_after) if files_before.get(f) != files_after.get(f)}
    assert changed == {f"seeds/{CASE}.txt", f"seeds/{CASE}.claims.toml"} | {
        f for f in files_after if f.startswith(f"notebooks/{CASE}/")}, (sorted(changed), _first_difference(copy, kept, changed))


def _first_difference(copy, kept, changed) -> str:
    """Where the first changed notebook of another case differs: its cell and the lines, for the message."""
    import difflib
    for f in sorted(changed):
        if f in kept:
            old = json.dumps(json.loads(kept[f]), indent=1, sort_keys=True).splitlines()
            new = json.dumps(json.loads((copy / f).read_bytes()), indent=1, sort_keys=True).splitlines()
            return f + "\n" + "\n".join(list(difflib.unified_diff(old, new, lineterm="", n=1))[:40])
    return ""
