"""The report folder: written whole, swapped in one atomic step, and only ever the program's own.

A report is built in a new folder beside the old one and exchanged with it in one step, so the
folder exists at every instant and a reader never sees pages of two runs; a folder that holds files
this program did not write is never replaced (``--reports notebooks`` is refused, not emptied); the
program's own leftovers of a killed run are swept before the next.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable


#: Files of the report folder that other commands write (make bench, make browser-test): carried
#: over when a new report replaces the folder.
KEPT = ("benchmarks*.json", "benchmarks-*-failure.txt", "browser-*.png")
#: The file every report folder carries, so that the program replaces only a folder it wrote itself.
MARK = ".estimate-checker-report"


class NotAReportFolder(ValueError):
    """The folder named for the report exists and is not one this program wrote: it is never replaced."""


def check_report_folder(folder: Path) -> None:
    """Refuse a report folder that exists and is not the program's own: one that carries :data:`MARK`, a
    report of an earlier version (its verdicts.json and index.html), or a folder holding nothing but
    the files of :data:`KEPT` (or nothing), may be replaced; anything else (``--reports notebooks``) is
    left alone, with the reason.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as scratch:
    ...     check_report_folder(Path(scratch) / "reports")  # not there yet: fine
    """
    folder = Path(folder)
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise NotAReportFolder(f"{folder} is not a folder the report can be written into; give --reports a "
                               "new folder, or one an earlier report made")
    if not folder.is_dir() or (folder / MARK).is_file():
        return
    if all(any(entry.match(pattern) for pattern in KEPT) for entry in folder.iterdir()):
        return  # empty, or only what make bench and make browser-test write into it
    if (folder / "verdicts.json").is_file() and (folder / "index.html").is_file():
        return  # a report of a version before the mark
    raise NotAReportFolder(f"{folder} holds files this program did not write (it replaces the whole folder); "
                           "nothing was written: give --reports a new folder, or one an earlier report made")


def replace(folder: Path, fill: Callable[[Path], None]) -> None:
    """Put a whole new report in ``folder`` in one swap: ``fill(new)`` writes it into a new folder beside it,
    which is then
    exchanged with the old one in a single atomic step (Linux ``renameat2`` with
    ``RENAME_EXCHANGE``), so ``folder`` exists at every instant and a reader never sees pages of two
    runs; a page of a notebook or case that is gone disappears with the old folder (the files of
    :data:`KEPT` are carried over). Leftovers of a run killed before it could clean up (the program's
    own ``.<folder>.new-*`` and ``.<folder>.old-*`` folders beside it) are swept first."""
    folder = Path(folder)
    _WRITTEN.discard(folder.resolve())
    check_report_folder(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    sweep_leftovers(folder)
    new = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.new-"))
    try:
        fill(new)
        (new / MARK).write_text("written by estimate-checker: the program replaces this folder whole\n",
                                encoding="utf-8")
        if folder.is_dir():
            for pattern in KEPT:
                for kept in folder.glob(pattern):
                    shutil.copy2(kept, new / kept.name)
        for sub in [new, *new.rglob("*")]:  # readable by all, whatever the umask (077 made folders 0700)
            os.chmod(sub, 0o755 if sub.is_dir() else 0o644)
        import signal
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
        try:  # the swap and the removal of the old report finish before a signal is taken
            if folder.exists() and exchange(new, folder):
                shutil.rmtree(new, ignore_errors=True)  # now the old report
            else:  # no old report, or a file system without the exchange: two renames
                old = Path(tempfile.mkdtemp(dir=folder.parent, prefix=f".{folder.name}.old-"))
                if folder.exists():
                    os.replace(folder, old / folder.name)
                os.replace(new, folder)
                shutil.rmtree(old, ignore_errors=True)
            _WRITTEN.add(folder.resolve())  # before a signal held back meanwhile is taken
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise


#: The report folders this process has put a new report in place in (:func:`was_written`).
_WRITTEN: set[Path] = set()


def was_written(folder: Path) -> bool:
    """Whether the last :func:`write_report` into ``folder`` in this process put the new report in place
    (a signal held back during the swap is taken just after it: the runner then says so)."""
    return Path(folder).resolve() in _WRITTEN


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system or the file system has no such call (the caller falls back to two renames)."""
    import ctypes
    import ctypes.util
    import errno
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EPERM):
        return False
    raise OSError(err, os.strerror(err), str(b))


def sweep_leftovers(folder: Path) -> list[Path]:
    """Remove the program's own temporary folders beside ``folder`` (``.<name>.new-*``,
    ``.<name>.old-*``) that a killed run left; returns what was removed. Called under the run's lock,
    so none of them belongs to a run in progress."""
    folder = Path(folder)
    gone = []
    for pattern in (f".{folder.name}.new-*", f".{folder.name}.old-*"):
        for left in folder.parent.glob(pattern):
            if left.is_dir() and not left.is_symlink():
                shutil.rmtree(left, ignore_errors=True)
                gone.append(left)
    return gone
