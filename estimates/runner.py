"""The main job: execute every notebook, read back their verdict records, hand them to the report.

``python -m estimates.runner`` executes the notebooks under ``notebooks/`` headlessly with a
Jupyter kernel (nbclient), several at once, and prints a progress line per notebook; the report
module (:mod:`estimates.report`) then assembles the records and writes the report and prints the
verdict table. A failed notebook does not stop the others: its claims are reported as ``error`` with the
notebook and cell named, and the exit status is non-zero. Every report file is written whole or
not at all. ``--update`` also stores the executed notebooks back in place (a clean top-to-bottom
run, as nbval expects).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from estimates import paths, report
from estimates.files import write_atomic, write_notebook
from estimates.runs import NotebookRun  # noqa: F401  (the runner's result, as callers name it)
from estimates.case import case_ids, load_case
from estimates.publish import read_records
from estimates.units import UnitError
from estimates.validate import RecordError

#: Seconds a single cell may run before the notebook is reported as failed (``--cell-timeout``):
#: every cell of these notebooks finishes in seconds, so a cell still running after two minutes is stuck.
CELL_TIMEOUT = 120


def find_notebooks(folder: Path) -> list[Path]:
    """Every notebook below ``folder``, in reading order, checkpoints left out."""
    return sorted((p for p in Path(folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts),
                  key=lambda p: (str(p.parent), p.name))


def execute_notebook(path: Path, update: bool = False, timeout: int = CELL_TIMEOUT) -> NotebookRun:
    """Execute one notebook in a fresh kernel from its own folder; never raises for a failing cell.

    A cell that runs longer than ``timeout`` seconds fails the notebook with the limit in the
    message; a failed notebook keeps only what ran: the cells after the failing one lose their
    outputs and prompts, so that neither its page nor its records show stale results."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    from estimates.kernels import PrivateAsyncKernelManager

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

    client = NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False,
                            kernel_manager_class=PrivateAsyncKernelManager,  # sockets no other process can take
                            store_widget_state=False, on_cell_start=on_cell_start,
                            extra_arguments=["--IPKernelApp.log_level=ERROR"],
                            resources={"metadata": {"path": str(path.parent)}})
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
        if isinstance(exc, CellTimeoutError):
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
    _coalesce_streams(nb)
    _forget_widget_ids(nb)
    ok = not error
    if ok and update:  # whole or not at all: a full disk leaves the notebook as it was
        write_notebook(path, nb)
    verdicts, estimates = read_records(nb)
    return NotebookRun(path, ok, seconds, nb, error_cell, error, verdicts, estimates)


def _label(path: Path) -> str:
    """A notebook as a progress line names it: its case (its folder) and its name, since two cases
    may each have a notebook of the same name."""
    path = Path(path)
    return f"{path.parent.name}/{path.name}"


def _coalesce_streams(nb) -> None:
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


WIDGET_MIME = "application/vnd.jupyter.widget-view+json"


