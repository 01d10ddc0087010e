"""Dask that stops and fails cleanly (issue 25, fault 12): the cluster packages missing, an address with
nothing behind it, a scheduler that dies mid-run, and a Ctrl-C while kernels run on the workers. Each
gives one line and its exit status, and leaves the previous report as it was. The cluster here is a
real one: a scheduler and a worker started as processes of their own, on loopback; the signal tests
run with the machine loaded (two busy processes a core)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from estimates import paths, runner
from tests.test_interrupts import HUNG, _alive, _descendants, _kernels, previous_report, slow_notebooks

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_scheduler_without_the_cluster_packages_is_one_line_and_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as where requirements-cluster.txt is not installed
    reports = previous_report(tmp_path / "reports")
    assert runner.main(["--reports", str(reports), "--scheduler", "tcp://127.0.0.1:9"]) == 2
    err = capsys.readouterr().err
    assert "requirements-cluster.txt" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert (reports / "index.html").read_text() == "previous report"


@pytest.mark.filterwarnings("ignore::DeprecationWarning", "ignore::ResourceWarning", "ignore::UserWarning")
def test_an_address_with_nothing_behind_it_is_one_line_and_2(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(runner, "CONNECT_SECONDS", 2)
    reports = previous_report(tmp_path / "reports")
    assert runner.main(["--reports", str(reports), "--scheduler", f"tcp://127.0.0.1:{_free_port()}"]) == 2
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler" in err and "within 2 s" in err and "Traceback" not in err
    assert (reports / "index.html").read_text() == "previous report"


@pytest.fixture
def cluster(tmp_path, loaded):
    """A scheduler and one worker (no nanny: the worker's children are its kernels), and a runner started
    on them over three slow notebooks once a kernel runs on the worker."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "start_new_session": True}
    scheduler = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1",
                                  "--port", address.rsplit(":", 1)[1], "--no-dashboard"], **quiet)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "2",
                               "--no-nanny", "--no-dashboard", "--local-directory", str(tmp_path / "dask")],
                              cwd=paths.ROOT, **quiet)
    notebooks = slow_notebooks(tmp_path)
    reports = previous_report(tmp_path / "reports")
    proc = subprocess.Popen([sys.executable, "-m", "estimates", "report", "--notebooks", str(notebooks),
                             "--reports", str(reports), "--scheduler", address], cwd=paths.ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.time() + HUNG
        while time.time() < deadline and not _kernels(_descendants(worker.pid)) and proc.poll() is None:
            time.sleep(0.2)
        assert _kernels(_descendants(worker.pid)), f"no kernel started on the worker: {proc.poll()}"
        yield proc, scheduler, worker, reports
    finally:
        family = _descendants(worker.pid)
        for p in (proc, worker, scheduler):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        for pid in _alive(family):
            os.kill(pid, signal.SIGKILL)
        proc.stdout.close()
        proc.stderr.close()


def test_ctrl_c_on_a_cluster_stops_the_kernels_on_its_workers_before_the_run_ends(cluster):
    proc, scheduler, worker, reports = cluster
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=HUNG)
    err = proc.stderr.read()
    assert proc.returncode == 130 and "interrupted by SIGINT" in err and "Traceback" not in err
    assert not _alive(_kernels(_descendants(worker.pid))), "kernels still running on the worker after the run"
    assert (reports / "index.html").read_text() == "previous report"


def test_a_scheduler_that_dies_mid_run_ends_it_with_one_line_and_the_report_kept(cluster):
    proc, scheduler, worker, reports = cluster
    os.killpg(scheduler.pid, signal.SIGKILL)
    proc.wait(timeout=HUNG * 2)
    err = proc.stderr.read()
    assert proc.returncode == 1, err
    assert "the Dask scheduler" in err and "went away" in err and "Traceback" not in err, err
    assert (reports / "index.html").read_text() == "previous report"
