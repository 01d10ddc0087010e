"""The run cache: a notebook's successful run kept under a digest of everything it depends on.

A kept run is reused only when its inputs' digest is the same and its seal (the digest of the kept
notebook) still matches: an entry cut short, edited by hand or not a kept run is run again.
(A content hash rather than jupyter-cache: jupyter-cache keys a notebook on its own code cells, and
these results depend on files the notebook reads.)
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from estimates import paths
from estimates.files import write_atomic
from estimates.publish import read_records
from estimates.runs import NotebookRun
from estimates.validate import RecordError


def shared_digest() -> bytes:
    """The digest of the inputs every notebook shares: the sources file, the estimands, the package's
    files, the requirements, and the git history of the sources and freezes (which commits touched
    them: whether a later figure is blind for a freeze is read from it), computed once per run."""
    from estimates import estimands, history
    h = hashlib.sha256()
    for f in [paths.reference_figures(), estimands.path(), paths.REQUIREMENTS] + sorted(paths.PACKAGE.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(str(f.name).encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    h.update(history.digest().encode())
    h.update(environment().encode())
    return h.digest()


def environment() -> str:
    """The Python packages installed where the notebooks run, with their versions: an upgrade or an
    edit of the environment changes what a notebook prints."""
    import importlib.metadata
    import sys
    return sys.version + "\n" + "\n".join(sorted(f"{d.metadata['Name']}=={d.version}"
                                                  for d in importlib.metadata.distributions()))


def input_digest(path: Path, shared: bytes | None = None) -> str:
    """A digest of everything a notebook's results depend on: its cells' sources (not its stored
    outputs), the names of its case's notebooks, its case's seed, register and freezes, the
    sources file, the package's code, data and templates, and the pinned requirements. Equal digests
    mean the same inputs."""
    h = hashlib.sha256()

    def add(label: str, data: bytes) -> None:
        h.update(label.encode() + b"\0" + hashlib.sha256(data).digest())

    path = Path(path)
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        add("cells", json.dumps([[c.get("cell_type"), c.get("source"), c.get("metadata", {})] for c in cells],
                                sort_keys=True).encode())  # tags such as skip-execution change the run
    except (OSError, ValueError):
        add("unreadable", path.read_bytes() if path.exists() else b"")
    case = path.parent.name  # which notebooks the case has (notebook 00 lists them against the register)
    add("notebooks", "\0".join(sorted(p.name for p in path.parent.glob("*.ipynb"))).encode())
    for f in (paths.seed_path(case), paths.claims_path(case), *paths.freeze_paths(case)):
        add(f.name, f.read_bytes() if f.is_file() else b"absent")
    h.update(shared if shared is not None else shared_digest())
    return h.hexdigest()


def entry(digest: str) -> Path:
    """Where a successful run of the inputs with this digest is kept."""
    return paths.cache_dir() / f"{digest}.json"


def cached(path: Path, digest: str) -> NotebookRun | None:
    """A successful run of the same inputs, from the cache, or None."""
    try:  # an entry cut short, edited or not a kept run (a full disk, a hand edit): run the notebook again
        kept = json.loads(entry(digest).read_text(encoding="utf-8"))
        nb = kept["nb"]
        if kept["seal"] != seal(nb):
            return None
        verdicts, estimates = read_records(nb)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecordError):
        return None
    return NotebookRun(Path(path), True, 0.0, nb, None, "", verdicts, estimates, cached=True)


def seal(nb: dict) -> str:
    """The digest of a kept run's notebook, kept beside it: an entry edited by hand is not trusted."""
    return hashlib.sha256(json.dumps(nb, sort_keys=True).encode("utf-8")).hexdigest()


def store(run: NotebookRun, digest: str) -> None:
    """Keep a successful run under the digest of its inputs (written whole or not at all)."""
    try:
        write_atomic(entry(digest), json.dumps({"notebook": str(run.path), "nb": run.nb, "seal": seal(run.nb)}))
    except OSError:  # a read-only cache folder only costs running the notebook again next time
        pass


