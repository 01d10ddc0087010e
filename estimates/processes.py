"""The processes of a run: a pool of workers that replaces a dead one, and nothing that outlives the run.

Each worker dies with the runner (:func:`die_with_parent`) and leaves Ctrl-C to it. A worker that
dies (a notebook that kills it, the kernel out of memory) breaks a ``ProcessPoolExecutor`` and every
notebook in it; :func:`run_pooled` then runs those notebooks again, one worker at a time, so that
only the notebook at fault fails. Processes a notebook starts in a session of their own are
re-parented to the worker or the runner (each a child subreaper) and stopped when the notebook or
the run ends (:func:`stop_orphans`).
"""
from __future__ import annotations

import ctypes
import os
import signal
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36


def _prctl(option: int, value: int) -> bool:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(option, int(value), 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux
        return False


def die_with_parent(sig: int) -> None:
    """Ask Linux to send ``sig`` to this process when its parent dies (prctl PR_SET_PDEATHSIG), so that
    nothing of a run outlives the process that started it, even one killed outright."""
    _prctl(_PR_SET_PDEATHSIG, sig)


_reaping = {"on": False}


def become_subreaper() -> bool:
    """Make this process the one its orphaned descendants are re-parented to (PR_SET_CHILD_SUBREAPER),
    so that a process a notebook started in a session of its own can still be found and stopped by
    :func:`stop_orphans` (which does nothing in a process that is not a subreaper: a Dask worker's
    other children are not ours)."""
    _reaping["on"] = _prctl(_PR_SET_CHILD_SUBREAPER, 1)
    return _reaping["on"]


def children(pid: int | None = None) -> set[int]:
    """The processes whose parent is ``pid`` (this process by default), from /proc."""
    pid = os.getpid() if pid is None else pid
    found = set()
    try:
        entries = list(Path("/proc").iterdir())
    except OSError:
        return found
    for entry in entries:
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                    found.add(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return found


def stop_orphans(keep: set[int], reap: bool = True) -> list[int]:
    """Kill every child of this process not in ``keep`` (the children it had before the notebook ran:
    what is new and still there is an orphan a notebook left, re-parented here), and reap it; only
    in a process made a subreaper by :func:`become_subreaper`."""
    stopped = []
    if not _reaping["on"]:
        return stopped
    for pid in sorted(children() - set(keep)):
        try:
            os.kill(pid, signal.SIGKILL)
            stopped.append(pid)
        except (ProcessLookupError, PermissionError):
            continue
        if reap:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:  # reaped by its owner meanwhile
                pass
    return stopped


def kill_kernels() -> int:
    """Kill the kernels this process started, and any child caught between fork and exec (it still
    bears this process's command line); on a Dask worker, when a run is stopped: the thread that drives
    a kernel cannot be interrupted, but it ends once its kernel is gone. Returns how many."""
    killed = 0
    try:
        own = Path(f"/proc/{os.getpid()}/cmdline").read_bytes()
    except OSError:
        own = b""
    for pid in children():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"ipykernel" not in cmdline and cmdline != own:
                continue
            os.killpg(pid, signal.SIGKILL) if os.getpgid(pid) == pid else os.kill(pid, signal.SIGKILL)
            killed += 1
        except (OSError, ProcessLookupError):
            pass
    return killed


def worker_init() -> None:
    """Each worker dies with the runner, leaves Ctrl-C to the runner (which stops it cleanly), and is
    the subreaper of what its notebooks start. (Its kernel exits when it sees its parent gone.)"""
    die_with_parent(signal.SIGKILL)
    become_subreaper()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _ended(pid: int) -> bool:
    """Whether process ``pid`` has ended (gone, or a zombie: its children are re-parented by then)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def stop(pool: ProcessPoolExecutor, wait_seconds: float = 10.0) -> None:
    """Stop a pool at once: no new notebook starts, every worker is killed (its kernel follows), and
    each has ended when this returns (so what it had started is re-parented to this process, where
    :func:`stop_orphans` finds it)."""
    import time
    pids = [proc.pid for proc in list((getattr(pool, "_processes", None) or {}).values())]
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + wait_seconds
    while not all(_ended(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.01)


class WorkerDied(Exception):
    """The worker process running a notebook died (killed, or out of memory) while it ran."""


def run_pooled(items: list, jobs: int, work, args: tuple, on_result, on_submitted=lambda: None) -> None:
    """Call ``work(item, *args)`` for each item in up to ``jobs`` worker processes; ``on_result(item,
    result_or_exception)`` as each finishes; ``on_submitted()`` once they are handed over.

    When a worker dies, the pool breaks and every unfinished item with it; those run again in a pool
    of one worker, where they run one after another in order: when that one breaks, the first
    unfinished item is the one at fault (``on_result`` gets :class:`WorkerDied`), and the rest go on in
    a new worker. A signal (any BaseException) stops the pool at once and is raised again."""
    pending, workers, first = list(items), max(1, min(jobs, len(items))), True
    while pending:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=worker_init)
        futures = {}
        try:
            futures = {pool.submit(work, item, *args): item for item in pending}
            if first:
                on_submitted()
                first = False
            broken = []
            for fut in as_completed(futures):
                item = futures[fut]
                try:
                    result = fut.result()
                except BrokenProcessPool:
                    broken.append(item)
                    continue
                except Exception as exc:
                    result = exc
                on_result(item, result)
        except BaseException:
            stop(pool)
            raise
        pool.shutdown(wait=True)
        if not broken:
            return
        broken.sort(key=pending.index)
        if workers == 1:  # one at a time, in order: the first unfinished one killed its worker
            on_result(broken[0], WorkerDied("the worker process running it died (killed, or out of memory); "
                                            "the other notebooks ran in a new one"))
            broken = broken[1:]
        pending, workers = broken, 1
