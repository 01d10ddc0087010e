"""The main job: execute every notebook, read back their verdict records, hand them to the report.

``python -m estimates report`` executes the notebooks under ``notebooks/`` headlessly with a
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
import sys
import time
from concurrent.futures import as_completed
from pathlib import Path

from estimates import claimreview, paths, processes, report, reportfolder, runcache, terminal
from estimates.case import case_ids, load_case
from estimates.execute import CELL_TIMEOUT, OUTPUT_LIMIT_MB, execute_notebook
from estimates.runs import NotebookRun
from estimates.units import UnitError
from estimates.validate import RecordError


def find_notebooks(folder: Path) -> list[Path]:
    """Every notebook below ``folder``, in reading order, checkpoints left out."""
    return sorted((p for p in Path(folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts),
                  key=lambda p: (str(p.parent), p.name))


def _label(path: Path) -> str:
    """A notebook as a progress line names it: its case (its folder) and its name, since two cases
    may each have a notebook of the same name."""
    path = Path(path)
    return f"{path.parent.name}/{path.name}"


class Interrupted(BaseException):
    """The run was stopped by a signal (Ctrl-C or SIGTERM); ``signum`` says which. A BaseException,
    like KeyboardInterrupt, so that no handler of ordinary errors swallows it."""

    def __init__(self, signum: int, finished: int = 0):
        super().__init__(signum)
        self.signum, self.finished = signum, finished


class _Signals:
    """While a run is going: the first SIGINT or SIGTERM raises :class:`Interrupted` in the runner
    (which then stops its workers and kernels); a second one ends the process at once with 128 plus
    its number. Once the run has stopped, later ones are ignored: a second Ctrl-C as the process
    ends never becomes a traceback or a death by SIGINT."""

    def __enter__(self):
        import signal
        self.seen = None
        self.previous = {s: signal.signal(s, self._handle) for s in (signal.SIGINT, signal.SIGTERM)}
        return self

    def _handle(self, signum, frame):
        if self.seen is not None:
            os._exit(128 + self.seen)  # the second signal: no more waiting
        self.seen = signum
        raise Interrupted(signum)

    def __exit__(self, *exc):
        import signal
        if self.seen is not None:  # stopping already, with 128 plus the first signal's number: a later one is
            for s in self.previous:  # ignored (Python's shutdown would put back the default, and die of it)
                signal.signal(s, signal.SIG_IGN)
            return False
        for s, handler in self.previous.items():
            signal.signal(s, handler)
        return False


def execute_and_render(path: Path, update: bool = False, timeout: int = CELL_TIMEOUT,
                       output_limit_mb: float = OUTPUT_LIMIT_MB) -> NotebookRun:
    """What a worker does with a notebook: execute it, then render its page into the page cache, so
    that pages are made in parallel and the report only reads them. While the kernel runs, a thread
    readies the renderer (imports, templates; once per process). A page that cannot be made here is
    made again, and any error reported, when the report is written. What the notebook started and
    left running (re-parented here) is stopped when it ends."""
    import importlib
    import threading
    for stack in ("nbclient", "jupyter_client.manager"):  # the kernel's stack, imported before the renderer's
        importlib.import_module(stack)  # thread starts: two threads importing one module fail half-initialised
    warming = threading.Thread(target=_quietly, args=(report.warm_up,), name="renderer-warm-up", daemon=True)
    warming.start()
    before = processes.children()
    try:
        run = execute_notebook(path, update, timeout, output_limit_mb)
    finally:
        processes.stop_orphans(keep=before)
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


class RunAborted(Exception):
    """The run cannot finish (the Dask scheduler went away, say): the previous report is kept.
    ``status`` is the exit status: 2 when nothing could start, 1 when the run broke off."""

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


#: Seconds to wait for a Dask scheduler to answer before saying it cannot be reached.
CONNECT_SECONDS = 10


def connect(scheduler: str):
    """A client of the Dask scheduler at ``scheduler``, or :class:`RunAborted` with one line: the
    optional cluster packages missing, or no scheduler answering within :data:`CONNECT_SECONDS`."""
    try:
        from distributed import Client
    except ImportError:
        raise RunAborted("--scheduler needs the optional cluster packages: "
                         ".venv/bin/pip install -r requirements-cluster.txt (make cluster)", 2) from None
    import logging
    for name in [n for n in logging.root.manager.loggerDict if n.split(".")[0] == "distributed"]:
        logging.getLogger(name).setLevel(logging.CRITICAL)  # its reconnection tracebacks: the run says it in a line
    try:
        return Client(scheduler, set_as_default=False, timeout=f"{CONNECT_SECONDS}s")
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise RunAborted(f"cannot reach the Dask scheduler at {scheduler} within {CONNECT_SECONDS} s "
                         f"({reason})", 2) from None


def _on_dask(client, todo: list[Path], batch: "_Batch", args: tuple, while_running) -> None:
    """Run ``todo`` on the cluster's workers, collecting each run as it finishes. A worker the cluster
    lost fails its notebook; a scheduler that goes away aborts the run (:class:`RunAborted`). On a
    signal the pending notebooks are cancelled and the kernels running on the workers are killed."""
    executor = client.get_executor(pure=False)
    futures = {executor.submit(execute_and_render, nbp, *args): nbp for nbp in todo}
    try:
        while_running()
        for fut in as_completed(futures):
            nbp = futures[fut]
            try:
                result = fut.result()
            except Exception as exc:
                if client.status != "running" or not client.scheduler_info().get("workers"):
                    raise RunAborted(f"the Dask scheduler at {client.scheduler.address} went away "
                                     f"({type(exc).__name__})") from None
                result = NotebookRun(nbp, False, 0.0, None, None,
                                     f"{type(exc).__name__}: {exc or 'the cluster lost the task'}")
            batch.finished(nbp, result)
    except Interrupted as stop:
        try:  # cancelled on the scheduler first (this waits for it), so that no queued notebook starts after
            executor.shutdown(wait=False)
            quiet, deadline = 0, time.monotonic() + 10
            while quiet < 2 and time.monotonic() < deadline:  # until two rounds in a row find no kernel: a
                quiet = 0 if any(client.run(processes.kill_kernels).values()) else quiet + 1  # queued one
                time.sleep(0.25)  # may start just after the cancel; the threads end with their kernels
        except Exception:
            pass
        raise Interrupted(stop.signum, len(batch.runs)) from None
    except OSError as exc:  # the connection dropped while waiting
        raise RunAborted(f"the Dask scheduler went away ({type(exc).__name__})") from None


def run_all(notebooks: list[Path], jobs: int, update: bool = False, out=None, timeout: int = CELL_TIMEOUT,
            cache: bool = False, scheduler: str | None = None, meanwhile=None, case_done=None,
            output_limit_mb: float = OUTPUT_LIMIT_MB) -> list[NotebookRun]:
    """Execute ``notebooks`` with up to ``jobs`` at once (or on the Dask cluster at ``scheduler``; its
    workers must see the same checkout at the same path), printing a progress line for each; each
    notebook's page is rendered where it ran (see :func:`execute_and_render`). With ``cache``, a
    notebook whose inputs have a kept run is not run: the kept runs are read while the others run
    (one that cannot be read is run after them). ``meanwhile`` is called then too, when any notebook
    runs (the report's preparation); its failure only costs the time it would have saved.
    ``case_done(case, runs)`` is called likewise as soon as every notebook of a case has finished,
    for each case of which a notebook ran (the report draws its chart while other notebooks run). A
    signal stops the run: see :class:`_Signals`; :class:`Interrupted` then says how many had finished.
    A worker that dies fails only the notebook it was running (see :func:`processes.run_pooled`)."""
    batch = _Batch(notebooks, out or sys.stdout, case_done)
    how = _How(jobs, scheduler, (update, timeout, output_limit_mb))
    digests, kept = {}, set()
    if cache:
        shared = runcache.shared_digest()
        digests = {nbp: runcache.input_digest(nbp, shared) for nbp in notebooks}
        kept = {nbp for nbp in notebooks if not update and runcache.entry(digests[nbp]).is_file()}
    todo = [nbp for nbp in notebooks if nbp not in kept]
    unreadable: list[Path] = []

    def while_running() -> None:  # the kept runs are read, and the report prepared, while the others run
        for nbp in [n for n in notebooks if n in kept]:
            hit = runcache.cached(nbp, digests[nbp])
            if hit is None:
                unreadable.append(nbp)
            else:
                batch.finished(nbp, hit)
        if meanwhile is not None and todo:
            _quietly(meanwhile)

    _execute(todo, how, batch, while_running)
    _execute(unreadable, how, batch)
    for nbp in todo + unreadable if cache else []:
        if batch.runs[nbp].ok:
            runcache.store(batch.runs[nbp], digests[nbp])
    return [batch.runs[p] for p in notebooks]


class _How:
    """How a batch runs: ``jobs`` at once, or on the Dask cluster at ``scheduler``, each notebook with
    ``args`` (update, timeout, output limit)."""

    def __init__(self, jobs: int, scheduler: str | None, args: tuple):
        self.jobs, self.scheduler, self.args = jobs, scheduler, args


class _Batch:
    """The notebooks of a run, and their runs as they finish: a progress line each, and ``case_done``
    once every notebook of a case has finished (for a case of which a notebook ran)."""

    def __init__(self, notebooks: list[Path], out, case_done=None):
        self.notebooks, self.out, self.case_done = notebooks, out, case_done
        self.position = {nbp: i for i, nbp in enumerate(notebooks, start=1)}
        self.width = len(str(len(notebooks)))
        self.runs: dict[Path, NotebookRun] = {}
        self.of_case: dict[str, list[Path]] = {}
        for nbp in notebooks:
            self.of_case.setdefault(nbp.parent.name, []).append(nbp)

    def line(self, nbp: Path, text: str) -> None:
        print(f"[{self.position[nbp]:>{self.width}}/{len(self.notebooks)}] {text}", file=self.out, flush=True)

    def started(self, nbp: Path) -> None:
        self.line(nbp, f"started  {_label(nbp)}")

    def finished(self, nbp: Path, result) -> None:
        """Record a notebook's run (an exception: its worker died, or could not run it) and say so."""
        if isinstance(result, BaseException):
            result = NotebookRun(nbp, False, 0.0, None, None, f"{type(result).__name__}: {result}")
        self.runs[nbp] = run = result
        if run.cached:
            self.line(nbp, f"cached   {_label(run.path)} (its inputs have not changed)")
        elif run.ok:
            self.line(nbp, f"done     {_label(run.path)} in {run.seconds:.1f} s")
        else:
            at = f"at cell {run.error_cell}" if run.error_cell else "before any cell"
            self.line(nbp, f"FAILED   {_label(run.path)} {at}: {run.error}")
        case = self.of_case[nbp.parent.name]
        if self.case_done is not None and all(p in self.runs for p in case) and \
                not all(self.runs[p].cached for p in case):
            _quietly(self.case_done, nbp.parent.name, [self.runs[p] for p in case])


def _execute(todo: list[Path], how: _How, batch: _Batch, while_running=lambda: None) -> None:
    """Run ``todo`` on the Dask cluster, in a pool of local processes, or here one after another;
    ``while_running`` is called once they are handed over (here: before the first)."""
    for nbp in todo:
        batch.started(nbp)
    try:
        if not todo:
            while_running()
        elif how.scheduler:
            with connect(how.scheduler) as client:
                _on_dask(client, todo, batch, how.args, while_running)
        elif how.jobs <= 1:
            while_running()
            for nbp in todo:
                batch.finished(nbp, execute_and_render(nbp, *how.args))
        else:
            processes.run_pooled(todo, how.jobs, execute_and_render, how.args, batch.finished, while_running)
    except Interrupted as stop:
        raise Interrupted(stop.signum, len(batch.runs)) from None


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
    parser.add_argument("--output-limit", type=float, default=OUTPUT_LIMIT_MB, metavar="MB",
                        help=f"megabytes of output a notebook may print before it fails (default {OUTPUT_LIMIT_MB})")
    parser.add_argument("--case", action="append", help="a case to run and report, its notebooks only (repeat for "
                        "more; default: every case in seeds/); the report then holds those cases")
    parser.add_argument("--publisher", default=os.environ.get("ESTIMATE_CHECKER_PUBLISHER", claimreview.PUBLISHER),
                        help="the organisation that publishes the ClaimReview records")
    parser.add_argument("--base-url", default=os.environ.get("ESTIMATE_CHECKER_BASE_URL", ""),
                        help="the http(s) address the report will be served from, for the ClaimReview urls "
                             "(default: relative to each case's folder, with a note)")
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.cell_timeout < 1:
        parser.error("--cell-timeout must be at least 1 second")
    if not args.output_limit > 0:
        parser.error("--output-limit must be more than 0 MB")
    if args.base_url:
        try:
            claimreview.check_base_url(args.base_url)
        except ValueError as exc:
            parser.error(str(exc))
    folder = args.reports or paths.reports_dir()
    try:  # before anything runs: a folder the program did not write is never replaced
        reportfolder.check_report_folder(folder)
    except reportfolder.NotAReportFolder as exc:
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
    processes.die_with_parent(signal.SIGTERM)  # if make (or the shell) dies, the run stops as for SIGTERM
    before = processes.children()
    try:
        return _run(args, notebooks, loaded, folder, lock)
    finally:
        processes.stop_orphans(keep=before, reap=False)


def _run(args, notebooks: list[Path], loaded: dict, folder: Path, lock) -> int:
    """The run itself, once everything it needs has been checked: see :func:`main`."""
    import signal

    def case_done(cid: str, case_runs: list[NotebookRun]) -> None:  # its chart, while others run
        if cid in loaded:
            report.prepare_case(case_runs, cid, loaded)
    # --force bypasses every cache: the runs, and the pages and charts made from them (workers inherit it)
    with lock, _Signals(), _environ(report.REMAKE, "1" if args.force else None):
        start = time.perf_counter()
        try:
            runs = run_all(notebooks, min(args.jobs, len(notebooks)), args.update, timeout=args.cell_timeout,
                           cache=not args.force, scheduler=args.scheduler, meanwhile=report.prepare,
                           case_done=case_done, output_limit_mb=args.output_limit)
            doc, problems = report.assemble(runs, args.case, loaded)
            try:
                report.write_report(doc, runs, folder, publisher=args.publisher, base_url=args.base_url)
            except OSError as exc:  # a full disk, a folder that cannot be written: one line, the old report kept
                print(f"cannot write the report into {folder}: {exc.strerror or exc}; the previous report is as it "
                      f"was", file=sys.stderr)
                return 1
        except RunAborted as exc:
            print(f"{exc}; nothing was written, the report in {folder} is as it was", file=sys.stderr)
            return exc.status
        except Interrupted as stop:
            name = signal.Signals(stop.signum).name
            if reportfolder.was_written(folder):  # the signal came as the new report was put in place
                print(f"\ninterrupted by {name} as the new report was put in place: it is in {folder}, whole",
                      file=sys.stderr)
            else:
                print(f"\ninterrupted by {name}: {stop.finished} of {len(notebooks)} notebooks had finished; the "
                      f"running ones were stopped and the report in {folder} was left as it was", file=sys.stderr)
            return 128 + stop.signum
    print()
    print(terminal.terminal_table(doc))
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

