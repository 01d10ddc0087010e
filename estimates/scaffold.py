"""A new article in one command: the seed copied in, its register drafted from the text, and a notebook
skeleton that already runs (its claims "not checked" until the analyst checks them).

``python -m estimates.scaffold SEED --published YYYY-MM-DD --outlet OUTLET [--case ID] [--title TITLE]
[--question QUESTION ...]`` (``make new-case SEED=... PUBLISHED=... OUTLET=...``):

1. copies SEED to ``seeds/<case>.txt`` (the case id is the seed's file stem unless ``--case`` gives one:
   ``<date>-<outlet>-<subject>``, lower case, digits and hyphens);
2. writes ``seeds/<case>.claims.toml``: the ``[article]`` table (the title is the seed's first line
   unless ``--title`` gives one found in it), and a draft for every number of the seed
   (:mod:`estimates.coverage`): calibres and times of day as not-claims, every other number as a
   claim that loads, its unknowns written "not recorded", and ``not_checked`` saying what to read
   before naming the notebook that checks it;
3. writes ``notebooks/<case>/01-<question>.ipynb`` for each question (one, from the title, by default),
   laid out as ``docs/notebooks.md`` describes, and runs it so that its stored outputs are its own.

It writes only new files and refuses (exit 2, one line) a case that exists already; nothing is
overwritten.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
from pathlib import Path

from estimates import coverage, paths
from estimates.files import write_atomic, write_notebook

#: A new case's id: its article's date, then lower-case words (a safe case id, :data:`estimates.case.CASE_ID`).
CASE_ID = re.compile(r"\d{4}-\d{2}-\d{2}(?:-[a-z0-9]+)+")

_NOT_RECORDED = "not recorded (drafted by make new-case)"
_NOT_CHECKED = ("drafted by make new-case: read the quote, the qualifier and the unit against the text, then "
                "replace this line with check = the notebook that judges it")


class ScaffoldError(ValueError):
    """A new case that cannot be made as asked (the message says why and what would do)."""


def loadable(draft: str, published: dt.date) -> str:
    """A coverage draft made into a register entry that loads: each unknown "not recorded", the claim made
    on the article's day, "exactly" where the text has no qualifier (the note says to check it), and
    ``not_checked`` in place of ``check``."""
    out = draft.replace('"FILL: who made the claim"', f'"{_NOT_RECORDED}"')
    out = out.replace('"FILL: the day it was made, as 2024-01-31 (no quotes)"', published.isoformat())
    out = out.replace('"FILL: the period the number describes"', f'"{_NOT_RECORDED}"')
    out = out.replace('"FILL: the text has no qualifier: exactly, or one the README lists"', '"exactly"')
    out = out.replace('check = "FILL: the notebook that checks it, or replace with not_checked = why"',
                      f'not_checked = "{_NOT_CHECKED}"')
    out = re.sub(r"  # or, with the year: .*", "", out)
    if "FILL:" in out:  # a number the reader could not parse: not a claim until the analyst says what it is
        text = re.search(r'^quote = (".*")$', out, re.MULTILINE).group(1)
        return f"[[not_claims]]\ntext = {text}\nreason = \"drafted by make new-case: not read as a number; register it by hand\"\n"
    return out


def _notebook(case_id: str, stem: str, question: str, title: str):
    import nbformat.v4 as v4
    cells = [
        v4.new_markdown_cell(f"# {question}\n\n"
                             f"The article: \u201c{title}\u201d. This notebook is a skeleton made by `make new-case`: it runs "
                             "as it is, and every claim of the register is *not checked* until a check here judges it. "
                             "Fill it in as `docs/notebooks.md` describes, with the check kinds of `estimates.kinds` "
                             "for the recurring questions, and name this notebook in each claim it checks "
                             f"(`check = \"{stem}\"` in the register)."),
        v4.new_code_cell("from estimates.case import load_case\nfrom estimates.publish import answer, show_claims\n\n"
                         f'case = load_case("{case_id}")'),
        v4.new_markdown_cell("## The claims\n\nThe claims the register assigns to this notebook, as quoted, with who "
                             "made them (none until a claim names this notebook):"),
        v4.new_code_cell(f'show_claims(case, case.checked_by("{stem}"))'),
        v4.new_markdown_cell("## The inputs, declared\n\nEach input that can move a verdict, in prose and then as a "
                             "declaration (`estimates.checks`): a source under the reading argued for, with its other "
                             "fair readings; a date or window where the sources disagree; an unsourced assumption with "
                             "its range and why.\n\n## The answer\n\nEach finding's published verdict and one sentence "
                             "of why, once the checks are declared: `answer([(claim_ids, check.judge()), ...])`."),
        v4.new_code_cell("answer([])"),
        v4.new_markdown_cell("## The argument\n\nThe model in small steps, every route and the audit "
                             "(`routes_table`, `audit_table`), the inputs that move the result most, break-even "
                             "values and the what-if controls (`estimates.explore`).\n\n## Verdicts\n\n"
                             "`show_verdict(record(judged, claim))` for every claim this notebook checks."),
    ]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


def new_case(seed: Path, *, published: dt.date, outlet: str, case_id: str | None = None, title: str | None = None,
             questions: list[str] | None = None, run: bool = True) -> list[Path]:
    """Make a new case from ``seed`` (see the module docstring); returns the files written."""
    seed = Path(seed)
    if not seed.is_file():
        raise ScaffoldError(f"{seed}: no such seed file; give the article's text, saved byte for byte")
    case_id = case_id or seed.stem
    if not CASE_ID.fullmatch(case_id):
        raise ScaffoldError(f"case id {case_id!r} is not <date>-<words> in lower case, digits and hyphens "
                            "(for example 2024-07-01-wire-containers); give --case")
    text = seed.read_text(encoding="utf-8")
    title = title or next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    if not title or title not in text:
        raise ScaffoldError(f"the title {title!r} is not found verbatim in {seed.name}; give --title as the seed has it")
    targets = [paths.seed_path(case_id), paths.claims_path(case_id), paths.case_notebooks(case_id)]
    taken = [t for t in targets if t.exists()]
    if taken:
        raise ScaffoldError(f"case {case_id} exists already ({taken[0]}); nothing was written")
    questions = questions or [f"Are the figures of \u201c{title}\u201d right?"]
    written = [paths.seed_path(case_id)]
    shutil.copyfile(seed, paths.seed_path(case_id))
    found = coverage.find_numbers(text)
    entries = [loadable(d, published) for d in coverage.drafts(found, text)]
    register = (f'[article]\ntitle = {coverage.toml_string(title)}\noutlet = {coverage.toml_string(outlet)}\n'
                f'published = {published.isoformat()}\nseed = "{case_id}.txt"\n' + "".join("\n" + e for e in entries))
    write_atomic(paths.claims_path(case_id), register)
    written.append(paths.claims_path(case_id))
    folder = paths.case_notebooks(case_id)
    folder.mkdir(parents=True)
    for i, q in enumerate(questions, start=1):
        slug = re.sub(r"[^a-z0-9]+", "-", q.lower()).strip("-")[:40].strip("-") or "question"
        path = folder / f"{i:02d}-{slug}.ipynb"
        write_notebook(path, _notebook(case_id, path.stem, q, title))
        written.append(path)
    if run:
        from estimates import runner
        for path in written[2:]:
            result = runner.execute_notebook(path, update=True)
            if not result.ok:
                raise ScaffoldError(f"{path.name} did not run: {result.error}")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m estimates new-case", description=__doc__.split("\n\n")[0])
    parser.add_argument("seed", help="the article's text, saved byte for byte")
    parser.add_argument("--published", required=True, help="the date the checks are made as of (YYYY-MM-DD)")
    parser.add_argument("--outlet", required=True, help="the outlet that published the article")
    parser.add_argument("--case", help="the case id (default: the seed's file stem)")
    parser.add_argument("--title", help="the headline, verbatim from the seed (default: its first line)")
    parser.add_argument("--question", action="append", help="a question, one notebook each (repeatable)")
    args = parser.parse_args(argv)
    try:
        published = dt.date.fromisoformat(args.published)
        written = new_case(Path(args.seed), published=published, outlet=args.outlet, case_id=args.case,
                           title=args.title, questions=args.question)
    except ValueError as exc:  # ScaffoldError, or a date that is not YYYY-MM-DD
        print(f"new-case: {exc}", file=sys.stderr)
        return 2
    for path in written:
        print(f"wrote {path}")
    print("next: read the register's drafts, name the notebook that checks each claim, declare the checks "
          "(docs/notebooks.md), then make notebooks, make test, make report")
    return 0


if __name__ == "__main__":
    sys.exit(main())
