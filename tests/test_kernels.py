"""Kernels talk over sockets in a private folder, not TCP ports another process could take."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import nbformat
import pytest
from jupyter_client.manager import KernelManager

from estimates import execute, kernels

TRANSPORT = "import json, ipykernel; print(json.loads(ipykernel.get_connection_info())['transport'])"


def _notebook(path, code, output=None):
    cell = nbformat.v4.new_code_cell(code)
    if output is not None:
        cell.outputs, cell.execution_count = [nbformat.v4.new_output("stream", name="stdout", text=output)], 1
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


def test_the_runners_kernels_talk_over_sockets_in_a_private_folder(tmp_path):
    _notebook(tmp_path / "01-a.ipynb", TRANSPORT + "\nprint(ipykernel.get_connection_info())")
    run = execute.execute_notebook(tmp_path / "01-a.ipynb")
    assert run.ok, run.error
    printed = run.nb["cells"][0]["outputs"][0]["text"]
    assert printed.splitlines()[0] == "ipc" and kernels._folder() in printed
    assert os.listdir(kernels._folder()) == []  # the kernel's socket files go with it


def test_nbvals_kernels_do_too_under_the_plugin(tmp_path):
    _notebook(tmp_path / "check.ipynb", TRANSPORT, output="ipc\n")
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "--nbval",
            "--nbval-current-env", "--rootdir", str(tmp_path), str(tmp_path)]
    assert subprocess.run([*args, "-p", "estimates.kernels"], cwd=tmp_path, capture_output=True).returncode == 0
    # negative control: without the plugin the same notebook's kernel prints tcp, and strict nbval fails
    assert subprocess.run(args, cwd=tmp_path, capture_output=True).returncode == 1


def test_every_kernel_gets_its_own_socket_path_and_plain_managers_stay_tcp():
    first, second = kernels.PrivateKernelManager(), kernels.PrivateAsyncKernelManager()
    assert first.transport == second.transport == "ipc" and first.ip != second.ip
    assert os.path.dirname(first.ip) == os.path.dirname(second.ip) == kernels._folder()
    assert len(first.ip) + len("-5") < 107  # a Unix socket path's limit
    assert KernelManager().transport == "tcp"


def test_each_process_has_its_own_socket_folder_removed_when_it_ends_a_pool_worker_too():
    code = textwrap.dedent("""\
        import os
        from concurrent.futures import ProcessPoolExecutor
        from estimates import kernels
        mine = kernels._folder()
        with ProcessPoolExecutor(1) as pool:  # forked after this process made its folder
            workers = pool.submit(kernels._folder).result()
        print(mine, workers, os.path.isdir(mine), os.path.isdir(workers))
        """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    mine, workers, mine_kept, workers_kept = done.stdout.split()
    assert mine != workers and mine_kept == "True" and workers_kept == "False"  # the worker's went with it
    assert not os.path.exists(mine)  # and this process's when it ended


@pytest.mark.parametrize("manager", [kernels.PrivateKernelManager, kernels.PrivateAsyncKernelManager])
def test_a_configured_transport_still_wins(manager):
    from traitlets.config import Config
    assert manager(config=Config({"KernelManager": {"transport": "tcp", "ip": "127.0.0.1"}})).transport == "tcp"


def test_the_folders_of_processes_that_are_gone_are_swept_and_live_ones_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(kernels.tempfile, "tempdir", str(tmp_path))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead, live, other = (tmp_path / f"{kernels.PREFIX}{gone.stdout.strip()}-x1", tmp_path / f"{kernels.PREFIX}1-x2",
                         tmp_path / "unrelated")
    for folder in (dead, live, other):
        folder.mkdir()
        (folder / "k-1").write_text("")
    kernels.sweep()
    assert not dead.exists() and live.exists() and other.exists()  # pid 1 is alive
