"""The record of one notebook's run, as the runner makes it and the report reads it (a module of its
own, so that the report needs nothing of the runner)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from estimates.verdicts import Estimate, VerdictRecord


@dataclass
class NotebookRun:
    """The outcome of executing one notebook."""

    path: Path
    ok: bool
    seconds: float
    nb: dict | None = None
    error_cell: int | None = None
    error: str = ""
    verdicts: list[VerdictRecord] = field(default_factory=list)
    estimates: list[Estimate] = field(default_factory=list)
    cached: bool = False

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