def _forget_widget_ids(nb) -> None:
    """Blank the random model id of each displayed widget: widget state is not stored (the live
    controls come back when the cell is run), so the id would only make every run differ."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            view = out.get("data", {}).get(WIDGET_MIME)
            if isinstance(view, dict) and "model_id" in view:
                view["model_id"] = ""


class Interrupted(BaseException):
    """The run was stopped by a signal (Ctrl-C or SIGTERM); ``signum`` says which. A BaseException,
    like KeyboardInterrupt, so that no handler of ordinary errors swallows it."""

    def __init__(self, signum: int, finished: int = 0):
        super().__init__(signum)
        self.signum, self.finished = signum, finished


def _die_with_parent(sig: int) -> None:
    """Ask Linux to send ``sig`` to this process when its parent dies (prctl PR_SET_PDEATHSIG), so that
    nothing of a run outlives the process that started it, even one killed outright."""
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, int(sig), 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the kernels' own parent polling still applies
        pass


def _worker_init() -> None:
    """Each worker dies with the runner, and leaves Ctrl-C to the runner, which stops it cleanly.
    (Its kernel lives in a session of its own and exits when it sees its parent gone.)"""
    import signal
    _die_with_parent(signal.SIGKILL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class _Signals:
    """While a run is going: the first SIGINT or SIGTERM raises :class:`Interrupted` in the runner
    (which then stops its workers and kernels); a second one ends the process at once."""

    def __enter__(self):
        import signal
        self.seen = None
        self.previous = {s: signal.signal(s, self._handle) for s in (signal.SIGINT, signal.SIGTERM)}
        return self

    def _handle(self, signum, frame):
        if self.seen is not None:
            os._exit(128 + signum)  # the second signal: no more waiting
        self.seen = signum
        raise Interrupted(signum)

    def __exit__(self, *exc):
        import signal
        for s, handler in self.previous.items():
            signal.signal(s, handler)
        return False


def _stop(pool) -> None:
    """Stop a pool at once: no new notebook starts, every worker is killed (its kernel follows)."""
    import signal
    for proc in list(getattr(pool, "_processes", {}).values()):
        try:
            os.kill(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)


def shared_digest() -> bytes:
    """The digest of the inputs every notebook shares: the sources file, the estimands, the package's
    files, the requirements, and the git history of the sources and freezes (which commits touched
    them: whether a later figure is blind for a freeze is read from it), computed once per run."""
    import hashlib
    from estimates import estimands, history
    h = hashlib.sha256()
    for f in [paths.reference_figures(), estimands.path(), paths.REQUIREMENTS] + sorted(paths.PACKAGE.rglob("*")):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(str(f.name).encode() + b"\0" + hashlib.sha256(f.read_bytes()).digest())
    h.update(history.digest().encode())
    h.update(_environment().encode())
    return h.digest()


def _environment() -> str:
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
    mean the same inputs.

    (A content hash rather than jupyter-cache: jupyter-cache keys a notebook on its own code cells,
    and these results depend on files the notebook reads.)"""
    import hashlib
    import json
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


def _entry(digest: str) -> Path:
    """Where a successful run of the inputs with this digest is kept."""
    return paths.cache_dir() / f"{digest}.json"


def _cached(path: Path, digest: str) -> NotebookRun | None:
    """A successful run of the same inputs, from the cache, or None."""
    import json
    try:  # an entry cut short, edited or not a kept run (a full disk, a hand edit): run the notebook again
        entry = json.loads(_entry(digest).read_text(encoding="utf-8"))
        nb = entry["nb"]
        if entry["seal"] != _seal(nb):
            return None
        verdicts, estimates = read_records(nb)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecordError):
        return None
    return NotebookRun(Path(path), True, 0.0, nb, None, "", verdicts, estimates, cached=True)


def _seal(nb: dict) -> str:
    """The digest of a kept run's notebook, kept beside it: an entry edited by hand is not trusted."""
    import hashlib
    import json
    return hashlib.sha256(json.dumps(nb, sort_keys=True).encode("utf-8")).hexdigest()


def _store(run: NotebookRun, digest: str) -> None:
    """Keep a successful run under the digest of its inputs (written whole or not at all)."""
    import json
    try:
        write_atomic(_entry(digest), json.dumps({"notebook": str(run.path), "nb": run.nb, "seal": _seal(run.nb)}))
    except OSError:  # a read-only cache folder only costs running the notebook again next time
        pass


def execute_and_render(path: Path, update: bool = False, timeout: int = CELL_TIMEOUT) -> NotebookRun:
    """What a worker does with a notebook: execute it, then render its page into the page cache, so
    that pages are made in parallel and the report only reads them. While the kernel runs, a thread
    readies the renderer (imports, templates; once per process). A page that cannot be made here is
    made again, and any error reported, when the report is written."""
    import importlib
    import threading
    for stack in ("nbclient", "jupyter_client.manager"):  # the kernel's stack, imported before the renderer's
        importlib.import_module(stack)  # thread starts: two threads importing one module fail half-initialised
    warming = threading.Thread(target=_quietly, args=(report.warm_up,), name="renderer-warm-up", daemon=True)
    warming.start()
    run = execute_notebook(path, update, timeout)
    warming.join()
    _quietly(report.notebook_page_file, run)
    return run


