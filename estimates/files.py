"""Files written whole or not at all: every file the program writes goes through :func:`write_atomic`
(a temporary file in the same folder, then a rename), so a full disk, a crash or a Ctrl-C leaves the
previous file as it was, never a truncated one.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, text: str | bytes, *, exclusive: bool = False) -> None:
    """Write ``text`` to ``path`` whole or not at all, readable by all (0644). ``exclusive``: never
    over an existing file (FileExistsError, nothing written), for files that are never rewritten."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8") if isinstance(text, str) else text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # readable by the group and others, like any published page
        if exclusive:
            os.link(tmp, path)  # fails if the file exists: never over another
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_notebook(path: Path, nb) -> None:
    """A notebook written as ``nbformat.write`` writes it (the same bytes), whole or not at all."""
    import nbformat
    text = nbformat.writes(nb)
    write_atomic(path, text if text.endswith("\n") else text + "\n")
