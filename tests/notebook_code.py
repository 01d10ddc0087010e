"""Running a notebook's code in this process (for the what-if tests and the what-if benchmark): its code
cells in order, Agg backend, output discarded, up to the answer cell, so that its declared checks can
be moved here and compared with a full run of the notebook."""
from __future__ import annotations

import contextlib
import io
import os
from pathlib import Path

import nbformat


def declared_names(nb: Path, stop: str = "judged = ") -> dict:
    """The names a notebook's code cells define before the first cell that contains ``stop``."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    names: dict = {}
    with contextlib.redirect_stdout(io.StringIO()):
        for cell in nbformat.read(nb, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            if stop in cell.source:
                return names
            exec(cell.source, names)
    raise ValueError(f"{nb.name} has no cell containing {stop!r}")
