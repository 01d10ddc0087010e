"""When a figure entered the project and when a freeze was made, read from git history.

A later figure scores a freeze **blind** only if history shows it entered after the freeze: the
commit that first put the figure into ``sources/`` (its record's ``id = "..."`` line, or its quoted
words in a reference sheet there, whichever came first) is a descendant of the commit that first
added the freeze file, and not that commit itself. Anything else is **seen**: entered before or with
the freeze, not committed yet, or (when there is no git history to read) not provable. Nothing is
ever called blind on trust.
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from estimates import paths

BLIND, SEEN = "blind", "seen"
#: Quotes shorter than this are too common to date a figure by; the record id still does.
MIN_QUOTE = 24


class NoHistory(RuntimeError):
    """There is no git history to read (not a checkout, git missing, or a shallow clone)."""


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise NoHistory(f"git cannot run here ({exc.strerror})") from None
    if done.returncode != 0:
        raise NoHistory(done.stderr.strip().splitlines()[0] if done.stderr.strip() else f"git {args[0]} failed")
    return done.stdout


@dataclass
class History:
    """The git history of the project at ``root``, read once: the lines each commit added under
    ``sources/``, oldest first (which commit follows which is asked of git as needed)."""
    root: Path
    head: str = ""
    added: list[tuple[str, list[str]]] = field(default_factory=list)  # (commit, added lines), oldest first
    problem: str = ""

    @classmethod
    def read(cls, root: Path | None = None, folder: str = "sources") -> "History":
        """The history at ``root``; one with ``problem`` set (and nothing blind) when it cannot be read."""
        root = Path(root or paths.ROOT)
        h = cls(root)
        try:
            if _git(root, "rev-parse", "--is-shallow-repository").strip() == "true":
                raise NoHistory("a shallow clone: the commits before it are not here")
            h.head = _git(root, "rev-parse", "HEAD").strip()
            log = _git(root, "log", "--reverse", "--topo-order", "--format=@@commit %H", "-p", "--unified=0",
                       "--no-color", "--no-renames", "--", folder)
        except NoHistory as exc:
            h.problem = str(exc)
            return h
        for line in log.splitlines():
            if line.startswith("@@commit "):
                h.added.append((line.split()[1], []))
            elif line.startswith("+") and not line.startswith("+++") and h.added:
                h.added[-1][1].append(line[1:])
        return h

    def entered(self, record_id: str, quote: str = "") -> str | None:
        """The first commit that added the record's id line, or its quote, under ``sources/``; None
        when neither is in history (not committed)."""
        id_line = f'id = "{record_id}"'
        quote = quote.strip() if len(quote.strip()) >= MIN_QUOTE else ""
        for commit, lines in self.added:
            for line in lines:
                if line.strip() == id_line or (quote and quote in line):
                    return commit
        return None

    def freeze_commit(self, file: Path) -> str | None:
        """The commit that first added a freeze file, following only exact renames (a commit that moved
        the file unchanged is not its commit; git's ``--follow`` guesses by likeness, and a second
        freeze is like the first); None if it is not committed."""
        if self.problem:
            return None
        try:
            path = str(Path(file).resolve().relative_to(self.root.resolve()))
        except ValueError:
            return None
        start = "HEAD"
        for _ in range(100):  # a chain of exact renames, each step one commit back
            try:  # the latest commit that added the path: the birth of the file there now
                added = _git(self.root, "log", start, "--no-renames", "--diff-filter=A", "--format=%H", "-1",
                             "--", path).split()
                if not added:
                    return None
                status = _git(self.root, "show", "--format=", "--name-status", "-M100%", added[0])
            except NoHistory:
                return None
            moved = [parts[1] for parts in (line.split("\t") for line in status.splitlines())
                     if len(parts) == 3 and parts[0] == "R100" and parts[2] == path]
            if not moved:
                return added[0]
            start, path = f"{added[0]}^", moved[0]
        return None

    def after(self, commit: str | None, freeze: str | None) -> bool:
        """True when ``commit`` is a descendant of ``freeze`` (not the same commit)."""
        if not commit or not freeze or commit == freeze or self.problem:
            return False
        try:
            _git(self.root, "merge-base", "--is-ancestor", freeze, commit)
        except NoHistory:
            return False
        return True

    def status(self, record_id: str, quote: str, freeze: str | None) -> tuple[str, str]:
        """``(blind or seen, why)`` of one figure for the freeze made at commit ``freeze``."""
        if self.problem:
            return SEEN, f"no git history to prove it blind ({self.problem})"
        if freeze is None:
            return SEEN, "the freeze is not committed, so nothing is blind for it yet"
        entered = self.entered(record_id, quote)
        if entered is None:
            return SEEN, "not in the history yet (an uncommitted record)"
        if self.after(entered, freeze):
            return BLIND, f"entered in {entered[:10]}, after the freeze's commit {freeze[:10]}"
        return SEEN, f"entered in {entered[:10]}, before or with the freeze's commit {freeze[:10]}"


def digest(root: Path | None = None) -> str:
    """What of the history the hindsight scores depend on, as one string: the commits that touched
    ``sources/`` or ``seeds/`` (and whether either has uncommitted changes); "no history" without git."""
    root = Path(root or paths.ROOT)
    try:
        log = _git(root, "log", "--format=%H", "--", "sources", "seeds")
        dirty = _git(root, "status", "--porcelain", "--", "sources", "seeds")
    except NoHistory as exc:
        return f"no history: {exc}"
    return log + "\n" + dirty