def _quietly(work, *args) -> None:
    """``work(*args)`` for work that only saves time later (warming up, rendering ahead): a failure
    costs the time it would have saved, as the same work is done again where it is needed."""
    try:
        work(*args)
    except Exception:
        pass


def _gather(executor, todo, runs, update, timeout, report_progress, while_running=lambda: None) -> None:
    """Submit ``todo`` to a concurrent.futures executor (local processes or a Dask cluster's), call
    ``while_running``, and collect each run as it finishes; a worker that dies reports its notebook as
    failed. On a signal the pending notebooks are cancelled and :class:`Interrupted` says how many
    had finished."""
    futures = {executor.submit(execute_and_render, nbp, update, timeout): nbp for nbp in todo}
    try:
        while_running()
        for fut in as_completed(futures):
            nbp = futures[fut]
            try:
                runs[nbp] = fut.result()
            except Exception as exc:  # the worker died, or the cluster lost the task
                runs[nbp] = NotebookRun(nbp, False, 0.0, None, None, f"{type(exc).__name__}: {exc}")
            report_progress(nbp)
    except Interrupted as stop:
        for fut in futures:
            fut.cancel()
        raise Interrupted(stop.signum, len(runs)) from None


def run_all(notebooks: list[Path], jobs: int, update: bool = False, out=None, timeout: int = CELL_TIMEOUT,
            cache: bool = False, scheduler: str | None = None, meanwhile=None, case_done=None) -> list[NotebookRun]:
    """Execute ``notebooks`` with up to ``jobs`` at once (or on the Dask cluster at ``scheduler``; its
    workers must see the same checkout at the same path), printing a progress line for each; each
    notebook's page is rendered where it ran (see :func:`execute_and_render`). With ``cache``, a
    notebook whose inputs have a kept run is not run: the kept runs are read while the others run
    (one that cannot be read is run after them). ``meanwhile`` is called then too, when any notebook
    runs (the report's preparation); its failure only costs the time it would have saved.
    ``case_done(case, runs)`` is called likewise as soon as every notebook of a case has finished,
    for each case of which a notebook ran (the report draws its chart while other notebooks run). A
    signal stops the run: see :class:`_Signals`; :class:`Interrupted` then says how many had finished."""
    out = out or sys.stdout
    total = len(notebooks)
    position = {nbp: i for i, nbp in enumerate(notebooks, start=1)}
    width = len(str(total))
    runs: dict[Path, NotebookRun] = {}

    of_case: dict[str, list[Path]] = {}
    for nbp in notebooks:
        of_case.setdefault(nbp.parent.name, []).append(nbp)

    def report_progress(nbp: Path) -> None:
        _progress(runs[nbp], position[nbp], total, width, out)
        case = of_case[nbp.parent.name]
        if case_done is not None and all(p in runs for p in case) and not all(runs[p].cached for p in case):
            _quietly(case_done, nbp.parent.name, [runs[p] for p in case])

    shared = shared_digest() if cache else b""
    digests = {nbp: input_digest(nbp, shared) for nbp in notebooks} if cache else {}
    kept = {nbp for nbp in notebooks if cache and not update and _entry(digests[nbp]).is_file()}
    unreadable: list[Path] = []

    def while_running() -> None:
        for nbp in notebooks:
            if nbp in kept:
                hit = _cached(nbp, digests[nbp])
                if hit is None:
                    unreadable.append(nbp)
                else:
                    runs[nbp] = hit
                    report_progress(nbp)
        if meanwhile is not None and todo:
            _quietly(meanwhile)

    def execute(batch: list[Path], while_running=lambda: None) -> None:
        """Run ``batch`` on the Dask cluster, in a pool of local processes, or here one after another;
        ``while_running`` is called once they are handed over (here: before the first)."""
        for nbp in batch:
            print(f"[{position[nbp]:>{width}}/{total}] started  {_label(nbp)}", file=out, flush=True)
        if not batch:
            while_running()
        elif scheduler:
            from distributed import Client
            with Client(scheduler, set_as_default=False, timeout="30s") as client:
                _gather(client.get_executor(pure=False), batch, runs, update, timeout, report_progress, while_running)
        elif jobs <= 1:
            while_running()
            for nbp in batch:
                try:
                    runs[nbp] = execute_and_render(nbp, update, timeout)
                except Interrupted as stop:
                    raise Interrupted(stop.signum, len(runs)) from None
                report_progress(nbp)
        else:
            pool = ProcessPoolExecutor(max_workers=min(jobs, len(batch)), initializer=_worker_init)
            try:
                _gather(pool, batch, runs, update, timeout, report_progress, while_running)
            except Interrupted:
                _stop(pool)
                raise
            pool.shutdown(wait=True)

    todo = [nbp for nbp in notebooks if nbp not in kept]
    execute(todo, while_running)
    execute(unreadable)
    if cache:
        for nbp in todo + unreadable:
            if runs[nbp].ok:
                _store(runs[nbp], digests[nbp])
    return [runs[p] for p in notebooks]


