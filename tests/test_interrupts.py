"""Interrupts, driven with real signals to a real run: one Ctrl-C, two (back to back, and the second
as the first one's message is printed), SIGTERM, SIGKILL of the runner. Each must end the run, leave
no worker or kernel behind (checked by PID), and leave the previous report as it was. Nothing here
waits for a moment to pass: each signal is sent once the run is in a known state (its kernels
running, its message printed), and every test runs with the machine loaded (two busy processes a
core), where the old handling failed. The only time limit is a generous bound that turns a hang
into a failure."""
from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from estimates import paths, reportfolder

SLOW = "import time\nprint('started', flush=True)\ntime.sleep(120)"


def _children() -> dict[int, int]:
    """{pid: parent pid} of every process on the machine, from /proc."""
    out = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
                out[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                pass
    return out


def _descendants(pid: int) -> set[int]:
    tree, found, todo = _children(), set(), [pid]
    while todo:
        parent = todo.pop()
        for child, ppid in tree.items():
            if ppid == parent and child not in found:
                found.add(child)
                todo.append(child)
    return found


def _proc(pid: int, name: str) -> bytes:
    """A file of /proc/<pid>, or b"" once the process is gone."""
    try:
        return Path(f"/proc/{pid}/{name}").read_bytes()
    except OSError:
        return b""


def _alive(pids) -> set[int]:
    """The processes of ``pids`` still running (a zombie has already ended)."""
    return {pid for pid in pids if (stat := _proc(pid, "stat")) and stat.rsplit(b")", 1)[1].split()[0] != b"Z"}


def _kernels(pids) -> set[int]:
    return {pid for pid in pids if b"ipykernel" in _proc(pid, "cmdline")}


#: Seconds after which a run that has not ended counts as hung (it ends in about a second unloaded).
HUNG = 60.0


def slow_notebooks(tmp_path: Path) -> Path:
    """A folder of three notebooks whose one cell sleeps two minutes (a case of their own)."""
    folder = tmp_path / "notebooks" / "slow-case"
    folder.mkdir(parents=True)
    for name in ("01-a", "02-b", "03-c"):
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(SLOW)])
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder.parent


def previous_report(folder: Path) -> Path:
    """A report folder holding a previous report this program wrote."""
    folder.mkdir()
    (folder / "index.html").write_text("previous report", encoding="utf-8")
    (folder / reportfolder.MARK).write_text("", encoding="utf-8")
    return folder


@pytest.fixture
def slow_run(tmp_path, loaded):
    """A runner started on three slow notebooks (two at once), once both kernels are running; the
    report folder holds a previous report."""
    slow_notebooks(tmp_path)
    reports = previous_report(tmp_path / "reports")
    proc = subprocess.Popen([sys.executable, "-m", "estimates", "report", "--notebooks", str(tmp_path / "notebooks"),
                             "--reports", str(reports), "--jobs", "2"], cwd=paths.ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + HUNG
    while time.time() < deadline and len(_kernels(_descendants(proc.pid))) < 2:
        time.sleep(0.2)
    family = _descendants(proc.pid)
    assert len(_kernels(family)) >= 2, "the kernels never started"
    try:
        yield proc, family, reports
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        for pid in _alive(family):
            os.kill(pid, signal.SIGKILL)
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def _ends(proc, family, seconds=HUNG):
    start = time.time()
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the runner did not exit within {seconds} s")
    while _alive(family) and time.time() - start < seconds:
        time.sleep(0.2)
    assert not _alive(family), f"left behind: {_alive(family)}"
    return time.time() - start


def test_one_ctrl_c_stops_the_run_cleanly_and_keeps_the_previous_report(slow_run):
    proc, family, reports = slow_run
    os.killpg(proc.pid, signal.SIGINT)  # what a terminal sends on Ctrl-C: the whole process group
    _ends(proc, family)
    assert proc.returncode == 130
    err = proc.stderr.read()
    assert "interrupted by SIGINT" in err and "Traceback" not in err
    assert (reports / "index.html").read_text() == "previous report"


def test_two_ctrl_c_back_to_back_end_the_run_at_once_with_130(slow_run):
    proc, family, reports = slow_run
    os.killpg(proc.pid, signal.SIGINT)
    os.killpg(proc.pid, signal.SIGINT)
    _ends(proc, family)
    err = proc.stderr.read()
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    assert (reports / "index.html").read_text() == "previous report"


def _lines(stream) -> queue.Queue:
    """The lines of ``stream`` as they come, read by a thread."""
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    return lines


def test_a_second_ctrl_c_as_the_first_ones_message_is_printed_is_130_not_a_traceback(slow_run):
    proc, family, reports = slow_run
    lines = _lines(proc.stderr)
    os.killpg(proc.pid, signal.SIGINT)
    seen = ""
    while "interrupted" not in seen:
        seen = lines.get(timeout=HUNG)
    if proc.poll() is None:  # it may already have ended; either way the status must be 130
        os.killpg(proc.pid, signal.SIGINT)
    _ends(proc, family)
    assert proc.returncode == 130
    rest = []
    while not lines.empty():
        rest.append(lines.get())
    assert "Traceback" not in "".join(rest)
    assert (reports / "index.html").read_text() == "previous report"


@pytest.mark.parametrize("sig, status", [(signal.SIGTERM, 143), (signal.SIGKILL, -signal.SIGKILL)],
                         ids=["sigterm-stops-it-with-143", "killed-outright-nothing-outlives-it"])
def test_a_signal_to_the_runner_alone_ends_the_run_and_leaves_nothing_behind(slow_run, sig, status):
    proc, family, reports = slow_run
    os.kill(proc.pid, sig)  # SIGKILL: no handler runs; workers die with it, kernels see their parent gone
    _ends(proc, family)
    assert proc.returncode == status
    assert (reports / "index.html").read_text() == "previous report"
