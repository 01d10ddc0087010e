"""Executing one notebook: a fresh kernel, a limit per cell and on all the output, what ran and nothing else.

:func:`execute_notebook` never raises for a failing notebook: its :class:`~estimates.runs.NotebookRun`
says which cell failed and why. A cell that runs past its limit (``--cell-timeout``) or a notebook
whose output passes its cap (``--output-limit``) fails with the limit in the message; a cell that
prints forever is stopped at the cap, not kept in memory.
"""
from __future__ import annotations

import subprocess
import time
from pathlib import Path

from estimates.files import write_notebook
from estimates.publish import read_records
from estimates.runs import NotebookRun

#: Seconds a single cell may run before the notebook is reported as failed (``--cell-timeout``):
#: every cell of these notebooks finishes in seconds, so a cell still running after two minutes is stuck.
CELL_TIMEOUT = 120

#: Megabytes of output one notebook may produce (``--output-limit``): the largest notebook here stores
#: well under one, so a notebook past twenty is printing without end.
OUTPUT_LIMIT_MB = 20

#: The messages that add an output to a cell.
_OUTPUT_MESSAGES = frozenset({"stream", "display_data", "execute_result", "error", "update_display_data"})

WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _size(content: dict) -> int:
    """About how many bytes an output message adds to the notebook."""
    import json
    return len(json.dumps(content.get("text") or content.get("data") or content.get("traceback") or ""))


def _client(nb, timeout: int, limit_bytes: int, on_cell_start, path: Path):
    """An nbclient client that counts the notebook's output: past ``limit_bytes`` it keeps no more,
    kills the kernel (the cell then ends as a dead kernel) and says so in ``over_limit``."""
    import asyncio

    from nbclient import NotebookClient

    from estimates.kernels import PrivateAsyncKernelManager

    class CappedClient(NotebookClient):
        written = 0
        over_limit = False

        def process_message(self, msg, cell, cell_index):
            if msg.get("msg_type") in _OUTPUT_MESSAGES:
                self.written += _size(msg.get("content", {}))
                if self.written > limit_bytes:
                    if not self.over_limit:
                        self.over_limit = True
                        asyncio.ensure_future(self.km.shutdown_kernel(now=True))
                    return None
            return super().process_message(msg, cell, cell_index)

    return CappedClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                        kernel_manager_class=PrivateAsyncKernelManager,  # sockets no other process can take
                        store_widget_state=False, on_cell_start=on_cell_start,
                        extra_arguments=["--IPKernelApp.log_level=ERROR"],
                        resources={"metadata": {"path": str(path.parent)}})


def execute_notebook(path: Path, update: bool = False, timeout: int = CELL_TIMEOUT,
                     output_limit_mb: float = OUTPUT_LIMIT_MB) -> NotebookRun:
    """Execute one notebook in a fresh kernel from its own folder; never raises for a failing cell.

    A cell that runs longer than ``timeout`` seconds fails the notebook with the limit in the
    message, and so does output past ``output_limit_mb`` megabytes (the kernel is stopped there); a
    failed notebook keeps only what ran: the cells after the failing one lose their outputs and
    prompts, so that neither its page nor its records show stale results."""
    import nbformat
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    path = Path(path)
    start = time.perf_counter()
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # unreadable notebook file: report it, keep going
        return NotebookRun(path, False, 0.0, None, None, f"cannot read notebook: {exc}")
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    current = {"cell": None}

    def on_cell_start(cell, cell_index, **_):
        current["cell"] = cell_index

    client = _client(nb, timeout, int(output_limit_mb * 1_000_000), on_cell_start, path)
    error_cell, error = None, ""
    try:  # the kernel's own stderr (start-up and shutdown chatter) stays out of the runner's lines
        client.execute(stderr=subprocess.DEVNULL)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        failed_at = current["cell"]
        for i in code_cells:
            if any(o.get("output_type") == "error" for o in nb.cells[i].get("outputs", [])):
                failed_at = i
                break
        error_cell = code_cells.index(failed_at) + 1 if failed_at in code_cells else 1
        if client.over_limit:
            error = (f"OutputLimitError: the notebook's output passed the {output_limit_mb:g} MB limit "
                     f"(--output-limit); its kernel was stopped there")
        elif isinstance(exc, CellTimeoutError):
            error = f"CellTimeoutError: the cell did not finish within the {timeout} s limit (--cell-timeout)"
        elif isinstance(exc, DeadKernelError):
            error = "DeadKernelError: the kernel died while running the cell"
        else:
            error = (getattr(exc, "ename", "") + ": " + getattr(exc, "evalue", "")).strip(": ") or type(exc).__name__
        for i in code_cells:  # what did not run shows as not run
            if failed_at is not None and i > failed_at:
                nb.cells[i]["outputs"], nb.cells[i]["execution_count"] = [], None
    except Exception as exc:  # the kernel could not start, for instance
        error = f"{type(exc).__name__}: {exc}"
    seconds = time.perf_counter() - start
    coalesce_streams(nb)
    forget_widget_ids(nb)
    ok = not error
    if ok and update:  # whole or not at all: a full disk leaves the notebook as it was
        write_notebook(path, nb)
    try:
        verdicts, estimates = read_records(nb)
    except ValueError as exc:  # a record the report could not read: the notebook fails, saying where
        return NotebookRun(path, False, seconds, nb, None, f"RecordError: {exc}")
    return NotebookRun(path, ok, seconds, nb, error_cell, error, verdicts, estimates)


def coalesce_streams(nb) -> None:
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


def forget_widget_ids(nb) -> None:
    """Blank the random model id of each displayed widget: widget state is not stored (the live
    controls come back when the cell is run), so the id would only make every run differ."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_MIME)
            if isinstance(view, dict) and "model_id" in view:
                view["model_id"] = ""