def _progress(run: NotebookRun, i: int, total: int, width: int, out) -> None:
    if run.cached:
        print(f"[{i:>{width}}/{total}] cached   {_label(run.path)} (its inputs have not changed)", file=out, flush=True)
    elif run.ok:
        print(f"[{i:>{width}}/{total}] done     {_label(run.path)} in {run.seconds:.1f} s", file=out, flush=True)
    else:
        at = f"at cell {run.error_cell}" if run.error_cell else "before any cell"
        print(f"[{i:>{width}}/{total}] FAILED   {_label(run.path)} {at}: {run.error}", file=out, flush=True)


def _lock(folder: Path):
    """An exclusive lock on making a report into ``folder``, or None when another run holds it: a lock
    on the folder that holds it (a directory: deleting a file cannot let a second run in, and nothing
    is opened for writing, so a link planted there cannot be turned against another file). Released
    when the returned handle is closed, or when this process ends. OSError when the folder cannot be
    made or opened."""
    import fcntl
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return _Held(fd)


class _environ:
    """An environment variable set for the ``with`` block (None: left as it is), then as it was."""

    def __init__(self, name: str, value: str | None):
        self.name, self.value, self.before = name, value, None

    def __enter__(self):
        self.before = os.environ.get(self.name)
        if self.value is not None:
            os.environ[self.name] = self.value
        return self

    def __exit__(self, *exc) -> None:
        if self.value is not None:
            if self.before is None:
                os.environ.pop(self.name, None)
            else:
                os.environ[self.name] = self.before


