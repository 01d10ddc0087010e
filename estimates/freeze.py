"""Making a freeze: ``python -m estimates.freeze CASE [CASE ...]`` (``make preregister CASE=...``) runs
each case's notebooks without the cache and writes its next ``seeds/<case>.freeze-<n>.json``
(:func:`estimates.hindsight.preregistration`), whole, never over another freeze. Kept apart from
:mod:`estimates.hindsight`, which only reads and scores freezes, so that scoring imports no runner.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys

from estimates import hindsight, paths, report, runner
from estimates.case import case_ids
from estimates.files import write_atomic


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=paths.ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout


def _commit() -> tuple[str, bool | None]:
    """The commit the working tree is at, and whether the tree is clean (None: no git checkout)."""
    head = _git("rev-parse", "HEAD")
    if head is None:
        return "not recorded (no git checkout)", None
    status = _git("status", "--porcelain", "--untracked-files=no")
    return head.strip(), (status is not None and status.strip() == "")


def main(argv: list[str] | None = None) -> int:
    """``CASE [CASE ...]``: run each case's notebooks and write its next freeze. A case whose latest
    freeze was made from the same clean commit is refused (exit 2: nothing has changed); a missing CASE
    is a usage error (exit 2); a failed notebook leaves nothing written (exit 1); Ctrl-C ends it with
    one line (exit 130)."""
    parser = argparse.ArgumentParser(prog="python -m estimates freeze", description=__doc__.split("\n\n")[0])
    parser.add_argument("cases", nargs="+", metavar="CASE", help="the case ids to freeze (make preregister CASE=...)")
    args = parser.parse_args(argv)
    try:
        for cid in args.cases:
            status = _freeze(cid)
            if status:
                return status
    except KeyboardInterrupt:
        print("preregister: interrupted; no freeze was written", file=sys.stderr)
        return 130
    return 0


def _freeze(cid: str) -> int:
    if cid not in case_ids():
        print(f"{cid}: no such case (a seed and a register in {paths.SEEDS}); cases: {', '.join(case_ids())}",
              file=sys.stderr)
        return 2
    commit, clean = _commit()
    freezes = hindsight.load_freezes(cid)
    if freezes and clean and freezes[-1].get("commit") == commit:
        print(f"{cid}: freeze {freezes[-1]['freeze']} was made from this commit ({commit[:12]}) with a clean tree; "
              f"nothing to freeze again", file=sys.stderr)
        return 2
    runs = runner.run_all(runner.find_notebooks(paths.case_notebooks(cid)), jobs=2, cache=False)
    if not runs or not all(r.ok for r in runs):
        print(f"{cid}: {'a notebook failed' if runs else 'no notebook'}; no freeze written", file=sys.stderr)
        return 1
    doc, _ = report.assemble(runs, [cid])
    number = (freezes[-1]["freeze"] + 1) if freezes else 1
    record = hindsight.preregistration(cid, doc.cases[0], commit, dt.date.today(), number, clean)
    path = paths.freeze_path(cid, number)
    write_atomic(path, json.dumps(record, indent=2, sort_keys=True, ensure_ascii=False) + "\n", exclusive=True)
    print(f"{cid}: freeze {number}: {len(record['estimates'])} estimates and {len(record['verdicts'])} verdicts "
          f"in {path}" + ("" if clean else " (the working tree had uncommitted changes: commit them with it)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