class _Held:
    """A held lock: closing it (or leaving its ``with`` block) releases it."""

    def __init__(self, fd: int):
        self.fd = fd

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m estimates report", description=__doc__.split("\n\n")[0])
    parser.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS, help="folder of notebooks to run")
    parser.add_argument("--reports", type=Path, default=None, help="folder for the report (default: reports/)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="notebooks run at once")
    parser.add_argument("--update", action="store_true", help="store the executed notebooks back in place")
    parser.add_argument("--scheduler", default=os.environ.get("ESTIMATE_CHECKER_SCHEDULER"),
                        help="run the notebooks on a Dask cluster (tcp://host:8786) instead of local processes")
    parser.add_argument("--force", action="store_true",
                        help="run every notebook and make every page again, even where the inputs have not changed")
    parser.add_argument("--cell-timeout", type=int, default=CELL_TIMEOUT,
                        help=f"seconds a cell may run before its notebook fails (default {CELL_TIMEOUT})")
    parser.add_argument("--case", action="append", help="a case to run and report, its notebooks only (repeat for "
                        "more; default: every case in seeds/); the report then holds those cases")
    parser.add_argument("--publisher", default=os.environ.get("ESTIMATE_CHECKER_PUBLISHER", report.PUBLISHER),
                        help="the organisation that publishes the ClaimReview records")
    parser.add_argument("--base-url", default=os.environ.get("ESTIMATE_CHECKER_BASE_URL", ""),
                        help="the http(s) address the report will be served from, for the ClaimReview urls "
                             "(default: relative to each case's folder, with a note)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.cell_timeout < 1:
        parser.error("--cell-timeout must be at least 1 second")
    if args.base_url:
        try:
            report.check_base_url(args.base_url)
        except ValueError as exc:
            parser.error(str(exc))
    folder = args.reports or paths.reports_dir()
    try:  # before anything runs: a folder the program did not write is never replaced
        report.check_report_folder(folder)
    except report.NotAReportFolder as exc:
        print(f"cannot write the report: {exc}", file=sys.stderr)
        return 2
    if not paths.SEEDS.is_dir() or not case_ids():
        print(f"no case in {paths.SEEDS} (a seed <case>.txt and a register <case>.claims.toml each; is "
              f"ESTIMATE_CHECKER_SEEDS right?); nothing was run or written", file=sys.stderr)
        return 2
    notebooks = find_notebooks(args.notebooks)
    if args.case:  # the cases asked for, and only their notebooks
        unknown = sorted(set(args.case) - set(case_ids()))
        if unknown:
            print(f"no such case: {', '.join(unknown)} (cases: {', '.join(case_ids())})", file=sys.stderr)
            return 2
        notebooks = [n for n in notebooks if n.parent.name in args.case]
    if not notebooks:
        print(f"no notebooks found under {args.notebooks}" + (f" for {', '.join(args.case)}" if args.case else ""),
              file=sys.stderr)
        return 2
    from estimates.case import not_cases
    for name in not_cases():
        print(f"note: {paths.SEEDS / name} is not read as a case: a case id is lower-case words joined by "
              f"hyphens (2023-11-01-outlet-subject)", file=sys.stderr)
    try:  # a broken register or sources file: say where before running anything, write nothing
        loaded = {cid: load_case(cid) for cid in args.case or case_ids()}
    except (RecordError, UnitError) as exc:
        print(f"cannot build the report: {exc}", file=sys.stderr)
        return 2
    def case_done(cid: str, case_runs: list[NotebookRun]) -> None:  # its chart, while others run
        if cid in loaded:
            report.prepare_case(case_runs, cid, loaded)
    try:
        lock = _lock(folder)
    except OSError as exc:
        print(f"cannot write the report into {folder}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if lock is None:
        print(f"another report is being made into {folder} right now; wait for it to finish, or give "
              f"--reports another folder", file=sys.stderr)
        return 2
    import signal
    _die_with_parent(signal.SIGTERM)  # if make (or the shell) dies, the run stops as for SIGTERM
    # --force bypasses every cache: the runs, and the pages and charts made from them (workers inherit it)
    with lock, _Signals(), _environ(report.REMAKE, "1" if args.force else None):
        start = time.perf_counter()
        try:
            runs = run_all(notebooks, min(args.jobs, len(notebooks)), args.update, timeout=args.cell_timeout,
                           cache=not args.force, scheduler=args.scheduler, meanwhile=report.prepare,
                           case_done=case_done)
            doc, problems = report.assemble(runs, args.case, loaded)
            try:
                report.write_report(doc, runs, folder, publisher=args.publisher, base_url=args.base_url)
            except OSError as exc:  # a full disk, a folder that cannot be written: one line, the old report kept
                print(f"cannot write the report into {folder}: {exc.strerror or exc}; the previous report is as it "
                      f"was", file=sys.stderr)
                return 1
        except Interrupted as stop:
            name = signal.Signals(stop.signum).name
            if report.was_written(folder):  # the signal came as the new report was put in place
                print(f"\ninterrupted by {name} as the new report was put in place: it is in {folder}, whole",
                      file=sys.stderr)
            else:
                print(f"\ninterrupted by {name}: {stop.finished} of {len(notebooks)} notebooks had finished; the "
                      f"running ones were stopped and the report in {folder} was left as it was", file=sys.stderr)
            return 128 + stop.signum
    print()
    print(report.terminal_table(doc))
    print()
    for p in problems:
        print(f"problem: {p}", file=sys.stderr)
    failed = [r for r in runs if not r.ok]
    cached = sum(r.cached for r in runs)
    print(f"{len(runs) - len(failed)} of {len(runs)} notebooks ready ({cached} unchanged, from the cache) in "
          f"{time.perf_counter() - start:.0f} s; report written to {folder}/index.html")
    if not args.base_url:
        print("note: the ClaimReview urls are relative to each case's folder (no --base-url); give the address "
              "the report will be served from before publishing them")
    return 1 if failed or problems else 0


if __name__ == "__main__":
    sys.exit(main())
